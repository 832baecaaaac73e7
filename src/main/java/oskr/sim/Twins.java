package oskr.sim;

import java.util.Set;
import java.util.TreeMap;
import oskr.core.Address;

/**
 * Twins (Bano et al., "Twins: BFT Systems Made Robust", OPODIS 2021): a replica run twice, both
 * instances with its keys and address. The second instance talks only with its side: it receives
 * what they send to the address, and its sends reach only them ({@link SimNode#confineTo}); the
 * first instance keeps talking with everyone else. Together they are one Byzantine replica that
 * equivocates with correct code: every vote it casts twice is a double vote no filter had to
 * invent.
 */
final class Twins<M> {
  private record Twin<M>(SimNode<M> node, Set<Address> side) {}

  /** Per twinned replica's address; looked up, never iterated. */
  private final TreeMap<Address, Twin<M>> byAddress = new TreeMap<>();

  /**
   * Pairs {@code original} with {@code twin}, which talks with {@code side} from now on.
   *
   * @throws IllegalArgumentException if the replica has a twin already or {@code side} names it
   */
  void pair(SimNode<M> original, SimNode<M> twin, Set<Address> side) {
    Address address = original.address();
    if (byAddress.containsKey(address)) throw new IllegalArgumentException(address + " has a twin");
    if (side.contains(address)) throw new IllegalArgumentException("a twin reaching itself");
    Set<Address> reaches = Set.copyOf(side);
    twin.confineTo(reaches::contains);
    original.confineTo(to -> !reaches.contains(to));
    byAddress.put(address, new Twin<>(twin, reaches));
  }

  /** The twin a packet from {@code from} to {@code to} arrives at, or null: the original. */
  SimNode<M> receiver(Address from, Address to) {
    Twin<M> twin = byAddress.get(to);
    return twin != null && twin.side().contains(from) ? twin.node() : null;
  }
}
