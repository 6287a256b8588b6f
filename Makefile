# pizzastream: the two commands a new user needs are `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
N ?= 50
CMAKE_GEN  := -G Ninja
JOBS       ?= $(shell nproc)

.PHONY: all bootstrap build build-asan build-fuzz demo test test-unit test-asan bench stack format clean \
        fuzz chaos image up down logs format-check check-layers

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: bootstrap
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DPIZZASTREAM_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target unit_tests

build-fuzz: bootstrap
	@cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DPIZZASTREAM_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)

## demo: set up, build and run the pipeline on the embedded default (Ctrl-C stops it cleanly).
demo: build
	@$(BUILD)/pizzastream demo --data-dir pizzastream-data

## stack: start a local Kafka broker (scripts/kafka: KRaft, no Docker), a local S3 server
## (scripts/s3: versitygw, bucket `lakehouse`) and PostgreSQL (scripts/postgres), and run the
## pipeline on them: Kafka topic -> Delta lake in s3://lakehouse -> PostgreSQL. Ctrl-C stops the
## pipeline; `scripts/kafka stop`, `scripts/s3 stop` and `scripts/postgres stop` stop the servers
## and drop their data. The data dir and the lake prefix are per broker port, so a fresh broker
## never meets a lake holding another broker's offsets.
stack: build
	@brokers=$$(scripts/kafka start | tail -n 1) && s3=$$(scripts/s3 start | tail -n 1) && \
	  pg=$$(scripts/postgres start | tail -n 1) && \
	  data=pizzastream-data/stack-$${brokers##*:} && lake=s3://lakehouse/stack-$${brokers##*:} && \
	  . "$${s3#* }" && \
	  echo "stack: Kafka at $$brokers, S3 at $${s3%% *} ($$lake), PostgreSQL at $${pg%%\?*}, data in $$data" && \
	  $(BUILD)/pizzastream demo --kafka-brokers $$brokers --partitions 6 --data-dir $$data \
	    --lake "$$lake" --warehouse "$$pg"

## test: set up, build and pass every test (unit tests also under ASan+UBSan, each fuzz target
## for a few seconds). The format and include-layer checks come first, so they fail fast.
## Benchmarks are not built here (`make bench` builds them).
test: bootstrap check-layers format-check build build-asan build-fuzz
	@cd $(ASAN_BUILD) && ctest --output-on-failure -L unit
	@cd $(FUZZ_BUILD) && ctest --output-on-failure -L fuzz
	@cd $(BUILD) && ctest --output-on-failure -j 2

## fuzz: every libFuzzer target for FUZZ_SECONDS each; prints execs, execs/s and findings.
fuzz: bootstrap
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/fuzz

## chaos: N random SIGKILLs across run and the stages, then compare with an uninterrupted run.
chaos: build
	@PIZZASTREAM_CHAOS_KILLS=$(N) $(BUILD)/tests/e2e_tests --gtest_filter='Chaos.*'

## image: the pizzastream container image (podman, no Docker or registry needed; scripts/containers).
image:
	@scripts/containers build

## up / down / logs: the whole stack of compose.yaml (docker compose, else podman-compose).
## Needs a .env (cp .env.example .env, fill in the passwords). PROFILE=airflow adds Airflow;
## `make down ARGS=-v` also drops the data volumes. With podman-compose, `up` starts the
## services in depends_on order and polls their health checks (scripts/containers up), as
## podman 4.3 cannot wait for service_healthy; it returns once every health check passes.
COMPOSE_PROFILE = $(if $(PROFILE),--profile $(PROFILE))
up:
	@test -f .env || { echo "make up: no .env: cp .env.example .env and fill in the passwords" >&2; exit 1; }
	@scripts/containers up $(COMPOSE_PROFILE) $(ARGS)
down:
	@scripts/containers compose $(COMPOSE_PROFILE) down $(ARGS)
logs:
	@scripts/containers compose $(COMPOSE_PROFILE) logs -f $(ARGS)

## bench: build every benchmark (bench/, not part of `make build` or `make test`) and run the
## pipeline benchmark.
bench: build
	@cmake --build $(BUILD) -j $(JOBS) --target benchmarks
	@$(BUILD)/bench/pipeline_bench

FORMAT_FILES = git ls-files -- 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' \
               'bench/*.h' 'fuzz/*.cc' 'fuzz/*.h'
format:
	@clang-format -i $$($(FORMAT_FILES))

## format-check: fails (listing every difference) when a C++ file differs from `make format`.
format-check:
	@clang-format --dry-run --Werror $$($(FORMAT_FILES)) || \
	  { echo "format-check: the files above differ from .clang-format; run make format" >&2; exit 1; }

## check-layers: prints the folder-to-folder include graph of src/ and fails on an include cycle
## or an edge up the layer order of tools/layers.txt (tools/layers-allow.txt: edges still allowed).
check-layers:
	@scripts/check-layers --quiet

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
