#!/usr/bin/env bash
# Installs, from Debian's archive, whatever outagesim needs to build, test and
# report that is not already on this machine. Idempotent: a second run with
# everything present installs nothing and touches no package index.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libsimgrid-dev libeigen3-dev libyaml-cpp-dev libfmt-dev
  libgtest-dev libgmock-dev libcli11-dev nlohmann-json3-dev libbenchmark-dev libssl-dev zlib1g-dev
  python3 python3-jsonschema python3-yaml python3-pandas
  libopenmpi-dev openmpi-bin
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
