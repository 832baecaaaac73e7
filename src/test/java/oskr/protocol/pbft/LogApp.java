package oskr.protocol.pbft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;

/**
 * A test app whose state is the count of executed operations and a hash chain over them; it also
 * records the executed operations (not part of the state) so tests can compare histories.
 */
final class LogApp implements App {
  private long count;
  private Bytes chain = Bytes.copyOf(new byte[32]);
  private final Sha256 sha256 = new Sha256();

  /** Operations executed here, the first one being operation number {@code offset + 1}. */
  private final List<Bytes> history = new ArrayList<>();

  private long offset;
  private final boolean keepHistory;

  /** Bytes of filler in every snapshot, to make states that take several chunks to transfer. */
  private final int ballastBytes;

  LogApp(boolean keepHistory) {
    this(keepHistory, 0);
  }

  LogApp(boolean keepHistory, int ballastBytes) {
    this.keepHistory = keepHistory;
    this.ballastBytes = ballastBytes;
  }

  @Override
  public Bytes execute(long opNumber, Bytes op) {
    if (opNumber != count + 1) throw new AssertionError("op " + opNumber + " after " + count);
    count++;
    byte[] material = new byte[32 + op.length()];
    chain.copyTo(material, 0);
    op.copyTo(material, 32);
    chain = Bytes.adopt(sha256.digest(material, 0, material.length).toArray());
    if (keepHistory) history.add(op);
    return Bytes.adopt(("r" + opNumber).getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public Snapshot snapshot() {
    return Snapshot.of(snapshotBytes());
  }

  private Bytes snapshotBytes() {
    Writer out = new Writer(48 + ballastBytes);
    out.u64(count).raw(chain.unsafeArray(), 0, 32);
    for (int i = 0; i < ballastBytes; i++) out.u8(chain.get(i % 32) & 0xff);
    return out.toBytes();
  }

  @Override
  public SnapshotSink snapshotSink() {
    return SnapshotSink.collecting(48 + ballastBytes, this::restoreFrom);
  }

  private void restoreFrom(Bytes snapshot) {
    Reader in = new Reader(snapshot.unsafeArray());
    try {
      long restoredCount = in.u64();
      byte[] restoredChain = new byte[32];
      for (int i = 0; i < 32; i++) restoredChain[i] = (byte) in.u8();
      for (int i = 0; i < ballastBytes; i++) {
        if (in.u8() != (restoredChain[i % 32] & 0xff))
          throw new IllegalArgumentException("ballast");
      }
      in.end();
      count = restoredCount;
      chain = Bytes.adopt(restoredChain);
    } catch (oskr.core.MalformedMessage e) {
      throw new IllegalArgumentException("not a LogApp snapshot", e);
    }
    history.clear();
    offset = count;
  }

  long count() {
    return count;
  }

  Bytes chain() {
    return chain;
  }

  long offset() {
    return offset;
  }

  List<Bytes> history() {
    return history;
  }
}
