# Thin wrapper over CMake for the README's two commands.
#   make demo   install missing packages, build (Release), scan the bundled sample
#   make test   build and run the whole test suite (ctest)

BUILD    ?= build
ASAN     ?= build-asan
FUZZ     ?= build-fuzz
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
PG_WERROR ?= OFF
CMAKE_FLAGS ?=

.PHONY: all deps build test demo sanitize fuzz bench clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DPG_WERROR=$(PG_WERROR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@scripts/demo $(BUILD)/paygraph

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPG_SANITIZE=ON \
	    -DPG_WERROR=$(PG_WERROR) -DPG_BENCHMARKS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 PG_SANITIZED=1 \
	    ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)

# libFuzzer: every tests/fuzz/fuzz_<name>.c, one after another, FUZZ_SECONDS each
# (clang, ASan + UBSan). New inputs go to $(FUZZ)/corpus/<name>, crashes to
# $(FUZZ)/crash-*; the seed corpus in tests/fuzz/corpus is only read.
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="amount timestamp"
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

fuzz: deps
	@cmake -S . -B $(FUZZ) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DPG_FUZZ=ON -DPG_BENCHMARKS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ)/corpus/$$t; \
	    dict=""; [ -f tests/fuzz/dict/$$t.dict ] && dict="-dict=tests/fuzz/dict/$$t.dict"; \
	    echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	    $(FUZZ)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ)/crash-$$t- $$dict $(FUZZ)/corpus/$$t tests/fuzz/corpus/$$t; \
	done
