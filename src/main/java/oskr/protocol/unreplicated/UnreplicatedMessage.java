package oskr.protocol.unreplicated;

import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/** The messages of Unreplicated: a client's request and the server's (optionally signed) reply. */
public sealed interface UnreplicatedMessage {
  /** REQUEST(clientId, requestNumber, op): request numbers start at 1 and grow per client. */
  record Request(long clientId, long requestNumber, Bytes op) implements UnreplicatedMessage {
    static final int TAG = 1;

    public Request {
      assert requestNumber > 0 : requestNumber; // pair: the decoder rejects requestNumber <= 0
    }

    void encode(Writer out) {
      out.u8(TAG).i64(clientId).u64(requestNumber).bytes(op);
    }

    static Request decode(Reader in) throws MalformedMessage {
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Request.requestNumber");
      return new Request(clientId, requestNumber, in.bytes(Limits.OP_MAX));
    }
  }

  /**
   * REPLY(clientId, requestNumber, result, retryFrom, signature): the signature covers {@link
   * #encodeSigned} and is empty in plain Unreplicated. With {@code retryFrom} above 0 it refuses
   * the request instead (no result): the request never executes, and the client sends its operation
   * again numbered {@code retryFrom} or higher (see {@link oskr.protocol.ClientTable}).
   */
  record Reply(long clientId, long requestNumber, Bytes result, long retryFrom, Bytes signature)
      implements UnreplicatedMessage {
    static final int TAG = 2;

    public Reply {
      assert requestNumber > 0 : requestNumber;
      assert retryFrom == 0 || result.length() == 0 : "a refusal with a result";
    }

    /** A reply with a result. */
    public Reply(long clientId, long requestNumber, Bytes result, Bytes signature) {
      this(clientId, requestNumber, result, 0, signature);
    }

    boolean isRefusal() {
      return retryFrom > 0;
    }

    /** The canonical bytes a signature covers: everything but the signature. */
    void encodeSigned(Writer out) {
      out.u8(TAG).i64(clientId).u64(requestNumber).bytes(result).u64(retryFrom);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(signature);
    }

    static Reply decode(Reader in) throws MalformedMessage {
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Reply.requestNumber");
      Bytes result = in.bytes(Limits.OP_MAX);
      long retryFrom = in.u64();
      if (retryFrom != 0 && result.length() != 0) throw MalformedMessage.of("Reply.retryFrom");
      return new Reply(clientId, requestNumber, result, retryFrom, in.bytes(Limits.SIGNATURE_MAX));
    }

    Reply withSignature(Bytes signature) {
      return new Reply(clientId, requestNumber, result, retryFrom, signature);
    }
  }
}
