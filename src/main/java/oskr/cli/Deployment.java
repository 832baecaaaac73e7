package oskr.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.PublicKeys;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.Protocol;

/**
 * A deployment named as in the seed: {@code -c deploy/NAME} means the config {@code
 * deploy/NAME.config} and the key files {@code deploy/NAME-ID.pem}, one per replica id.
 *
 * <p>Key files are read only for protocols that sign ({@link Protocol#usesSignatures()}): a replica
 * then loads its own private key and every replica's public key (derived from the same files, as in
 * the seed); a client loads the public keys only.
 */
public final class Deployment {
  private static final String CONFIG_SUFFIX = ".config";
  private final String base;
  private final Config config;

  private Deployment(String base, Config config) {
    this.base = base;
    this.config = config;
  }

  /**
   * Reads {@code BASE.config} and checks it against the protocol's n/f rule.
   *
   * @param base {@code deploy/NAME}; a trailing {@code .config} is accepted too
   * @throws ConfigException naming the file (and line) that is missing or wrong
   */
  public static Deployment load(String base, Protocol<?> protocol) throws ConfigException {
    Deployment deployment = loadConfig(base);
    protocol.checkConfig(deployment.config, deployment.configFile().toString());
    return deployment;
  }

  /** Reads {@code BASE.config} without a protocol's n/f rule (for {@code oskr keygen}). */
  public static Deployment loadConfig(String base) throws ConfigException {
    String stem =
        base.endsWith(CONFIG_SUFFIX)
            ? base.substring(0, base.length() - CONFIG_SUFFIX.length())
            : base;
    if (stem.isEmpty()) throw new ConfigException("empty deployment name, expected deploy/NAME");
    Path file = Path.of(stem + CONFIG_SUFFIX);
    return new Deployment(stem, Config.parse(readText(file), file.toString()));
  }

  public Config config() {
    return config;
  }

  /** {@code deploy/NAME}, as given to {@code -c} without {@code .config}. */
  public String base() {
    return base;
  }

  public Path configFile() {
    return Path.of(base + CONFIG_SUFFIX);
  }

  /** {@code deploy/NAME-ID.pem}: replica {@code index}'s private key. */
  public Path keyFile(int index) {
    return Path.of(base + "-" + index + ".pem");
  }

  /**
   * What replica {@code index} needs: its own key and everyone's public keys if the protocol signs,
   * nothing otherwise.
   */
  public Keyring replicaKeyring(Protocol<?> protocol, int index, Scheme scheme)
      throws ConfigException {
    if (index < 0 || index >= config.n()) {
      throw new ConfigException(
          configFile() + ": no replica " + index + ", the config lists ids 0.." + (config.n() - 1));
    }
    if (!protocol.usesSignatures()) return Keyring.forClient(scheme, List.of());
    SigningKey own = readKey(index);
    List<PublicKeys> publicKeys = new ArrayList<>();
    for (int other = 0; other < config.n(); other++) {
      publicKeys.add(other == index ? own.publicKeys() : readKey(other).publicKeys());
    }
    return new Keyring(scheme, publicKeys, Optional.of(own));
  }

  /**
   * What a client needs: every replica's public keys if the protocol signs, nothing otherwise; for
   * a protocol whose clients authenticate (PBFT), also a fresh key of its own.
   */
  public Keyring clientKeyring(Protocol<?> protocol, Scheme scheme) throws ConfigException {
    if (!protocol.usesSignatures()) return Keyring.forClient(scheme, List.of());
    List<PublicKeys> publicKeys = new ArrayList<>();
    for (int index = 0; index < config.n(); index++) {
      publicKeys.add(readKey(index).publicKeys());
    }
    if (protocol.clientsHaveKeys()) {
      return Keyring.forClient(scheme, publicKeys, SigningKey.generate(new SecureRandom()));
    }
    return Keyring.forClient(scheme, publicKeys);
  }

  private SigningKey readKey(int index) throws ConfigException {
    Path file = keyFile(index);
    return SigningKey.fromPem(readText(file), file.toString());
  }

  /**
   * @throws ConfigException naming the file if it is missing, unreadable or not UTF-8 text
   */
  static String readText(Path file) throws ConfigException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not a UTF-8 text file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + describe(e));
    }
  }

  /** An I/O error as one phrase, without the file name the JDK repeats in its messages. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof FileSystemException fs) {
      return fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
