#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Conformance of the SIP message layer on the RFC 4475 / RFC 5118 torture messages.

  sip_torture_check.py SIP_LINT CORPUS_DIR EXPECT_JSON DOC

For every message in CORPUS_DIR/expected.tsv: runs SIP_LINT on it, compares every
field EXPECT_JSON gives for it (hand-derived from the message bytes, independently of
the parser), and checks the verdict against the RFC's (valid -> accept, invalid ->
reject) unless EXPECT_JSON's "_deviations" lists the message with a reason, in which
case DOC must name it too. Prints TAP.
"""
import json
import subprocess
import sys


def main():
    lint, corpus, expect_path, doc_path = sys.argv[1:5]
    expect = json.load(open(expect_path))
    deviations = expect.get("_deviations", {})
    doc = open(doc_path).read()
    rows = [l.rstrip("\n").split("\t") for l in open(corpus + "/expected.tsv")][1:]
    n = fails = 0
    for name, rfc, section, verdict, _notes in rows:
        n += 1
        p = subprocess.run([lint, "%s/%s.sip" % (corpus, name)], capture_output=True)
        problems = []
        try:
            got = json.loads(p.stdout)
        except ValueError:
            got = {}
            problems.append("no JSON (exit %d): %s" % (p.returncode, p.stderr[-300:]))
        if p.returncode not in (0, 1):
            problems.append("exit status %d" % p.returncode)
        if p.stderr and b"Sanitizer" in p.stderr or b"runtime error" in p.stderr:
            problems.append("sanitizer: " + p.stderr.decode(errors="replace")[-400:])
        if got:
            want_accept = (verdict == "valid") != (name in deviations)
            if (got.get("verdict") == "accept") != want_accept:
                problems.append("verdict %s, RFC says %s%s" % (
                    got.get("verdict"), verdict,
                    " (deviation listed)" if name in deviations else ""))
            if (got.get("verdict") == "accept") != (p.returncode == 0):
                problems.append("exit status %d does not match verdict" % p.returncode)
            if name in deviations and name not in doc:
                problems.append("deviation not documented in %s" % doc_path)
            for key, val in expect.get(name, {}).items():
                if got.get(key) != val:
                    problems.append("%s: expected %s, got %s" % (
                        key, json.dumps(val), json.dumps(got.get(key))))
        if problems:
            fails += 1
            print("not ok - %s (%s %s)" % (name, rfc, section))
            for pr in problems:
                print("#   " + pr)
        else:
            print("ok - %s (%s %s): %s%s" % (
                name, rfc, section, got["verdict"],
                " %d %s" % (got["response"], got["reason"]) if got.get("response") else ""))
    # Extra messages (variants): only the fields given are checked.
    for name, want in expect.get("_extra", {}).items():
        n += 1
        p = subprocess.run([lint, "%s/%s.sip" % (corpus, name)], capture_output=True)
        got = json.loads(p.stdout) if p.stdout else {}
        bad = ["%s: expected %s, got %s" % (k, json.dumps(v), json.dumps(got.get(k)))
               for k, v in want.items() if got.get(k) != v]
        if bad:
            fails += 1
            print("not ok - %s" % name)
            for b in bad:
                print("#   " + b)
        else:
            print("ok - %s: %s" % (name, got["verdict"]))
    print("1..%d" % n)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
