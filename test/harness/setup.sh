#!/usr/bin/env bash
# Installs what the integration tests and `npm start` need, idempotently:
#   - Debian packages: chromium (headless browser), libkrb5-dev (to build code-server's kerberos
#     module), ripgrep (VS Code's search), fonts-liberation, git, openscad with xvfb and xauth (the
#     CAD tools: OpenSCAD renders PNGs through xvfb-run's private X server);
#   - cmake and g++ (to build llama-server for the server engine's tests);
#   - code-server 4.100.3 (VS Code 1.100.3) from npm into .cache/code-server (ignored by git).
#   - llama-server built from node-llama-cpp's llama.cpp bundle into .cache/llama-server
#     (buildLlamaServer.sh; cached by the bundle's hash).
# Work already done is skipped. Needs root (or sudo) only when Debian packages are missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
cs_version=4.100.3
cache=$root/.cache
cs_dir=$cache/code-server
rg_version=1.15.11

log() { printf '[setup] %s\n' "$*"; }

missing=()
for pkg in chromium libkrb5-dev ripgrep fonts-liberation git openscad xvfb xauth cmake g++; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present"
fi

# Only the server engine's tests need llama-server: `npm start` (ITU_SETUP_FOR=start) skips its
# 8-minute build, so a first start is not held up by it.
if [ "${ITU_SETUP_FOR:-test}" = "start" ]; then
  log "llama-server build skipped for npm start (the tests build it: npm test or npm run setup)"
else
  bash "$root/test/harness/buildLlamaServer.sh"
fi

entry=$cs_dir/node_modules/code-server/out/node/entry.js
if [ -f "$cs_dir/.complete-$cs_version" ] && [ -f "$entry" ]; then
  log "code-server $cs_version present"
  exit 0
fi

log "installing code-server $cs_version into .cache (about 2 minutes)"
rm -rf "$cs_dir"
mkdir -p "$cs_dir" "$cache/tmp"
export TMPDIR=$cache/tmp
# @vscode/ripgrep downloads rg from GitHub in postinstall; it accepts a cached tarball instead, so
# hand it Debian's rg.
rg_cache=$TMPDIR/vscode-ripgrep-cache-$rg_version
mkdir -p "$rg_cache/stage"
cp "$(command -v rg)" "$rg_cache/stage/rg"
tar -C "$rg_cache/stage" -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
# node-pty's postinstall runs `npx node-gyp` (needs yes=true); postinstall refuses root without
# unsafe_perm; nodedir stops node-gyp downloading headers.
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=${npm_config_nodedir:-/usr}
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
cd "$cs_dir"
printf '{"name":"code-server-cache","private":true}\n' >package.json
npm install --no-save --ignore-scripts --loglevel=error "code-server@$cs_version" >/dev/null
npm rebuild argon2 --loglevel=error >/dev/null
cd node_modules/code-server
npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64 workspaces/false" bash ./postinstall.sh >"$cache/code-server-postinstall.log" 2>&1 || {
  tail -30 "$cache/code-server-postinstall.log"; log "code-server postinstall failed (log: .cache/code-server-postinstall.log)"; exit 1; }
[ -x lib/vscode/node_modules/@vscode/ripgrep/bin/rg ] || { log "ripgrep did not install"; exit 1; }
touch "$cs_dir/.complete-$cs_version"
log "code-server $cs_version installed"
