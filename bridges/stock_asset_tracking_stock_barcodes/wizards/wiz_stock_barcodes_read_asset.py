# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The asset screen of the barcode app: locate, audit, check out, check in.

One screen per mode, opened from ``stock_barcodes``' barcode actions. The
operator scans the location (locate, audit, check-in) or the holder's badge
(check-out), then the assets. Each asset scan is posted as a one-read native
batch through the scan API's own model method
(``stock.asset.scan.batch._api_post``, the one the "Scan Assets" screen and the
``POST /batches`` route call): the same decoding, the same rules, the same
observations and audit counts, applied whole or refused whole.
"""

import uuid

from odoo import api, fields, models

from odoo.addons.stock_asset_tracking.exceptions import ApiRefusal
from odoo.addons.stock_asset_tracking.tools.scan_codes import strip_code

ASSET_MODES = [
    ("observe", "Locate"),
    ("audit", "Audit"),
    ("checkout", "Check Out"),
    ("checkin", "Check In"),
]
# what a mode needs scanned before the assets: (kind, required)
MODE_TARGETS = {
    "observe": ("location", True),
    "audit": ("location", True),
    "checkout": ("holder", True),
    "checkin": ("location", False),
}


class WizStockBarcodesReadAsset(models.TransientModel):
    _name = "wiz.stock.barcodes.read.asset"
    _inherit = "wiz.stock.barcodes.read"
    _description = "Barcode app: asset scan screen"

    asset_mode = fields.Selection(
        ASSET_MODES, string="Mode", required=True, default="observe"
    )
    target_kind = fields.Selection(
        [("location", "Location"), ("holder", "Holder")],
        compute="_compute_target_kind",
    )
    target_code = fields.Char(
        readonly=True,
        help="The location or holder as scanned; posted with every asset scan.",
    )
    holder_id = fields.Many2one("res.partner", readonly=True)
    asset_id = fields.Many2one("stock.asset", string="Last Asset", readonly=True)
    asset_done_count = fields.Integer(string="Applied", readonly=True)
    manual_code = fields.Char(string="Code", help="A code typed instead of scanned.")

    @api.depends("asset_mode")
    def _compute_target_kind(self):
        for wizard in self:
            wizard.target_kind = MODE_TARGETS[wizard.asset_mode or "observe"][0]

    @api.onchange("asset_mode")
    def _onchange_asset_mode(self):
        self.update(
            {
                "target_code": False,
                "location_id": False,
                "holder_id": False,
                "asset_id": False,
                "barcode": False,
            }
        )
        self.action_show_step()

    def action_show_step(self):
        """The prompt of the screen: what to scan next."""
        self.step = 1
        kind, required = MODE_TARGETS[self.asset_mode or "observe"]
        if required and not self.target_code:
            prompt = (
                self.env._("Scan the location")
                if kind == "location"
                else self.env._("Scan the holder's badge")
            )
        elif kind == "location" and not self.target_code:
            prompt = self.env._("Scan the assets (or first the return location)")
        else:
            prompt = self.env._("Scan the assets")
        self.barcode = False
        self._set_message_info("info_page", prompt)

    def action_apply_manual_code(self):
        """The code typed in the screen's field, read as a scan."""
        self.ensure_one()
        code = self.manual_code
        self.manual_code = False
        if not code or not strip_code(code):
            return False
        self.barcode = strip_code(code)
        res = self.with_context(skip_notify_last_message=True).process_barcode(
            self.barcode
        )
        self._notify_last_message()
        return res

    def action_clear_target(self):
        self.write({"target_code": False, "location_id": False, "holder_id": False})
        self.action_show_step()
        return True

    def process_barcode(self, barcode):
        if not self:
            return super().process_barcode(barcode)
        self.ensure_one()
        code = strip_code(barcode or "")
        self.barcode = code
        if not code:
            return False
        kind, required = MODE_TARGETS[self.asset_mode]
        if required and not self.target_code:
            if self._set_scan_target(code):
                return self._scan_answered(True)
            asset, _message = self._get_scanned_asset(code)
            if asset:
                return self._scan_answered(
                    False,
                    self.env._("Scan the location first")
                    if kind == "location"
                    else self.env._("Scan the holder's badge first"),
                )
            return self._scan_not_found()
        asset, message = self._get_scanned_asset(code)
        if asset:
            return self._post_asset_scan(code)
        # a new location or holder: the next assets go there
        if self._set_scan_target(code):
            return self._scan_answered(True)
        if message:
            return self._scan_answered(False, message)
        return self._scan_not_found()

    # Business helpers ---------------------------------------------------------------
    def _set_scan_target(self, code):
        """Take ``code`` as the mode's location or holder; False when it names
        none (the addon's lookups of the scan API)."""
        kind = MODE_TARGETS[self.asset_mode][0]
        if kind == "location":
            location = self.env["stock.location"]._find_for_scan(code, self.env.user)
            if not location:
                return False
            self.update(
                {"target_code": code, "location_id": location, "holder_id": False}
            )
            name = location.complete_name
        else:
            holder = self.env["res.partner"]._asset_find_holder(code)
            if not holder:
                return False
            self.update(
                {"target_code": code, "holder_id": holder, "location_id": False}
            )
            name = holder.name
        self.action_show_step()
        self.barcode = code
        self._set_message_info(
            "success", self.env._("%(target)s: scan the assets", target=name)
        )
        return True

    def _prepare_scan_payload(self, code):
        """The native batch of one asset scan (see ``POST /batches``)."""
        payload = {
            "batch_id": f"stock_barcodes/{uuid.uuid4()}",
            "mode": self.asset_mode,
            "reads": [{"code": code}],
        }
        if self.target_code:
            payload[MODE_TARGETS[self.asset_mode][0]] = self.target_code
        return payload

    def _post_asset_scan(self, code):
        """Post one asset scan through the scan API's model method; show the
        outcome (the addon's reason when a rule refuses it)."""
        try:
            answer = self.env["stock.asset.scan.batch"]._api_post(
                self._prepare_scan_payload(code), source="native"
            )
        except ApiRefusal as error:
            return self._scan_answered(False, error.message)
        results = answer.get("results") or []
        result = results[0] if results else {}
        if answer.get("status") != "done" or not result:
            return self._scan_answered(
                False,
                answer.get("message")
                or self.env._("The scan could not be applied; scan it again."),
            )
        if result.get("asset_id"):
            self.asset_id = result["asset_id"]
        if result["status"] == "unknown":
            return self._scan_not_found()
        if result["status"] != "matched":
            return self._scan_answered(False, result.get("message"))
        self.asset_done_count += 1
        return self._scan_answered(True, self._get_done_message(result))

    def _get_done_message(self, result):
        asset = result.get("asset_code") or result["code"]
        mode = self.asset_mode
        if mode == "audit":
            return result.get("message") or self.env._("%(asset)s counted", asset=asset)
        if mode == "checkout":
            return self.env._(
                "%(asset)s checked out to %(holder)s",
                asset=asset,
                holder=self.holder_id.name,
            )
        if mode == "checkin":
            return self.env._("%(asset)s checked in", asset=asset)
        return self.env._(
            "%(asset)s located in %(location)s",
            asset=asset,
            location=self.location_id.complete_name,
        )

    def _scan_answered(self, ok, message=None):
        if message:
            self._set_message_info("success" if ok else "more_match", message)
        self.play_sounds(ok)
        return ok

    def _scan_not_found(self):
        """The app's own "not found" message, naming what was scanned."""
        self._set_message_info(
            "not_found", self.env._("Barcode not found with this screen values")
        )
        self.play_sounds(False)
        return False
