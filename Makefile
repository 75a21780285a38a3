# Thin wrapper over CMake presets: the two commands of the README.
SCENARIO ?= scenarios/incidents/cloudflare-2025-11-18.yaml
JOBS ?= $(shell nproc)

.PHONY: run test deps build-release build-ci bench docs clean

deps:
	@scripts/install-deps.sh

# Build output goes to a log, shown only when the build fails, so that the
# run's summary stays on one screen.
build-release: deps
	@cmake --preset release >/dev/null
	@echo "building build/release (log: build/release/build.log)"
	@cmake --build --preset release -j $(JOBS) --target outagesim > build/release/build.log 2>&1 \
	  || { cat build/release/build.log; exit 1; }

run: build-release
	@build/release/sim/cli/outagesim run $(SCENARIO)

build-ci: deps
	@cmake --preset ci >/dev/null
	@cmake --build --preset ci -j $(JOBS)

test: build-ci
	@ctest --preset ci -j $(JOBS)

bench: build-release
	@cmake --build --preset release -j $(JOBS) --target outagesim_bench
	@build/release/bench/outagesim_bench

# Regenerates the checked-in documents that are generated from the code.
docs: build-release
	@build/release/sim/cli/outagesim reference > docs/scenario-reference.md

clean:
	@rm -rf build
