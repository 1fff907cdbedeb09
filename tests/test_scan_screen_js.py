# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The "Scan Assets" screen's JS unit tests (Hoot, ``static/tests/*.test.js``), run
in headless Chromium the way Odoo 18 runs its own (``web/tests/test_js.py``), on
this addon's suites only.

Hoot reports a filter that matches nothing as a success, so the test also checks
that every ``test(...)`` of those files ran and passed.
"""

import logging
import re
from pathlib import Path
from urllib.parse import quote

from odoo.tests import HttpCase, tagged

from odoo.addons.web.tests.test_js import unit_test_error_checker

# the suites Hoot names after this addon's test files: "@stock_asset_tracking/..."
HOOT_FILTER = r"/^@stock_asset_tracking\//"
TESTS_DIR = Path(__file__).resolve().parent.parent / "static" / "tests"


class _HootSummary(logging.Handler):
    """Keeps the browser's "passed N tests" line of the Hoot runner."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.passed = []

    def emit(self, record):
        match = re.search(r"\bpassed (\d+) tests\b", record.getMessage())
        if match:
            self.passed.append(int(match.group(1)))


@tagged("post_install", "-at_install")
class TestScanScreenJs(HttpCase):
    # Hoot's "desktop" preset wants a 1366x768 viewport (else it logs a warning):
    # the test browser's window keeps 143 px of its height for its toolbars
    browser_size = "1366x911"

    def test_hoot_unit_tests(self):
        expected = sum(
            len(re.findall(r"^test\(", path.read_text(), re.MULTILINE))
            for path in TESTS_DIR.glob("*.test.js")
        )
        self.assertGreater(expected, 0, "no Hoot test found in static/tests")
        summary = _HootSummary()
        # the browser logs under this module's test loggers
        logger = logging.getLogger(__name__)
        logger.addHandler(summary)
        self.addCleanup(logger.removeHandler, summary)
        self.browser_js(
            "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000"
            f"&filter={quote(HOOT_FILTER, safe='')}",
            "",
            "",
            login="admin",
            timeout=900,
            success_signal="[HOOT] test suite succeeded",
            error_checker=unit_test_error_checker,
        )
        self.assertEqual(summary.passed, [expected])
