package oskr.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.protocol.Frames;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

/**
 * The cost of the wire format: framing, encoding and decoding an Unreplicated request and reply,
 * as the runtime does per message. Encoding reuses one {@link Writer} per thread, as the stage
 * does; decoding copies the op out of the frame, as every decoder must.
 *
 * <p>Run: {@code java -cp target/oskr.jar org.openjdk.jmh.Main CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
  /** The size of the op in the request and of the result in the reply. */
  @Param({"0", "64"})
  public int opBytes;

  private final Writer writer = new Writer(1024);
  private Request request;
  private Reply reply;
  private byte[] requestFrame;
  private byte[] replyFrame;

  @Setup
  public void setUp() {
    byte[] op = new byte[opBytes];
    for (int i = 0; i < opBytes; i++) op[i] = (byte) i;
    request = new Request(0x1234_5678_9abcL, 42, Bytes.copyOf(op));
    reply = new Reply(0x1234_5678_9abcL, 42, Bytes.copyOf(op), Bytes.EMPTY);
    requestFrame = frame(request);
    replyFrame = frame(reply);
  }

  private static byte[] frame(UnreplicatedMessage message) {
    Writer out = new Writer();
    Frames.encode(Unreplicated.PLAIN, message, out);
    return out.toArray();
  }

  @Benchmark
  public int encodeRequest() {
    Frames.encode(Unreplicated.PLAIN, request, writer.reset());
    return writer.position();
  }

  @Benchmark
  public int encodeReply() {
    Frames.encode(Unreplicated.PLAIN, reply, writer.reset());
    return writer.position();
  }

  @Benchmark
  public UnreplicatedMessage decodeRequest() throws MalformedMessage {
    return Frames.decode(Unreplicated.PLAIN, requestFrame, 0, requestFrame.length);
  }

  @Benchmark
  public UnreplicatedMessage decodeReply() throws MalformedMessage {
    return Frames.decode(Unreplicated.PLAIN, replyFrame, 0, replyFrame.length);
  }
}
