package oskr.sim;

import java.util.Set;
import java.util.TreeSet;
import oskr.core.Address;

/**
 * Cuts the links between two sets of nodes: packets from {@code sideA} to {@code sideB} are
 * dropped, and, unless {@code oneWay}, those from {@code sideB} to {@code sideA} too. Packets
 * within a side, and to or from nodes in neither set, pass.
 */
public record Partition(Set<Address> sideA, Set<Address> sideB, boolean oneWay) implements Filter {
  public static final String REASON = "partition";

  public Partition {
    sideA = Set.copyOf(sideA);
    sideB = Set.copyOf(sideB);
    for (Address address : sideA) {
      if (sideB.contains(address)) throw new IllegalArgumentException(address + " on both sides");
    }
  }

  public static Partition symmetric(Set<Address> sideA, Set<Address> sideB) {
    return new Partition(sideA, sideB, false);
  }

  /** Only packets from {@code from} to {@code to} are lost. */
  public static Partition oneWay(Set<Address> from, Set<Address> to) {
    return new Partition(from, to, true);
  }

  public boolean cuts(Address from, Address to) {
    if (sideA.contains(from) && sideB.contains(to)) return true;
    return !oneWay && sideB.contains(from) && sideA.contains(to);
  }

  @Override
  public void apply(Packet packet, Outlet out) {
    if (cuts(packet.from(), packet.to())) {
      out.drop(packet, REASON);
    } else {
      out.pass(packet);
    }
  }

  /** Sorted sides: {@code Set.copyOf} iterates in an order that varies between JVM runs. */
  @Override
  public String toString() {
    return "Partition" + new TreeSet<>(sideA) + (oneWay ? " -> " : " <-> ") + new TreeSet<>(sideB);
  }
}
