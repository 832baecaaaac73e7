/**
 * Real clusters: replicas and clients on separate hosts.
 *
 * <ul>
 *   <li>{@link oskr.cluster.HostsFile}: the hosts of {@code oskr bench --hosts FILE}, which run
 *       replicas and which run clients, with the user and working directory on each.
 *   <li>{@link oskr.cluster.Ssh}: the system's OpenSSH client ({@code ssh}, {@code scp}) as the
 *       launcher, so that a cluster needs nothing but sshd and a JDK on each host.
 *   <li>{@link oskr.cluster.KvHistoryClient}: closed-loop KV clients that record every operation's
 *       invocation, completion and result, for the simulator's linearizability checker ({@link
 *       oskr.cluster.History} reads the record and checks it, with no acknowledged write lost).
 * </ul>
 *
 * <p>Not deterministic and not part of a protocol: this package runs processes and reads clocks.
 */
package oskr.cluster;
