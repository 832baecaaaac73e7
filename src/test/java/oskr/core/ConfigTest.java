package oskr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {
  private static final String FILE = "deploy/test.config";

  private static Config parse(String text) throws ConfigException {
    return Config.parse(text, FILE);
  }

  /** The message of the ConfigException that parsing {@code text} throws. */
  private static String errorOf(String text) {
    try {
      Config config = parse(text);
      throw new AssertionError("accepted a bad config: " + config);
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  @Test
  void parsesTheSeedLayoutWithCommentsBlankLinesAndMulticast() throws ConfigException {
    String text =
        """
        # four replicas, one fault
        f 1

        replica 10.0.0.1:7001   # the first primary
        replica 10.0.0.2:7001
        \treplica\t10.0.0.3:7001\t
        replica 10.0.0.4:7001
        multicast 239.0.0.1:7100      # optional
        """;
    Config config = parse(text);
    assertThat(config.f()).isEqualTo(1);
    assertThat(config.n()).isEqualTo(4);
    assertThat(config.replica(0)).isEqualTo(new Address("10.0.0.1", 7001));
    assertThat(config.replica(2)).isEqualTo(new Address("10.0.0.3", 7001));
    assertThat(config.indexOf(new Address("10.0.0.4", 7001))).isEqualTo(3);
    assertThat(config.indexOf(new Address("10.0.0.4", 7002))).isEqualTo(-1);
    assertThat(config.multicast()).contains(new Address("239.0.0.1", 7100));
  }

  @Test
  void parsesIpv6AndCrLfWithoutMulticast() throws ConfigException {
    Config config = parse("f 0\r\nreplica [::1]:7001\r\n");
    assertThat(config.replicas()).containsExactly(new Address("::1", 7001));
    assertThat(config.replica(0).toString()).isEqualTo("[::1]:7001");
    assertThat(config.multicast()).isEmpty();
  }

  @Test
  void replicaIdsAreLinePositions() throws ConfigException {
    Config config = parse("replica b:2\nf 0\nreplica a:1\n");
    assertThat(config.replicas()).containsExactly(new Address("b", 2), new Address("a", 1));
  }

  @Test
  void acceptsTheMaximumReplicaCount() throws ConfigException {
    assertThat(parse(replicaLines(Limits.REPLICAS_MAX)).n()).isEqualTo(Limits.REPLICAS_MAX);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "f 1\\nreplicas h:1     | 2 | unknown directive 'replicas', expected f, replica",
        "f 1\\ngroup 0                       | 2 | unknown directive 'group'",
        "f\\nreplica h:1                     | 1 | expected 'f N'",
        "f 1 2\\nreplica h:1                 | 1 | expected 'f N'",
        "f one\\nreplica h:1                 | 1 | expected 'f N' with a number, got 'one'",
        "f -1\\nreplica h:1                  | 1 | expected 'f N' with N >= 0, got '-1'",
        "f 1\\n\\nf 1\\nreplica h:1          | 3 | expected one 'f N' line, the first is line 1",
        "f 1\\nreplica                       | 2 | expected 'replica HOST:PORT'",
        "f 1\\nreplica h:1 h:2               | 2 | expected 'replica HOST:PORT'",
        "f 1\\nreplica h:0                   | 2 | port must be 1..65535",
        "f 1\\nreplica h:70000               | 2 | port must be 1..65535",
        "f 1\\nreplica h:9999999999          | 2 | port must be 1..65535",
        "f 1\\nreplica h:http                | 2 | port is not a number",
        "f 1\\nreplica h:+80                 | 2 | port is not a number",
        "f 1\\nreplica h                     | 2 | expected HOST:PORT, got 'h'",
        "f 1\\nreplica h:                    | 2 | expected HOST:PORT, got 'h:'",
        "f 1\\nreplica :7001                 | 2 | expected HOST:PORT, got ':7001'",
        "f 1\\nreplica []:7001               | 2 | empty host",
        "f 1\\nreplica ::1:7001              | 2 | an IPv6 host needs brackets",
        "f 1\\nreplica [::1:7001             | 2 | an IPv6 host needs brackets",
        "f 1\\nreplica h]:7001               | 2 | stray bracket",
        "f 1\\nreplica h:1\\n# x\\nreplica h:1 | 4 | replica h:1 is listed twice (first on line 2)",
        "f 1\\nreplica h:1\\nmulticast m:1\\nmulticast m:2 | 4 | at most one 'multicast' line, the"
            + " first is line 3",
        "f 1\\nreplica h:1\\nmulticast m     | 3 | expected 'multicast HOST:PORT'",
        "f 1\\nreplica h:1\\nmulticast       | 3 | expected 'multicast HOST:PORT'",
      })
  void badLineIsNamedWithFileLineAndExpectation(String text, int line, String expected) {
    String message = errorOf(text.replace("\\n", "\n"));
    assertThat(message).startsWith(FILE + ":" + line + ": ").contains(expected);
  }

  @Test
  void missingFIsReportedWithTheFile() {
    assertThat(errorOf("# only replicas\nreplica h:1\n"))
        .isEqualTo(FILE + ": expected an 'f N' line, found none");
  }

  @Test
  void missingReplicaIsReportedWithTheFile() {
    assertThat(errorOf("f 0\nmulticast m:1\n"))
        .isEqualTo(FILE + ": expected a 'replica HOST:PORT' line, found none");
    assertThat(errorOf("")).startsWith(FILE + ": expected an 'f N' line");
  }

  @Test
  void tooManyReplicasNamesTheFirstLineTooMany() {
    String text = replicaLines(Limits.REPLICAS_MAX + 1);
    int firstTooMany = Limits.REPLICAS_MAX + 2; // line 1 is "f 1"
    assertThat(errorOf(text))
        .isEqualTo(
            FILE + ":" + firstTooMany + ": expected at most " + Limits.REPLICAS_MAX
                + " 'replica' lines");
  }

  @Test
  void requireReplicasAcceptsTheExactCountAndNamesTheRuleOtherwise() throws ConfigException {
    Config four = parse(replicaLines(4));
    four.requireReplicas(3 * four.f() + 1, "pbft", "n = 3f+1", FILE);
    assertThatThrownBy(() -> four.requireReplicas(2 * four.f() + 1, "vr", "n = 2f+1", FILE))
        .isInstanceOf(ConfigException.class)
        .hasMessage(FILE + ": vr needs n = 2f+1 = 3 replicas for f = 1, the config lists 4");
    Config three = parse(replicaLines(3));
    assertThatThrownBy(() -> three.requireReplicas(4, "pbft", "n = 3f+1", FILE))
        .hasMessageContaining("pbft needs n = 3f+1 = 4 replicas for f = 1, the config lists 3");
  }

  @Test
  void constructorRejectsWhatParseRejects() {
    List<Address> one = List.of(new Address("h", 1));
    assertThatThrownBy(() -> Config.of(-1, one)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Config.of(0, List.of())).isInstanceOf(IllegalArgumentException.class);
    List<Address> tooMany =
        java.util.stream.IntStream.rangeClosed(1, Limits.REPLICAS_MAX + 1)
            .mapToObj(port -> new Address("h", port))
            .toList();
    assertThatThrownBy(() -> new Config(1, tooMany, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replicasAreACopy() {
    List<Address> replicas = new java.util.ArrayList<>(List.of(new Address("h", 1)));
    Config config = Config.of(0, replicas);
    replicas.add(new Address("h", 2));
    assertThat(config.n()).isEqualTo(1);
  }

  /** "f 1" and then {@code count} distinct replica lines. */
  private static String replicaLines(int count) {
    StringBuilder text = new StringBuilder("f 1\n");
    for (int i = 0; i < count; i++) text.append("replica 127.0.0.1:").append(7001 + i).append('\n');
    return text.toString();
  }
}
