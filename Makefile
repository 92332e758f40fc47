# The mail admin center. `make run` starts it on a demo tenant; `make test` installs
# what a fresh Debian machine lacks and runs every check CI runs.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
DB ?= admincenter.db
ADDR ?= 127.0.0.1:8080
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TAILWIND := node_modules/.bin/tailwindcss
GENERATED := '*_templ.go' static/css/app.css static/js/htmx.min.js

.PHONY: bench bench-postgres bench-api test-graph-sdk run build generate templ css htmx deps npm chromium postgresql test check-generated vet unit test-scale fuzz e2e test-postgres fmt clean

## run: build and start the server on the demo tenant at http://$(ADDR)
run: build
	./bin/admincenter serve --demo --addr $(ADDR) --db $(DB)

build: generate
	$(GO) build -o bin/admincenter ./cmd/admincenter

## generate: templ components, and the CSS and htmx copy when the npm tools are there
generate: templ css htmx

templ:
	$(GO) tool templ generate

css:
	@if [ -x $(TAILWIND) ]; then \
		$(TAILWIND) -c tailwind.config.js -i static/css/input.css -o static/css/app.css --minify 2>/dev/null; \
	else echo "tailwindcss not installed (npm ci): keeping the committed static/css/app.css"; fi

htmx:
	@if [ -f node_modules/htmx.org/dist/htmx.min.js ]; then \
		cp node_modules/htmx.org/dist/htmx.min.js static/js/htmx.min.js; fi

## deps: Go modules, the pinned npm tools, and Debian's Chromium and PostgreSQL when missing
deps: npm chromium postgresql
	$(GO) mod download

npm: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

chromium:
	@if [ -z "$${CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then \
		echo "installing Debian's chromium"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	fi

postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "installing Debian's postgresql"; \
		{ $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; } \
			|| echo "could not install postgresql: the PostgreSQL tests will be skipped"; \
	fi

## test: everything CI runs
test: deps check-generated vet unit test-scale fuzz e2e test-postgres

## check-generated: fail when committed generated files differ from what the sources give
check-generated: generate
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		stale=$$(git status --porcelain -- $(GENERATED)); \
		if [ -n "$$stale" ]; then \
			echo "Generated files are stale; run 'make generate' and commit them:"; echo "$$stale"; \
			git --no-pager diff --stat -- $(GENERATED); exit 1; \
		fi; \
	else echo "not a git checkout: freshness of generated files not checked"; fi
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null | grep -v '_templ.go$$') 2>/dev/null); \
	if [ -n "$$unformatted" ]; then echo "gofmt wants to rewrite: $$unformatted"; exit 1; fi

vet:
	$(GO) vet ./...
	$(GO) vet -tags e2e ./e2e/

unit:
	$(GO) test -count=1 ./...

## test-scale: the tests that generate a 100,000-person tenant (paging the Exchange REST endpoint
## through it, and Graph with Microsoft's JavaScript client's PageIterator)
test-scale: npm chromium
	ADMINCENTER_TEST_SCALE=1 $(GO) test -count=1 -run 'LargeTenant' ./web/
	ADMINCENTER_TEST_SCALE=1 $(GO) test -tags e2e -count=1 -timeout 15m -run 'GraphJavaScriptClient' ./e2e/

## test-graph-sdk: Microsoft's Graph SDK for Go against the server (its own module,
## e2e/graphsdk; a cold first build downloads and compiles msgraph-sdk-go: 375 MB of
## modules, 940 CPU-seconds and 4.6 GB of memory at its peak, i.e. 8 to 16 minutes
## on two free cores, so `test` does not run it)
test-graph-sdk:
	cd e2e/graphsdk && GOFLAGS=-p=1 $(GO) test -count=1 -timeout 40m -v -run 'SDK' .

## fuzz: a short run of every fuzz target (their seed corpora run in `unit` too)
FUZZTIME ?= 4s
FUZZ_TARGETS := models:FuzzParseForwardingAddress models:FuzzAliasFromName models:FuzzUserSearch handlers:FuzzFormIDs handlers:FuzzLocalPath models/powershell/syntax:FuzzRoundTrip models/powershell:FuzzRun models/powershell:FuzzCommandLine
# Go's fuzzing engine sometimes ends a run with "context deadline exceeded" when a
# worker is still busy at the deadline; that (and only that, with no failing input)
# is retried once.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		for try in 1 2; do \
			out=$$($(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) ./$$pkg/ 2>&1) && break; \
			if [ $$try = 1 ] && echo "$$out" | grep -q 'context deadline exceeded' && ! echo "$$out" | grep -q 'Failing input'; then \
				echo "$$name: fuzzing engine timed out at the deadline; running it again"; continue; fi; \
			echo "$$out"; exit 1; \
		done; \
		echo "$$name: $$(echo "$$out" | grep -o 'execs: [0-9]*' | tail -1)"; \
	done

## e2e: the browser tests, in headless Debian Chromium driven by playwright-go
e2e: npm chromium
	$(GO) test -tags e2e -count=1 -timeout 30m ./e2e/

## test-postgres: the unit, handler and browser tests again on a throwaway PostgreSQL
## server on loopback (.ci/with-postgres), and two instances sharing one database
test-postgres: npm chromium postgresql
	@status=0; .ci/with-postgres $(MAKE) --no-print-directory unit e2e || status=$$?; \
	if [ $$status = 3 ]; then echo "SKIPPED: the PostgreSQL tests (PostgreSQL is not installed and could not be)"; \
	elif [ $$status != 0 ]; then exit $$status; fi

## bench: generate a 100,000-person tenant and measure it beside a reference Go server
## writing the same page (prints figures, asserts nothing; uses wrk when installed).
## BENCH_FLAGS='-db FILE -mode coldstart' times start to first answer; BENCH_FLAGS='-db FILE
## -mode fixed-rate -rate 500 -duration 10s' prints open-loop p50/p90/p99/max per read page;
## BENCH_FLAGS='-db FILE -mode csv' times the full Mailbox access CSV with the server's RSS.
## BENCH_SCALE=1m: the million-person tenant (see bench-postgres)
bench:
	$(GO) run ./cmd/bench $(BENCH_SEED_FLAGS) $(BENCH_FLAGS)

## bench-api: requests/s through the Exchange REST endpoint with 16 clients (BENCH_DB=FILE for a seeded tenant)
bench-api:
	$(GO) test -run '^$$' -bench 'GetMailbox1000|AddMailboxPermission|InvokeCommandOverhead' -benchtime 5s ./web/

## bench-postgres: the same measurements on a throwaway PostgreSQL server (durable settings).
## BENCH_SCALE=1m seeds the issue's million-person tenant (BENCH_SEED_FLAGS) and prints the
## seed's wall time, the cold start, the open-loop latencies of every read page at 500/s and
## the full Mailbox access CSV's time with the server's RSS (BENCH_FLAGS), each with the load
BENCH_SCALE ?=
ifeq ($(BENCH_SCALE),1m)
BENCH_SEED_FLAGS ?= --users 1000000 --shared 50000 --groups 20000 --grants 2000000
BENCH_FLAGS ?= -mode coldstart,fixed-rate,csv -rate 500 -duration 10s
else ifneq ($(BENCH_SCALE),)
$(error BENCH_SCALE=$(BENCH_SCALE): only 1m, or unset for the 100,000-person tenant)
endif
bench-postgres: postgresql
	WITH_POSTGRES_DURABLE=1 .ci/with-postgres bash -c '\
		set -eu; url="$${ADMINCENTER_TEST_POSTGRES%/postgres?*}/bench?sslmode=disable"; \
		bin=$$(mktemp -d); trap "rm -rf $$bin" EXIT; $(GO) build -o "$$bin/admincenter" ./cmd/admincenter; \
		psql -q "$$ADMINCENTER_TEST_POSTGRES" -c "CREATE DATABASE bench"; \
		echo "seed $(or $(BENCH_SEED_FLAGS),with its defaults) (load before: $$(cut -d" " -f1-3 /proc/loadavg))"; \
		start=$$EPOCHREALTIME; \
		ADMINCENTER_ADMIN_PASSWORD=Bench-Pass-2026 "$$bin/admincenter" seed --db "$$url" $(BENCH_SEED_FLAGS); \
		echo "Seed wall time, demo tenant and VACUUM ANALYZE included: $$(awk "BEGIN{printf \"%.1f\", $$EPOCHREALTIME - $$start}") s (load after: $$(cut -d" " -f1-3 /proc/loadavg))"; echo; \
		$(GO) run ./cmd/bench -db "$$url" $(BENCH_FLAGS)'

fmt:
	gofmt -w $$(git ls-files '*.go' | grep -v '_templ.go$$')
	$(GO) tool templ fmt views

clean:
	rm -rf bin e2e/artifacts
