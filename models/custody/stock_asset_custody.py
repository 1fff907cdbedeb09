# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import Counter

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from ...tools.private_path import is_open, private_path
from ..common import format_moment

# Fields a closed custody record keeps writable for everyone: the chatter's own.
CHATTER_FIELD_PREFIXES = ("message_", "activity_", "website_message")
# Recorded by the check-out, the check-in, the holder's acknowledgement and the
# overdue follow-up only: nobody writes them by hand, administrators included.
RECORDED_FIELDS = frozenset(
    {
        "acknowledged_date",
        "signature",
        "signed_by",
        "checkout_user_id",
        "checkin_user_id",
        "overdue_notified_date",
    }
)
# The history of the holding: corrected by asset administrators only (tracked).
HISTORY_FIELDS = frozenset(
    {
        "holder_id",
        "date_from",
        "date_returned",
        "location_from_id",
        "return_location_id",
        "reservation_id",
    }
)
# Private paths (see tools/private_path.py): a check-out that applied the check-out
# rules, and the flows that record the fields above.
CHECKOUT_PATH = "stock.asset.custody.checkout"
LEDGER_PATH = "stock.asset.custody.ledger"


class StockAssetCustody(models.Model):
    _name = "stock.asset.custody"
    _inherit = ["stock.asset.record.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Asset Custody"
    _order = "date_from desc, id desc"
    _rec_names_search = ["asset_id.code", "asset_id.name", "holder_id.name"]
    _check_company_auto = True

    asset_id = fields.Many2one(tracking=True)
    # Read through the custody line (the portal has no access to assets).
    asset_code = fields.Char(
        related="asset_id.code", string="Asset Tag", tracking=False
    )
    asset_name = fields.Char(
        related="asset_id.name", string="Asset Name", tracking=False
    )
    asset_serial = fields.Char(related="asset_id.serial_number", string="Serial")
    asset_category_name = fields.Char(
        related="asset_id.category_id.name", string="Asset Category"
    )
    asset_image_128 = fields.Image(related="asset_id.image_128")
    category_id = fields.Many2one(
        related="asset_id.category_id",
        string="Category",
        store=True,
        tracking=False,
        index=True,
        precompute=True,
        groups="base.group_user",
    )
    holder_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        help="Who has the asset: a contact, or an employee through their work "
        "contact.",
    )
    holder_name = fields.Char(
        related="holder_id.name", string="Holder Name", tracking=False
    )
    date_from = fields.Datetime(
        string="Checked Out On",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
    )
    date_due = fields.Datetime(
        string="Due Back", index=True, tracking=True, help="Expected return."
    )
    date_returned = fields.Datetime(
        string="Returned On", index=True, copy=False, tracking=True
    )
    state = fields.Selection(
        [("open", "Out"), ("returned", "Returned")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    location_from_id = fields.Many2one(
        "stock.location",
        string="From Location",
        check_company=True,
        tracking=True,
        help="Where the asset was when it went out.",
        groups="base.group_user",
    )
    location_to_id = fields.Many2one(
        "stock.location",
        string="To Location",
        check_company=True,
        tracking=True,
        help="Where the holder takes it (a site, a van); the asset's location "
        "follows.",
        groups="base.group_user",
    )
    return_location_id = fields.Many2one(
        "stock.location",
        string="Returned To",
        check_company=True,
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    checkout_user_id = fields.Many2one(
        "res.users",
        string="Checked Out By",
        default=lambda self: self.env.user,
        tracking=True,
        groups="base.group_user",
    )
    checkin_user_id = fields.Many2one(
        "res.users",
        string="Checked In By",
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    note_out = fields.Text(string="Condition at Check-out", tracking=True)
    note_in = fields.Text(
        string="Condition at Check-in",
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    signature = fields.Image(
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
        help="The holder's signature acknowledging receipt.",
    )
    signed_by = fields.Char(copy=False, tracking=True)
    acknowledged_date = fields.Datetime(
        string="Acknowledged On",
        copy=False,
        tracking=True,
        help="When the holder acknowledged receipt (on the spot, or in the portal).",
    )
    reservation_id = fields.Many2one(
        "stock.asset.reservation",
        check_company=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="The reservation this check-out fulfilled.",
        groups="base.group_user",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Still out after its due date.",
    )
    overdue_notified_date = fields.Datetime(
        string="Overdue Reminder On",
        readonly=True,
        copy=False,
        help="When the overdue follow-up ran for this custody (activity, e-mail); "
        "reset when the due date changes.",
        groups="base.group_user",
    )

    can_correct_history = fields.Boolean(
        compute="_compute_can_correct_history",
        help="The current user may correct the history of the holding (asset "
        "administrators).",
    )

    # Computes ----------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_can_correct_history(self):
        allowed = self.env.user.has_group("stock_asset_tracking.group_asset_manager")
        for custody in self:
            custody.can_correct_history = allowed

    @api.depends("asset_code", "holder_name")
    def _compute_display_name(self):
        for custody in self:
            custody.display_name = self.env._(
                "%(asset)s with %(holder)s",
                asset=custody.asset_code or "",
                holder=custody.holder_name or "",
            )

    @api.depends("date_returned")
    def _compute_state(self):
        for custody in self:
            custody.state = "returned" if custody.date_returned else "open"

    @api.depends("date_due", "date_returned")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for custody in self:
            custody.is_overdue = bool(
                not custody.date_returned
                and custody.date_due
                and custody.date_due < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        overdue = [
            ("date_returned", "=", False),
            ("date_due", "!=", False),
            ("date_due", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return overdue
        return [("id", "not in", self._search(overdue))]

    # Constraints -------------------------------------------------------------------
    @api.constrains("date_from", "date_due", "date_returned")
    def _check_dates(self):
        for custody in self:
            if custody.date_due and custody.date_due < custody.date_from:
                raise ValidationError(
                    self.env._(
                        "%(asset)s cannot be due back (%(due)s) before it goes out "
                        "(%(start)s).",
                        asset=custody.asset_code,
                        due=format_moment(self.env, custody.date_due),
                        start=format_moment(self.env, custody.date_from),
                    )
                )
            if custody.date_returned and custody.date_returned < custody.date_from:
                raise ValidationError(
                    self.env._(
                        "%(asset)s cannot come back (%(back)s) before it went out "
                        "(%(start)s).",
                        asset=custody.asset_code,
                        back=format_moment(self.env, custody.date_returned),
                        start=format_moment(self.env, custody.date_from),
                    )
                )

    # CRUD --------------------------------------------------------------------------
    def init(self):
        # One open custody per asset, even under concurrent check-outs.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS stock_asset_custody_one_open_uniq
                ON stock_asset_custody (asset_id) WHERE date_returned IS NULL
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_open(self.env, CHECKOUT_PATH):
            self._check_direct_create(vals_list)
            self._check_new_open_custody(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "asset_id" in vals and any(
            custody.asset_id.id != vals["asset_id"] for custody in self
        ):
            raise UserError(
                self.env._(
                    "A custody record stays on its asset: check the asset in and "
                    "check the other one out instead."
                )
            )
        self._check_ledger_write(vals)
        ledger_fields = [
            fname for fname in vals if not fname.startswith(CHATTER_FIELD_PREFIXES)
        ]
        if ledger_fields:
            self._check_closed_write()
        if "date_due" in vals and "overdue_notified_date" not in vals:
            vals = dict(vals, overdue_notified_date=False)
        return super().write(vals)

    # Actions -------------------------------------------------------------------------
    def action_checkin(self):
        """Check in the assets of these open custody records (form button)."""
        self.filtered(lambda custody: not custody.date_returned).asset_id._checkin()
        return True

    def action_open_checkin_wizard(self):
        return self.asset_id.action_open_checkin_wizard()

    def action_acknowledge(self, signature=None, signed_by=None):
        """The holder acknowledges receipt: timestamped on the custody line.

        Callable by the holder themself (a portal user, or an employee with a user),
        on their own open lines only; the record rules decide which lines they see.
        """
        self.check_access("read")
        partners = self._own_partners()
        for custody in self:
            if custody.holder_id not in partners:
                raise UserError(
                    self.env._(
                        "Only %(holder)s can acknowledge receipt of %(asset)s.",
                        holder=custody.holder_name,
                        asset=custody.asset_code,
                    )
                )
            if custody.date_returned:
                raise UserError(
                    self.env._(
                        "%(asset)s was already returned: nothing to acknowledge.",
                        asset=custody.asset_code,
                    )
                )
            if custody.acknowledged_date:
                raise UserError(
                    self.env._(
                        "Receipt of %(asset)s was already acknowledged on %(date)s.",
                        asset=custody.asset_code,
                        date=format_moment(self.env, custody.acknowledged_date),
                    )
                )
        vals = {"acknowledged_date": fields.Datetime.now()}
        if signature:
            vals.update(signature=signature, signed_by=signed_by or self.env.user.name)
        # sudo: holders may not write custody lines; the lines were checked above
        self.sudo()._write_recorded(vals)
        return True

    def action_report_problem(self, description):
        """The holder reports a problem with the asset: a message on the asset's
        chatter, authored by the holder."""
        self.ensure_one()
        self.check_access("read")
        if self.holder_id not in self._own_partners():
            raise UserError(
                self.env._(
                    "Only %(holder)s can report a problem with %(asset)s from here.",
                    holder=self.holder_name,
                    asset=self.asset_code,
                )
            )
        description = (description or "").strip()
        if not description:
            raise UserError(self.env._("Describe the problem before sending it."))
        body = Markup("<p><strong>%s</strong></p>%s") % (
            self.env._("Problem reported by the holder"),
            plaintext2html(description),
        )
        asset = self.asset_id
        # sudo: the holder may not read the asset; it is the one of a line they hold
        asset.sudo().message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=asset.sudo().user_id.partner_id.ids,
        )
        return True

    # Crons ---------------------------------------------------------------------------
    @api.model
    def _cron_overdue_followup(self):
        """Daily: each custody that became overdue gets one activity for the holder's
        responsible user and, where the company asks for it, an e-mail to the holder.
        A custody is followed up once per due date (rerunning changes nothing)."""
        overdue = self.search(
            [("is_overdue", "=", True), ("overdue_notified_date", "=", False)]
        )
        if not overdue:
            return True
        activity_type = self.env.ref(
            "stock_asset_tracking.mail_activity_type_custody_overdue"
        )
        already = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", overdue.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": custody.id,
                    "user_id": custody._get_followup_user().id,
                    "date_deadline": today,
                    "automated": True,
                    "summary": self.env._(
                        "%(asset)s overdue since %(due)s",
                        asset=custody.asset_code,
                        due=format_moment(self.env, custody.date_due),
                    ),
                    "note": activity_type.default_note,
                }
                for custody in overdue - self.browse(already.mapped("res_id"))
            ]
        )
        to_mail = overdue.filtered(
            lambda custody: custody.company_id.asset_overdue_email
            and custody.holder_id.email
        )
        if to_mail:
            template = self.env.ref(
                "stock_asset_tracking.mail_template_custody_overdue"
            )
            to_mail.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        overdue._write_recorded({"overdue_notified_date": fields.Datetime.now()})
        return True

    # Business helpers ----------------------------------------------------------------
    @api.model
    def _create_checked(self, vals_list):
        """Create the custody lines of a check-out that applied the check-out
        rules (``stock.asset._checkout``): they are not checked a second time."""
        with private_path(self.env, CHECKOUT_PATH):
            return self.create(vals_list)

    def _write_recorded(self, vals):
        """Write the fields the flows record (check-in, acknowledgement, overdue
        follow-up): the one path around ``_check_ledger_write``."""
        with private_path(self.env, LEDGER_PATH):
            return self.write(vals)

    def _check_ledger_write(self, vals):
        """The custody ledger is evidence: who checked out and in, and the
        holder's acknowledgement, are recorded by their flows only; the history of
        the holding is corrected by asset administrators only (tracked)."""
        if self.env.su or is_open(self.env, LEDGER_PATH):
            return
        recorded = RECORDED_FIELDS & vals.keys()
        if recorded:
            raise UserError(
                self.env._(
                    "Custody of %(assets)s: %(fields)s cannot be written by hand; "
                    "they are recorded by the check-out, the check-in and the "
                    "holder's own acknowledgement.",
                    assets=", ".join(self.mapped("asset_code")),
                    fields=self._field_labels(recorded),
                )
            )
        history = HISTORY_FIELDS & vals.keys()
        if history and not self.env.user.has_group(
            "stock_asset_tracking.group_asset_manager"
        ):
            raise UserError(
                self.env._(
                    "Custody of %(assets)s: %(fields)s are the custody history; "
                    "check the asset in and out to change them, only asset "
                    "administrators may correct them.",
                    assets=", ".join(self.mapped("asset_code")),
                    fields=self._field_labels(history),
                )
            )

    @api.model
    def _check_direct_create(self, vals_list):
        """Custody lines created directly (not by a check-out) are recorded by
        the current user, unacknowledged; only asset administrators enter past
        (returned) ones."""
        if self.env.su:
            return
        for vals in vals_list:
            recorded = {
                fname
                for fname in RECORDED_FIELDS & vals.keys()
                if vals[fname]
                and not (fname == "checkout_user_id" and vals[fname] == self.env.uid)
            }
            if recorded:
                raise UserError(
                    self.env._(
                        "A custody line cannot be created with %(fields)s: they "
                        "are recorded by the check-out, the check-in and the "
                        "holder's own acknowledgement.",
                        fields=self._field_labels(recorded),
                    )
                )
            if vals.get("date_returned") and not self.env.user.has_group(
                "stock_asset_tracking.group_asset_manager"
            ):
                raise UserError(
                    self.env._(
                        "Only asset administrators may enter a returned custody "
                        "line: check the asset out and in instead."
                    )
                )

    def _field_labels(self, fnames):
        return ", ".join(
            self._fields[fname]._description_string(self.env)
            for fname in sorted(fnames)
        )

    def _get_followup_user(self):
        """Who follows up an overdue custody: the holder's salesperson, else the
        asset's responsible, else whoever checked it out."""
        self.ensure_one()
        for user in (
            self.holder_id.user_id,
            self.asset_id.user_id,
            self.checkout_user_id,
        ):
            if user and user.active and not user.share:
                return user
        return self.env.ref("base.user_root")

    def _busy_until(self):
        """Until when the asset is out: its due date, or now when that is past;
        None when no return date was given."""
        self.ensure_one()
        if not self.date_due:
            return None
        return max(self.date_due, fields.Datetime.now())

    def _own_partners(self):
        """The contacts the current user acts for as a holder (the record rules say
        the same): their own contact; for portal users also their commercial entity
        (a customer company holding a loaner). Never a colleague's."""
        partner = self.env.user.partner_id
        if self.env.user.share:
            return partner | partner.commercial_partner_id
        return partner

    def _check_closed_write(self):
        if self.env.su or self.env.user.has_group(
            "stock_asset_tracking.group_asset_manager"
        ):
            return
        closed = self.filtered("date_returned")
        if closed:
            raise UserError(
                self.env._(
                    "Custody of %(assets)s is closed: a returned custody record is "
                    "read-only, only asset administrators may correct it.",
                    assets=", ".join(closed.mapped("asset_code")),
                )
            )

    @api.model
    def _check_new_open_custody(self, vals_list):
        """Custody records created directly (not through a check-out) obey the
        check-out rules when they are open."""
        opened = Counter(
            vals["asset_id"]
            for vals in vals_list
            if vals.get("asset_id") and not vals.get("date_returned")
        )
        twice = [asset_id for asset_id, count in opened.items() if count > 1]
        if twice:
            raise UserError(
                self.env._(
                    "%(assets)s cannot go out twice at once.",
                    assets=", ".join(
                        self.env["stock.asset"].browse(twice).mapped("code")
                    ),
                )
            )
        messages = []
        for vals in vals_list:
            if vals.get("date_returned") or not vals.get("asset_id"):
                continue
            asset = self.env["stock.asset"].browse(vals["asset_id"])
            holder = self.env["res.partner"].browse(vals.get("holder_id"))
            refusals = asset._check_checkout_allowed(
                holder,
                date_from=fields.Datetime.to_datetime(vals.get("date_from")),
                date_due=fields.Datetime.to_datetime(vals.get("date_due")),
            )
            for asset_messages in refusals.values():
                messages.extend(asset_messages)
        if messages:
            raise UserError("\n".join(messages))
