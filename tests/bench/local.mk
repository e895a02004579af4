# Benchmarks: `make bench` runs every script in BENCH_SCRIPTS (each
# program's fragment adds its own).  They print ratios against a
# reference measured in the same run; they are never part of `make check`
# because shared machines are too noisy for timed assertions.
# automake reads BENCH_SCRIPTS as scripts for benchdir, so they also
# install beside the data for running on a deployed host.
BENCHdir = $(pkgdatadir)/bench
# Files, not the directory: dist copies a directory from the build tree
# when it exists there, objects and all.
EXTRA_DIST += $(BENCH_SCRIPTS)

bench: all
	@set -e; for s in $(BENCH_SCRIPTS); do \
	    echo "== $$s"; \
	    top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	    bash $(srcdir)/$$s; \
	done
.PHONY: bench
