/**
 * Kernel UDP for the runtime: a loop abstraction ({@link oskr.runtime.udp.UdpLoop}: one thread that
 * owns sockets, runs tasks, wakes at deadlines) with two implementations selected by {@link
 * oskr.runtime.udp.Transport} (JDK NIO, the default, and Netty epoll), and the fragmentation layer
 * ({@link oskr.runtime.udp.Fragments}, {@link oskr.runtime.udp.FrameSender}, {@link
 * oskr.runtime.udp.Reassembler}) that carries frames up to {@link oskr.core.Limits#FRAME_MAX}.
 */
package oskr.runtime.udp;
