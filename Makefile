# gen: campaign records (XML) in, official-document PDFs out.
#   make demo            install what is missing, build, render examples/ into out/
#   make test            build and run the whole test suite
#   make test-sanitize   the suite again, built with AddressSanitizer and UBSan
#   make test-valgrind   the suite again, every program under valgrind memcheck
#   make test-helgrind   every threaded command under helgrind (any report fails)
#   make fuzz            libFuzzer on the loader, the Markdown mapping, the line
#                        breaker, the CSV and .xlsx readers and the template
#                        stage, FUZZ_SECONDS (600) each

CC      ?= gcc
CFLAGS  ?= -O2 -g
# kept apart from CFLAGS, so that `make CFLAGS=...` (the sanitizer and fuzz
# builds) still gets the warnings and the dependency files
WARN_CFLAGS = -std=c11 -Wall -Wextra -Werror -MMD -MP
PKGS     = libxml-2.0 libcmark-gfm harfbuzz harfbuzz-subset zlib libpng icu-uc fontconfig
# libzip's header only: the library is loaded when a workbook is read
# (gen/zip_functions.h says why), not linked
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) libzip 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm -pthread

# `make` alone builds (the first rule below is a .mo pattern and pot).
.DEFAULT_GOAL := all

# Where a build goes: the sanitizer build uses its own.
BUILD ?= build
BIN   ?= bin

# Debian 12 packages, all that `make demo` and `make test` need on a bare
# system (a minbase root with make and git, tools/bare-debian-check): the
# compiler and libc headers, the libraries, the free CJK fonts of
# fonts/fonts.xml, the OpenType CFF fonts the tests embed (Noto CJK's
# collections, Latin Modern's .otf), and every tool the tests run (python3; pdftotext and the
# other poppler tools and qpdf read the PDFs, xmllint checks templates
# against schemas/template.rng, groff formats the manual page; python3-openpyxl
# writes the .xlsx workbooks tests/e2e/test_xlsx.py imports); gettext's
# msgfmt compiles the message catalogues (po/), and locales holds what the
# zh_CN.UTF-8 locale is made from (tests/install-locale makes it).
DEB_PACKAGES = gcc libc6-dev make pkg-config \
	libhpdf-dev libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libharfbuzz-dev zlib1g-dev libpng-dev libicu-dev libfontconfig-dev libzip-dev \
	fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei fonts-lxgw-wenkai fonts-babelstone-han \
	fonts-noto-cjk fonts-lmodern fonts-arphic-ukai texlive-lang-chinese \
	poppler-utils qpdf python3 icc-profiles-free libxml2-utils groff-base python3-openpyxl \
	gettext locales \
	libmicrohttpd-dev libsqlite3-dev libsodium-dev sqlite3 \
	chromium chromium-driver python3-selenium
# The locales the tests run the program in (Chinese messages, and English).
TEST_LOCALES = zh_CN.UTF-8
FUZZ_PACKAGES = clang libclang-rt-14-dev
VALGRIND_PACKAGES = valgrind

SOURCES = $(wildcard gen/*.c)
LIB_OBJECTS = $(patsubst gen/%.c,$(BUILD)/%.o,$(filter-out gen/main.c,$(SOURCES)))
UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
EXAMPLES = $(wildcard examples/*.xml)

# The desk (gen serve): a program of its own, bin/gen-desk, which `gen
# serve` runs.  Its libraries stay out of bin/gen, whose every resident
# megabyte counts against the benchmark's memory targets (bench/run W2);
# its renders run in `gen serve --worker` processes (gen/desk/pool.h).
DESK_PKGS    = libmicrohttpd sqlite3 libsodium
DESK_CFLAGS  = $(shell pkg-config --cflags $(DESK_PKGS) 2>/dev/null)
DESK_LIBS    = $(shell pkg-config --libs $(DESK_PKGS) 2>/dev/null)
DESK_SOURCES = $(wildcard gen/desk/*.c)
DESK_OBJECTS = $(patsubst gen/desk/%.c,$(BUILD)/desk/%.o,$(DESK_SOURCES))

.PHONY: all deps demo test unit test-sanitize test-valgrind test-helgrind fuzz clean reference pot po

# The messages in other languages: po/LANG.po (translated by hand) compiled
# into build/locale/LANG/LC_MESSAGES/gen.mo, where gen looks from the
# project's bin/gen (gen/i18n.c); installed, PREFIX/share/locale.
LINGUAS  = $(patsubst po/%.po,%,$(wildcard po/*.po))
MO_FILES = $(foreach l,$(LINGUAS),build/locale/$(l)/LC_MESSAGES/gen.mo)
# The functions whose argument is a message (xgettext's --keyword): each
# translates it itself (gettext) before it is printed.
XGETTEXT_KEYWORDS = -k_ -kN_ -kdiag_add:5 -ktpl_error:4 -kwarn_at:4 -kblock_at:4 \
	-kentry_error:4 -ksay:4 -kmeasure_report_missing:4 -kS_unknown_role:4 \
	-kinput_list_add:3 -kreading:3 -kout_guard_report:3 -krow_diag:5
XGETTEXT = xgettext --from-code=UTF-8 --language=C $(XGETTEXT_KEYWORDS) --add-comments=TRANSLATORS: \
	--package-name=gen --msgid-bugs-address='the issue tracker of gen' --sort-by-file

build/locale/%/LC_MESSAGES/gen.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# make po: the messages extracted again from gen/*.c, and the <warn> texts
# of templates/*.xml (po/templates.its), into po/gen.pot (make pot, which
# tests/e2e/test_i18n.py runs into a file of its own, POT=FILE) and
# merged into every po/LANG.po; then translate what msgmerge marks new or
# fuzzy (tests/e2e/test_i18n.py fails until every one is).
POT ?= po/gen.pot
pot:
	$(XGETTEXT) -o $(POT) $(sort $(SOURCES) $(DESK_SOURCES))
	xgettext --its=po/templates.its --from-code=UTF-8 --join-existing -o $(POT) $(sort $(wildcard templates/*.xml))

po: pot
	@for l in $(LINGUAS); do msgmerge --quiet --update --backup=none po/$$l.po po/gen.pot; done
	@for l in $(LINGUAS); do printf '%s: ' $$l; msgfmt --statistics -o /dev/null po/$$l.po; done

all: $(BIN)/gen $(BIN)/gen-desk $(MO_FILES)

# Installs only what is missing, so it needs no network when all is there.
deps:
	@tests/install-missing $(DEB_PACKAGES)
	@tests/install-locale $(TEST_LOCALES)

$(BUILD)/%.o: gen/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN_CFLAGS) $(PKG_CFLAGS) -Igen -c $< -o $@

$(BIN)/gen: $(BUILD)/main.o $(LIB_OBJECTS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(PKG_LIBS)

$(BUILD)/desk/%.o: gen/desk/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN_CFLAGS) $(PKG_CFLAGS) $(DESK_CFLAGS) -Igen -Igen/desk -c $< -o $@

$(BIN)/gen-desk: $(DESK_OBJECTS) $(LIB_OBJECTS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(PKG_LIBS) $(DESK_LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB_OBJECTS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN_CFLAGS) $(LDFLAGS) $(PKG_CFLAGS) -Igen -Itests/unit -o $@ $(filter %.c %.o,$^) $(PKG_LIBS)

# the desk's own (test_desk_*): its objects but its main
$(BUILD)/tests/test_desk_%: tests/unit/test_desk_%.c $(filter-out $(BUILD)/desk/main.o,$(DESK_OBJECTS)) $(LIB_OBJECTS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN_CFLAGS) $(LDFLAGS) $(PKG_CFLAGS) $(DESK_CFLAGS) -Igen -Igen/desk -Itests/unit -o $@ $(filter %.c %.o,$^) $(PKG_LIBS) $(DESK_LIBS)

unit: $(UNIT_TESTS)

# Every record of examples/ through every template that lays it out, and the
# notice with its attachments as one bundle, into out/.
demo: deps
	$(MAKE) all
	@python3 tools/demo.py

test: deps
	$(MAKE) all unit
	@tests/run $(UNIT_TESTS)

SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
test-sanitize: deps
	$(MAKE) BUILD=build/asan BIN=build/asan/bin CFLAGS="-O1 -g $(SANITIZE)" LDFLAGS="$(SANITIZE)" all unit
	@ASAN_OPTIONS=exitcode=99:detect_leaks=1 LSAN_OPTIONS=exitcode=99 \
	  UBSAN_OPTIONS=print_stacktrace=1:exitcode=99 GEN=build/asan/bin/gen \
	  tests/run $(patsubst tests/unit/%.c,build/asan/tests/%,$(wildcard tests/unit/test_*.c))

test-valgrind: deps
	@tests/install-missing $(VALGRIND_PACKAGES)
	$(MAKE) all unit
	@GEN=tests/valgrind-gen RUNNER=tests/valgrind-run tests/run $(UNIT_TESTS)

test-helgrind: deps
	@tests/install-missing $(VALGRIND_PACKAGES)
	$(MAKE) all
	@tests/helgrind-threads

FUZZ_SECONDS ?= 600
FUZZERS = load markdown linebreak csv template xlsx
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined
fuzz: deps
	@tests/install-missing $(FUZZ_PACKAGES)
	$(MAKE) BUILD=build/fuzz BIN=build/fuzz/bin CC=clang CFLAGS="$(FUZZ_FLAGS)" \
	  $(patsubst gen/%.c,build/fuzz/%.o,$(filter-out gen/main.c,$(SOURCES)))
	@for f in $(FUZZERS); do \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -Igen \
	    -o build/fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c \
	    $(patsubst gen/%.c,build/fuzz/%.o,$(filter-out gen/main.c,$(SOURCES))) $(PKG_LIBS) || exit 1; \
	done
	@status=0; for f in $(FUZZERS); do \
	  mkdir -p build/fuzz/corpus-$$f; cp tests/fuzz/seeds-$$f/* build/fuzz/corpus-$$f/ 2>/dev/null; \
	  echo "== fuzz_$$f for $(FUZZ_SECONDS) s"; \
	  build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 \
	    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/crash-$$f- build/fuzz/corpus-$$f \
	    2>build/fuzz/fuzz_$$f.log || status=1; \
	  tail -n 3 build/fuzz/fuzz_$$f.log; \
	done; exit $$status

clean:
	rm -rf build bin out

# The field reference of the record types, made from the schemas (gen
# fields): docs/fields.md and the RECORD FIELDS section of man/gen.1,
# between its "fields: begin" and "fields: end" lines.  Run it after
# editing a schema; tests/e2e/test_record_messages.py fails until then.
reference: $(BIN)/gen
	$(BIN)/gen fields > docs/fields.md.tmp && mv docs/fields.md.tmp docs/fields.md
	@mkdir -p $(BUILD)
	$(BIN)/gen fields --man > $(BUILD)/fields.man
	awk -v part=$(BUILD)/fields.man \
	  '/^\.\\" fields: begin/ { print; while ((getline l < part) > 0) print l; skip = 1; next } \
	   /^\.\\" fields: end/ { skip = 0 } !skip' man/gen.1 > man/gen.1.tmp && mv man/gen.1.tmp man/gen.1

# make install PREFIX=/usr/local [DESTDIR=/tmp/stage]: the program, its data
# and its manual page; make uninstall (same PREFIX and DESTDIR) removes them.
# The installed gen finds its data as PREFIX/share/gen beside its own
# PREFIX/bin (gen/main.c, find_data_dir), so only PREFIX moves the layout;
# DESTDIR is a packager's staging root, not seen by the installed program.
PREFIX  ?= /usr/local
INSTALL ?= install
INSTALL_BIN  = $(DESTDIR)$(PREFIX)/bin
INSTALL_DATA = $(DESTDIR)$(PREFIX)/share/gen
INSTALL_MAN1 = $(DESTDIR)$(PREFIX)/share/man/man1
INSTALL_LOCALE = $(DESTDIR)$(PREFIX)/share/locale
# Data files, as paths under PREFIX/share/gen.
DATA_FILES = $(wildcard templates/*.xml) templates/README.md fonts/fonts.xml \
	$(wildcard schemas/*.rng)

.PHONY: install uninstall
install: $(BIN)/gen $(BIN)/gen-desk $(MO_FILES)
	$(INSTALL) -d '$(INSTALL_BIN)' '$(INSTALL_MAN1)' $(foreach d,templates fonts schemas,'$(INSTALL_DATA)/$(d)')
	$(INSTALL) -m 0755 $(BIN)/gen '$(INSTALL_BIN)/gen'
	$(INSTALL) -m 0755 $(BIN)/gen-desk '$(INSTALL_BIN)/gen-desk'
	$(INSTALL) -m 0644 man/gen.1 '$(INSTALL_MAN1)/gen.1'
	$(INSTALL) -m 0644 $(filter templates/%,$(DATA_FILES)) '$(INSTALL_DATA)/templates'
	$(INSTALL) -m 0644 $(filter fonts/%,$(DATA_FILES)) '$(INSTALL_DATA)/fonts'
	$(INSTALL) -m 0644 $(filter schemas/%,$(DATA_FILES)) '$(INSTALL_DATA)/schemas'
	@for l in $(LINGUAS); do \
	  $(INSTALL) -d '$(INSTALL_LOCALE)'/$$l/LC_MESSAGES && \
	  $(INSTALL) -m 0644 build/locale/$$l/LC_MESSAGES/gen.mo '$(INSTALL_LOCALE)'/$$l/LC_MESSAGES/gen.mo || exit 1; \
	done

# Removes what install put there; a folder that still holds an office's own
# files (a template it added) is kept.
uninstall:
	rm -f '$(INSTALL_BIN)/gen' '$(INSTALL_BIN)/gen-desk' '$(INSTALL_MAN1)/gen.1' $(foreach f,$(DATA_FILES),'$(INSTALL_DATA)/$(f)') \
	  $(foreach l,$(LINGUAS),'$(INSTALL_LOCALE)/$(l)/LC_MESSAGES/gen.mo')
	@for d in templates fonts schemas; do rmdir '$(INSTALL_DATA)'/$$d 2>/dev/null; done; \
	  rmdir '$(INSTALL_DATA)' 2>/dev/null; true

# make bench: the benchmark of bench/run (workloads, the libharu limit beside
# each, the targets); its table is printed and written to bench/results.md;
# then bench/campaign (gen campaign check at a province's scale, into
# bench/campaign.md); then bench/desk (gen serve: a warm render against the
# command line's, 50 clients at once; into bench/desk.md).
# BENCH_ARGS passes options to bench/run (e.g. BENCH_ARGS="--runs 3").
.PHONY: bench
$(BUILD)/bench/limit: bench/limit.c $(LIB_OBJECTS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN_CFLAGS) $(LDFLAGS) $(PKG_CFLAGS) -Igen -o $@ $(filter %.c %.o,$^) $(PKG_LIBS)

bench: deps
	@tests/install-missing strace time
	$(MAKE) all $(BUILD)/bench/limit
	@python3 bench/run --limit $(BUILD)/bench/limit $(BENCH_ARGS)
	@python3 bench/campaign
	@python3 bench/desk

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d $(BUILD)/desk/*.d)
