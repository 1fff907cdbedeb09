# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import fields, models


class StockAsset(models.Model):
    """Physical audits: the asset's part."""

    _inherit = "stock.asset"

    # Physical audits ---------------------------------------------------------------
    last_audit_date = fields.Date(
        readonly=True,
        copy=False,
        help="Closing date of the latest audit that found the item.",
        groups="base.group_user",
    )
    next_audit_date = fields.Date(
        readonly=True,
        copy=False,
        index=True,
        help="When the item is due for its next audit: the latest audit plus the "
        "audit interval of its category.",
        groups="base.group_user",
    )
