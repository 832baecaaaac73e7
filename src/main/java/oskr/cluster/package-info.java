/**
 * Real clusters: checking what clients of replicas on separate hosts observed ({@code oskr bench
 * --hosts} itself, its hosts file and ssh launcher, live in oskr.cli, which this package uses).
 *
 * <ul>
 *   <li>{@link oskr.cluster.KvHistoryClient}: closed-loop KV clients that record every operation's
 *       invocation, completion and result, for the simulator's linearizability checker ({@link
 *       oskr.cluster.History} reads the record and checks it, with no acknowledged write lost).
 * </ul>
 *
 * <p>Not deterministic and not part of a protocol: this package runs processes and reads clocks.
 */
package oskr.cluster;
