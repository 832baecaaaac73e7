package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YCSB options: wrong ones are operator errors, one line naming the file or property, exit 2. */
class YcsbArgumentsTest {
  @TempDir Path directory;

  private static void assertOperatorError(CliRun run, String expected) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("oskr: ").contains(expected).doesNotContain("\tat ");
  }

  private String config() throws IOException {
    ConfigFiles.write(directory, "local", "f 0\nreplica 127.0.0.1:1\n");
    return directory.resolve("local").toString();
  }

  @Test
  void ycsbNeedsAPropertyFile() {
    assertOperatorError(
        CliRun.of("client", "-m", "unreplicated", "-c", "x", "-w", "ycsb"),
        "--workload ycsb needs -P FILE");
  }

  @Test
  void propertiesNeedTheYcsbWorkload() {
    assertOperatorError(
        CliRun.of("client", "-m", "unreplicated", "-c", "x", "-p", "recordcount=5"),
        "-P, -p and --load need --workload ycsb");
    assertOperatorError(
        CliRun.of("client", "-m", "unreplicated", "-c", "x", "-w", "tpcc"), "unknown workload");
  }

  @Test
  void aMissingPropertyFileIsNamed() throws IOException {
    String absent = directory.resolve("absent").toString();
    assertOperatorError(
        CliRun.of("client", "-m", "unreplicated", "-c", config(), "-w", "ycsb", "-P", absent),
        absent + ": cannot read");
  }

  @Test
  void aWrongPropertyIsNamedWithItsFile() throws IOException {
    CliRun run =
        CliRun.of(
            "client",
            "-m",
            "unreplicated",
            "-c",
            config(),
            "-w",
            "ycsb",
            "-P",
            "workloads/workloada",
            "-p",
            "requestdistribution=exponential");
    assertOperatorError(run, "workloads/workloada: property requestdistribution=exponential");
  }

  @Test
  void aDurableStoreNeedsAPathItCanOpen() throws IOException {
    String base = config();
    assertOperatorError(
        CliRun.of("replica", "-m", "unreplicated", "-c", base, "-i", "0", "-a", "rocksdb"),
        "-a rocksdb keeps its data in --db PATH");
    assertOperatorError(
        CliRun.of("replica", "-m", "unreplicated", "-c", base, "-i", "0", "--db", "x"),
        "--db is for the durable stores");
    String missing = directory.resolve("no/such/store.sqlite").toString();
    assertOperatorError(
        CliRun.of(
            "replica",
            "-m",
            "unreplicated",
            "-c",
            base,
            "-i",
            "0",
            "-a",
            "sqlite",
            "--db",
            missing),
        missing + ": no such directory");
  }

  @Test
  void theBenchLoadsByItself() {
    assertOperatorError(
        CliRun.of(
            "bench",
            "-m",
            "unreplicated",
            "--workload",
            "ycsb",
            "-P",
            "workloads/workloada",
            "--load"),
        "--load is for oskr client");
  }
}
