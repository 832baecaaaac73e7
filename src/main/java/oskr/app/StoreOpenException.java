package oskr.app;

/**
 * A durable store could not open its path (missing directory, not a store, locked, no permission):
 * the message is one line naming the path, for the operator; no stack trace.
 */
public final class StoreOpenException extends Exception {
  public StoreOpenException(String message) {
    super(message, null, false, false);
  }
}
