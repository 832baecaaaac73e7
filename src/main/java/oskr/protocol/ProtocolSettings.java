package oskr.protocol;

/**
 * A protocol's own settings, carried by {@link Options#settings()}: each protocol that has knobs of
 * its own (PBFT's checkpoint interval, a view-change timeout) declares one immutable record
 * implementing this, with its defaults, in its package. Settings shared by every protocol stay in
 * {@link Options}, so no protocol's knobs grow a record every other protocol carries.
 */
public interface ProtocolSettings {
  /** No protocol-specific settings given: the protocol uses its own defaults. */
  record Defaults() implements ProtocolSettings {}

  ProtocolSettings DEFAULTS = new Defaults();
}
