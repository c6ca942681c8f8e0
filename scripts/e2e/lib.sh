# Shared steps of scripts/e2e/run.sh and scripts/demo.sh: build + package the extension, install it
# into a code-server profile, assemble the example workspace, run code-server in its own process group.
# Source it; every function is prefixed hl_. Needs: bash, node, npm, setsid (util-linux).

HL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HL_CACHE="${HEAPLENS_CACHE:-$HOME/.cache/heaplens}"
HL_FIXTURES="${HEAPLENS_FIXTURES:-$HL_ROOT/test/fixtures}"

hl_log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
hl_die() { hl_log "ERROR: $*"; exit 1; }
hl_now() { date +%s.%N; }
hl_secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# hl_ensure_node_modules: `npm ci` (or `npm install` without a lockfile) when the repo has not been installed.
hl_ensure_node_modules() {
  [ -x "$HL_ROOT/node_modules/.bin/vsce" ] && [ -d "$HL_ROOT/node_modules/playwright-core" ] && return 0
  hl_log "installing npm dependencies"
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core never downloads; belt and braces for playwright.
  if [ -f "$HL_ROOT/package-lock.json" ]; then
    (cd "$HL_ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) >&2
  else
    (cd "$HL_ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund) >&2
  fi
}

# hl_code_server: installs code-server into the cache when needed; sets HL_CS (the launcher).
hl_code_server() {
  HL_CS="$(bash "$HL_ROOT/scripts/e2e/install-code-server.sh" | tail -n 1)"
  [ -x "$HL_CS" ] || hl_die "code-server not installed"
}

# hl_chromium: sets HL_CHROMIUM to the browser binary ($CHROMIUM wins).
hl_chromium() {
  local c
  for c in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$c" ] && [ -x "$c" ]; then HL_CHROMIUM="$c"; return 0; fi
  done
  hl_die "no Chromium found: apt-get install chromium, or set CHROMIUM=/path/to/chrome"
}

# hl_cjk_font: a font with Chinese glyphs, so the zh-cn tests and screenshots show text, not boxes
# (Debian's chromium pulls in no CJK font). Installs fonts-wqy-microhei (4 MB) when root, else warns.
hl_cjk_font() {
  command -v fc-list >/dev/null || return 0
  [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    hl_log "apt-get install fonts-wqy-microhei (Chinese glyphs for the zh-cn tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >&2
  else
    hl_log "WARNING: no Chinese font: zh-cn screenshots will show boxes (apt-get install fonts-wqy-microhei)"
  fi
}

# hl_package_vsix OUT.vsix [EXT_DIR]: builds and packages the extension (default: the repo).
# vsce runs the `vscode:prepublish` script (the production esbuild) itself; without one we build first.
hl_package_vsix() {
  local out="$1" dir="${2:-$HL_ROOT}"
  local vsce="$HL_ROOT/node_modules/.bin/vsce"
  local scripts
  scripts="$(node -p 'Object.keys(require(process.argv[1]).scripts ?? {}).join(" ")' "$dir/package.json")"
  case " $scripts " in
    *" vscode:prepublish "*) ;;
    *" build "*) (cd "$dir" && npm run --silent build) >&2 || hl_die "build failed" ;;
  esac
  # --no-dependencies: everything is bundled by esbuild, node_modules never ships
  (cd "$dir" && "$vsce" package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "$out") >&2 \
    || hl_die "vsce package failed"
}

# hl_extension_id [EXT_DIR]: prints publisher.name@version.
hl_extension_id() {
  node -p 'const p = require(process.argv[1]); `${p.publisher}.${p.name}@${p.version}`' "${1:-$HL_ROOT}/package.json"
}

# hl_install_vsix VSIX USER_DATA EXTENSIONS ID@VERSION: installs like a user would, then checks it is listed.
hl_install_vsix() {
  local vsix="$1" ud="$2" ext="$3" id="$4"
  mkdir -p "$ud" "$ext"
  # an explicit (empty) config file: code-server must not create ~/.config/code-server/config.yaml
  [ -f "$ud/config.yaml" ] || : > "$ud/config.yaml"
  hl_cs_cli "$ud" "$ext" --install-extension "$vsix" --force >&2 || hl_die "code-server --install-extension failed"
  hl_cs_cli "$ud" "$ext" --list-extensions --show-versions | grep -qxF "$id" \
    || hl_die "extension $id not listed after install"
}

# hl_cs_cli USER_DATA EXTENSIONS ARGS...: code-server's CLI on that profile, writing nothing under ~.
hl_cs_cli() {
  local ud="$1" ext="$2"
  shift 2
  XDG_DATA_HOME="$ud/.code-server-data" "$HL_CS" --config "$ud/config.yaml" --user-data-dir "$ud" --extensions-dir "$ext" "$@"
}

# hl_write_settings USER_DATA: quiet, deterministic workbench (no welcome page, tips, updates, telemetry).
hl_write_settings() {
  local ud="$1"
  mkdir -p "$ud/User"
  cat > "$ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "window.restoreWindows": "none",
  "explorer.autoReveal": false,
  "editor.minimap.enabled": false,
  "git.enabled": false,
  "git.autoRepositoryDetection": false,
  "chat.commandCenter.enabled": false
}
JSON
}

# hl_assemble_workspace DIR: a Go module (the heapscenarios sources at the root, like a user's repo)
# with profiles next to it:
#   profiles/<scenario>/good_heap.prof, bad_heap.prof   gzipped protobuf, built without -trimpath
#   profiles/trimpath/<scenario>/good_heap.prof, ...     same scenarios built with -trimpath
#   profiles/legacy/good_heap.prof, bad_heap.prof        legacy text format (?debug=1) of `bodies`
#   profiles/broken.prof                                 `bodies` bad_heap.prof cut in half
# HEAPLENS_E2E_SCENARIOS="bodies cache" limits the scenarios (default: all generated ones).
hl_assemble_workspace() {
  local ws="$1" src="$HL_FIXTURES/go/heapscenarios" prof="$HL_FIXTURES/profiles" s flavor
  [ -f "$src/go.mod" ] || hl_die "missing $src (Go fixture sources)"
  [ -f "$prof/default/bodies/new.pb.gz" ] || hl_die "missing $prof/default/bodies/new.pb.gz: run npm run fixtures"
  rm -rf "$ws"
  mkdir -p "$ws/profiles"
  cp -R "$src/." "$ws/"
  local scenarios="${HEAPLENS_E2E_SCENARIOS:-$(cd "$prof/default" && ls)}"
  for flavor in default trimpath; do
    for s in $scenarios; do
      [ -f "$prof/$flavor/$s/base.pb.gz" ] || continue
      local dest="$ws/profiles/$s"
      [ "$flavor" = default ] || dest="$ws/profiles/$flavor/$s"
      mkdir -p "$dest"
      cp "$prof/$flavor/$s/base.pb.gz" "$dest/good_heap.prof"
      cp "$prof/$flavor/$s/new.pb.gz" "$dest/bad_heap.prof"
    done
  done
  mkdir -p "$ws/profiles/legacy"
  cp "$prof/default/bodies/base.heap.txt" "$ws/profiles/legacy/good_heap.prof"
  cp "$prof/default/bodies/new.heap.txt" "$ws/profiles/legacy/bad_heap.prof"
  local size
  size=$(wc -c < "$prof/default/bodies/new.pb.gz")
  head -c $((size / 2)) "$prof/default/bodies/new.pb.gz" > "$ws/profiles/broken.prof"
}

# hl_port_free PORT: true when nothing listens on 127.0.0.1:PORT.
hl_port_free() {
  node -e 'const s = require("net").createServer().once("error", () => process.exit(1))
    .listen(+process.argv[1], "127.0.0.1", () => s.close(() => process.exit(0)))' "$1"
}

# hl_free_port: prints a port the kernel considers free right now.
hl_free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'
}

# hl_start_code_server PORT USER_DATA EXTENSIONS WORKSPACE LOG: starts code-server as the leader of a
# new session (setsid) so that hl_stop_code_server can end it with everything it spawned (extension
# host, pty host, file watcher). Sets HL_CS_PGID.
hl_start_code_server() {
  local port="$1" ud="$2" ext="$3" ws="$4" logf="$5" pidf
  # private TMPDIR (VS Code's IPC sockets) and XDG_DATA_HOME (code-server's heartbeat and coder-logs),
  # removed by hl_stop_code_server, so nothing is left in /tmp or ~/.local/share
  HL_CS_TMP="$(mktemp -d "${TMPDIR:-/tmp}/heaplens-cs.XXXXXX")"
  pidf="$HL_CS_TMP/pid"
  # the inner shell records its own pid (= the new session's pgid) and execs code-server
  TMPDIR="$HL_CS_TMP" XDG_DATA_HOME="$HL_CS_TMP/data" setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pidf" \
    "$HL_CS" --config "$ud/config.yaml" --auth none --bind-addr "127.0.0.1:$port" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$ud" --extensions-dir "$ext" "$ws" > "$logf" 2>&1 < /dev/null 8>&- &
  local i
  for i in $(seq 50); do [ -s "$pidf" ] && break; sleep 0.1; done
  HL_CS_PGID="$(cat "$pidf")"
  [ -n "$HL_CS_PGID" ] || hl_die "code-server did not start"
}

# hl_wait_healthz PORT TIMEOUT_S LOG: waits for code-server's /healthz; fails early if it died.
hl_wait_healthz() {
  local port="$1" timeout="$2" logf="$3" deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    node -e 'require("http").get(`http://127.0.0.1:${process.argv[1]}/healthz`, (r) => process.exit(r.statusCode === 200 ? 0 : 1))
      .on("error", () => process.exit(1)).setTimeout(2000, () => process.exit(1))' "$port" && return 0
    if ! kill -0 "$HL_CS_PGID" 2>/dev/null; then
      tail -n 40 "$logf" >&2
      hl_die "code-server exited during start-up (log: $logf)"
    fi
    sleep 0.3
  done
  tail -n 40 "$logf" >&2
  hl_die "code-server did not answer /healthz on port $port within ${timeout}s"
}

# hl_stop_group PGID: SIGTERM the process group, SIGKILL whatever is left after 5 s.
hl_stop_group() {
  local pgid="$1" i
  [ -n "$pgid" ] || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for i in $(seq 50); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

hl_stop_code_server() {
  hl_stop_group "${HL_CS_PGID:-}"
  HL_CS_PGID=""
  [ -z "${HL_CS_TMP:-}" ] || rm -rf "$HL_CS_TMP"
  HL_CS_TMP=""
}
