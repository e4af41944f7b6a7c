#!/usr/bin/env bash
# DynamoDB through the local cloud's server vs dynalite, side by side, with the shared load
# generator (../shared/bench/dynamodb-load: signed PutItem, GetItem and conditional UpdateItem
# from N keep-alive clients):
#   bench/dynamodb_load.sh [BUILD_DIR] [CONCURRENCY] [REQUESTS]
# Installs dynalite under BUILD_DIR/dynalite once (as the differential test does). Both servers
# listen on 127.0.0.1 only. Prints each server's figures and the ratio per operation.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
concurrency=${2:-8}
requests=${3:-5000}
load="$root/../shared/bench/dynamodb-load/run"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_port() {
  for _ in $(seq 100); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

if [ ! -f "$build/dynalite/node_modules/dynalite/cli.js" ]; then
  mkdir -p "$build/dynalite"
  npm install --prefix "$build/dynalite" dynalite aws4 >/dev/null 2>&1
fi
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

cloud_port=$(free_port)
"$build/clusterform" cloud start --foreground --port "$cloud_port" --data-dir "$work/cloud" \
  >"$work/cloud.log" 2>&1 &
pids+=($!)
dynalite_port=$(free_port)
node "$build/dynalite/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$dynalite_port" \
  --createTableMs 0 >/dev/null 2>&1 &
pids+=($!)
wait_port "$cloud_port"
wait_port "$dynalite_port"

echo "dynalite:"
"$load" "http://127.0.0.1:$dynalite_port" "$concurrency" "$requests" 2>/dev/null | tee "$work/dynalite.txt"
echo "clusterform local cloud:"
"$load" "http://127.0.0.1:$cloud_port" "$concurrency" "$requests" 2>/dev/null | tee "$work/cloud.txt"
echo "ratio (local cloud / dynalite):"
join <(awk '{print $1, $2}' "$work/cloud.txt" | sort) <(awk '{print $1, $2}' "$work/dynalite.txt" | sort) |
  awk '{printf "%s %.1fx\n", $1, $2 / $3}'
