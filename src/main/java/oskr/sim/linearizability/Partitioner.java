package oskr.sim.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import oskr.app.KvOp;
import oskr.core.Bytes;

/**
 * Splits a KV history into independent sub-histories (P-compositionality, Horn and Kroening 2015):
 * every key is an object, a point operation touches one key, a Scan touches every key of its range.
 * Operations that touch a common key, directly or through a chain, land in one partition
 * (union-find over keys and operations). No operation reads or writes a key of another partition,
 * so the history is linearizable exactly when every partition is (Herlihy and Wing's locality, with
 * each partition as one composite object).
 *
 * <p>Only keys that some point operation names can ever be present (the history starts from an
 * empty store), so a Scan joins the keys of its range that appear in the history; the partition
 * model holds all of them and sees the others as absent. A Scan over a range without such keys
 * forms its own partition, where it must return nothing.
 *
 * <p>Timed-out operations that cannot change the verdict are dropped first ({@link Relevance}), so
 * their keys join nothing.
 */
final class Partitioner {
  private Partitioner() {}

  /** A set of operations (indexes into the history, ascending) and the keys they touch. */
  record Partition(Bytes[] keys, int[] operations) {}

  static List<Partition> partition(List<Operation> history) {
    List<Integer> relevant = new ArrayList<>();
    TreeSet<Bytes> keySet = new TreeSet<>();
    Relevance relevance = new Relevance(history);
    for (int i = 0; i < history.size(); i++) {
      Operation operation = history.get(i);
      if (!relevance.matters(operation)) continue;
      relevant.add(i);
      Bytes key = pointKey(operation.op());
      if (key != null) keySet.add(key);
    }
    Bytes[] keys = keySet.toArray(new Bytes[0]);
    Map<Bytes, Integer> keyIndex = new HashMap<>();
    for (int k = 0; k < keys.length; k++) keyIndex.put(keys[k], k);

    UnionFind sets = new UnionFind(keys.length + relevant.size());
    // adjacentJoined[k] counts scans covering both key k and key k + 1 (a difference array), so
    // joining a range costs O(1) per scan instead of O(range).
    int[] adjacentJoined = new int[keys.length + 1];
    for (int r = 0; r < relevant.size(); r++) {
      int node = keys.length + r;
      KvOp op = history.get(relevant.get(r)).op();
      if (op instanceof KvOp.Scan scan) {
        int from = lowerBound(keys, scan.fromKey());
        int to = rangeEnd(keys, scan, from);
        if (from < to) {
          sets.union(node, from);
          adjacentJoined[from]++;
          adjacentJoined[to - 1]--;
        }
      } else {
        sets.union(node, keyIndex.get(pointKey(op)));
      }
    }
    int covering = 0;
    for (int k = 0; k + 1 < keys.length; k++) {
      covering += adjacentJoined[k];
      if (covering > 0) sets.union(k, k + 1);
    }
    return group(keys, relevant, sets);
  }

  private static List<Partition> group(Bytes[] keys, List<Integer> relevant, UnionFind sets) {
    int nodes = keys.length + relevant.size();
    int[] partitionOfRoot = new int[nodes];
    Arrays.fill(partitionOfRoot, -1);
    List<List<Integer>> operations = new ArrayList<>();
    for (int r = 0; r < relevant.size(); r++) {
      int root = sets.find(keys.length + r);
      if (partitionOfRoot[root] < 0) {
        partitionOfRoot[root] = operations.size();
        operations.add(new ArrayList<>());
      }
      operations.get(partitionOfRoot[root]).add(relevant.get(r));
    }
    List<List<Bytes>> partitionKeys = new ArrayList<>();
    for (int p = 0; p < operations.size(); p++) partitionKeys.add(new ArrayList<>());
    for (int k = 0; k < keys.length; k++) {
      partitionKeys.get(partitionOfRoot[sets.find(k)]).add(keys[k]); // ascending: keys are sorted
    }
    List<Partition> partitions = new ArrayList<>();
    for (int p = 0; p < operations.size(); p++) {
      int[] ops = operations.get(p).stream().mapToInt(Integer::intValue).toArray();
      partitions.add(new Partition(partitionKeys.get(p).toArray(new Bytes[0]), ops));
    }
    return partitions;
  }

  /** The key a Get, Put or Delete names; null for a Scan. */
  static Bytes pointKey(KvOp op) {
    return switch (op) {
      case KvOp.Get get -> get.key();
      case KvOp.Put put -> put.key();
      case KvOp.Delete delete -> delete.key();
      case KvOp.Scan _ -> null;
    };
  }

  /** The first index of sorted {@code keys} whose key is at least {@code key}. */
  static int lowerBound(Bytes[] keys, Bytes key) {
    int low = 0;
    int high = keys.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (keys[middle].compareTo(key) < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** The end (exclusive) of a scan's range in sorted {@code keys}, given its start {@code from}. */
  static int rangeEnd(Bytes[] keys, KvOp.Scan scan, int from) {
    if (scan.unbounded()) return keys.length;
    return Math.max(from, lowerBound(keys, scan.toKey()));
  }

  /** Disjoint sets with path halving and union by size. */
  private static final class UnionFind {
    private final int[] parent;
    private final int[] size;

    UnionFind(int count) {
      parent = new int[count];
      size = new int[count];
      for (int i = 0; i < count; i++) {
        parent[i] = i;
        size[i] = 1;
      }
    }

    int find(int node) {
      while (parent[node] != node) {
        parent[node] = parent[parent[node]];
        node = parent[node];
      }
      return node;
    }

    void union(int a, int b) {
      int rootA = find(a);
      int rootB = find(b);
      if (rootA == rootB) return;
      if (size[rootA] < size[rootB]) {
        int swap = rootA;
        rootA = rootB;
        rootB = swap;
      }
      parent[rootB] = rootA;
      size[rootA] += size[rootB];
    }
  }
}
