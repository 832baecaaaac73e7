package oskr.runtime.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Copies each received datagram out of Netty's buffer into a fresh array for the receiver. */
final class EpollInbound extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EpollInbound.class);
  private final Receiver receiver;
  private final DropCounters drops;

  EpollInbound(Receiver receiver, DropCounters drops) {
    this.receiver = receiver;
    this.drops = drops;
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    DatagramPacket packet = (DatagramPacket) message;
    try {
      ByteBuf content = packet.content();
      byte[] data = new byte[content.readableBytes()];
      content.getBytes(content.readerIndex(), data);
      receiver.onDatagram(packet.sender(), data);
    } finally {
      packet.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    receiver.onBatchEnd();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    drops.count("socket: error");
    log.debug("{}: socket error", context.channel().localAddress(), cause);
  }
}
