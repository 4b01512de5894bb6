#!/bin/sh
# The dashboard serving 100 viewers against the headless CLI, on speed.py's medium spec ([30,64,32,1], 569
# gaussian examples), rounds alternated (docs/performance.md, "Fan-out"):
#   sh bench/dashboard-vs-cli.sh [JAR] [ROUNDS] [PORT]
# The CLI's rate is the wall-time difference of 20 000 and 40 000 iterations, as speed.py times it; the dashboard's
# is what `load --viewers 100` reads from the server during its window, beside the rate before any viewer.
set -e
JAR=${1:-target/trainscope.jar}; ROUNDS=${2:-3}; PORT=${3:-18080}
DIR=$(mktemp -d); SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT INT TERM
spec() {
  echo "{\"layers\":[30,64,32,1],\"learningRate\":0.01,\"iterations\":$1,\"dataset\":{\"name\":\"gaussian\",\"features\":30,\"samples\":569,\"seed\":1}}"
}
now() { date +%s.%N; }
spec 20000 > "$DIR/n.json"; spec 40000 > "$DIR/2n.json"; spec 100000000 > "$DIR/long.json"
for r in $(seq 1 "$ROUNDS"); do
  t1=$(now); java -jar "$JAR" train "$DIR/n.json" > /dev/null 2>&1
  t2=$(now); java -jar "$JAR" train "$DIR/2n.json" > /dev/null 2>&1
  t3=$(now)
  echo "round $r, CLI: $(echo "20000 / (($t3 - $t2) - ($t2 - $t1))" | bc -l | cut -d. -f1) it/s (load $(cut -d' ' -f1 /proc/loadavg))"
  rm -rf "$DIR/data"
  java -jar "$JAR" --port "$PORT" --data-dir "$DIR/data" > "$DIR/server.log" 2>&1 &
  SERVER=$!
  for i in $(seq 1 60); do curl -s "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
  curl -s -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/api/runs" --data @"$DIR/long.json" > /dev/null
  sleep 5
  java -jar "$JAR" load --viewers 100 --query encoding=binary --duration 20 --warmup 5 --baseline 10 \
    "http://127.0.0.1:$PORT/" 2> /dev/null | grep -E "^(training|latency|updates per viewer)" | sed "s/^/round $r, dashboard: /"
  kill $SERVER; wait $SERVER 2> /dev/null || true; SERVER=
done
