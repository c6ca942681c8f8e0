#!/usr/bin/env bash
# Regenerates the goroutine-leak fixtures: heap and goroutine profiles (all three goroutine forms)
# written by test/fixtures/go/goroutineleak at four points of a leak, and `go tool pprof` goldens.
#
#   flock /tmp/heaplens-gen.lock bash scripts/gen-goroutine-fixtures.sh     (~70 s: the last snapshot
#                                                                             waits a minute on purpose)
# Outputs (under test/fixtures/goroutineleak/):
#   profiles/<build>/tN.{heap.txt,heap.pb.gz,goroutine.pb.gz,goroutine.txt,goroutine-dump.txt}
#   golden/<build>/tN.goroutine.<functions|lines>.txt       pprof -top of the proto
#   golden/<build>/diff.goroutine.<functions|lines>.txt     pprof -top -diff_base=t1 t3
#   golden/default/tN.goroutine-text.addresses.txt          pprof -top -addresses of the debug=1 text
#   golden/default/tN.heap.<sample_index>.functions.txt     pprof -top of the heap proto
#   golden/default/t0-t3.heap-text.diff.err                 pprof refusing -diff_base=t0.heap.txt t3.heap.txt
#
# The program is copied to and built in the fixed directory /tmp/heaplens-goroutine-build, so the
# paths recorded in the profiles do not depend on where the repository is checked out.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$REPO/test/fixtures/goroutineleak"
BUILD_ROOT=/tmp/heaplens-goroutine-build
BUILDS=(default trimpath)
SNAPSHOTS=(t0 t1 t2 t3)
HOLD="${HEAPLENS_GOROUTINE_HOLD:-61s}"

started=$(date +%s)
log() { printf '[gen-goroutine-fixtures] %s\n' "$*" >&2; }
die() { printf '[gen-goroutine-fixtures] error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go is not installed (Debian: apt-get install golang-go; gen-fixtures.sh installs it)"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0
export PPROF_BINARY_PATH=/nonexistent TZ=UTC
TMP="$(mktemp -d)"
export PPROF_TMPDIR="$TMP/pprof"
mkdir -p "$PPROF_TMPDIR"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

log "$(go version)"

# --- build -----------------------------------------------------------------
rm -rf "$BUILD_ROOT"
mkdir -p "$BUILD_ROOT/bin/default" "$BUILD_ROOT/bin/trimpath"
cp -R "$REPO/test/fixtures/go/goroutineleak" "$BUILD_ROOT/goroutineleak"
(
  cd "$BUILD_ROOT/goroutineleak"
  go vet ./...
  go build -o "$BUILD_ROOT/bin/default/goroutineleak" .
  go build -trimpath -o "$BUILD_ROOT/bin/trimpath/goroutineleak" .
)

# --- profiles (both builds at once: each waits ~a minute before its last snapshot) ----------
rm -rf "$FIX/profiles" "$FIX/golden"
for build in "${BUILDS[@]}"; do
  "$BUILD_ROOT/bin/$build/goroutineleak" -out "$FIX/profiles/$build" -hold "$HOLD" 2>"$TMP/$build.err" &
  PIDS+=($!)
done
for i in "${!PIDS[@]}"; do
  wait "${PIDS[$i]}" || { cat "$TMP/${BUILDS[$i]}.err" >&2; die "goroutineleak (${BUILDS[$i]}) failed"; }
done
PIDS=()
for build in "${BUILDS[@]}"; do
  for t in "${SNAPSHOTS[@]}"; do
    for f in heap.txt heap.pb.gz goroutine.pb.gz goroutine.txt goroutine-dump.txt; do
      [ -s "$FIX/profiles/$build/$t.$f" ] || die "missing profiles/$build/$t.$f"
    done
  done
done
log "profiles written ($(( $(date +%s) - started ))s)"

# --- goldens ---------------------------------------------------------------
PPROF_FLAGS=(-symbolize=none -top -unit=B -nodefraction=0 -nodecount=1000000)
golden() {
  local out="$1"
  shift
  if ! go tool pprof "${PPROF_FLAGS[@]}" "$@" >"$out" 2>"$TMP/pprof.err"; then
    cat "$TMP/pprof.err" >&2
    die "go tool pprof ${PPROF_FLAGS[*]} $* failed"
  fi
  grep -q '^ *flat  flat%' "$out" || die "no table in $out"
}
total_of() { grep -o 'of -*[0-9]*B* total' "$1" | grep -o -- '-*[0-9]*'; }

n=0
for build in "${BUILDS[@]}"; do
  p="$FIX/profiles/$build"
  g="$FIX/golden/$build"
  mkdir -p "$g"
  for t in "${SNAPSHOTS[@]}"; do
    golden "$g/$t.goroutine.functions.txt" "$p/$t.goroutine.pb.gz"
    golden "$g/$t.goroutine.lines.txt" -lines "$p/$t.goroutine.pb.gz"
    n=$((n + 2))
    # One goroutine count, three forms: the proto's pprof total, the text header, the dump.
    proto_total="$(total_of "$g/$t.goroutine.functions.txt")"
    text_total="$(head -n 1 "$p/$t.goroutine.txt" | sed -n 's/^goroutine profile: total \([0-9]*\)$/\1/p')"
    dump_total="$(grep -c '^goroutine [0-9]* \[' "$p/$t.goroutine-dump.txt")"
    [ "$proto_total" = "$text_total" ] && [ "$text_total" = "$dump_total" ] \
      || die "$build/$t: goroutine totals differ: proto $proto_total, text $text_total, dump $dump_total"
    log "$build/$t: $text_total goroutines"
  done
  golden "$g/diff.goroutine.functions.txt" -diff_base="$p/t1.goroutine.pb.gz" "$p/t3.goroutine.pb.gz"
  golden "$g/diff.goroutine.lines.txt" -lines -diff_base="$p/t1.goroutine.pb.gz" "$p/t3.goroutine.pb.gz"
  n=$((n + 2))
done

# The program is deterministic in what blocks where: both builds show the same wait reasons.
for t in "${SNAPSHOTS[@]}"; do
  reasons() { grep -o '^goroutine [0-9]* \[[^],]*' "$FIX/profiles/$1/$t.goroutine-dump.txt" | sed 's/^goroutine [0-9]* \[//' | sort | uniq -c | tr -s ' \n' ' '; }
  [ "$(reasons default)" = "$(reasons trimpath)" ] || die "$t: wait reasons differ between builds: $(reasons default) vs $(reasons trimpath)"
  log "$t wait reasons: $(reasons default)"
done

p="$FIX/profiles/default"
g="$FIX/golden/default"
for t in "${SNAPSHOTS[@]}"; do
  golden "$g/$t.goroutine-text.addresses.txt" -addresses "$p/$t.goroutine.txt"
  [ "$(total_of "$g/$t.goroutine-text.addresses.txt")" = "$(total_of "$g/$t.goroutine.functions.txt")" ] \
    || die "$t: pprof's total of the debug=1 text differs from the proto's"
  for si in inuse_space alloc_space; do
    [ "$t" = t0 ] && continue # t0's text is the two-type form; its proto has all four
    golden "$g/$t.heap.$si.functions.txt" -sample_index="$si" "$p/$t.heap.pb.gz"
    n=$((n + 1))
  done
  n=$((n + 1))
done

# t0 was written before the first GC: nothing sampled was freed yet, so the header's in-use and
# allocation figures are equal and pprof reads the text as the old two-type (objects/space) form.
read -r a b c d < <(head -n 1 "$p/t0.heap.txt" | sed -n 's/^heap profile: *\([0-9]*\): *\([0-9]*\) *\[ *\([0-9]*\): *\([0-9]*\) *\].*/\1 \2 \3 \4/p')
[ "$a" = "$c" ] && [ "$b" = "$d" ] || die "t0.heap.txt header has different in-use and alloc figures: $(head -n 1 "$p/t0.heap.txt")"
golden "$g/t0.heap-text.space.addresses.txt" -sample_index=space -addresses "$p/t0.heap.txt"
if go tool pprof "${PPROF_FLAGS[@]}" -diff_base="$p/t0.heap.txt" "$p/t3.heap.txt" >"$TMP/refused.out" 2>"$g/t0-t3.heap-text.diff.err"; then
  die "pprof accepted -diff_base=t0.heap.txt t3.heap.txt; the space/objects fixture lost its point"
fi
grep -q 'inconsistent samples type count' "$g/t0-t3.heap-text.diff.err" || die "unexpected pprof error: $(cat "$g/t0-t3.heap-text.diff.err")"
sed -i "s|$p/||g" "$g/t0-t3.heap-text.diff.err"
log "pprof refuses t0 vs t3 heap text: $(tr '\n' ' ' <"$g/t0-t3.heap-text.diff.err")"

# The first wave (and the steady goroutines) have been blocked for over a minute when t2 and t3
# are written; the later waves have not.
for t in t2 t3; do
  long="$(grep -c '^goroutine [0-9]* \[[^]]*, 1 minutes' "$p/$t.goroutine-dump.txt" || true)"
  all="$(grep -c '^goroutine [0-9]* \[' "$p/$t.goroutine-dump.txt")"
  [ "$long" -gt 300 ] && [ "$long" -lt $((all - 300)) ] \
    || die "$t: $long of $all goroutines blocked for a minute; expected the first wave only (HEAPLENS_GOROUTINE_HOLD=$HOLD)"
  log "$t: $long of $all goroutines waiting ≥ 1 minute"
done

for t in "${SNAPSHOTS[@]}"; do
  grep -E '^# (Sys|Stack) = ' "$p/$t.heap.txt" | tr '\n' ' ' | sed "s/^/[gen-goroutine-fixtures] $t MemStats: /" >&2
  echo >&2
done
log "wrote $n goldens; $(du -sk "$FIX" | cut -f1) KiB on disk; done in $(( $(date +%s) - started ))s"
