# gen: campaign records (XML) in, official-document PDFs out.
#   make demo   install what is missing, build, render examples/ into out/
#   make test   build and run the whole test suite

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -MMD -MP
PKGS     = libxml-2.0 libcmark harfbuzz harfbuzz-subset
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm

# Debian 12 packages: libraries, the free CJK fonts of fonts/fonts.xml, and
# the tools the tests read PDFs with.
DEB_PACKAGES = libhpdf-dev libxml2-dev libcmark-dev libharfbuzz-dev pkg-config \
	fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei fonts-lxgw-wenkai \
	poppler-utils qpdf python3

SOURCES = $(wildcard gen/*.c)
LIB_OBJECTS = $(patsubst gen/%.c,build/%.o,$(filter-out gen/main.c,$(SOURCES)))
UNIT_TESTS = $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))
EXAMPLES = $(wildcard examples/*.xml)

.PHONY: all deps demo test unit e2e clean

all: bin/gen

# Installs only what is missing, so it needs no network when all is there.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install:" $$missing >&2; exit 1; fi; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing \
	  || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; }; \
	fi

build/%.o: gen/%.c | build
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Igen -c $< -o $@

build build/tests bin out:
	mkdir -p $@

bin/gen: build/main.o $(LIB_OBJECTS) | bin
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/tests/test_%: tests/unit/test_%.c $(LIB_OBJECTS) | build/tests
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Igen -Itests/unit -o $@ $(filter %.c %.o,$^) $(PKG_LIBS)

# Every record of examples/ that a template lays out, into out/.
demo: deps
	$(MAKE) all
	@mkdir -p out; status=0; \
	for f in $(EXAMPLES); do \
	  name=$$(basename $$f .xml); \
	  if bin/gen check $$f 2>&1 | grep -q 'no template lays out'; then \
	    echo "skipped $$f: no template for it yet"; \
	  elif bin/gen render $$f -o out/$$name.pdf; then echo "out/$$name.pdf"; \
	  else status=1; fi; \
	done; exit $$status

test: deps
	$(MAKE) all $(UNIT_TESTS)
	@tests/run $(UNIT_TESTS)

clean:
	rm -rf build bin out

-include $(wildcard build/*.d build/tests/*.d)
