#!/usr/bin/env bash
# RDS on the local cloud, timed with real clients (Debian's awscli and mysql):
#  1. create-db-cluster + create-db-instance -> the first successful `mysql` connection, and
#     -> status "available";
#  2. ROWS rows written, create-db-cluster-snapshot (a mariadb-dump of the server);
#  3. restore-db-cluster-from-snapshot -> the first connection that sees all the rows.
#   bench/rds_scenario.sh [BUILD_DIR] [ROWS]
# The local cloud and its MariaDB servers listen on loopback addresses only; everything is
# deleted at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
rows=${2:-10000}
password=bench-password-1

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f s", b - a }'; }

work=$(mktemp -d)
cloud_pid=""
trap '[ -n "$cloud_pid" ] && kill "$cloud_pid" 2>/dev/null && wait "$cloud_pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(free_port)
"$build/clusterform" cloud start --foreground --port "$port" --data-dir "$work/cloud" \
  >"$work/cloud.log" 2>&1 &
cloud_pid=$!
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
aws_() { /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" --output json "$@"; }
for _ in $(seq 100); do
  aws_ sts get-caller-identity >/dev/null 2>&1 && break
  sleep 0.1
done

status() {
  aws_ rds describe-db-clusters --db-cluster-identifier "$1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["DBClusters"][0]["Status"])'
}
endpoint() {
  aws_ rds describe-db-clusters --db-cluster-identifier "$1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["DBClusters"][0]["Endpoint"])'
}
sql() { mysql --no-defaults -h "$1" -P 3306 -u bench "-p$password" -N -B -e "$2" 2>/dev/null; }
wait_sql() {  # HOST SQL EXPECTED
  for _ in $(seq 1200); do
    if [ "$(sql "$1" "$2" || true)" = "$3" ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  exit 1
}
wait_status() {
  for _ in $(seq 600); do
    [ "$(status "$1")" = available ] && return 0
    sleep 0.2
  done
  echo "timed out waiting for $1 to be available" >&2
  exit 1
}

start=$(now)
aws_ rds create-db-cluster --db-cluster-identifier bench --engine aurora-mysql \
  --master-username bench --master-user-password "$password" --database-name benchdb >/dev/null
aws_ rds create-db-instance --db-instance-identifier bench-1 --db-cluster-identifier bench \
  --db-instance-class db.r6g.large --engine aurora-mysql >/dev/null
host=$(endpoint bench)
wait_sql "$host" "SELECT 1" 1
echo "create-db-cluster -> accepting connections: $(since "$start")"
wait_status bench
echo "create-db-cluster -> available:             $(since "$start")"

sql "$host" "CREATE TABLE benchdb.t (id INT PRIMARY KEY, v VARCHAR(64))"
python3 -c "
import sys
n = $rows
for lo in range(0, n, 1000):
    vals = ','.join('(%d,\'row-%d\')' % (i, i) for i in range(lo, min(n, lo + 1000)))
    print('INSERT INTO benchdb.t VALUES %s;' % vals)
" | mysql --no-defaults -h "$host" -P 3306 -u bench "-p$password" 2>/dev/null
start=$(now)
aws_ rds create-db-cluster-snapshot --db-cluster-identifier bench \
  --db-cluster-snapshot-identifier bench-snap >/dev/null
echo "create-db-cluster-snapshot ($rows rows):     $(since "$start")"

start=$(now)
aws_ rds restore-db-cluster-from-snapshot --db-cluster-identifier bench-restored \
  --snapshot-identifier bench-snap --engine aurora-mysql >/dev/null
restored=$(endpoint bench-restored)
wait_sql "$restored" "SELECT COUNT(*) FROM benchdb.t" "$rows"
echo "restore -> all $rows rows readable:        $(since "$start")"

aws_ rds delete-db-instance --db-instance-identifier bench-1 >/dev/null
aws_ rds delete-db-cluster --db-cluster-identifier bench --skip-final-snapshot >/dev/null
aws_ rds delete-db-cluster --db-cluster-identifier bench-restored --skip-final-snapshot >/dev/null
