# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import io
from collections import defaultdict

import xlsxwriter

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

# Columns of the roll-forward, in order: (key, section, label). The movements
# are signed: opening + movements = closing.
ROLL_FORWARD_COLUMNS = [
    ("cost_opening", "cost", "Opening"),
    ("cost_additions", "cost", "Additions"),
    ("cost_revaluations", "cost", "Revaluations"),
    ("cost_disposals", "cost", "Disposals"),
    ("cost_transfers_in", "cost", "Transfers In"),
    ("cost_transfers_out", "cost", "Transfers Out"),
    ("cost_closing", "cost", "Closing"),
    ("dep_opening", "depreciation", "Opening"),
    ("dep_charge", "depreciation", "Charge"),
    ("dep_impairments", "depreciation", "Impairments"),
    ("dep_disposals", "depreciation", "Released on Disposal"),
    ("dep_transfers_in", "depreciation", "Transfers In"),
    ("dep_transfers_out", "depreciation", "Transfers Out"),
    ("dep_closing", "depreciation", "Closing"),
    ("nbv_opening", "nbv", "Opening"),
    ("nbv_closing", "nbv", "Closing"),
]
ROLL_FORWARD_KEYS = [key for key, _section, _label in ROLL_FORWARD_COLUMNS]
# The movements read from the events, per section: (key, event kind)
COST_MOVEMENTS = [
    ("cost_additions", "addition"),
    ("cost_revaluations", "revaluation"),
    ("cost_disposals", "disposal"),
    ("cost_transfers_in", "transfer_in"),
    ("cost_transfers_out", "transfer_out"),
]
DEP_MOVEMENTS = [
    ("dep_charge", "charge"),
    ("dep_impairments", "impairment"),
    ("dep_disposals", "disposal"),
    ("dep_transfers_in", "transfer_in"),
    ("dep_transfers_out", "transfer_out"),
]
RECONCILIATION_KEYS = ("register", "ledger", "difference")


class StockAssetRollForwardReport(models.TransientModel):
    """The roll-forward of the fixed-asset register over a period, per company
    and category: cost and accumulated depreciation from opening to closing
    through each movement (additions, revaluations, disposals, transfers in and
    out; charge, impairments, released on disposal, transfers), the net book
    value, and the reconciliation of the closing amounts with the general
    ledger balances of the categories' accounts at the end of the period.

    Each movement is counted in the company and category the asset was in when
    it happened: posted depreciation where it was posted (and the depreciation
    already booked by a former register, ``opening`` lines, by their dates), a
    transfer out of the giving company or category and into the receiving one.
    Everything is read in two set-based queries, whatever the number of
    assets."""

    _name = "stock.asset.roll.forward.report"
    _inherit = "stock.asset.report.period"
    _description = "Fixed-Asset Roll-Forward Report"
    _check_company_auto = True
    _pdf_report = "stock_asset_tracking.stock_asset_roll_forward_report_action_pdf"
    _report_columns = ROLL_FORWARD_COLUMNS

    company_ids = fields.Many2many(
        "res.company",
        "stock_asset_roll_forward_report_company_rel",
        "report_id",
        "company_id",
        string="Companies",
        required=True,
        default=lambda self: self.env.companies,
        domain="[('id', 'in', allowed_company_ids)]",
    )
    category_ids = fields.Many2many(
        "stock.asset.category",
        "stock_asset_roll_forward_report_category_rel",
        "report_id",
        "category_id",
        string="Categories",
        help="Leave empty for every category.",
    )

    def _xlsx_filename(self):
        return self.env._(
            "Fixed-asset roll-forward %(date_from)s %(date_to)s.xlsx",
            date_from=self.date_from,
            date_to=self.date_to,
        )

    # Data ---------------------------------------------------------------------
    def _get_roll_forward_data(self):
        """``{"companies": [{"name", "currency", "categories": [{"name",
        <ROLL_FORWARD_KEYS>}], "total": {...}, "reconciliation": [{"account",
        "kind", "categories", "register", "ledger", "difference"}],
        "differences": count}]}``, companies and categories by name."""
        self.ensure_one()
        self.env["stock.asset"].check_access("read")
        # the companies as chosen (a user's read of res.company is filtered)
        companies = self.sudo().company_ids.sorted("name").sudo(False)
        if not self.env.su and not companies <= self.env.user.company_ids:
            raise AccessError(
                self.env._("The roll-forward covers only the companies you belong to.")
            )
        self.env.flush_all()
        rows = self._read_roll_forward_rows(companies)
        category_ids = {row[1] for row in rows if row[1]}
        categories = (
            self.env["stock.asset.category"]
            .sudo()
            .with_context(active_test=False)
            .browse(category_ids)
        )
        ledger = self._read_ledger_balances(companies, categories)
        per_company = defaultdict(list)
        for company_id, category_id, *amounts in rows:
            per_company[company_id].append((category_id, amounts))
        return {
            "companies": [
                self._get_company_roll_forward(
                    company, per_company[company.id], categories, ledger
                )
                for company in companies
                if per_company[company.id]
            ]
        }

    def _get_company_roll_forward(self, company, rows, categories, ledger):
        """The roll-forward of one company from its ``rows`` ``(category id,
        amounts)`` (see ``_read_roll_forward_rows``) and the ``ledger``
        balances ``{(company id, account id): balance}``."""
        round_ = company.currency_id.round
        no_category = self.env._("Without category")
        lines = []
        total = dict.fromkeys(ROLL_FORWARD_KEYS, 0.0)
        for category_id, amounts in rows:
            values = _roll_forward_values(amounts)
            values = {key: round_(value) for key, value in values.items()}
            category = categories.browse(category_id) if category_id else None
            lines.append(
                {
                    "name": category.name if category else no_category,
                    "category": category,
                    **values,
                }
            )
            for key in ROLL_FORWARD_KEYS:
                total[key] += values[key]
        lines.sort(key=lambda line: line["name"])
        return {
            "name": company.name,
            "currency": company.currency_id,
            "categories": lines,
            "total": {key: round_(value) for key, value in total.items()},
            **self._get_reconciliation(company, lines, ledger),
        }

    def _get_reconciliation(self, company, lines, ledger):
        """``{"reconciliation": rows, "differences": count}``: per account of the
        categories (fixed asset, accumulated depreciation), the balance the
        register expects at the end of the period (cost debit, accumulated
        depreciation credit), the general ledger's and the difference."""
        round_ = company.currency_id.round
        expected = {}
        for line in lines:
            category = line["category"]
            for fname, kind, amount in (
                ("account_asset_id", "cost", line["cost_closing"]),
                ("account_depreciation_id", "depreciation", -line["dep_closing"]),
            ):
                account = category[fname] if category else None
                key = (account.id if account else None, kind)
                entry = expected.setdefault(
                    key,
                    {"account": account, "kind": kind, "names": [], "register": 0.0},
                )
                entry["names"].append(line["name"])
                entry["register"] += amount
        kinds = {
            "cost": self.env._("Cost"),
            "depreciation": self.env._("Accumulated Depreciation"),
        }
        rows = []
        for entry in expected.values():
            account = entry["account"]
            register = round_(entry["register"])
            balance = (
                round_(ledger.get((company.id, account.id), 0.0)) if account else 0.0
            )
            account_label = (
                account.with_company(company).display_name
                if account
                else self.env._("No account on the category")
            )
            rows.append(
                {
                    "account": account_label,
                    "kind": kinds[entry["kind"]],
                    "categories": ", ".join(sorted(entry["names"])),
                    "register": register,
                    "ledger": balance,
                    "difference": round_(balance - register),
                }
            )
        rows.sort(key=lambda row: (row["account"], row["kind"]))
        differences = sum(
            1 for row in rows if not company.currency_id.is_zero(row["difference"])
        )
        return {"reconciliation": rows, "differences": differences}

    def _read_roll_forward_rows(self, companies):
        """``(company id, category id, opening cost, <cost movements>, opening
        depreciation, <depreciation movements>)`` per company and category, in
        one query over the register's events (acquisitions, revaluations and
        impairments, posted depreciation, transfers, disposals), each counted
        in the company and category of the asset when it happened.

        Long because it is a single SQL statement (the reason it scales to
        thousands of assets); its parts are named CTEs, read top to bottom."""
        cost_columns = [
            SQL(
                "COALESCE(SUM(cost) FILTER (WHERE date >= %s AND kind = %s), 0)",
                self.date_from,
                kind,
            )
            for _key, kind in COST_MOVEMENTS
        ]
        dep_columns = [
            SQL(
                "COALESCE(SUM(dep) FILTER (WHERE date >= %s AND kind = %s), 0)",
                self.date_from,
                kind,
            )
            for _key, kind in DEP_MOVEMENTS
        ]
        category_filter = (
            SQL("AND category_id = ANY(%s)", self.category_ids.ids)
            if self.category_ids
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                WITH transferred AS (
                    SELECT DISTINCT asset_id FROM stock_asset_register_change
                     WHERE kind = 'transfer'
                       AND (transfer_company_from_id = ANY(%(companies)s)
                            OR transfer_company_to_id = ANY(%(companies)s))
                ),
                assets AS (
                    SELECT a.id, a.company_id, a.category_id, a.acquisition_date,
                           a.original_value, a.disposal_date
                      FROM stock_asset a
                     WHERE a.ownership = 'company'
                       AND a.original_value > 0
                       AND a.acquisition_date <= %(date_to)s
                       AND (a.company_id = ANY(%(companies)s)
                            OR a.id IN (SELECT asset_id FROM transferred))
                ),
                transfers AS (
                    SELECT c.id, c.asset_id, c.date,
                           c.transfer_company_from_id, c.transfer_category_from_id,
                           c.transfer_company_to_id, c.transfer_category_to_id,
                           c.transfer_cost, c.transfer_depreciation
                      FROM stock_asset_register_change c
                      JOIN assets a ON a.id = c.asset_id
                     WHERE c.kind = 'transfer'
                ),
                first_place AS (
                    SELECT DISTINCT ON (asset_id) asset_id,
                           transfer_company_from_id AS company_id,
                           transfer_category_from_id AS category_id
                      FROM transfers
                  ORDER BY asset_id, date, id
                ),
                totals AS (
                    SELECT a.id AS asset_id,
                           (SELECT COALESCE(SUM(l.amount), 0)
                              FROM stock_asset_depreciation_line l
                             WHERE l.asset_id = a.id
                               AND l.state IN ('posted', 'opening')) AS dep,
                           (SELECT COALESCE(SUM(c.amount), 0)
                              FROM stock_asset_register_change c
                             WHERE c.asset_id = a.id AND c.kind = 'revaluation')
                               AS reval,
                           (SELECT COALESCE(SUM(c.amount), 0)
                              FROM stock_asset_register_change c
                             WHERE c.asset_id = a.id AND c.kind = 'impairment')
                               AS impairment
                      FROM assets a
                     WHERE a.disposal_date IS NOT NULL
                ),
                events AS (
                    SELECT CASE WHEN f.asset_id IS NULL THEN a.company_id
                                ELSE f.company_id END AS company_id,
                           CASE WHEN f.asset_id IS NULL THEN a.category_id
                                ELSE f.category_id END AS category_id,
                           a.acquisition_date AS date, 'addition' AS kind,
                           a.original_value AS cost, 0.0 AS dep
                      FROM assets a
                 LEFT JOIN first_place f ON f.asset_id = a.id
                 UNION ALL
                    SELECT CASE WHEN t.id IS NOT NULL THEN t.transfer_company_to_id
                                WHEN f.asset_id IS NOT NULL THEN f.company_id
                                ELSE a.company_id END,
                           CASE WHEN t.id IS NOT NULL THEN t.transfer_category_to_id
                                WHEN f.asset_id IS NOT NULL THEN f.category_id
                                ELSE a.category_id END,
                           c.date, c.kind,
                           CASE WHEN c.kind = 'revaluation' THEN c.amount ELSE 0 END,
                           CASE WHEN c.kind = 'impairment' THEN -c.amount ELSE 0 END
                      FROM stock_asset_register_change c
                      JOIN assets a ON a.id = c.asset_id
                 LEFT JOIN first_place f ON f.asset_id = a.id
                 LEFT JOIN LATERAL (
                        SELECT t.* FROM transfers t
                         WHERE t.asset_id = c.asset_id
                           AND (t.date, t.id) < (c.date, c.id)
                      ORDER BY t.date DESC, t.id DESC
                         LIMIT 1
                    ) t ON TRUE
                     WHERE c.kind IN ('revaluation', 'impairment')
                 UNION ALL
                    SELECT l.company_id, l.category_id, l.date, 'charge', 0, l.amount
                      FROM stock_asset_depreciation_line l
                      JOIN assets a ON a.id = l.asset_id
                     WHERE l.state IN ('posted', 'opening')
                 UNION ALL
                    SELECT transfer_company_from_id, transfer_category_from_id, date,
                           'transfer_out', -transfer_cost, -transfer_depreciation
                      FROM transfers
                 UNION ALL
                    SELECT transfer_company_to_id, transfer_category_to_id, date,
                           'transfer_in', transfer_cost, transfer_depreciation
                      FROM transfers
                 UNION ALL
                    SELECT a.company_id, a.category_id, a.disposal_date, 'disposal',
                           -(a.original_value + t.reval), -(t.dep - t.impairment)
                      FROM assets a
                      JOIN totals t ON t.asset_id = a.id
                )
                SELECT company_id, category_id,
                       COALESCE(SUM(cost) FILTER (WHERE date < %(date_from)s), 0),
                       %(cost_columns)s,
                       COALESCE(SUM(dep) FILTER (WHERE date < %(date_from)s), 0),
                       %(dep_columns)s
                  FROM events
                 WHERE date <= %(date_to)s
                   AND company_id = ANY(%(companies)s)
                   %(category_filter)s
              GROUP BY company_id, category_id
                """,
                companies=companies.ids,
                date_from=self.date_from,
                date_to=self.date_to,
                cost_columns=SQL(", ").join(cost_columns),
                dep_columns=SQL(", ").join(dep_columns),
                category_filter=category_filter,
            )
        )
        return self.env.cr.fetchall()

    def _read_ledger_balances(self, companies, categories):
        """``{(company id, account id): balance}`` of the posted journal items on
        the categories' fixed asset and accumulated depreciation accounts, up to
        the end of the period."""
        accounts = categories.account_asset_id | categories.account_depreciation_id
        if not accounts:
            return {}
        self.env["account.move.line"].flush_model(
            ["balance", "account_id", "company_id", "date", "parent_state"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, account_id, SUM(balance)
                  FROM account_move_line
                 WHERE parent_state = 'posted'
                   AND company_id = ANY(%s)
                   AND account_id = ANY(%s)
                   AND date <= %s
              GROUP BY company_id, account_id
                """,
                companies.ids,
                accounts.ids,
                self.date_to,
            )
        )
        return {(row[0], row[1]): row[2] for row in self.env.cr.fetchall()}

    # XLSX ---------------------------------------------------------------------
    def _render_xlsx(self):
        """The roll-forward as an XLSX workbook: one sheet of figures (a row per
        company and category, a total per company), one of the reconciliation
        with the general ledger."""
        data = self._get_roll_forward_data()
        columns = self._get_column_labels()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        formats = _xlsx_formats(workbook, data)
        title = self.env._(
            "Fixed-asset roll-forward from %(date_from)s to %(date_to)s, printed "
            "%(printed)s",
            date_from=self.date_from,
            date_to=self.date_to,
            printed=self._get_print_info()["printed"],
        )
        sheet = workbook.add_worksheet(self.env._("Roll-Forward"))
        sheet.write(0, 0, title, formats["bold"])
        heads = [self.env._("Company"), self.env._("Category")]
        heads += [f"{section}\n{label}" for _key, section, label in columns]
        for col, label in enumerate(heads):
            sheet.write(2, col, label, formats["header"])
        sheet.set_row(2, 30)
        row = 3
        for company in data["companies"]:
            money = formats[company["currency"].decimal_places]
            for line in company["categories"]:
                sheet.write(row, 0, company["name"])
                sheet.write(row, 1, line["name"])
                for col, (key, _section, _label) in enumerate(columns, start=2):
                    sheet.write_number(row, col, line[key], money)
                row += 1
            sheet.write(row, 0, company["name"], formats["bold"])
            sheet.write(row, 1, self.env._("Total"), formats["bold"])
            for col, (key, _section, _label) in enumerate(columns, start=2):
                sheet.write_number(row, col, company["total"][key], money)
            row += 2
        sheet.set_column(0, 1, 26)
        sheet.set_column(2, len(columns) + 1, 14)

        sheet = workbook.add_worksheet(self.env._("Reconciliation"))
        sheet.write(0, 0, title, formats["bold"])
        heads = [
            self.env._("Company"),
            self.env._("Account"),
            self.env._("Balance"),
            self.env._("Categories"),
            self.env._("Register"),
            self.env._("General Ledger"),
            self.env._("Difference"),
        ]
        for col, label in enumerate(heads):
            sheet.write(2, col, label, formats["header"])
        row = 3
        for company in data["companies"]:
            money = formats[company["currency"].decimal_places]
            for line in company["reconciliation"]:
                sheet.write(row, 0, company["name"])
                sheet.write(row, 1, line["account"])
                sheet.write(row, 2, line["kind"])
                sheet.write(row, 3, line["categories"])
                for col, key in enumerate(RECONCILIATION_KEYS, start=4):
                    sheet.write_number(row, col, line[key], money)
                row += 1
        sheet.set_column(0, 3, 26)
        sheet.set_column(4, 6, 16)
        workbook.close()
        return output.getvalue()


def _xlsx_formats(workbook, data):
    """Bold and header cell formats, and a money format per number of decimal
    places of the companies' currencies."""
    formats = {
        "bold": workbook.add_format({"bold": True}),
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
    }
    for company in data["companies"]:
        digits = company["currency"].decimal_places
        if digits not in formats:
            formats[digits] = workbook.add_format(
                {"num_format": "#,##0" + ("." + "0" * digits if digits else "")}
            )
    return formats


def _roll_forward_values(amounts):
    """The roll-forward columns of one company and category from the amounts
    of ``_read_roll_forward_rows`` (opening cost, cost movements, opening
    depreciation, depreciation movements), not rounded."""
    amounts = [float(amount or 0.0) for amount in amounts]
    count = len(COST_MOVEMENTS)
    cost_opening, cost_moves = amounts[0], amounts[1 : 1 + count]
    dep_opening, dep_moves = amounts[1 + count], amounts[2 + count :]
    values = {"cost_opening": cost_opening, "dep_opening": dep_opening}
    values.update(zip([key for key, _kind in COST_MOVEMENTS], cost_moves, strict=True))
    values.update(zip([key for key, _kind in DEP_MOVEMENTS], dep_moves, strict=True))
    values["cost_closing"] = cost_opening + sum(cost_moves)
    values["dep_closing"] = dep_opening + sum(dep_moves)
    values["nbv_opening"] = cost_opening - dep_opening
    values["nbv_closing"] = values["cost_closing"] - values["dep_closing"]
    return values
