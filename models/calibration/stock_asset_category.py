# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import models

# fields of a category that decide which schedule its instruments get
CALIBRATION_PLAN_FIELDS = ("calibration_interval_days", "calibration_kind_id")


class StockAssetCategory(models.Model):
    """Calibration part of a category: the instruments already in a category get
    its schedule as soon as it names an interval, as new ones do."""

    _inherit = "stock.asset.category"

    def write(self, vals):
        res = super().write(vals)
        if any(vals.get(fname) for fname in CALIBRATION_PLAN_FIELDS):
            self._get_unplanned_instruments()._create_default_calibration_schedules()
        return res

    def _get_unplanned_instruments(self):
        """The assets in use of the categories that plan calibrations (a disposed
        asset is never calibrated again); those already planned are skipped by
        ``_create_default_calibration_schedules``."""
        planning = self.filtered("calibration_interval_days")
        if not planning:
            return self.env["stock.asset"]
        return self.env["stock.asset"].search(
            [("category_id", "in", planning.ids), ("state", "!=", "disposed")]
        )
