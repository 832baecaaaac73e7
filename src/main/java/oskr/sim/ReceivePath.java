package oskr.sim;

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

  ReceivePath(Simulation<M> sim) {
    this.sim = sim;
    this.protocol = sim.protocol();
  }

  @Override
  public boolean knows(Address address) {
    return sim.knows(address);
  }

  @Override
  public void deliver(Packet packet) {
    String route = "#" + packet.id() + " " + Network.route(packet);
    SimNode<M> node = sim.receiver(packet.from(), packet.to());
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
