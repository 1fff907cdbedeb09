# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..common import (
    EARLY_PICKUP,
    UNAVAILABLE_STATES,
    count_by,
    format_moment,
)


class StockAsset(models.Model):
    """Custody: check-out / check-in, reservations."""

    _inherit = "stock.asset"

    @api.depends("custody_ids.date_returned", "custody_ids.holder_id")
    def _compute_custody_id(self):
        for asset in self:
            custody = asset.custody_ids.filtered(
                lambda line: not line.date_returned
            ).sorted("date_from", reverse=True)[:1]
            asset.custody_id = custody
            asset.holder_id = custody.holder_id

    def _compute_custody_count(self):
        custody = count_by(self, "stock.asset.custody", "asset_id")
        reservations = count_by(
            self, "stock.asset.reservation", "asset_id", [("state", "=", "confirmed")]
        )
        for asset in self:
            asset.custody_count = custody.get(asset, 0)
            asset.reservation_count = reservations.get(asset, 0)

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

    def action_checkin(
        self, note=None, location=None, date_returned=None, return_home=True
    ):
        """Check the assets back in (closes their open custody records); ``location``
        (record or id) is where they are put back; without one, each asset returns
        to its home location (``return_home``) or stays where it is. Raises
        UserError when one of them is not out."""
        self._checkin(
            note=note,
            location=self.env["stock.location"].browse(
                getattr(location, "id", location) or []
            ),
            date_returned=date_returned,
            return_home=return_home,
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
        return self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_custody_action"
        )

    def action_view_reservations(self):
        return self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_reservation_action",
            search_default_upcoming=1,
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
            *Reservation._get_booking_domain(self, self.category_id),
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
        self,
        note=None,
        location=None,
        date_returned=None,
        raise_if_refused=True,
        return_home=True,
    ):
        """Check ``self`` back in: returns ``(custody, refusals)``, the custody
        records closed and ``{asset_id: message}`` of the assets that were not out.
        Without ``location``, each asset goes back to its home location when
        ``return_home`` (and it has one), else stays where it is."""
        self._lock_for_custody()
        refusals = self._check_checkin_allowed(raise_if_refused=raise_if_refused)
        allowed = self.filtered(lambda asset: asset.id not in refusals)
        custody = allowed.custody_id
        # one write per destination (the asset's home when none is given)
        Location = self.env["stock.location"]
        by_place = defaultdict(lambda: self.browse())
        for asset in allowed:
            place = location or (asset.home_location_id if return_home else Location)
            by_place[place] |= asset
        returned = fields.Datetime.to_datetime(date_returned) or fields.Datetime.now()
        for place, assets in by_place.items():
            assets.custody_id._write_recorded(
                {
                    "date_returned": returned,
                    "checkin_user_id": self.env.uid,
                    "note_in": note or False,
                    "return_location_id": place.id,
                }
            )
            if place:
                assets.write({"location_id": place.id})
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
        ``{asset_id: "reason"}`` when it was not out; the others still apply.
        Without ``location`` (the batch named none), each asset returns home."""
        _custody, refusals = assets._checkin(
            note=note, location=location, raise_if_refused=False
        )
        return {asset.id: refusals.get(asset.id) for asset in assets}
