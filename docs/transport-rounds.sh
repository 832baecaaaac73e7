#!/bin/bash
# The side-by-side rounds of docs/transport.md ("gso against mmsg and NIO, and against a naive C
# server"). Quiet machine only. Needs a copy of ./oskr and target/oskr.jar in $M, and the C server:
#   gcc -O2 -o /tmp/udp-echo docs/udp-echo.c
set -u
M=${M:-/tmp/meas17}
cd $M
ROUNDS=${ROUNDS:-3}
ECHO_PORT=7301
mkdir -p deploy
printf 'f 0\nreplica 127.0.0.1:%d\n' $ECHO_PORT > deploy/echo.config
printf 'f 1\nreplica 127.0.0.1:7311\nreplica 127.0.0.1:7312\nreplica 127.0.0.1:7313\nreplica 127.0.0.1:7314\n' > deploy/p.config
[ -f deploy/p-0.pem ] || ./oskr keygen -c deploy/p > /dev/null
line() { echo "$(date +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg) | $*"; }
pbft_mixed() { # replicas on $1, client on the default (gso)
  pids=()
  for i in 0 1 2 3; do
    ./oskr replica -m pbft -c deploy/p -i $i --auth hmac -b 100 --transport $1 > /tmp/r$i.log 2>&1 &
    pids+=($!)
  done
  sleep 3
  line "pbft replicas $1, client gso: $(./oskr client -m pbft -c deploy/p --auth hmac -t 128 -d 8 --warm-up 30 2>&1 | grep 'ops/s')"
  for p in "${pids[@]}"; do kill $p; done; wait "${pids[@]}" 2>/dev/null
}
for r in $(seq 1 $ROUNDS); do
  echo "== round $r"
  for cfg in "-t 256 --threads 1" "-t 64 --threads 2"; do
    /tmp/udp-echo 127.0.0.1 $ECHO_PORT > /tmp/echo.out & E=$!
    sleep 0.5
    line "C echo, client gso $cfg: $(./oskr client -m unreplicated -c deploy/echo $cfg -d 8 --warm-up 5 2>&1 | grep -E 'ops/s|resend' | tr '\n' ' ')"
    kill -INT $E; wait $E; line "C echo: $(cat /tmp/echo.out)"
  done
  line "$(./oskr bench -m unreplicated -t 256 --threads 1 -d 8 --warm-up 5 2>&1 | grep 'ops/s') [gso]"
  line "$(./oskr bench -m unreplicated -t 256 --threads 1 -d 8 --warm-up 5 --transport mmsg 2>&1 | grep 'ops/s') [mmsg]"
  line "$(./oskr bench -m unreplicated -t 64 -d 8 --warm-up 5 --transport nio 2>&1 | grep 'ops/s') [nio]"
  line "$(./oskr bench -m pbft --auth hmac -b 100 -t 128 -d 8 --warm-up 30 --transport nio 2>&1 | grep 'ops/s') [nio]"
  line "$(./oskr bench -m pbft --auth hmac -b 100 -t 128 -d 8 --warm-up 30 2>&1 | grep 'ops/s') [gso]"
  pbft_mixed nio
  pbft_mixed gso
done
