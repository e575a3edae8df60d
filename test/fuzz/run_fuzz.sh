#!/bin/sh
# run_fuzz.sh: run the libFuzzer harnesses of test/fuzz (see README.md).
#
#   run_fuzz.sh short SECONDS NAME...   each harness SECONDS on a scratch
#                                       copy of its committed seeds
#   run_fuzz.sh long SECONDS NAME...    each harness SECONDS, growing
#                                       build/fuzz/corpus/NAME
#
# A harness passes if it ran its time without a crash and executed more
# than 0 inputs.  Ends with "N passed, N failed".  Crashing inputs go to
# build/fuzz/artifacts/.  $FZ_TOLERATE (a bit mask, see fz_pkt.h) lets
# known findings through; by default none is.  Run from the repository
# root after `make fuzz-build`.
mode=$1
secs=$2
shift 2
pass=0
fail=0
art=build/fuzz/artifacts
mkdir -p "$art"
for name in "$@"; do
	bin=build/fuzz/bin/fuzz-$name
	seeds=test/fuzz/corpus/$name
	if [ "$mode" = long ]; then
		work=build/fuzz/corpus/$name
		mkdir -p "$work"
	else
		work=$(mktemp -d "${TMPDIR:-/tmp}/vpc-fuzz-$name.XXXXXX")
	fi
	case $name in
	ctl)	maxlen=4096 ;;
	*)	maxlen=1600 ;;
	esac
	log=$art/$name.log
	nice -n 19 "$bin" -max_total_time="$secs" -max_len="$maxlen" \
	    -print_final_stats=1 -artifact_prefix="$art/$name-" \
	    "$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	execs=${execs:-0}
	if [ "$rc" -eq 0 ] && [ "$execs" -gt 0 ] &&
	    ! grep -q 'ERROR: \|runtime error\|invariant failed' "$log"; then
		echo "ok   fuzz-$name: $execs executions in ${secs}s, 0 crashes"
		pass=$((pass + 1))
	else
		echo "FAIL fuzz-$name: exit $rc after $execs executions" \
		    "(log $log)"
		grep -m 5 'invariant failed\|ERROR: \|runtime error\|Test unit written' \
		    "$log" | sed 's/^/     /'
		fail=$((fail + 1))
	fi
	[ "$mode" = long ] || rm -rf "$work"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
