# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class StockAssetEpcisExportDownload(models.TransientModel):
    """Download the EPCIS 2.0 events of assets as a ``.jsonld`` file: the selected
    assets (or every asset of the company) over an optional date range."""

    _name = "stock.asset.epcis.export.download"
    _inherit = ["stock.asset.selection.mixin"]
    _description = "Download EPCIS 2.0 Events"
    _check_company_auto = True

    asset_ids = fields.Many2many(
        context={"active_test": False},
        help="Leave empty for every asset of the company, archived ones included.",
    )
    date_from = fields.Datetime(
        string="From", help="Events at or after this moment; empty: from the start."
    )
    date_to = fields.Datetime(
        string="To", help="Events before this moment; empty: up to now."
    )
    event_count = fields.Integer(string="Events", readonly=True)
    jsonld_file = fields.Binary(string="File", readonly=True, attachment=False)
    jsonld_filename = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # opened on assets of one company: that company's events
        if (
            "asset_ids" in fields_list
            and "company_id" in fields_list
            and "default_asset_ids" not in self.env.context
        ):
            company = self._default_asset_ids().company_id
            if len(company) == 1:
                values["company_id"] = company.id
        return values

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for export in self:
            if (
                export.date_from
                and export.date_to
                and export.date_from > export.date_to
            ):
                raise ValidationError(
                    self.env._(
                        "EPCIS export: the From date must not be after the To date."
                    )
                )

    def action_download(self):
        """Build the document and download it (``.jsonld``)."""
        self.ensure_one()
        assets = self.asset_ids or self.env["stock.asset"].with_context(
            active_test=False
        ).search([("company_id", "=", self.company_id.id)])
        if not assets:
            raise UserError(
                self.env._(
                    "EPCIS export: the company %(company)s has no asset.",
                    company=self.company_id.name,
                )
            )
        document = (
            self.env["stock.asset.epcis.export"]
            .with_company(self.company_id)
            ._export_document(assets, self.date_from, self.date_to)
        )
        events = document["epcisBody"]["eventList"]
        if len(assets) == 1:
            name = self.env._("EPCIS events %(code)s.jsonld", code=assets.code)
        else:
            name = self.env._(
                "EPCIS events %(company)s.jsonld", company=self.company_id.name
            )
        self.write(
            {
                "event_count": len(events),
                "jsonld_file": base64.b64encode(
                    json.dumps(document, ensure_ascii=False, indent=1).encode()
                ),
                "jsonld_filename": name.replace("/", "-"),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}"
            "&field=jsonld_file&filename_field=jsonld_filename&download=true",
            "target": "self",
        }
