#!/bin/bash
# run.sh: run every test suite and end with one line "N passed, N failed".
#
# Each suite prints its own results; this script reads the counts each
# one reports (the "N passed, N failed" line of our runners, or pytest's
# summary) and sums them.  A suite that crashes or reports no count is
# one failure, so nothing can pass silently.  Run from the repository
# root, as root (network namespaces), after `make rel san`.
set -u
cd "$(dirname "$0")/.." || exit 1

PYTHON=/usr/bin/python3
total_pass=0
total_fail=0
total_skip=0
log=$(mktemp -d "${TMPDIR:-/tmp}/vpc-test.XXXXXX")
trap 'rm -rf "$log"' EXIT

# count NAME FILE RC: add the counts FILE reports.
count() {
	local name=$1 file=$2 rc=$3 p f s line
	line=$(grep -E '^[a-z]*:? ?[0-9]+ passed, [0-9]+ failed' "$file" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<<"$line")
		s=0
	else
		# pytest: "==== 3 passed, 1 failed, 2 skipped in 4.2s ===="
		line=$(grep -E '^=+ .*(passed|failed|error|skipped|no tests ran).* in [0-9.]+s' \
		    "$file" | tail -n 1)
		p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || true)
		f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || true)
		local e
		e=$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || true)
		s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || true)
		p=${p:-0}; f=$(( ${f:-0} + ${e:-0} )); s=${s:-0}
	fi
	if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "run.sh: suite '$name' exited $rc without a failure count;" \
		    "counting it as one failure" >&2
		f=$((f + 1))
	fi
	echo "--- $name: $p passed, $f failed, $s skipped"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
}

# suite NAME COMMAND...: run one suite, show its output, count it.
suite() {
	local name=$1 out rc
	shift
	out="$log/$(tr -c 'a-z0-9' '_' <<<"$name").out"
	echo "=== $name"
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	count "$name" "$out" "$rc"
}

mandoc_lint() {
	local page n=0 bad=0 msg
	for page in man/*.[1-9]; do
		[ -e "$page" ] || continue
		n=$((n + 1))
		msg=$(mandoc -Tlint -Wwarning "$page" 2>&1)
		if [ -n "$msg" ]; then
			echo "FAIL $page"
			echo "$msg"
			bad=$((bad + 1))
		else
			echo "ok   $page"
		fi
	done
	echo "$((n - bad)) passed, $bad failed"
	[ "$bad" -eq 0 ]
}

# The main job (make demo) as one test: it checks its own results and
# exits non-zero if any is wrong.
demo_check() {
	if $PYTHON tools/demo.py; then
		echo "1 passed, 0 failed"
	else
		echo "0 passed, 1 failed"
		return 1
	fi
}

suite "unit" build/rel/bin/vpc-unit
suite "unit (ASan+UBSan)" build/san/bin/vpc-unit
suite "man pages (mandoc -Tlint)" mandoc_lint
suite "FreeBSD module (make kmod)" make --no-print-directory kmod
suite "fuzz (libFuzzer, short runs on the seed corpus)" \
    make --no-print-directory fuzz-short
suite "TypeScript library and vpcctl (ava)" node ts/test/run-ava.js all
suite "end-to-end (network namespaces)" \
    $PYTHON -m pytest -q -p no:cacheprovider test/e2e
suite "end-to-end under ASan+UBSan" \
    env VPCD=build/san/bin/vpcd $PYTHON -m pytest -q -p no:cacheprovider \
    -m sanitizer test/e2e
suite "demo (tools/demo.py, what make demo runs)" demo_check

echo
if [ "$total_skip" -ne 0 ]; then
	echo "($total_skip skipped, not counted as passed)"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
