package oskr.protocol.vr;

import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;

/**
 * A test app whose state is a hash chain over every executed op and its op number: two replicas
 * hold equal chains only if they executed the same ops at the same numbers, also across snapshots
 * (the chain travels in them). Results name the op number. Optional ballast makes snapshots of
 * several chunks.
 */
final class ChainApp implements App {
  private final Sha256 sha256 = new Sha256();
  private final int ballastBytes;
  private long count;
  private long lastOp;
  private Bytes chain = Bytes.copyOf(new byte[32]);

  ChainApp() {
    this(0);
  }

  ChainApp(int ballastBytes) {
    this.ballastBytes = ballastBytes;
  }

  @Override
  public Bytes execute(long opNumber, Bytes op) {
    if (opNumber <= lastOp) throw new AssertionError("op " + opNumber + " after " + lastOp);
    lastOp = opNumber;
    count++;
    Writer material = new Writer(48 + op.length());
    material.raw(chain.unsafeArray(), 0, 32).u64(opNumber).bytes(op);
    chain = Bytes.copyOf(sha256.digest(material.buffer(), 0, material.position()).toArray());
    return Bytes.utf8(opNumber + ":" + op.utf8String());
  }

  @Override
  public Snapshot snapshot() {
    Writer out = new Writer(64 + ballastBytes);
    out.u64(count).u64(lastOp).raw(chain.unsafeArray(), 0, 32).u32(ballastBytes);
    out.raw(new byte[ballastBytes], 0, ballastBytes);
    return Snapshot.of(out.toBytes());
  }

  @Override
  public SnapshotSink snapshotSink() {
    return SnapshotSink.collecting(52 + ballastBytes, this::restore);
  }

  private void restore(Bytes bytes) {
    try {
      Reader in = new Reader(bytes.unsafeArray());
      long restoredCount = in.u64();
      long restoredLastOp = in.u64();
      Bytes restoredChain = Bytes.copyOf(bytes.unsafeArray(), in.position(), 32);
      in = new Reader(bytes.unsafeArray(), in.position() + 32, bytes.length() - in.position() - 32);
      int ballast = in.u32();
      if (ballast != ballastBytes) throw new IllegalArgumentException("another ballast");
      count = restoredCount;
      lastOp = restoredLastOp;
      chain = restoredChain;
    } catch (MalformedMessage e) {
      throw new IllegalArgumentException("not a chain snapshot", e);
    }
  }

  long count() {
    return count;
  }

  long lastOp() {
    return lastOp;
  }

  Bytes chain() {
    return chain;
  }
}
