# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The XLSX register as an accountant downloads it: over HTTP, named and typed as
a spreadsheet, with nothing in the server log (make test fails on a WARNING)."""

from odoo.tests import HttpCase, tagged

from .test_register_common import D, RegisterCommon, XlsxDownloadCase


@tagged("post_install", "-at_install")
class TestRegisterDownload(XlsxDownloadCase, RegisterCommon, HttpCase):
    def test_xlsx_download(self):
        self._register_asset(original_value=1200.0, method_number=12, method_period="1")
        report = (
            self.env["stock.asset.register.report"]
            .with_user(self.accountant_a)
            .create(
                {
                    "company_id": self.company_a.id,
                    "date_from": D(2026, 1, 1),
                    "date_to": D(2026, 12, 31),
                }
            )
        )
        action = report.action_export_xlsx()
        response = self.assertXlsxDownload(
            action, self.accountant_a, "Fixed-asset register"
        )
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
