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
exec /usr/bin/python3 "$TOP/tests/data/sip_torture_check.py" "$lint" "$corpus" \
	"$TOP/tests/data/sip-torture.json" "$TOP/docs/SIP-CONFORMANCE.md"
