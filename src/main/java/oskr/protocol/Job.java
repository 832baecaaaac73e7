package oskr.protocol;

import oskr.core.crypto.Crypto;

/**
 * Stateless work (sign, verify, digest, encode) that the stage may run on any worker thread. Must
 * read only immutable inputs and the worker's own {@link Crypto}; must not touch protocol state.
 */
@FunctionalInterface
public interface Job<R> {
  R run(Crypto crypto);
}
