#!/usr/bin/env bash
# Wall time of the end-to-end apply of examples/weka-minimal on the local cloud, as a user runs
# it: `clusterform cloud start` (time scale TIME_SCALE, 0.05 by default: the control plane's
# minute is 3 s), `clusterform apply -auto-approve`, then `clusterform status -json` until the
# cluster is clusterized with io status STARTED and every backend active; then `destroy`.
# Once with the example's 6 backends and once with cluster_size = 20.
#   bench/weka_apply.sh [BUILD_DIR] [TIME_SCALE] [SIZES...]
# Prints per size: apply (s), apply to clusterized (s), destroy (s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
scale=${2:-0.05}
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
  sizes=(6 20)
fi
cf="$build/clusterform"
work=$(mktemp -d /tmp/cf_weka_bench_XXXXXX)
prefix="bench$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
data="$work/cloud"
stop_cloud() {
  "$cf" cloud stop --data-dir "$data" >/dev/null 2>&1 || true
  rm -f /tmp/"$prefix"*-poc-*.pem
  rm -rf "$work"
}
trap stop_cloud EXIT

printf '{"imds_port": 0, "faults": {"time_scale": %s}}\n' "$scale" >"$work/config.json"
started=$("$cf" cloud start --port 0 --data-dir "$data" --config "$work/config.json")
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$started")
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test \
  AWS_SECRET_ACCESS_KEY=test HOME="$work" CHECKPOINT_DISABLE=1

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "time_scale $scale"
octet=230
for size in "${sizes[@]}"; do
  dir="$work/weka-$size"
  cp -r "$root/examples/weka-minimal" "$dir"
  sed -i "s|  prefix            = \"weka\"|  prefix            = \"$prefix$size\"\n  cluster_size      = $size\n  vpc_cidr          = \"127.$octet.0.0/16\"\n  subnets_cidrs     = [\"127.$octet.1.0/24\"]\n  nat_public_subnet_cidr           = \"127.$octet.2.0/24\"\n  alb_additional_subnet_cidr_block = \"127.$octet.3.0/24\"|" \
    "$dir/main.tf"
  echo 'region = "us-east-1"' >>"$dir/terraform.tfvars"
  octet=$((octet + 1))

  t0=$(now)
  "$cf" apply -auto-approve "$dir" >"$dir/apply.log" 2>&1 || { tail -20 "$dir/apply.log"; exit 1; }
  t1=$(now)
  clusterized=""
  for _ in $(seq 1200); do
    if "$cf" status -json "$dir" 2>/dev/null | python3 -c "
import json, sys
d = json.load(sys.stdin)
w = d.get('weka') or {}
ok = d.get('clusterized') and w.get('io_status') == 'STARTED' and \
     w.get('backends', {}).get('machines_active') == $size
sys.exit(0 if ok else 1)"; then
      clusterized=yes
      break
    fi
    sleep 0.5
  done
  t2=$(now)
  if [ -z "$clusterized" ]; then
    echo "size $size: not clusterized after $(elapsed "$t1" "$t2") s" >&2
    "$cf" status "$dir" >&2 || true
    exit 1
  fi
  "$cf" destroy -auto-approve "$dir" >"$dir/destroy.log" 2>&1 || { tail -20 "$dir/destroy.log"; exit 1; }
  t3=$(now)
  echo "backends $size: apply $(elapsed "$t0" "$t1") s, apply to clusterized $(elapsed "$t0" "$t2") s, destroy $(elapsed "$t2" "$t3") s"
done
