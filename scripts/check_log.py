#!/usr/bin/env python3
"""Judge an Odoo install + test log the way OCA's checklog does.

Fails (exit 1) when:
- Odoo's test report says a test failed or errored, or that no test ran;
- any WARNING, ERROR or CRITICAL line appears, unless it matches a pattern in
  IGNORED (noise of the host platform itself, not caused by this addon).

Prints a summary ending with the closing line
``tests: N passed, N failed, N skipped`` (a skipped test says why in the log).
"""

import re
import sys

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<msg>.*)$"
)
REPORT = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests"
    r" when loading database"
)
# Odoo's test result logs each skipped test at INFO, with the skip's reason
SKIPPED = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}

# (logger regexp, message regexp): platform noise we did not cause.
IGNORED = [
    # Odoo warns once per process when started as the system superuser (CI runs as root)
    (r".*", r"Running as user 'root' is a security risk"),
]


def ignored(logger, msg):
    return any(re.match(lg, logger) and re.search(mg, msg) for lg, mg in IGNORED)


def main(path, summary_path=None):
    bad = []
    skipped = []
    report = None
    with open(path, encoding="utf-8", errors="replace") as log:
        current = None
        for raw in log:
            line = raw.rstrip("\n")
            match = LINE.match(line)
            if not match:
                if current is not None:
                    current.append(line)  # traceback continuation
                continue
            current = None
            skip = SKIPPED.match(match["msg"])
            if skip and ".tests." in match["logger"]:
                skipped.append(f"{skip['test']}: {skip['reason']}")
            found = REPORT.search(match["msg"])
            if found and match["logger"] in (
                "odoo.tests.result",
                "odoo.service.server",
            ):
                report = {k: int(v) for k, v in found.groupdict().items()}
                if match["level"] in BAD_LEVELS:
                    continue  # judged below from the numbers
            if match["level"] in BAD_LEVELS and not ignored(
                match["logger"], match["msg"]
            ):
                current = [line]
                bad.append(current)
    ok = True
    if bad:
        ok = False
        print(f"\n{len(bad)} WARNING/ERROR line(s) in the Odoo log {path}:")
        for entry in bad[:40]:
            print("  " + "\n  ".join(entry[:30]))
    if report is None:
        ok = False
        print("No test report found in the log: Odoo did not finish its test run.")
        failed = errors = passed = 0
    else:
        failed, errors = report["failed"], report["errors"]
        # Odoo counts a skipped test among those run
        passed = max(0, report["run"] - failed - errors - len(skipped))
        if report["run"] == 0 and not (failed or errors):
            ok = False
            print("No test ran.")
        if failed or errors:
            ok = False
    if skipped:
        print(f"\n{len(skipped)} test(s) skipped:")
        for entry in skipped[:40]:
            print("  " + entry)
    print(f"\nlog check: {'clean' if not bad else 'NOT clean'}")
    summary = (
        f"tests: {passed} passed, {failed + errors} failed, {len(skipped)} skipped"
    )
    print(summary)
    if summary_path:
        with open(summary_path, "w", encoding="utf-8") as out:
            out.write(summary + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
