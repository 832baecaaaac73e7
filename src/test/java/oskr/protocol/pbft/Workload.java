package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oskr.core.Bytes;

/** Closed-loop clients over a {@link Net}, and the checks every scenario ends with. */
final class Workload {
  private final Net net;
  private final List<Net.Endpoint> clients = new ArrayList<>();
  private final long[] completed;
  private final long opsPerClient;
  private final List<Set<Bytes>> results = new ArrayList<>();

  Workload(Net net, int clientCount, long opsPerClient) {
    this.net = net;
    this.opsPerClient = opsPerClient;
    this.completed = new long[clientCount];
    for (int c = 0; c < clientCount; c++) {
      int client = c;
      results.add(new HashSet<>());
      Net.Endpoint endpoint = net.addClient(1000 + c, result -> onResult(client, result));
      clients.add(endpoint);
    }
  }

  void start() {
    for (int c = 0; c < clients.size(); c++) invokeNext(c);
  }

  private void onResult(int client, Bytes result) {
    assertThat(results.get(client).add(result)).as("a result delivered twice").isTrue();
    completed[client]++;
    if (completed[client] < opsPerClient) invokeNext(client);
  }

  private void invokeNext(int client) {
    Bytes op = Bytes.utf8("c" + client + "-" + (completed[client] + 1));
    net.client(clients.get(client)).invoke(op);
  }

  long completed() {
    long total = 0;
    for (long each : completed) total += each;
    return total;
  }

  boolean done() {
    return completed() == opsPerClient * clients.size();
  }

  Net.Endpoint client(int index) {
    return clients.get(index);
  }

  /**
   * Agreement: the executed histories of the given (correct) replicas are identical where they
   * overlap (a replica that installed a snapshot starts its history later), and no operation
   * executed twice anywhere.
   */
  static void checkAgreement(Net net, int... correct) {
    for (int a : correct) {
      LogApp first = net.apps.get(a);
      assertThat(new HashSet<>(first.history()))
          .as("r%d executed an op twice", a)
          .hasSize(first.history().size());
      for (int b : correct) {
        LogApp second = net.apps.get(b);
        long from = Math.max(first.offset(), second.offset());
        long to = Math.min(first.count(), second.count());
        for (long op = from; op < to; op++) {
          assertThat(first.history().get((int) (op - first.offset())))
              .as("op %d at r%d and r%d", op + 1, a, b)
              .isEqualTo(second.history().get((int) (op - second.offset())));
        }
      }
    }
  }
}
