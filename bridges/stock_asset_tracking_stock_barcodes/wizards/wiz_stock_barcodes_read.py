# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Asset codes in every barcode screen of ``stock_barcodes``.

Where a screen reads a serial number (its ``lot_id`` option), any code of an asset
(its tag, its EPC in hex, a GS1 element string with AI 8004 / 8003 or 01 + 21, the
QR of its label) is read as the asset's serial number: the screen then does
exactly what scanning that serial does. Codes are decoded and looked up by the
addon's own scan lookup (``stock.asset._resolve_scanned_codes``), the one of the
assets list and the label reprint.
"""

from odoo import models


class WizStockBarcodesRead(models.AbstractModel):
    _inherit = "wiz.stock.barcodes.read"

    def process_barcode_lot_id(self):
        res = super().process_barcode_lot_id()
        if not res and self.message_type == "success":
            # no serial number of that name: an asset's code, maybe
            res = self._process_barcode_asset()
        if res and not self._check_asset_rules():
            return False
        return res

    def web_read(self, specification):
        # the screens of stock_barcodes fill their to-do lines while they are
        # read (computed fields that write): in a read-only request that fails
        # and is retried with a warning in the log, on every screen opened
        return super().web_read(specification)

    web_read._readonly = False

    def action_confirm(self):
        res = super().action_confirm()
        # a button answers an action or nothing; stock_barcodes answers the move
        # lines it wrote ({id: quantity}), which the web client takes for an
        # action with unknown keys (a warning in the log on every scan)
        if isinstance(res, dict) and "type" not in res:
            return bool(res)
        return res

    def check_done_conditions(self):
        # also when the serial was typed, or chosen by the removal strategy
        return super().check_done_conditions() and self._check_asset_rules()

    # Business helpers ---------------------------------------------------------------
    def _get_scanned_asset(self, code):
        """``(asset, message)``: the asset ``code`` names among the companies the
        user works in, else an empty recordset and why (it names several assets)
        or None (it names none, or cannot be decoded: the app's "not found").

        The lookup is the addon's (plain SQL over the active assets of
        ``env.companies``, checked before sudo); sudo() only lets a stock user
        without asset rights read the asset of a serial it moves.
        """
        companies = self.env.companies
        Asset = self.env["stock.asset"].sudo()
        scan = Asset._classify_scanned_code(code) if code else None
        if not scan or not scan.valid:
            return Asset.browse(), None
        assets, message = Asset.with_context(
            allowed_company_ids=companies.ids
        )._resolve_scanned_codes([code])[code]
        if assets or message == scan.message:
            # found; or a decoding note (a broken EPC) of a code that names none
            return assets[:1], None
        return assets, message

    def _process_barcode_asset(self):
        """Read the scanned code as its asset's serial number: the serial's own
        processing runs (``process_barcode_lot_id``) with the serial's name as
        the barcode, then the barcode is put back to what was scanned."""
        scanned = self.barcode
        asset, message = self._get_scanned_asset(scanned)
        if message:
            self._set_message_info("more_match", message)
            return False
        if not asset.lot_id:
            if asset:
                self._set_message_info(
                    "not_found",
                    self.env._(
                        "asset %(asset)s has no serial number: it is not tracked "
                        "in stock",
                        asset=asset.code,
                    ),
                )
            return False
        self.barcode = asset.lot_id.name
        try:
            return super().process_barcode_lot_id()
        finally:
            self.barcode = scanned

    def _get_asset_refusal(self, asset):
        """Why this screen may not move ``asset`` (the addon's reason), or None.
        Screens that move stock override it (pickings: ``picking_type_code``)."""
        return None

    def _check_asset_rules(self):
        """Refuse the selected serial when its asset may not be moved here: the
        reason in the screen's message area, the serial unselected, nothing
        written on the picking."""
        if not self.lot_id:
            return True
        asset = self.lot_id.sudo().asset_id
        reason = asset and self._get_asset_refusal(asset)
        if not reason:
            return True
        self._set_message_info("more_match", reason)
        self.lot_id = False
        self.lot_name = False
        return False
