// The naive C UDP server issue 17 measures Unreplicated against: one thread, one recvfrom and one
// sendto per datagram, no batching, no offload. It answers plain Unreplicated clients as
// oskr.runtime.EchoServer does (each Request frame becomes the matching empty Reply frame, by byte
// manipulation only), and keeps a client's tag (runtime Tags: 0xF1 + u32) in front of the reply,
// so the bench's clients on any transport can drive it. Prints its CPU seconds on SIGINT/SIGTERM.
// gcc -O2 -o udp-echo udp-echo.c && ./udp-echo 127.0.0.1 PORT
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { TAG_MARKER = 0xF1, TAG_LENGTH = 5, HEADER = 2, REQUEST = 1, REPLY = 2 };
enum { ECHOED = HEADER + 1 + 8 + 8, REQUEST_MIN = ECHOED + 4, REPLY_LENGTH = ECHOED + 4 + 8 + 4 };

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s HOST PORT\n", argv[0]); return 2; }
  int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
  struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
  if (inet_pton(AF_INET, argv[1], &self.sin_addr) != 1 || bind(fd, (void *)&self, sizeof self)) {
    perror("bind");
    return 1;
  }
  struct sigaction action = {.sa_handler = on_signal}; // no SA_RESTART: recvfrom returns
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  static unsigned char in[65536], out[TAG_LENGTH + REPLY_LENGTH];
  long echoed = 0;
  while (!stop) {
    struct sockaddr_in from;
    socklen_t length = sizeof from;
    ssize_t got = recvfrom(fd, in, sizeof in, 0, (void *)&from, &length);
    if (got < 0) continue;
    int at = got > 0 && in[0] == TAG_MARKER ? TAG_LENGTH : 0;
    if (got - at < REQUEST_MIN || in[at + HEADER] != REQUEST) continue;
    memcpy(out, in, at); // the tag, if any
    memcpy(out + at, in + at, ECHOED);
    out[at + HEADER] = REPLY;
    memset(out + at + ECHOED, 0, REPLY_LENGTH - ECHOED);
    sendto(fd, out, at + REPLY_LENGTH, 0, (void *)&from, length);
    echoed++;
  }
  struct timespec cpu;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
  printf("echoed %ld, cpu %.3f s\n", echoed, cpu.tv_sec + cpu.tv_nsec / 1e9);
  return 0;
}
