package oskr.protocol.pbft;

import oskr.core.Bytes;

/**
 * Who a request is from, for at-most-once execution: the client's public key and its id. Requests
 * are authenticated under that key, so no other node can order a request under this identity (not
 * even with a changed request number): a faulty primary or relaying replica cannot make an
 * operation execute twice.
 */
record ClientIdentity(Bytes key, long id) implements Comparable<ClientIdentity> {
  static ClientIdentity of(PbftMessage.Request request) {
    return new ClientIdentity(request.clientKey(), request.clientId());
  }

  @Override
  public int compareTo(ClientIdentity other) {
    int byKey = key.compareTo(other.key);
    return byKey != 0 ? byKey : Long.compare(id, other.id);
  }
}
