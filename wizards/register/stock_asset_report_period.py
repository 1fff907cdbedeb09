# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.date_utils import get_fiscal_year

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StockAssetReportPeriod(models.AbstractModel):
    """What the register's reports share: a company and a period (the current
    fiscal year by default), its check, the labels of the columns, what every
    printed page shows, the PDF action and the XLSX download.

    A report names its PDF action (``_pdf_report``), its columns
    (``_report_columns``) and its file (``_xlsx_filename``) and renders its
    workbook (``_render_xlsx``)."""

    _name = "stock.asset.report.period"
    _description = "Fixed-Asset Report Period"

    _pdf_report = None  # xml id of the report's PDF action
    _report_columns = ()  # (key, section, label) of the report's columns, in order

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        required=True, default=lambda self: self._default_fiscal_year()[0]
    )
    date_to = fields.Date(
        required=True, default=lambda self: self._default_fiscal_year()[1]
    )
    xlsx_file = fields.Binary(readonly=True, attachment=False)
    xlsx_filename = fields.Char(readonly=True)

    @api.model
    def _default_fiscal_year(self):
        company = self.env.company
        return get_fiscal_year(
            fields.Date.context_today(self),
            day=company.fiscalyear_last_day,
            month=int(company.fiscalyear_last_month),
        )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for report in self:
            if report.date_from > report.date_to:
                raise UserError(self.env._("The period must start before it ends."))

    def _get_section_labels(self):
        """``{section: label}`` of the columns, in the user's language."""
        return {
            "cost": self.env._("Cost"),
            "depreciation": self.env._("Accumulated Depreciation"),
            "nbv": self.env._("Net Book Value"),
        }

    def _get_column_labels(self):
        """``[(key, section label, column label)]`` in the user's language."""
        sections = self._get_section_labels()
        labels = {
            "Opening": self.env._("Opening"),
            "Additions": self.env._("Additions"),
            "Revaluations": self.env._("Revaluations"),
            "Disposals": self.env._("Disposals"),
            "Transfers In": self.env._("Transfers In"),
            "Transfers Out": self.env._("Transfers Out"),
            "Closing": self.env._("Closing"),
            "Charge": self.env._("Charge"),
            "Impairments": self.env._("Impairments"),
            "Released on Disposal": self.env._("Released on Disposal"),
        }
        return [
            (key, sections[section], labels[label])
            for key, section, label in self._report_columns
        ]

    def _get_print_info(self):
        """What every printed page needs in its body (Debian's wkhtmltopdf
        drops the header and footer): the date and time of printing in the
        user's time zone and the user."""
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        return {
            "printed": fields.Datetime.to_string(now)[:16],
            "user": self.env.user.name,
        }

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref(self._pdf_report).report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        self.write(
            {
                "xlsx_file": base64.b64encode(self._render_xlsx()),
                "xlsx_filename": self._xlsx_filename(),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}"
            "&field=xlsx_file&filename_field=xlsx_filename&download=true"
            # typed here: Odoo guesses it from the first bytes, where the OOXML
            # check cannot open the zip (three WARNINGs, served as a zip)
            f"&mimetype={XLSX_MIMETYPE}",
            "target": "self",
        }

    def _xlsx_filename(self):
        raise NotImplementedError

    def _render_xlsx(self):
        raise NotImplementedError
