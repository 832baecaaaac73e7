package oskr.protocol;

import oskr.core.Bytes;

/** Where a client delivers the accepted result of its outstanding operation. */
@FunctionalInterface
public interface Results {
  /**
   * The operation completed with {@code result}: the protocol accepted it (f+1 matching replies, a
   * fast-path quorum, a commit certificate), never a result it might still take back.
   */
  void complete(Bytes result, Completion completion);
}
