"""What the end-to-end tests share: where the program, the project's
records and its record generator are, and the tally whose last line
tests/run reads."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# the program under test (make test-sanitize and test-valgrind set GEN)
# absolute: some tests run it from a temporary folder (cwd=)
GEN = os.path.abspath(os.environ.get("GEN", os.path.join(ROOT, "bin", "gen")))
# The project's own generator of records (tools/make_records.py) and its
# copies of the records organisations submit (tests/records/): the tests
# need nothing outside the project.
MAKE_RECORDS = os.path.join(ROOT, "tools", "make_records.py")
RECORDS = os.path.join(ROOT, "tests", "records")
# The team's shared/, beside the project here (not in a clone of the project
# alone): tests may add checks with it when it is there, never need it.
SHARED = os.environ.get("SHARED", os.path.join(os.path.dirname(ROOT), "shared"))

_tally = {"passed": 0, "failed": 0}


def check(cond, what):
    """One assertion: counted, and when it fails, said."""
    if cond:
        _tally["passed"] += 1
    else:
        _tally["failed"] += 1
        print("FAIL:", what)
    return bool(cond)


def skipped(what):
    """A part not checked here, for want of something this machine lacks:
    said on a line of its own, which tests/run repeats at the end."""
    print("skipped:", what)


def failures():
    return _tally["failed"]


def finish():
    """The closing line "N passed, N failed" and the exit status."""
    print(f"{_tally['passed']} passed, {_tally['failed']} failed")
    sys.exit(1 if _tally["failed"] else 0)
