# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.custody.stock_asset_reservation import peak_overlap
from .custody_common import NOW, CustodyCommon


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestReservation(CustodyCommon):
    def _book(self, what, holder, start, end, user=None):
        vals = {
            "holder_id": holder.id,
            "date_start": start,
            "date_end": end,
        }
        if what._name == "stock.asset":
            vals["asset_id"] = what.id
        else:
            vals["category_id"] = what.id
        return self.Reservation.with_user(user or self.user_a).create(vals)

    # Booking -----------------------------------------------------------------------
    def test_asset_reservation(self):
        booking = self._book(
            self.drill_1, self.holder_a, "2026-03-10 08:00:00", "2026-03-12 18:00:00"
        )
        self.assertRecordValues(
            booking,
            [
                {
                    "asset_id": self.drill_1.id,
                    "category_id": self.category_a.id,
                    "company_id": self.company_a.id,
                    "state": "confirmed",
                    "user_id": self.user_a.id,
                    "display_name": "D-1 for Anna Holder",
                }
            ],
        )
        self.assertEqual(self.drill_1.reservation_count, 1)

    def test_overlapping_asset_reservations_are_refused(self):
        self._book(
            self.drill_1, self.holder_a, "2026-03-10 08:00:00", "2026-03-12 18:00:00"
        )
        with self.assertRefused(
            ValidationError,
            r"^D-1 is already reserved by Anna Holder from 03/10/2026 08:00 to "
            r"03/12/2026 18:00\.$",
        ):
            self._book(
                self.drill_1,
                self.partner_carl,
                "2026-03-11 08:00:00",
                "2026-03-13 18:00:00",
            )
        # back to back is no overlap; another asset is no conflict
        self._book(
            self.drill_1,
            self.partner_carl,
            "2026-03-12 18:00:00",
            "2026-03-13 18:00:00",
        )
        self._book(
            self.drill_2,
            self.partner_carl,
            "2026-03-11 08:00:00",
            "2026-03-13 18:00:00",
        )
        with self.assertRefused(ValidationError, "must end after it starts"):
            self._book(
                self.drill_3,
                self.holder_a,
                "2026-03-11 08:00:00",
                "2026-03-11 08:00:00",
            )

    def test_reservation_of_an_asset_out(self):
        self.drill_1.action_checkout(self.partner_carl)
        with self.assertRefused(
            ValidationError, r"^D-1 is out with Carl Contractor with no return date\.$"
        ):
            self._book(
                self.drill_1,
                self.holder_a,
                "2026-03-10 08:00:00",
                "2026-03-11 08:00:00",
            )
        self.drill_1.custody_id.date_due = "2026-03-10 12:00:00"
        with self.assertRefused(
            ValidationError,
            r"^D-1 is out with Carl Contractor until 03/10/2026 12:00\.$",
        ):
            self._book(
                self.drill_1,
                self.holder_a,
                "2026-03-10 08:00:00",
                "2026-03-11 08:00:00",
            )
        booking = self._book(
            self.drill_1, self.holder_a, "2026-03-10 12:00:00", "2026-03-11 08:00:00"
        )
        self.assertEqual(booking.state, "confirmed")
        self.drill_2.state = "lost"
        with self.assertRefused(ValidationError, r"^D-2 cannot be reserved: it is"):
            self._book(
                self.drill_2,
                self.holder_a,
                "2026-03-10 08:00:00",
                "2026-03-11 08:00:00",
            )

    def test_category_reservations_within_the_available_assets(self):
        """Three drills in service (the fourth is in repair): a fourth booking of
        "any drill" at the same time is refused."""
        for holder in (self.holder_a, self.partner_carl, self.holder_a):
            booking = self._book(
                self.category_a, holder, "2026-03-10 08:00:00", "2026-03-11 18:00:00"
            )
            self.assertFalse(booking.asset_id)
            self.assertEqual(booking.display_name, f"Any Tools A for {holder.name}")
        with self.assertRefused(
            ValidationError,
            r"^No Tools A asset is free from 03/11/2026 08:00 to 03/11/2026 09:00: "
            r"3 available, 3 reserved or out at the busiest moment\.$",
        ):
            self._book(
                self.category_a,
                self.partner_carl,
                "2026-03-11 08:00:00",
                "2026-03-11 09:00:00",
            )
        # assets out and booked by asset count as well
        self._book(
            self.category_a, self.holder_a, "2026-03-05 08:00:00", "2026-03-06 08:00:00"
        )
        self.drill_1.action_checkout(self.partner_carl, date_due="2026-03-07 08:00:00")
        self._book(
            self.drill_2,
            self.partner_carl,
            "2026-03-05 08:00:00",
            "2026-03-06 08:00:00",
        )
        with self.assertRefused(
            ValidationError,
            r"^No Tools A asset is free from 03/05/2026 12:00 to 03/05/2026 13:00: "
            r"3 available, 3 reserved or out at the busiest moment\.$",
        ):
            self._book(
                self.category_a,
                self.holder_a,
                "2026-03-05 12:00:00",
                "2026-03-05 13:00:00",
            )

    def test_category_capacity_counts_the_busiest_moment(self):
        """Two lasers: bookings at 9-10 and 11-12 leave one laser for 9-12."""
        day = "2026-03-10 %s:00:00"
        for start, end in (("09", "10"), ("11", "12"), ("09", "12")):
            self._book(self.category_lasers, self.holder_a, day % start, day % end)
        with self.assertRefused(
            ValidationError,
            r"^No Lasers asset is free from 03/10/2026 09:30 to 03/10/2026 11:30: "
            r"2 available, 2 reserved or out at the busiest moment\.$",
        ):
            self._book(
                self.category_lasers,
                self.partner_carl,
                "2026-03-10 09:30:00",
                "2026-03-10 11:30:00",
            )
        self._book(
            self.category_lasers,
            self.partner_carl,
            "2026-03-10 10:00:00",
            "2026-03-10 11:00:00",
        )
        # booking one laser by itself competes with the "any laser" bookings
        with self.assertRefused(
            ValidationError,
            r"^L-1 cannot be reserved from 03/10/2026 09:00 to 03/10/2026 10:00: the "
            r"2 reservation\(s\) of any Lasers asset need it\.$",
        ):
            self._book(self.laser_1, self.partner_carl, day % "09", day % "10")
        self._book(self.laser_1, self.partner_carl, day % "13", day % "14")

    def test_peak_overlap(self):
        def at(hour, minute=0):
            return datetime(2026, 3, 10, hour, minute)

        self.assertEqual(peak_overlap([], at(9), at(12)), 0)
        self.assertEqual(
            peak_overlap([(at(9), at(10)), (at(10), at(11))], at(8), at(12)), 1
        )
        self.assertEqual(
            peak_overlap([(at(9), at(11)), (at(10), None)], at(8), at(12)), 2
        )
        self.assertEqual(peak_overlap([(at(9), at(11))], at(11), None), 0)
        self.assertEqual(
            peak_overlap([(at(7), None), (at(9), at(10))], at(9, 30), None), 2
        )

    def test_cancel_and_book_again_rechecks(self):
        first = self._book(
            self.drill_1, self.holder_a, "2026-03-10 08:00:00", "2026-03-11 08:00:00"
        )
        first.action_cancel()
        self.assertEqual(first.state, "cancelled")
        self._book(
            self.drill_1,
            self.partner_carl,
            "2026-03-10 08:00:00",
            "2026-03-11 08:00:00",
        )
        with self.assertRefused(ValidationError, "already reserved by Carl"):
            first.action_confirm()

    # Check-out against reservations ------------------------------------------------
    def test_checkout_refused_when_reserved_by_someone_else(self):
        self._book(
            self.drill_1,
            self.partner_carl,
            "2026-03-03 08:00:00",
            "2026-03-05 18:00:00",
        )
        drill = self.drill_1.with_user(self.user_a)
        message = (
            r"^D-1 is reserved by Carl Contractor from 03/03/2026 08:00 to "
            r"03/05/2026 18:00\.$"
        )
        with self.assertRefused(UserError, message):
            drill.action_checkout(self.holder_a, date_due="2026-03-04 12:00:00")
        # no return date: it would be out when Carl comes
        with self.assertRefused(UserError, message):
            drill.action_checkout(self.holder_a)
        self.assertEqual(
            self.env["stock.asset"]._checkout_for_scan(drill, self.holder_a),
            {
                self.drill_1.id: "D-1 is reserved by Carl Contractor from "
                "03/03/2026 08:00 to 03/05/2026 18:00."
            },
        )
        # back before Carl's booking starts
        drill.action_checkout(self.holder_a, date_due="2026-03-03 08:00:00")
        self.assertEqual(self.drill_1.holder_id, self.holder_a)

    def test_checkout_leaves_an_asset_for_category_bookings_of_others(self):
        self._book(
            self.category_lasers,
            self.partner_carl,
            "2026-03-02 10:00:00",
            "2026-03-03 18:00:00",
        )
        lasers = self.laser_1 | self.laser_2
        with self.assertRefused(
            UserError,
            r"^L-2 cannot go out: the other Lasers assets would not cover the 1 "
            r"reservation\(s\) of any Lasers asset from 03/02/2026 10:00 to "
            r"03/03/2026 18:00\.$",
        ):
            lasers.with_user(self.user_a).action_checkout(self.holder_a)
        self.assertFalse(lasers.custody_ids)
        self.assertEqual(
            self.env["stock.asset"]._checkout_for_scan(lasers, self.holder_a),
            {
                self.laser_1.id: None,
                self.laser_2.id: "L-2 cannot go out: the other Lasers assets would "
                "not cover the 1 reservation(s) of any Lasers asset from "
                "03/02/2026 10:00 to 03/03/2026 18:00.",
            },
        )
        self.assertEqual(self.laser_1.holder_id, self.holder_a)
        # back before Carl's booking: fine
        self.laser_2.action_checkout(self.holder_a, date_due="2026-03-02 10:00:00")
        self.assertEqual(self.laser_2.holder_id, self.holder_a)

    def test_checkout_fulfils_the_asset_reservation(self):
        booking = self._book(
            self.drill_1, self.holder_a, "2026-03-02 08:00:00", "2026-03-04 18:00:00"
        )
        self.drill_1.with_user(self.user_a).action_checkout(
            self.holder_a, date_due="2026-03-04 18:00:00"
        )
        self.assertRecordValues(
            booking, [{"state": "fulfilled", "fulfilled_asset_id": self.drill_1.id}]
        )
        self.assertEqual(self.drill_1.custody_id.reservation_id, booking)
        self.assertEqual(self.drill_1.reservation_count, 0)

    def test_checkout_fulfils_category_reservations_in_order(self):
        later = self._book(
            self.category_a, self.holder_a, "2026-03-02 14:00:00", "2026-03-03 18:00:00"
        )
        first = self._book(
            self.category_a, self.holder_a, "2026-03-02 10:00:00", "2026-03-03 18:00:00"
        )
        by_asset = self._book(
            self.drill_3, self.holder_a, "2026-03-02 10:00:00", "2026-03-03 18:00:00"
        )
        # in three days: not this check-out's
        next_week = self._book(
            self.category_a, self.holder_a, "2026-03-05 10:00:00", "2026-03-06 18:00:00"
        )
        # someone else's booking is never fulfilled by Anna's check-out
        carls = self._book(
            self.category_a,
            self.partner_carl,
            "2026-03-02 10:00:00",
            "2026-03-02 12:00:00",
        )
        (self.drill_3 | self.drill_2).action_checkout(
            self.holder_a, date_due="2026-03-02 10:00:00"
        )
        self.assertRecordValues(
            first | later | by_asset | next_week | carls,
            [
                {"state": "fulfilled", "fulfilled_asset_id": self.drill_2.id},
                {"state": "confirmed", "fulfilled_asset_id": False},
                {"state": "fulfilled", "fulfilled_asset_id": self.drill_3.id},
                {"state": "confirmed", "fulfilled_asset_id": False},
                {"state": "confirmed", "fulfilled_asset_id": False},
            ],
        )
        self.drill_1.action_checkout(self.holder_a, date_due="2026-03-02 10:00:00")
        self.assertEqual(later.state, "fulfilled")
        self.assertEqual(later.fulfilled_asset_id, self.drill_1)

    def test_checkout_from_the_reservation(self):
        """The reservation's own button fulfils it whenever it is used."""
        booking = self._book(
            self.category_lasers,
            self.partner_carl,
            "2026-03-09 08:00:00",
            "2026-03-10 18:00:00",
        )
        action = booking.with_user(self.user_a).action_open_checkout_wizard()
        wizard = (
            self.env["stock.asset.checkout"]
            .with_user(self.user_a)
            .with_context(**action["context"])
            .create({"asset_ids": [(6, 0, self.laser_2.ids)]})
        )
        self.assertRecordValues(
            wizard,
            [
                {
                    "holder_id": self.partner_carl.id,
                    "reservation_id": booking.id,
                    "reservation_category_id": self.category_lasers.id,
                    "date_due": datetime(2026, 3, 10, 18, 0),
                }
            ],
        )
        wizard.action_confirm()
        self.assertEqual(booking.state, "fulfilled")
        self.assertEqual(booking.fulfilled_asset_id, self.laser_2)
        self.assertEqual(self.laser_2.custody_id.date_due, datetime(2026, 3, 10, 18))
        with self.assertRefused(UserError, "Only a confirmed reservation"):
            booking.action_open_checkout_wizard()

    # No-shows ----------------------------------------------------------------------
    def test_no_shows_expire(self):
        long_one = self._book(
            self.drill_1, self.holder_a, "2026-03-02 10:00:00", "2026-03-06 18:00:00"
        )
        short_one = self._book(
            self.drill_2, self.holder_a, "2026-03-02 10:00:00", "2026-03-02 12:00:00"
        )
        picked_up = self._book(
            self.drill_3, self.holder_a, "2026-03-02 10:00:00", "2026-03-06 18:00:00"
        )
        self.drill_3.action_checkout(self.holder_a, date_due="2026-03-06 18:00:00")
        future = self._book(
            self.laser_1, self.holder_a, "2026-03-04 10:00:00", "2026-03-05 18:00:00"
        )
        with freeze_time("2026-03-02 12:00:00"):
            self.Reservation._cron_expire_no_shows()
        self.assertEqual(
            (long_one | short_one | picked_up | future).mapped("state"),
            ["confirmed", "expired", "fulfilled", "confirmed"],
        )
        with freeze_time("2026-03-03 09:59:00"):
            self.Reservation._cron_expire_no_shows()
        self.assertEqual(long_one.state, "confirmed")
        with freeze_time("2026-03-03 10:00:00"):
            self.Reservation._cron_expire_no_shows()
        self.assertEqual(long_one.state, "expired")
        # a shorter no-show delay, per company
        self.company_a.asset_reservation_grace_hours = 2
        with freeze_time("2026-03-04 12:00:00"):
            self.Reservation._cron_expire_no_shows()
        self.assertEqual(future.state, "expired")

    # Views and security ------------------------------------------------------------
    def test_views_load(self):
        planning = self.env.ref(
            "stock_asset_tracking.stock_asset_reservation_view_list_planning"
        )
        views = self.Reservation.with_user(self.user_a).get_views(
            [
                (False, "calendar"),
                (False, "list"),
                (planning.id, "list"),
                (False, "form"),
                (False, "search"),
            ]
        )
        self.assertEqual(set(views["views"]), {"calendar", "list", "form", "search"})
        action = self.drill_1.action_view_reservations()
        self.assertEqual(action["domain"], [("asset_id", "=", self.drill_1.id)])
        planning_action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_reservation_action_planning"
        )
        self.assertIn("'search_default_group_asset': 1", planning_action["context"])

    def test_company_isolation(self):
        booking_a = self._book(
            self.drill_1, self.holder_a, "2026-03-10 08:00:00", "2026-03-11 08:00:00"
        )
        booking_b = self._book(
            self.asset_b,
            self.holder_b,
            "2026-03-10 08:00:00",
            "2026-03-11 08:00:00",
            user=self.user_b,
        )
        self.assertEqual(booking_b.company_id, self.company_b)
        self.assertEqual(self.Reservation.with_user(self.user_b).search([]), booking_b)
        with self.assertRaises(AccessError):
            booking_a.with_user(self.user_b).read(["date_start"])
        # a company B contact cannot book a company A asset
        with self.assertRefused(UserError, "Incompatible companies"):
            self.Reservation.with_context(
                allowed_company_ids=[self.company_a.id, self.company_b.id]
            ).create(
                {
                    "asset_id": self.drill_2.id,
                    "holder_id": self.holder_b.id,
                    "date_start": "2026-03-10 08:00:00",
                    "date_end": "2026-03-11 08:00:00",
                }
            )
        with self.assertRaises(AccessError):
            self._book(
                self.drill_2,
                self.partner_carl,
                "2026-03-10 08:00:00",
                "2026-03-11 08:00:00",
                user=self.user_b,
            )
