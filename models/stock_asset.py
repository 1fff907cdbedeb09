# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import scan_codes
from ..tools.scan_api import ApiError

EPC_HEX_RE = re.compile(r"^[0-9A-F]+$")
# Gen2 EPC memory is made of 16-bit words; an EPC is 16 to 496 bits long.
EPC_MIN_HEX, EPC_MAX_HEX = 4, 124


def normalize_epc(value):
    """Return the EPC as the contract stores it: upper-case hex, no blanks.

    Empty values become False so that the per-company uniqueness only binds set EPCs.
    """
    if not value:
        return False
    return re.sub(r"[\s:-]", "", value).upper() or False


class StockAsset(models.Model):
    _name = "stock.asset"
    _inherit = ["mail.thread", "mail.activity.mixin", "image.mixin"]
    _description = "Asset"
    _order = "code desc, id desc"
    _rec_names_search = ["name", "code", "epc", "lot_id.name"]
    _check_company_auto = True

    # Identity -------------------------------------------------------------------
    name = fields.Char(string="Description", required=True, tracking=True)
    code = fields.Char(
        string="Asset Tag",
        required=True,
        copy=False,
        index=True,
        default=lambda self: self.env._("New"),
        tracking=True,
        help="Printed on the asset's label; what a scanner reads. Unique per company. "
        "Left empty, it is taken from the asset tag sequence.",
    )
    epc = fields.Char(
        string="RFID EPC",
        copy=False,
        index=True,
        tracking=True,
        help="Electronic Product Code of the RFID tag, in hexadecimal "
        "(e.g. 3474257BF40000000000162E). Unique per company.",
    )
    gs1_identity = fields.Char(
        string="GS1 Identity",
        compute="_compute_gs1_identity",
        store=True,
        index=True,
        help="The GS1 key the RFID EPC encodes (GIAI, GRAI or GTIN + serial): "
        "a barcode carrying the same key finds this asset.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    category_id = fields.Many2one(
        "stock.asset.category",
        index=True,
        tracking=True,
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        tracking=True,
        check_company=True,
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", store=True, index=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        index=True,
        copy=False,
        tracking=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
    serial_number = fields.Char(related="lot_id.name", string="Serial")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    note = fields.Html(string="Notes")
    color = fields.Integer()

    # Ownership, place and custody ------------------------------------------------
    ownership = fields.Selection(
        [("company", "Company-owned"), ("customer", "Installed base (customer)")],
        required=True,
        default="company",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        help="The customer that owns an installed-base item.",
    )
    location_id = fields.Many2one(
        "stock.location",
        index=True,
        tracking=True,
        check_company=True,
        help="Where the item is, as last confirmed by a user or a scan.",
    )
    last_seen_date = fields.Datetime(
        string="Last Seen",
        readonly=True,
        copy=False,
        help="Time of the latest accepted scan or RFID observation.",
    )
    holder_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        copy=False,
        help="Who holds the item now; empty when it is in store.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_use", "In Use"),
            ("in_repair", "In Repair"),
            ("lost", "Lost"),
            ("disposed", "Disposed"),
        ],
        required=True,
        default="draft",
        copy=False,
        index=True,
        tracking=True,
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "An asset tag must be unique per company.",
        ),
        (
            "epc_company_uniq",
            "unique(epc, company_id)",
            "An RFID EPC must be unique per company.",
        ),
        (
            "lot_uniq",
            "unique(lot_id)",
            "A serial number belongs to one asset only.",
        ),
    ]

    observation_ids = fields.One2many(
        "stock.asset.observation", "asset_id", string="Movement History"
    )
    move_observation_ids = fields.One2many(
        "stock.asset.observation",
        "asset_id",
        string="Moves",
        domain=[("moved", "=", True)],
    )
    observation_count = fields.Integer(compute="_compute_observation_count")

    # Computes ----------------------------------------------------------------------
    @api.depends("epc")
    def _compute_gs1_identity(self):
        for asset in self:
            asset.gs1_identity = scan_codes.epc_identity_key(asset.epc)

    def _compute_observation_count(self):
        counts = dict(
            self.env["stock.asset.observation"]._read_group(
                [("asset_id", "in", self.ids)], ["asset_id"], ["__count"]
            )
        )
        for asset in self:
            asset.observation_count = counts.get(asset, 0)

    # Constraints -------------------------------------------------------------------
    @api.constrains("epc")
    def _check_epc(self):
        for asset in self.filtered("epc"):
            epc = asset.epc
            if not EPC_HEX_RE.match(epc):
                raise ValidationError(
                    self.env._(
                        "The EPC %(epc)s of asset %(code)s must be hexadecimal "
                        "(digits 0-9 and letters A-F).",
                        epc=epc,
                        code=asset.code,
                    )
                )
            if len(epc) % 4 or not EPC_MIN_HEX <= len(epc) <= EPC_MAX_HEX:
                raise ValidationError(
                    self.env._(
                        "The EPC %(epc)s of asset %(code)s has %(digits)s hexadecimal "
                        "digits: an EPC is a whole number of 16-bit words "
                        "(4 digits each), from 4 to 124 digits.",
                        epc=epc,
                        code=asset.code,
                        digits=len(epc),
                    )
                )

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for asset in self.filtered("lot_id"):
            if asset.product_id and asset.lot_id.product_id != asset.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s is of product %(lot_product)s, "
                        "not of %(product)s.",
                        lot=asset.lot_id.name,
                        lot_product=asset.lot_id.product_id.display_name,
                        product=asset.product_id.display_name,
                    )
                )

    @api.constrains("ownership", "partner_id")
    def _check_ownership_partner(self):
        for asset in self:
            if asset.ownership == "customer" and not asset.partner_id:
                raise ValidationError(
                    self.env._(
                        "Asset %(code)s is an installed-base item: set the customer "
                        "that owns it.",
                        code=asset.code,
                    )
                )

    # Onchanges -------------------------------------------------------------------
    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id
            if not self.name:
                self.name = self.lot_id.product_id.display_name
            if not self.location_id and self.lot_id.location_id:
                self.location_id = self.lot_id.location_id

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            if not self.name:
                self.name = self.product_id.display_name
            category = self.product_id.with_company(
                self.company_id or self.env.company
            ).asset_category_id
            if not self.category_id and category:
                self.category_id = category

    # CRUD -------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        new_label = self.env._("New")
        for vals in vals_list:
            if "epc" in vals:
                vals["epc"] = normalize_epc(vals["epc"])
            if not vals.get("code") or vals["code"] == new_label:
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["code"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("stock.asset")
                    or new_label
                )
        return super().create(vals_list)

    def write(self, vals):
        if "epc" in vals:
            vals["epc"] = normalize_epc(vals["epc"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        kept = self.filtered(lambda asset: asset.state != "draft")
        if kept:
            raise UserError(
                self.env._(
                    "Only draft assets can be deleted; archive or dispose of "
                    "%(codes)s instead.",
                    codes=", ".join(kept.mapped("code")),
                )
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for asset, vals in zip(self, vals_list, strict=True):
            if "name" not in (default or {}):
                vals["name"] = self.env._("%(name)s (copy)", name=asset.name)
        return vals_list

    # Actions ------------------------------------------------------------------------
    def action_confirm(self):
        """Draft assets enter service."""
        self._check_state_transition(("draft",), self.env._("put in use"))
        self.write({"state": "in_use"})
        return True

    def action_send_to_repair(self):
        self._check_state_transition(("in_use",), self.env._("send to repair"))
        self.write({"state": "in_repair"})
        return True

    def action_back_in_use(self):
        """Back from repair, or found again after being reported lost."""
        self._check_state_transition(
            ("in_repair", "lost"), self.env._("put back in use")
        )
        self.write({"state": "in_use"})
        return True

    def action_mark_lost(self):
        self._check_state_transition(("in_use", "in_repair"), self.env._("report lost"))
        self.write({"state": "lost"})
        return True

    def action_reset_to_draft(self):
        self._check_state_transition(("in_use",), self.env._("reset to draft"))
        self.write({"state": "draft"})
        return True

    def action_view_observations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_observation_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {"search_default_applied": 0}
        return action

    def action_open_lot(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.lot",
            "res_id": self.lot_id.id,
            "view_mode": "form",
            "name": self.lot_id.display_name,
        }

    # Business helpers -----------------------------------------------------------------
    def _check_state_transition(self, allowed_states, action_label):
        wrong = self.filtered(lambda asset: asset.state not in allowed_states)
        if wrong:
            state_labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(action)s: %(assets)s.",
                    action=action_label,
                    assets=", ".join(
                        f"{asset.code} ({state_labels[asset.state]})" for asset in wrong
                    ),
                )
            )

    @api.model
    def _prepare_asset_vals_from_lot(self, lot, category=False):
        """Values of a new asset for serial ``lot`` (used by the wizard and the flows
        that turn serials into assets)."""
        company = lot.company_id or self.env.company
        product = lot.product_id.with_company(company)
        return {
            "name": product.display_name,
            "product_id": product.id,
            "lot_id": lot.id,
            "category_id": (category or product.asset_category_id).id,
            "company_id": company.id,
            "location_id": lot.location_id.id,
        }

    @api.model
    def _find_by_scan_keys(self, wanted, company_ids):
        """Assets named by scan keys, in a few set-based queries.

        ``wanted`` maps a key kind (see ``tools/scan_codes``) to a set of values.
        Returns ``{(kind, value): [{"id", "code", "company_id"}, ...]}`` over the
        active assets of ``company_ids``: the company rule, applied explicitly
        because these are plain SQL reads.
        """
        found = defaultdict(list)
        cr = self.env.cr
        columns = {"epc": "epc", "gs1": "gs1_identity", "code": "code"}
        for kind, column in columns.items():
            values = list(wanted.get(kind, ()))
            if not values:
                continue
            cr.execute(
                f"""
                SELECT id, code, company_id, {column}
                  FROM stock_asset
                 WHERE {column} = ANY(%s) AND company_id = ANY(%s) AND active
                """,
                [values, company_ids],
            )
            for asset_id, code, company_id, value in cr.fetchall():
                found[(kind, value)].append(
                    {"id": asset_id, "code": code, "company_id": company_id}
                )
        serials = set(wanted.get("serial", ()))
        serials.update(serial for _gtin, serial in wanted.get("lot", ()))
        if serials:
            cr.execute(
                """
                SELECT a.id, a.code, a.company_id, l.name, p.barcode
                  FROM stock_asset a
                  JOIN stock_lot l ON l.id = a.lot_id
                  JOIN product_product p ON p.id = l.product_id
                 WHERE l.name = ANY(%s) AND a.company_id = ANY(%s) AND a.active
                """,
                [list(serials), company_ids],
            )
            lots = set(wanted.get("lot", ()))
            for asset_id, code, company_id, serial, barcode in cr.fetchall():
                asset = {"id": asset_id, "code": code, "company_id": company_id}
                if serial in wanted.get("serial", ()):
                    found[("serial", serial)].append(asset)
                gtin = scan_codes.gtin14(barcode)
                if gtin and (gtin, serial) in lots:
                    found[("lot", (gtin, serial))].append(asset)
        return found

    @api.model
    def _api_lookup(self, code):
        """One scanned code for a handheld: the per-code answer of a batch, plus
        the asset's whereabouts and status."""
        self.env["stock.asset.scan.batch"]._api_check_user()
        if not code or not code.strip():
            raise ApiError(400, "missing_field", self.env._("missing parameter: code"))
        scan = scan_codes.classify(code)
        answer = {
            "code": code,
            "epc_uri": scan.epc_uri,
            "gs1": scan.gs1,
            "status": "unknown",
            "asset_id": None,
            "asset_code": None,
        }
        if not scan.valid:
            answer.update(status="invalid", message=scan.message)
            return answer
        wanted = defaultdict(set)
        for kind, value in scan.keys:
            wanted[kind].add(value)
        found = self._find_by_scan_keys(wanted, self.env.user.company_ids.ids)
        picked, message = self.env["stock.asset.scan.batch"]._pick_asset(
            scan, found, self.env.company.id
        )
        if not picked:
            if message or scan.message:
                answer.update(status="invalid", message=message or scan.message)
            return answer
        asset = self.browse(picked["id"])
        answer.update(
            status="matched",
            asset_id=asset.id,
            asset_code=asset.code,
            name=asset.name,
            state=asset.state,
            location=(
                asset.location_id
                and {
                    "id": asset.location_id.id,
                    "name": asset.location_id.complete_name,
                    "barcode": asset.location_id.barcode or None,
                }
            )
            or None,
            holder=(
                asset.holder_id
                and {
                    "id": asset.holder_id.id,
                    "name": asset.holder_id.name,
                    "ref": asset.holder_id.ref or None,
                }
            )
            or None,
            last_seen_date=(
                asset.last_seen_date and asset.last_seen_date.isoformat() + "Z"
            )
            or None,
            calibration_state=asset._lookup_calibration_state(),
        )
        return answer

    def _lookup_calibration_state(self):
        """Calibration status for the lookup answer; None while no calibration
        module feeds it (the calibration issue overrides this)."""
        return None
