# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The register report over a date range, per category and in total, as data,
PDF (HTML in tests) and XLSX."""

import base64

import xlrd

from odoo.tests import tagged

from .test_register_common import D, RegisterCommon

# Opening cost, additions, revaluations, disposals, closing cost; opening
# accumulated depreciation, charge, impairments, disposals, closing; net book
# value at both ends.
KEYS = [
    "cost_opening",
    "cost_additions",
    "cost_revaluations",
    "cost_disposals",
    "cost_closing",
    "dep_opening",
    "dep_charge",
    "dep_impairments",
    "dep_disposals",
    "dep_closing",
    "nbv_opening",
    "nbv_closing",
]


@tagged("post_install", "-at_install")
class TestRegisterReport(RegisterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.machines = cls.env["stock.asset.category"].create(
            {
                "name": "Machines A",
                "company_id": cls.company_a.id,
                **cls._register_category_vals(cls.chart_a),
            }
        )
        monthly = {"method_number": 12, "method_period": "1"}
        # X: 1,200 from January; 300 posted by March, +90 revalued on 1 April,
        # then 110 a month: 330 from April to June.
        cls.x = cls._register_asset(name="X", original_value=1200.0, **monthly)
        cls.x.action_post_until(D(2026, 3, 31))
        cls.x._register_value_change(
            "revaluation", D(2026, 4, 1), 90.0, cls.chart_a["reserve"]
        )
        cls.x.action_post_until(D(2026, 6, 30))
        # Y: 12,000 acquired in May, another category: 2,000 in May and June
        cls.y = cls._register_asset(
            name="Y",
            original_value=12000.0,
            acquisition_date=D(2026, 5, 1),
            category_id=cls.machines.id,
            **monthly,
        )
        cls.y.action_post_until(D(2026, 6, 30))
        # Z: 12,000 from January, scrapped on 16 May: 4,000 + 516.13
        cls.z = cls._register_asset(name="Z", original_value=12000.0, **monthly)
        cls.z._dispose(D(2026, 5, 16), "scrap")
        # not in the range or not of the company
        cls._register_asset(
            name="Later", original_value=5000.0, acquisition_date=D(2026, 7, 1)
        )
        cls._register_asset(
            name="B",
            original_value=5000.0,
            company_id=cls.company_b.id,
            category_id=cls.category_b.id,
        ).action_post_until(D(2026, 6, 30))
        cls.report = cls.env["stock.asset.register.report"].create(
            {
                "company_id": cls.company_a.id,
                "date_from": D(2026, 4, 1),
                "date_to": D(2026, 6, 30),
            }
        )

    def _row(self, values):
        return [values[key] for key in KEYS]

    def test_register_figures(self):
        data = self.report._get_register_data()
        self.assertEqual(
            [row["name"] for row in data["categories"]], ["Machines A", "Tools A"]
        )
        machines, tools = data["categories"]
        self.assertEqual(
            self._row(machines),
            [0.0, 12000.0, 0.0, 0.0, 12000.0, 0.0, 2000.0, 0.0, 0.0, 2000.0, 0.0,
             10000.0],
        )  # fmt: skip
        self.assertEqual(
            self._row(tools),
            [13200.0, 0.0, 90.0, -12000.0, 1290.0, 3300.0, 1846.13, 0.0, -4516.13,
             630.0, 9900.0, 660.0],
        )  # fmt: skip
        self.assertEqual(
            self._row(data["total"]),
            [13200.0, 12000.0, 90.0, -12000.0, 13290.0, 3300.0, 3846.13, 0.0,
             -4516.13, 2630.0, 9900.0, 10660.0],
        )  # fmt: skip
        by_code = {line["name"]: line for line in data["assets"]}
        self.assertEqual(sorted(by_code), ["X", "Y", "Z"])
        self.assertEqual(
            self._row(by_code["X"]),
            [1200.0, 0.0, 90.0, 0.0, 1290.0, 300.0, 330.0, 0.0, 0.0, 630.0, 900.0,
             660.0],
        )  # fmt: skip

    def test_impairment_and_category_filter(self):
        self.y._register_value_change(
            "impairment", D(2026, 6, 30), 1000.0, self.chart_a["loss"]
        )
        self.report.category_ids = self.machines
        data = self.report._get_register_data()
        self.assertEqual([row["name"] for row in data["categories"]], ["Machines A"])
        self.assertEqual(
            self._row(data["total"]),
            [0.0, 12000.0, 0.0, 0.0, 12000.0, 0.0, 2000.0, 1000.0, 0.0, 3000.0, 0.0,
             9000.0],
        )  # fmt: skip

    def test_pdf(self):
        html, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "stock_asset_tracking.stock_asset_register_report_action_pdf",
            self.report.ids,
        )
        self.assertEqual(report_type, "html")
        html = html.decode()
        for text in ("Machines A", "Tools A", "10,660.00", "3,846.13", "4,516.13"):
            self.assertIn(text, html)
        action = self.report.with_user(self.accountant_a).action_print_pdf()
        self.assertEqual(action["type"], "ir.actions.report")

    def test_xlsx(self):
        action = self.report.with_user(self.accountant_a).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"id={self.report.id}", action["url"])
        book = xlrd.open_workbook(file_contents=base64.b64decode(self.report.xlsx_file))
        self.assertEqual(book.sheet_names(), ["Register", "Assets"])
        sheet = book.sheet_by_name("Register")
        rows = [sheet.row_values(index) for index in range(3, sheet.nrows)]
        self.assertEqual(
            rows[-1],
            ["Total", 13200.0, 12000.0, 90.0, -12000.0, 13290.0, 3300.0, 3846.13, 0.0,
             -4516.13, 2630.0, 9900.0, 10660.0],
        )  # fmt: skip
        self.assertEqual([row[0] for row in rows], ["Machines A", "Tools A", "Total"])
        assets = book.sheet_by_name("Assets")
        self.assertEqual(
            sorted(assets.cell_value(row, 1) for row in range(3, assets.nrows)),
            ["X", "Y", "Z"],
        )
        self.assertTrue(self.report.xlsx_filename.endswith(".xlsx"))
