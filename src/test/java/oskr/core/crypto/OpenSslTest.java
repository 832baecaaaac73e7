package oskr.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** When the openssl interoperability tests run, skip with a word, or fail (under CI). */
class OpenSslTest {
  @TempDir Path directory;

  @Test
  void anOpensslExecutableOnThePathRunsTheTestsWithOrWithoutCi() throws Exception {
    Path bin = Files.createDirectory(directory.resolve("bin"));
    Files.createFile(
        bin.resolve("openssl"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    String path = directory + File.pathSeparator + bin;

    assertThat(OpenSsl.missing(path, null)).isEmpty();
    assertThat(OpenSsl.missing(path, "true")).isEmpty();
  }

  @Test
  void withoutOpensslOutsideCiTheTestsSkipSayingWhy() throws Exception {
    Files.createFile(directory.resolve("openssl")); // not executable: does not count
    String path = directory.toString();

    assertThat(OpenSsl.missing(path, null)).contains(OpenSsl.SKIP_MESSAGE);
    assertThat(OpenSsl.missing(path, "")).contains(OpenSsl.SKIP_MESSAGE);
    assertThat(OpenSsl.missing(path, "false")).contains(OpenSsl.SKIP_MESSAGE);
    assertThat(OpenSsl.missing(null, null)).contains(OpenSsl.SKIP_MESSAGE);
    assertThat(OpenSsl.SKIP_MESSAGE).contains("openssl is not on the PATH").doesNotContain("\n");
  }

  @Test
  void withoutOpensslUnderCiTheTestsFailSayingWhatToInstall() {
    String path = directory.toString();

    for (String ci : new String[] {"true", "1", "yes"}) {
      assertThatThrownBy(() -> OpenSsl.missing(path, ci))
          .isInstanceOf(AssertionFailedError.class)
          .hasMessageContaining("openssl is not on the PATH and CI=" + ci + " is set")
          .hasMessageContaining("install it");
    }
  }
}
