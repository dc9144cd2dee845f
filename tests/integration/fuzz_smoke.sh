#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A short run of every libFuzzer harness (SIP parser, URI parser, SDP parse/rewrite,
# builder round trip) under ASan+UBSan, seeded from the torture corpus. The long runs
# (10 minutes and more each) are recorded in docs/FUZZING.md.
source "$(dirname "$0")/../lib/tap.sh"
exec "$TOP/tests/fuzz/run" --seconds "${SBC_FUZZ_SECONDS:-20}" --jobs 2
