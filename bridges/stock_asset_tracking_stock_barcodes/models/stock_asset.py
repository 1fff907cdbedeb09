# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models
from odoo.tools import format_date


class StockAsset(models.Model):
    _inherit = "stock.asset"

    def _get_picking_refusals(self, picking_type_code):
        """``{asset_id: message}`` for the assets of ``self`` whose serial may not
        be moved by a transfer of type ``picking_type_code`` (``incoming``,
        ``outgoing``, ``internal``); every message names the asset and the rule.

        - a delivery issues the item: the check-out's calibration rule applies
          (overdue, out of tolerance or out of service instruments cannot go out);
        - a receipt cannot receive an asset that was disposed of.

        The extension point of these rules: override it, call super() and add
        your messages to the dict.
        """
        refusals = {}
        if picking_type_code == "outgoing":
            refusals.update(self._get_calibration_refusals("checkout"))
        elif picking_type_code == "incoming":
            for asset in self.filtered(lambda asset: asset.state == "disposed"):
                refusals[asset.id] = self.env._(
                    "%(asset)s cannot be received: it was disposed of%(when)s.",
                    asset=asset.code,
                    when=self.env._(
                        " on %(date)s", date=format_date(self.env, asset.disposal_date)
                    )
                    if asset.disposal_date
                    else "",
                )
        return refusals
