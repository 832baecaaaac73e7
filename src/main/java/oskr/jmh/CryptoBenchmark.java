package oskr.jmh;

import java.util.Random;
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
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.HmacSha256;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.Sha256;
import oskr.core.crypto.Signer;
import oskr.core.crypto.SigningKey;
import oskr.core.crypto.Verifier;
import oskr.protocol.Frames;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

/**
 * One thread's crypto throughput, what bounds a signed protocol per core: sign and verify of a
 * 64-byte message for each scheme, and SHA-256 of one 64-byte message and of a batch of 100
 * encoded requests (about 4 KiB, what a primary digests per batch).
 *
 * <p>Run: {@code java -cp target/oskr.jar org.openjdk.jmh.Main CryptoBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CryptoBenchmark {
  private static final int MESSAGE_BYTES = 64;
  private static final int BATCH_REQUESTS = 100;
  private static final int BATCH_OP_BYTES = 18; // 41-byte frames: 4100 bytes per batch

  private static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A signer and verifier of one scheme, with a valid signature of the message. */
  @State(Scope.Thread)
  public static class Signatures {
    @Param({"secp256k1", "ed25519", "hmac"})
    public String scheme;

    byte[] message;
    Signer signer;
    Verifier verifier;
    Bytes signature;

    @Setup
    public void setUp() {
      message = randomBytes(MESSAGE_BYTES, 1);
      if (scheme.equals("hmac")) {
        byte[] key = randomBytes(32, 2);
        signer = new HmacSha256(key);
        verifier = new HmacSha256(key);
      } else {
        SigningKey key = SigningKey.derive("jmh".getBytes());
        signer = key.signer(Scheme.parse(scheme));
        verifier = key.publicKeys().verifier(Scheme.parse(scheme));
      }
      signature = signer.sign(message, 0, message.length);
      if (!verifier.verify(message, 0, message.length, signature)) {
        throw new IllegalStateException(scheme + " does not verify its own signature");
      }
    }
  }

  /** A 64-byte message and a batch of encoded requests to digest. */
  @State(Scope.Thread)
  public static class Digests {
    final Sha256 sha256 = new Sha256();
    byte[] message;
    byte[] batch;

    @Setup
    public void setUp() {
      message = randomBytes(MESSAGE_BYTES, 3);
      Writer out = new Writer();
      for (int i = 1; i <= BATCH_REQUESTS; i++) {
        Bytes op = Bytes.adopt(randomBytes(BATCH_OP_BYTES, i));
        Frames.encode(Unreplicated.PLAIN, new Request(i, i, op), out);
      }
      batch = out.toArray();
    }
  }

  @Benchmark
  public Bytes sign(Signatures state) {
    return state.signer.sign(state.message, 0, state.message.length);
  }

  @Benchmark
  public boolean verify(Signatures state) {
    return state.verifier.verify(state.message, 0, state.message.length, state.signature);
  }

  @Benchmark
  public Digest sha256Of64Bytes(Digests state) {
    return state.sha256.digest(state.message, 0, state.message.length);
  }

  @Benchmark
  public Digest sha256OfBatchOf100Requests(Digests state) {
    return state.sha256.digest(state.batch, 0, state.batch.length);
  }
}
