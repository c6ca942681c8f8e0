#!/usr/bin/env bash
# Regenerates the service scenario fixtures: Go services built on third-party-shaped libraries
# (written for these fixtures, test/fixtures/go/services/), wired in three ways and built twice.
#
#   flock /tmp/heaplens-gen.lock bash scripts/gen-service-fixtures.sh   (also run by gen-fixtures.sh)
#
# Outputs (all under test/fixtures/):
#   profiles/<build>/<scenario>/{base,new}.{pb.gz,heap.txt}
#   golden/<build>/<scenario>/<which>.<sample_index>.<functions|lines>.txt
#   golden/<build>/<scenario>/<base|new>.text.<sample_index>.addresses.txt   (builds without -trimpath)
# where <build> is <wiring> or <wiring>-trimpath and <wiring> is how the libraries reach the build:
#   replace  a monorepo: services/<svc>/go.mod has `replace lib => ../../libs/<lib>`
#   vendor   a module with a hand-written vendor/ (vendor/modules.txt), built with -mod=vendor
#   gopath   GO111MODULE=off, everything under $GOPATH/src/github.com/...
# and checks the entries of scenarios.json that have `builds` against the goldens.
#
# Sources are copied to the fixed root /tmp/heaplens-svc-build (not /tmp/heaplens-build, which
# gen-fixtures.sh owns), so the paths recorded in the profiles do not depend on the checkout.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$REPO/test/fixtures"
SRC="$FIX/go/services"
ROOT=/tmp/heaplens-svc-build
SAMPLE_INDEXES=(alloc_objects alloc_space inuse_objects inuse_space)

# scenario|wiring|program|arguments. Arguments ending in "-profile" mean two runs of an unchanged
# program, one writing base and one writing new (a control).
SCENARIOS=(
  "fasthttp-body|replace|ingest|"
  "ws-hub|replace|chat|"
  "gin-cache|vendor|catalog|-workload grow"
  "gin-control|vendor|catalog|-workload steady -profile"
  "client-bodies|gopath|dispatcher|-scenario client-bodies"
  "worker-leak|gopath|dispatcher|-scenario worker-leak"
  "queue-reslice|gopath|dispatcher|-scenario queue-reslice"
  "timer-loop|gopath|dispatcher|-scenario timer-loop"
)

started=$(date +%s)
log() { printf '[gen-service-fixtures] %s\n' "$*" >&2; }
die() { printf '[gen-service-fixtures] error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go is not installed (Debian: apt-get install golang-go; gen-fixtures.sh installs it)"
command -v node >/dev/null 2>&1 || die "node is required for the manifest check"

# Nothing may be downloaded; builds are static and reproducible.
export GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0 GOFLAGS=
export PPROF_BINARY_PATH=/nonexistent TZ=UTC
TMP="$(mktemp -d)"
export PPROF_TMPDIR="$TMP/pprof"
mkdir -p "$PPROF_TMPDIR"
trap 'rm -rf "$TMP"' EXIT

log "$(go version)"

# --- build -------------------------------------------------------------------
rm -rf "$ROOT"
mkdir -p "$ROOT/bin"

# build WIRING DIR PROGRAM [go env...]: vet, then build normally and with -trimpath.
build() {
  local wiring="$1" dir="$2" program="$3"
  shift 3
  mkdir -p "$ROOT/bin/$wiring" "$ROOT/bin/$wiring-trimpath"
  (
    cd "$dir"
    env "$@" go vet ./...
    env "$@" go build -o "$ROOT/bin/$wiring/$program" .
    env "$@" go build -trimpath -o "$ROOT/bin/$wiring-trimpath/$program" .
  ) || die "building $wiring/$program failed"
  log "built $wiring/$program"
}

# replace: a monorepo of libraries and services; each service's go.mod replaces its libraries.
cp -R "$SRC/replace" "$ROOT/replace"
for svc in "$ROOT"/replace/services/*/; do
  build replace "$svc" "$(basename "$svc")" GOFLAGS=-mod=mod
done

# vendor: one module whose dependencies are checked in under vendor/ (vendor/modules.txt).
cp -R "$SRC/vendor" "$ROOT/vendor"
build vendor "$ROOT/vendor/catalog" catalog GOFLAGS=-mod=vendor

# gopath: GOPATH mode (no modules), the service and its dependency under $GOPATH/src.
cp -R "$SRC/gopath" "$ROOT/gopath"
build gopath "$ROOT/gopath/src/github.com/acme/dispatcher" dispatcher GO111MODULE=off GOPATH="$ROOT/gopath"

# --- profiles ----------------------------------------------------------------
builds=()
for entry in "${SCENARIOS[@]}"; do
  IFS='|' read -r name wiring program args <<<"$entry"
  for build in "$wiring" "$wiring-trimpath"; do
    out="$FIX/profiles/$build/$name"
    rm -rf "$out"
    t0=$(date +%s%N)
    runs=("$args")
    [[ "$args" == *-profile ]] && runs=("$args base" "$args new")
    for a in "${runs[@]}"; do
      # shellcheck disable=SC2086 # a is a word list
      "$ROOT/bin/$build/$program" -out "$out" $a >"$TMP/run.out" 2>&1 \
        || { cat "$TMP/run.out" >&2; die "$build/$program $a failed"; }
    done
    t1=$(date +%s%N)
    log "profiles $build/$name ($(( (t1 - t0) / 1000000 )) ms)"
    for f in base.pb.gz new.pb.gz base.heap.txt new.heap.txt; do
      [ -s "$out/$f" ] || die "missing $out/$f"
    done
    [[ " ${builds[*]} " == *" $build "* ]] || builds+=("$build")
  done
done

# --- goldens -----------------------------------------------------------------
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

n=0
for entry in "${SCENARIOS[@]}"; do
  IFS='|' read -r name wiring _ _ <<<"$entry"
  for build in "$wiring" "$wiring-trimpath"; do
    p="$FIX/profiles/$build/$name"
    g="$FIX/golden/$build/$name"
    rm -rf "$g"
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
      if [ "$build" = "$wiring" ]; then
        for which in base new; do
          golden "$g/$which.text.$si.addresses.txt" -sample_index="$si" -addresses "$p/$which.heap.txt"
          a="$(grep -o 'of -*[0-9]*B* total' "$g/$which.$si.functions.txt")"
          b="$(grep -o 'of -*[0-9]*B* total' "$g/$which.text.$si.addresses.txt")"
          [ "$a" = "$b" ] || die "$build/$name/$which $si: protobuf '$a' != text '$b'"
          n=$((n + 1))
        done
      fi
    done
  done
done
log "wrote $n goldens"

# --- manifest check ----------------------------------------------------------
names=()
for entry in "${SCENARIOS[@]}"; do names+=("${entry%%|*}"); done
node "$REPO/scripts/check-service-scenarios.mjs" "$FIX" "${names[@]}"

size="$(du -sk "${builds[@]/#/$FIX/profiles/}" "${builds[@]/#/$FIX/golden/}" | awk '{s += $1} END {print s}')"
log "service profiles + goldens: ${size} KiB on disk"
log "done in $(( $(date +%s) - started ))s"
