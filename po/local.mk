# po/: the message catalogues of the pages people read (src/core/i18n.c).
# hearsay.pot is made by po/update.sh from the sources (_(), N_(),
# hs_http_error's message, and the templates' @@t:...@@ texts); each
# po/LL.po is compiled by msgfmt at build time into
# po/locale/LL/LC_MESSAGES/hearsay.mo in the build tree (the test stacks
# point locale_dir there) and installed under $(localedir).  Plain
# msgfmt rules rather than AM_GNU_GETTEXT: one domain, one catalogue, a
# non-recursive build, and glibc's own gettext (no libintl, no
# autopoint or po/Makefile.in.in to carry).
hs_mo_dedir = $(localedir)/de/LC_MESSAGES
hs_mo_de_DATA = po/locale/de/LC_MESSAGES/hearsay.mo

po/locale/de/LC_MESSAGES/hearsay.mo: $(srcdir)/po/de.po
	$(AM_V_GEN)$(MKDIR_P) po/locale/de/LC_MESSAGES && \
	    $(MSGFMT) -c -o $@ $(srcdir)/po/de.po

CLEANFILES += $(hs_mo_de_DATA)
EXTRA_DIST += po/LINGUAS po/hearsay.pot po/de.po po/update.sh

# Maintainers: `make update-po` after changing any fixed wording.
update-po:
	cd $(srcdir) && po/update.sh
.PHONY: update-po

TESTS += tests/it/i18n.sh
EXTRA_DIST += tests/it/i18n.sh
