# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The addon's PDF documents as a reader gets them from a ``wkhtmltopdf`` built
without patched Qt (no header, no footer): the body says whose document it is,
when it was printed and which document of the print it is; a certificate shows
only the conditions that were recorded, and each value with its resolution."""

import re
from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command

from .test_calibration_common import CalibrationCommon


class TestReportBody(CalibrationCommon):
    def _text(self, report, records, css_class=None):
        """The report's text, or the texts of its elements of ``css_class``."""
        content, _kind = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids
        )
        root = html.fromstring(content)
        if css_class:
            return [
                self._words(node)
                for node in root.xpath(f"//*[contains(@class, '{css_class}')]")
            ]
        return self._words(root.xpath("//body")[0])

    @staticmethod
    def _words(node):
        return re.sub(r"\s+", " ", node.text_content()).strip()

    def _certificate(self, **vals):
        with freeze_time("2026-02-02 10:00:00"):
            return self._record(
                self.wrench,
                date(2026, 2, 2),
                [(20, 0.8, "20.12"), (50, 2, "50")],
                **vals,
            )

    def test_certificate_without_conditions_prints_none(self):
        record = self._certificate()
        text = self._text("stock_asset_tracking.report_calibration", record)
        self.assertNotIn("Environment", text)
        self.assertNotIn("°C", text)
        self.assertNotIn("RH", text)

    def test_certificate_prints_only_what_was_recorded(self):
        record = self._certificate(temperature=21.5)
        text = self._text("stock_asset_tracking.report_calibration", record)
        self.assertIn("Environment 21.5 °C ", text)
        self.assertNotIn("RH", text)
        record.write({"temperature": 0, "humidity": 45, "environment_note": "Lab 2"})
        text = self._text("stock_asset_tracking.report_calibration", record)
        self.assertIn("Environment 45 % RH — Lab 2 ", text)
        self.assertNotIn("°C", text)

    def test_certificate_points_with_their_resolution(self):
        record = self._certificate()
        self.assertEqual(record.point_ids.mapped("resolution"), [2, 0])
        text = self._text("stock_asset_tracking.report_calibration", record)
        # nominal, tolerance, as-found, error: as precise as the values written
        self.assertIn("Torque (N·m) 20.00 0.80 20.12 +0.12 ", text)
        self.assertIn("Torque (N·m) 50 2 50 +0 ", text)
        self.assertNotIn("0.000000", text)
        self.assertNotIn("20.120000", text)

    def test_documents_say_whose_when_and_which(self):
        first = self._certificate()
        second = self._certificate()
        text = self._text("stock_asset_tracking.report_calibration", first | second)
        company = self.company_a.name
        heads = self._text(
            "stock_asset_tracking.report_calibration",
            first | second,
            css_class="o_stock_asset_report_head",
        )
        self.assertEqual(len(heads), 2)
        pairs = zip(heads, first | second, strict=True)
        for number, (head, record) in enumerate(pairs, start=1):
            self.assertRegex(
                head,
                rf"^{re.escape(company)} .*Calibration certificate "
                rf"{re.escape(record.name)} Printed on \S.* Document {number} of 2$",
            )
        for number, record in enumerate(first | second, start=1):
            self.assertIn(
                f"End of Calibration certificate {record.name} · Document {number} "
                f"of 2 · {company}",
                text,
            )

        audit = self.env["stock.asset.audit"].create(
            {
                "company_id": self.company_a.id,
                "location_ids": [Command.set(self.stock_a.ids)],
            }
        )
        text = self._text("stock_asset_tracking.report_stock_asset_audit", audit)
        self.assertIn(f"{company} ", text)
        self.assertIn("Printed on ", text)
        self.assertIn(f"End of Audit {audit.name} · Document 1 of 1 · {company}", text)

        with freeze_time("2026-03-02 11:00:00"):
            failing = self._record(self.wrench, date(2026, 3, 2), [(20, 0.8, "21.1")])
            failing.action_confirm()
        impact = failing.impact_ids
        self.assertEqual(len(impact), 1)
        text = self._text("stock_asset_tracking.report_impact", impact)
        self.assertIn("Printed on ", text)
        self.assertIn(
            f"End of Impact assessment {impact.name} · Document 1 of 1 · {company}",
            text,
        )
