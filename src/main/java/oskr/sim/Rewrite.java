package oskr.sim;

import java.util.SplittableRandom;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.protocol.Frames;
import oskr.protocol.Protocol;

/**
 * Changes packets in flight: a forging network or a Byzantine sender. Works on frames ({@link
 * #frames}) or on decoded messages ({@link #messages}, which re-encodes what the function returns
 * and leaves undecodable frames alone). Counts the packets it changed.
 */
public final class Rewrite implements Filter {
  /** Returns the frame to deliver: {@code packet.frame()} itself to leave it unchanged. */
  @FunctionalInterface
  public interface FrameRewriter {
    Bytes rewrite(Packet packet, SplittableRandom random);
  }

  /** Returns the message to deliver: {@code message} itself to leave it unchanged. */
  @FunctionalInterface
  public interface MessageRewriter<M> {
    M rewrite(Packet packet, M message, SplittableRandom random);
  }

  private final String name;
  private final FrameRewriter rewriter;
  private long rewritten;

  private Rewrite(String name, FrameRewriter rewriter) {
    this.name = name;
    this.rewriter = rewriter;
  }

  /**
   * @param name shown in the trace
   */
  public static Rewrite frames(String name, FrameRewriter rewriter) {
    return new Rewrite(name, rewriter);
  }

  /**
   * @param name shown in the trace
   */
  public static <M> Rewrite messages(
      String name, Protocol<M> protocol, MessageRewriter<M> rewriter) {
    return new Rewrite(
        name, (packet, random) -> rewriteMessage(protocol, rewriter, packet, random));
  }

  private static <M> Bytes rewriteMessage(
      Protocol<M> protocol, MessageRewriter<M> rewriter, Packet packet, SplittableRandom random) {
    Bytes frame = packet.frame();
    M message;
    try {
      message = Frames.decode(protocol, frame.unsafeArray(), 0, frame.length());
    } catch (MalformedMessage e) {
      return frame;
    }
    M changed = rewriter.rewrite(packet, message, random);
    if (changed == message || changed.equals(message)) return frame;
    Writer out = new Writer(frame.length() + 64);
    Frames.encode(protocol, changed, out);
    return out.toBytes();
  }

  @Override
  public void apply(Packet packet, Outlet out) {
    Bytes frame = rewriter.rewrite(packet, out.random());
    if (frame.equals(packet.frame())) {
      out.pass(packet);
      return;
    }
    rewritten++;
    out.pass(packet.withFrame(frame));
  }

  /** Packets changed so far. */
  public long rewritten() {
    return rewritten;
  }

  @Override
  public String toString() {
    return "Rewrite(" + name + ")";
  }
}
