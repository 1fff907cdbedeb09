# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures of the fixed-asset register tests (no test here).

The register tests run on Odoo's own accounting fixture,
``AccountTestInvoicingCommon``: company A is its company (``company_data``),
company B its second company (``company_data_2``, ``setup_other_company``), both
on Odoo's generic chart of accounts with its journals. ``chart_a`` and ``chart_b``
name, per company, the journals and accounts the register uses; the accounts the
generic chart does not have (accumulated depreciation, depreciation expense,
loss on disposal, revaluation reserve) are copies of chart accounts
(``copy_account``), as Odoo's own tests do. Tests name accounts by record,
never by code.

Odoo's fixture leaves its environment on its accounting user (``accountman``);
the register fixture and tests keep superuser rights (``su``), as the register
tests always had, and test the rights of the register's users with
``with_user``."""

import io
import zipfile
from datetime import date

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import ASSET_ACCOUNTANT, AssetFixture, company_user

D = date
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_rows(lines, *extra):
    """``(ISO date, amount, cumulative, remaining, *extra)`` of board lines:
    the engine's ``BoardLine`` or the records of a depreciation or tax board,
    ``extra`` naming more of their fields (``"state"``, ``"posted"``...)."""
    return [
        (
            line.date.isoformat(),
            line.amount,
            line.cumulative_amount,
            line.remaining_value,
            *(getattr(line, fname) for fname in extra),
        )
        for line in lines
    ]


def register_accounts(case, company_data):
    """The register's journal and accounts in one company of Odoo's accounting
    fixture (``case``: its test class): the generic chart's miscellaneous
    journal and fixed asset account, and copies of chart accounts for what it
    lacks (accumulated depreciation, depreciation expense, loss on disposal)."""
    fixed_asset = company_data["default_account_assets"]
    expense = company_data["default_account_expense"]
    return {
        "journal": company_data["default_journal_misc"],
        "asset": fixed_asset,
        "accumulated": case.copy_account(
            fixed_asset, {"name": "Accumulated Depreciation"}
        ),
        "expense": case.copy_account(
            expense,
            {"name": "Depreciation Expense", "account_type": "expense_depreciation"},
        ),
        "loss": case.copy_account(expense, {"name": "Loss on Disposal"}),
    }


def register_category_vals(chart, **extra):
    """The journal and accounts of a register category, from a chart
    (``{"journal", "asset", "accumulated", "expense", "gain", "loss"}``)."""
    return {
        "journal_id": chart["journal"].id,
        "account_asset_id": chart["asset"].id,
        "account_depreciation_id": chart["accumulated"].id,
        "account_depreciation_expense_id": chart["expense"].id,
        "account_gain_id": chart["gain"].id,
        "account_loss_id": chart["loss"].id,
        **extra,
    }


class EntryLinesCase:
    """Assertions on the register's journal entries."""

    def _entry_lines(self, moves):
        """(account code, debit, credit) of the entries' lines, sorted."""
        return sorted(
            (
                line.account_id.with_company(line.company_id).code,
                line.debit,
                line.credit,
            )
            for line in moves.line_ids
        )

    def assertEntryLines(self, moves, expected):
        """The lines of ``moves`` (entries of one company) are exactly
        ``expected``: (account record, debit, credit), in any order."""
        company = moves.company_id.ensure_one()
        self.assertEqual(
            self._entry_lines(moves),
            sorted(
                (account.with_company(company).code, debit, credit)
                for account, debit, credit in expected
            ),
        )


class XlsxDownloadCase:
    """For ``HttpCase`` tests of a register report's XLSX download."""

    def assertXlsxDownload(self, action, user, filename):
        """``user`` opens the URL of ``action``: an XLSX workbook (an OOXML zip
        with its sheets) served under a name starting with ``filename``."""
        self.authenticate(user.login, user.login)
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertIn(f'filename="{filename}', response.headers["Content-Disposition"])
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            self.assertIn("xl/workbook.xml", book.namelist())
        return response


class RegisterCommon(EntryLinesCase, AssetFixture, AccountTestInvoicingCommon):
    """The two-company asset fixture (:class:`AssetFixture`) on Odoo's
    accounting fixture: ``company_a`` is ``company_data["company"]``,
    ``company_b`` is ``company_data_2["company"]``; per company the register's
    journals and accounts (``chart_a``, ``chart_b``), a register category
    (``category_a``, ``category_b``) and an asset accountant (``accountant_a``,
    ``accountant_b``)."""

    @classmethod
    def setup_independent_company(cls, **kwargs):
        # Odoo's accounting company (generic chart) is our company A
        return cls._create_company(name=cls.COMPANY_NAMES[0], **kwargs)

    @classmethod
    def _create_two_companies(cls):
        return cls.company_data["company"], cls.company_data_2["company"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company(name=cls.COMPANY_NAMES[1])
        cls.env = cls.env(su=True)
        cls._setup_asset_fixture()
        cls.chart_a = cls._register_chart(cls.company_data)
        cls.chart_b = cls._register_chart(cls.company_data_2)
        cls.category_a.write(cls._register_category_vals(cls.chart_a))
        cls.category_b.write(cls._register_category_vals(cls.chart_b))
        cls.accountant_b = company_user(
            cls.env, "asset_accountant_b", cls.company_b, ASSET_ACCOUNTANT
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Tool Vendor"})
        cls.customer = cls.env["res.partner"].create({"name": "Second-hand Buyer"})

    @classmethod
    def _register_chart(cls, company_data):
        """The journals and accounts of the register in one company of Odoo's
        fixture: the generic chart's, and copies of them where it has none."""
        company = company_data["company"]
        chart_account = cls.env["account.chart.template"].with_company(company).ref
        return {
            **register_accounts(cls, company_data),
            "purchase_journal": company_data["default_journal_purchase"],
            "sale_journal": company_data["default_journal_sale"],
            "gain": chart_account("other_income"),
            "bank": company_data["default_journal_bank"].default_account_id,
            "reserve": cls.copy_account(
                chart_account("capital"), {"name": "Revaluation Reserve"}
            ),
            "income": company_data["default_account_revenue"],
        }

    @classmethod
    def _register_category_vals(cls, chart, **extra):
        return register_category_vals(chart, **extra)

    @classmethod
    def _register_asset(cls, **vals):
        """A company-A asset in the register (yearly linear, 5 periods unless
        told), its board computed."""
        vals.setdefault("name", "Lathe")
        vals.setdefault("category_id", cls.category_a.id)
        vals.setdefault("company_id", cls.company_a.id)
        vals.setdefault("acquisition_date", D(2026, 1, 1))
        asset = cls.env["stock.asset"].create(vals)
        asset.action_compute_board()
        return asset

    def _post_wizard(self, day, company, user=None):
        """The wizard that posts the depreciation of ``company`` up to ``day``,
        opened by ``user`` (the superuser by default)."""
        Post = self.env["stock.asset.post"]
        if user:
            Post = Post.with_user(user)
        return Post.create({"date": day, "company_id": company.id})

    def _board(self, asset):
        """(date, amount, cumulative, remaining, state) of the asset's lines."""
        return board_rows(asset.depreciation_line_ids.sorted("date"), "state")
