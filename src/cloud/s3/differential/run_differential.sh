#!/usr/bin/env bash
# Differential test of the local cloud's S3 against s3rver (an independent S3 implementation
# from the npm registry):
#   src/cloud/s3/differential/run_differential.sh [BUILD_DIR]
# Installs s3rver under BUILD_DIR/s3rver (once; skipped with a message when npm cannot reach
# its registry), then runs the S3DifferentialTest of BUILD_DIR/tests/cf_cloud_test with
# CF_S3RVER set, which starts s3rver on 127.0.0.1 and compares both servers' answers to one
# sequence of object operations. With RECORD=1, s3rver's answers are also saved as
# s3rver_expected.jsonl beside this script: without CF_S3RVER the test compares the local
# cloud with that recording (no network needed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../../../build}" && pwd)
script="$build/s3rver/node_modules/s3rver/bin/s3rver.js"
if [ ! -f "$script" ]; then
  mkdir -p "$build/s3rver"
  if ! npm install --prefix "$build/s3rver" s3rver >/dev/null 2>&1; then
    echo "run_differential: npm could not install s3rver (offline?); skipped" >&2
    exit 0
  fi
fi
CF_S3RVER="$script" CF_S3RVER_RECORD="${RECORD:-0}" \
  "$build/tests/cf_cloud_test" --gtest_filter='S3DifferentialTest.*'
