# tests/cluster: hearsay on a three-node MariaDB Galera cluster with two
# app hosts behind one nginx (hs-stack --galera 3 --hosts 2), under
# faults (issue 19).  Not in `make check`: the cluster takes a few
# hundred MB and most of a CI minute to start; `make check-cluster` runs
# it (tests/stack/test-all.sh does, after `make check`).  Needs root:
# the nodes run as mysql.
CLUSTER_TESTS = tests/cluster/cluster_faults.sh
EXTRA_DIST += $(CLUSTER_TESTS) tests/cluster/wrk_count.lua

check-cluster: all
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(CLUSTER_TESTS)' \
	    TEST_SUITE_LOG=tests/cluster/test-suite.log
.PHONY: check-cluster

# make bench: two app hosts on the three-node cluster beside one host on
# one server, in the same run (needs root, like the suite).
BENCH_SCRIPTS += tests/bench/cluster.sh
