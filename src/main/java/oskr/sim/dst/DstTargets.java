package oskr.sim.dst;

import java.util.List;
import java.util.Optional;
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
          DstTarget.of(Unreplicated.SIGNED, FaultModel.crash(0, false)));

  public static List<String> names() {
    return ALL.stream().map(DstTarget::name).toList();
  }

  public static Optional<DstTarget<?>> find(String name) {
    return ALL.stream().filter(target -> target.name().equals(name)).findFirst();
  }
}
