package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Scheme;
import oskr.protocol.pbft.Pbft;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.runtime.StageMode;
import picocli.CommandLine;

/** What {@code oskr bench} passes on to its children parses back into the same settings. */
class PassedOnSettingsTest {
  private static <T> T parsed(T command, List<String> args) {
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command;
  }

  @Test
  void replicaSettingsReachTheReplica() {
    BenchCommand bench =
        parsed(
            new BenchCommand(),
            List.of(
                "-m",
                "unreplicated-signed",
                "-w",
                "3",
                "-b",
                "7",
                "-a",
                "kv",
                "--auth",
                "ed25519",
                "--stage",
                "thread"));
    List<String> args = new ArrayList<>(List.of("-m", "unreplicated-signed", "-c", "x", "-i", "0"));
    args.addAll(bench.replica.args(Unreplicated.SIGNED, "null"));
    ReplicaSettings replica = parsed(new ReplicaCommand(), args).settings;
    assertThat(replica.workers).isEqualTo(3);
    assertThat(replica.batchSizeMax).isEqualTo(7);
    assertThat(replica.app).isEqualTo(new Apps.Choice("kv"));
    assertThat(replica.scheme()).isEqualTo(Scheme.ED25519);
    assertThat(replica.stage).isEqualTo(StageMode.THREAD);
  }

  @Test
  void withoutBatchOrAuthAReplicaRunsWhatTheProtocolsPaperEvaluates() {
    ReplicaSettings pbft =
        parsed(new ReplicaCommand(), List.of("-m", "pbft", "-c", "x", "-i", "0")).settings;
    pbft.check(Pbft.INSTANCE);
    assertThat(pbft.batchSizeMax).isEqualTo(100);
    assertThat(pbft.scheme()).isEqualTo(Scheme.HMAC);
    ReplicaSettings signed =
        parsed(new ReplicaCommand(), List.of("-m", "unreplicated-signed", "-c", "x", "-i", "0"))
            .settings;
    signed.check(Unreplicated.SIGNED);
    assertThat(signed.batchSizeMax).isEqualTo(1);
    assertThat(signed.scheme()).isEqualTo(Scheme.SECP256K1);
    assertThat(signed.args(Unreplicated.SIGNED, "null")).containsSequence("--auth", "secp256k1");
    ReplicaSettings plain =
        parsed(new ReplicaCommand(), List.of("-m", "unreplicated", "-c", "x", "-i", "0")).settings;
    plain.check(Unreplicated.PLAIN);
    assertThat(plain.args(Unreplicated.PLAIN, "null")).doesNotContain("--auth");
  }

  @Test
  void loadSettingsReachTheClientWithThreadsCappedPerRun() {
    BenchCommand bench =
        parsed(
            new BenchCommand(),
            List.of(
                "-m",
                "unreplicated",
                "--sweep",
                "2,8",
                "--threads",
                "4",
                "-d",
                "2.5",
                "--warm-up",
                "0",
                "--request-size",
                "9"));
    for (int count : List.of(2, 8)) {
      List<String> args = new ArrayList<>(List.of("-m", "unreplicated", "-c", "x"));
      args.addAll(bench.load.clientArgs(count));
      LoadSettings load = parsed(new ClientCommand(), args).load;
      assertThat(load.clients()).isEqualTo(count);
      assertThat(load.threadsFor(load.clients())).isEqualTo(Math.min(4, count));
      assertThat(load.durationSeconds).isEqualTo(2.5);
      assertThat(load.warmUpSeconds).isZero();
      assertThat(load.fixedWarmUp()).contains(java.time.Duration.ZERO);
      assertThat(load.requestBytes).isEqualTo(9);
    }
  }

  @Test
  void withoutThreadsTheClientChoosesItsDefault() {
    BenchCommand bench = parsed(new BenchCommand(), List.of("-m", "unreplicated", "-t", "5"));
    assertThat(bench.load.clientArgs(5)).doesNotContain("--threads");
    // Nor a warm-up: the client then warms up until throughput is stable.
    assertThat(bench.load.clientArgs(5)).doesNotContain("--warm-up");
    assertThat(bench.load.fixedWarmUp()).isEmpty();
    assertThat(bench.load.threadsFor(1)).isEqualTo(1);
    assertThat(bench.load.threadsFor(5)).isEqualTo(2);
  }
}
