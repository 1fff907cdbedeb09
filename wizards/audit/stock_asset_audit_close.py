# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetAuditClose(models.TransientModel):
    """Close an audit, optionally reporting its missing assets lost."""

    _name = "stock.asset.audit.close"
    _inherit = ["stock.asset.audit.step.mixin"]
    _description = "Close Asset Audit"
    _check_company_auto = True

    pending_count = fields.Integer(related="audit_id.pending_count")
    found_count = fields.Integer(related="audit_id.found_count")
    found_elsewhere_count = fields.Integer(related="audit_id.found_elsewhere_count")
    unknown_count = fields.Integer(related="audit_id.unknown_count")
    mark_lost = fields.Boolean(
        string="Report Missing Assets Lost",
        help="Assets not seen by the audit, in use or in repair and held by no "
        "one, are reported lost; the accountants get an activity for those in "
        "the fixed-asset register.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.audit_id.action_close(mark_lost=self.mark_lost)
        return {"type": "ir.actions.act_window_close"}
