# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetReferenceMixin(models.AbstractModel):
    """A record numbered when it is created, from the sequence whose code is its
    model's name (in the record's company): "New" until then."""

    _name = "stock.asset.reference.mixin"
    _description = "Numbered Asset Record"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self.env._("New"),
    )

    @api.model_create_multi
    def create(self, vals_list):
        new_label = self.env._("New")
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == new_label:
                company = vals.get("company_id") or self.env.company.id
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code(self._name)
                    or new_label
                )
        return super().create(vals_list)
