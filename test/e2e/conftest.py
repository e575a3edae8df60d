"""conftest.py: fixtures of the end-to-end tests (see README).

Every test gets its own netns.Lab (`lab`): namespaces, processes and a
scratch directory that are removed when the test ends, pass or fail.  The
vpcd under test is $VPCD (default build/rel/bin/vpcd); `make test` runs the
tests marked `sanitizer` again with VPCD=build/san/bin/vpcd.  A missing
binary or library, or not being root, is a failure, never a skip.

At the end the run prints "pytest: N passed, N failed" (errors count as
failed) before pytest's own summary, for test/run.sh.
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

import netns  # noqa: E402
import topo  # noqa: E402
import vpc  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sanitizer: also run against the ASan+UBSan vpcd "
        "(make test: VPCD=build/san/bin/vpcd pytest -m sanitizer)")


@pytest.fixture(scope="session")
def vpcd_bin():
    """The vpcd under test; fails (never skips) when it is missing."""
    if os.geteuid() != 0:
        pytest.fail("the end-to-end tests need root (network namespaces)")
    path = topo.vpcd_path()
    if not os.access(path, os.X_OK):
        pytest.fail("vpcd not found at %s (make rel san)" % path)
    try:
        vpc.lib()
    except OSError as e:
        pytest.fail(str(e))
    return path


@pytest.fixture
def lab(request, vpcd_bin):
    """A fresh Lab for one test, torn down whatever happens."""
    with netns.Lab(request.node.name) as lab_:
        yield lab_


def pytest_terminal_summary(terminalreporter):
    st = terminalreporter.stats
    passed = len(st.get("passed", []))
    failed = len(st.get("failed", [])) + len(st.get("error", []))
    terminalreporter.write_line("pytest: %d passed, %d failed" %
                                (passed, failed))
