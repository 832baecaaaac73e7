package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's child processes and temporary folder go away on close, failure and SIGTERM. */
class LocalClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static List<String> sleepy(String... args) {
    return JavaCommand.main(SleepyServer.class.getName(), List.of(args));
  }

  /**
   * A bench killed with SIGKILL runs no cleanup and strands its folder, private keys included: the
   * next bench removes it, and only it (not a live bench's, not one without an owner yet).
   */
  @Test
  void theFolderOfAKilledBenchIsRemovedByTheNext(@TempDir Path tmp) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path stranded = benchFolder(tmp, "stranded", Long.toString(gone.pid()));
    Files.writeString(stranded.resolve("local-0.pem"), "-----BEGIN PRIVATE KEY-----");
    Path live = benchFolder(tmp, "live", Long.toString(ProcessHandle.current().pid()));
    Path starting = benchFolder(tmp, "starting", null);
    Path other = Files.createDirectory(tmp.resolve("not-a-bench"));
    Files.writeString(other.resolve(LocalCluster.OWNER_FILE), Long.toString(gone.pid()));
    StringWriter err = new StringWriter();
    LocalCluster.removeStranded(tmp, new PrintWriter(err, true));
    assertThat(stranded).doesNotExist();
    assertThat(live).isDirectory();
    assertThat(starting).isDirectory();
    assertThat(other).isDirectory();
    assertThat(err.toString()).isEmpty();
  }

  private static Path benchFolder(Path tmp, String name, String owner) throws IOException {
    Path folder = Files.createDirectory(tmp.resolve(LocalCluster.FOLDER_PREFIX + name));
    if (owner != null) Files.writeString(folder.resolve(LocalCluster.OWNER_FILE), owner);
    return folder;
  }

  @Test
  void closeStopsEveryChildAndDeletesTheFolder() throws Exception {
    StringWriter err = new StringWriter();
    List<ChildProcess> children = new ArrayList<>();
    Path directory;
    try (LocalCluster cluster = LocalCluster.create(new PrintWriter(err, true))) {
      directory = cluster.directory();
      cluster.writeConfig(0, 2);
      assertThat(Path.of(cluster.deploymentBase() + ".config")).exists();
      for (int i = 0; i < 2; i++) children.add(cluster.start("sleepy " + i, sleepy()));
      for (ChildProcess child : children) {
        LocalCluster.awaitReady(child, Instant.now().plus(WAIT));
      }
      assertThat(children).allMatch(ChildProcess::alive);
    }
    assertThat(children).noneMatch(ChildProcess::alive);
    assertThat(directory).doesNotExist();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aChildThatExitsBeforeItIsReadyIsAFailureNamingIt() throws Exception {
    Path directory;
    try (LocalCluster cluster = LocalCluster.create(new PrintWriter(new StringWriter()))) {
      directory = cluster.directory();
      ChildProcess child = cluster.start("replica 7", sleepy("fail"));
      assertThatThrownBy(() -> LocalCluster.awaitReady(child, Instant.now().plus(WAIT)))
          .isInstanceOf(RunFailed.class)
          .hasMessage("replica 7 exited before it was ready (exit code 3)");
    }
    assertThat(directory).doesNotExist();
  }

  @Test
  void nothingStartsAfterClose() throws IOException {
    LocalCluster cluster = LocalCluster.create(new PrintWriter(new StringWriter()));
    cluster.close();
    assertThatThrownBy(() -> cluster.start("late", sleepy())).isInstanceOf(RunFailed.class);
  }

  @Test
  void freePortsDiffer() throws IOException {
    assertThat(LocalCluster.freeUdpPorts(4)).doesNotHaveDuplicates().allMatch(port -> port > 0);
  }

  /** Ctrl-C and SIGTERM run the shutdown hook: the child is stopped, the folder deleted. */
  @Test
  void sigtermOnTheBenchStopsItsChildren() throws Exception {
    Holder holder = Holder.start();
    try {
      holder.process.requestStop();
      assertThat(holder.process.awaitExit(WAIT)).isPresent();
      assertThat(Processes.awaitGone(holder.childPid, WAIT)).isTrue();
      assertThat(holder.directory).doesNotExist();
    } finally {
      holder.kill();
    }
  }

  /** SIGKILL gives the bench no chance: the children notice their parent is gone and exit. */
  @Test
  void childrenExitWhenTheBenchIsKilled() throws Exception {
    Holder holder = Holder.start();
    try {
      holder.process.kill();
      assertThat(holder.process.awaitExit(WAIT)).isPresent();
      assertThat(Processes.awaitGone(holder.childPid, WAIT)).isTrue();
    } finally {
      holder.kill();
      Processes.deleteTree(holder.directory); // SIGKILL left the folder: no hook ran
    }
  }

  /** A {@link ClusterHolder} process, its sleepy child's pid and its folder. */
  private record Holder(ChildProcess process, long childPid, Path directory) {
    static Holder start() throws Exception {
      List<String> command = JavaCommand.main(ClusterHolder.class.getName(), List.of());
      ChildProcess process = ChildProcess.start("holder", command);
      try {
        Instant deadline = Instant.now().plus(WAIT);
        String child = process.awaitLine(line -> line.startsWith("child "), deadline).orElseThrow();
        String dir = process.awaitLine(line -> line.startsWith("dir "), deadline).orElseThrow();
        return new Holder(process, Long.parseLong(child.substring(6)), Path.of(dir.substring(4)));
      } catch (RuntimeException | InterruptedException e) {
        process.kill();
        throw e;
      }
    }

    /** Whatever happened in the test, leaves no process behind. */
    void kill() throws InterruptedException {
      process.kill();
      process.awaitExit(WAIT);
      ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
