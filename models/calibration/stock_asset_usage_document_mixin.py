# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetUsageDocumentMixin(models.AbstractModel):
    """The document an instrument was used on (a picking, a manufacturing order, a
    quality check...), as a usage records it and an impact assessment traces it."""

    _name = "stock.asset.usage.document.mixin"
    _description = "Document an Asset Was Used On"

    res_model = fields.Char(string="Document Model")
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model")
    res_name = fields.Char(string="Document")

    def action_open_document(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "name": self.res_name,
        }
