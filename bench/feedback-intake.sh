#!/usr/bin/env bash
# Benchmark of POST /api/feedback through the gateway and straight to feedback-service, same run,
# against a running local stack (java -jar local-stack/target/sift-local.jar). Prints wrk's numbers.
#
#   TOKEN=<MEMBER token> bench/feedback-intake.sh [connections] [seconds]
#
# Loopback only; the load is bounded by the duration. wrk, the gateway, feedback-service, the embedded
# broker and Postgres share the machine's cores, so the numbers are a floor for a real deployment.
set -euo pipefail
connections=${1:-200}
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
: "${TOKEN:?set TOKEN to a token with role MEMBER (the local stack prints one)}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

echo "== warm-up (10 s, 50 connections, through the gateway)"
wrk -t2 -c50 -d10s -s "$here/feedback-post.lua" http://127.0.0.1:8080/api/feedback > /dev/null
for target in "gateway http://127.0.0.1:8080/api/feedback" "direct http://127.0.0.1:8081/api/feedback"; do
  set -- $target
  echo "== $1: $connections connections, ${seconds}s"
  wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/feedback-post.lua" "$2" | grep -E "^(requests|p[0-9])"
done
