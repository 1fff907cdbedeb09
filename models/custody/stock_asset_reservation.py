# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..common import (
    EDITABLE_COMPUTE,
    UNAVAILABLE_STATES,
    format_moment,
    records_action,
)

# A check-out fulfils a reservation of its holder that starts within this delay
# (an early pick-up) or has started and not ended yet.


def peak_overlap(intervals, start, end):
    """The largest number of ``intervals`` that overlap at one instant of
    ``[start, end)``. Intervals are ``(begin, finish)`` pairs, half-open; a
    ``finish`` (or ``end``) of ``None`` is open-ended."""
    events = []
    for begin, finish in intervals:
        begin = max(begin, start)
        if end is not None:
            finish = end if finish is None else min(finish, end)
        if finish is not None and begin >= finish:
            continue
        events.append((begin, 1))
        if finish is not None:
            events.append((finish, -1))
    # an interval ending when another begins does not overlap it
    events.sort()
    peak = load = 0
    for _moment, step in events:
        load += step
        peak = max(peak, load)
    return peak


class StockAssetReservation(models.Model):
    _name = "stock.asset.reservation"
    _inherit = ["mail.thread"]
    _description = "Asset Reservation"
    _order = "date_start, id"
    _rec_names_search = ["asset_id.code", "category_id.name", "holder_id.name"]
    _check_company_auto = True

    asset_id = fields.Many2one(
        "stock.asset",
        index=True,
        check_company=True,
        tracking=True,
        domain=[("state", "not in", UNAVAILABLE_STATES)],
        help="Leave empty to book any asset of the category: one is picked at "
        "check-out.",
    )
    category_id = fields.Many2one(
        "stock.asset.category",
        compute="_compute_category_id",
        index=True,
        check_company=True,
        tracking=True,
        **EDITABLE_COMPUTE,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        required=True,
        index=True,
        **EDITABLE_COMPUTE,
    )
    holder_id = fields.Many2one(
        "res.partner",
        string="For",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        help="Who will take the asset.",
    )
    date_start = fields.Datetime(string="From", required=True, tracking=True)
    date_end = fields.Datetime(string="To", required=True, tracking=True)
    state = fields.Selection(
        [
            ("confirmed", "Reserved"),
            ("fulfilled", "Checked Out"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="confirmed",
        index=True,
        copy=False,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Booked By", default=lambda self: self.env.user
    )
    note = fields.Text()
    custody_ids = fields.One2many(
        "stock.asset.custody", "reservation_id", string="Check-outs"
    )
    fulfilled_asset_id = fields.Many2one(
        "stock.asset",
        string="Asset Checked Out",
        compute="_compute_fulfilled_asset_id",
    )

    # Computes ----------------------------------------------------------------------
    @api.depends("asset_id")
    def _compute_category_id(self):
        for reservation in self.filtered("asset_id"):
            reservation.category_id = reservation.asset_id.category_id

    @api.depends("asset_id", "category_id")
    def _compute_company_id(self):
        for reservation in self:
            reservation.company_id = (
                reservation.asset_id.company_id
                or reservation.category_id.company_id
                or reservation.company_id
                or self.env.company
            )

    @api.depends("custody_ids")
    def _compute_fulfilled_asset_id(self):
        for reservation in self:
            reservation.fulfilled_asset_id = reservation.custody_ids[:1].asset_id

    @api.depends("asset_id.code", "category_id.name", "holder_id.name")
    def _compute_display_name(self):
        for reservation in self:
            reservation.display_name = self.env._(
                "%(what)s for %(holder)s",
                what=reservation._target_label(),
                holder=reservation.holder_id.name or "",
            )

    # Constraints -------------------------------------------------------------------
    @api.constrains("asset_id", "category_id")
    def _check_target(self):
        for reservation in self:
            if not reservation.asset_id and not reservation.category_id:
                raise ValidationError(
                    self.env._(
                        "A reservation books an asset, or any asset of a category."
                    )
                )
            if (
                reservation.asset_id
                and reservation.category_id != reservation.asset_id.category_id
            ):
                raise ValidationError(
                    self.env._(
                        "Asset %(asset)s is not of category %(category)s.",
                        asset=reservation.asset_id.code,
                        category=reservation.category_id.name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for reservation in self:
            if reservation.date_end <= reservation.date_start:
                raise ValidationError(
                    self.env._(
                        "The reservation of %(what)s must end after it starts.",
                        what=reservation._target_label(),
                    )
                )

    @api.constrains(
        "asset_id", "category_id", "holder_id", "date_start", "date_end", "state"
    )
    def _check_availability(self):
        booked = self.filtered(lambda reservation: reservation.state == "confirmed")
        if not booked:
            return
        booked._lock_targets()
        for reservation in booked:
            messages = reservation._get_conflicts()
            if messages:
                raise ValidationError("\n".join(messages))

    # Actions -------------------------------------------------------------------------
    def action_cancel(self):
        self.filtered(lambda r: r.state == "confirmed").write({"state": "cancelled"})
        return True

    def action_confirm(self):
        """Book a cancelled or expired reservation again (conflicts re-checked)."""
        self.filtered(lambda r: r.state in ("cancelled", "expired")).write(
            {"state": "confirmed"}
        )
        return True

    def action_open_checkout_wizard(self):
        """Check out the reserved asset (or pick one of the category)."""
        self.ensure_one()
        if self.state != "confirmed":
            raise UserError(
                self.env._(
                    "Only a confirmed reservation can be checked out: %(what)s is "
                    "%(state)s.",
                    what=self.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ],
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_checkout_action"
        )
        action["context"] = {
            "default_reservation_id": self.id,
            "default_holder_id": self.holder_id.id,
            "default_date_due": fields.Datetime.to_string(self.date_end),
            "default_asset_ids": self.asset_id.ids,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_view_custody(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_custody_action",
            "reservation_id",
            {},
        )

    # Crons ---------------------------------------------------------------------------
    @api.model
    def _cron_expire_no_shows(self):
        """Reservations nobody picked up expire: once their company's grace delay
        after the start has passed, or once they have ended."""
        now = fields.Datetime.now()
        started = self.search([("state", "=", "confirmed"), ("date_start", "<", now)])
        expired = started.filtered(
            lambda r: r.date_end <= now
            or r.date_start
            + timedelta(hours=r.company_id.asset_reservation_grace_hours)
            <= now
        )
        expired.write({"state": "expired"})
        return True

    # Business helpers ----------------------------------------------------------------
    def _target_label(self):
        self.ensure_one()
        if self.asset_id:
            return self.asset_id.code or ""
        return self.env._("Any %(category)s", category=self.category_id.name or "")

    def _lock_targets(self):
        """Serialise bookings of the same assets and categories.

        The rows are updated (to themselves), not only locked: under Odoo's
        REPEATABLE READ a concurrent booking then fails to serialise and is retried,
        instead of deciding on a snapshot that misses this one."""
        asset_ids = sorted(set(self.asset_id.ids))
        category_ids = sorted(set(self.category_id.ids))
        if asset_ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE stock_asset SET id = id WHERE id = ANY(%s)",
                    asset_ids,
                )
            )
        if category_ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE stock_asset_category SET id = id WHERE id = ANY(%s)",
                    category_ids,
                )
            )

    def _get_conflicts(self):
        """Why this confirmed reservation cannot be kept, as messages."""
        self.ensure_one()
        messages = self._get_asset_conflicts() if self.asset_id else []
        if self.category_id and not messages:
            messages += self._get_category_conflicts()
        return messages

    def _get_asset_conflicts(self):
        """Why the reserved asset cannot be had: its state, another confirmed
        reservation over the same time, or a custody of someone else."""
        messages = []
        start, end = self.date_start, self.date_end
        asset = self.asset_id
        if asset.state in ("disposed", "lost"):
            messages.append(
                self.env._(
                    "%(asset)s cannot be reserved: it is %(state)s.",
                    asset=asset.code,
                    state=dict(asset._fields["state"]._description_selection(self.env))[
                        asset.state
                    ],
                )
            )
        other = self.search(
            [
                ("id", "!=", self.id),
                ("state", "=", "confirmed"),
                ("asset_id", "=", asset.id),
                ("date_start", "<", end),
                ("date_end", ">", start),
            ],
            limit=1,
        )
        if other:
            messages.append(
                self.env._(
                    "%(asset)s is already reserved by %(holder)s from %(start)s "
                    "to %(end)s.",
                    asset=asset.code,
                    holder=other.holder_id.name,
                    start=format_moment(self.env, other.date_start),
                    end=format_moment(self.env, other.date_end),
                )
            )
        custody = asset.custody_id
        if custody and custody.holder_id != self.holder_id:
            back = custody._busy_until()
            if back is None:
                messages.append(
                    self.env._(
                        "%(asset)s is out with %(holder)s with no return date.",
                        asset=asset.code,
                        holder=custody.holder_id.name,
                    )
                )
            elif back > start:
                messages.append(
                    self.env._(
                        "%(asset)s is out with %(holder)s until %(due)s.",
                        asset=asset.code,
                        holder=custody.holder_id.name,
                        due=format_moment(self.env, back),
                    )
                )
        return messages

    def _get_category_conflicts(self):
        """Why the category is short at the busiest moment of the reservation:
        a booking of "any asset" finds none free; a booking of an asset takes
        the one the "any asset" bookings need."""
        start, end = self.date_start, self.date_end
        asset, category = self.asset_id, self.category_id
        capacity, peak, bookings = self._category_load(
            category,
            self.company_id,
            start,
            end,
            exclude_reservations=self,
            exclude_assets=asset,
        )
        if not asset:
            if peak + 1 <= capacity:
                return []
            return [
                self.env._(
                    "No %(category)s asset is free from %(start)s to %(end)s: "
                    "%(capacity)s available, %(busy)s reserved or out at "
                    "the busiest moment.",
                    category=category.name,
                    start=format_moment(self.env, start),
                    end=format_moment(self.env, end),
                    capacity=capacity,
                    busy=peak,
                )
            ]
        # an asset booking only competes with "any asset" bookings, and only
        # when the asset counts among the available ones
        if not bookings or asset.state in UNAVAILABLE_STATES or peak + 1 <= capacity:
            return []
        return [
            self.env._(
                "%(asset)s cannot be reserved from %(start)s to %(end)s: "
                "the %(count)s reservation(s) of any %(category)s asset "
                "need it.",
                asset=asset.code,
                start=format_moment(self.env, start),
                end=format_moment(self.env, end),
                count=len(bookings),
                category=category.name,
            )
        ]

    @api.model
    def _category_load(
        self,
        category,
        company,
        start,
        end,
        exclude_reservations=None,
        exclude_assets=None,
    ):
        """How many assets of ``category`` (in ``company``) can go out, and how many
        are needed at the busiest instant of ``[start, end)`` (``end`` None = open):
        out on custody, reserved by asset, or booked as "any asset of the category".

        Returns ``(capacity, peak, category_bookings)``, the last being the "any
        asset" reservations overlapping the window.
        """
        exclude_reservations = exclude_reservations or self.browse()
        exclude_assets = exclude_assets or self.env["stock.asset"]
        assets = self.env["stock.asset"].search(
            [
                ("category_id", "=", category.id),
                ("company_id", "=", company.id),
                ("state", "not in", UNAVAILABLE_STATES),
            ]
        )
        busy_assets = assets - exclude_assets
        intervals = [
            (custody.date_from, custody._busy_until())
            for custody in self.env["stock.asset.custody"].search(
                [("asset_id", "in", busy_assets.ids), ("date_returned", "=", False)]
            )
        ]
        overlap = [("date_end", ">", start)]
        if end is not None:
            overlap.append(("date_start", "<", end))
        reservations = self.search(
            [
                ("id", "not in", exclude_reservations.ids),
                ("state", "=", "confirmed"),
                ("company_id", "=", company.id),
                *overlap,
                *self._get_booking_domain(busy_assets, category),
            ]
        )
        intervals += [(r.date_start, r.date_end) for r in reservations]
        bookings = reservations.filtered(lambda r: not r.asset_id)
        return len(assets), peak_overlap(intervals, start, end), bookings

    @api.model
    def _get_booking_domain(self, assets, categories):
        """The reservations of ``assets``, and the "any asset of the category"
        bookings of ``categories``."""
        return [
            "|",
            ("asset_id", "in", assets.ids),
            "&",
            ("asset_id", "=", False),
            ("category_id", "in", categories.ids),
        ]
