# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The XLSX register as an accountant downloads it: over HTTP, named and typed as
a spreadsheet, with nothing in the server log (make test fails on a WARNING)."""

import io
import zipfile

from odoo.tests import HttpCase, tagged

from .test_register_common import D, RegisterCommon


@tagged("post_install", "-at_install")
class TestRegisterDownload(RegisterCommon, HttpCase):
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
        self.authenticate(self.accountant_a.login, self.accountant_a.login)
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn(
            'filename="Fixed-asset register', response.headers["Content-Disposition"]
        )
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        # a workbook: an OOXML zip with its sheet

        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            self.assertIn("xl/workbook.xml", book.namelist())
