package oskr.sim;

import java.util.SplittableRandom;
import oskr.app.ycsb.ClientStream;
import oskr.app.ycsb.CoreWorkload;
import oskr.core.Bytes;

/**
 * YCSB for simulated clients: each client's first ops are its share of the load, then the run's.
 */
final class LoadThenRun implements OpSource {
  private final ClientStream[] streams;

  LoadThenRun(CoreWorkload workload, int clients) {
    streams = new ClientStream[clients];
    for (int client = 0; client < clients; client++) {
      streams[client] = workload.stream(client, clients);
    }
  }

  /** The most load inserts one client makes. */
  long loadOpsPerClient() {
    long most = 0;
    for (ClientStream stream : streams) most = Math.max(most, stream.loadCount());
    return most;
  }

  @Override
  public Bytes op(int client, long number, SplittableRandom random) {
    ClientStream stream = streams[client];
    return (stream.loadDone() ? stream.nextRun() : stream.nextLoad()).encode();
  }
}
