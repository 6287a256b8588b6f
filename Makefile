# pizzastream: the two commands a new user needs are `make demo` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
CMAKE_GEN  := -G Ninja
JOBS       ?= $(shell nproc)

.PHONY: all bootstrap build build-asan demo test test-unit test-asan bench stack format clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: bootstrap
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DPIZZASTREAM_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target unit_tests

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

## test: set up, build and pass every test (unit tests also under ASan+UBSan).
test: build build-asan
	@cd $(ASAN_BUILD) && ctest --output-on-failure -L unit
	@cd $(BUILD) && ctest --output-on-failure -j 2

bench: build
	@$(BUILD)/bench/pipeline_bench

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
