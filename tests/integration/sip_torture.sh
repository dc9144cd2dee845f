#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# SIP torture messages (RFC 4475, RFC 5118) through sip-lint (sanitizer build): verdict,
# answer and every hand-derived field; deviations must be documented. Needs ../shared.
source "$(dirname "$0")/../lib/tap.sh"
corpus=$TOP/../shared/conformance/sip-torture
lint=${SIP_LINT:-$TOP/build-asan/tools/sip-lint}
[ -x "$lint" ] || lint=$TOP/build/tools/sip-lint
if [ ! -f "$corpus/expected.tsv" ]; then
	skip "no conformance corpus at $corpus"
	done_testing
	exit 0
fi
# The command line itself: usage and I/O errors are exit status 2, stdin works.
"$lint" >/dev/null 2>&1
check_eq "sip-lint without arguments: exit 2" 2 $?
"$lint" /nonexistent/message.sip >/dev/null 2>&1
check_eq "sip-lint on a missing file: exit 2" 2 $?
out=$("$lint" - <"$corpus/wsinv.sip")
check_eq "sip-lint reads stdin (-)" accept "$(jq -r .verdict <<<"$out")"
printf '\r\n\r\n' | "$lint" - >/dev/null
check_eq "a keep-alive (CRLF only) is refused without an answer: exit 1" 1 $?
# One TAP line per message, counted into this script's plan.
out=$(/usr/bin/python3 "$TOP/tests/data/sip_torture_check.py" "$lint" "$corpus" \
	"$TOP/tests/data/sip-torture.json" "$TOP/docs/SIP-CONFORMANCE.md")
rc=$?
grep -v '^1\.\.' <<<"$out"
_tap_n=$((_tap_n + $(grep -cE '^(not )?ok' <<<"$out")))
_tap_fail=$((_tap_fail + $(grep -c '^not ok' <<<"$out")))
[ $rc -eq 0 ] || [ $_tap_fail -gt 0 ] || not_ok "torture check exited with $rc"
done_testing
