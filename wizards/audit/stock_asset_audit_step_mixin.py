# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetAuditStepMixin(models.AbstractModel):
    """A step of an audit in progress (record scans, close it), in its company."""

    _name = "stock.asset.audit.step.mixin"
    _description = "Step of an Asset Audit"
    _check_company_auto = True

    audit_id = fields.Many2one(
        "stock.asset.audit",
        required=True,
        domain="[('state', '=', 'in_progress')]",
        check_company=True,
    )
    company_id = fields.Many2one(related="audit_id.company_id")
