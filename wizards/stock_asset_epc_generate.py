# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import epc as epc_lib

CSV_HEADER = ["asset_code", "name", "epc_hex", "epc_tag_uri", "epc_pure_uri", "gs1"]


class StockAssetEpcGenerate(models.TransientModel):
    """EPCs for new RFID tags, from the company's GS1 company prefix, and the CSV
    the tag printer encodes."""

    _name = "stock.asset.epc.generate"
    _inherit = ["stock.asset.selection.mixin"]
    _description = "Generate RFID EPCs"
    _check_company_auto = True

    company_prefix = fields.Char(related="company_id.asset_gs1_company_prefix")
    scheme = fields.Selection(
        [
            ("auto", "Shortest that fits (96 bits, else the longer encoding)"),
            ("giai-96", "GIAI-96"),
            ("giai-202", "GIAI-202"),
            ("grai-96", "GRAI-96"),
            ("grai-170", "GRAI-170"),
            ("gdti-96", "GDTI-96"),
            ("gdti-174", "GDTI-174"),
            ("adi-var", "ADI-var"),
            ("giai+", "GIAI+ (TDS 2.0)"),
            ("grai+", "GRAI+ (TDS 2.0)"),
            ("gdti+", "GDTI+ (TDS 2.0)"),
        ],
        string="Encoding",
        required=True,
        default="auto",
        help="GIAI-96 holds a numeric asset tag without leading zeros; GIAI-202 up "
        "to 30 characters with the company prefix. Returnable items (categories "
        "with a GRAI asset type) get a GRAI, documents (a GDTI document type) a "
        "GDTI, aerospace and defence parts (an ADI CAGE/DoDAAC) an ADI-var. "
        "GIAI+, GRAI+ and GDTI+ (TDS 2.0) carry the GS1 key as in its barcode, "
        "whatever the length of the company prefix.",
    )
    filter_value = fields.Integer(
        default=0,
        help="EPC filter value (0 to 7) written in the tag, 0 = all others.",
    )
    replace_existing = fields.Boolean(
        string="Replace Existing EPCs",
        help="Off, assets that already have an EPC keep it (it is exported as is).",
    )
    csv_file = fields.Binary(string="CSV File", readonly=True, attachment=False)
    csv_filename = fields.Char(readonly=True)

    def action_generate(self):
        """Write the EPCs on the assets (all or none) and offer the CSV."""
        self.ensure_one()
        if not self.asset_ids:
            raise UserError(self.env._("Select the assets to generate EPCs for."))
        if not 0 <= self.filter_value <= 7:
            raise UserError(
                self.env._(
                    "Filter Value %(value)s: an EPC filter value is 0 to 7.",
                    value=self.filter_value,
                )
            )
        new_epcs = {}
        for asset in self.asset_ids:
            if asset.epc and not self.replace_existing:
                continue
            new_epcs[asset] = asset._prepare_epc(self.scheme, self.filter_value)
        for asset, epc in new_epcs.items():
            asset.epc = epc
        self.write(
            {
                "csv_file": base64.b64encode(self._export_csv().encode()),
                "csv_filename": f"rfid_epcs_{self.company_id.name}.csv".replace(
                    " ", "_"
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content?model={self._name}&id={self.id}&field=csv_file"
                "&filename_field=csv_filename&download=true"
            ),
            "target": "self",
        }

    def _export_csv(self):
        """One row per asset: its EPC in hex and as URIs, and the GS1 key."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for asset in self.asset_ids.filtered("epc").sorted("code"):
            try:
                decoded = epc_lib.decode_hex(asset.epc, strict=False)
            except epc_lib.EpcError:
                decoded = None
            writer.writerow(
                [
                    asset.code,
                    asset.name,
                    asset.epc,
                    decoded.tag_uri if decoded else "",
                    decoded.pure_uri if decoded and decoded.scheme != "raw" else "",
                    decoded.element_string if decoded else "",
                ]
            )
        return out.getvalue()
