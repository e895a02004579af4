# Check unit tests: one check_<module>.c per core module; each helper area
# keeps its list in its own fragment.
if HAVE_CHECK
include $(srcdir)/tests/unit/core.mk
include $(srcdir)/tests/unit/parse.mk
include $(srcdir)/tests/unit/data.mk
endif
