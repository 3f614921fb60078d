"""What the end-to-end tests share: where the program and the shared
records are, and the tally whose last line tests/run reads."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the program under test (make test-sanitize and test-valgrind set GEN)
GEN = os.environ.get("GEN", os.path.join(ROOT, "bin", "gen"))
# shared/ lies beside the project, in CI as here
SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
MAKE_RECORDS = os.path.join(SHARED, "tools", "make_records.py")

_tally = {"passed": 0, "failed": 0}


def check(cond, what):
    """One assertion: counted, and when it fails, said."""
    if cond:
        _tally["passed"] += 1
    else:
        _tally["failed"] += 1
        print("FAIL:", what)
    return bool(cond)


def failures():
    return _tally["failed"]


def finish():
    """The closing line "N passed, N failed" and the exit status."""
    print(f"{_tally['passed']} passed, {_tally['failed']} failed")
    sys.exit(1 if _tally["failed"] else 0)
