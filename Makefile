# Installs sis-sync like a Unix tool (README, "Install"):
#
#   make                      the release binary (Swift runtime linked in)
#   make install              binary, man pages, shell completions, demo data
#   make uninstall            removes exactly what install put there
#   make deb                  a Debian package (packaging/build-deb.sh)
#
# PREFIX (default /usr/local) and DESTDIR as usual: files go to
# $(DESTDIR)$(PREFIX)/…, and `sis-sync demo` finds its data from the binary's
# own place (BIN/../share/sis-sync), so the prefix is not compiled in.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# A scratch folder of its own: the release build never disturbs the debug
# one that `swift build` and `swift test` use.
SCRATCH ?= .build-release

BIN := $(SCRATCH)/release/sis-sync
COMPLETIONS := $(SCRATCH)/completions

bindir := $(DESTDIR)$(PREFIX)/bin
man1dir := $(DESTDIR)$(PREFIX)/share/man/man1
man5dir := $(DESTDIR)$(PREFIX)/share/man/man5
bashdir := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
# Debian's zsh reads packages' completions from vendor-completions instead
# (packaging/build-deb.sh sets it).
ZSH_COMPLETIONS ?= $(PREFIX)/share/zsh/site-functions
zshdir := $(DESTDIR)$(ZSH_COMPLETIONS)
fishdir := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
sharedir := $(DESTDIR)$(PREFIX)/share/sis-sync

.PHONY: all build completions install uninstall deb

all: build completions

# Always asks SwiftPM, which knows what changed (and the commit, for
# --version); a no-op build takes seconds. No $ORIGIN run path: the binary
# loads only the system's libraries, never from the folder it sits in.
build:
	$(SWIFT) build -c release --static-swift-stdlib --disable-local-rpath --scratch-path $(SCRATCH) \
	  --product sis-sync

# Built only when missing, so `sudo make install` after `make` needs no
# Swift on root's PATH and rebuilds nothing as root.
$(BIN):
	$(MAKE) build

# Generated from the command definitions by swift-argument-parser, so they
# follow every option without being edited by hand.
completions: $(COMPLETIONS)/sis-sync.bash $(COMPLETIONS)/_sis-sync $(COMPLETIONS)/sis-sync.fish

$(COMPLETIONS)/sis-sync.bash: $(BIN)
	@mkdir -p $(COMPLETIONS)
	$(BIN) --generate-completion-script bash >$@.tmp && mv $@.tmp $@
$(COMPLETIONS)/_sis-sync: $(BIN)
	@mkdir -p $(COMPLETIONS)
	$(BIN) --generate-completion-script zsh >$@.tmp && mv $@.tmp $@
$(COMPLETIONS)/sis-sync.fish: $(BIN)
	@mkdir -p $(COMPLETIONS)
	$(BIN) --generate-completion-script fish >$@.tmp && mv $@.tmp $@

install: $(BIN) completions
	install -d $(bindir) $(man1dir) $(man5dir) $(bashdir) $(zshdir) $(fishdir) \
	  $(sharedir)/demo $(sharedir)/exports
	install -m 755 $(BIN) $(bindir)/sis-sync
	install -m 644 man/sis-sync.1 $(man1dir)/sis-sync.1
	install -m 644 man/sis-sync-mapping.5 $(man5dir)/sis-sync-mapping.5
	install -m 644 $(COMPLETIONS)/sis-sync.bash $(bashdir)/sis-sync
	install -m 644 $(COMPLETIONS)/_sis-sync $(zshdir)/_sis-sync
	install -m 644 $(COMPLETIONS)/sis-sync.fish $(fishdir)/sis-sync.fish
	install -m 644 Fixtures/demo/organizations.csv Fixtures/demo/accounts.csv $(sharedir)/demo/
	install -m 644 Fixtures/exports/demo-district.csv $(sharedir)/exports/

# The shared folders (bin, man1, the completion folders) stay: other
# programs use them.
uninstall:
	rm -f $(bindir)/sis-sync $(man1dir)/sis-sync.1 $(man5dir)/sis-sync-mapping.5 \
	  $(bashdir)/sis-sync $(zshdir)/_sis-sync $(fishdir)/sis-sync.fish \
	  $(sharedir)/demo/organizations.csv $(sharedir)/demo/accounts.csv \
	  $(sharedir)/exports/demo-district.csv
	rmdir $(sharedir)/demo $(sharedir)/exports $(sharedir) 2>/dev/null || true

deb: $(BIN) completions
	packaging/build-deb.sh $(BIN) $(SCRATCH)/deb
