# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class StockAssetScanBatch(models.Model):
    """A kit component seen away from its kit is answered with the reason."""

    _inherit = "stock.asset.scan.batch"

    def _apply_observe(self, results, context):
        moved = super()._apply_observe(results, context)
        seen = [
            item
            for item in results
            if item["status"] == "matched"
            and item.get("applied")
            and item["entry"]["location"]
        ]
        if not seen:
            return moved
        # the structure of kits only (the asset was matched for the poster)
        Asset = self.env["stock.asset"].sudo()
        assets = Asset.browse(sorted({item["asset"]["id"] for item in seen}))
        # the kit of each asset only: a fixed reader places hundreds of assets,
        # and reading a field loads every column of their wide rows
        assets.fetch(["parent_id"])
        if not assets.filtered("parent_id"):
            return moved
        for item in seen:
            asset = Asset.browse(item["asset"]["id"])
            kit = asset.parent_id
            place = item["entry"]["location"]
            if not kit or asset.kit_missing or kit.location_id == place:
                continue
            message = self.env._(
                "%(asset)s is a component of kit %(kit)s, which is at %(kit_place)s: "
                "seen away from its kit, at %(place)s.",
                asset=asset.code,
                kit=kit.code,
                kit_place=kit.location_id.complete_name or "-",
                place=place.complete_name,
            )
            item["message"] = message
            item["answer"]["message"] = message
        return moved
