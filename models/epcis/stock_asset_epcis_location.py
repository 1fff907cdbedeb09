# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetEpcisLocation(models.Model):
    """Where the events of one EPCIS read point / business location land."""

    _name = "stock.asset.epcis.location"
    _description = "EPCIS Location Mapping"
    _order = "repository_id, epcis_location, id"
    _check_company_auto = True

    repository_id = fields.Many2one(
        "stock.asset.epcis.repository",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="repository_id.company_id", store=True, index=True, precompute=True
    )
    epcis_location = fields.Char(
        string="Read Point / Business Location",
        required=True,
        help="The id of an event's readPoint or bizLocation, as the repository "
        "sends it, e.g. urn:epc:id:sgln:0614141.00001.0.",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Stock Location",
        required=True,
        check_company=True,
        domain="[('usage', 'in', ('internal', 'transit'))]",
    )

    _sql_constraints = [
        (
            "epcis_location_uniq",
            "unique(repository_id, epcis_location)",
            "A read point or business location is mapped once per repository.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("epcis_location"):
                vals["epcis_location"] = vals["epcis_location"].strip()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("epcis_location"):
            vals = dict(vals, epcis_location=vals["epcis_location"].strip())
        return super().write(vals)
