#!/usr/bin/env bash
# bench-peers.sh measures podsplit against the tools a user would otherwise
# run, on the same inputs in the same run: wall time and peak RSS, median of
# RUNS runs, printed as Markdown tables (see docs/benchmarks.md).
#
#   RUNS=3 SIZES="100 500 1000 2000" ./scripts/bench-peers.sh > /tmp/bench.md
#
# Inputs: fixtures/shop, generated monoliths of SIZES packages, and REAL
# modules copied from the module cache. Peers are installed from the Go
# module proxy into a temporary GOBIN. SHOP=0 leaves fixtures/shop out,
# WARM=0 the warm-cache tables, COLD=0 the cold-cache one; SCAN_MAX=N skips
# the scan columns for inputs of more than N packages (their time is the
# drawing of graph.svg and the report, not the analysis).
#
# podsplit is measured in three states of its own cache (PODSPLIT_CACHE, a
# fresh directory per run of this script):
#   no cache   --no-cache: every dependency type-checked from source;
#   changed    one Go file edited before each run: the analysis is redone,
#              dependency types come from the cache (a CI run after a push);
#   unchanged  the tree as it was: the analysis is read from the cache.
# `scan` writes every output, including the Graphviz layout of graph.svg
# and the report; `graph --format json` is the analysis alone.
set -euo pipefail
export GOTOOLCHAIN=local
RUNS=${RUNS:-3}
SIZES=${SIZES-"100 500 1000 2000"}
REAL=${REAL-"golang.org/x/tools@v0.52.0 k8s.io/apimachinery@v0.37.2"}
COLD=${COLD:-1}
WARM=${WARM:-1}
SHOP=${SHOP:-1}
SCAN_MAX=${SCAN_MAX:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/bin
mkdir -p "$bin"
export PODSPLIT_CACHE=$work/podsplit-cache

(cd "$root" && go build -o "$bin/podsplit" ./cmd/podsplit)
GOBIN=$bin go install golang.org/x/tools/cmd/callgraph@v0.52.0
GOBIN=$bin go install golang.org/x/tools/go/packages/gopackages@v0.52.0
GOBIN=$bin go install github.com/ofabry/go-callvis@latest >/dev/null 2>&1 || echo "go-callvis did not install; left out" >&2

# run DIR CMD... runs CMD in DIR once and prints "seconds KiB".
run() {
	local dir=$1; shift
	local out
	out=$(cd "$dir" && /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1) || true
	echo "$out"
}

# measure DIR CMD... prints "median_seconds median_MiB" of RUNS runs. With
# BEFORE set, that command runs in DIR before each run, untimed.
measure() {
	local dir=$1; shift
	local times=() mems=() t m
	for _ in $(seq "$RUNS"); do
		if [[ -n ${BEFORE:-} ]]; then (cd "$dir" && eval "$BEFORE"); fi
		read -r t m <<<"$(run "$dir" "$@")"
		times+=("$t"); mems+=("$m")
	done
	t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS+1)/2 ))p")
	m=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "$(( (RUNS+1)/2 ))p")
	printf '%s %s' "$t" "$(( m / 1024 ))"
}

# cell T M prints a table cell: "Ts, M MiB", or a dash for a skipped run.
cell() { if [[ $1 == nan ]]; then echo "—"; else echo "${1}s, ${2} MiB"; fi; }

# cold CMD... runs CMD with an empty build cache and podsplit cache.
cold() {
	local g p rc=0
	g=$(mktemp -d) p=$(mktemp -d)
	GOCACHE=$g PODSPLIT_CACHE=$p "$@" || rc=$?
	chmod -R u+w "$g"; rm -rf "$g" "$p"
	return $rc
}
export -f cold

cp -r "$root/fixtures/shop" "$work/shop" # copied: the "changed" runs edit their input
inputs=()
if [[ $SHOP == 1 ]]; then inputs+=("shop=$work/shop"); fi
for n in $SIZES; do
	d=$work/synth$n
	(cd "$root" && go run ./internal/synth/synthgen -n "$n" -o "$d" >/dev/null)
	inputs+=("synth$n=$d")
done
for mod in $REAL; do
	src=$(go mod download -json "$mod" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
	d=$work/$(basename "${mod%@*}")
	cp -r "$src" "$d" && chmod -R u+w "$d"
	inputs+=("${mod%@*}=$d")
done

# edit appends a comment to the module's first Go file, so the tree differs.
edit='f=$(find . -name "*.go" -not -path "*/testdata/*" | sort | head -1); echo "// bench $RANDOM" >> "$f"'

echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
if [[ $WARM == 1 ]]; then
echo "Warm build cache; each cell: median wall time, median peak RSS of $RUNS runs."
echo
echo "| input | packages | podsplit scan, no cache | podsplit scan, changed | podsplit scan, unchanged | podsplit graph, no cache | podsplit graph, changed | podsplit graph, unchanged | go/packages load | callgraph vta | callgraph cha | go vet | go-callvis |"
echo "| --- | ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
ratios=()
for in in "${inputs[@]}"; do
	name=${in%%=*} dir=${in#*=}
	(cd "$dir" && go build ./... >/dev/null 2>&1) || true # warm the build cache
	pkgs=$(cd "$dir" && go list ./... 2>/dev/null | wc -l)
	"$bin/podsplit" graph "$dir" >/dev/null 2>&1 || true # warm podsplit's cache
	row="| $name | $pkgs"
	if (( SCAN_MAX == 0 || pkgs <= SCAN_MAX )); then
		read -r nt nm <<<"$(measure "$dir" "$bin/podsplit" scan --no-cache -o "$work/out" .)"
		read -r ct cm <<<"$(BEFORE=$edit measure "$dir" "$bin/podsplit" scan -o "$work/out" .)"
		read -r ut um <<<"$(measure "$dir" "$bin/podsplit" scan -o "$work/out" .)"
	else
		nt=nan nm=nan ct=nan cm=nan ut=nan um=nan
	fi
	read -r gnt gnm <<<"$(measure "$dir" "$bin/podsplit" graph --no-cache --format json .)"
	read -r jt jm <<<"$(BEFORE=$edit measure "$dir" "$bin/podsplit" graph --format json .)"
	read -r gut gum <<<"$(measure "$dir" "$bin/podsplit" graph --format json .)"
	read -r lt lm <<<"$(measure "$dir" "$bin/gopackages" -mode syntax ./...)"
	read -r vt vm <<<"$(measure "$dir" "$bin/callgraph" -algo=vta ./...)"
	read -r at am <<<"$(measure "$dir" "$bin/callgraph" -algo=cha ./...)"
	read -r gt gm <<<"$(measure "$dir" go vet ./...)"
	row+=" | $(cell "$nt" "$nm") | $(cell "$ct" "$cm") | $(cell "$ut" "$um") | ${gnt}s, ${gnm} MiB | ${jt}s, ${jm} MiB | ${gut}s, ${gum} MiB | ${lt}s, ${lm} MiB | ${vt}s, ${vm} MiB | ${at}s, ${am} MiB | ${gt}s, ${gm} MiB"
	if [[ -x $bin/go-callvis ]]; then
		read -r t m <<<"$(measure "$dir" timeout 600 "$bin/go-callvis" -format svg -file "$work/callvis" ./...)"
		row+=" | ${t}s, ${m} MiB"
	else
		row+=" | n/a"
	fi
	echo "$row |"
	ratios+=("$name $pkgs $nt $nm $ct $cm $ut $lt $vt $vm $jt $jm $gnt $gut")
done

echo
echo "Ratios of podsplit to its peers (targets: ≤ 0.25× vta time, ≤ 0.15× vta memory, ≤ 2× the go/packages load; unchanged ≤ 0.25× a run without cache):"
echo
echo "| input | scan no cache / vta, time | scan changed / vta, time | graph changed / vta, time | graph changed / vta, memory | graph changed / go/packages, time | graph unchanged / graph no cache |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${ratios[@]}"; do
	echo "$r" | awk 'function q(a, b) { return a == "nan" ? "—" : sprintf("%.2f", a / b) }
		{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, q($3, $9), q($5, $9), q($11, $9), q($12, $10), q($11, $8), q($14, $13) }'
done

echo
echo "Scaling of podsplit graph, changed, over the generated monoliths (time ratio per doubling of packages, target ≤ 2.3):"
echo
echo "| from | to | packages ×| time × | per doubling |"
echo "| --- | --- | ---: | ---: | ---: |"
prev=""
for r in "${ratios[@]}"; do
	[[ $r == synth* ]] || continue
	if [[ -n $prev ]]; then
		echo "$prev $r" | awk '{ p=$16/$2; t=$25/$11; printf "| %s | %s | %.1f | %.2f | %.2f |\n", $1, $15, p, t, exp(log(t)/(log(p)/log(2))) }'
	fi
	prev=$r
done

fi # WARM

if [[ $COLD == 1 ]]; then
	echo
	echo "Cold caches (empty GOCACHE and podsplit cache for every run: whatever export data or cgo output a tool needs must be rebuilt); the analysis alone (podsplit graph), median of $RUNS runs:"
	echo
	echo "| input | podsplit graph | callgraph vta | podsplit / vta |"
	echo "| --- | --- | --- | ---: |"
	for in in "${inputs[@]}"; do
		name=${in%%=*} dir=${in#*=}
		read -r pt pm <<<"$(measure "$dir" bash -c 'cold "$0" graph --format json .' "$bin/podsplit")"
		read -r vt vm <<<"$(measure "$dir" bash -c 'cold "$0" -algo=vta ./...' "$bin/callgraph")"
		echo "| $name | ${pt}s, ${pm} MiB | ${vt}s, ${vm} MiB | $(awk -v a="$pt" -v b="$vt" 'BEGIN{printf "%.2f", a/b}') |"
	done
fi
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
