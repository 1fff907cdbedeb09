# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import io
from collections import defaultdict

import xlsxwriter

from odoo import fields, models
from odoo.tools import SQL

# Columns of the register, in order: (key, section, label).
REGISTER_COLUMNS = [
    ("cost_opening", "cost", "Opening"),
    ("cost_additions", "cost", "Additions"),
    ("cost_revaluations", "cost", "Revaluations"),
    ("cost_disposals", "cost", "Disposals"),
    ("cost_closing", "cost", "Closing"),
    ("dep_opening", "depreciation", "Opening"),
    ("dep_charge", "depreciation", "Charge"),
    ("dep_impairments", "depreciation", "Impairments"),
    ("dep_disposals", "depreciation", "Disposals"),
    ("dep_closing", "depreciation", "Closing"),
    ("nbv_opening", "nbv", "Opening"),
    ("nbv_closing", "nbv", "Closing"),
]
REGISTER_KEYS = [key for key, _section, _label in REGISTER_COLUMNS]


class StockAssetRegisterReport(models.TransientModel):
    """The fixed-asset register over a date range, per category and in total.

    Cost: opening, additions (acquired in the range), revaluations, disposals,
    closing. Accumulated depreciation: opening, charge of the range (posted lines),
    impairments, disposals, closing. Net book value at both ends. Only posted
    depreciation counts (with the depreciation a former register booked before
    go-live, "opening" lines): the register states what the books state.

    ``book`` "tax": the register of the tax book, for the assets that keep one:
    the same cost, the tax board's depreciation (every tax period ending in the
    range, its difference posted or only reported, and the periods already
    depreciated at go-live) and the tax net book value.
    """

    _name = "stock.asset.register.report"
    _inherit = "stock.asset.report.period"
    _description = "Fixed-Asset Register Report"
    _check_company_auto = True
    _pdf_report = "stock_asset_tracking.stock_asset_register_report_action_pdf"
    _report_columns = REGISTER_COLUMNS

    currency_id = fields.Many2one(related="company_id.currency_id")
    category_ids = fields.Many2many(
        "stock.asset.category",
        string="Categories",
        check_company=True,
        help="Leave empty for every category.",
    )
    book = fields.Selection(
        [("accounting", "Accounting"), ("tax", "Tax")],
        required=True,
        default="accounting",
        help="Accounting: the posted depreciation. Tax: the tax board of the assets "
        "that keep a tax book.",
    )

    def _get_title(self):
        """The report's name, per book."""
        if self.book == "tax":
            return self.env._("Fixed-asset register (tax book)")
        return self.env._("Fixed-asset register")

    def _xlsx_filename(self):
        return self.env._(
            "%(title)s %(date_from)s %(date_to)s.xlsx",
            title=self._get_title(),
            date_from=self.date_from,
            date_to=self.date_to,
        )

    # Data ---------------------------------------------------------------------
    def _get_register_data(self):
        """{"categories": [{"name", <REGISTER_KEYS>}], "total": {...},
        "assets": [{"code", "name", "category", "acquisition_date",
        <REGISTER_KEYS>}], "assets_by_category": {category name: [asset lines]}},
        in a few set-based queries."""
        self.ensure_one()
        self.env["stock.asset"].check_access("read")
        self.env.flush_all()
        assets = self._read_register_assets()
        ids = [row[0] for row in assets]
        depreciation = self._read_register_depreciation(ids)
        changes = self._read_register_changes(ids)
        categories = {
            category.id: category.name
            for category in self.env["stock.asset.category"]
            .with_context(active_test=False)
            .browse({row[3] for row in assets if row[3]})
        }
        no_category = self.env._("Without category")
        date_from, date_to = self.date_from, self.date_to
        round_ = self.currency_id.round
        per_category = defaultdict(lambda: dict.fromkeys(REGISTER_KEYS, 0.0))
        total = dict.fromkeys(REGISTER_KEYS, 0.0)
        lines = []
        for asset_id, code, name, category_id, acquired, original, disposed in assets:
            values = _asset_register_values(
                (acquired, original, disposed),
                depreciation.get(asset_id, (0.0, 0.0)),
                changes[asset_id],
                date_from,
                date_to,
            )
            values = {key: round_(value) for key, value in values.items()}
            category = categories.get(category_id, no_category)
            lines.append(
                {
                    "code": code,
                    "name": name,
                    "category": category,
                    "acquisition_date": acquired,
                    **values,
                }
            )
            bucket = per_category[category]
            for key in REGISTER_KEYS:
                bucket[key] += values[key]
                total[key] += values[key]
        return {
            "categories": [
                {"name": name, **{key: round_(value) for key, value in bucket.items()}}
                for name, bucket in sorted(per_category.items())
            ],
            "total": {key: round_(value) for key, value in total.items()},
            "assets": lines,
            "assets_by_category": _group_by_category(lines),
        }

    def _read_register_assets(self):
        """``(id, code, name, category_id, acquisition_date, original_value,
        disposal_date)`` of the company-owned assets with a value that are in
        the register during the range, by code."""
        category_filter = (
            SQL("AND a.category_id = ANY(%s)", self.category_ids.ids)
            if self.category_ids
            else SQL()
        )
        if self.book == "tax":
            category_filter = SQL("%s AND a.tax_book", category_filter)
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, a.code, a.name, a.category_id, a.acquisition_date,
                       a.original_value, a.disposal_date
                  FROM stock_asset a
                 WHERE a.company_id = %(company)s
                   AND a.ownership = 'company'
                   AND a.acquisition_date <= %(date_to)s
                   AND (a.disposal_date IS NULL OR a.disposal_date >= %(date_from)s)
                   AND a.original_value > 0
                   %(category_filter)s
              ORDER BY a.code
                """,
                company=self.company_id.id,
                date_from=self.date_from,
                date_to=self.date_to,
                category_filter=category_filter,
            )
        )
        return self.env.cr.fetchall()

    def _read_register_depreciation(self, ids):
        """``{asset id: (depreciation before the range, in the range)}``: the
        posted (or already depreciated) lines of the accounting board, every
        line of the tax board."""
        if self.book == "tax":
            lines = SQL("stock_asset_tax_line")
        else:
            lines = SQL(
                "stock_asset_depreciation_line WHERE state IN ('posted', 'opening')"
            )
        self.env.cr.execute(
            SQL(
                """
                SELECT asset_id,
                       SUM(amount) FILTER (WHERE date < %(date_from)s),
                       SUM(amount) FILTER (WHERE date >= %(date_from)s
                                             AND date <= %(date_to)s)
                  FROM (SELECT asset_id, date, amount FROM %(lines)s) line
                 WHERE asset_id = ANY(%(ids)s)
              GROUP BY asset_id
                """,
                lines=lines,
                ids=ids,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _read_register_changes(self, ids):
        """``{asset id: {kind: (before the range, in the range)}}`` of the
        revaluations and impairments (a defaultdict: empty for the others)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT asset_id, kind,
                       SUM(amount) FILTER (WHERE date < %(date_from)s),
                       SUM(amount) FILTER (WHERE date >= %(date_from)s
                                             AND date <= %(date_to)s)
                  FROM stock_asset_register_change
                 WHERE asset_id = ANY(%(ids)s)
                   AND kind IN ('revaluation', 'impairment')
              GROUP BY asset_id, kind
                """,
                ids=ids,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        )
        changes = defaultdict(dict)
        for asset_id, kind, before, during in self.env.cr.fetchall():
            changes[asset_id][kind] = (before or 0.0, during or 0.0)
        return changes

    def _get_section_labels(self):
        if self.book == "tax":
            return {
                **super()._get_section_labels(),
                "depreciation": self.env._("Accumulated Tax Depreciation"),
                "nbv": self.env._("Tax Net Book Value"),
            }
        return super()._get_section_labels()

    def _render_xlsx(self):
        """The register as an XLSX workbook: per category and total, then one row
        per asset."""
        data = self._get_register_data()
        columns = self._get_column_labels()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        digits = self.currency_id.decimal_places
        money = workbook.add_format(
            {"num_format": "#,##0" + ("." + "0" * digits if digits else "")}
        )
        money_bold = workbook.add_format(
            {"num_format": money.num_format, "bold": True, "top": 1}
        )
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        title = self.env._(
            "%(title)s of %(company)s from %(date_from)s to %(date_to)s",
            title=self._get_title(),
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

        def write_header(sheet, first_labels, row):
            for col, label in enumerate(first_labels):
                sheet.write(row, col, label, header)
            offset = len(first_labels)
            for col, (_key, section, label) in enumerate(columns, start=offset):
                sheet.write(row, col, f"{section}\n{label}", header)
            sheet.set_row(row, 30)

        sheet = workbook.add_worksheet(self.env._("Register"))
        sheet.write(0, 0, title, bold)
        write_header(sheet, [self.env._("Category")], 2)
        row = 3
        for category in data["categories"]:
            sheet.write(row, 0, category["name"])
            for col, (key, _section, _label) in enumerate(columns, start=1):
                sheet.write_number(row, col, category[key], money)
            row += 1
        sheet.write(row, 0, self.env._("Total"), bold)
        for col, (key, _section, _label) in enumerate(columns, start=1):
            sheet.write_number(row, col, data["total"][key], money_bold)
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, len(columns), 14)

        sheet = workbook.add_worksheet(self.env._("Assets"))
        sheet.write(0, 0, title, bold)
        write_header(
            sheet,
            [
                self.env._("Asset Tag"),
                self.env._("Description"),
                self.env._("Category"),
            ],
            2,
        )
        for row, line in enumerate(data["assets"], start=3):
            sheet.write(row, 0, line["code"])
            sheet.write(row, 1, line["name"])
            sheet.write(row, 2, line["category"])
            for col, (key, _section, _label) in enumerate(columns, start=3):
                sheet.write_number(row, col, line[key], money)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 2, 28)
        sheet.set_column(3, len(columns) + 2, 14)
        workbook.close()
        return output.getvalue()


def _group_by_category(lines):
    """``{category name: [asset lines]}``, in the order of ``lines``."""
    grouped = defaultdict(list)
    for line in lines:
        grouped[line["category"]].append(line)
    return dict(grouped)


def _asset_register_values(asset, depreciation, changes, date_from, date_to):
    """The register columns of one asset over ``date_from`` .. ``date_to``, not
    rounded: ``asset`` is ``(acquisition date, original value, disposal date)``,
    ``depreciation`` ``(posted before the range, posted in it)`` and ``changes``
    ``{kind: (before, in the range)}`` of its revaluations and impairments."""
    acquired, original, disposed = asset
    dep_before, dep_during = depreciation
    dep_before, dep_during = dep_before or 0.0, dep_during or 0.0
    reval_before, reval_during = changes.get("revaluation", (0.0, 0.0))
    imp_before, imp_during = changes.get("impairment", (0.0, 0.0))
    existed = acquired < date_from
    values = {
        "cost_opening": original + reval_before if existed else 0.0,
        "cost_additions": 0.0 if existed else original,
        "cost_revaluations": reval_during,
        "dep_opening": dep_before - imp_before,
        "dep_charge": dep_during,
        "dep_impairments": -imp_during,
    }
    cost = (
        values["cost_opening"] + values["cost_additions"] + values["cost_revaluations"]
    )
    dep = values["dep_opening"] + values["dep_charge"] + values["dep_impairments"]
    gone = bool(disposed and disposed <= date_to)
    values["cost_disposals"] = -cost if gone else 0.0
    values["dep_disposals"] = -dep if gone else 0.0
    values["cost_closing"] = 0.0 if gone else cost
    values["dep_closing"] = 0.0 if gone else dep
    values["nbv_opening"] = values["cost_opening"] - values["dep_opening"]
    values["nbv_closing"] = values["cost_closing"] - values["dep_closing"]
    return values
