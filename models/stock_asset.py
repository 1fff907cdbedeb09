# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from collections import defaultdict
from fractions import Fraction

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_amount, format_date

from ..tools import scan_codes
from ..tools.depreciation import (
    BoardParams,
    Pause,
    PostedLine,
    ValueChange,
    compute_board,
    period_end,
    period_start,
)
from ..tools.private_path import is_open, private_path
from ..tools.scan_api import ApiError
from .stock_asset_category import METHOD_SELECTION, PERIOD_SELECTION
from .stock_asset_custody import UNAVAILABLE_STATES, format_moment
from .stock_asset_reservation import EARLY_PICKUP

EPC_HEX_RE = re.compile(r"^[0-9A-F]+$")
# Calibration status of an instrument (contract), worst last.
CALIBRATION_STATES = [
    ("none", "No Calibration"),
    ("valid", "Valid"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("out_of_tolerance", "Out of Tolerance"),
    ("out_of_service", "Out of Service"),
]
CALIBRATION_STATE_RANK = {
    state: rank for rank, (state, _label) in enumerate(CALIBRATION_STATES)
}
# An instrument in one of these calibration states may not be checked out nor used.
CALIBRATION_BLOCKING_STATES = ("overdue", "out_of_tolerance", "out_of_service")
# An instrument in one of these asset states is out of service.
CALIBRATION_OUT_OF_SERVICE_ASSET_STATES = ("in_repair", "lost", "disposed")
# The values the depreciation board is computed from.
REGISTER_BOARD_FIELDS = frozenset(
    {
        "acquisition_date",
        "original_value",
        "salvage_value",
        "method",
        "method_number",
        "method_period",
        "degressive_factor",
        "prorata",
    }
)
# Private paths (see tools/private_path.py): the actions that change an asset's
# state, and the register changes that rewrite values with posted depreciation.
STATE_PATH = "stock.asset.state"
REGISTER_CHANGE_PATH = "stock.asset.register_change"
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
        index=True,
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
        default=lambda self: self.env.user,
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
        index=True,
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

    # Calibration (measuring instruments) -------------------------------------------
    calibration_schedule_ids = fields.One2many(
        "stock.asset.calibration.schedule",
        "asset_id",
        string="Calibration Schedules",
        groups="base.group_user",
    )
    calibration_state = fields.Selection(
        CALIBRATION_STATES,
        string="Calibration Status",
        compute="_compute_calibration_state",
        store=True,
        index=True,
        help="From the instrument's active calibration schedules: the worst of "
        "them. Overdue, out-of-tolerance and out-of-service instruments can "
        "neither be checked out nor used. Recomputed daily as dates pass.",
        groups="base.group_user",
    )
    calibration_due_date = fields.Date(
        string="Calibration Due",
        compute="_compute_calibration_due_date",
        store=True,
        help="The earliest next due date of the instrument's active schedules.",
        groups="base.group_user",
    )
    calibration_withdrawn = fields.Boolean(
        string="Withdrawn from Service",
        copy=False,
        tracking=True,
        help="Taken out of service (overloaded, mishandled, questionable results) "
        "until it is verified again: out of service whatever its schedules say.",
        groups="base.group_user",
    )
    calibration_count = fields.Integer(
        compute="_compute_calibration_count", groups="base.group_user"
    )
    usage_count = fields.Integer(
        compute="_compute_calibration_count", groups="base.group_user"
    )
    impact_count = fields.Integer(
        compute="_compute_calibration_count", groups="base.group_user"
    )

    # Installed base (customer items; set by deliveries) ----------------------------
    installation_state = fields.Selection(
        [("installed", "Installed"), ("returned", "Returned")],
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Installed: at the customer since its last delivery. Returned: back "
        "from the customer, its coverage ended on the return.",
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The delivery address where the customer's item is installed.",
        groups="base.group_user",
    )
    site_address = fields.Char(compute="_compute_site_address", compute_sudo=True)
    delivery_date = fields.Date(readonly=True, copy=False, tracking=True)
    delivery_picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The delivery that last handed the item over to the customer.",
        groups="base.group_user",
    )
    sale_line_ref = fields.Reference(
        [("sale.order.line", "Sales Order Line")],
        string="Sales Order Line",
        readonly=True,
        copy=False,
        help="The sales order line of that delivery (when Sales is installed).",
        groups="base.group_user",
    )
    return_date = fields.Date(readonly=True, copy=False)
    return_picking_id = fields.Many2one(
        "stock.picking",
        string="Return",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )
    warranty_start_date = fields.Date(tracking=True, copy=False)
    warranty_end_date = fields.Date(
        tracking=True,
        copy=False,
        help="Last day covered by the warranty; a return from the customer ends "
        "the coverage on the return date.",
    )
    warranty_state = fields.Selection(
        [("in_warranty", "In Warranty"), ("expired", "Expired"), ("none", "None")],
        string="Warranty",
        compute="_compute_warranty_state",
        search="_search_warranty_state",
    )
    service_ids = fields.One2many(
        "stock.asset.service",
        "asset_id",
        string="Service History",
        groups="base.group_user",
    )
    service_count = fields.Integer(
        compute="_compute_service_count", groups="base.group_user"
    )
    repair_count = fields.Integer(
        compute="_compute_repair_count",
        help="Repair orders of the serial number (when Repairs is installed).",
        groups="base.group_user",
    )

    # Physical audits ---------------------------------------------------------------
    last_audit_date = fields.Date(
        readonly=True,
        copy=False,
        help="Closing date of the latest audit that found the item.",
        groups="base.group_user",
    )
    next_audit_date = fields.Date(
        readonly=True,
        copy=False,
        index=True,
        help="When the item is due for its next audit: the latest audit plus the "
        "audit interval of its category.",
        groups="base.group_user",
    )

    # Fixed-asset register (company-owned items) -------------------------------------
    acquisition_date = fields.Date(
        tracking=True,
        copy=False,
        help="Start of depreciation: the first period is the one containing it.",
        groups="base.group_user",
    )
    original_value = fields.Monetary(
        tracking=True,
        copy=False,
        help="Depreciable cost base in the company currency (the vendor bill's "
        "amount when the asset comes from one).",
        groups="base.group_user",
    )
    salvage_value = fields.Monetary(
        tracking=True,
        help="Part of the value that is not depreciated.",
        groups="base.group_user",
    )
    method = fields.Selection(
        METHOD_SELECTION,
        string="Depreciation Method",
        compute="_compute_register_defaults",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        groups="base.group_user",
    )
    method_number = fields.Integer(
        string="Number of Periods",
        compute="_compute_register_defaults",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        groups="base.group_user",
    )
    method_period = fields.Selection(
        PERIOD_SELECTION,
        string="Period Length",
        compute="_compute_register_defaults",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        groups="base.group_user",
    )
    degressive_factor = fields.Float(
        digits=(16, 4),
        compute="_compute_register_defaults",
        store=True,
        readonly=False,
        precompute=True,
        help="Yearly rate of the degressive methods (0.3 = 30 %).",
        groups="base.group_user",
    )
    prorata = fields.Boolean(
        string="Prorata Temporis",
        compute="_compute_register_defaults",
        store=True,
        readonly=False,
        precompute=True,
        help="The first period is charged from the acquisition date only, and the "
        "board gets one more period carrying the rest.",
        groups="base.group_user",
    )
    book_value = fields.Monetary(
        compute="_compute_register_values",
        store=True,
        help="Value not yet depreciated, salvage value included: original value, "
        "revaluations and impairments, less the posted depreciation (0 once "
        "disposed).",
        groups="base.group_user",
    )
    depreciated_value = fields.Monetary(
        string="Depreciated",
        compute="_compute_register_values",
        store=True,
        groups="base.group_user",
    )
    value_residual = fields.Monetary(
        string="Left to Depreciate",
        compute="_compute_register_values",
        store=True,
        help="Book value less salvage value.",
        groups="base.group_user",
    )
    depreciation_line_ids = fields.One2many(
        "stock.asset.depreciation.line",
        "asset_id",
        string="Depreciation Board",
        copy=False,
        groups="base.group_user",
    )
    register_change_ids = fields.One2many(
        "stock.asset.register.change",
        "asset_id",
        string="Register Changes",
        copy=False,
        groups="base.group_user",
    )
    depreciation_paused = fields.Boolean(
        compute="_compute_depreciation_paused",
        store=True,
        help="Depreciation is suspended until it is resumed.",
        groups="base.group_user",
    )
    acquisition_origin = fields.Selection(
        [("manual", "By Hand"), ("bill", "Vendor Bill"), ("receipt", "Receipt")],
        required=True,
        default="manual",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Vendor Bill Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id",
        string="Vendor Bill",
        groups="base.group_user",
    )
    disposal_date = fields.Date(
        readonly=True, copy=False, tracking=True, groups="base.group_user"
    )
    disposal_type = fields.Selection(
        [("sale", "Sale"), ("scrap", "Scrap")],
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    disposal_proceeds = fields.Monetary(
        readonly=True, copy=False, groups="base.group_user"
    )
    disposal_move_id = fields.Many2one(
        "account.move",
        string="Disposal Entry",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    register_entry_count = fields.Integer(
        compute="_compute_register_entry_count", groups="base.group_user"
    )
    register_readonly = fields.Boolean(
        compute="_compute_register_readonly",
        help="The current user may read but not change the register values.",
        groups="base.group_user",
    )

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

    @api.depends(
        "state",
        "calibration_withdrawn",
        "calibration_schedule_ids.active",
        "calibration_schedule_ids.failure_state",
        "calibration_schedule_ids.next_due_date",
        "calibration_schedule_ids.due_soon_date",
    )
    def _compute_calibration_state(self):
        # the same rule as the daily set-based recomputation (schedule model)
        states = self.env["stock.asset.calibration.schedule"]._calibration_states_of(
            self, fields.Date.context_today(self)
        )
        for asset in self:
            asset.calibration_state = states[asset]

    @api.depends(
        "calibration_schedule_ids.active", "calibration_schedule_ids.next_due_date"
    )
    def _compute_calibration_due_date(self):
        for asset in self:
            dates = asset.calibration_schedule_ids.filtered("active").mapped(
                "next_due_date"
            )
            asset.calibration_due_date = min(dates) if dates else False

    def _compute_calibration_count(self):
        counters = {}
        counted = ("stock.asset.calibration", "stock.asset.usage", "stock.asset.impact")
        for model in counted:
            counters[model] = dict(
                self.env[model]._read_group(
                    [("asset_id", "in", self.ids)], ["asset_id"], ["__count"]
                )
            )
        for asset in self:
            asset.calibration_count = counters["stock.asset.calibration"].get(asset, 0)
            asset.usage_count = counters["stock.asset.usage"].get(asset, 0)
            asset.impact_count = counters["stock.asset.impact"].get(asset, 0)

    @api.depends("custody_ids.date_returned", "custody_ids.holder_id")
    def _compute_custody_id(self):
        for asset in self:
            custody = asset.custody_ids.filtered(
                lambda line: not line.date_returned
            ).sorted("date_from", reverse=True)[:1]
            asset.custody_id = custody
            asset.holder_id = custody.holder_id

    def _compute_custody_count(self):
        custody = dict(
            self.env["stock.asset.custody"]._read_group(
                [("asset_id", "in", self.ids)], ["asset_id"], ["__count"]
            )
        )
        reservations = dict(
            self.env["stock.asset.reservation"]._read_group(
                [("asset_id", "in", self.ids), ("state", "=", "confirmed")],
                ["asset_id"],
                ["__count"],
            )
        )
        for asset in self:
            asset.custody_count = custody.get(asset, 0)
            asset.reservation_count = reservations.get(asset, 0)

    @api.depends("site_partner_id")
    def _compute_site_address(self):
        for asset in self:
            site = asset.site_partner_id
            lines = site._display_address(without_company=True).splitlines()
            parts = [site.display_name] + [line.strip() for line in lines]
            asset.site_address = ", ".join(filter(None, parts)) if site else False

    @api.depends("warranty_end_date", "installation_state")
    def _compute_warranty_state(self):
        # a return ends the coverage, whatever the end date says
        today = fields.Date.context_today(self)
        for asset in self:
            end = asset.warranty_end_date
            if not end:
                asset.warranty_state = "none"
            elif end >= today and asset.installation_state != "returned":
                asset.warranty_state = "in_warranty"
            else:
                asset.warranty_state = "expired"

    def _search_warranty_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the warranty status."))
        today = fields.Date.context_today(self)
        by_state = {
            "none": [("warranty_end_date", "=", False)],
            "in_warranty": [
                "&",
                ("warranty_end_date", ">=", today),
                ("installation_state", "!=", "returned"),
            ],
            "expired": [
                "|",
                ("warranty_end_date", "<", today),
                "&",
                ("warranty_end_date", "!=", False),
                ("installation_state", "=", "returned"),
            ],
        }
        wanted = {value or "none"} if isinstance(value, str | bool) else set(value)
        if operator in ("!=", "not in"):
            wanted = set(by_state) - wanted
        domains = [by_state[state] for state in by_state if state in wanted]
        if not domains:
            return [("id", "=", False)]
        return ["|"] * (len(domains) - 1) + [leaf for dom in domains for leaf in dom]

    def _compute_service_count(self):
        counts = dict(
            self.env["stock.asset.service"]._read_group(
                [("asset_id", "in", self.ids)], ["asset_id"], ["__count"]
            )
        )
        for asset in self:
            asset.service_count = counts.get(asset, 0)

    @api.depends_context("uid")
    def _compute_repair_count(self):
        # soft link: repair.order exists only when Repairs is installed
        Repair = self.env.get("repair.order")
        counts = {}
        if Repair is not None and Repair.has_access("read") and self.lot_id:
            counts = dict(
                Repair._read_group(
                    [("lot_id", "in", self.lot_id.ids)], ["lot_id"], ["__count"]
                )
            )
        for asset in self:
            asset.repair_count = counts.get(asset.lot_id, 0) if asset.lot_id else 0

    @api.depends("category_id")
    def _compute_register_defaults(self):
        # Assets with posted depreciation keep their method: only the Modify
        # wizard changes it then.
        frozen = self._get_ids_with_lines(posted_only=True)
        for asset in self:
            category = asset.category_id
            if category and asset._origin.id not in frozen:
                asset.method = category.method
                asset.method_number = category.method_number
                asset.method_period = category.method_period
                asset.degressive_factor = category.degressive_factor
                asset.prorata = category.prorata
            else:
                asset.method = asset.method or "linear"
                asset.method_number = asset.method_number or 5
                asset.method_period = asset.method_period or "12"
                asset.degressive_factor = asset.degressive_factor or 0.3
                asset.prorata = asset.prorata

    @api.depends(
        "original_value",
        "salvage_value",
        "state",
        "depreciation_line_ids.amount",
        "depreciation_line_ids.state",
        "register_change_ids.amount",
    )
    def _compute_register_values(self):
        ids = [asset._origin.id for asset in self if asset._origin.id]
        depreciated, changes = {}, {}
        if ids:
            depreciated = {
                asset.id: amount
                for asset, amount in self.env["stock.asset.depreciation.line"]
                .sudo()
                ._read_group(
                    [("asset_id", "in", ids), ("state", "=", "posted")],
                    ["asset_id"],
                    ["amount:sum"],
                )
            }
            changes = {
                asset.id: amount
                for asset, amount in self.env["stock.asset.register.change"]
                .sudo()
                ._read_group(
                    [
                        ("asset_id", "in", ids),
                        ("kind", "in", ("revaluation", "impairment")),
                    ],
                    ["asset_id"],
                    ["amount:sum"],
                )
            }
        for asset in self:
            currency = asset.currency_id or self.env.company.currency_id
            done = depreciated.get(asset._origin.id, 0.0)
            book = currency.round(
                asset.original_value + changes.get(asset._origin.id, 0.0) - done
            )
            if asset.state == "disposed":
                book = 0.0
            asset.depreciated_value = done
            asset.book_value = book
            asset.value_residual = (
                currency.round(book - asset.salvage_value) if book else 0.0
            )

    @api.depends("register_change_ids.kind", "register_change_ids.resume_date")
    def _compute_depreciation_paused(self):
        for asset in self:
            asset.depreciation_paused = any(
                change.kind == "pause" and not change.resume_date
                for change in asset.register_change_ids
            )

    def _compute_register_entry_count(self):
        """Each asset's entries (its own, and the grouped depreciation entries its
        lines are in), counted once each: two grouped reads for all the assets
        (the domain of ``_get_register_entries_domain``)."""
        ids = [asset_id for asset_id in self._origin.ids if asset_id]
        entries = defaultdict(set)
        if ids:
            own = (
                self.env["account.move"]
                .sudo()
                ._read_group([("asset_id", "in", ids)], ["asset_id"], ["id:array_agg"])
            )
            grouped = (
                self.env["stock.asset.depreciation.line"]
                .sudo()
                ._read_group(
                    [("asset_id", "in", ids), ("move_id", "!=", False)],
                    ["asset_id"],
                    ["move_id:array_agg"],
                )
            )
            for asset, move_ids in own + grouped:
                entries[asset.id].update(move_ids)
        for asset in self:
            asset.register_entry_count = len(entries[asset._origin.id])

    @api.depends_context("uid")
    def _compute_register_readonly(self):
        readonly = not self.env.user.has_group(
            "stock_asset_tracking.group_asset_accountant"
        )
        for asset in self:
            asset.register_readonly = readonly or asset.state == "disposed"

    @api.constrains(
        "original_value",
        "salvage_value",
        "method",
        "method_number",
        "degressive_factor",
        "ownership",
    )
    def _check_register_values(self):
        for asset in self:
            if asset.original_value < 0 or asset.salvage_value < 0:
                raise ValidationError(
                    self.env._(
                        "The original and salvage values of asset %(code)s cannot "
                        "be negative.",
                        code=asset.code,
                    )
                )
            if asset.salvage_value > asset.original_value:
                raise ValidationError(
                    self.env._(
                        "The salvage value of asset %(code)s exceeds its original "
                        "value.",
                        code=asset.code,
                    )
                )
            if asset.method_number < 1:
                raise ValidationError(
                    self.env._(
                        "Asset %(code)s needs at least one depreciation period.",
                        code=asset.code,
                    )
                )
            if asset.method != "linear" and asset.degressive_factor <= 0:
                raise ValidationError(
                    self.env._(
                        "The degressive rate of asset %(code)s must be positive.",
                        code=asset.code,
                    )
                )
            if asset.ownership == "customer" and asset.original_value:
                raise ValidationError(
                    self.env._(
                        "Asset %(code)s belongs to a customer: it has no place in "
                        "the company's fixed-asset register.",
                        code=asset.code,
                    )
                )

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
        whose value is refused go through Odoo's check (and its message)."""
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted_depreciation(self):
        if self._get_ids_with_lines(posted_only=True):
            raise UserError(
                self.env._(
                    "Assets with posted depreciation cannot be deleted; dispose of "
                    "them instead."
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
        self._check_state_transition(("in_use",), self.env._("reset to draft"))
        self._write_state({"state": "draft"})
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

    # Calibration -------------------------------------------------------------------
    def action_withdraw_from_service(self):
        """Take instruments out of service (overloaded, mishandled, doubtful)."""
        self.write({"calibration_withdrawn": True})
        return True

    def action_return_to_service(self):
        self.write({"calibration_withdrawn": False})
        return True

    def action_view_calibrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_calibration_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {"default_asset_id": self.id}
        return action

    def action_view_usage(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_usage_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {"default_asset_id": self.id}
        return action

    def action_view_impacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_impact_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        return action

    def _create_default_calibration_schedules(self):
        """Instruments of a category with a calibration interval get its schedule
        (due today: a new instrument is calibrated before its first use)."""
        Schedule = self.env["stock.asset.calibration.schedule"]
        vals_list = []
        for asset in self:
            category = asset.category_id
            if not category.calibration_interval_days:
                continue
            kind = (
                category.calibration_kind_id
                or self.env["stock.asset.calibration.kind"]._get_default_kind()
            )
            planned = asset.with_context(active_test=False).calibration_schedule_ids
            if kind and kind not in planned.kind_id:
                vals_list.append({"asset_id": asset.id, "kind_id": kind.id})
        # sudo: users who may create assets get their instruments' plan with them
        return Schedule.sudo().create(vals_list)

    # Custody: check-out / check-in ----------------------------------------------------
    def action_checkout(
        self,
        holder,
        date_due=None,
        note=None,
        location_to=None,
        date_from=None,
        signature=None,
        signed_by=None,
    ):
        """Check the assets out to ``holder`` (a contact, record or id): one custody
        record each, in one create. Fulfils the holder's matching reservations.
        Raises UserError naming every refused asset and why; then nothing is done.
        """
        self._checkout(
            self.env["res.partner"].browse(getattr(holder, "id", holder) or []),
            date_due=date_due,
            note=note,
            location_to=self.env["stock.location"].browse(
                getattr(location_to, "id", location_to) or []
            ),
            date_from=date_from,
            signature=signature,
            signed_by=signed_by,
        )
        return True

    def action_checkin(self, note=None, location=None, date_returned=None):
        """Check the assets back in (closes their open custody records); ``location``
        (record or id) is where they are put back. Raises UserError when one of them
        is not out."""
        self._checkin(
            note=note,
            location=self.env["stock.location"].browse(
                getattr(location, "id", location) or []
            ),
            date_returned=date_returned,
        )
        return True

    def action_open_checkout_wizard(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_checkout_action"
        )
        action["context"] = {"default_asset_ids": self.ids}
        return action

    def action_open_checkin_wizard(self):
        self._check_checkin_allowed(raise_if_refused=True)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_checkin_action"
        )
        action["context"] = {"default_asset_ids": self.ids}
        return action

    def action_view_custody(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_custody_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {"default_asset_id": self.id}
        return action

    def action_view_reservations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_reservation_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {
            "default_asset_id": self.id,
            "search_default_upcoming": 1,
        }
        return action

    def action_view_services(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_service_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {"default_asset_id": self.id}
        return action

    def action_view_repairs(self):
        """The repair orders of the serial (only offered when Repairs is
        installed: see ``repair_count``)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repair.action_repair_order_tree"
        )
        action["domain"] = [("lot_id", "=", self.lot_id.id)]
        action["context"] = {
            "default_product_id": self.product_id.id,
            "default_lot_id": self.lot_id.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_compute_board(self):
        """(Re)build the draft lines of the depreciation boards of ``self``.

        Posted lines are kept as they are; what remains is re-spread over the
        remaining periods (see ``tools/depreciation.py``).
        """
        self.env["stock.asset.depreciation.line"].check_access("create")
        self._compute_depreciation_boards()
        return True

    def action_post_until(self, date):
        """Post every draft depreciation line of ``self`` dated on or before
        ``date``; return the entries as an action, or True when there is none.

        An asset (or grouped category) whose configuration or period forbids
        posting is skipped with its reason (noted on the asset) and the others
        post: the answer is then a warning notification listing the skipped
        assets, followed by the entries. Raises when nothing could be posted.
        """
        moves, skips = self._post_depreciation_until(date)
        lines = self.env["stock.asset.depreciation.line"]
        if skips and not moves:
            raise UserError(
                self.env._(
                    "No depreciation was posted:\n%(skipped)s",
                    skipped=lines._format_post_skips(skips),
                )
            )
        action = (
            self._action_view_moves(moves, self.env._("Depreciation Entries"))
            if moves
            else False
        )
        if skips:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": self.env._(
                        "Depreciation of %(count)s asset(s) not posted",
                        count=len({a for skip, _r in skips for a in skip.asset_id.ids}),
                    ),
                    "message": lines._format_post_skips(skips),
                    "next": action,
                },
            }
        return action or True

    def _post_depreciation_until(self, date):
        """Post the draft depreciation lines of ``self`` dated on or before
        ``date``, entry by entry; return ``(moves, skips)`` (see
        ``stock.asset.depreciation.line._post_depreciation_isolated``), the
        skipped assets noted."""
        lines_model = self.env["stock.asset.depreciation.line"]
        lines_model.check_access("write")
        try:
            day = fields.Date.to_date(date)
        except (TypeError, ValueError):
            day = None
        if not day:
            raise UserError(self.env._("Give the date to post the depreciation up to."))
        assets = self.filtered(lambda asset: asset.state != "disposed")
        with_board = assets._get_ids_with_lines()
        without_board = assets.filtered(
            lambda asset: asset.id not in with_board and asset._is_register_ready()
        )
        without_board._compute_depreciation_boards()
        lines = lines_model.search(
            [
                ("asset_id", "in", assets.ids),
                ("state", "=", "draft"),
                ("date", "<=", day),
            ],
            order="date, id",
        )
        moves, skips = lines._post_depreciation_isolated()
        lines_model._record_post_skips(skips)
        return moves, skips

    def action_view_register_entries(self):
        self.ensure_one()
        moves = self.env["account.move"].search(self._get_register_entries_domain())
        return self._action_view_moves(
            moves, self.env._("Entries of %(asset)s", asset=self.code)
        )

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

    def _check_checkout_allowed(self, holder, date_from=None, date_due=None):
        """Why each asset of ``self`` may not go out to ``holder`` for the period
        ``[date_from, date_due)`` (``date_due`` None: no return date).

        Returns ``{asset_id: [message, ...]}`` with the refused assets only; every
        message names the asset and the conflict. This is the extension point of the
        check-out rules (calibration adds "calibration overdue"): override it, call
        super() and add your messages to the dict.
        """
        date_from = date_from or fields.Datetime.now()
        refusals = defaultdict(list)
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        for asset in self:
            if not holder:
                refusals[asset.id].append(
                    self.env._(
                        "%(asset)s cannot go out without a holder: choose who takes "
                        "it.",
                        asset=asset.code,
                    )
                )
            elif holder.company_id and holder.company_id != asset.company_id:
                refusals[asset.id].append(
                    self.env._(
                        "%(asset)s belongs to %(company)s and cannot go out to "
                        "%(holder)s, a contact of another company "
                        "(%(holder_company)s).",
                        asset=asset.code,
                        company=asset.company_id.name,
                        holder=holder.name,
                        holder_company=holder.company_id.name,
                    )
                )
            if asset.state in UNAVAILABLE_STATES:
                refusals[asset.id].append(
                    self.env._(
                        "%(asset)s is %(state)s and cannot go out.",
                        asset=asset.code,
                        state=state_labels[asset.state].lower(),
                    )
                )
            if asset.custody_id:
                refusals[asset.id].append(
                    self.env._(
                        "%(asset)s is already out with %(holder)s since %(date)s.",
                        asset=asset.code,
                        holder=asset.custody_id.holder_id.name,
                        date=format_moment(self.env, asset.custody_id.date_from),
                    )
                )
        if holder:
            self._check_reservation_conflicts(holder, date_from, date_due, refusals)
        for asset_id, message in self._get_calibration_refusals("checkout").items():
            refusals[asset_id].append(message)
        return dict(refusals)

    def _check_reservation_conflicts(self, holder, date_from, date_due, refusals):
        """Add to ``refusals`` the assets that others reserved for the period, and
        those whose check-out would leave "any asset of the category" bookings of
        others without an asset."""
        Reservation = self.env["stock.asset.reservation"]
        overlap = [("date_end", ">", date_from)]
        if date_due:
            overlap.append(("date_start", "<", date_due))
        for reservation in Reservation.search(
            [
                ("state", "=", "confirmed"),
                ("asset_id", "in", self.ids),
                ("holder_id", "!=", holder.id),
                *overlap,
            ]
        ):
            refusals[reservation.asset_id.id].append(
                self.env._(
                    "%(asset)s is reserved by %(holder)s from %(start)s to %(end)s.",
                    asset=reservation.asset_id.code,
                    holder=reservation.holder_id.name,
                    start=format_moment(self.env, reservation.date_start),
                    end=format_moment(self.env, reservation.date_end),
                )
            )
        candidates = self.filtered(
            lambda asset: asset.id not in refusals and asset.category_id
        )
        if not candidates:
            return
        matched = candidates._match_reservations(holder, date_from)
        fulfilled = Reservation.browse([r.id for r in matched.values()])
        groups = defaultdict(lambda: self.browse())
        for asset in candidates:
            groups[asset.category_id, asset.company_id] |= asset
        for (category, company), assets in groups.items():
            capacity, peak, bookings = Reservation._category_load(
                category,
                company,
                date_from,
                date_due,
                exclude_reservations=fulfilled,
                exclude_assets=assets,
            )
            others = bookings.filtered(lambda r: r.holder_id != holder)
            if not others:
                continue
            # the assets fulfilling a booking of the holder go first
            ordered = assets.sorted(key=lambda asset: asset.id not in matched)
            for asset in ordered[max(capacity - peak, 0) :]:
                refusals[asset.id].append(
                    self.env._(
                        "%(asset)s cannot go out: the other %(category)s assets would "
                        "not cover the %(count)s reservation(s) of any %(category)s "
                        "asset from %(start)s to %(end)s.",
                        asset=asset.code,
                        category=category.name,
                        count=len(others),
                        start=format_moment(self.env, min(others.mapped("date_start"))),
                        end=format_moment(self.env, max(others.mapped("date_end"))),
                    )
                )

    def _match_reservations(self, holder, date_from, reservation=None):
        """The confirmed reservations of ``holder`` that checking ``self`` out at
        ``date_from`` fulfils: ``{asset_id: reservation}``. A reservation of the asset
        itself first, else the first "any asset of the category" one; each
        reservation is fulfilled once. Reservations match when they have not ended
        and start within a day; ``reservation`` (from the reservation's own check-out
        button) matches whatever its dates."""
        Reservation = self.env["stock.asset.reservation"]
        domain = [
            ("state", "=", "confirmed"),
            ("holder_id", "=", holder.id),
            "|",
            ("asset_id", "in", self.ids),
            "&",
            ("asset_id", "=", False),
            ("category_id", "in", self.category_id.ids),
        ]
        candidates = Reservation.search(
            [
                *domain,
                ("date_start", "<=", date_from + EARLY_PICKUP),
                ("date_end", ">", date_from),
            ],
            order="date_start, id",
        )
        if reservation and reservation.filtered_domain(domain):
            candidates = reservation | candidates
        matched, used = {}, set()
        for by_asset in (True, False):
            for asset in self:
                if asset.id in matched:
                    continue
                for candidate in candidates:
                    if candidate.id in used or candidate.company_id != asset.company_id:
                        continue
                    if (by_asset and candidate.asset_id == asset) or (
                        not by_asset
                        and not candidate.asset_id
                        and candidate.category_id == asset.category_id
                    ):
                        matched[asset.id] = candidate
                        used.add(candidate.id)
                        break
        return matched

    def _check_checkin_allowed(self, raise_if_refused=False):
        """``{asset_id: message}`` for the assets that are not out."""
        refusals = {
            asset.id: self.env._(
                "%(asset)s cannot be checked in: it is not checked out.",
                asset=asset.code,
            )
            for asset in self
            if not asset.custody_id
        }
        if refusals and raise_if_refused:
            raise UserError("\n".join(refusals.values()))
        return refusals

    def _lock_for_custody(self):
        """Lock the assets (in id order, like scan batches) and their categories
        before checking them out or in. The rows are also updated to themselves so
        that a concurrent reservation of them fails to serialise and is retried
        rather than deciding on a stale snapshot."""
        if not self:
            return
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id FROM stock_asset WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                self.ids,
            )
        )
        cr.execute(SQL("UPDATE stock_asset SET id = id WHERE id = ANY(%s)", self.ids))
        if self.category_id:
            cr.execute(
                SQL(
                    "UPDATE stock_asset_category SET id = id WHERE id = ANY(%s)",
                    sorted(self.category_id.ids),
                )
            )

    def _checkout(
        self,
        holder,
        date_due=None,
        note=None,
        location_to=None,
        date_from=None,
        signature=None,
        signed_by=None,
        reservation=None,
        raise_if_refused=True,
    ):
        """Check ``self`` out to ``holder``: returns ``(custody, refusals)``, the
        custody records created and ``{asset_id: [message]}`` of the refused assets
        (all-or-nothing when ``raise_if_refused``)."""
        Custody = self.env["stock.asset.custody"]
        now = fields.Datetime.now()
        date_from = fields.Datetime.to_datetime(date_from) or now
        date_due = fields.Datetime.to_datetime(date_due) or None
        location_to = location_to or self.env["stock.location"]
        self._lock_for_custody()
        refusals = self._check_checkout_allowed(
            holder, date_from=date_from, date_due=date_due
        )
        if refusals and raise_if_refused:
            raise UserError(
                "\n".join(
                    message for asset in self for message in refusals.get(asset.id, [])
                )
            )
        allowed = self.filtered(lambda asset: asset.id not in refusals)
        if not allowed:
            return Custody, refusals
        matched = allowed._match_reservations(holder, date_from, reservation)
        custody = Custody._create_checked(
            [
                asset._prepare_custody_vals(
                    holder,
                    date_from=date_from,
                    date_due=date_due,
                    note=note,
                    location_to=location_to,
                    reservation=matched.get(asset.id),
                    signature=signature,
                    signed_by=signed_by,
                )
                for asset in allowed
            ]
        )
        # the usage log follows the custody ledger (calibration impact tracing)
        self.env["stock.asset.usage"]._log_custody(custody)
        if matched:
            self.env["stock.asset.reservation"].browse(
                [r.id for r in matched.values()]
            ).write({"state": "fulfilled"})
        if location_to:
            allowed.write({"location_id": location_to.id})
        return custody, refusals

    def _prepare_custody_vals(
        self,
        holder,
        date_from,
        date_due=None,
        note=None,
        location_to=None,
        reservation=None,
        signature=None,
        signed_by=None,
    ):
        self.ensure_one()
        return {
            "asset_id": self.id,
            "holder_id": holder.id,
            "date_from": date_from,
            "date_due": date_due or False,
            "location_from_id": self.location_id.id,
            "location_to_id": location_to.id if location_to else False,
            "note_out": note or False,
            "reservation_id": reservation.id if reservation else False,
            "checkout_user_id": self.env.uid,
            "signature": signature or False,
            "signed_by": (signed_by or holder.name) if signature else False,
            "acknowledged_date": date_from if signature else False,
        }

    def _checkin(
        self, note=None, location=None, date_returned=None, raise_if_refused=True
    ):
        """Check ``self`` back in: returns ``(custody, refusals)``, the custody
        records closed and ``{asset_id: message}`` of the assets that were not out."""
        self._lock_for_custody()
        refusals = self._check_checkin_allowed(raise_if_refused=raise_if_refused)
        allowed = self.filtered(lambda asset: asset.id not in refusals)
        custody = allowed.custody_id
        if custody:
            custody._write_recorded(
                {
                    "date_returned": fields.Datetime.to_datetime(date_returned)
                    or fields.Datetime.now(),
                    "checkin_user_id": self.env.uid,
                    "note_in": note or False,
                    "return_location_id": location.id if location else False,
                }
            )
        if location and allowed:
            allowed.write({"location_id": location.id})
        return custody, refusals

    @api.model
    def _checkout_for_scan(
        self, assets, holder, date_due=None, note=None, location=None
    ):
        """Check-out for the scan API: refused assets do not stop the others.

        ``assets``: stock.asset records, ``holder``: a res.partner record (empty when
        the batch named none or an unknown one), ``location``: the destination, if
        any. Returns ``{asset_id: None}`` for each asset checked out and
        ``{asset_id: "reason"}`` for each refused one."""
        _custody, refusals = assets._checkout(
            holder,
            date_due=date_due,
            note=note,
            location_to=location,
            raise_if_refused=False,
        )
        return {
            asset.id: " ".join(refusals[asset.id]) if asset.id in refusals else None
            for asset in assets
        }

    @api.model
    def _checkin_for_scan(self, assets, note=None, location=None):
        """Check-in for the scan API: ``{asset_id: None}`` when checked in,
        ``{asset_id: "reason"}`` when it was not out; the others still apply."""
        _custody, refusals = assets._checkin(
            note=note, location=location, raise_if_refused=False
        )
        return {asset.id: refusals.get(asset.id) for asset in assets}

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
        """Assets named by scan keys, in one set-based query.

        ``wanted`` maps a key kind (see ``tools/scan_codes``) to a set of values.
        Returns ``{(kind, value): [{"id", "code", "company_id"}, ...]}`` over the
        active assets of ``company_ids``: the company rule, applied explicitly
        because this is a plain SQL read.
        """
        found = defaultdict(list)
        selects = self._scan_key_selects(wanted, list(company_ids))
        if not selects:
            return found
        self.env.flush_all()  # plain SQL: the pending writes first
        self.env.cr.execute(SQL(" UNION ALL ").join(selects))
        lots = set(wanted.get("lot", ()))
        serials = set(wanted.get("serial", ()))
        for asset_id, code, company_id, kind, value, barcode in self.env.cr.fetchall():
            asset = {"id": asset_id, "code": code, "company_id": company_id}
            if kind != "serial":
                candidates = found[(kind, value)]
                # a GS1 key can match both the stored identity and a GIAI / GRAI
                if all(other["id"] != asset_id for other in candidates):
                    candidates.append(asset)
                continue
            if value in serials:
                found[("serial", value)].append(asset)
            gtin = scan_codes.gtin14(barcode)
            if gtin and (gtin, value) in lots:
                found[("lot", (gtin, value))].append(asset)
        return found

    @api.model
    def _scan_key_selects(self, wanted, company_ids):
        """One ``SELECT id, code, company_id, kind, value, barcode`` per kind of
        key in ``wanted``, over the active assets of ``company_ids``; the kind
        ``serial`` answers the serial-number rows (with the product barcode) that
        serve both the ``serial`` and the ``lot`` (GTIN + serial) keys."""
        selects = []
        columns = {"epc": "epc", "gs1": "gs1_identity", "code": "code"}
        for kind, column in columns.items():
            values = list(wanted.get(kind, ()))
            if values:
                selects.append(
                    SQL(
                        """
                        SELECT id, code, company_id, %(kind)s::varchar,
                               %(column)s::varchar, NULL::varchar
                          FROM stock_asset
                         WHERE %(column)s = ANY(%(values)s)
                           AND company_id = ANY(%(companies)s) AND active
                        """,
                        kind=kind,
                        column=SQL.identifier(column),
                        values=values,
                        companies=company_ids,
                    )
                )
        serials = set(wanted.get("serial", ()))
        serials.update(serial for _gtin, serial in wanted.get("lot", ()))
        if serials:
            selects.append(
                SQL(
                    """
                    SELECT a.id, a.code, a.company_id, 'serial'::varchar,
                           l.name::varchar, p.barcode::varchar
                      FROM stock_asset a
                      JOIN stock_lot l ON l.id = a.lot_id
                      JOIN product_product p ON p.id = l.product_id
                     WHERE l.name = ANY(%(serials)s)
                       AND a.company_id = ANY(%(companies)s) AND a.active
                    """,
                    serials=list(serials),
                    companies=company_ids,
                )
            )
        return selects

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
        # the ormcached company list: ``user.company_ids`` reads the user row and
        # the many2many on every request (a third of a lookup's model time)
        found = self._find_by_scan_keys(wanted, list(self.env.user._get_company_ids()))
        # env.company loads the whole user row: only when a code names several
        preferred = (
            self.env.company.id
            if any(len(candidates) > 1 for candidates in found.values())
            else None
        )
        picked, message = self.env["stock.asset.scan.batch"]._pick_asset(
            scan, found, preferred
        )
        if not picked:
            if message or scan.message:
                answer.update(status="invalid", message=message or scan.message)
            return answer
        answer.update(status="matched", **self._lookup_details(picked["id"]))
        return answer

    @api.model
    def _lookup_details(self, asset_id):
        """The asset part of a lookup answer: whereabouts, holder, state, next
        reservation, in one statement (a handheld waits for it).

        ``asset_id`` was found among the assets of the user's companies; its
        location, holder and reservations are of the same company.
        """
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.code, a.name, a.state, a.last_seen_date,
                       l.id, l.complete_name, l.barcode,
                       h.id, h.name, h.ref,
                       r.id, rh.name, r.date_start, r.date_end,
                       EXISTS (
                           SELECT 1 FROM stock_asset_calibration_schedule s
                            WHERE s.asset_id = a.id AND s.active
                       )
                  FROM stock_asset a
             LEFT JOIN stock_location l ON l.id = a.location_id
             LEFT JOIN res_partner h ON h.id = a.holder_id
             LEFT JOIN LATERAL (
                           SELECT id, holder_id, date_start, date_end
                             FROM stock_asset_reservation
                            WHERE asset_id = a.id AND state = 'confirmed'
                              AND date_end > %(now)s
                         ORDER BY date_start, id
                            LIMIT 1
                       ) r ON TRUE
             LEFT JOIN res_partner rh ON rh.id = r.holder_id
                 WHERE a.id = %(asset_id)s
                """,
                now=now,
                asset_id=asset_id,
            )
        )
        (
            code,
            name,
            state,
            last_seen,
            location_id,
            location_name,
            location_barcode,
            holder_id,
            holder_name,
            holder_ref,
            reservation_id,
            reserved_for,
            reserved_from,
            reserved_to,
            instrument,
        ) = self.env.cr.fetchone()
        return {
            "asset_id": asset_id,
            "asset_code": code,
            "name": name,
            "state": state,
            "location": location_id
            and {
                "id": location_id,
                "name": location_name,
                "barcode": location_barcode or None,
            },
            "holder": holder_id
            and {"id": holder_id, "name": holder_name, "ref": holder_ref or None},
            "last_seen_date": last_seen and last_seen.isoformat() + "Z",
            # the live status (the stored one waits for the night's cron) needs
            # today in the user's time zone: only for instruments
            "calibration_state": (
                self.browse(asset_id)._lookup_calibration_state()
                if instrument
                else None
            ),
            "reservation": reservation_id
            and {
                "id": reservation_id,
                "holder": reserved_for,
                "date_start": reserved_from.isoformat() + "Z",
                "date_end": reserved_to.isoformat() + "Z",
                "current": reserved_from <= now,
            },
        }

    def _lookup_calibration_state(self):
        """Calibration status for the lookup answer, as of now (the stored one may
        wait for the night's cron); None when it is not a measuring instrument."""
        self.ensure_one()
        state = self._get_live_calibration_states()[self]
        return None if state == "none" else state

    def _get_live_calibration_states(self):
        """``{asset: calibration state}`` as of today, whether or not the daily
        recomputation has run yet."""
        instruments = self.filtered(
            lambda asset: asset.calibration_schedule_ids.filtered("active")
        )
        states = dict.fromkeys(self - instruments, "none")
        if instruments:
            # today in the user's time zone reads the whole user row: only for
            # instruments (a lookup of any other asset skips it)
            states.update(
                self.env["stock.asset.calibration.schedule"]._calibration_states_of(
                    instruments, fields.Date.context_today(self)
                )
            )
        return states

    def _get_calibration_refusals(self, action="use"):
        """``{asset_id: message}`` for the instruments whose calibration status
        (as of now) forbids ``action`` (``use`` or ``checkout``): overdue, out of
        tolerance or out of service. Every message names the asset, the status
        and why."""
        refusals = {}
        states = self._get_live_calibration_states()
        blocked = self.filtered(
            lambda asset: states[asset] in CALIBRATION_BLOCKING_STATES
        )
        for asset in blocked:
            verb = (
                self.env._("cannot go out")
                if action == "checkout"
                else self.env._("cannot be used")
            )
            if states[asset] == "overdue":
                why = self.env._(
                    "its calibration is overdue (due %(date)s)",
                    date=format_date(self.env, asset.calibration_due_date),
                )
            elif states[asset] == "out_of_tolerance":
                why = self.env._(
                    "it was found out of tolerance; it needs a passing calibration"
                )
            else:
                why = self.env._("it is out of service")
            refusals[asset.id] = self.env._(
                "%(asset)s %(verb)s: %(why)s.",
                asset=asset.code,
                verb=verb,
                why=why,
            )
        return refusals

    def _check_usage_allowed(self):
        """``{asset_id: message}`` for the assets that may not be used now
        (``stock.asset.usage._log_usage`` refuses them)."""
        return self._get_calibration_refusals("use")

    # Fixed-asset register -------------------------------------------------------------
    def _is_register_ready(self):
        """Whether the asset has what its depreciation board needs."""
        self.ensure_one()
        return bool(
            self.ownership == "company"
            and self.acquisition_date
            and self.original_value > 0
            and self.method_number > 0
        )

    def _get_ids_with_lines(self, posted_only=False):
        """Ids of the assets of ``self`` that have depreciation lines (posted ones
        only with ``posted_only``), in one query."""
        ids = [asset_id for asset_id in self._origin.ids if asset_id]
        if not ids:
            return set()
        self.env["stock.asset.depreciation.line"].flush_model(["asset_id", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT asset_id FROM stock_asset_depreciation_line
                 WHERE asset_id = ANY(%s) %s
                """,
                ids,
                SQL("AND state = 'posted'") if posted_only else SQL(),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _check_register_access(self, fnames):
        """Only asset accountants set the values the board is computed from."""
        touched = REGISTER_BOARD_FIELDS & set(fnames)
        if not touched or self.env.su:
            return
        if not self.env.user.has_group("stock_asset_tracking.group_asset_accountant"):
            raise AccessError(
                self.env._(
                    "Only asset register accountants can set the register values "
                    "of an asset (%(fields)s).",
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env)
                        for fname in sorted(touched)
                    ),
                )
            )

    def _check_register_write(self, vals):
        """Check a write of register values; return whether the boards follow."""
        touched = REGISTER_BOARD_FIELDS & vals.keys()
        if "company_id" in vals and self._get_ids_with_lines():
            moved = self.filtered(
                lambda asset: asset.company_id.id != vals["company_id"]
            )
            if moved:
                raise UserError(
                    self.env._(
                        "Asset %(code)s has a depreciation board in the books of "
                        "its company: it cannot move to another company.",
                        code=moved[0].code,
                    )
                )
        if touched:
            self._check_register_access(touched)
            disposed = self.filtered(lambda asset: asset.state == "disposed")
            if disposed:
                raise UserError(
                    self.env._(
                        "Asset %(code)s is disposed of: its register values are "
                        "final.",
                        code=disposed[0].code,
                    )
                )
            frozen = self._get_ids_with_lines(posted_only=True)
            if frozen and not is_open(self.env, REGISTER_CHANGE_PATH):
                for asset in self.browse(frozen):
                    changed = [
                        fname
                        for fname in touched
                        if asset._fields[fname].convert_to_record(
                            asset._fields[fname].convert_to_cache(vals[fname], asset),
                            asset,
                        )
                        != asset[fname]
                    ]
                    if changed:
                        raise UserError(
                            self.env._(
                                "Asset %(code)s has posted depreciation: change its "
                                "value or useful life with Modify (revaluation, "
                                "impairment, pause, useful life).",
                                code=asset.code,
                            )
                        )
        return bool(touched) or "category_id" in vals

    def _on_register_write(self, vals):
        """Keep the lines' category in step and the existing boards up to date."""
        lines = self.env["stock.asset.depreciation.line"].sudo()
        if "category_id" in vals:
            lines.search([("asset_id", "in", self.ids)]).write(
                {"category_id": vals["category_id"]}
            )
        with_board = self._get_ids_with_lines()
        if with_board:
            self.browse(with_board)._compute_depreciation_boards()

    def _compute_depreciation_boards(self):
        """Rebuild the draft lines of the boards of ``self`` in a few queries.

        Lines are read with one query, every board is computed by the plain-Python
        engine, draft lines whose values did not change are kept, and the rest is
        deleted in one ``unlink`` and created in one ``create``. Posted lines are
        passed to the engine, which keeps them and re-spreads what remains.
        """
        assets = self.filtered(lambda asset: asset.state != "disposed")
        if not assets:
            return
        lines_model = self.env["stock.asset.depreciation.line"].sudo()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT asset_id, id, date, amount, cumulative_amount, remaining_value,
                       state, move_id
                  FROM stock_asset_depreciation_line
                 WHERE asset_id = ANY(%s)
              ORDER BY asset_id, date
                """,
                assets.ids,
            )
        )
        posted = defaultdict(list)
        drafts = defaultdict(dict)
        with_move = set()
        for (
            asset_id,
            line_id,
            day,
            amount,
            cumul,
            remaining,
            state,
            move_id,
        ) in cr.fetchall():
            if state == "posted":
                posted[asset_id].append(PostedLine(day, amount))
            else:
                drafts[asset_id][day] = (line_id, amount, cumul, remaining, move_id)
                if move_id:
                    with_move.add(line_id)
        changes = assets._get_board_changes()
        company_info = {
            company.id: (
                company.currency_id.rounding,
                int(company.fiscalyear_last_month),
                company.fiscalyear_last_day,
            )
            for company in assets.company_id
        }
        stale, rows = [], []
        for asset in assets:
            asset_drafts = drafts.pop(asset.id, {})
            board = asset._get_depreciation_board(
                posted.get(asset.id, ()),
                changes.get(asset.id),
                company_info[asset.company_id.id],
            )
            company_id, category_id = asset.company_id.id, asset.category_id.id
            for line in board:
                if line.posted:
                    continue
                row = asset_drafts.pop(line.date, None)
                if row:
                    if row[1:4] == (
                        line.amount,
                        line.cumulative_amount,
                        line.remaining_value,
                    ):
                        continue
                    stale.append(row[0])
                rows.append(
                    (
                        asset.id,
                        company_id,
                        category_id,
                        line.date,
                        line.amount,
                        line.cumulative_amount,
                        line.remaining_value,
                    )
                )
            stale.extend(row[0] for row in asset_drafts.values())
        if stale:
            # a depreciation entry reset to draft goes with its line
            held = lines_model.browse(
                [line_id for line_id in stale if line_id in with_move]
            )
            held.move_id.filtered(lambda move: move.state == "draft").unlink()
            lines_model.browse(stale)._delete_draft_lines()
        lines_model._insert_draft_lines(rows)

    def _get_board_changes(self):
        """{asset id: (value changes, closed pauses, start of the open pause)}"""
        self.env["stock.asset.register.change"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT asset_id, kind, date, amount, months, resume_date
                  FROM stock_asset_register_change
                 WHERE asset_id = ANY(%s)
                   AND kind IN ('revaluation', 'impairment', 'pause')
              ORDER BY asset_id, date, id
                """,
                self.ids,
            )
        )
        changes = {}
        for asset_id, kind, day, amount, months, resume_date in self.env.cr.fetchall():
            value_changes, pauses, open_pause = changes.get(asset_id, ([], [], None))
            if kind == "pause":
                if resume_date:
                    pauses.append(Pause(day, months))
                else:
                    open_pause = day
            else:
                value_changes.append(ValueChange(day, amount))
            changes[asset_id] = (value_changes, pauses, open_pause)
        return changes

    def _get_board_params(self, posted, changes, company_info):
        """The engine's ``BoardParams`` of the asset, or None when it has no board."""
        self.ensure_one()
        if not self._is_register_ready():
            return None
        value_changes, pauses, _open_pause = changes or ((), (), None)
        rounding, fy_end_month, fy_end_day = company_info
        return BoardParams(
            acquisition_date=self.acquisition_date,
            original_value=self.original_value,
            salvage_value=self.salvage_value,
            method=self.method,
            method_number=self.method_number,
            method_period=int(self.method_period),
            degressive_factor=self.degressive_factor,
            prorata=self.prorata,
            rounding=rounding,
            fy_end_month=fy_end_month,
            fy_end_day=fy_end_day,
            posted=tuple(posted),
            value_changes=tuple(value_changes),
            pauses=tuple(pauses),
        )

    def _get_depreciation_board(self, posted, changes, company_info):
        """The engine's board of the asset; an open pause cuts it at its period."""
        params = self._get_board_params(posted, changes, company_info)
        if params is None:
            return []
        try:
            board = compute_board(params)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Cannot compute the depreciation board of asset %(code)s: "
                    "%(error)s",
                    code=self.code,
                    error=str(error),
                )
            ) from None
        open_pause = changes and changes[2]
        if open_pause:
            stop = period_end(
                open_pause, params.method_period, params.fy_end_month, params.fy_end_day
            )
            board = [line for line in board if line.posted or line.date < stop]
        return board

    def _get_register_entries_domain(self):
        self.ensure_one()
        return [
            "|",
            ("asset_id", "=", self.id),
            ("asset_depreciation_line_ids.asset_id", "=", self.id),
        ]

    @api.model
    def _action_view_moves(self, moves, name):
        action = {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": name,
            "domain": [("id", "in", moves.ids)],
            "context": {"create": False},
        }
        if len(moves) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=moves.id)
        else:
            action.update(
                view_mode="list,form", views=[(False, "list"), (False, "form")]
            )
        return action

    def _check_register_running(self):
        """The asset is in the register and not disposed of."""
        self.ensure_one()
        if self.state == "disposed":
            raise UserError(
                self.env._("Asset %(code)s is already disposed of.", code=self.code)
            )
        if not self._is_register_ready():
            raise UserError(
                self.env._(
                    "Asset %(code)s is not in the register yet: set its acquisition "
                    "date and original value.",
                    code=self.code,
                )
            )

    def _check_register_accounts(self, fnames):
        """Raise unless the asset's category sets the journal and accounts named."""
        self.ensure_one()
        category = self.category_id.sudo()
        missing = [
            category._fields[fname]._description_string(self.env)
            for fname in fnames
            if not category[fname]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Set %(fields)s on the category of asset %(code)s first.",
                    fields=", ".join(missing),
                    code=self.code,
                )
            )
        if category.journal_id.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "The register journal of category %(category)s belongs to "
                    "another company than asset %(code)s.",
                    category=category.name,
                    code=self.code,
                )
            )

    def _check_register_lock(self, day, journal, what):
        self.ensure_one()
        violated = self.company_id._get_violated_lock_dates(day, False, journal)
        if violated:
            raise UserError(
                self.env._(
                    "Cannot record the %(what)s of asset %(code)s on %(date)s: the "
                    "period is locked (%(locks)s).",
                    what=what,
                    code=self.code,
                    date=format_date(self.env, day),
                    locks=self.env["res.company"]._format_lock_dates(violated),
                )
            )

    def _last_posted_date(self):
        self.ensure_one()
        posted = self.depreciation_line_ids.filtered(
            lambda line: line.state == "posted"
        )
        return max(posted.mapped("date")) if posted else None

    def _post_register_entry(self, day, ref, line_vals):
        """Create and post a register entry of the asset (as superuser: asset
        accountants need no Invoicing rights; callers checked their access)."""
        self.ensure_one()
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.category_id.sudo().journal_id.id,
                    "date": day,
                    "ref": ref,
                    "asset_id": self.id,
                    "line_ids": [
                        Command.create({"name": ref, **vals}) for vals in line_vals
                    ],
                }
            )
        )
        move._post(soft=False)
        return move.sudo(False)

    def _register_trace(self, body):
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    # Changes during life
    def _register_value_change(self, kind, day, amount, account, note=False):
        """Revalue (``kind`` 'revaluation', ``amount`` signed) or impair (``kind``
        'impairment', ``amount`` the positive loss of value) the asset on ``day``:
        a journal entry against ``account``, then the remaining board follows."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("create")
        self._check_register_running()
        currency = self.currency_id
        amount = currency.round(amount)
        if currency.is_zero(amount) or (kind == "impairment" and amount < 0):
            raise UserError(
                self.env._("Give the amount of the change (an impairment is positive).")
            )
        if day < self.acquisition_date:
            raise UserError(
                self.env._(
                    "A change of asset %(code)s cannot precede its acquisition.",
                    code=self.code,
                )
            )
        delta = amount if kind == "revaluation" else -amount
        if delta < 0 and currency.compare_amounts(-delta, self.value_residual) > 0:
            raise UserError(
                self.env._(
                    "The decrease of %(amount)s exceeds the %(left)s left to "
                    "depreciate on asset %(code)s.",
                    amount=format_amount(self.env, -delta, currency),
                    left=format_amount(self.env, self.value_residual, currency),
                    code=self.code,
                )
            )
        main_account = (
            "account_asset_id" if kind == "revaluation" else "account_depreciation_id"
        )
        self._check_register_accounts(("journal_id", main_account))
        if not account:
            raise UserError(self.env._("Choose the counterpart account of the change."))
        kind_label = dict(
            self.env["stock.asset.register.change"]
            ._fields["kind"]
            ._description_selection(self.env)
        )[kind]
        self._check_register_lock(day, self.category_id.sudo().journal_id, kind_label)
        before = self.book_value
        change = self.env["stock.asset.register.change"].create(
            {
                "asset_id": self.id,
                "kind": kind,
                "date": day,
                "amount": delta,
                "account_id": account.id,
                "note": note,
            }
        )
        self._compute_depreciation_boards()
        move = self._post_register_entry(
            day,
            self.env._("%(kind)s of %(asset)s", kind=kind_label, asset=self.code),
            [
                {
                    "account_id": self.category_id.sudo()[main_account].id,
                    "balance": delta,
                },
                {"account_id": account.id, "balance": -delta},
            ],
        )
        change.move_id = move
        self._register_trace(
            self.env._(
                "%(kind)s of %(amount)s on %(date)s: book value %(before)s, now "
                "%(after)s; the remaining board was recomputed. %(note)s",
                kind=kind_label,
                amount=format_amount(self.env, delta, currency),
                date=format_date(self.env, day),
                before=format_amount(self.env, before, currency),
                after=format_amount(self.env, self.book_value, currency),
                note=note or "",
            )
        )
        return change

    def _register_pause(self, day, note=False):
        """Suspend depreciation from the period containing ``day``."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("create")
        self._check_register_running()
        if self.depreciation_paused:
            raise UserError(
                self.env._(
                    "Depreciation of %(code)s is already paused.", code=self.code
                )
            )
        months = int(self.method_period)
        company = self.company_id
        fy = (int(company.fiscalyear_last_month), company.fiscalyear_last_day)
        last_posted = self._last_posted_date()
        if day < self.acquisition_date or (
            last_posted and period_end(day, months, *fy) <= last_posted
        ):
            raise UserError(
                self.env._(
                    "Asset %(code)s is depreciated up to %(date)s: pause it in a "
                    "later period.",
                    code=self.code,
                    date=format_date(self.env, last_posted or self.acquisition_date),
                )
            )
        change = self.env["stock.asset.register.change"].create(
            {"asset_id": self.id, "kind": "pause", "date": day, "note": note}
        )
        self._compute_depreciation_boards()
        self._register_trace(
            self.env._(
                "Depreciation paused from the period of %(date)s. %(note)s",
                date=format_date(self.env, day),
                note=note or "",
            )
        )
        return change

    def _register_resume(self, day, note=False):
        """Resume depreciation in the period containing ``day``: the periods from
        the pause's one up to this one are skipped, the board ends that much later."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("write")
        pause = self.register_change_ids.filtered(
            lambda change: change.kind == "pause" and not change.resume_date
        )[:1]
        if not pause or self.state == "disposed":
            raise UserError(
                self.env._("Depreciation of %(code)s is not paused.", code=self.code)
            )
        if day < pause.date:
            raise UserError(
                self.env._("Resume the depreciation on or after its pause.")
            )
        months = int(self.method_period)
        company = self.company_id
        fy = (int(company.fiscalyear_last_month), company.fiscalyear_last_day)
        start, end = period_end(pause.date, months, *fy), period_end(day, months, *fy)
        if months == 1:
            skipped = (end.year * 12 + end.month) - (start.year * 12 + start.month)
        else:
            skipped = (end.year - start.year) * 12
        if skipped:
            pause.write({"months": skipped, "resume_date": day})
        else:
            pause.unlink()
        self._compute_depreciation_boards()
        self._register_trace(
            self.env._(
                "Depreciation resumed on %(date)s: %(months)s month(s) skipped; the "
                "board ends that much later. %(note)s",
                date=format_date(self.env, day),
                months=skipped,
                note=note or "",
            )
        )
        return True

    def _register_useful_life(self, method_number, note=False):
        """Change the number of periods; the rest is re-spread over the new
        remaining periods (the whole rest in the next period when none is left)."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("create")
        self._check_register_running()
        before = self.method_number
        if method_number < 1 or method_number == before:
            raise UserError(
                self.env._(
                    "Give a new number of periods for asset %(code)s (now %(n)s).",
                    code=self.code,
                    n=before,
                )
            )
        change = self.env["stock.asset.register.change"].create(
            {
                "asset_id": self.id,
                "kind": "useful_life",
                "date": fields.Date.context_today(self),
                "method_number_before": before,
                "method_number_after": method_number,
                "note": note,
            }
        )
        with private_path(self.env, REGISTER_CHANGE_PATH):
            self.write({"method_number": method_number})
        self._compute_depreciation_boards()
        self._register_trace(
            self.env._(
                "Useful life changed from %(before)s to %(after)s periods; the "
                "remaining board was recomputed. %(note)s",
                before=before,
                after=method_number,
                note=note or "",
            )
        )
        return change

    # Disposal
    def _dispose(
        self,
        day,
        disposal_type,
        proceeds=0.0,
        proceeds_account=None,
        invoice_lines=None,
        note=False,
    ):
        """Dispose of the asset on ``day`` by sale or scrap: depreciation up to
        ``day`` (the last period prorated by days), a removal entry that clears cost
        and accumulated depreciation against the proceeds and books the gain or
        loss, the board stops and the asset is ``disposed``. Returns the entry."""
        self.ensure_one()
        self.env["stock.asset.depreciation.line"].check_access("write")
        if self.state == "disposed":
            raise UserError(
                self.env._("Asset %(code)s is already disposed of.", code=self.code)
            )
        currency = self.currency_id
        invoice_lines = invoice_lines or self.env["account.move.line"]
        if disposal_type == "scrap":
            proceeds, invoice_lines = 0.0, self.env["account.move.line"]
        elif invoice_lines:
            wrong = invoice_lines.filtered(
                lambda line: line.move_id.move_type != "out_invoice"
                or line.parent_state != "posted"
                or line.company_id != self.company_id
            )
            if wrong:
                raise UserError(
                    self.env._(
                        "The proceeds of a sale come from posted customer invoices "
                        "of the asset's company."
                    )
                )
            proceeds = -sum(invoice_lines.mapped("balance"))
        proceeds = currency.round(proceeds or 0.0)
        if proceeds < 0:
            raise UserError(self.env._("The proceeds of a sale cannot be negative."))
        move = self.env["account.move"]
        in_register = self._is_register_ready() or self._get_ids_with_lines(
            posted_only=True
        )
        if in_register:
            if day < self.acquisition_date:
                raise UserError(
                    self.env._(
                        "Asset %(code)s cannot be disposed of before its acquisition "
                        "on %(date)s.",
                        code=self.code,
                        date=format_date(self.env, self.acquisition_date),
                    )
                )
            self._check_register_accounts(
                (
                    "journal_id",
                    "account_asset_id",
                    "account_depreciation_id",
                    "account_gain_id",
                    "account_loss_id",
                )
            )
            if proceeds and not invoice_lines and not proceeds_account:
                raise UserError(
                    self.env._("Choose the account that receives the sale proceeds.")
                )
            self._check_register_lock(
                day, self.category_id.sudo().journal_id, self.env._("disposal")
            )
            later = self.register_change_ids.filtered(lambda change: change.date > day)
            if later:
                raise UserError(
                    self.env._(
                        "Asset %(code)s has changes after %(date)s.",
                        code=self.code,
                        date=format_date(self.env, day),
                    )
                )
            self._depreciate_until(day)
            move = self._post_register_entry(
                day,
                self.env._("Disposal of %(asset)s", asset=self.code),
                self._prepare_disposal_lines(proceeds, proceeds_account, invoice_lines),
            )
        self._write_state(
            {
                "state": "disposed",
                "disposal_date": day,
                "disposal_type": disposal_type,
                "disposal_proceeds": proceeds,
                "disposal_move_id": move.id,
            }
        )
        self.activity_feedback(
            ["stock_asset_tracking.mail_activity_type_asset_disposal"]
        )
        type_label = dict(
            self._fields["disposal_type"]._description_selection(self.env)
        )
        self._register_trace(
            self.env._(
                "Disposed of on %(date)s (%(type)s, proceeds %(proceeds)s). %(note)s",
                date=format_date(self.env, day),
                type=type_label[disposal_type],
                proceeds=format_amount(self.env, proceeds, currency),
                note=note or "",
            )
        )
        return move

    def _depreciate_until(self, day):
        """Post the depreciation up to ``day``: the due lines, then the period
        containing ``day`` prorated by days; drop the lines after it."""
        self.ensure_one()
        self._compute_depreciation_boards()
        lines = self.depreciation_line_ids.sorted("date")
        posted = lines.filtered(lambda line: line.state == "posted")
        if posted and posted[-1].date > day:
            raise UserError(
                self.env._(
                    "Asset %(code)s is depreciated up to %(date)s: dispose of it on "
                    "or after that date.",
                    code=self.code,
                    date=format_date(self.env, posted[-1].date),
                )
            )
        drafts = lines - posted
        due = drafts.filtered(lambda line: line.date <= day)
        current = (drafts - due)[:1]
        dropped = drafts - due
        final_vals = None
        if current:
            company = self.company_id
            start = max(
                period_start(
                    current.date,
                    int(self.method_period),
                    int(company.fiscalyear_last_month),
                    company.fiscalyear_last_day,
                ),
                self.acquisition_date,
            )
            amount = _prorate(
                current.amount,
                (day - start).days + 1,
                (current.date - start).days + 1,
                self.currency_id.rounding,
            )
            if amount:
                final_vals = {
                    "asset_id": self.id,
                    "company_id": self.company_id.id,
                    "category_id": self.category_id.id,
                    "date": day,
                    "amount": amount,
                    "cumulative_amount": current.cumulative_amount
                    - current.amount
                    + amount,
                    "remaining_value": current.remaining_value
                    + current.amount
                    - amount,
                }
        lines_model = self.env["stock.asset.depreciation.line"].sudo()
        if dropped:
            dropped.move_id.filtered(lambda move: move.state == "draft").sudo().unlink()
            dropped.sudo().unlink()
        if final_vals:
            due |= lines_model.create(final_vals).sudo(False)
        due._post_depreciation()

    def _prepare_disposal_lines(self, proceeds, proceeds_account, invoice_lines):
        """Lines of the removal entry: cost out, accumulated depreciation out,
        proceeds in, the difference to gain or loss."""
        self.ensure_one()
        self.invalidate_recordset(["depreciated_value"])
        category = self.category_id.sudo()
        currency = self.currency_id
        changes = self.register_change_ids
        cost = currency.round(
            self.original_value
            + sum(changes.filtered(lambda c: c.kind == "revaluation").mapped("amount"))
        )
        accumulated = currency.round(
            self.depreciated_value
            - sum(changes.filtered(lambda c: c.kind == "impairment").mapped("amount"))
        )
        lines = [
            {"account_id": category.account_asset_id.id, "balance": -cost},
            {"account_id": category.account_depreciation_id.id, "balance": accumulated},
        ]
        for line in invoice_lines:
            lines.append(
                {
                    "account_id": line.account_id.id,
                    "balance": -line.balance,
                    "name": line.move_id.name,
                }
            )
        if proceeds and not invoice_lines:
            lines.append({"account_id": proceeds_account.id, "balance": proceeds})
        result = currency.round(cost - accumulated - proceeds)
        if result:
            account = (
                category.account_loss_id if result > 0 else category.account_gain_id
            )
            lines.append({"account_id": account.id, "balance": result})
        return [vals for vals in lines if not currency.is_zero(vals["balance"])]

    def _propose_disposal(self, reason):
        """An activity for the accountant: dispose of the company-owned assets of
        ``self`` that left the company's stock."""
        activity_type = self.env.ref(
            "stock_asset_tracking.mail_activity_type_asset_disposal"
        )
        assets = self.filtered(
            lambda asset: asset.ownership == "company"
            and asset.state != "disposed"
            and activity_type not in asset.activity_ids.activity_type_id
        )
        for asset in assets:
            asset.activity_schedule(
                "stock_asset_tracking.mail_activity_type_asset_disposal",
                summary=self.env._("Dispose of %(asset)s", asset=asset.code),
                note=reason,
                user_id=asset._get_register_accountant().id,
            )
        return assets

    def _get_register_accountant(self):
        """The user who keeps the register of the asset's company."""
        self.ensure_one()
        accountants = (
            self.env.ref("stock_asset_tracking.group_asset_accountant")
            .sudo()
            .users.filtered(
                lambda user: not user.share
                and not user._is_superuser()
                and self.company_id in user.company_ids
            )
        )
        if self.user_id in accountants:
            return self.user_id
        return accountants.sorted("id")[:1] or self.env.user

    # Acquisition
    @api.model
    def _register_from_bill_lines(self, bill_lines):
        """Register the fixed assets of posted vendor bill lines whose product's
        category registers from documents: one asset per unit for serial-tracked
        products (a receipt links the serials later), one per line otherwise; the
        value is the line's, in company currency. Assets already received for the
        product (``acquisition_origin`` receipt) take the bill's value first.
        Lines that already have assets are skipped, so reposting adds nothing."""
        assets = self.sudo().with_context(active_test=False)
        done = set(
            assets.search([("invoice_line_id", "in", bill_lines.ids)])
            .mapped("invoice_line_id")
            .ids
        )
        updated, vals_list = assets.browse(), []
        for line in bill_lines:
            company = line.company_id
            product = line.product_id.with_company(company)
            category = product.asset_category_id
            if (
                line.id in done
                or not category.register_from_documents
                or company.currency_id.compare_amounts(line.balance, 0) <= 0
            ):
                continue
            units = 1
            if product.tracking == "serial":
                quantity = line.product_uom_id._compute_quantity(
                    line.quantity, product.uom_id
                )
                if quantity >= 1 and float(quantity).is_integer():
                    units = int(quantity)
            values = _split_amount(line.balance, units, company.currency_id)
            pending = assets.search(
                [
                    ("product_id", "=", product.id),
                    ("company_id", "=", company.id),
                    ("acquisition_origin", "=", "receipt"),
                    ("invoice_line_id", "=", False),
                    ("state", "!=", "disposed"),
                ],
                order="id",
                limit=units,
            )
            for asset, value in zip(pending, values, strict=False):
                with private_path(self.env, REGISTER_CHANGE_PATH):
                    asset.write({"original_value": value, "invoice_line_id": line.id})
            updated |= pending
            vals_list += [
                {
                    "name": product.display_name,
                    "product_id": product.id,
                    "category_id": category.id,
                    "company_id": company.id,
                    "acquisition_date": line.date,
                    "original_value": value,
                    "invoice_line_id": line.id,
                    "acquisition_origin": "bill",
                }
                for value in values[len(pending) :]
            ]
        created = assets.create(vals_list)
        (updated | created)._compute_depreciation_boards()
        for asset in updated | created:
            asset._register_trace(
                self.env._(
                    "Registered from vendor bill %(bill)s at %(value)s.",
                    bill=asset.invoice_line_id.move_id.name,
                    value=format_amount(
                        self.env, asset.original_value, asset.currency_id
                    ),
                )
            )
        return updated | created

    @api.model
    def _register_from_receipt(self, move_lines):
        """Register the serials received by ``move_lines`` (done, from a vendor):
        link them to the assets a vendor bill registered without serials, or
        register new assets at the move's unit cost until the bill gives its."""
        assets = self.sudo().with_context(active_test=False)
        lines = move_lines.filtered(
            lambda line: line.lot_id
            and line.product_id.tracking == "serial"
            and line.product_id.with_company(
                line.company_id
            ).asset_category_id.register_from_documents
        )
        if not lines:
            return assets
        known = set(assets.search([("lot_id", "in", lines.lot_id.ids)]).lot_id.ids)
        pending = defaultdict(list)
        for asset in assets.search(
            [
                ("product_id", "in", lines.product_id.ids),
                ("company_id", "in", lines.company_id.ids),
                ("acquisition_origin", "=", "bill"),
                ("lot_id", "=", False),
                ("state", "!=", "disposed"),
            ],
            order="id",
        ):
            pending[(asset.product_id.id, asset.company_id.id)].append(asset)
        linked, vals_list = assets.browse(), []
        for line in lines:
            if line.lot_id.id in known:
                continue
            known.add(line.lot_id.id)
            company = line.company_id
            waiting = pending[(line.product_id.id, company.id)]
            if waiting:
                asset = waiting.pop(0)
                asset.write(
                    {"lot_id": line.lot_id.id, "location_id": line.location_dest_id.id}
                )
                linked |= asset
                continue
            product = line.product_id.with_company(company)
            move = line.move_id
            vals_list.append(
                {
                    "name": product.display_name,
                    "product_id": product.id,
                    "lot_id": line.lot_id.id,
                    "category_id": product.asset_category_id.id,
                    "company_id": company.id,
                    "location_id": line.location_dest_id.id,
                    "acquisition_date": fields.Date.context_today(self, line.date),
                    "original_value": company.currency_id.round(
                        abs(move.price_unit) or product.standard_price
                    ),
                    "acquisition_origin": "receipt",
                }
            )
        created = assets.create(vals_list)
        created._compute_depreciation_boards()
        return linked | created


def _split_amount(total, parts, currency):
    """``total`` in ``parts`` rounded amounts; the last one absorbs the rounding."""
    unit = currency.round(total / parts)
    return [unit] * (parts - 1) + [currency.round(total - unit * (parts - 1))]


def _prorate(amount, days, period_days, rounding):
    """``amount`` x ``days`` / ``period_days`` rounded half-up to ``rounding``,
    computed on exact decimals."""
    if days >= period_days:
        return amount
    step = Fraction(str(rounding))
    units = Fraction(str(amount)) * days / period_days / step
    return float(int(units + Fraction(1, 2)) * step)
