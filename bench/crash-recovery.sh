#!/usr/bin/env bash
# Measures how long ./tollgate up takes to serve again after a kill -9 mid-load.
# usage: bench/crash-recovery.sh [JAR]  (default: launcher/target/tollgate.jar; build it with ./tollgate --help)
set -u
JAR=${1:-launcher/target/tollgate.jar}
D=$(mktemp -d)
start() { java -XX:MaxGCPauseMillis=10 -jar "$JAR" up --data-dir "$D" > "$D/up-$1.log" 2>&1 & echo $!; }
ok() { curl -s -o /dev/null -w '%{http_code}' -m 5 http://127.0.0.1:8080/v1/chat/completions -H "Authorization: Bearer $(cat $D/demo-key)" -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}'; }
await() { local t0=$(date +%s%N); local stop=$((SECONDS+90)); while [ $SECONDS -lt $stop ]; do [ -f $D/demo-key ] && [ "$(ok)" = 200 ] && break; sleep 0.1; done; echo $(( ($(date +%s%N)-t0)/1000000 )); }
P=$(start 1); cold=$(await)
# load: 20 concurrent clients for 8 s
end=$((SECONDS+8)); for c in $(seq 1 20); do ( while [ $SECONDS -lt $end ]; do ok >/dev/null; done ) & done
sleep 4; kill -9 $P; wait 2>/dev/null
P=$(start 2); warm=$(await)
echo "{\"cold_start_ms\": $cold, \"restart_after_kill_ms\": $warm}"
kill $P; while kill -0 $P 2>/dev/null; do sleep 0.5; done; rm -rf "$D"
