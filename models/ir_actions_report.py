# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

# The label reports: one PDF for the whole print run.
LABEL_REPORTS = (
    "stock_asset_tracking.report_asset_label",
    "stock_asset_tracking.report_asset_label_sheet",
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Labels are rendered as one document, not split into one PDF per asset.

        Odoo splits a multi-record PDF into a stream per record (to attach each to
        its record), then merges the streams back: for 1,000 one-page labels that
        is most of the time of the print. Label reports store no attachment, so
        the labels are rendered in one pass, the asset ids carried in ``data``.
        """
        report = self._get_report(report_ref)
        if (
            report.report_name in LABEL_REPORTS
            and not report.attachment
            and res_ids
            and len(res_ids) > 1
        ):
            data = dict(data or {}, asset_ids=list(res_ids))
            return super()._render_qweb_pdf_prepare_streams(report_ref, data)
        return super()._render_qweb_pdf_prepare_streams(
            report_ref, data, res_ids=res_ids
        )
