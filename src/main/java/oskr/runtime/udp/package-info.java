/**
 * Kernel UDP for the runtime: a loop abstraction ({@link oskr.runtime.udp.UdpLoop}: one thread that
 * owns sockets, runs tasks, wakes at deadlines) with the implementations selected by {@link
 * oskr.runtime.udp.Transport}: JDK NIO (the default), Netty epoll, and mmsg (NIO's channels and
 * selector with Linux recvmmsg/sendmmsg called through the JDK's foreign function API on the
 * channel's descriptor: {@code MmsgSocket}, {@code MmsgOutbox}); the {@link
 * oskr.runtime.udp.Outbox} through which a sender batches datagrams where the transport can; and
 * the fragmentation layer ({@link oskr.runtime.udp.Fragments}, {@link
 * oskr.runtime.udp.FrameSender}, {@link oskr.runtime.udp.Reassembler}) that carries frames up to
 * {@link oskr.core.Limits#FRAME_MAX}.
 */
package oskr.runtime.udp;
