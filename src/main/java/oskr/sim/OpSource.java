package oskr.sim;

import java.util.SplittableRandom;
import oskr.core.Bytes;

/**
 * What the simulated clients invoke. Each op should be unique in the run (a double execution then
 * shows in the replicas' histories), and is drawn only from the random given, which the workload
 * owns: the ops of a seed do not depend on the faults drawn.
 */
public interface OpSource {
  /** {@code c3-17}: client 3's 17th op, for the default numbering app. */
  OpSource NUMBERED = (client, number, random) -> Bytes.utf8("c" + client + "-" + number);

  /**
   * The op client {@code client} invokes as its {@code number}th (from 1).
   *
   * @param random the workload's own generator; draw from it only here
   */
  Bytes op(int client, long number, SplittableRandom random);

  /** How the trace shows an op. */
  default String describeOp(Bytes op) {
    return op.utf8String();
  }

  /** How the trace shows a result a client accepted for {@code op}. */
  default String describeResult(Bytes op, Bytes result) {
    return result.length() <= 64 ? '"' + result.utf8String() + '"' : result.toString();
  }
}
