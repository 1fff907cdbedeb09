# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class StockAssetDeviceCacheMixin(models.AbstractModel):
    """Records the batch lookups cache per worker (devices, their antennas):
    any change clears Odoo's registry caches, so every worker reads it afresh."""

    _name = "stock.asset.device.cache.mixin"
    _description = "Scanning Device Cached Settings"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
