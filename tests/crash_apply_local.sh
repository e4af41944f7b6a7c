#!/usr/bin/env bash
# Crash safety of apply and destroy on the local types: TRIALS times, start `clusterform apply`
# (then `destroy`) on a configuration of 40 instances, SIGKILL it at a random instant, run it
# again, and check that it converged: `plan -detailed-exitcode` says no changes (exit 0), every
# file the configuration writes exists and is in state, no file is left that the state does
# not know (an orphan), and after destroy nothing is left. Prints one line per trial and a
# closing "N passed, N failed".
#
#   tests/crash_apply_local.sh [CLUSTERFORM] [TRIALS]
#
# CF_CRASH_TRIALS, when set, overrides TRIALS (ctest runs 3: crash_apply_local, label crash).
#
# The same loop against the local cloud's AWS types is the acceptance run of issue 12 once
# those handlers are wired (docs/state.md, "Crash safety").
set -u
CF=${1:-build/clusterform}
TRIALS=${CF_CRASH_TRIALS:-${2:-20}}
CF=$(readlink -f "$CF")
work=$(mktemp -d)
trap '[ "${KEEP:-}" ] || rm -rf "$work"' EXIT
passed=0
failed=0

write_config() {
  cat > "$1/main.tf" <<'TF'
resource "random_id" "n" {
  count       = 20
  byte_length = 4
}
resource "local_file" "f" {
  count    = 20
  filename = "out/${random_id.n[count.index].hex}.txt"
  content  = "instance ${count.index}"
}
TF
}

# Orphans: files under out/ that no local_file in state names.
orphans() {
  local dir=$1
  local known
  known=$("$CF" state list -dir "$dir" 2>/dev/null | grep -c '^local_file' || true)
  local files
  files=$(find "$dir/out" -type f 2>/dev/null | wc -l)
  echo $((files - known))
}

for trial in $(seq 1 "$TRIALS"); do
  dir="$work/t$trial"
  mkdir -p "$dir"
  write_config "$dir"
  ok=1
  for phase in apply destroy; do
    if [ "$phase" = destroy ]; then
      "$CF" apply -auto-approve "$dir" >/dev/null 2>&1 || true
    fi
    "$CF" "$phase" -auto-approve "$dir" >"$dir/$phase.1.log" 2>&1 &
    pid=$!
    # A random instant within the ~2 s an uninterrupted run takes here.
    sleep "$(awk "BEGIN { print $((RANDOM % 2000)) / 1000 }")"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! "$CF" "$phase" -auto-approve -lock-timeout=10s "$dir" >"$dir/$phase.2.log" 2>&1; then
      echo "trial $trial $phase: the re-run failed: $(tail -3 "$dir/$phase.2.log" | tr '\n' ' ')"
      ok=0
      break
    fi
    if [ "$phase" = apply ]; then
      "$CF" plan -detailed-exitcode "$dir" >"$dir/plan.log" 2>&1
      rc=$?
      inst=$("$CF" state list -dir "$dir" | wc -l)
      o=$(orphans "$dir")
      if [ "$rc" != 0 ] || [ "$inst" != 40 ] || [ "$o" != 0 ]; then
        echo "trial $trial apply: not converged (plan exit $rc, $inst instances, $o orphans)"
        ok=0
        break
      fi
    else
      inst=$("$CF" state list -dir "$dir" | wc -l)
      left=$(find "$dir/out" -type f 2>/dev/null | wc -l)
      if [ "$inst" != 0 ] || [ "$left" != 0 ]; then
        echo "trial $trial destroy: $inst instances and $left files left"
        ok=0
        break
      fi
    fi
  done
  if [ "$ok" = 1 ]; then
    echo "trial $trial: converged"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
