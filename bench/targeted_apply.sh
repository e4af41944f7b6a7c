#!/usr/bin/env bash
# Wall time of the targeted apply and destroy of examples/weka-minimal (the network, security
# group, IAM, KMS, secrets, DynamoDB and log parts that src/cli/aws_apply_test.cc applies: 33
# resources) against a local cloud started here on 127.0.0.1, RUNS times, for each CLUSTERFORM
# binary given (so two builds, before and after a change, are measured side by side on the
# same machine). Prints one line per binary: the median apply and destroy wall time.
#
#   bench/targeted_apply.sh [RUNS] CLUSTERFORM...
#
# PROFILE, when set, is a faults profile (docs/local-cloud.md) PUT before each run, e.g.
#   PROFILE='{"time_scale": 0.02, "state_delays_ms": {"ec2:NatGateway": 95000}}'
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
shift
[ $# -gt 0 ] || set -- "$root/build/clusterform"
work=$(mktemp -d)
cloud="$work/cloud"
cf=""
trap '[ -n "$cf" ] && "$cf" cloud stop --data-dir "$cloud" >/dev/null 2>&1; rm -rf "$work"' EXIT
m=module.weka_deployment.
targets=()
for a in 'aws_route_table_association.public[0]' 'aws_route_table_association.alb_additional[0]' \
  'aws_vpc_endpoint.secretmanager[0]' 'aws_security_group.backend[0]' \
  'aws_iam_instance_profile.backend[0]' 'aws_iam_role_policy_attachment.backend["eni"]' \
  'aws_iam_role_policy_attachment.backend["logs"]' 'aws_iam_role_policy_attachment.backend["ssm"]' \
  'aws_kms_alias.ebs[0]' 'aws_secretsmanager_secret_version.weka_username' \
  'aws_secretsmanager_secret_version.get_weka_io_token[0]' 'aws_secretsmanager_secret.weka_password' \
  'aws_dynamodb_table_item.state' 'aws_placement_group.this[0]' 'aws_key_pair.this[0]' \
  'aws_cloudwatch_log_group.scale_down_sfn'; do
  targets+=("-target=$m$a")
done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test HOME="$work" CHECKPOINT_DISABLE=1
export TF_VAR_get_weka_io_token=token-for-the-bench TF_VAR_license=license-for-the-bench

ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for cf in "$@"; do
  cf=$(readlink -f "$cf")
  started=$("$cf" cloud start --port 0 --data-dir "$cloud") || { echo "cloud start failed"; exit 1; }
  port=$(echo "$started" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  applies=()
  destroys=()
  for run in $(seq 1 "$runs"); do
    if [ -n "${PROFILE:-}" ]; then
      curl -sf -X PUT --data "$PROFILE" "$AWS_ENDPOINT_URL/_clusterform/config" >/dev/null ||
        { echo "cannot set the profile"; exit 1; }
    fi
    dir="$work/run$run"
    rm -rf "$dir"
    cp -r "$root/examples/weka-minimal" "$dir"
    # The control plane's package, the same for every binary (LAMBDA_ZIP, else the build's).
    zip=${LAMBDA_ZIP:-$(dirname "$cf")/clusterform-lambda.zip}
    [ -f "$zip" ] || zip=$root/build/clusterform-lambda.zip
    [ -f "$zip" ] && cp "$zip" "$dir/"
    t0=$(ms)
    "$cf" apply -auto-approve "${targets[@]}" "$dir" >"$dir/apply.log" 2>&1 ||
      { echo "apply failed:"; tail -5 "$dir/apply.log"; exit 1; }
    t1=$(ms)
    "$cf" destroy -auto-approve "$dir" >"$dir/destroy.log" 2>&1 ||
      { echo "destroy failed:"; tail -5 "$dir/destroy.log"; exit 1; }
    t2=$(ms)
    applies+=($((t1 - t0)))
    destroys+=($((t2 - t1)))
  done
  "$cf" cloud stop --data-dir "$cloud" >/dev/null 2>&1
  rm -rf "$cloud"
  echo "$cf: apply $(printf '%s\n' "${applies[@]}" | median) ms, destroy" \
    "$(printf '%s\n' "${destroys[@]}" | median) ms (median of $runs; all: ${applies[*]} / ${destroys[*]})"
done
