#!/usr/bin/env bash
# Crash safety of apply and destroy on the AWS types, against a local cloud started here
# (`clusterform cloud start` on 127.0.0.1, a temporary data dir). TRIALS times: `apply` a
# configuration of 19 AWS resources (VPC, subnets, internet gateway, route table, security
# group, IAM role/policy/attachment/instance profile, KMS key and alias, secret and version,
# DynamoDB table, S3 bucket with versioning, log group, key pair), SIGKILL it at a random
# instant, run it again, and check that it converged: `plan -detailed-exitcode` says no
# changes, state holds all 19, and the cloud holds exactly what state names (no duplicate, no
# orphan); then the same for `destroy`: after the re-run, state is empty and so is the cloud.
# Prints one line per trial and a closing "N passed, N failed" with the wall time.
#
#   tests/crash_apply_aws.sh [CLUSTERFORM] [TRIALS] [faults]
#
# With `faults`, the local cloud injects 10 % throttling and 5 % 5xx (2.5 % 500, 2.5 % 503)
# on every call of every apply and destroy (PUT /_clusterform/config, docs/local-cloud.md);
# the checks between them run without faults, so what they count is exact. ctest runs 3
# trials with faults (crash_apply_aws_faults, label crash); issue 12's 100 trials are
# CF_CRASH_TRIALS=100 (the variable overrides TRIALS).
set -u
CF=${1:-build/clusterform}
TRIALS=${CF_CRASH_TRIALS:-${2:-8}}
FAULTS=${3:-}
CF=$(readlink -f "$CF")
work=$(mktemp -d)
cloud="$work/cloud"
cleanup() {
  "$CF" cloud stop --data-dir "$cloud" >/dev/null 2>&1
  [ "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
started=$("$CF" cloud start --port 0 --data-dir "$cloud") || { echo "cloud start failed"; exit 1; }
port=$(echo "$started" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1 HOME="$work"
passed=0
failed=0
expected=19
began=$(date +%s)

# Faults on (for apply and destroy) or off (for the checks).
faults() {
  [ "$FAULTS" = faults ] || return 0
  local profile='{"rules": []}'
  if [ "$1" = on ]; then
    profile='{"rules": [{"service": "*", "operation": "*", "throttle_rate": 0.10, "error_500_rate": 0.025, "error_503_rate": 0.025}]}'
  fi
  curl -sf -X PUT --data "$profile" "$AWS_ENDPOINT_URL/_clusterform/config" >/dev/null ||
    { echo "cannot set the fault profile"; exit 1; }
}

write_config() {
  cat > "$1/main.tf" <<'TF'
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "127.30.0.0/16"
  tags       = { Name = "crash" }
}
resource "aws_subnet" "s" {
  count      = 2
  vpc_id     = aws_vpc.v.id
  cidr_block = "127.30.${count.index}.0/24"
}
resource "aws_internet_gateway" "g" {
  vpc_id = aws_vpc.v.id
}
resource "aws_route_table" "r" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g.id
  }
}
resource "aws_security_group" "sg" {
  name   = "crash-sg"
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["127.0.0.0/8"]
  }
}
resource "aws_iam_role" "role" {
  name = "crash-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}
resource "aws_iam_policy" "p" {
  name = "crash-policy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.role.name
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_iam_instance_profile" "ip" {
  name = "crash-profile"
  role = aws_iam_role.role.name
}
resource "aws_kms_key" "k" {
  description = "crash"
}
resource "aws_kms_alias" "k" {
  name          = "alias/crash"
  target_key_id = aws_kms_key.k.key_id
}
resource "aws_secretsmanager_secret" "s" {
  name                    = "crash-secret"
  recovery_window_in_days = 0
}
resource "aws_secretsmanager_secret_version" "s" {
  secret_id     = aws_secretsmanager_secret.s.id
  secret_string = "value"
}
resource "aws_dynamodb_table" "t" {
  name         = "crash-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "k"
  attribute {
    name = "k"
    type = "S"
  }
}
resource "aws_s3_bucket" "b" {
  bucket        = "crash-bucket"
  force_destroy = true
}
resource "aws_s3_bucket_versioning" "b" {
  bucket = aws_s3_bucket.b.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_cloudwatch_log_group" "l" {
  name = "crash-logs"
}
resource "aws_key_pair" "kp" {
  key_name   = "crash-key"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBIzgwJPwOtnXXeGbUK/sRFPDR8uzo3SYN9yH2csOY/k crash"
}
TF
}

aws_json() {
  "$CF" aws "$@" 2>/dev/null || echo '{}'
}

# What the cloud holds of this configuration: one count per kind, for comparison with state.
cloud_counts() {
  local vpcs subnets igws rtbs sgs roles policies profiles keys aliases secrets tables buckets logs kps
  vpcs=$(aws_json ec2 DescribeVpcs --input '{"Filters":[{"Name":"cidr","Values":["127.30.0.0/16"]}]}' | jq '.Vpcs | length')
  subnets=$(aws_json ec2 DescribeSubnets --input '{"Filters":[{"Name":"cidr-block","Values":["127.30.0.0/24","127.30.1.0/24"]}]}' | jq '.Subnets | length')
  igws=$(aws_json ec2 DescribeInternetGateways |
    jq --arg base "$base_igws" '[.InternetGateways[] | select(.InternetGatewayId as $i | $base | split(" ") | index($i) | not)] | length')
  rtbs=$(aws_json ec2 DescribeRouteTables | jq '[.RouteTables[] | select(any(.Associations[]?; .Main == true) | not)] | length')
  sgs=$(aws_json ec2 DescribeSecurityGroups --input '{"Filters":[{"Name":"group-name","Values":["crash-sg"]}]}' | jq '.SecurityGroups | length')
  roles=$(aws_json iam ListRoles | jq '[.Roles[] | select(.RoleName == "crash-role")] | length')
  policies=$(aws_json iam ListPolicies --input '{"Scope":"Local"}' | jq '[.Policies[] | select(.PolicyName == "crash-policy")] | length')
  profiles=$(aws_json iam ListInstanceProfiles | jq '[.InstanceProfiles[] | select(.InstanceProfileName == "crash-profile")] | length')
  keys=0
  for k in $(aws_json kms ListKeys | jq -r '.Keys[].KeyId'); do
    st=$(aws_json kms DescribeKey --input "{\"KeyId\":\"$k\"}" | jq -r '.KeyMetadata | .KeyState + "/" + .Description')
    [ "$st" = Enabled/crash ] && keys=$((keys + 1))
  done
  aliases=$(aws_json kms ListAliases | jq '[.Aliases[] | select(.AliasName == "alias/crash")] | length')
  secrets=$(aws_json secretsmanager ListSecrets | jq '[.SecretList[] | select(.Name == "crash-secret")] | length')
  tables=$(aws_json dynamodb ListTables | jq '[.TableNames[] | select(. == "crash-table")] | length')
  buckets=$(aws_json s3 ListBuckets | jq '[.Buckets[]? | select(.Name == "crash-bucket")] | length')
  logs=$(aws_json logs DescribeLogGroups | jq '[.logGroups[] | select(.logGroupName == "crash-logs")] | length')
  kps=$(aws_json ec2 DescribeKeyPairs | jq '.KeyPairs | length')
  echo "vpc=$vpcs subnet=$subnets igw=$igws rtb=$rtbs sg=$sgs role=$roles policy=$policies profile=$profiles key=$keys alias=$aliases secret=$secrets table=$tables bucket=$buckets logs=$logs keypair=$kps"
}

all_one="vpc=1 subnet=2 igw=1 rtb=1 sg=1 role=1 policy=1 profile=1 key=1 alias=1 secret=1 table=1 bucket=1 logs=1 keypair=1"
all_zero="vpc=0 subnet=0 igw=0 rtb=0 sg=0 role=0 policy=0 profile=0 key=0 alias=0 secret=0 table=0 bucket=0 logs=0 keypair=0"

# The local cloud's own: the default VPC's internet gateway.
base_igws=$(aws_json ec2 DescribeInternetGateways | jq -r '[.InternetGateways[].InternetGatewayId] | join(" ")')

# How long an uninterrupted apply takes here: the kills land anywhere within it.
probe="$work/probe"
mkdir -p "$probe"
write_config "$probe"
faults on
t0=$(date +%s%N)
"$CF" apply -auto-approve "$probe" >"$probe/apply.log" 2>&1 || { echo "probe apply failed"; tail -20 "$probe/apply.log"; exit 1; }
t1=$(date +%s%N)
"$CF" destroy -auto-approve "$probe" >"$probe/destroy.log" 2>&1 || { echo "probe destroy failed"; tail -20 "$probe/destroy.log"; exit 1; }
faults off
span_ms=$(( (t1 - t0) / 1000000 ))
echo "an uninterrupted apply takes ${span_ms} ms; killing within that${FAULTS:+ (faults: 10 % throttling, 5 % 5xx)}"

for trial in $(seq 1 "$TRIALS"); do
  dir="$work/t$trial"
  mkdir -p "$dir"
  write_config "$dir"
  ok=1
  for phase in apply destroy; do
    faults on
    "$CF" "$phase" -auto-approve "$dir" >"$dir/$phase.1.log" 2>&1 &
    pid=$!
    sleep "$(awk "BEGIN { print $((RANDOM % (span_ms + 1))) / 1000 }")"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! "$CF" "$phase" -auto-approve -lock-timeout=10s "$dir" >"$dir/$phase.2.log" 2>&1; then
      echo "trial $trial $phase: the re-run failed: $(grep -m3 Error "$dir/$phase.2.log" | tr '\n' ' ')"
      ok=0
      faults off
      break
    fi
    faults off
    counts=$(cloud_counts)
    inst=$("$CF" state list -dir "$dir" | wc -l)
    if [ "$phase" = apply ]; then
      "$CF" plan -detailed-exitcode "$dir" >"$dir/plan.log" 2>&1
      rc=$?
      if [ "$rc" != 0 ] || [ "$inst" != "$expected" ] || [ "$counts" != "$all_one" ]; then
        echo "trial $trial apply: not converged (plan exit $rc, $inst instances, cloud: $counts)"
        ok=0
        break
      fi
    else
      if [ "$inst" != 0 ] || [ "$counts" != "$all_zero" ]; then
        echo "trial $trial destroy: $inst instances left, cloud: $counts"
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
    # Start the next trial from an empty cloud.
    "$CF" cloud reset --data-dir "$cloud" >/dev/null 2>&1
    base_igws=$(aws_json ec2 DescribeInternetGateways | jq -r '[.InternetGateways[].InternetGatewayId] | join(" ")')
  fi
done
echo "$passed passed, $failed failed in $(( $(date +%s) - began )) s"
[ "$failed" = 0 ]
