package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.core.ConfigException;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.unreplicated.Unreplicated;

/** Every error names the file; plain protocols need no key files. */
class DeploymentTest {
  @TempDir Path directory;

  private String base(String name) {
    return directory.resolve(name).toString();
  }

  private String oneReplica(String name) throws IOException {
    return ConfigFiles.write(directory, name, "f 0\nreplica 127.0.0.1:7001\n");
  }

  @Test
  void readsTheConfigAndAcceptsTheConfigSuffix() throws Exception {
    String base = oneReplica("one");
    Deployment plain = Deployment.load(base, Unreplicated.PLAIN);
    Deployment suffixed = Deployment.load(base + ".config", Unreplicated.PLAIN);
    assertThat(plain.config()).isEqualTo(suffixed.config());
    assertThat(plain.config().n()).isEqualTo(1);
    assertThat(suffixed.keyFile(0)).isEqualTo(Path.of(base + "-0.pem"));
  }

  @Test
  void aMissingConfigIsNamed() {
    assertThatThrownBy(() -> Deployment.load(base("none"), Unreplicated.PLAIN))
        .isInstanceOf(ConfigException.class)
        .hasMessage(base("none") + ".config: no such file");
  }

  @Test
  void anUnreadableConfigIsNamed() throws IOException {
    Files.createDirectory(Path.of(base("dir") + ".config"));
    assertThatThrownBy(() -> Deployment.load(base("dir"), Unreplicated.PLAIN))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(base("dir") + ".config: cannot read");
  }

  @Test
  void aConfigThatIsNotTextIsNamed() throws IOException {
    Files.write(Path.of(base("binary") + ".config"), new byte[] {'f', ' ', (byte) 0xff});
    assertThatThrownBy(() -> Deployment.load(base("binary"), Unreplicated.PLAIN))
        .hasMessage(base("binary") + ".config: not a UTF-8 text file");
  }

  @Test
  void theProtocolsReplicaCountIsChecked() throws IOException {
    ConfigFiles.write(directory, "two", "f 0\nreplica 127.0.0.1:1\nreplica 127.0.0.1:2\n");
    assertThatThrownBy(() -> Deployment.load(base("two"), Unreplicated.SIGNED))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(base("two") + ".config: unreplicated-signed runs one replica");
  }

  @Test
  void aPlainProtocolNeedsNoKeys() throws Exception {
    Deployment deployment = Deployment.load(oneReplica("plain"), Unreplicated.PLAIN);
    Keyring replica = deployment.replicaKeyring(Unreplicated.PLAIN, 0, Scheme.SECP256K1);
    Keyring client = deployment.clientKeyring(Unreplicated.PLAIN, Scheme.SECP256K1);
    assertThat(replica.own()).isEmpty();
    assertThat(replica.replicas()).isEmpty();
    assertThat(client.replicas()).isEmpty();
  }

  @Test
  void aMissingKeyIsNamed() throws Exception {
    Deployment deployment = Deployment.load(oneReplica("nokey"), Unreplicated.SIGNED);
    assertThatThrownBy(() -> deployment.clientKeyring(Unreplicated.SIGNED, Scheme.ED25519))
        .isInstanceOf(ConfigException.class)
        .hasMessage(base("nokey") + "-0.pem: no such file");
  }

  @Test
  void aCorruptKeyIsNamed() throws Exception {
    Deployment deployment = Deployment.load(oneReplica("corrupt"), Unreplicated.SIGNED);
    Files.writeString(
        deployment.keyFile(0), "-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> deployment.replicaKeyring(Unreplicated.SIGNED, 0, Scheme.SECP256K1))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(base("corrupt") + "-0.pem: ");
  }

  @Test
  void aReplicaLoadsItsOwnKey() throws Exception {
    Deployment deployment = Deployment.load(oneReplica("keyed"), Unreplicated.SIGNED);
    SigningKey key = SigningKey.generate(new SecureRandom());
    Files.writeString(deployment.keyFile(0), key.toPem());
    Keyring keyring = deployment.replicaKeyring(Unreplicated.SIGNED, 0, Scheme.ED25519);
    assertThat(keyring.own()).isPresent();
    assertThat(keyring.replicas()).containsExactly(key.publicKeys());
    assertThat(keyring.scheme()).isEqualTo(Scheme.ED25519);
  }

  @Test
  void aReplicaIdOutsideTheConfigIsNamed() throws Exception {
    Deployment deployment = Deployment.load(oneReplica("ids"), Unreplicated.PLAIN);
    assertThatThrownBy(() -> deployment.replicaKeyring(Unreplicated.PLAIN, 1, Scheme.SECP256K1))
        .hasMessage(base("ids") + ".config: no replica 1, the config lists ids 0..0");
  }
}
