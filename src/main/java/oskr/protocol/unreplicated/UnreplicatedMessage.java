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
   * REPLY(clientId, requestNumber, result, signature): the signature covers {@link
   * #encodeSigned} and is empty in plain Unreplicated.
   */
  record Reply(long clientId, long requestNumber, Bytes result, Bytes signature)
      implements UnreplicatedMessage {
    static final int TAG = 2;

    public Reply {
      assert requestNumber > 0 : requestNumber;
    }

    /** The canonical bytes a signature covers: everything but the signature. */
    void encodeSigned(Writer out) {
      out.u8(TAG).i64(clientId).u64(requestNumber).bytes(result);
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
      return new Reply(clientId, requestNumber, result, in.bytes(Limits.SIGNATURE_MAX));
    }

    Reply withSignature(Bytes signature) {
      return new Reply(clientId, requestNumber, result, signature);
    }
  }
}
