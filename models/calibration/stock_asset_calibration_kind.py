# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..common import records_action, set_counts

INTERVAL_UNITS = [("days", "Days"), ("months", "Months")]


class StockAssetCalibrationKind(models.Model):
    """What a schedule plans: calibration, verification, electrical safety test,
    service... Data that a manager extends."""

    _name = "stock.asset.calibration.kind"
    _description = "Calibration Kind"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical name, unique per company (e.g. calibration).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the kind between companies.",
    )
    color = fields.Integer()
    metrological = fields.Boolean(
        default=True,
        help="Compares the instrument with tolerances (calibration, verification): "
        "its records carry measurement points and reference standards, and a "
        "failed record makes the instrument out of tolerance and opens an impact "
        "assessment. Otherwise (safety test, service), a failed record takes the "
        "instrument out of service.",
    )
    interval_number = fields.Integer(
        string="Default Interval",
        default=12,
        help="Interval of new schedules of this kind, unless the asset's category "
        "gives one.",
    )
    interval_unit = fields.Selection(
        INTERVAL_UNITS, string="Default Interval Unit", required=True, default="months"
    )
    description = fields.Text()
    schedule_count = fields.Integer(compute="_compute_schedule_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A calibration kind code must be unique per company.",
        ),
        (
            "interval_positive",
            "CHECK(interval_number > 0)",
            "Default Interval: the interval of a calibration kind must be positive.",
        ),
    ]

    def _compute_schedule_count(self):
        set_counts(
            self, "schedule_count", "stock.asset.calibration.schedule", "kind_id"
        )

    @api.model
    def _get_default_kind(self):
        """The kind a measuring instrument's category plans by default."""
        return self.env.ref(
            "stock_asset_tracking.calibration_kind_calibration",
            raise_if_not_found=False,
        ) or self.search([("metrological", "=", True)], limit=1)

    def action_view_schedules(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_calibration_schedule_action",
            "kind_id",
            {"default_kind_id": self.id},
        )
