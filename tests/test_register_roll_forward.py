# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The roll-forward an auditor asks for: per company and category, opening,
each movement and closing of cost and accumulated depreciation, transfers
included, reconciled with the general ledger; as data, PDF (HTML in tests) and
XLSX. And the register PDF's lines per asset under each category (issue 17)."""

import base64
import re

import xlrd
from lxml import html as lxml_html

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ASSET_USER, company_user
from .test_register_common import XlsxDownloadCase
from .test_register_transfer import D, TransferCommon

KEYS = [
    "cost_opening",
    "cost_additions",
    "cost_revaluations",
    "cost_disposals",
    "cost_transfers_in",
    "cost_transfers_out",
    "cost_closing",
    "dep_opening",
    "dep_charge",
    "dep_impairments",
    "dep_disposals",
    "dep_transfers_in",
    "dep_transfers_out",
    "dep_closing",
    "nbv_opening",
    "nbv_closing",
]
# (category, figures in the order of KEYS) over January to June 2026
MACHINES_A = [6000.0, 0.0, 0.0, -6000.0, 2400.0, 0.0, 2400.0,
              3000.0, 1167.86, 0.0, -3767.86, 800.0, 0.0, 1200.0,
              3000.0, 1200.0]  # fmt: skip
TOOLS_A = [0.0, 15600.0, 0.0, 0.0, 0.0, -3600.0, 12000.0,
           0.0, 7100.0, 0.0, 0.0, 0.0, -1100.0, 6000.0,
           0.0, 6000.0]  # fmt: skip
TOOLS_B = [0.0, 0.0, 0.0, 0.0, 1200.0, 0.0, 1200.0,
           0.0, 300.0, 0.0, 0.0, 300.0, 0.0, 600.0,
           0.0, 600.0]  # fmt: skip


class RollForwardCommon(TransferCommon):
    """Company A, January to June 2026 (monthly boards over 12 months):
    - X, Tools A, 12,000 from January: 6 x 1,000 posted;
    - Y, Tools A, 1,200 from January: 3 x 100 posted in A, transferred to
      company B (Tools B) on 31 March at book value 900, 3 x 100 posted in B;
    - V, Tools A, 2,400 from January: 4 x 200 posted, moved to Machines A on
      30 April, 2 x 200 posted there;
    - Z, Machines A, 6,000 from July 2025 (3,000 posted in 2025), scrapped on
      15 February: 500 in January, 500 x 15/28 = 267.86 in February;
    - Later, acquired in July: not in the period.
    The acquisitions are booked (Dr fixed asset / Cr bank), and 50.00 more on
    the Tools A fixed asset account by an entry outside the register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.x = cls._asset("X", 12000.0)
        cls.y = cls._asset("Y", 1200.0)
        cls.v = cls._asset("V", 2400.0)
        cls.z = cls._asset("Z", 6000.0, category=cls.machines_a, day=D(2025, 7, 1))
        cls._asset("Later", 5000.0, day=D(2026, 7, 1))
        cls.z.action_post_until(D(2025, 12, 31))
        cls.z._dispose(D(2026, 2, 15), "scrap")
        (cls.x | cls.y | cls.v).action_post_until(D(2026, 3, 31))
        cls.y._transfer(D(2026, 3, 31), cls.tools_b, **cls._to_company_b())
        cls.v.action_post_until(D(2026, 4, 30))
        cls.v._transfer(D(2026, 4, 30), cls.machines_a)
        (cls.x | cls.y | cls.v).action_post_until(D(2026, 6, 30))
        bank = cls.chart_a["bank"]
        cls._book(D(2025, 7, 1), cls.machines_a.account_asset_id, bank, 6000.0)
        cls._book(D(2026, 1, 1), cls.tools_a.account_asset_id, bank, 15600.0)
        cls._book(D(2026, 5, 31), cls.tools_a.account_asset_id, bank, 50.0)
        cls.report = cls.env["stock.asset.roll.forward.report"].create(
            {
                "company_id": cls.company_a.id,
                "company_ids": [Command.set((cls.company_a | cls.company_b).ids)],
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
            }
        )

    @classmethod
    def _book(cls, day, debit_account, credit_account, amount):
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.chart_a["journal"].id,
                "date": day,
                "line_ids": [
                    Command.create({"account_id": debit_account.id, "debit": amount}),
                    Command.create({"account_id": credit_account.id, "credit": amount}),
                ],
            }
        )
        move.action_post()
        return move

    def _company(self, data, company):
        (found,) = [row for row in data["companies"] if row["name"] == company.name]
        return found

    def _figures(self, row):
        return [row[key] for key in KEYS]


@tagged("post_install", "-at_install")
class TestRegisterRollForward(RollForwardCommon):
    def test_roll_forward_figures(self):
        data = self.report.with_user(self.accountant)._get_roll_forward_data()
        self.assertEqual(
            sorted(row["name"] for row in data["companies"]),
            sorted([self.company_a.name, self.company_b.name]),
        )
        company_a = self._company(data, self.company_a)
        self.assertEqual(
            [row["name"] for row in company_a["categories"]],
            ["Machines A", "Tools A"],
        )
        machines, tools = company_a["categories"]
        self.assertEqual(self._figures(machines), MACHINES_A)
        self.assertEqual(self._figures(tools), TOOLS_A)
        self.assertEqual(
            self._figures(company_a["total"]),
            [round(a + b, 2) for a, b in zip(MACHINES_A, TOOLS_A, strict=True)],
        )
        company_b = self._company(data, self.company_b)
        self.assertEqual([row["name"] for row in company_b["categories"]], ["Tools B"])
        self.assertEqual(self._figures(company_b["categories"][0]), TOOLS_B)

    def test_roll_forward_reconciliation(self):
        data = self.report._get_roll_forward_data()

        def label(account, company):
            return account.with_company(company).display_name

        company_a = self._company(data, self.company_a)
        self.assertEqual(
            sorted(
                (row["account"], row["categories"], row["register"], row["ledger"],
                 row["difference"])
                for row in company_a["reconciliation"]
            ),
            sorted([
                (label(self.tools_a.account_asset_id, self.company_a), "Tools A",
                 12000.0, 12050.0, 50.0),
                (label(self.tools_a.account_depreciation_id, self.company_a),
                 "Tools A", -6000.0, -6000.0, 0.0),
                (label(self.machines_a.account_asset_id, self.company_a),
                 "Machines A", 2400.0, 2400.0, 0.0),
                (label(self.machines_a.account_depreciation_id, self.company_a),
                 "Machines A", -1200.0, -1200.0, 0.0),
            ]),
        )  # fmt: skip
        self.assertEqual(company_a["differences"], 1)
        company_b = self._company(data, self.company_b)
        self.assertEqual(
            sorted(
                (row["account"], row["register"], row["ledger"], row["difference"])
                for row in company_b["reconciliation"]
            ),
            sorted([
                (label(self.chart_b["asset"], self.company_b), 1200.0, 1200.0, 0.0),
                (label(self.chart_b["accumulated"], self.company_b), -600.0, -600.0,
                 0.0),
            ]),
        )  # fmt: skip
        self.assertEqual(company_b["differences"], 0)

    def test_roll_forward_period_and_filter(self):
        """The closing of one period is the opening of the next; a category
        filter keeps its rows only."""
        self.report.write(
            {
                "date_from": D(2026, 7, 1),
                "date_to": D(2026, 7, 31),
                "category_ids": [Command.set(self.tools_a.ids)],
            }
        )
        data = self.report._get_roll_forward_data()
        self.assertEqual(
            [row["name"] for row in data["companies"]], [self.company_a.name]
        )
        (tools,) = data["companies"][0]["categories"]
        self.assertEqual(tools["name"], "Tools A")
        self.assertEqual(
            self._figures(tools),
            [12000.0, 5000.0, 0.0, 0.0, 0.0, 0.0, 17000.0,
             6000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 6000.0,
             6000.0, 11000.0],
        )  # fmt: skip

    def test_roll_forward_queries_do_not_grow(self):
        """The figures come from set-based queries: more assets with posted
        depreciation in the same categories cost no more queries."""

        def count_queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.report._get_roll_forward_data()
            return self.env.cr.sql_log_count - before

        count_queries()  # warm Odoo's caches (record rules, ...)
        queries = count_queries()
        more = self.env["stock.asset"].concat(
            *(self._asset(f"More {n}", 1200.0) for n in range(5))
        )
        more.action_post_until(D(2026, 6, 30))
        self.assertEqual(count_queries(), queries)
        tools = self._company(self.report._get_roll_forward_data(), self.company_a)
        self.assertEqual(tools["categories"][1]["cost_additions"], 15600.0 + 6000.0)

    def test_roll_forward_pdf(self):
        html, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "stock_asset_tracking.stock_asset_roll_forward_report_action_pdf",
            self.report.ids,
        )
        self.assertEqual(report_type, "html")
        text = " ".join(lxml_html.fromstring(html).text_content().split())
        for expected in (
            "Fixed-asset roll-forward",
            self.company_a.name,
            self.company_b.name,
            "company 1 of 2",
            "company 2 of 2",
            "Transfers In",
            "Released on Disposal",
            "15,600.00",
            "3,767.86",
            "1,167.86",
            "Reconciliation with the general ledger",
            "12,050.00",
            "1 account balance(s) differ from the register",
            "The register agrees with the general ledger.",
            "Printed",
        ):
            self.assertIn(expected, text)
        action = self.report.with_user(self.accountant).action_print_pdf()
        self.assertEqual(action["type"], "ir.actions.report")

    def test_roll_forward_xlsx(self):
        report = self.report.with_user(self.accountant)
        action = report.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"id={report.id}", action["url"])
        book = xlrd.open_workbook(file_contents=base64.b64decode(report.xlsx_file))
        self.assertEqual(book.sheet_names(), ["Roll-Forward", "Reconciliation"])
        sheet = book.sheet_by_name("Roll-Forward")
        rows = {
            (sheet.cell_value(row, 0), sheet.cell_value(row, 1)): sheet.row_values(row)[
                2:
            ]
            for row in range(3, sheet.nrows)
            if sheet.cell_value(row, 1)
        }
        self.assertEqual(rows[self.company_a.name, "Machines A"], MACHINES_A)
        self.assertEqual(rows[self.company_a.name, "Tools A"], TOOLS_A)
        self.assertEqual(rows[self.company_b.name, "Tools B"], TOOLS_B)
        self.assertEqual(rows[self.company_b.name, "Total"], TOOLS_B)
        sheet = book.sheet_by_name("Reconciliation")
        differences = [
            (sheet.cell_value(row, 1), sheet.cell_value(row, 6))
            for row in range(3, sheet.nrows)
            if sheet.cell_value(row, 6)
        ]
        self.assertEqual(
            differences,
            [
                (
                    self.tools_a.account_asset_id.with_company(
                        self.company_a
                    ).display_name,
                    50.0,
                )
            ],
        )

    def test_roll_forward_access(self):
        """Asset accountants only, over the companies they belong to."""
        user = company_user(
            self.env, "roll_forward_asset_user", self.company_a, ASSET_USER
        )
        with self.assertRaises(AccessError):
            self.env["stock.asset.roll.forward.report"].with_user(user).create(
                {"date_from": D(2026, 1, 1), "date_to": D(2026, 6, 30)}
            )
        with self.assertRaisesRegex(AccessError, "companies you belong to"):
            self.report.with_user(self.accountant_a)._get_roll_forward_data()
        own = self.env["stock.asset.roll.forward.report"].with_user(self.accountant_a)
        mine = own.create({"date_from": D(2026, 1, 1), "date_to": D(2026, 6, 30)})
        self.assertEqual(mine.company_ids, self.company_a)
        data = mine._get_roll_forward_data()
        self.assertEqual(
            [row["name"] for row in data["companies"]], [self.company_a.name]
        )
        # a report of company B is out of reach of A's accountant
        report_b = self.env["stock.asset.roll.forward.report"].create(
            {
                "company_id": self.company_b.id,
                "company_ids": [Command.set(self.company_b.ids)],
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
            }
        )
        self.assertFalse(own.search([("id", "=", report_b.id)]))

    def test_register_pdf_asset_lines(self):
        """The register PDF lists, under each category, its assets with tag,
        description, acquisition date, cost, accumulated depreciation and book
        value (issue 17)."""
        report = self.env["stock.asset.register.report"].create(
            {
                "company_id": self.company_a.id,
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
            }
        )
        html, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "stock_asset_tracking.stock_asset_register_report_action_pdf", report.ids
        )
        tree = lxml_html.fromstring(html)

        def cells(row):
            return [
                re.sub(r"[^\w.,/ -]", "", cell.text_content()).strip()
                for cell in row.xpath("./td")
            ]

        rows = [
            cells(row)
            for row in tree.xpath(
                "//table[contains(@class, 'o_stock_asset_register_assets')]/tbody/tr"
            )
        ]
        self.assertEqual(
            rows,
            [
                ["Machines A", "2,400.00", "1,200.00", "1,200.00"],
                [self.v.code, "V", "01/01/2026", "2,400.00", "1,200.00", "1,200.00"],
                [self.z.code, "Z", "07/01/2025", "0.00", "0.00", "0.00"],
                ["Tools A", "12,000.00", "6,000.00", "6,000.00"],
                [self.x.code, "X", "01/01/2026", "12,000.00", "6,000.00",
                 "6,000.00"],
            ],
        )  # fmt: skip
        text = " ".join(tree.text_content().split())
        self.assertIn(self.company_a.name, text)
        self.assertIn("Printed", text)


@tagged("post_install", "-at_install")
class TestRegisterRollForwardDownload(XlsxDownloadCase, RollForwardCommon, HttpCase):
    def test_roll_forward_xlsx_download(self):
        action = self.report.with_user(self.accountant).action_export_xlsx()
        self.assertXlsxDownload(
            action,
            self.accountant,
            'Fixed-asset roll-forward 2026-01-01 2026-06-30.xlsx"',
        )
