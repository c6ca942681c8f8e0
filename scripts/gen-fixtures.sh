#!/usr/bin/env bash
# Regenerates the Go heap profile fixtures and their `go tool pprof` goldens.
#
#   bash scripts/gen-fixtures.sh        (or: npm run fixtures)
#
# Outputs (all under test/fixtures/):
#   profiles/<build>/<scenario>/{base,new}.{pb.gz,heap.txt}
#   golden/<build>/<scenario>/<which>.<sample_index>.<functions|lines>.txt
#   golden/default/<scenario>/<base|new>.text.<sample_index>.addresses.txt
# and checks scenarios.json against the generated goldens. Then runs
# scripts/gen-service-fixtures.sh for the service scenarios (the entries of
# scenarios.json that have `builds`).
#
# The Go programs are copied to and built in the fixed directory
# /tmp/heaplens-build, so the file paths recorded in the profiles do not
# depend on where the repository is checked out.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$REPO/test/fixtures"
BUILD_ROOT=/tmp/heaplens-build
SCENARIOS=(bodies cache goroutines compressors churn pools shrink)
BUILDS=(default trimpath)
SAMPLE_INDEXES=(alloc_objects alloc_space inuse_objects inuse_space)

started=$(date +%s)
log() { printf '[gen-fixtures] %s\n' "$*" >&2; }
die() { printf '[gen-fixtures] error: %s\n' "$*" >&2; exit 1; }

# --- toolchain -------------------------------------------------------------
if ! command -v go >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "go not found; installing golang-go with apt"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
  else
    die "go is not installed (Debian: apt-get install golang-go)"
  fi
fi
command -v node >/dev/null 2>&1 || die "node is required for the manifest check"

# Nothing may be downloaded; builds are static and reproducible.
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0
# pprof: never look for binaries, never write into the repo, stable clock.
export PPROF_BINARY_PATH=/nonexistent TZ=UTC
TMP="$(mktemp -d)"
export PPROF_TMPDIR="$TMP/pprof"
mkdir -p "$PPROF_TMPDIR"
cleanup() {
  if [ -n "${LEAKY_PID:-}" ]; then kill "$LEAKY_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

log "$(go version)"

# --- build -----------------------------------------------------------------
rm -rf "$BUILD_ROOT"
mkdir -p "$BUILD_ROOT/bin/default" "$BUILD_ROOT/bin/trimpath"
cp -R "$FIX/go/heapscenarios" "$BUILD_ROOT/heapscenarios"
cp -R "$FIX/go/leakyservice" "$BUILD_ROOT/leakyservice"
(
  cd "$BUILD_ROOT/heapscenarios"
  go vet ./...
  go build -o "$BUILD_ROOT/bin/default/heapscenarios" .
  go build -trimpath -o "$BUILD_ROOT/bin/trimpath/heapscenarios" .
)
(
  cd "$BUILD_ROOT/leakyservice"
  go vet ./...
  go build -o "$BUILD_ROOT/bin/leakyservice" .
)

listed="$("$BUILD_ROOT/bin/default/heapscenarios" -list | awk '{print $1}' | tr '\n' ' ')"
[ "$listed" = "$(printf '%s\n' "${SCENARIOS[@]}" | sort | tr '\n' ' ')" ] \
  || die "scenario list mismatch: binary has: $listed"

# --- leakyservice smoke run -------------------------------------------------
# Leaks faster than the default so a heap profile taken after ~2s shows the
# leak line with overwhelming probability.
log "smoke-running leakyservice"
"$BUILD_ROOT/bin/leakyservice" -duration 4s -leak-every 50ms >"$TMP/leaky.out" 2>"$TMP/leaky.err" &
LEAKY_PID=$!
addr=""
for _ in $(seq 1 50); do
  line="$(head -n 1 "$TMP/leaky.out" 2>/dev/null || true)"
  if [[ "$line" =~ ^listening\ on\ (127\.0\.0\.1:[0-9]+)$ ]]; then
    addr="${BASH_REMATCH[1]}"
    break
  fi
  sleep 0.1
done
[ -n "$addr" ] || die "leakyservice did not print 'listening on 127.0.0.1:PORT' (got: $(cat "$TMP/leaky.out" "$TMP/leaky.err"))"
sleep 2
go tool pprof -symbolize=none -top -lines -sample_index=inuse_space \
  "http://$addr/debug/pprof/heap?gc=1" >"$TMP/leaky.top" 2>"$TMP/leaky.pprof.err" \
  || { cat "$TMP/leaky.pprof.err" >&2; die "could not fetch a heap profile from leakyservice"; }
grep -q 'main.recordAuditEvent .*leak.go:' "$TMP/leaky.top" \
  || { cat "$TMP/leaky.top" >&2; die "leak line not in leakyservice heap profile"; }
for _ in $(seq 1 80); do
  kill -0 "$LEAKY_PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$LEAKY_PID" 2>/dev/null; then die "leakyservice did not stop after -duration"; fi
wait "$LEAKY_PID" || die "leakyservice exited with status $?"
LEAKY_PID=""
log "leakyservice ok ($addr)"

# --- profiles --------------------------------------------------------------
for build in "${BUILDS[@]}"; do
  rm -rf "$FIX/profiles/$build"
  for s in "${SCENARIOS[@]}"; do
    out="$FIX/profiles/$build/$s"
    t0=$(date +%s%N)
    "$BUILD_ROOT/bin/$build/heapscenarios" -scenario "$s" -out "$out"
    t1=$(date +%s%N)
    log "profiles $build/$s ($(( (t1 - t0) / 1000000 )) ms)"
    for f in base.pb.gz new.pb.gz base.heap.txt new.heap.txt; do
      [ -s "$out/$f" ] || die "missing $out/$f"
    done
  done
done

# --- goldens ---------------------------------------------------------------
PPROF_FLAGS=(-symbolize=none -top -unit=B -nodefraction=0 -nodecount=1000000)

# golden OUT ARGS...: run go tool pprof, stdout to OUT, fail loudly on error.
golden() {
  local out="$1"
  shift
  if ! go tool pprof "${PPROF_FLAGS[@]}" "$@" >"$out" 2>"$TMP/pprof.err"; then
    cat "$TMP/pprof.err" >&2
    die "go tool pprof ${PPROF_FLAGS[*]} $* failed"
  fi
  grep -q '^ *flat  flat%' "$out" || die "no table in $out"
}

n=0
for build in "${BUILDS[@]}"; do
  rm -rf "$FIX/golden/$build"
  for s in "${SCENARIOS[@]}"; do
    p="$FIX/profiles/$build/$s"
    g="$FIX/golden/$build/$s"
    mkdir -p "$g"
    for si in "${SAMPLE_INDEXES[@]}"; do
      for gran in functions lines; do
        extra=()
        [ "$gran" = lines ] && extra=(-lines)
        golden "$g/base.$si.$gran.txt" -sample_index="$si" "${extra[@]}" "$p/base.pb.gz"
        golden "$g/new.$si.$gran.txt" -sample_index="$si" "${extra[@]}" "$p/new.pb.gz"
        golden "$g/diff.$si.$gran.txt" -sample_index="$si" "${extra[@]}" -diff_base="$p/base.pb.gz" "$p/new.pb.gz"
        n=$((n + 3))
      done
      if [ "$build" = default ]; then
        for which in base new; do
          golden "$g/$which.text.$si.addresses.txt" -sample_index="$si" -addresses "$p/$which.heap.txt"
          n=$((n + 1))
        done
      fi
    done
  done
done
log "wrote $n goldens"

# The legacy text profiles carry raw sampled counts that pprof unsamples
# itself; its totals must equal those of the protobuf written right before.
for s in "${SCENARIOS[@]}"; do
  g="$FIX/golden/default/$s"
  for which in base new; do
    for si in "${SAMPLE_INDEXES[@]}"; do
      a="$(grep -o 'of -*[0-9]*B* total' "$g/$which.$si.functions.txt")"
      b="$(grep -o 'of -*[0-9]*B* total' "$g/$which.text.$si.addresses.txt")"
      [ "$a" = "$b" ] || die "$s/$which $si: protobuf '$a' != text '$b'"
    done
  done
done

# --- manifest check ----------------------------------------------------------
# scenarios.json's site must be the top |flat| row of the diff golden at line
# granularity (inuse_space; alloc_space for churn; the most negative row for
# shrink), in both builds; userFrame must carry most of that growth as cum.
node - "$FIX" "${SCENARIOS[*]}" <<'EOF'
const fs = require('fs');
const path = require('path');
const [fix, names] = process.argv.slice(2);
// Entries with `builds` are the service scenarios, checked by gen-service-fixtures.sh.
const manifest = JSON.parse(fs.readFileSync(path.join(fix, 'scenarios.json'), 'utf8')).filter((e) => !e.builds);
const patterns = new Set(['request-body-kept', 'compressor-per-connection', 'bufio-per-connection',
  'reflect-pool-oversized', 'goroutines-blocked', 'map-only-grows']);
const kinds = new Set(['retained', 'churn', 'goroutines', 'shrinking']);
const row = /^\s*(-?\d+)B?\s+(-?[\d.]+)%\s+(-?[\d.]+)%\s+(-?\d+)B?\s+(-?[\d.]+)%\s+(\S+) (\S+):(\d+)( \(inline\))?$/;
const errors = [];
const want = names.split(' ');
const got = manifest.map((e) => e.name);
if (JSON.stringify([...got].sort()) !== JSON.stringify([...want].sort())) {
  errors.push(`manifest names ${got} != ${want}`);
}
const matches = (r, f) => r.fn === f.function && r.line === f.line &&
  (r.file === f.file || r.file.endsWith('/' + f.file));
for (const e of manifest) {
  if (!kinds.has(e.expectedKind)) errors.push(`${e.name}: bad expectedKind ${e.expectedKind}`);
  if (e.pattern !== null && !patterns.has(e.pattern)) errors.push(`${e.name}: bad pattern ${e.pattern}`);
  const si = e.expectedKind === 'churn' ? 'alloc_space' : 'inuse_space';
  for (const build of ['default', 'trimpath']) {
    const file = path.join(fix, 'golden', build, e.name, `diff.${si}.lines.txt`);
    const rows = [];
    for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = row.exec(l);
      if (m) rows.push({ flat: +m[1], cum: +m[4], fn: m[6], file: m[7], line: +m[8], text: l.trim() });
    }
    if (rows.length === 0) { errors.push(`${file}: no rows`); continue; }
    let top = rows[0];
    for (const r of rows) {
      if (e.expectedKind === 'shrinking' ? r.flat < top.flat : Math.abs(r.flat) > Math.abs(top.flat)) top = r;
    }
    if (!matches(top, e.site)) {
      errors.push(`${e.name}/${build}: top row is "${top.text}", manifest site is ${JSON.stringify(e.site)}`);
      continue;
    }
    if ((e.expectedKind === 'shrinking') !== (top.flat < 0)) {
      errors.push(`${e.name}/${build}: unexpected sign of top row "${top.text}"`);
    }
    const uf = rows.find((r) => matches(r, e.userFrame));
    if (!uf || Math.sign(uf.cum) !== Math.sign(top.flat) || Math.abs(uf.cum) < 0.5 * Math.abs(top.flat)) {
      errors.push(`${e.name}/${build}: userFrame ${JSON.stringify(e.userFrame)} does not carry the growth`);
    }
    console.error(`[gen-fixtures] ${e.name}/${build}: ${top.text}`);
  }
}
if (errors.length) {
  for (const m of errors) console.error('[gen-fixtures] manifest: ' + m);
  process.exit(1);
}
EOF

# --- goroutine leak fixtures (own program, own build root; ~70 s) --------------
bash "$REPO/scripts/gen-goroutine-fixtures.sh"

size="$(du -sk "$FIX/profiles" "$FIX/golden" | awk '{s += $1} END {print s}')"
log "profiles + goldens: ${size} KiB on disk"
log "done in $(( $(date +%s) - started ))s"

bash "$REPO/scripts/gen-service-fixtures.sh"
