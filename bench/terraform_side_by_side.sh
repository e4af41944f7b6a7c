#!/usr/bin/env bash
# The same configuration applied and destroyed by Terraform with HashiCorp's AWS provider and by
# clusterform, each against its own fresh local cloud (127.0.0.1) with the same latency
# profile: both wall times and their ratio. Terraform uses only the provider in the filesystem
# mirror (TF_PLUGINS, default /opt/tf-plugins) and runs with CHECKPOINT_DISABLE=1.
#
#   bench/terraform_side_by_side.sh [CLUSTERFORM] [RUNS]
#
# PROFILE, when set, is a faults profile (docs/local-cloud.md) PUT before each run (e.g.
# per-call latency). The configuration holds the types the provider completes against the local
# cloud today (issue 17 lists what it does not yet): IAM, KMS, Secrets Manager, DynamoDB and
# CloudWatch Logs. Prints one line per tool and the ratio of the medians.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
CF=$(readlink -f "${1:-$root/build/clusterform}")
runs=${2:-3}
plugins=${TF_PLUGINS:-/opt/tf-plugins}
command -v terraform >/dev/null || { echo "skipped: terraform is not on PATH"; exit 0; }
[ -d "$plugins/registry.terraform.io/hashicorp/aws" ] ||
  { echo "skipped: no AWS provider under $plugins"; exit 0; }
work=$(mktemp -d)
export CHECKPOINT_DISABLE=1 HOME="$work" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1 TF_IN_AUTOMATION=1
cat >"$work/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$plugins"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc"

write_config() {
  local ep=$2
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    iam            = "$ep"
    sts            = "$ep"
    kms            = "$ep"
    secretsmanager = "$ep"
    dynamodb       = "$ep"
    logs           = "$ep"
  }
}
resource "aws_iam_role" "r" {
  count = 4
  name  = "side-\${count.index}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
resource "aws_iam_policy" "p" {
  name = "side-policy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}
resource "aws_iam_role_policy_attachment" "a" {
  count      = 4
  role       = aws_iam_role.r[count.index].name
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_kms_key" "k" {
  description = "side"
}
resource "aws_kms_alias" "k" {
  name          = "alias/side"
  target_key_id = aws_kms_key.k.key_id
}
resource "aws_secretsmanager_secret" "s" {
  count                   = 3
  name                    = "side-\${count.index}"
  recovery_window_in_days = 0
}
resource "aws_dynamodb_table" "t" {
  name         = "side-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "k"
  attribute {
    name = "k"
    type = "S"
  }
}
resource "aws_cloudwatch_log_group" "l" {
  count = 3
  name  = "side-\${count.index}"
}
TF
}

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# One tool: RUNS times apply then destroy on a fresh cloud; prints "APPLY_MS DESTROY_MS".
measure() {
  local tool=$1 applies=() destroys=()
  for run in $(seq 1 "$runs"); do
    local cloud="$work/cloud-$tool-$run" dir="$work/$tool-$run"
    local started port ep t0 t1 t2
    started=$("$CF" cloud start --port 0 --data-dir "$cloud") || { echo "cloud start failed" >&2; return 1; }
    port=$(echo "$started" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')
    ep="http://127.0.0.1:$port"
    if [ -n "${PROFILE:-}" ]; then
      curl -sf -X PUT --data "$PROFILE" "$ep/_clusterform/config" >/dev/null ||
        { echo "cannot set the profile" >&2; return 1; }
    fi
    mkdir -p "$dir"
    write_config "$dir" "$ep"
    if [ "$tool" = terraform ]; then
      (cd "$dir" && terraform init -input=false >init.log 2>&1) ||
        { echo "terraform init failed: $(tail -3 "$dir/init.log")" >&2; return 1; }
      t0=$(ms)
      (cd "$dir" && terraform apply -auto-approve -input=false >apply.log 2>&1) ||
        { echo "terraform apply failed: $(grep -m3 Error "$dir/apply.log")" >&2; return 1; }
      t1=$(ms)
      (cd "$dir" && terraform destroy -auto-approve -input=false >destroy.log 2>&1) ||
        { echo "terraform destroy failed: $(grep -m3 Error "$dir/destroy.log")" >&2; return 1; }
      t2=$(ms)
    else
      t0=$(ms)
      AWS_ENDPOINT_URL=$ep "$CF" apply -auto-approve "$dir" >"$dir/apply.log" 2>&1 ||
        { echo "clusterform apply failed: $(grep -m3 Error "$dir/apply.log")" >&2; return 1; }
      t1=$(ms)
      AWS_ENDPOINT_URL=$ep "$CF" destroy -auto-approve "$dir" >"$dir/destroy.log" 2>&1 ||
        { echo "clusterform destroy failed: $(grep -m3 Error "$dir/destroy.log")" >&2; return 1; }
      t2=$(ms)
    fi
    "$CF" cloud stop --data-dir "$cloud" >/dev/null 2>&1
    applies+=($((t1 - t0)))
    destroys+=($((t2 - t1)))
  done
  echo "$(printf '%s\n' "${applies[@]}" | median) $(printf '%s\n' "${destroys[@]}" | median)"
}

tf=$(measure terraform) || { rm -rf "$work"; exit 1; }
cf=$(measure clusterform) || { rm -rf "$work"; exit 1; }
read -r tf_apply tf_destroy <<<"$tf"
read -r cf_apply cf_destroy <<<"$cf"
echo "terraform   (AWS provider): apply $tf_apply ms, destroy $tf_destroy ms (median of $runs)"
echo "clusterform               : apply $cf_apply ms, destroy $cf_destroy ms (median of $runs)"
awk -v a="$tf_apply" -v b="$cf_apply" -v c="$tf_destroy" -v d="$cf_destroy" \
  'BEGIN { printf "terraform / clusterform: apply %.1fx, destroy %.1fx\n", a / b, c / d }'
rm -rf "$work"
