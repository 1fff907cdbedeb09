# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.gs1.report_stock_asset_label import SYMBOLOGIES
from ..tools import scan_codes

LABEL_REPORTS = {
    "single": "stock_asset_tracking.stock_asset_label_report_action",
    "sheet": "stock_asset_tracking.stock_asset_label_sheet_report_action",
}


class StockAssetLabelPrint(models.TransientModel):
    """Print asset labels in a chosen format, for selected or scanned assets."""

    _name = "stock.asset.label.print"
    _inherit = ["stock.asset.selection.mixin"]
    _description = "Print Asset Labels"
    _check_company_auto = True

    label_format = fields.Selection(
        [("single", "Single label (50 x 25 mm)"), ("sheet", "A4 sheet (3 x 8)")],
        string="Format",
        required=True,
        default="single",
    )
    symbology = fields.Selection(
        SYMBOLOGIES,
        string="Barcode",
        required=True,
        default="linear",
        help="Code 128 / GS1-128: the asset tag, or the GIAI (AI 8004) when the "
        "company has a GS1 company prefix. QR Code and DataMatrix carry the same.",
    )
    scanned_codes = fields.Text(
        help="Reprint from a scan: one code a line (asset tags, GS1 barcodes, RFID "
        "EPCs), scanned with a reader in keyboard mode or pasted."
    )
    scanned_asset_ids = fields.Many2many(
        "stock.asset",
        "stock_asset_label_print_scanned_rel",
        string="Scanned Assets",
        compute="_compute_scanned",
    )
    unknown_codes = fields.Text(compute="_compute_scanned")

    @api.constrains("asset_ids", "company_id")
    def _check_asset_company(self):
        for wizard in self:
            foreign = wizard.asset_ids.filtered(
                lambda asset, wizard=wizard: asset.company_id != wizard.company_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Assets %(codes)s belong to another company than "
                        "%(company)s: print their labels from that company.",
                        codes=", ".join(foreign.mapped("code")),
                        company=wizard.company_id.name,
                    )
                )

    @api.depends("scanned_codes", "company_id")
    def _compute_scanned(self):
        for wizard in self:
            assets, unknown = wizard._resolve_scanned()
            wizard.scanned_asset_ids = assets
            wizard.unknown_codes = "\n".join(
                f"{code}: {message}" for code, message in unknown
            )

    def _resolve_scanned(self):
        """The assets the scanned codes name, and ``(code, why)`` for the others."""
        self.ensure_one()
        codes = list(
            dict.fromkeys(
                scan_codes.strip_code(line)
                for line in (self.scanned_codes or "").splitlines()
                if scan_codes.strip_code(line)
            )
        )
        Asset = self.env["stock.asset"].with_company(self.company_id)
        resolved = Asset._resolve_scanned_codes(codes) if codes else {}
        assets = Asset.browse()
        unknown = []
        for code in codes:
            found, message = resolved[code]
            if found.company_id and found.company_id != self.company_id:
                unknown.append(
                    (code, self.env._("asset of another company than the labels'"))
                )
            elif found:
                assets |= found
            else:
                unknown.append((code, message or self.env._("no such asset")))
        return assets, unknown

    def action_print(self):
        self.ensure_one()
        assets = self.asset_ids | self.scanned_asset_ids
        if not assets:
            _scanned, unknown = self._resolve_scanned()
            if unknown:
                raise UserError(
                    self.env._(
                        "No label to print: the scanned codes name no asset.\n"
                        "%(codes)s",
                        codes="\n".join(f"{code}: {why}" for code, why in unknown),
                    )
                )
            raise UserError(
                self.env._("No label to print: select assets or scan their codes.")
            )
        report = self.env.ref(LABEL_REPORTS[self.label_format])
        return report.report_action(assets, data={"symbology": self.symbology})
