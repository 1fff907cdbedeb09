# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetRecordMixin(models.AbstractModel):
    """A record about one asset (a custody, a calibration, a use, a service...),
    kept in the asset's company. A model narrows the asset field with its own
    attributes (``asset_id = fields.Many2one(string="Instrument")``)."""

    _name = "stock.asset.record.mixin"
    _description = "Record of an Asset"
    _check_company_auto = True

    asset_id = fields.Many2one(
        "stock.asset",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="asset_id.company_id", store=True, index=True, precompute=True
    )
