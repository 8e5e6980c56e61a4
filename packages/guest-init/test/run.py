#!/usr/bin/env python3
"""`make test`: runs the C unit tests and the end-to-end cases, ends with `N passed, N failed`.
Usage: run.py BUILD_DIR [CASE_SUBSTRING]"""
import os
import subprocess
import sys
import time

# No __pycache__ beside the sources: the tests leave nothing in the tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e  # noqa: E402
import e2e_exec  # noqa: E402
import e2e_host  # noqa: E402
import e2e_sandbox  # noqa: E402


def main():
    build = os.path.abspath(sys.argv[1])
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    passed = failed = 0
    for unit in ("test-protocol", "test-config", "test-confine"):
        proc = subprocess.run([os.path.join(build, unit)], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr)
        p = sum(line.startswith("ok ") for line in proc.stdout.splitlines())
        f = sum(line.startswith("not ok ") for line in proc.stdout.splitlines())
        if proc.returncode != 0 and f == 0:
            print("not ok - %s exited with %d" % (unit, proc.returncode))
            f = 1
        passed += p
        failed += f
    if os.geteuid() != 0:
        print("not ok - e2e: needs root (it runs the init as root in new namespaces)")
        failed += 1
    else:
        e2e_host.INIT = os.path.join(build, "vsb-init")
        for name, fn in e2e.CASES + e2e_sandbox.CASES + e2e_exec.CASES:
            if only not in name:
                continue
            t = time.monotonic()
            try:
                note = fn()
                passed += 1
                print("ok - e2e: %s (%.2f s)%s" % (name, time.monotonic() - t, ": " + note if note else ""))
            except Exception as e:  # a crashed case is a failed case
                failed += 1
                print("not ok - e2e: %s: %s: %s" % (name, type(e).__name__, e))
            sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


main()
