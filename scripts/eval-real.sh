#!/usr/bin/env bash
# eval-real.sh plans real systems that nobody here wrote and scores each
# plan against the system's known decomposition (testdata/real/*.tsv) with
# `podsplit eval`. The modules come from the Go module proxy (GOPROXY);
# nothing else is fetched, and the scanned code is never run.
#
#   ./scripts/eval-real.sh            # every system below
#   SYSTEMS=hotrod ./scripts/eval-real.sh
set -euo pipefail
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# name module@version packages truth
systems=(
	"hotrod github.com/jaegertracing/jaeger@v1.57.0 ./examples/hotrod/... hotrod.tsv"
	"jaeger github.com/jaegertracing/jaeger@v1.57.0 ./... jaeger.tsv"
	"bankofanthos github.com/ServiceWeaver/weaver@v0.24.6 ./examples/bankofanthos/... bankofanthos.tsv"
	"onlineboutique github.com/ServiceWeaver/weaver@v0.18.0 ./examples/onlineboutique/... onlineboutique.tsv"
	"temporal go.temporal.io/server@v1.29.1 ./... temporal.tsv"
	"cortex github.com/cortexproject/cortex@v1.21.1 ./... cortex.tsv"
	"thanos github.com/thanos-io/thanos@v0.39.2 ./... thanos.tsv"
	"victoriametrics github.com/VictoriaMetrics/VictoriaMetrics@v1.151.0 ./... victoriametrics.tsv"
	"argocd github.com/argoproj/argo-cd/v2@v2.14.21 ./... argocd.tsv"
	"dapr github.com/dapr/dapr@v1.14.0 ./... dapr.tsv"
	"keda github.com/kedacore/keda/v2@v2.17.2 ./... keda.tsv"
	"mimir github.com/grafana/mimir@v1.3.1-0.20260423142704-aced80d74930 ./... mimir.tsv"
	"loki github.com/grafana/loki/v3@v3.7.8 ./... loki.tsv"
	"istio istio.io/istio@v0.0.0-20260827124520-eed52ebb66ad ./... istio.tsv"
	"kyverno github.com/kyverno/kyverno@v1.19.1 ./... kyverno.tsv"
	"cilium github.com/cilium/cilium@v1.20.2 ./... cilium.tsv"
	"katib github.com/kubeflow/katib@v0.19.0 ./... katib.tsv"
	"openim github.com/openimsdk/open-im-server/v3@v3.8.3 ./... openim.tsv"
)

(cd "$root" && go build -o "$work/podsplit" ./cmd/podsplit)
printf '| system | module | packages | services (reference) | MoJoFM | ARI | library P / R |\n'
printf '| --- | --- | ---: | --- | ---: | ---: | --- |\n'
for s in "${systems[@]}"; do
	read -r name modver pattern truth <<<"$s"
	if [[ -n ${SYSTEMS:-} && " $SYSTEMS " != *" $name "* ]]; then continue; fi
	dir=$(cd "$work" && go mod download -json "$modver" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	cp -r "$dir" "$work/$name" && chmod -R u+w "$work/$name"
	# A module zip leaves out nested modules, and a replace directive may
	# point at one (Loki's pkg/push): fetch the required version in its place.
	(cd "$work/$name" && go mod edit -json | python3 -c '
import json, sys
m = json.load(sys.stdin)
req = {r["Path"]: r["Version"] for r in m.get("Require") or []}
for r in m.get("Replace") or []:
    new = r["New"]["Path"]
    if new.startswith("./") and r["Old"]["Path"] in req:
        print(r["Old"]["Path"], req[r["Old"]["Path"]], new)
') | while read -r mod ver dir; do
		if [[ ! -e "$work/$name/$dir/go.mod" ]]; then
			src=$(cd "$work" && go mod download -json "$mod@$ver" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
			mkdir -p "$work/$name/$dir" && cp -r "$src/." "$work/$name/$dir" && chmod -R u+w "$work/$name/$dir"
		fi
	done
	# A dependency the proxy no longer serves (Thanos needs one) only costs
	# the packages importing it, reported as load diagnostics.
	(cd "$work/$name" && go mod download) || echo "$name: some modules did not download" >&2
	out=$(cd "$work/$name" && "$work/podsplit" eval --format json --truth "$root/testdata/real/$truth" "$pattern")
	python3 - "$name" "$modver" "$out" <<'PY'
import json, sys
name, mod, r = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
print(f"| {name} | {mod} | {r['packages']} | {r['services']} ({r['truth_services']}) | {r['mojofm']:.1f}% | {r['ari']:.3f} | {r['library_precision']:.2f} / {r['library_recall']:.2f} |")
PY
done
