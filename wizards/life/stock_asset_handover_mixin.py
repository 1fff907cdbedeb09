# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetHandoverMixin(models.AbstractModel):
    """The condition of the assets as they go out or come back, recorded in their
    condition history."""

    _inherit = "stock.asset.handover.mixin"

    condition_id = fields.Many2one("stock.asset.condition")
    condition_photo = fields.Image(string="Photo", max_width=1920, max_height=1920)

    def _record_handover_condition(self, event):
        """Record the chosen condition (with the note and the photo) on the assets
        of this ``checkout`` or ``checkin``."""
        if self.condition_id:
            self.asset_ids._record_condition(
                self.condition_id, event, note=self.note, photo=self.condition_photo
            )
