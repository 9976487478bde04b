#!/usr/bin/env bash
# Builds llama-server (CPU) from the llama.cpp source node-llama-cpp ships
# (node_modules/node-llama-cpp/llama/gitRelease.bundle), so the server engine in tests runs the same
# llama.cpp as the in-process runtime. The result is cached in .cache/llama-server/ and keyed by the
# bundle's sha256 (written next to the binary as build-key): a new node-llama-cpp rebuilds it.
# About 8 minutes wall on 2 cores. Needs cmake and g++ (Debian; setup.sh installs them).
#   --dry-run   only say whether the cache hits (exit 0) or a build is needed (exit 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bundle=$root/node_modules/node-llama-cpp/llama/gitRelease.bundle
out=$root/.cache/llama-server
log() { printf '[llama-server] %s\n' "$*"; }

[ -f "$bundle" ] || { log "missing $bundle (run npm install first)"; exit 1; }
key=$(sha256sum "$bundle" | cut -d' ' -f1)
if [ -x "$out/llama-server" ] && [ "$(cat "$out/build-key" 2>/dev/null)" = "$key" ]; then
  log "present for bundle ${key:0:12} ($("$out/llama-server" --version 2>&1 | grep -m1 '^version' || true))"
  exit 0
fi
if [ "${1:-}" = "--dry-run" ]; then
  log "would build: no binary for bundle ${key:0:12} in .cache/llama-server"
  exit 3
fi

work=$root/.cache/tmp/llama-server-build
rm -rf "$work"
mkdir -p "$work" "$out"
started=$(date +%s)
log "building from bundle ${key:0:12} (about 8 minutes on 2 cores)"
git clone -q "$bundle" "$work/src"
# LLAMA_USE_PREBUILT_UI=OFF: ON downloads the web UI, and CI has no internet. Static, so the binary
# needs nothing from the build folder.
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_CURL=OFF -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF >"$work/cmake.log" 2>&1 || {
  tail -30 "$work/cmake.log"; log "cmake configure failed (log: $work/cmake.log)"; exit 1; }
cmake --build "$work/build" --target llama-server -j"$(nproc)" >"$work/build.log" 2>&1 || {
  tail -30 "$work/build.log"; log "build failed (log: $work/build.log)"; exit 1; }
cp "$work/build/bin/llama-server" "$out/llama-server.new"
mv "$out/llama-server.new" "$out/llama-server"
printf '%s\n' "$key" >"$out/build-key"
rm -rf "$work"
elapsed=$(( $(date +%s) - started ))
log "built in $((elapsed / 60)) min $((elapsed % 60)) s: $("$out/llama-server" --version 2>&1 | grep -m1 '^version' || true)"
