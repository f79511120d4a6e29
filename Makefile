# podsplit — the two commands a newcomer needs are `make demo` and `make test`.
GO ?= go
export GOTOOLCHAIN := local

.PHONY: build test demo bench bench-peers eval-real lint

build:
	$(GO) build -o bin/podsplit ./cmd/podsplit

# All tests: unit, txtar cases, end-to-end CLI scripts, browser test of the report.
test:
	$(GO) vet ./...
	$(GO) test ./...

# Scan the bundled demo monolith and write every output into podsplit-out/.
demo: build
	./bin/podsplit scan -o podsplit-out ./fixtures/shop
	@echo "open podsplit-out/report.html in a browser"

# testing.B benchmarks (never part of `make test`).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...

# Side-by-side wall time and peak RSS against peer tools; writes a table to stdout.
bench-peers: build
	./scripts/bench-peers.sh

# Plans real systems from the module proxy and scores them against their
# known decompositions (testdata/real); prints a table.
eval-real:
	./scripts/eval-real.sh

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
