package oskr.sim;

import oskr.core.Address;
import oskr.core.Bytes;

/**
 * One copy of a frame on its way through the simulated network. Filters pass it on changed
 * (delayed, rewritten), pass copies of it, or drop it.
 *
 * @param id the send it came from; duplicates share it
 * @param frame the encoded frame as {@link oskr.protocol.Frames} wrote it
 * @param delayNanos extra delay filters added so far, on top of the network's base latency
 */
public record Packet(long id, Address from, Address to, Bytes frame, long delayNanos) {
  public Packet {
    if (delayNanos < 0) throw new IllegalArgumentException("negative delay");
  }

  public Packet delayedBy(long nanos) {
    return new Packet(id, from, to, frame, Math.addExact(delayNanos, nanos));
  }

  public Packet withFrame(Bytes newFrame) {
    return new Packet(id, from, to, newFrame, delayNanos);
  }
}
