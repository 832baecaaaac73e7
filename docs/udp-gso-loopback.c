// Loopback UDP: CPU per datagram of sendmmsg+recvmmsg against UDP GSO (UDP_SEGMENT), with and
// without UDP_GRO on the receiver (docs/transport.md, issue 17). One thread: a batch is sent, then
// drained (loopback delivers inside the send). gcc -O2 -o gso udp-gso-loopback.c
// Usage: ./gso mmsg|gso|gso-gro PAYLOAD BATCH DATAGRAMS
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
static double cpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}
int main(int argc, char **argv) {
  const char *mode = argv[1];
  int size = atoi(argv[2]), batch = atoi(argv[3]);
  long total = atol(argv[4]);
  int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
  int big = 8 << 20, one = 1;
  setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  bind(rx, (void *)&a, sizeof a);
  socklen_t len = sizeof a;
  getsockname(rx, (void *)&a, &len);
  int gro = strcmp(mode, "gso-gro") == 0, gso = strncmp(mode, "gso", 3) == 0;
  if (gro && setsockopt(rx, IPPROTO_UDP, UDP_GRO, &one, sizeof one)) { perror("UDP_GRO"); return 1; }
  static char out[65536], in[64][65536];
  struct mmsghdr sm[64], rm[64];
  struct iovec siov[64], riov[64];
  for (int i = 0; i < 64; i++) {
    siov[i] = (struct iovec){out, size};
    sm[i].msg_hdr = (struct msghdr){.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &siov[i], .msg_iovlen = 1};
    riov[i] = (struct iovec){in[i], sizeof in[i]};
    rm[i].msg_hdr = (struct msghdr){.msg_iov = &riov[i], .msg_iovlen = 1};
  }
  char control[CMSG_SPACE(sizeof(unsigned short))];
  struct iovec giov = {out, (size_t)size * batch};
  struct msghdr g = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &giov, .msg_iovlen = 1,
                     .msg_control = control, .msg_controllen = sizeof control};
  struct cmsghdr *c = CMSG_FIRSTHDR(&g);
  c->cmsg_level = SOL_UDP; c->cmsg_type = UDP_SEGMENT; c->cmsg_len = CMSG_LEN(sizeof(unsigned short));
  *(unsigned short *)CMSG_DATA(c) = size;
  long received = 0, calls = 0;
  double start = cpu();
  for (long sent = 0; sent < total; sent += batch) {
    if (gso) { if (sendmsg(tx, &g, 0) < 0) { perror("sendmsg"); return 1; } }
    else if (sendmmsg(tx, sm, batch, 0) != batch) { perror("sendmmsg"); return 1; }
    long want = sent + batch;
    while (received < want) {
      int n = recvmmsg(rx, rm, 64, MSG_DONTWAIT, NULL);
      if (n <= 0) { perror("recvmmsg"); return 1; }
      calls++;
      for (int i = 0; i < n; i++) received += gro ? (rm[i].msg_len + size - 1) / size : 1;
    }
  }
  double used = cpu() - start;
  printf("%s payload %d batch %d: %ld datagrams, %.3f us of CPU per datagram, %.1f datagrams per receive call\n",
         mode, size, batch, received, used * 1e6 / received, (double)received / calls);
  return 0;
}
