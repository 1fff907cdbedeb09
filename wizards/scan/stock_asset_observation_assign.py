# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ...models.common import selection_defaults
from ...tools import scan_codes


class StockAssetObservationAssign(models.TransientModel):
    """Assign an unknown scanned code to an existing asset (e.g. a newly tagged one)."""

    _name = "stock.asset.observation.assign"
    _description = "Assign Unknown Code to an Asset"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    observation_ids = fields.Many2many(
        "stock.asset.observation", string="Observations", check_company=True
    )
    code = fields.Char(compute="_compute_code")
    asset_id = fields.Many2one("stock.asset", required=True, check_company=True)
    set_epc = fields.Boolean(
        string="Write the EPC on the Asset",
        compute="_compute_set_epc",
        store=True,
        readonly=False,
        help="The code is an RFID EPC: store it on the asset so its next reads match.",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        res.update(
            selection_defaults(
                self.env, fields_list, "observation_ids", "stock.asset.observation"
            )
        )
        return res

    @api.depends("observation_ids")
    def _compute_code(self):
        for wizard in self:
            wizard.code = ", ".join(sorted(set(wizard.observation_ids.mapped("code"))))

    @api.depends("observation_ids")
    def _compute_set_epc(self):
        for wizard in self:
            codes = set(wizard.observation_ids.mapped("code"))
            wizard.set_epc = len(codes) == 1 and bool(
                scan_codes.classify(next(iter(codes))).epc_hex
            )

    def action_assign(self):
        self.ensure_one()
        observations = self.observation_ids.filtered(lambda o: o.status == "unknown")
        codes = set(observations.mapped("code"))
        if not codes:
            raise UserError(self.env._("Select unknown codes to assign."))
        if len(codes) > 1:
            raise UserError(
                self.env._(
                    "Assign one code at a time: %(codes)s.",
                    codes=", ".join(sorted(codes)),
                )
            )
        code = codes.pop()
        if self.set_epc:
            epc = scan_codes.classify(code).epc_hex
            if not epc:
                raise UserError(self.env._("%(code)s is not an RFID EPC.", code=code))
            if self.asset_id.epc and self.asset_id.epc != epc:
                raise UserError(
                    self.env._(
                        "Asset %(asset)s already has the EPC %(epc)s.",
                        asset=self.asset_id.code,
                        epc=self.asset_id.epc,
                    )
                )
            self.asset_id.epc = epc
        observations._assign(self.asset_id)
        return {"type": "ir.actions.act_window_close"}
