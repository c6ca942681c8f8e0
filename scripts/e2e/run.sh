#!/usr/bin/env bash
# End-to-end tests: the packaged extension in a real VS Code (code-server 4.100.3) driven by headless
# Chromium through playwright-core, under Node's test runner. Offline apart from npm and apt.
#
#   npm run test:e2e                      all of test/e2e/*.test.mjs
#   npm run test:e2e -- test/e2e/x.test.mjs --test-name-pattern=compare
#                                         arguments ending in .mjs replace the file list, the rest go to node --test
# Each test file gets its own code-server, user data and copy of the workspace: nothing a file does
# (extension state, extension hosts kept alive for reconnection, files written) reaches the next one.
# Env: HEAPLENS_CACHE (code-server install, default ~/.cache/heaplens), CHROMIUM (browser binary),
#      HEAPLENS_E2E_EXT_DIR (package this extension folder instead of the repo), HEAPLENS_E2E_SCENARIOS,
#      E2E_TIMEOUT (whole run, default 900 s), E2E_FILE_TIMEOUT (one file, default 300 s),
#      KEEP_RUN=1 (keep the temp run dir).
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
DEADLINE=$(( $(date +%s) + ${E2E_TIMEOUT:-900} ))
SHOTS="$HL_ROOT/test/e2e/shots"
EXT_SRC="${HEAPLENS_E2E_EXT_DIR:-$HL_ROOT}"
# Run dirs live outside the repo. A failed run keeps its dir for inspection until the next run
# of this checkout removes it (here, under the lock): never glob-delete them while runs are active.
for old in "${TMPDIR:-/tmp}"/heaplens-e2e.*/; do
  [ "$(cat "$old/owner" 2>/dev/null)" = "$HL_ROOT" ] && rm -rf "$old"
done
RUN="$(mktemp -d "${TMPDIR:-/tmp}/heaplens-e2e.XXXXXX")"
echo "$HL_ROOT" > "$RUN/owner"
EXT="$RUN/extensions"           # shared by all files (read-only for code-server)
TEMPLATE="$RUN/template"        # user data + workspace, copied for each file
TEST_PGID=""; RC=1; UD=""; WS=""

# finish_file: stop this file's tests and server, keep its logs next to the screenshots
finish_file() {
  [ -z "$TEST_PGID" ] || hl_stop_group "$TEST_PGID"
  TEST_PGID=""
  # browsers the tests launched and could not close (playwright starts them in their own process
  # group); a recorded pid counts only while it still is that browser
  if [ -f "$RUN/browser-pids" ]; then
    while read -r pid; do
      grep -qs playwright "/proc/$pid/cmdline" && hl_stop_group "$pid"
    done < "$RUN/browser-pids"
    rm -f "$RUN/browser-pids"
  fi
  hl_stop_code_server
  if [ -n "$WS" ] && [ ! -f "$WS/go.mod" ]; then
    hl_log "WARNING: the workspace $WS vanished during the run: something outside this run deleted it"
  fi
  if [ -n "$UD" ]; then
    local logs="$SHOTS/logs/$NAME"
    mkdir -p "$logs"
    cp -R "$UD/logs/." "$logs/" 2>/dev/null || true
    cp "$RUN/$NAME/code-server.log" "$logs/" 2>/dev/null || true
  fi
  UD=""; WS=""
}
teardown() {
  trap - EXIT INT TERM
  finish_file
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
if [ ${#FILES[@]} -eq 0 ]; then
  FILES=("$HL_ROOT"/test/e2e/*.test.mjs)
fi

rm -rf "$SHOTS"; mkdir -p "$SHOTS"

# ---- 1. tools ----------------------------------------------------------------------------------
hl_ensure_node_modules
hl_code_server
hl_chromium
hl_cjk_font
T_TOOLS=$(hl_now)

# ---- 2. package + install the extension once; the template profile and workspace ---------------
ID="$(hl_extension_id "$EXT_SRC")"
hl_log "packaging $ID"
hl_package_vsix "$RUN/heaplens.vsix" "$EXT_SRC"
hl_write_settings "$TEMPLATE/user-data"
hl_install_vsix "$RUN/heaplens.vsix" "$TEMPLATE/user-data" "$EXT" "$ID"
rm -rf "$TEMPLATE/user-data/logs"
hl_assemble_workspace "$TEMPLATE/workspace"
T_PREP=$(hl_now)
hl_log "prepared in $(hl_secs "$T_TOOLS" "$T_PREP")s"

# ---- 3. each file: fresh profile + workspace, its own code-server, node --test -----------------
export E2E_SHOTS="$SHOTS" E2E_RUN_DIR="$RUN" E2E_FIXTURES="$HL_FIXTURES" E2E_EXTENSION_ID="${ID%@*}" \
       CHROMIUM="$HL_CHROMIUM"
RC=0
SUMMARY=()
FAILED=()
for FILE in "${FILES[@]}"; do
  NAME="$(basename "$FILE" .mjs)"
  T_FILE=$(hl_now)
  mkdir -p "$RUN/$NAME"
  UD="$RUN/$NAME/user-data"; WS="$RUN/$NAME/workspace"
  cp -R "$TEMPLATE/user-data" "$UD"
  cp -R "$TEMPLATE/workspace" "$WS"
  PORT="$(hl_free_port)"
  # The extension host's event-loop probe (src/extension/stallProbe.ts) writes here; tests read it.
  export HEAPLENS_STALL_PROBE="$RUN/$NAME/stall.jsonl"
  hl_start_code_server "$PORT" "$UD" "$EXT" "$WS" "$RUN/$NAME/code-server.log"
  hl_wait_healthz "$PORT" 60 "$RUN/$NAME/code-server.log"
  T_SERVER=$(hl_now)
  hl_log "== $NAME: code-server on http://127.0.0.1:$PORT (started in $(hl_secs "$T_FILE" "$T_SERVER")s)"

  budget=$(( DEADLINE - $(date +%s) ))
  [ "$budget" -le "${E2E_FILE_TIMEOUT:-300}" ] || budget="${E2E_FILE_TIMEOUT:-300}"
  file_rc=0
  if [ "$budget" -le 0 ]; then
    file_rc=124
  else
    # `timeout` leads its own process group (runner, test process), so finish_file can stop all of
    # it; in the background, this shell still reacts to INT/TERM at once. XDG_CONFIG_HOME keeps
    # Chromium's crash database out of ~/.config.
    E2E_CS_URL="http://127.0.0.1:$PORT" E2E_STALL_PROBE="$HEAPLENS_STALL_PROBE" E2E_WORKSPACE="$WS" E2E_USER_DATA="$UD" XDG_CONFIG_HOME="$RUN/xdg-config" \
      timeout -k 10 "$budget" node --test --test-reporter=spec ${NODE_ARGS[@]+"${NODE_ARGS[@]}"} "$FILE" 8>&- \
      > >(tee "$RUN/$NAME/test.out") 2>&1 &
    TEST_PGID=$!
    wait "$TEST_PGID" || file_rc=$?
    TEST_PGID=""
  fi
  finish_file
  verdict=PASS
  if [ "$file_rc" = 124 ]; then verdict="TIMEOUT (${budget}s)"; elif [ "$file_rc" != 0 ]; then verdict=FAIL; fi
  [ "$file_rc" = 0 ] || RC=1
  SUMMARY+=("$(printf '%-8s %6ss  %s' "${verdict%% *}" "$(hl_secs "$T_FILE" "$(hl_now)")" "$NAME")")
  [ "$file_rc" = 0 ] || FAILED+=("$NAME")
  hl_log "== $NAME: $verdict"
done
T_END=$(hl_now)

hl_log "summary:"
printf '    %s\n' "${SUMMARY[@]}" >&2
hl_log "timings: tools $(hl_secs "$T0" "$T_TOOLS")s, package+install+workspace $(hl_secs "$T_TOOLS" "$T_PREP")s," \
  "test files $(hl_secs "$T_PREP" "$T_END")s, total $(hl_secs "$T0" "$T_END")s"
# A failing file's own report, again at the end: CI keeps only the tail of the output.
for NAME in ${FAILED[@]+"${FAILED[@]}"}; do
  hl_log "$NAME failed:"
  sed -n '/failing tests:/,$p' "$RUN/$NAME/test.out" 2>/dev/null | head -60 >&2 || true
done
[ "$RC" = 0 ] && hl_log "e2e: PASS" || hl_log "e2e: FAIL"
exit "$RC"
