#!/usr/bin/env bash
# npm run demo: heaplens in a browser VS Code (code-server) on the example Go workspace.
# From a fresh clone it installs what it needs (npm deps, code-server into the cache, Debian packages
# when root), packages the extension, installs it into a persistent demo profile, and serves
#   http://127.0.0.1:${PORT:-8080}/?folder=<workspace>
# until Ctrl-C. Env: PORT, HEAPLENS_CACHE (default ~/.cache/heaplens), HEAPLENS_DEMO_DIR (profile +
# workspace, default $HEAPLENS_CACHE/demo), DEMO_EXIT_AFTER_READY=1 (stop once the server answers).
set -euo pipefail
source "$(dirname "$0")/e2e/lib.sh"

DEMO="${HEAPLENS_DEMO_DIR:-$HL_CACHE/demo}"
UD="$DEMO/user-data"; EXT="$DEMO/extensions"; WS="$DEMO/workspace"
mkdir -p "$DEMO"

stop() {
  trap - EXIT INT TERM
  if [ -n "${HL_CS_PGID:-}" ]; then
    hl_log "stopping code-server"
    hl_stop_code_server
  fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

hl_ensure_node_modules
hl_code_server

ID="$(hl_extension_id)"
hl_log "packaging and installing $ID"
hl_package_vsix "$DEMO/heaplens.vsix"
[ -f "$UD/User/settings.json" ] || hl_write_settings "$UD"   # the profile keeps the user's changes
hl_install_vsix "$DEMO/heaplens.vsix" "$UD" "$EXT" "$ID"
hl_assemble_workspace "$WS"

PORT="${PORT:-8080}"
if ! hl_port_free "$PORT"; then
  free="$(hl_free_port)"
  hl_log "port $PORT is busy, using $free"
  PORT="$free"
fi
hl_start_code_server "$PORT" "$UD" "$EXT" "$WS" "$DEMO/code-server.log"
hl_wait_healthz "$PORT" 60 "$DEMO/code-server.log"

URL="http://127.0.0.1:$PORT/?folder=$WS"
cat <<EOF

  heaplens demo is running:  $URL

  In the Explorer open profiles/bodies, select good_heap.prof and bad_heap.prof (Ctrl+click),
  right-click → Compare Profiles. Other scenarios are under profiles/.
  (Remote machine? ssh -L $PORT:127.0.0.1:$PORT <host>, then open the URL locally.)
  Server log: $DEMO/code-server.log — Ctrl-C to stop.

EOF

if [ -n "${DEMO_EXIT_AFTER_READY:-}" ]; then
  exit 0
fi
while kill -0 "$HL_CS_PGID" 2>/dev/null; do sleep 1; done
HL_CS_PGID=""
hl_log "code-server exited (log: $DEMO/code-server.log)"
