package oskr.sim;

import oskr.core.Bytes;

/**
 * Flips one random bit of a packet with probability {@code rate}: the receiver's decoder and verify
 * step must turn every such frame into a counted drop or a valid message, never a crash.
 */
public record Corrupt(double rate) implements Filter {
  public Corrupt {
    Filter.checkRate(rate);
  }

  @Override
  public void apply(Packet packet, Outlet out) {
    Bytes frame = packet.frame();
    if (frame.length() == 0 || !Filter.chance(out.random(), rate)) {
      out.pass(packet);
      return;
    }
    byte[] bytes = frame.toArray();
    int bit = out.random().nextInt(bytes.length * 8);
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    out.pass(packet.withFrame(Bytes.adopt(bytes)));
  }
}
