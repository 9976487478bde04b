#!/usr/bin/env bash
# `npm start`: set up (idempotent), build, and open the extension on a demo workspace — in desktop
# VS Code when `code` is on PATH, otherwise in the local code-server at http://127.0.0.1:<port>.
# The demo workspace is a git repository under .cache/demo-workspace (created once, then reused).
# Environment: ITU_PORT (default 8080), ITU_WORKSPACE (another folder to open).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
ITU_SETUP_FOR=start bash test/harness/setup.sh
node build.mjs

workspace=${ITU_WORKSPACE:-$root/.cache/demo-workspace}
if [ -z "${ITU_WORKSPACE:-}" ] && [ ! -d "$workspace/.git" ]; then
  rm -rf "$workspace"
  cp -r test/fixtures/demo "$workspace"
  git -C "$workspace" init -q -b main
  git -C "$workspace" add -A
  git -C "$workspace" -c user.name=Demo -c user.email=demo@example.invalid commit -qm "Demo project"
fi

if command -v code >/dev/null 2>&1 && [ -z "${ITU_FORCE_CODE_SERVER:-}" ]; then
  exec code --extensionDevelopmentPath="$root" "$workspace"
fi

# code-server has no --extensionDevelopmentPath: link the source tree in as an installed extension.
state=$root/.cache/start
mkdir -p "$state/extensions" "$state/user-data/User"
ln -sfn "$root" "$state/extensions/infinite-tool-use.infinite-tool-use-0.1.0"
[ -f "$state/user-data/User/settings.json" ] || printf '{\n  "telemetry.telemetryLevel": "off",\n  "update.mode": "none",\n  "workbench.startupEditor": "none"\n}\n' >"$state/user-data/User/settings.json"
port=${ITU_PORT:-8080}
echo "Open http://127.0.0.1:$port/?folder=$workspace in a browser (Ctrl+C stops the server)."
exec node .cache/code-server/node_modules/code-server/out/node/entry.js \
  --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-getting-started-override --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" "$workspace"
