package oskr.runtime;

/**
 * How a node runs on real threads and sockets.
 *
 * @param workers stateless worker threads (signing, verifying, digesting, decoding), {@code -w}
 * @param dropRate the fraction of received datagrams dropped on purpose, for experiments
 */
public record RuntimeOptions(int workers, double dropRate) {
  public RuntimeOptions {
    if (workers < 1 || workers > 256) throw new IllegalArgumentException("workers must be 1..256");
    if (!(dropRate >= 0 && dropRate < 1)) throw new IllegalArgumentException("drop rate must be in [0, 1)");
  }

  public static RuntimeOptions defaults() {
    return new RuntimeOptions(1, 0);
  }
}
