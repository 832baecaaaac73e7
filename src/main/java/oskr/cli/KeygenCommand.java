package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import oskr.core.ConfigException;
import oskr.core.crypto.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oskr keygen}: one secp256k1 key file per replica of a config, in the format of {@code
 * openssl ecparam -genkey -noout -name secp256k1 | openssl pkcs8 -topk8 -nocrypt}, readable by the
 * owner only.
 */
@Command(
    name = "keygen",
    description = {
      "Write deploy/NAME-ID.pem for every replica of deploy/NAME.config (mode 600).",
      "Each file is a secp256k1 key (PKCS#8, as openssl makes them). It serves every --auth"
          + " scheme: the replica's Ed25519 key is derived from it, and its HMAC keys are agreed"
          + " from it by ECDH; an Ed25519 key file made by openssl is not read."
    },
    sortOptions = false,
    footer = {
      "%nExample (four files deploy/local-0.pem .. deploy/local-3.pem for a four-line config):",
      "  oskr keygen -c deploy/local"
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "deploy/NAME",
      description = "Read deploy/NAME.config; write deploy/NAME-0.pem, deploy/NAME-1.pem, ...")
  String deployment;

  @Option(names = "--force", description = "Overwrite existing key files.")
  boolean force;

  @Override
  public Integer call() throws ConfigException {
    Deployment loaded = Deployment.loadConfig(deployment);
    List<Path> written = writeKeys(loaded, force, new SecureRandom());
    PrintWriter out = spec.commandLine().getOut();
    for (Path file : written) out.println("wrote " + file);
    return Oskr.EXIT_OK;
  }

  /**
   * Writes a new key for every replica. Without {@code force}, writes nothing if any key file
   * exists. Each file is written to a temporary name first and moved into place.
   *
   * @return the files written, by replica id
   * @throws ConfigException naming the file that exists or cannot be written
   */
  static List<Path> writeKeys(Deployment deployment, boolean force, SecureRandom random)
      throws ConfigException {
    int n = deployment.config().n();
    if (!force) {
      for (int index = 0; index < n; index++) {
        Path file = deployment.keyFile(index);
        if (Files.exists(file)) {
          throw new ConfigException(
              file + ": exists; keygen does not overwrite keys unless given --force");
        }
      }
    }
    List<Path> written = new ArrayList<>();
    for (int index = 0; index < n; index++) {
      Path file = deployment.keyFile(index);
      writeOwnerOnly(file, SigningKey.generate(random).toPem());
      written.add(file);
    }
    return written;
  }

  private static void writeOwnerOnly(Path file, String text) throws ConfigException {
    Path directory = file.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      temporary = Files.createTempFile(directory, ".oskr-keygen-", ".tmp");
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(temporary, text, StandardCharsets.US_ASCII);
      move(temporary, file);
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new ConfigException(file + ": cannot write: " + Deployment.describe(e));
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) return;
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Best effort: the write error reported to the operator is the one that matters.
    }
  }
}
