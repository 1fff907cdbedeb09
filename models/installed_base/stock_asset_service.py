# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

SERVICE_TYPES = [
    ("installation", "Installation"),
    ("preventive", "Preventive Visit"),
    ("repair", "Repair"),
    ("calibration", "Calibration"),
    ("inspection", "Inspection"),
]
# What a customer may ask for from the portal, and the fields they may set.
PORTAL_REQUEST_TYPES = ("repair", "preventive", "inspection")
PORTAL_FIELDS = frozenset({"asset_id", "service_type", "notes"})
PORTAL_NOTES_MAX = 4000


class StockAssetService(models.Model):
    """One service intervention on an item, mostly an installed-base item at a
    customer: installation, preventive visit, repair, calibration, inspection.
    Customers' requests from the portal arrive as requested (draft) entries."""

    _name = "stock.asset.service"
    _inherit = ["stock.asset.record.mixin"]
    _description = "Asset Service Entry"
    _order = "date desc, id desc"
    _check_company_auto = True

    asset_id = fields.Many2one(string="Item", ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The customer the item belonged to when the service took place.",
    )
    serial_number = fields.Char(related="asset_id.serial_number")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    service_type = fields.Selection(
        SERVICE_TYPES, string="Type", required=True, default="preventive"
    )
    state = fields.Selection(
        [("draft", "Requested"), ("done", "Done"), ("cancel", "Cancelled")],
        string="Status",
        required=True,
        default="done",
        index=True,
    )
    technician_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user if not self.env.user.share else False,
        groups="base.group_user",
    )
    notes = fields.Text()
    duration = fields.Float(
        string="Time Spent",
        help="Hours spent on the intervention, travel included.",
        groups="base.group_user",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "stock_asset_service_ir_attachment_rel",
        "service_id",
        "attachment_id",
        string="Attachments",
        groups="base.group_user",
    )
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty",
        store=True,
        readonly=False,
        help="The date falls in the item's warranty, as the item's warranty stood "
        "when the entry was recorded (a later new warranty leaves it as it is).",
    )
    calibration_id = fields.Many2one(
        "stock.asset.calibration",
        string="Schedule Record",
        readonly=True,
        copy=False,
        check_company=True,
        help="The record of this visit on the item's preventive service schedule.",
        groups="base.group_user",
    )
    requested_by_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="The customer contact who asked for the service from the portal.",
        groups="base.group_user",
    )

    _sql_constraints = [
        (
            "duration_positive",
            "CHECK(duration >= 0)",
            "The time spent on a service cannot be negative.",
        ),
    ]

    @api.depends("asset_id")
    def _compute_partner_id(self):
        for service in self:
            service.partner_id = service.asset_id.partner_id

    @api.depends("date", "asset_id")
    def _compute_under_warranty(self):
        for service in self:
            asset = service.asset_id
            start, end = asset.warranty_start_date, asset.warranty_end_date
            service.under_warranty = bool(
                service.date and end and (not start or start <= service.date <= end)
            )

    def _compute_display_name(self):
        types = dict(self._fields["service_type"]._description_selection(self.env))
        for service in self:
            service.display_name = self.env._(
                "%(type)s of %(item)s",
                type=types.get(service.service_type, ""),
                item=service.asset_id.code or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.user.share and not self.env.su:
            self._check_portal_vals(vals_list)
            today = fields.Date.context_today(self)
            for vals in vals_list:
                vals.update(
                    state="draft",
                    date=today,
                    requested_by_id=self.env.user.partner_id.id,
                )
        return super().create(vals_list)

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.write({"state": "cancel"})
        return True

    def action_reset_to_requested(self):
        self.write({"state": "draft"})
        return True

    def action_record_on_schedule(self):
        """Record done preventive visits on their item's preventive service
        schedule (the calibration engine): a passing record, confirmed, that
        moves the schedule's next due date. Needs the right to record checks."""
        kind = self.env.ref("stock_asset_tracking.calibration_kind_preventive_service")
        todo = self.filtered(
            lambda entry: entry.state == "done"
            and entry.service_type == "preventive"
            and not entry.calibration_id
        )
        schedules = self.env["stock.asset.calibration.schedule"].search(
            [("asset_id", "in", todo.asset_id.ids), ("kind_id", "=", kind.id)]
        )
        schedule_of = {schedule.asset_id: schedule for schedule in schedules}
        missing = todo.filtered(lambda entry: entry.asset_id not in schedule_of)
        if missing:
            raise UserError(
                self.env._(
                    "%(item)s has no preventive service schedule.",
                    item=missing[0].asset_id.display_name,
                )
            )
        for entry in todo.sorted(lambda entry: (entry.date, entry.id)):
            record = self.env["stock.asset.calibration"].create(
                {
                    "asset_id": entry.asset_id.id,
                    "schedule_id": schedule_of[entry.asset_id].id,
                    "date": entry.date,
                    "technician_id": (entry.technician_id or self.env.user).id,
                    "performer_type": "internal",
                    "result": "pass",
                }
            )
            record.action_confirm()
            entry.calibration_id = record
        return True

    # Portal ---------------------------------------------------------------------
    @api.model
    def _check_portal_vals(self, vals_list):
        """Customers only ask: they name their item, a type and a note."""
        for vals in vals_list:
            if set(vals) - PORTAL_FIELDS:
                raise AccessError(
                    self.env._("Customers can only request a service on their items.")
                )
            if vals.get("service_type", "repair") not in PORTAL_REQUEST_TYPES:
                raise ValidationError(self.env._("Unknown kind of service request."))

    @api.model
    def _portal_request(self, asset, service_type, notes):
        """A customer asks for service on ``asset``: a requested entry, created
        with the customer's own rights (the record rules bound it to their
        commercial entity's items), and a to-do for the item's responsible."""
        asset.check_access("read")
        notes = (notes or "").strip()
        if not notes:
            raise UserError(self.env._("Describe what the item needs."))
        service = self.create(
            {
                "asset_id": asset.id,
                "service_type": service_type,
                "notes": notes[:PORTAL_NOTES_MAX],
            }
        )
        # the customer may not write activities: this one call runs as superuser,
        # on the entry just created within their rights
        service.sudo()._schedule_request_activity()
        return service

    def _schedule_request_activity(self):
        types = dict(self._fields["service_type"]._description_selection(self.env))
        for service in self:
            asset = service.asset_id
            asset.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._(
                    "%(type)s requested by %(customer)s",
                    type=types[service.service_type],
                    customer=service.requested_by_id.display_name,
                ),
                note=plaintext2html(service.notes or ""),
                user_id=service._get_service_responsible().id,
            )

    def _get_service_responsible(self):
        """Who handles a request: the item's responsible, else the user who
        delivered it, else an asset administrator of its company."""
        self.ensure_one()
        asset = self.asset_id
        managers = self.env.ref("stock_asset_tracking.group_asset_manager").users
        return asset._get_activity_user(
            (asset.user_id, asset.delivery_picking_id.user_id, *managers.sorted("id"))
        )

    def _portal_history(self):
        """The entries of ``self`` and the item's repair orders (when Repairs is
        installed), newest first, as dicts for the portal page."""
        types = dict(self._fields["service_type"]._description_selection(self.env))
        states = dict(self._fields["state"]._description_selection(self.env))
        history = [
            {
                "date": service.date,
                "kind": types[service.service_type],
                "status": states[service.state],
                "notes": service.notes or "",
                "under_warranty": service.under_warranty,
                # internal people are not readable by customers: the name only
                "technician": service.sudo().technician_id.name or "",
            }
            for service in self.filtered(lambda entry: entry.state != "cancel")
        ]
        return sorted(history, key=lambda entry: entry["date"], reverse=True)

    @api.model
    def _portal_repair_history(self, asset):
        """The repair orders of the item's serial for its customer, when Repairs
        is installed (soft link), as dicts for the portal page."""
        asset.check_access("read")
        Repair = self.env.get("repair.order")
        # the serial is internal (customers read its name only): sudo, on an item
        # they may read
        lot = asset.sudo().lot_id
        if Repair is None or not lot or not asset.partner_id:
            return []
        # customers have no access to repair orders: read, as superuser, only the
        # ones of the serial of an item they may read, for their entity
        repairs = Repair.sudo().search(
            [
                ("lot_id", "=", lot.id),
                ("company_id", "=", asset.company_id.id),
                ("partner_id", "child_of", asset.partner_id.id),
                ("state", "!=", "cancel"),
            ],
            order="id desc",
        )
        states = dict(Repair._fields["state"]._description_selection(self.env))
        return [
            {
                "date": fields.Date.context_today(self, repair.schedule_date),
                "kind": self.env._("Repair order %(name)s", name=repair.name),
                "status": states.get(repair.state, ""),
                "notes": "",  # internal notes stay internal
                "under_warranty": repair.under_warranty,
                "technician": repair.user_id.name or "",
            }
            for repair in repairs
        ]
