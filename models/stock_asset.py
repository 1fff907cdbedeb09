# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import drop_index

from ..tools import scan_codes
from ..tools.private_path import is_open, private_path
from .common import records_action, set_counts

# columns whose lookups the unique index of a SQL constraint serves
_SERVED_BY_UNIQUE = ("code", "epc", "lot_id")
# columns empty for most assets, indexed without NULLs (``btree_not_null``)
_NOT_NULL_INDEXED = ("partner_id", "holder_id", "parent_id", "next_audit_date")

EPC_HEX_RE = re.compile(r"^[0-9A-F]+$")
# Private path (see tools/private_path.py): the actions that change an asset's state.
STATE_PATH = "stock.asset.state"
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
        default=lambda self: self.env._("New"),
        tracking=True,
        help="Printed on the asset's label; what a scanner reads. Unique per company. "
        "Left empty, it is taken from the asset tag sequence.",
    )
    epc = fields.Char(
        string="RFID EPC",
        copy=False,
        tracking=True,
        help="Electronic Product Code of the RFID tag, in hexadecimal "
        "(e.g. 3474257BF40000000000162E). Unique per company.",
        groups="base.group_user",
    )
    gs1_identity = fields.Char(
        string="GS1 Identity",
        compute="_compute_gs1_identity",
        store=True,
        index=True,
        help="The GS1 key the RFID EPC encodes (GIAI, GRAI or GTIN + serial): "
        "a barcode carrying the same key finds this asset.",
        groups="base.group_user",
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
        groups="base.group_user",
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id",
        store=True,
        index=True,
        groups="base.group_user",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        copy=False,
        tracking=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
        groups="base.group_user",
    )
    serial_number = fields.Char(related="lot_id.name", string="Serial")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self._default_user(),
        groups="base.group_user",
    )
    note = fields.Html(string="Notes", groups="base.group_user")
    color = fields.Integer(groups="base.group_user")

    # Ownership, place and custody ------------------------------------------------
    ownership = fields.Selection(
        [("company", "Company-owned"), ("customer", "Installed base (customer)")],
        required=True,
        default="company",
        tracking=True,
        groups="base.group_user",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
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
        groups="base.group_user",
    )
    last_seen_date = fields.Datetime(
        string="Last Seen",
        readonly=True,
        copy=False,
        help="Time of the latest accepted scan or RFID observation.",
        groups="base.group_user",
    )
    holder_id = fields.Many2one(
        "res.partner",
        compute="_compute_custody_id",
        store=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        help="Who holds the item now, from its open custody record; empty when it "
        "is in store. Check the asset out and in to change it.",
        groups="base.group_user",
    )
    custody_ids = fields.One2many(
        "stock.asset.custody",
        "asset_id",
        string="Custody Ledger",
        copy=False,
        groups="base.group_user",
    )
    custody_id = fields.Many2one(
        "stock.asset.custody",
        string="Current Custody",
        compute="_compute_custody_id",
        store=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    custody_date_from = fields.Datetime(
        related="custody_id.date_from", string="Out Since", groups="base.group_user"
    )
    custody_date_due = fields.Datetime(
        related="custody_id.date_due", string="Due Back", groups="base.group_user"
    )
    custody_overdue = fields.Boolean(
        related="custody_id.is_overdue", string="Overdue", groups="base.group_user"
    )
    custody_count = fields.Integer(
        compute="_compute_custody_count", groups="base.group_user"
    )
    reservation_ids = fields.One2many(
        "stock.asset.reservation",
        "asset_id",
        string="Reservations",
        copy=False,
        groups="base.group_user",
    )
    reservation_count = fields.Integer(
        compute="_compute_custody_count", groups="base.group_user"
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

    # their unique indexes are the lookup indexes of code, epc and lot_id too: a
    # second index on those columns would cost every write of an asset
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
        "stock.asset.observation",
        "asset_id",
        string="Movement History",
        groups="base.group_user",
    )
    move_observation_ids = fields.One2many(
        "stock.asset.observation",
        "asset_id",
        string="Moves",
        domain=[("moved", "=", True)],
        groups="base.group_user",
    )
    observation_count = fields.Integer(
        compute="_compute_observation_count", groups="base.group_user"
    )

    # Computes ----------------------------------------------------------------------
    @api.model
    def _default_user(self):
        """The user who registers the asset is responsible for it; an asset the
        system creates (data files, imports and crons run as OdooBot) has nobody
        until someone is chosen, rather than OdooBot."""
        return self.env.user if not self.env.user._is_superuser() else False

    @api.depends("epc")
    def _compute_gs1_identity(self):
        for asset in self:
            asset.gs1_identity = scan_codes.epc_identity_key(asset.epc)

    def _compute_observation_count(self):
        set_counts(self, "observation_count", "stock.asset.observation", "asset_id")

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

    @api.constrains("category_id", "company_id", "ownership")
    def _check_category_register_company(self):
        """A register asset's category carries a journal and accounts of the
        asset's own company (the category checks it too, from its side)."""
        for asset in self.filtered(
            lambda a: a.category_id
            and a.ownership == "company"
            and a.state != "disposed"
        ):
            problem = asset.category_id._get_register_company_problem(asset.company_id)
            if problem:
                raise ValidationError(
                    self.env._(
                        "Asset %(code)s cannot take category %(category)s: "
                        "%(problem)s",
                        code=asset.code,
                        category=asset.category_id.display_name,
                        problem=problem,
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

    def _check_company(self, fnames=None):
        """Odoo's check, with the many2one fields checked once per company and
        field over the union of their values instead of once per asset: a
        delivery or a generation creates thousands of assets at once. The assets
        whose value is refused go through Odoo's check (and its message).

        Kept because Odoo's own is measurably too slow here (issue 16): on 5,000
        assets of one company with a category, a location and a holder, Odoo's
        ``_check_company`` takes 0.62 s and this one 0.14 s (best of 3, cold
        cache, test database, 2026-12-07). The installed-base delivery of 5,000
        items meets its 10 s goal at 9.43 s (bench/RESULTS.md): Odoo's check
        would take the rest of that margin."""
        if len(self) < 2:
            return super()._check_company(fnames)
        names = fnames
        if names is None or {"company_id", "company_ids"} & set(names):
            names = self._fields
        checked = [
            self._fields[name]
            for name in names
            if self._fields[name].relational and self._fields[name].check_company
        ]
        batched = [
            field.name
            for field in checked
            if field.type == "many2one" and not field.company_dependent
        ]
        others = [field.name for field in checked if field.name not in batched]
        suspects = set()
        assets = self.sudo().with_context(active_test=False)
        by_company = assets.grouped("company_id")
        for name in batched:
            for company, members in by_company.items():
                values = members.mapped(name)
                domain = values._check_company_domain(company)
                if not (values and domain):
                    continue
                refused = values - values.filtered_domain(domain)
                if refused:
                    suspects.update(
                        asset.id for asset in members if asset[name] in refused
                    )
        if others:
            super()._check_company(others)
        if suspects:
            super(StockAsset, self.browse(sorted(suspects)))._check_company(fnames)

    # Set-based writes (fast paths of the capabilities) ------------------------------
    @api.model
    def _bulk_reachable(self, ids, mode="write"):
        """The ids among ``ids`` the user may ``mode`` (access rights and record
        rules over all the user's companies: a batch or an audit reaches the
        assets of every company of its user, not only the active one), as a
        ``Query``. Raises ``AccessError`` when one of them is out of reach."""
        Asset = self.with_context(
            active_test=False,
            allowed_company_ids=list(self.env.user._get_company_ids()),
        )
        Asset.check_access(mode)
        ids = set(ids)
        query = Asset._search([("id", "in", list(ids))])
        if not self.env.su:
            self.env.cr.execute(query.select(SQL("count(*)")))
            missing = len(ids) - self.env.cr.fetchone()[0]
            if missing:
                raise AccessError(
                    self.env._(
                        "%(count)s of these %(total)s assets are out of your "
                        "reach: they belong to a company you do not belong to, "
                        "or were deleted.",
                        count=missing,
                        total=len(ids),
                    )
                )
        return query

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

    @api.depends("code", "name")
    def _compute_display_name(self):
        """The asset tag first, as Odoo shows a product's internal reference: three
        "Torque Wrench" rows of a ledger or a planning are told apart by it."""
        for asset in self:
            if asset.code and asset.name:
                asset.display_name = f"[{asset.code}] {asset.name}"
            else:
                asset.display_name = asset.name or asset.code or ""

    # CRUD -------------------------------------------------------------------------
    def init(self):
        # indexes of earlier versions that this one no longer wants (see the
        # fields): Odoo keeps an index it does not expect and does not remake
        # one under a known name, so they are dropped here, before it checks the
        # indexes and builds the partial ones
        self.env.cr.execute(
            SQL(
                """
                SELECT indexname FROM pg_indexes
                 WHERE tablename = 'stock_asset'
                   AND (indexname = ANY(%s)
                        OR (indexname = ANY(%s) AND strpos(indexdef, ' WHERE ') = 0))
                """,
                [f"stock_asset__{name}_index" for name in _SERVED_BY_UNIQUE],
                [f"stock_asset__{name}_index" for name in _NOT_NULL_INDEXED],
            )
        )
        for (name,) in self.env.cr.fetchall():
            drop_index(self.env.cr, name, "stock_asset")

    @api.model_create_multi
    def create(self, vals_list):
        self._check_register_access({key for vals in vals_list for key in vals})
        self._check_state_create(vals_list)
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
        assets = super().create(vals_list)
        assets._create_default_calibration_schedules()
        return assets

    def write(self, vals):
        if "epc" in vals:
            vals["epc"] = normalize_epc(vals["epc"])
        if "state" in vals:
            self._check_state_write(vals["state"])
        board_follows = self._check_register_write(vals)
        res = super().write(vals)
        if board_follows:
            self._on_register_write(vals)
        if vals.get("category_id"):
            self._create_default_calibration_schedules()
        return res

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
        self._write_state({"state": "in_use"})
        return True

    def action_send_to_repair(self):
        self._check_state_transition(("in_use",), self.env._("send to repair"))
        self._write_state({"state": "in_repair"})
        return True

    def action_back_in_use(self):
        """Back from repair, or found again after being reported lost."""
        self._check_state_transition(
            ("in_repair", "lost"), self.env._("put back in use")
        )
        self._write_state({"state": "in_use"})
        return True

    def action_mark_lost(self):
        self._check_state_transition(("in_use", "in_repair"), self.env._("report lost"))
        self._write_state({"state": "lost"})
        return True

    def action_reset_to_draft(self):
        """Back to draft, for an asset put in use by mistake: asset managers only
        (an asset in draft leaves the audits and the reminders)."""
        if not self.env.user.has_group("stock_asset_tracking.group_asset_manager"):
            raise AccessError(
                self.env._(
                    "Only asset managers may reset assets to draft (%(assets)s).",
                    assets=", ".join(self.mapped("display_name")[:5]),
                )
            )
        self._check_state_transition(("in_use",), self.env._("reset to draft"))
        self._write_state({"state": "draft"})
        return True

    def action_open_lot(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.lot",
            "res_id": self.lot_id.id,
            "view_mode": "form",
            "name": self.lot_id.display_name,
        }

    def _action_view_asset_records(self, xmlid, default=True, **context):
        """The window action ``xmlid`` on this asset's records (their ``asset_id``),
        as the smart buttons of the capabilities open them: with ``default``, the
        action's context is replaced by ``context`` and new records are for this
        asset; without, the action keeps its own context."""
        self.ensure_one()
        if default:
            context = {"default_asset_id": self.id, **context}
        return records_action(self, xmlid, "asset_id", context if default else None)

    # Calibration -------------------------------------------------------------------

    # Custody: check-out / check-in ----------------------------------------------------

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

    def _write_state(self, vals):
        """Write ``vals`` (a new ``state``, with what goes with it) for an action
        that applied its rules: the only way ``state`` changes."""
        with private_path(self.env, STATE_PATH):
            return self.write(vals)

    def _check_state_write(self, state):
        """A write of ``state`` from outside the actions is refused, whoever sends
        it (a form, an import, XML-RPC): disposing of an asset without its
        disposal entry would leave its value in the books."""
        if self.env.su or is_open(self.env, STATE_PATH):
            return
        changed = self.filtered(lambda asset: asset.state != state)
        if changed:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The status of %(assets)s cannot be set to %(state)s directly: "
                    "an asset's status changes through its actions only (put in "
                    "use, send to repair, report lost, put back in use, dispose of "
                    "in the register), which apply their rules.",
                    assets=", ".join(changed.mapped("code")),
                    state=labels.get(state, state),
                )
            )

    @api.model
    def _check_state_create(self, vals_list):
        """New assets start as drafts, unless server code (the installed-base
        handover, demo data) creates them in use through its private path."""
        if self.env.su or is_open(self.env, STATE_PATH):
            return
        wrong = [vals for vals in vals_list if vals.get("state", "draft") != "draft"]
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Asset %(asset)s cannot be created with the status %(state)s: "
                    "a new asset starts as a draft and its status changes through "
                    "its actions only.",
                    asset=wrong[0].get("code") or wrong[0].get("name") or "",
                    state=labels.get(wrong[0]["state"], wrong[0]["state"]),
                )
            )

    def _get_activity_user(self, candidates):
        """The first of ``candidates`` (users, in order) who may be given an activity
        about this asset: active, internal, not the superuser, a member of the
        asset's company; else the administrator."""
        self.ensure_one()
        for user in candidates:
            if (
                user.active
                and not user.share
                and not user._is_superuser()
                and self.company_id in user.company_ids
            ):
                return user
        return self.env.ref("base.user_admin")

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
