package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Operator errors: one line on stderr starting with "oskr: ", exit code 2, no stack trace. */
class OskrArgumentsTest {
  @TempDir Path directory;

  private static void assertOperatorError(CliRun run, String expected) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("oskr: ").contains(expected).doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void unknownOption() {
    CliRun run = CliRun.of("client", "-m", "unreplicated", "-c", "deploy/x", "--bogus");
    assertOperatorError(run, "Unknown option: '--bogus'");
    assertThat(run.err()).contains("see 'oskr client -h'");
  }

  @Test
  void unknownProtocol() {
    CliRun run = CliRun.of("replica", "-m", "paxos", "-c", "deploy/x", "-i", "0");
    assertOperatorError(run, "unknown protocol 'paxos', expected one of: unreplicated,");
    assertThat(run.err()).contains("unreplicated-signed");
  }

  @Test
  void unknownCommand() {
    assertOperatorError(CliRun.of("replicas"), "replicas");
  }

  @Test
  void missingCommand() {
    assertOperatorError(CliRun.of(), "missing command, expected one of: replica, client");
  }

  @Test
  void missingRequiredOption() {
    assertOperatorError(CliRun.of("replica", "-m", "unreplicated", "-i", "0"), "'--config");
  }

  @Test
  void missingConfig() {
    String base = directory.resolve("absent").toString();
    CliRun run = CliRun.of("client", "-m", "unreplicated", "-c", base, "-d", "1");
    assertOperatorError(run, base + ".config: no such file");
  }

  @Test
  void malformedConfigNamesFileAndLine() throws IOException {
    String base = ConfigFiles.write(directory, "bad", "f 0\nreplica 127.0.0.1\n");
    CliRun run = CliRun.of("replica", "-m", "unreplicated", "-c", base, "-i", "0");
    assertOperatorError(run, base + ".config:2: expected 'replica HOST:PORT'");
  }

  @Test
  void configWithTheWrongReplicaCount() throws IOException {
    String base =
        ConfigFiles.write(
            directory, "two", "f 0\nreplica 127.0.0.1:7001\nreplica 127.0.0.1:7002\n");
    CliRun run = CliRun.of("client", "-m", "unreplicated", "-c", base);
    assertOperatorError(
        run, base + ".config: unreplicated runs one replica and tolerates no fault");
  }

  @Test
  void missingKeyOfASigningProtocol() throws IOException {
    String base = ConfigFiles.write(directory, "signed", "f 0\nreplica 127.0.0.1:7001\n");
    CliRun run = CliRun.of("replica", "-m", "unreplicated-signed", "-c", base, "-i", "0");
    assertOperatorError(run, base + "-0.pem: no such file");
  }

  @Test
  void replicaIdOutsideTheConfig() throws IOException {
    String base = ConfigFiles.write(directory, "one", "f 0\nreplica 127.0.0.1:7001\n");
    CliRun run = CliRun.of("replica", "-m", "unreplicated", "-c", base, "-i", "3");
    assertOperatorError(run, base + ".config: no replica 3, the config lists ids 0..0");
  }

  @Test
  void unknownSignatureScheme() {
    CliRun run = CliRun.of("replica", "-m", "unreplicated", "-c", "x", "-i", "0", "--auth", "rsa");
    assertOperatorError(run, "unknown signature scheme 'rsa'");
  }

  @Test
  void unknownStageMode() {
    CliRun run = CliRun.of("bench", "-m", "unreplicated", "-t", "1", "--stage", "actors");
    assertOperatorError(run, "unknown stage 'actors', expected inline or thread");
  }

  @Test
  void optionOutOfRange() {
    CliRun run = CliRun.of("replica", "-m", "unreplicated", "-c", "x", "-i", "0", "-w", "0");
    assertOperatorError(run, "-w must be 1..256");
  }

  @Test
  void outputOfAnUnknownFormat() {
    CliRun run = CliRun.of("client", "-m", "unreplicated", "-c", "x", "--output", "run.txt");
    assertOperatorError(run, "--output must name a .json or .csv file");
  }

  @Test
  void outputInAFolderThatDoesNotExistIsRefusedBeforeTheRun() {
    String missing = directory.resolve("missing-dir").resolve("run.json").toString();
    assertOperatorError(
        CliRun.of("bench", "-m", "unreplicated", "-o", missing),
        "--output "
            + missing
            + ": the folder "
            + directory.resolve("missing-dir")
            + " does not"
            + " exist");
  }

  @Test
  void authForAProtocolThatAuthenticatesNothingIsRefused() {
    assertOperatorError(
        CliRun.of("bench", "-m", "unreplicated", "--auth", "ed25519"),
        "--auth: unreplicated does not authenticate its messages");
    assertOperatorError(
        CliRun.of("client", "-m", "vr", "-c", "x", "--auth", "hmac"),
        "--auth: vr does not authenticate its messages");
    assertOperatorError(
        CliRun.of("bench", "-m", "udp-echo", "-b", "8"), "udp-echo takes no -b or --auth");
  }

  @Test
  void benchRejectsAnUnknownProtocolBeforeStartingAnything() {
    assertOperatorError(CliRun.of("bench", "-m", "paxos"), "or udp-echo");
  }

  @Test
  void benchRejectsAMalformedSweep() {
    assertOperatorError(CliRun.of("bench", "-m", "unreplicated", "--sweep", "1,x"), "'x'");
    assertOperatorError(
        CliRun.of("bench", "-m", "unreplicated", "--sweep", "1,2", "-t", "4"), "not both");
  }

  @Test
  void benchOnHostsRefusesTheLoopbackOnlyOptions() {
    assertOperatorError(
        CliRun.of("bench", "-m", "pbft", "--hosts", "hosts.txt", "--down", "1"),
        "--down is for a loopback run, not --hosts");
    assertOperatorError(
        CliRun.of("bench", "-m", "pbft", "--hosts", "hosts.txt", "--transport", "epoll"),
        "--transport is for a loopback run, not --hosts");
  }

  @Test
  void benchRejectsANonPositiveDuration() {
    assertOperatorError(CliRun.of("bench", "-m", "unreplicated", "-d", "0"), "-d must be more");
  }

  @ParameterizedTest
  @ValueSource(strings = {"replica", "client", "bench", "keygen", "simulate", "jmh"})
  void everyCommandHasHelpWithAnExample(String command) {
    // picocli reports a description it cannot format (a lone '%') on System.err, not on ours.
    PrintStream systemErr = System.err;
    ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
    CliRun run;
    try {
      System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
      run = CliRun.of(command, "-h");
    } finally {
      System.setErr(systemErr);
    }
    assertThat(picocliWarnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Usage: oskr " + command)
        .contains("Example")
        .contains("oskr " + command + " ");
    assertThat(run.err()).isEmpty();
    // Every example is printed on one line, so that it can be copied as it stands.
    String[] footer =
        Oskr.commandLine(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()))
            .getSubcommands()
            .get(command)
            .getCommandSpec()
            .usageMessage()
            .footer();
    for (String line : footer) {
      if (line.startsWith("  oskr ")) assertThat(run.out()).contains(line.stripTrailing());
    }
    assertThat(run.out()).doesNotContain("......");
  }

  @Test
  void aMissingCommandListsOnlyTheCommandsHelpShows() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(run.err())
        .contains("expected one of: replica, client, bench")
        .doesNotContain("echo");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    CliRun run = CliRun.of("-h");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("replica")
        .contains("client")
        .contains("bench")
        .contains("keygen");
  }
}
