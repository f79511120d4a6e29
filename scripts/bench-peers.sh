#!/usr/bin/env bash
# bench-peers.sh measures podsplit against the tools a user would otherwise
# run, on the same inputs in the same run: wall time and peak RSS (median of
# RUNS runs, warm build cache), printed as a Markdown table.
#
#   RUNS=3 SIZES="100 500 2000" ./scripts/bench-peers.sh > /tmp/bench.md
#
# Peers are installed from the Go module proxy into a temporary GOBIN.
set -euo pipefail
export GOTOOLCHAIN=local
RUNS=${RUNS:-3}
SIZES=${SIZES:-"100 500 2000"}
REAL=${REAL:-"golang.org/x/tools@v0.52.0 k8s.io/apimachinery@v0.37.2"}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/bin
mkdir -p "$bin"

go build -o "$bin/podsplit" "$root/cmd/podsplit"
GOBIN=$bin go install golang.org/x/tools/cmd/callgraph@v0.52.0
GOBIN=$bin go install golang.org/x/tools/go/packages/gopackages@v0.52.0
GOBIN=$bin go install github.com/ofabry/go-callvis@latest >/dev/null 2>&1 || echo "go-callvis did not install; left out" >&2

# measure DIR CMD... prints "median_seconds median_MiB" of RUNS runs.
measure() {
	local dir=$1; shift
	local times=() mems=()
	for _ in $(seq "$RUNS"); do
		local out
		out=$(cd "$dir" && /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1) || true
		times+=("${out% *}"); mems+=("${out#* }")
	done
	local t m
	t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS+1)/2 ))p")
	m=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "$(( (RUNS+1)/2 ))p")
	printf '%s %s' "$t" "$(( m / 1024 ))"
}

inputs=("shop=$root/fixtures/shop")
for n in $SIZES; do
	d=$work/synth$n
	go run "$root/internal/synth/synthgen" -n "$n" -o "$d" >/dev/null
	inputs+=("synth$n=$d")
done
for mod in $REAL; do
	src=$(go mod download -json "$mod" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
	d=$work/$(basename "${mod%@*}")
	cp -r "$src" "$d" && chmod -R u+w "$d"
	inputs+=("${mod%@*}=$d")
done

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d)"
echo
echo "| input | podsplit scan | podsplit graph | go/packages load | callgraph vta | callgraph cha | go vet | go-callvis |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for in in "${inputs[@]}"; do
	name=${in%%=*} dir=${in#*=}
	(cd "$dir" && go build ./... >/dev/null 2>&1) || true # warm the build cache
	row="| $name"
	for cmd in "$bin/podsplit scan -o $work/out ." "$bin/podsplit graph --format json ." \
		"$bin/gopackages -mode syntax ./..." "$bin/callgraph -algo=vta ./..." "$bin/callgraph -algo=cha ./..." "go vet ./..."; do
		read -r t m <<<"$(measure "$dir" $cmd)"
		row+=" | ${t}s, ${m} MiB"
	done
	if [[ -x $bin/go-callvis ]]; then
		read -r t m <<<"$(measure "$dir" timeout 600 "$bin/go-callvis" -format svg -file "$work/callvis" ./...)"
		row+=" | ${t}s, ${m} MiB"
	else
		row+=" | n/a"
	fi
	echo "$row |"
done
