#!/usr/bin/env bash
# End-to-end tests: the packaged extension in a real VS Code (code-server 4.100.3) driven by headless
# Chromium through playwright-core, under Node's test runner. Offline apart from npm and apt.
#
#   npm run test:e2e                      all of test/e2e/*.test.mjs
#   npm run test:e2e -- test/e2e/x.test.mjs --test-name-pattern=compare
#                                         arguments ending in .mjs replace the file list, the rest go to node --test
# Env: HEAPLENS_CACHE (code-server install, default ~/.cache/heaplens), CHROMIUM (browser binary),
#      HEAPLENS_E2E_EXT_DIR (package this extension folder instead of the repo), HEAPLENS_E2E_SCENARIOS,
#      E2E_TIMEOUT (seconds for the whole test run, default 600), KEEP_RUN=1 (keep the temp run dir).
# Screenshots and logs: test/e2e/shots/ (emptied at the start of each run).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# One run at a time per checkout: runs share dist/ (vsce rebuilds it) and test/e2e/shots/.
# fd 8 holds the lock; long-lived children get it closed (8>&-) so a stray one cannot keep it.
mkdir -p "$HL_ROOT/test/e2e/.run"
LOCK="$HL_ROOT/test/e2e/.run/lock"
exec 8<>"$LOCK"
if ! flock -n 8; then
  hl_log "another e2e run is using this checkout (pid $(cat "$LOCK" 2>/dev/null || echo '?')); waiting for it"
  flock -w "${E2E_LOCK_WAIT:-900}" 8 || hl_die "gave up waiting for the other e2e run"
fi
echo $$ > "$LOCK"

T0=$(hl_now)
SHOTS="$HL_ROOT/test/e2e/shots"
EXT_SRC="${HEAPLENS_E2E_EXT_DIR:-$HL_ROOT}"
# Run dirs live outside the repo. A failed run keeps its dir for inspection until the next run
# of this checkout removes it (here, under the lock): never glob-delete them while runs are active.
for old in "${TMPDIR:-/tmp}"/heaplens-e2e.*/; do
  [ "$(cat "$old/owner" 2>/dev/null)" = "$HL_ROOT" ] && rm -rf "$old"
done
RUN="$(mktemp -d "${TMPDIR:-/tmp}/heaplens-e2e.XXXXXX")"
echo "$HL_ROOT" > "$RUN/owner"
UD="$RUN/user-data"; EXT="$RUN/extensions"; WS="$RUN/workspace"
TEST_PGID=""; RC=1

teardown() {
  trap - EXIT INT TERM
  [ -z "$TEST_PGID" ] || hl_stop_group "$TEST_PGID"
  # browsers the tests launched and could not close (playwright starts them in their own process
  # group); a recorded pid counts only while it still is that browser
  if [ -f "$RUN/browser-pids" ]; then
    while read -r pid; do
      tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "playwright" && hl_stop_group "$pid"
    done < "$RUN/browser-pids"
  fi
  hl_stop_code_server
  if [ -d "$UD/logs" ]; then   # code-server + extension host logs, next to the screenshots
    mkdir -p "$SHOTS/logs" && cp -R "$UD/logs/." "$SHOTS/logs/" 2>/dev/null || true
  fi
  [ ! -f "$RUN/code-server.log" ] || cp "$RUN/code-server.log" "$SHOTS/logs/" 2>/dev/null || true
  if [ "$RC" = 0 ] && [ -z "${KEEP_RUN:-}" ]; then rm -rf "$RUN"; else hl_log "run dir kept: $RUN"; fi
  hl_log "screenshots and logs: $SHOTS"
}
trap teardown EXIT
trap 'RC=130; exit 130' INT
trap 'RC=143; exit 143' TERM

# ---- test files and node --test arguments -----------------------------------------------------
FILES=(); NODE_ARGS=()
for a in "$@"; do
  case "$a" in *.mjs) FILES+=("$(realpath "$a")") ;; *) NODE_ARGS+=("$a") ;; esac
done
[ ${#FILES[@]} -gt 0 ] || FILES=("$HL_ROOT"/test/e2e/*.test.mjs)

rm -rf "$SHOTS"; mkdir -p "$SHOTS"

# ---- 1. tools ----------------------------------------------------------------------------------
hl_ensure_node_modules
hl_code_server
hl_chromium
T_TOOLS=$(hl_now)

# ---- 2. package + install the extension into a fresh profile -----------------------------------
ID="$(hl_extension_id "$EXT_SRC")"
hl_log "packaging $ID"
hl_package_vsix "$RUN/heaplens.vsix" "$EXT_SRC"
hl_write_settings "$UD"
hl_install_vsix "$RUN/heaplens.vsix" "$UD" "$EXT" "$ID"
hl_assemble_workspace "$WS"
T_PREP=$(hl_now)

# ---- 3. code-server ----------------------------------------------------------------------------
PORT="$(hl_free_port)"
hl_start_code_server "$PORT" "$UD" "$EXT" "$WS" "$RUN/code-server.log"
hl_wait_healthz "$PORT" 60 "$RUN/code-server.log"
T_SERVER=$(hl_now)
hl_log "code-server on http://127.0.0.1:$PORT (pgid $HL_CS_PGID), workspace $WS"

# ---- 4. tests ----------------------------------------------------------------------------------
# `timeout` leads its own process group (runner + test processes), so teardown can stop all of it;
# running it in the background keeps this shell able to react to INT/TERM at once.
export E2E_CS_URL="http://127.0.0.1:$PORT" E2E_WORKSPACE="$WS" E2E_SHOTS="$SHOTS" E2E_RUN_DIR="$RUN" \
       E2E_USER_DATA="$UD" E2E_FIXTURES="$HL_FIXTURES" E2E_EXTENSION_ID="${ID%@*}" CHROMIUM="$HL_CHROMIUM"
RC=0
# XDG_CONFIG_HOME: Chromium's crash database goes to the run dir instead of ~/.config/chromium
XDG_CONFIG_HOME="$RUN/xdg-config" timeout -k 10 "${E2E_TIMEOUT:-600}" node --test --test-concurrency=1 --test-reporter=spec \
  ${NODE_ARGS[@]+"${NODE_ARGS[@]}"} "${FILES[@]}" 8>&- &
TEST_PGID=$!
wait "$TEST_PGID" || RC=$?
TEST_PGID=""
[ "$RC" != 124 ] || hl_log "tests timed out after ${E2E_TIMEOUT:-600}s"
T_END=$(hl_now)

hl_log "timings: tools $(hl_secs "$T0" "$T_TOOLS")s, package+install+workspace $(hl_secs "$T_TOOLS" "$T_PREP")s," \
  "server start $(hl_secs "$T_PREP" "$T_SERVER")s, tests $(hl_secs "$T_SERVER" "$T_END")s, total $(hl_secs "$T0" "$T_END")s"
[ "$RC" = 0 ] && hl_log "e2e: PASS" || hl_log "e2e: FAIL (exit $RC)"
exit "$RC"
