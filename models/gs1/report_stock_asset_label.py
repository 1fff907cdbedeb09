# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Asset labels: one barcode per asset, rendered once in Python, then laid out."""

import base64
import re

import barcode
from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import format_date

SYMBOLOGIES = [
    ("linear", "Code 128 / GS1-128"),
    ("qr", "QR Code"),
    ("datamatrix", "DataMatrix"),
]
# Odoo's barcode renderer (reportlab) names of the 2D symbologies.
ODOO_SYMBOLOGY = {"qr": "QR", "datamatrix": "ECC200DataMatrix"}
# Widest a linear barcode may be, in mm, on each label format; its narrowest bar.
BARCODE_WIDTH_MM = {"single": 44.0, "sheet": 62.0}
MAX_MODULE_MM = 0.33
QUIET_MODULES = 10
_BARS = re.compile("1+")


def linear_svg(value, gs1_128, width_mm, height_mm):
    """An SVG of ``value`` as Code 128 (or GS1-128: FNC1 first), no text, fitted to
    ``width_mm`` with its quiet zones.

    The bars are python-barcode's own encoding (``build()``), drawn as one SVG path
    in module units: python-barcode's SVGWriter builds a DOM of one element per bar
    (about 20 ms a barcode, and a heavier page for wkhtmltopdf); this is the same
    drawing, vector, at a fraction of the cost.
    """
    symbol = barcode.codex.Gs1_128(value) if gs1_128 else barcode.get("code128", value)
    # build once: python-barcode's Code 128 does not build the same twice (its
    # GS1-128 loses the FNC1 on a second build)
    modules = symbol.build()[0]
    total = len(modules) + 2 * QUIET_MODULES
    module_mm = min(MAX_MODULE_MM, width_mm / total)
    bars = []
    for match in _BARS.finditer(modules):
        bars.append(
            f"M{match.start() + QUIET_MODULES} 0h{len(match.group())}v1"
            f"h-{len(match.group())}z"
        )
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="o_asset_label_bars" '
        f'width="{total * module_mm:.3f}mm" height="{height_mm:.3f}mm" '
        f'viewBox="0 0 {total} 1" preserveAspectRatio="none" '
        'shape-rendering="crispEdges">'
        f'<path fill="#000" d="{"".join(bars)}"/></svg>'
    )


class ReportStockAssetLabel(models.AbstractModel):
    _name = "report.stock_asset_tracking.report_asset_label"
    _description = "Asset Label (single label, 50 x 25 mm)"

    _label_format = "single"
    _barcode_height_mm = 8.0

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        symbology = data.get("symbology") or "linear"
        if symbology not in dict(SYMBOLOGIES):
            raise UserError(
                self.env._(
                    "Label symbology %(symbology)s is not one of: %(allowed)s.",
                    symbology=symbology,
                    allowed=", ".join(dict(SYMBOLOGIES)),
                )
            )
        # one PDF for the whole run: the ids come in data (see ir.actions.report)
        assets = self._get_label_assets(docids or data.get("asset_ids") or [])
        return {
            "doc_ids": assets.ids,
            "doc_model": "stock.asset",
            "docs": assets,
            "labels": self._prepare_labels(assets, symbology),
            "symbology": symbology,
        }

    @api.model
    def _get_label_assets(self, docids):
        """The assets to label, refused whole when one is of another company."""
        assets = self.env["stock.asset"].browse(docids).exists()
        if not assets:
            raise UserError(self.env._("Select at least one asset to print labels."))
        # read the companies before the record rules would hide the foreign ones
        foreign = assets.sudo().filtered(
            lambda asset: asset.company_id not in self.env.companies
        )
        if foreign:
            raise UserError(
                self.env._(
                    "%(count)s of the selected assets belong to another company "
                    "than %(companies)s: labels are printed only for assets of the "
                    "companies you work in. Nothing was printed.",
                    count=len(foreign),
                    companies=", ".join(self.env.companies.mapped("name")),
                )
            )
        assets.check_access("read")
        return assets

    @api.model
    def _prepare_labels(self, assets, symbology):
        """One dict per asset with everything the template prints."""
        labels = []
        for asset in assets:
            label = {
                "asset": asset,
                "company": asset.company_id.name,
                "code": asset.code,
                "name": asset.name,
                "readable": asset.label_barcode,
                "calibration_due": asset.calibration_due_date
                and format_date(self.env, asset.calibration_due_date),
            }
            if symbology == "linear":
                label["svg"] = self._linear_barcode(asset)
            else:
                label["image"] = self._matrix_barcode(asset, symbology)
            labels.append(label)
        return labels

    @api.model
    def _linear_barcode(self, asset):
        """GS1-128 of the GDTI (AI 253) or GIAI (AI 8004), else Code 128 of the
        asset tag."""
        width = BARCODE_WIDTH_MM[self._label_format]
        pair = asset._label_gs1_pair()
        if pair:
            return linear_svg("".join(pair), True, width, self._barcode_height_mm)
        try:
            return linear_svg(asset.code, False, width, self._barcode_height_mm)
        except (barcode.errors.BarcodeError, UnicodeError, ValueError) as error:
            raise UserError(
                self.env._(
                    "Asset tag %(code)s cannot be printed as a Code 128 barcode "
                    "(%(error)s): use ASCII characters only.",
                    code=asset.code,
                    error=error,
                )
            ) from error

    @api.model
    def _matrix_barcode(self, asset, symbology):
        """A QR Code / DataMatrix PNG (data URI) through Odoo's barcode renderer:
        FNC1 + the GDTI or GIAI element string, else the asset tag."""
        pair = asset._label_gs1_pair()
        value = "\x1d" + "".join(pair) if pair else asset.code
        try:
            png = self.env["ir.actions.report"].barcode(
                ODOO_SYMBOLOGY[symbology], value, width=160, height=160, quiet=1
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Asset tag %(code)s cannot be printed as a %(symbology)s "
                    "(%(error)s).",
                    code=asset.code,
                    symbology=dict(SYMBOLOGIES)[symbology],
                    error=error,
                )
            ) from error
        return "data:image/png;base64," + base64.b64encode(png).decode()
