// The scripts the WEKA simulator serves and installs: the client behind `weka` and the
// simulated OS commands, the installer, and the shims of <data dir>/bin.

#include <fmt/core.h>

#include "cloud/wekasim/wekasim.h"

namespace cf::cloud::wekasim {

namespace {

// Sends argv (NUL-separated) to the local cloud, prints the answer's stdout and stderr and
// exits with its code. `weka local run` runs its command here, with wapi and manhole on PATH;
// `hostname -I` is answered locally.
constexpr char kClient[] = R"SH(#!/bin/bash
# The clusterform WEKA simulator's client: NOT WEKA software. Sends this command to the local
# cloud, which answers for this instance's simulated WEKA containers, cluster and devices.
prog="${0##*/}"
case "$prog" in
  weka|wapi|manhole|lsblk|lscpu|mkfs.ext4|mount|weka_sign_drive|hostname) ;;
  *) prog=weka ;;
esac
if [ "$prog" = hostname ]; then
  case "${1:-}" in
    -I|--all-ip-addresses) echo "${CLUSTERFORM_PRIVATE_IP:-127.0.0.1} " ;;
    -i|--ip-address) echo "${CLUSTERFORM_PRIVATE_IP:-127.0.0.1}" ;;
    "") ip="${CLUSTERFORM_PRIVATE_IP:-127.0.0.1}"; echo "ip-${ip//./-}" ;;
    *) echo "hostname: the simulated instance's host name cannot be changed" >&2; exit 1 ;;
  esac
  exit 0
fi
if [ "$prog" = weka ] && [ "${1:-}" = local ] && [ "${2:-}" = run ]; then
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      -C|--container|--in) shift 2 ;;
      -e|--environment) export "$2"; shift 2 ;;
      --) shift; break ;;
      -*) shift ;;
      *) break ;;
    esac
  done
  export PATH="${CLUSTERFORM_INSTANCE_ROOT:-}/usr/local/bin:$PATH"
  exec "$@"
fi
if [ -z "${AWS_ENDPOINT_URL:-}" ] || [ -z "${CLUSTERFORM_INSTANCE_ID:-}" ]; then
  echo "$prog: the clusterform WEKA simulator runs only on a local-cloud instance" >&2
  exit 127
fi
printf '%s\0' "$prog" "$@" | curl -sS --max-time 120 \
    -H "X-Wekasim-Instance: $CLUSTERFORM_INSTANCE_ID" \
    -H "X-Wekasim-Username: ${WEKA_USERNAME:-}" \
    -H "X-Wekasim-Password: ${WEKA_PASSWORD:-}" \
    -H 'Content-Type: application/octet-stream' --data-binary @- \
    "${AWS_ENDPOINT_URL%/}/_wekasim/v1/exec" | {
  # The answer: "wekasim-exit CODE STDOUT-BYTES", then stdout, then stderr.
  read -r tag code outlen || true
  if [ "${tag:-}" != wekasim-exit ]; then
    echo "$prog: the local cloud did not answer (clusterform WEKA simulator)" >&2
    exit 255
  fi
  head -c "$outlen"
  cat >&2
  exit "$code"
}
)SH";

constexpr char kSudo[] = R"SH(#!/bin/bash
# clusterform local cloud (WEKA simulator): instances run unprivileged; sudo runs the command
# as the instance's own user.
while [ $# -gt 0 ]; do
  case "$1" in
    -u|-g) shift 2 ;;
    --) shift; break ;;
    -*) shift ;;
    *) break ;;
  esac
done
exec "$@"
)SH";

constexpr char kYum[] = R"SH(#!/bin/bash
# clusterform local cloud (WEKA simulator): packages are not installed on a simulated
# instance; the host's own tools (jq, curl, python3) serve instead.
echo "yum (clusterform simulator): nothing to do for: $*"
echo "Complete!"
exit 0
)SH";

constexpr char kInstaller[] = R"SH(#!/bin/bash
# The clusterform WEKA simulator's installer: NOT WEKA software. It installs a `weka` command
# that talks to the local cloud's simulated WEKA cluster (release {release}).
set -euo pipefail
ROOT="${{CLUSTERFORM_INSTANCE_ROOT:?the WEKA simulator installs only on a local-cloud instance}}"
echo "Installing the clusterform WEKA simulator {release} for WEKA {version} (not WEKA software)"
mkdir -p "$ROOT/usr/local/bin" "$ROOT/weka/tools" "$ROOT/opt/weka/tmp"
cat >"$ROOT/usr/local/bin/.weka.new" <<'WEKASIM_CLIENT_EOF'
{client}WEKASIM_CLIENT_EOF
chmod 0755 "$ROOT/usr/local/bin/.weka.new"
mv -f "$ROOT/usr/local/bin/.weka.new" "$ROOT/usr/local/bin/weka"
ln -sf weka "$ROOT/usr/local/bin/wapi"
ln -sf weka "$ROOT/usr/local/bin/manhole"
ln -sf "$ROOT/usr/local/bin/weka" "$ROOT/weka/tools/weka_sign_drive"
# The CPU topology a real instance shows under /sys (the deploy script reads thread siblings).
ncpu=$(lscpu | sed -n 's/^CPU(s): *//p')
half=$(( ncpu > 1 ? ncpu / 2 : 1 ))
for ((i = 0; i < ncpu; i++)); do
  topology="$ROOT/sys/devices/system/cpu/cpu$i/topology"
  mkdir -p "$topology"
  core=$((i % half))
  echo "$core,$((core + half))" >"$topology/thread_siblings_list"
done
mkdir -p "$ROOT/sys/class/net/eth0"
"$ROOT/usr/local/bin/weka" __installed '{version}'
echo "The clusterform WEKA simulator is installed: $ROOT/usr/local/bin/weka"
)SH";

}  // namespace

std::string ClientScript() {
  return kClient;
}

std::string InstallerScript(const std::string& version) {
  return fmt::format(kInstaller, fmt::arg("release", kRelease), fmt::arg("version", version),
                     fmt::arg("client", kClient));
}

std::vector<std::pair<std::string, std::string>> ShimScripts() {
  return {{"lsblk", kClient},
          {"lscpu", kClient},
          {"mkfs.ext4", kClient},
          {"mount", kClient},
          {"weka_sign_drive", kClient},
          {"hostname", kClient},
          {"sudo", kSudo},
          {"yum", kYum}};
}

}  // namespace cf::cloud::wekasim
