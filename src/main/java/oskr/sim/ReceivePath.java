package oskr.sim;

import java.util.SortedMap;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.protocol.Frames;
import oskr.protocol.Protocol;
import oskr.protocol.Rejected;

/**
 * What happens to a frame at its node, as in the runtime's stage: decode, the protocol's stateless
 * verify, then the node's handler. A node that is down, a malformed frame and a rejected message
 * are dropped and counted in the node's receive drops, never thrown.
 */
final class ReceivePath<M> implements Network.Receiver {
  private final Simulation<M> sim;
  private final Protocol<M> protocol;
  private final SortedMap<Address, SimNode<M>> nodes;

  /**
   * @param nodes the simulation's live node map, read at each delivery
   */
  ReceivePath(Simulation<M> sim, SortedMap<Address, SimNode<M>> nodes) {
    this.sim = sim;
    this.protocol = sim.protocol();
    this.nodes = nodes;
  }

  @Override
  public boolean knows(Address address) {
    return nodes.containsKey(address);
  }

  @Override
  public void deliver(Packet packet) {
    String route = "#" + packet.id() + " " + Network.route(packet);
    SimNode<M> node = nodes.get(packet.to());
    if (!node.isUp()) {
      dropped(node, route, Simulation.NODE_DOWN);
      return;
    }
    Bytes frame = packet.frame();
    M message;
    try {
      message = Frames.decode(protocol, frame.unsafeArray(), 0, frame.length());
      protocol.verify(message, packet.from(), sim.config(), node.crypto());
    } catch (MalformedMessage e) {
      dropped(node, route, Simulation.MALFORMED + e.reason());
      return;
    } catch (Rejected e) {
      dropped(node, route, Simulation.REJECTED + e.reason());
      return;
    }
    sim.trace("deliver " + route + ": " + message);
    node.node().onMessage(packet.from(), message);
  }

  private void dropped(SimNode<M> node, String route, String reason) {
    node.receiveDrops().count(reason);
    sim.trace("drop " + route + " (" + reason + ")");
  }

  @Override
  public String describe(Bytes frame) {
    try {
      return String.valueOf(Frames.decode(protocol, frame.unsafeArray(), 0, frame.length()));
    } catch (MalformedMessage e) {
      return "malformed frame (" + e.reason() + ", " + frame.length() + " B)";
    }
  }
}
