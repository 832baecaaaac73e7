package oskr.sim.dst;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.pbft.Pbft;
import oskr.protocol.unreplicated.Unreplicated;

/**
 * Every protocol deterministic simulation testing runs, with its fault model: a protocol joins with
 * one line here, and counts as done only once it passes ({@code DstSuiteTest} runs a fixed seed
 * budget of each in the test suite).
 */
public final class DstTargets {
  private DstTargets() {}

  /**
   * Unreplicated tolerates no server fault: its server may only pause (a crash that keeps its
   * state), and no replica is Byzantine.
   */
  public static final List<DstTarget<?>> ALL =
      List.of(
          DstTarget.of(Unreplicated.PLAIN, FaultModel.crash(0, false)),
          DstTarget.of(Unreplicated.SIGNED, FaultModel.crash(0, false)),
          // PBFT: one Byzantine (or amnesiac) replica of four; Ed25519 keeps the seeds quick.
          DstTarget.of(Pbft.INSTANCE, FaultModel.byzantine(1, true))
              .withAdapter(PbftAdapter.INSTANCE)
              .withOptions(
                  Options.defaults()
                      .withScheme(Scheme.ED25519)
                      .withBatchSizeMax(4)
                      .withCheckpoints(8, 16))
              .withLivenessBound(Duration.ofSeconds(30)),
          // PBFT with MAC authenticators (TOCS §5): the view change decides from claims.
          DstTarget.of(Pbft.INSTANCE, FaultModel.byzantine(1, true))
              .named("pbft-hmac")
              .withAdapter(PbftAdapter.INSTANCE)
              .withOptions(
                  Options.defaults().withScheme(Scheme.HMAC).withBatchSizeMax(4).withCheckpoints(8, 16))
              .withLivenessBound(Duration.ofSeconds(30)));

  public static List<String> names() {
    return ALL.stream().map(DstTarget::name).toList();
  }

  public static Optional<DstTarget<?>> find(String name) {
    return ALL.stream().filter(target -> target.name().equals(name)).findFirst();
  }
}
