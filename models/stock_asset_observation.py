# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import scan_codes


class StockAssetObservation(models.Model):
    """One code seen in one scan batch: an asset's movement history, or an unknown
    tag waiting for triage."""

    _name = "stock.asset.observation"
    _description = "Asset Observation"
    _order = "last_seen desc, id desc"
    _rec_name = "code"
    _check_company_auto = True

    batch_id = fields.Many2one(
        "stock.asset.scan.batch", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    device_id = fields.Many2one("stock.asset.device", index=True, check_company=True)
    asset_id = fields.Many2one(
        "stock.asset", index=True, ondelete="cascade", check_company=True
    )
    code = fields.Char(required=True, index=True)
    status = fields.Selection(
        [("matched", "Matched"), ("unknown", "Unknown"), ("invalid", "Invalid")],
        required=True,
        index=True,
    )
    message = fields.Char()
    mode = fields.Char()
    epc_uri = fields.Char(string="EPC URI")
    gs1 = fields.Char(string="GS1 Element String")
    location_id = fields.Many2one("stock.location", index=True)
    previous_location_id = fields.Many2one("stock.location")
    first_seen = fields.Datetime()
    last_seen = fields.Datetime(index=True)
    read_count = fields.Integer(string="Reads")
    rssi = fields.Float(string="Best RSSI (dBm)", digits=(6, 1))
    antennas = fields.Char()
    applied = fields.Boolean(
        help="The observation updated the asset's last seen time (it was newer)."
    )
    moved = fields.Boolean(help="The observation moved the asset.")
    triage_state = fields.Selection(
        [("new", "To Triage"), ("assigned", "Assigned"), ("ignored", "Ignored")],
        index=True,
    )

    def action_create_asset(self):
        """Create one asset per unknown code (its EPC when the code is an EPC)."""
        unknown = self._unknown_to_triage()
        vals_list = []
        for code, observations in unknown.items():
            scan = scan_codes.classify(code)
            vals = {
                "name": self.env._("Asset tagged %(code)s", code=code),
                "company_id": observations[0].company_id.id,
                "location_id": observations[0].location_id.id,
            }
            if scan.epc_hex:
                vals["epc"] = scan.epc_hex
            else:
                vals["code"] = code
            vals_list.append(vals)
        assets = self.env["stock.asset"].create(vals_list)
        for asset, observations in zip(assets, unknown.values(), strict=True):
            self.browse([obs.id for obs in observations])._assign(asset)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_action"
        )
        action["domain"] = [("id", "in", assets.ids)]
        return action

    def action_ignore(self):
        self.filtered(lambda obs: obs.status == "unknown").triage_state = "ignored"
        return True

    def _unknown_to_triage(self):
        unknown = {}
        for observation in self:
            if observation.status != "unknown" or observation.asset_id:
                continue
            unknown.setdefault(observation.code, []).append(observation)
        if not unknown:
            raise UserError(self.env._("Select unknown codes that have no asset yet."))
        return unknown

    def _assign(self, asset):
        """Link these observations (and every other of the same codes) to ``asset``."""
        same = self.search(
            [
                ("code", "in", self.mapped("code")),
                ("status", "=", "unknown"),
                ("company_id", "=", asset.company_id.id),
            ]
        )
        (self | same).write(
            {"asset_id": asset.id, "status": "matched", "triage_state": "assigned"}
        )
