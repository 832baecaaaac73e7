package oskr.app;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The result of a {@link KvOp} as executed by {@link KvStore}, with its canonical encoding: a tag
 * byte then the fields. A value that is absent is not encoded at all, so each result has exactly
 * one encoding.
 *
 * <pre>
 *   GetResult    = 1 bool:found [value]
 *   PutResult    = 2 bool:replaced [previous]
 *   DeleteResult = 3 bool:existed
 *   ScanResult   = 4 bool:truncated u32:count (key value)*count   (keys strictly increasing)
 *   StoreFull    = 5      (a Put refused: the store would exceed its capacity)
 *   BadOp        = 6      (the op bytes did not decode)
 * </pre>
 *
 * <p>A Put returns the previous value rather than a bare acknowledgement: it costs one lookup and
 * makes every write observable, which lets the linearizability checker order writes.
 */
public sealed interface KvResult {
  /** Every encoded result fits this budget; a Scan stops early (truncated) to stay within it. */
  int RESULT_MAX = Limits.OP_MAX;

  /** The encoded size of a ScanResult with no pairs. */
  int SCAN_HEADER_BYTES = 1 + 1 + 4;

  /** The encoded size one pair adds to a ScanResult. */
  static int scanPairBytes(Bytes key, Bytes value) {
    return 4 + key.length() + 4 + value.length();
  }

  /** A Get's answer: {@code value} is empty when not found. */
  record GetResult(boolean found, Bytes value) implements KvResult {
    static final int TAG = 1;

    public GetResult {
      if (!found && value.length() > 0) throw new IllegalArgumentException("absent with value");
    }

    public static GetResult absent() {
      return new GetResult(false, Bytes.EMPTY);
    }

    public static GetResult of(Bytes value) {
      return new GetResult(true, value);
    }
  }

  /** A Put's answer: the value it replaced, if any ({@code previous} is empty otherwise). */
  record PutResult(boolean replaced, Bytes previous) implements KvResult {
    static final int TAG = 2;

    public PutResult {
      if (!replaced && previous.length() > 0) {
        throw new IllegalArgumentException("absent with value");
      }
    }

    public static PutResult inserted() {
      return new PutResult(false, Bytes.EMPTY);
    }

    public static PutResult replacing(Bytes previous) {
      return new PutResult(true, previous);
    }
  }

  /** A Delete's answer: whether the key was present. */
  record DeleteResult(boolean existed) implements KvResult {
    static final int TAG = 3;
  }

  /** One key and its value in a ScanResult. */
  record Pair(Bytes key, Bytes value) {}

  /**
   * A Scan's answer: the pairs in strictly increasing key order. {@code truncated} means the scan
   * stopped before its limit and before the end of its range because the next pair would have
   * pushed the result over {@link #RESULT_MAX}; the client may continue after the last key.
   */
  record ScanResult(List<Pair> pairs, boolean truncated) implements KvResult {
    static final int TAG = 4;

    public ScanResult {
      pairs = List.copyOf(pairs);
    }
  }

  /** A Put refused because the store would exceed its capacity; the store is unchanged. */
  record StoreFull() implements KvResult {
    static final int TAG = 5;
  }

  /** The op bytes were malformed; the store is unchanged. Distinct from every real answer. */
  record BadOp() implements KvResult {
    static final int TAG = 6;
  }

  /** The canonical encoding. */
  default Bytes encode() {
    Writer out = new Writer(64);
    switch (this) {
      case GetResult get -> optional(out.u8(GetResult.TAG), get.found(), get.value());
      case PutResult put -> optional(out.u8(PutResult.TAG), put.replaced(), put.previous());
      case DeleteResult delete -> out.u8(DeleteResult.TAG).bool(delete.existed());
      case ScanResult scan -> {
        out.u8(ScanResult.TAG).bool(scan.truncated()).u32(scan.pairs().size());
        for (Pair pair : scan.pairs()) out.bytes(pair.key()).bytes(pair.value());
      }
      case StoreFull _ -> out.u8(StoreFull.TAG);
      case BadOp _ -> out.u8(BadOp.TAG);
    }
    return out.toBytes();
  }

  private static void optional(Writer out, boolean present, Bytes value) {
    out.bool(present);
    if (present) out.bytes(value);
  }

  /** Decodes a canonical encoding (the client side); anything else is {@link MalformedMessage}. */
  static KvResult decode(Bytes encoded) throws MalformedMessage {
    if (encoded.length() > RESULT_MAX) throw MalformedMessage.of("KvResult.length");
    Reader in = new Reader(encoded.unsafeArray());
    KvResult result =
        switch (in.u8()) {
          case GetResult.TAG -> {
            boolean found = in.bool();
            yield new GetResult(found, found ? in.bytes(KvOp.VALUE_MAX) : Bytes.EMPTY);
          }
          case PutResult.TAG -> {
            boolean replaced = in.bool();
            yield new PutResult(replaced, replaced ? in.bytes(KvOp.VALUE_MAX) : Bytes.EMPTY);
          }
          case DeleteResult.TAG -> new DeleteResult(in.bool());
          case ScanResult.TAG -> decodeScan(in);
          case StoreFull.TAG -> new StoreFull();
          case BadOp.TAG -> new BadOp();
          default -> throw MalformedMessage.of("KvResult.tag");
        };
    in.end();
    return result;
  }

  private static ScanResult decodeScan(Reader in) throws MalformedMessage {
    boolean truncated = in.bool();
    // Each pair takes at least 8 bytes, so the count is bounded before anything is allocated.
    int count = in.count(Math.min(KvOp.SCAN_LIMIT_MAX, in.remaining() / 8));
    List<Pair> pairs = new ArrayList<>(count);
    Bytes previousKey = null;
    for (int i = 0; i < count; i++) {
      Bytes key = in.bytes(KvOp.KEY_MAX);
      if (previousKey != null && previousKey.compareTo(key) >= 0) {
        throw MalformedMessage.of("ScanResult.order");
      }
      pairs.add(new Pair(key, in.bytes(KvOp.VALUE_MAX)));
      previousKey = key;
    }
    return new ScanResult(pairs, truncated);
  }

  /**
   * Decodes a result and checks that it is of a kind the store returns for {@code op}: BadOp never
   * answers an op that decodes, so it is rejected here too.
   */
  static KvResult decodeFor(KvOp op, Bytes encoded) throws MalformedMessage {
    KvResult result = decode(encoded);
    if (!canAnswer(op, result)) throw MalformedMessage.of("KvResult.kind");
    return result;
  }

  /** Whether {@code result} is of a kind the store may return for {@code op}. */
  static boolean canAnswer(KvOp op, KvResult result) {
    return switch (op) {
      case KvOp.Get _ -> result instanceof GetResult;
      case KvOp.Put _ -> result instanceof PutResult || result instanceof StoreFull;
      case KvOp.Delete _ -> result instanceof DeleteResult;
      case KvOp.Scan scan -> result instanceof ScanResult s && s.pairs().size() <= scan.limit();
    };
  }
}
