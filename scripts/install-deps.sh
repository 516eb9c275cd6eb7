#!/usr/bin/env bash
# Installs the Debian packages Kiln builds and tests with. Idempotent: silent when everything is present.
set -euo pipefail

# libsecp256k1: the host's signer and the tests' reference; RocksDB: the state store; jansson: JSON; pycryptodome, ecdsa and
# rlp: independent Python references for the protocol tests.
pkgs=(build-essential cmake ninja-build pkg-config clang lld libclang-rt-14-dev libgtest-dev libssl-dev
      libsecp256k1-dev librocksdb-dev libjansson-dev python3-pycryptodome python3-ecdsa python3-rlp)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# nvcc ships with the machine image (CUDA 13); the build compiles CUDA code only where it is found.
if ! command -v nvcc >/dev/null 2>&1 && [ ! -x /usr/local/cuda/bin/nvcc ]; then
    echo "install-deps: note: nvcc not found; building without the CUDA backend"
fi
