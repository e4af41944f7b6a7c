#!/usr/bin/env bash
# Differential test of the DynamoDB engine against dynalite (an independent DynamoDB
# implementation from the npm registry):
#   src/cloud/dynamodb/differential/run_differential.sh [BUILD_DIR] [LOCAL_CLOUD_URL]
# Installs dynalite and aws4 under BUILD_DIR/dynalite (once), starts dynalite on 127.0.0.1 on
# a free port, replays cases.json through it and through the engine (BUILD_DIR/dynamodb_replay)
# or, when LOCAL_CLOUD_URL is given (a running local cloud on loopback, whose tables must not
# clash with the cases'), through that endpoint with signed requests, and compares the answers
# (compare.py). Exit status 0 when every case agrees. With RECORD=1 in the environment,
# dynalite's answers are also saved as dynalite_expected.jsonl beside the cases: the unit test
# DifferentialTest replays the cases through the engine and checks them against that file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../../../build}" && pwd)
endpoint=${2:-}
if [ ! -f "$build/dynalite/node_modules/dynalite/cli.js" ] || [ ! -d "$build/dynalite/node_modules/aws4" ]; then
  mkdir -p "$build/dynalite"
  npm install --prefix "$build/dynalite" dynalite aws4 >/dev/null 2>&1
fi
export NODE_PATH="$build/dynalite/node_modules"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
node "$build/dynalite/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$port" \
  --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 >/dev/null 2>&1 &
dynalite_pid=$!
trap 'kill "$dynalite_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
out=$(mktemp -d)
node "$here/dynalite_replay.js" "http://127.0.0.1:$port" "$here/cases.json" > "$out/dynalite.jsonl"
if [ "${RECORD:-0}" = 1 ]; then
  cp "$out/dynalite.jsonl" "$here/dynalite_expected.jsonl"
fi
if [ -n "$endpoint" ]; then
  node "$here/dynalite_replay.js" "$endpoint" "$here/cases.json" > "$out/ours.jsonl"
else
  "$build/dynamodb_replay" "$here/cases.json" > "$out/ours.jsonl"
fi
python3 "$here/compare.py" "$here/cases.json" "$out/dynalite.jsonl" "$out/ours.jsonl"
