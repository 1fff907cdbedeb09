# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models

# 24 labels of 70 x 37 mm per A4 sheet (3 columns, 8 rows, e.g. Avery 3474).
SHEET_COLUMNS, SHEET_ROWS = 3, 8


class ReportStockAssetLabelSheet(models.AbstractModel):
    _name = "report.stock_asset_tracking.report_asset_label_sheet"
    _inherit = "report.stock_asset_tracking.report_asset_label"
    _description = "Asset Labels (A4 sheet of 24)"

    _label_format = "sheet"
    _barcode_height_mm = 12.0

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        labels = values["labels"]
        per_sheet = SHEET_COLUMNS * SHEET_ROWS
        values["sheets"] = [
            labels[start : start + per_sheet]
            for start in range(0, len(labels), per_sheet)
        ]
        return values
