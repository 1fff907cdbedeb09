# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        done = moves.filtered(lambda move: move.state == "done")
        receipts = done.filtered(lambda move: move.location_id.usage == "supplier")
        if receipts:
            self.env["stock.asset"]._register_from_receipt(receipts.move_line_ids)
        leaving = done.filtered(
            lambda move: move.location_dest_id.usage == "customer"
            or move.location_dest_id.scrap_location
        )
        if leaving:
            leaving._propose_asset_disposals()
        return moves

    def _propose_asset_disposals(self):
        """Company-owned assets whose serial left through a delivery or a scrap:
        propose their disposal to the accountant."""
        lots = self.move_line_ids.lot_id
        if not lots:
            return
        assets = (
            self.env["stock.asset"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("ownership", "=", "company"),
                    ("state", "!=", "disposed"),
                ]
            )
        )
        for move in self:
            moved = assets.filtered(
                lambda asset, move=move: asset.lot_id in move.lot_ids
            )
            if not moved:
                continue
            if move.location_dest_id.scrap_location:
                reason = self.env._(
                    "Its serial number was scrapped by %(document)s on %(date)s.",
                    document=move.reference or move.name,
                    date=move.date.date(),
                )
            else:
                reason = self.env._(
                    "Its serial number was delivered to %(partner)s by "
                    "%(document)s on %(date)s.",
                    partner=move.partner_id.display_name
                    or move.picking_id.partner_id.display_name
                    or move.location_dest_id.display_name,
                    document=move.reference or move.name,
                    date=move.date.date(),
                )
            moved._propose_disposal(reason)
