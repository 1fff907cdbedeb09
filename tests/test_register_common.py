# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures of the fixed-asset register tests: per company a small chart of
accounts, a register journal, purchase and sale journals and a register
category (no test here)."""

from datetime import date

from odoo import Command

from .common import AssetCommon

D = date


class RegisterCommon(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chart_a = cls._setup_accounting(cls.company_a, "A")
        cls.chart_b = cls._setup_accounting(cls.company_b, "B")
        cls.category_a.write(cls._register_category_vals(cls.chart_a))
        cls.category_b.write(cls._register_category_vals(cls.chart_b))
        cls.vendor = cls.env["res.partner"].create({"name": "Tool Vendor"})
        cls.customer = cls.env["res.partner"].create({"name": "Second-hand Buyer"})

    @classmethod
    def _setup_accounting(cls, company, suffix):
        def account(code, name, account_type, **extra):
            return cls.env["account.account"].create(
                {
                    "code": f"{code}{suffix}",
                    "name": f"{name} {suffix}",
                    "account_type": account_type,
                    "company_ids": [Command.set(company.ids)],
                    **extra,
                }
            )

        chart = {
            "asset": account("2154", "Tools", "asset_fixed"),
            "accumulated": account("2815", "Accumulated depreciation", "asset_fixed"),
            "expense": account("6811", "Depreciation expense", "expense_depreciation"),
            "gain": account("7752", "Gain on disposal", "income_other"),
            "loss": account("6752", "Loss on disposal", "expense"),
            "bank": account("5121", "Bank", "asset_current"),
            "reserve": account("1052", "Revaluation reserve", "equity"),
            "payable": account("4011", "Vendors", "liability_payable", reconcile=True),
            "receivable": account(
                "4111", "Customers", "asset_receivable", reconcile=True
            ),
            "income": account("7070", "Sales", "income"),
            "expense_other": account("6060", "Purchases", "expense"),
        }
        journal = cls.env["account.journal"].create
        chart["journal"] = journal(
            {
                "name": f"Assets {suffix}",
                "code": f"AST{suffix}",
                "type": "general",
                "company_id": company.id,
            }
        )
        chart["purchase_journal"] = journal(
            {
                "name": f"Bills {suffix}",
                "code": f"BIL{suffix}",
                "type": "purchase",
                "company_id": company.id,
                "default_account_id": chart["expense_other"].id,
            }
        )
        chart["sale_journal"] = journal(
            {
                "name": f"Invoices {suffix}",
                "code": f"INV{suffix}",
                "type": "sale",
                "company_id": company.id,
                "default_account_id": chart["income"].id,
            }
        )
        return chart

    @classmethod
    def _register_category_vals(cls, chart, **extra):
        return {
            "journal_id": chart["journal"].id,
            "account_asset_id": chart["asset"].id,
            "account_depreciation_id": chart["accumulated"].id,
            "account_depreciation_expense_id": chart["expense"].id,
            "account_gain_id": chart["gain"].id,
            "account_loss_id": chart["loss"].id,
            **extra,
        }

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

    def _board(self, asset):
        """(date, amount, cumulative, remaining, state) of the asset's lines."""
        return [
            (
                line.date.isoformat(),
                line.amount,
                line.cumulative_amount,
                line.remaining_value,
                line.state,
            )
            for line in asset.depreciation_line_ids.sorted("date")
        ]

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
