package oskr.bench;

import java.util.List;
import oskr.core.Bytes;

/**
 * What the closed-loop clients send: each client's next op, and what its result means. Each client
 * calls only with its own index, always from the same thread; different clients may call from
 * different threads at once.
 */
public interface OpStream {
  /** The names of the op kinds, in the order {@link Result#kind()} indexes them; may be empty. */
  List<String> kinds();

  /** Client {@code client}'s next op. */
  Bytes next(int client);

  /** Client {@code client}'s last op completed with {@code result}: its kind and whether it did. */
  Result completed(int client, Bytes result);

  /** Whether client {@code client} has no more ops to send (a load phase ends). */
  boolean finished(int client);

  /** The kind of a completed op (an index into {@link #kinds()}, or -1) and its success. */
  record Result(int kind, boolean succeeded) {
    public static final Result UNCLASSIFIED = new Result(-1, true);
  }

  /** Every client sends {@code op}, forever: the 0/0 benchmark and {@code --request-size}. */
  static OpStream constant(Bytes op) {
    return new OpStream() {
      @Override
      public List<String> kinds() {
        return List.of();
      }

      @Override
      public Bytes next(int client) {
        return op;
      }

      @Override
      public Result completed(int client, Bytes result) {
        return Result.UNCLASSIFIED;
      }

      @Override
      public boolean finished(int client) {
        return false;
      }
    };
  }
}
