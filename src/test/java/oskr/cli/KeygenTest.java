package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.core.Bytes;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.protocol.unreplicated.Unreplicated;

class KeygenTest {
  @TempDir Path directory;

  private String fourReplicas() throws IOException {
    StringBuilder text = new StringBuilder("f 1\n");
    for (int i = 0; i < 4; i++) text.append("replica 127.0.0.1:").append(7001 + i).append('\n');
    return ConfigFiles.write(directory, "four", text.toString());
  }

  private List<String> keyTexts(String base) throws IOException {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 4; i++) texts.add(Files.readString(Path.of(base + "-" + i + ".pem")));
    return texts;
  }

  @Test
  void writesOneOwnerOnlyKeyPerReplica() throws Exception {
    String base = fourReplicas();
    CliRun run = CliRun.of("keygen", "-c", base);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(4).allMatch(line -> line.startsWith("wrote " + base));
    for (int i = 0; i < 4; i++) {
      Path file = Path.of(base + "-" + i + ".pem");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(file, StandardCharsets.US_ASCII))
          .startsWith("-----BEGIN PRIVATE KEY-----\n");
    }
    assertThat(Files.list(directory).filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    assertThat(keyTexts(base)).doesNotHaveDuplicates();
  }

  /** Replica 2 signs with its file; a client holding only public keys verifies as replica 2. */
  @Test
  void writtenKeysLoadAndSignAndVerify() throws Exception {
    String base = fourReplicas();
    assertThat(CliRun.of("keygen", "-c", base).exitCode()).isZero();
    Deployment deployment = Deployment.loadConfig(base);
    for (Scheme scheme : Scheme.values()) {
      Keyring replica = deployment.replicaKeyring(Unreplicated.SIGNED, 2, scheme);
      Keyring client = deployment.clientKeyring(Unreplicated.SIGNED, scheme);
      assertThat(replica.own()).isPresent();
      assertThat(replica.replicas()).isEqualTo(client.replicas()).hasSize(4);
      assertThat(client.own()).isEmpty();
      byte[] message = "order 66".getBytes(StandardCharsets.US_ASCII);
      Bytes signature = new Crypto(replica).sign(message, 0, message.length);
      Crypto verifier = new Crypto(client);
      assertThat(verifier.verify(2, message, 0, message.length, signature)).isTrue();
      assertThat(verifier.verify(1, message, 0, message.length, signature)).isFalse();
    }
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    String base = fourReplicas();
    assertThat(CliRun.of("keygen", "-c", base).exitCode()).isZero();
    List<String> before = keyTexts(base);
    CliRun again = CliRun.of("keygen", "-c", base);
    assertThat(again.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(again.errLines())
        .containsExactly(
            "oskr: "
                + base
                + "-0.pem: exists; keygen does not overwrite keys unless given --force");
    assertThat(keyTexts(base)).isEqualTo(before);
  }

  @Test
  void refusesIfOnlyTheLastKeyExistsAndWritesNothing() throws Exception {
    String base = fourReplicas();
    Files.writeString(Path.of(base + "-3.pem"), "precious");
    assertThat(CliRun.of("keygen", "-c", base).exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(Path.of(base + "-0.pem")).doesNotExist();
    assertThat(Path.of(base + "-3.pem")).hasContent("precious");
  }

  @Test
  void forceWritesNewKeys() throws Exception {
    String base = fourReplicas();
    assertThat(CliRun.of("keygen", "-c", base).exitCode()).isZero();
    List<String> before = keyTexts(base);
    CliRun forced = CliRun.of("keygen", "-c", base, "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    List<String> after = keyTexts(base);
    for (int i = 0; i < 4; i++) assertThat(after.get(i)).isNotEqualTo(before.get(i));
  }

  @Test
  void missingConfig() {
    String base = directory.resolve("none").toString();
    CliRun run = CliRun.of("keygen", "-c", base);
    assertThat(run.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(run.errLines()).containsExactly("oskr: " + base + ".config: no such file");
  }
}
