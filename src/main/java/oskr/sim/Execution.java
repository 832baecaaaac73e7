package oskr.sim;

import oskr.core.Bytes;

/**
 * One operation a replica's app executed, as the recording app wrapper saw it.
 *
 * @param incarnation counts the replica's restarts with lost state; 0 for the first
 * @param timeNanos the virtual time of the execution
 */
public record Execution(
    int replica, int incarnation, long opNumber, Bytes op, Bytes result, long timeNanos) {}
