#!/usr/bin/env bash
# Install code-server 4.100.3 (= VS Code 1.100.3, the last release that runs on Node 20) from the
# npm registry into a cache directory, without any other network access (no GitHub downloads).
#
#   scripts/e2e/install-code-server.sh [DEST]
#     DEST defaults to ${HEAPLENS_CACHE:-$HOME/.cache/heaplens}/code-server
#   Prints the path of the code-server launcher on the last line of stdout.
#
# Reused when DEST already holds a verified install (marker file). Safe to run concurrently (flock).
# On a fresh Debian/Ubuntu machine running as root it apt-installs what it needs.
set -euo pipefail

CS_VERSION=4.100.3
CACHE="${HEAPLENS_CACHE:-$HOME/.cache/heaplens}"
DEST="${1:-$CACHE/code-server}"
MARKER="$DEST/.heaplens-installed-$CS_VERSION"
CS_BIN="$DEST/node_modules/.bin/code-server"
APT_PACKAGES=(libkrb5-dev pkg-config ripgrep build-essential python3 chromium)

log() { echo "[install-code-server] $*" >&2; }

if [ -f "$MARKER" ] && [ -x "$CS_BIN" ]; then
  echo "$CS_BIN"
  exit 0
fi

# ---- 1. system packages ------------------------------------------------------------------------
# libkrb5-dev + pkg-config: the `kerberos` native module; build-essential + python3: node-gyp;
# ripgrep: its binary stands in for @vscode/ripgrep's GitHub download; chromium: the test browser.
missing=()
if command -v dpkg >/dev/null; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    log "WARNING: missing Debian packages: ${missing[*]} (run as root or install them: sudo apt-get install ${missing[*]})"
  fi
fi
for tool in rg cc make python3; do
  command -v "$tool" >/dev/null || { log "ERROR: '$tool' not found (need: ${APT_PACKAGES[*]})"; exit 1; }
done

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  log "ERROR: code-server $CS_VERSION needs Node 20 (found $(node --version))"
  exit 1
fi

mkdir -p "$(dirname "$DEST")"
exec 9>"$DEST.lock"
flock 9   # another run may be installing right now: wait for it, then re-check
if [ -f "$MARKER" ] && [ -x "$CS_BIN" ]; then
  echo "$CS_BIN"
  exit 0
fi

# ---- 2. pre-seed @vscode/ripgrep's download cache ----------------------------------------------
# Its postinstall fetches ripgrep from GitHub releases unless
# $TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<tag>-<target>.tar.gz exists already. The
# install runs with a private TMPDIR ($STAGE.tmp), so the seeded cache does not outlive it.
RG_PKG_VERSION=1.15.11   # the version VS Code 1.100 pins
RG_TAG=v13.0.0-10
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) log "ERROR: unsupported architecture $(uname -m)"; exit 1 ;;
esac
STAGE="$DEST.staging"
rm -rf "$STAGE" "$STAGE.tmp"
mkdir -p "$STAGE" "$STAGE.tmp/rg" "$STAGE.tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
cp "$(command -v rg)" "$STAGE.tmp/rg/rg"
tar czf "$STAGE.tmp/vscode-ripgrep-cache-$RG_PKG_VERSION/ripgrep-$RG_TAG-$RG_TARGET.tar.gz" -C "$STAGE.tmp/rg" rg

# node-gyp compiles against the running Node's headers when they are installed (Debian: nodejs
# ships /usr/include/node) instead of downloading them
NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$NODE_PREFIX/include/node/node.h" ]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi

# ---- 3. npm install into the staging dir, verified, then moved into place ----------------------
# npm >= 11.x blocks dependency install scripts unless approved ("npm warn install-scripts ...";
# approvals live in package.json#allowScripts or an .npmrc `allow-scripts=` list). code-server needs
# its postinstall, which runs two nested `npm install`s (lib/vscode, lib/vscode/extensions) whose
# native modules (node-pty, spdlog, kerberos, watcher, ...) must build. Traps:
#  - `--allow-scripts` / npm_config_allow_scripts is rejected in project installs (EALLOWSCRIPTS),
#    and an allow-scripts set in any npmrc of the outer npm is exported to its scripts' environment
#    as npm_config_allow_scripts, so the nested npm fails with EALLOWSCRIPTS too;
#  - an allowScripts field in our package.json covers only the outer install.
# So: (a) fetch everything with --ignore-scripts, (b) drop a project .npmrc approving the exact
# packages into each nested project, (c) `npm rebuild`, which runs argon2's build and code-server's
# postinstall as approved by our package.json. strict-allow-scripts turns any unapproved script into
# a hard error instead of a silently broken install. Older npm versions ignore these keys.
cat > "$STAGE/package.json" <<'JSON'
{
  "name": "heaplens-code-server",
  "private": true,
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
NESTED_ALLOW="esbuild,@parcel/watcher,@vscode/deviceid,@vscode/ripgrep,@vscode/spdlog,kerberos,native-watchdog,node-pty,@vscode/windows-ca-certs,@vscode/windows-process-tree,@vscode/windows-registry"

log "npm install code-server@$CS_VERSION into $DEST (compiles native modules; a few minutes)"
start=$(date +%s)
(
  cd "$STAGE"
  # unsafe_perm: code-server's postinstall refuses to run as root without it
  # yes: node-pty's install runs `npx`, which would otherwise prompt
  # foreground_scripts: build output (and failures) end up in the log
  export TMPDIR="$STAGE.tmp" npm_config_yes=true npm_config_unsafe_perm=true \
         npm_config_foreground_scripts=true npm_config_strict_allow_scripts=true \
         npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  set -x
  npm install --ignore-scripts --save-exact "code-server@$CS_VERSION"
  for d in node_modules/code-server/lib/vscode node_modules/code-server/lib/vscode/extensions; do
    printf 'allow-scripts=%s\nstrict-allow-scripts=true\n' "$NESTED_ALLOW" > "$d/.npmrc"
  done
  npm rebuild
) > "$STAGE.log" 2>&1 || { tail -n 60 "$STAGE.log" >&2; log "ERROR: npm install failed; full log: $STAGE.log"; exit 1; }

# ---- 4. verify the postinstall really ran and built the native modules -------------------------
verify() {
  local root="$1" vs="$1/node_modules/code-server/lib/vscode"
  [ -d "$vs/node_modules" ] || { log "lib/vscode/node_modules missing: code-server's postinstall did not run"; return 1; }
  [ -L "$vs/node_modules.asar" ] || { log "node_modules.asar link missing: postinstall incomplete"; return 1; }
  [ -d "$vs/extensions/node_modules/typescript" ] || { log "lib/vscode/extensions deps missing"; return 1; }
  [ -x "$vs/node_modules/@vscode/ripgrep/bin/rg" ] || { log "@vscode/ripgrep has no bin/rg"; return 1; }
  (cd "$vs" && node -e '
    for (const m of ["node-pty", "@vscode/spdlog", "kerberos", "native-watchdog", "@parcel/watcher"]) {
      try { require(m); } catch (e) { console.error("cannot load " + m + ": " + e.message); process.exit(1); }
    }') || return 1
  # --config and XDG_DATA_HOME: even --version writes a config file and a data dir otherwise
  XDG_DATA_HOME="$root/.xdg" "$root/node_modules/.bin/code-server" --config "$root/.xdg/config.yaml" --version >/dev/null || return 1
}
verify "$STAGE" || { log "ERROR: install incomplete; log: $STAGE.log"; grep -i "install-scripts\|skipp" "$STAGE.log" >&2 || true; exit 1; }

rm -rf "$DEST" "$STAGE.tmp"
mv "$STAGE" "$DEST"
mv "$STAGE.log" "$DEST/install.log"
verify "$DEST"
XDG_DATA_HOME="$DEST/.xdg" "$CS_BIN" --config "$DEST/.xdg/config.yaml" --version | head -1 > "$MARKER"
log "installed $(cat "$MARKER") in $(( $(date +%s) - start ))s"
echo "$CS_BIN"
