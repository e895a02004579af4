# What a deployment copies and edits (README, "Deploying behind a system
# nginx" and "systemd units"): the nginx snippets with their @...@
# placeholders, the cron lines, the systemd units and the commented
# configuration.  bench.conf and stack.conf.in are the test stack's own.
hsnginxdir = $(pkgdatadir)/nginx
dist_hsnginx_DATA = nginx/hearsay.conf nginx/hearsay-http.conf \
	nginx/hearsay-default.conf nginx/fastcgi_params.hearsay \
	nginx/cron.hearsay
hssystemddir = $(pkgdatadir)/systemd
dist_hssystemd_DATA = nginx/systemd/hearsay@.service \
	nginx/systemd/hearsay@.socket nginx/systemd/hearsay-reconcile.service \
	nginx/systemd/hearsay-reconcile.timer \
	nginx/systemd/hearsay-retention.service \
	nginx/systemd/hearsay-retention.timer \
	nginx/systemd/hearsay-webhook.service \
	nginx/systemd/hearsay-webhook.timer nginx/systemd/hearsay.sysusers \
	nginx/systemd/hearsay.tmpfiles
dist_pkgdata_DATA += hearsay.conf.example
HS_DATA_LISTED += $(dist_hsnginx_DATA) $(dist_hssystemd_DATA)
HS_DATA_GLOBS += nginx/systemd/*

# A file added to sql/, html/ or nginx/systemd/ and left out of its list
# would be missing from every installed system; make check says so.
check-local: check-data
check-data:
	@cd $(srcdir) && for f in $(HS_DATA_GLOBS); do \
	    case " $(HS_DATA_LISTED) " in \
	    *" $$f "*) ;; \
	    *) echo "$$f is not installed: add it to its directory's local.mk"; \
	        exit 1 ;; \
	    esac; \
	done
.PHONY: check-data
