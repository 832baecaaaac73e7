package oskr.protocol;

/** A replica of a protocol. Observability hooks let tests and the runtime see inside. */
public interface Replica<M> extends Node<M> {
  /** Why this replica dropped messages, and how many of each. */
  Drops drops();
}
