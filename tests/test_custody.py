# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from PIL import Image

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import company_user
from .custody_common import NOW, CustodyCommon


def png_b64():
    """A small PNG in base64, as the signature widget sends it."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), "navy").save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


SIGNATURE = png_b64()


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCustody(CustodyCommon):
    # Check-out ---------------------------------------------------------------------
    def test_checkout_opens_custody_and_derives_holder(self):
        drill = self.drill_1.with_user(self.user_a)
        result = drill.action_checkout(
            self.holder_a.id,
            date_due="2026-03-09 17:00:00",
            note="In its case, two bits.",
            location_to=self.shelf_a.id,
        )
        self.assertIs(result, True)
        self.assertRecordValues(
            self.drill_1.custody_ids,
            [
                {
                    "asset_id": self.drill_1.id,
                    "company_id": self.company_a.id,
                    "holder_id": self.holder_a.id,
                    "date_from": datetime(2026, 3, 2, 9, 0),
                    "date_due": datetime(2026, 3, 9, 17, 0),
                    "date_returned": False,
                    "state": "open",
                    "location_from_id": self.stock_a.id,
                    "location_to_id": self.shelf_a.id,
                    "checkout_user_id": self.user_a.id,
                    "note_out": "In its case, two bits.",
                    "acknowledged_date": False,
                    "is_overdue": False,
                }
            ],
        )
        self.assertRecordValues(
            self.drill_1,
            [
                {
                    "holder_id": self.holder_a.id,
                    "custody_id": self.drill_1.custody_ids.id,
                    "custody_date_due": datetime(2026, 3, 9, 17, 0),
                    "location_id": self.shelf_a.id,
                    "custody_count": 1,
                }
            ],
        )
        self.assertEqual(self.drill_1.custody_ids.display_name, "D-1 with Anna Holder")

    def test_bulk_checkout_is_one_create(self):
        Custody = type(self.Custody)
        create = Custody.create
        calls = []

        def counting_create(records, vals_list):
            calls.append(len(vals_list))
            return create(records, vals_list)

        with patch.object(Custody, "create", counting_create):
            self.drills.with_user(self.user_a).action_checkout(self.partner_carl)
        self.assertEqual(calls, [3])
        self.assertEqual(self.drills.holder_id, self.partner_carl)
        self.assertEqual(len(self.drills.custody_id), 3)

    def test_checkout_refusals_name_asset_and_conflict(self):
        drill = self.drill_1.with_user(self.user_a)
        with self.assertRefused(
            UserError, r"^D-1 cannot go out without a holder: choose who takes it\.$"
        ):
            drill.action_checkout(False)
        # a contact of company B, seen by a user of both companies
        self.user_a.company_ids = self.company_a | self.company_b
        with self.assertRefused(
            UserError,
            r"^D-1 belongs to Asset Co A and cannot go out to Bob Holder, a contact "
            r"of another company \(Asset Co B\)\.$",
        ):
            drill.with_context(
                allowed_company_ids=[self.company_a.id, self.company_b.id]
            ).action_checkout(self.holder_b)
        for state, label in (
            ("in_repair", "in repair"),
            ("lost", "lost"),
            ("disposed", "disposed"),
        ):
            self.drill_1.state = state
            with self.assertRefused(
                UserError, rf"^D-1 is {label} and cannot go out\.$", msg=state
            ):
                drill.action_checkout(self.holder_a)
        self.drill_1.state = "in_use"
        drill.action_checkout(self.holder_a)
        with self.assertRefused(
            UserError,
            r"^D-1 is already out with Anna Holder since 03/02/2026 09:00\.$",
        ):
            drill.action_checkout(self.partner_carl)
        self.assertEqual(len(self.drill_1.custody_ids), 1)

    def test_bulk_checkout_refusal_leaves_nothing_half_done(self):
        self.drill_2.state = "in_repair"
        self.drill_3.action_checkout(self.partner_carl)
        with self.assertRaises(UserError) as refusal:
            self.drills.with_user(self.user_a).action_checkout(self.holder_a)
        self.assertEqual(
            str(refusal.exception),
            "D-2 is in repair and cannot go out.\n"
            "D-3 is already out with Carl Contractor since 03/02/2026 09:00.",
        )
        self.assertFalse(self.drill_1.custody_ids)
        self.assertFalse(self.drill_1.holder_id)

    def test_checkout_hook_is_the_extension_point(self):
        """Modules add their rules to _check_checkout_allowed (calibration does)."""
        Asset = type(self.env["stock.asset"])
        original = Asset._check_checkout_allowed

        def with_extra_rule(assets, holder, date_from=None, date_due=None):
            refusals = original(assets, holder, date_from=date_from, date_due=date_due)
            if self.drill_2 in assets:
                refusals.setdefault(self.drill_2.id, []).append(
                    "D-2 waits for its safety check."
                )
            return refusals

        with patch.object(Asset, "_check_checkout_allowed", with_extra_rule):
            with self.assertRefused(UserError, r"^D-2 waits for its safety check\.$"):
                (self.drill_1 | self.drill_2).action_checkout(self.holder_a)
            answer = self.env["stock.asset"]._checkout_for_scan(
                self.drill_1 | self.drill_2, self.holder_a
            )
        self.assertEqual(
            answer,
            {self.drill_1.id: None, self.drill_2.id: "D-2 waits for its safety check."},
        )
        self.assertEqual(self.drill_1.holder_id, self.holder_a)
        self.assertFalse(self.drill_2.holder_id)

    def test_direct_custody_create_obeys_the_rules(self):
        self.drill_1.action_checkout(self.holder_a)
        with self.assertRefused(UserError, r"^D-1 is already out with Anna Holder"):
            self.Custody.with_user(self.user_a).create(
                {"asset_id": self.drill_1.id, "holder_id": self.partner_carl.id}
            )
        with self.assertRefused(UserError, r"^D-2 cannot go out twice at once\.$"):
            self.Custody.create(
                [
                    {"asset_id": self.drill_2.id, "holder_id": self.holder_a.id},
                    {"asset_id": self.drill_2.id, "holder_id": self.partner_carl.id},
                ]
            )
        # a closed record of the past (history import) is not a check-out
        past = self.Custody.create(
            {
                "asset_id": self.drill_1.id,
                "holder_id": self.partner_carl.id,
                "date_from": "2026-01-05 08:00:00",
                "date_returned": "2026-01-09 16:00:00",
            }
        )
        self.assertEqual(past.state, "returned")
        self.assertEqual(self.drill_1.holder_id, self.holder_a)

    # Check-in ----------------------------------------------------------------------
    def test_checkin_closes_custody(self):
        self.drills.action_checkout(self.holder_a, location_to=self.shelf_a)
        custody = self.drills.custody_id
        with freeze_time("2026-03-04 16:30:00"):
            (self.drill_1 | self.drill_2).with_user(self.user_a).action_checkin(
                note="Bit worn.", location=self.stock_a.id
            )
        closed = {
            "date_returned": datetime(2026, 3, 4, 16, 30),
            "checkin_user_id": self.user_a.id,
            "note_in": "Bit worn.",
            "return_location_id": self.stock_a.id,
            "state": "returned",
        }
        still_out = {
            "date_returned": False,
            "checkin_user_id": False,
            "note_in": False,
            "return_location_id": False,
            "state": "open",
        }
        self.assertRecordValues(
            custody.sorted(lambda line: line.asset_id.id),
            [
                {"asset_id": self.drill_1.id, **closed},
                {"asset_id": self.drill_2.id, **closed},
                {"asset_id": self.drill_3.id, **still_out},
            ],
        )
        self.assertRecordValues(
            self.drills.sorted("id"),
            [
                {
                    "holder_id": False,
                    "custody_id": False,
                    "location_id": self.stock_a.id,
                },
                {
                    "holder_id": False,
                    "custody_id": False,
                    "location_id": self.stock_a.id,
                },
                {
                    "holder_id": self.holder_a.id,
                    "custody_id": self.drill_3.custody_ids.id,
                    "location_id": self.shelf_a.id,
                },
            ],
        )
        # out again: a second period in the ledger
        self.drill_1.action_checkout(self.partner_carl)
        self.assertEqual(len(self.drill_1.custody_ids), 2)
        self.assertEqual(self.drill_1.holder_id, self.partner_carl)

    def test_checkin_of_an_asset_not_out_is_refused(self):
        self.drill_1.action_checkout(self.holder_a)
        message = r"^D-2 cannot be checked in: it is not checked out\.$"
        with self.assertRefused(UserError, message):
            (self.drill_1 | self.drill_2).with_user(self.user_a).action_checkin()
        with self.assertRefused(UserError, message):
            (self.drill_1 | self.drill_2).with_user(
                self.user_a
            ).action_open_checkin_wizard()
        self.assertEqual(self.drill_1.holder_id, self.holder_a)
        answer = self.env["stock.asset"]._checkin_for_scan(
            self.drill_1 | self.drill_2, location=self.shelf_a
        )
        self.assertEqual(
            answer,
            {
                self.drill_1.id: None,
                self.drill_2.id: "D-2 cannot be checked in: it is not checked out.",
            },
        )
        self.assertFalse(self.drill_1.holder_id)
        self.assertEqual(self.drill_1.location_id, self.shelf_a)
        self.assertEqual(self.drill_2.location_id, self.stock_a)

    def test_scan_checkout_reports_per_asset(self):
        self.drill_2.state = "lost"
        answer = self.env["stock.asset"]._checkout_for_scan(
            self.drill_1 | self.drill_2, self.partner_carl, location=self.shelf_a
        )
        self.assertEqual(
            answer,
            {self.drill_1.id: None, self.drill_2.id: "D-2 is lost and cannot go out."},
        )
        self.assertEqual(self.drill_1.holder_id, self.partner_carl)
        self.assertEqual(self.drill_1.location_id, self.shelf_a)
        self.assertFalse(self.drill_2.custody_ids)
        # no holder named by the batch: every read is refused, nothing applies
        answer = self.env["stock.asset"]._checkout_for_scan(
            self.drill_3, self.env["res.partner"]
        )
        self.assertEqual(
            answer,
            {
                self.drill_3.id: (
                    "D-3 cannot go out without a holder: choose who takes it."
                )
            },
        )
        self.assertFalse(self.drill_3.custody_ids)

    def test_scan_holder_lookup(self):
        Partner = self.env["res.partner"]
        self.holder_a.ref = "EMP-ANNA"
        # barcodes are per company
        self.partner_carl.with_company(self.company_a).barcode = "BADGE-0042"
        self.assertEqual(
            Partner._asset_find_holder("EMP-ANNA", self.company_a), self.holder_a
        )
        self.assertEqual(
            Partner._asset_find_holder(" BADGE-0042 ", self.company_a),
            self.partner_carl,
        )
        # a contact of company A is no holder for company B's scans
        self.assertFalse(Partner._asset_find_holder("EMP-ANNA", self.company_b))
        self.assertFalse(Partner._asset_find_holder("", self.company_a))

    # The ledger ----------------------------------------------------------------------
    def test_closed_custody_is_read_only_but_for_managers(self):
        self.drill_1.action_checkout(self.holder_a)
        custody = self.drill_1.custody_id
        custody.with_user(self.user_a).write({"note_out": "Two bits."})
        self.drill_1.action_checkin()
        with self.assertRefused(
            UserError,
            r"^Custody of D-1 is closed: a returned custody record is read-only, "
            r"only asset administrators may correct it\.$",
        ):
            custody.with_user(self.user_a).write({"note_in": "Scratched."})
        # the chatter stays open to everyone
        custody.with_user(self.user_a).message_post(body="Found the bit case.")
        custody.with_user(self.manager_a).write({"note_in": "Scratched."})
        self.assertEqual(custody.note_in, "Scratched.")
        with self.assertRefused(UserError, "A custody record stays on its asset"):
            custody.with_user(self.manager_a).write({"asset_id": self.drill_2.id})
        with self.assertRaises(AccessError):
            custody.with_user(self.user_a).unlink()

    def test_custody_is_tracked(self):
        self.drill_1.action_checkout(self.holder_a)
        # a record is not tracked in the transaction that creates it: "commit"
        self.env.flush_all()
        self.env.cr.precommit.run()
        custody = self.drill_1.custody_id.with_context(tracking_disable=False)
        custody.write({"date_due": "2026-03-20 17:00:00"})
        self.env.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "stock.asset.custody"),
                ("mail_message_id.res_id", "=", custody.id),
                ("field_id.name", "=", "date_due"),
            ]
        )
        self.assertEqual(tracked.new_value_datetime, datetime(2026, 3, 20, 17, 0))

    # Wizards -----------------------------------------------------------------------
    def test_checkout_wizard_with_signature(self):
        self.drill_3.state = "in_repair"
        action = (self.drills).with_user(self.user_a).action_open_checkout_wizard()
        self.assertEqual(action["res_model"], "stock.asset.checkout")
        wizard_form = Form(
            self.env["stock.asset.checkout"]
            .with_user(self.user_a)
            .with_context(**action["context"])
        )
        wizard_form.holder_id = self.holder_a
        self.assertEqual(
            wizard_form.refusal_text, "D-3 is in repair and cannot go out."
        )
        wizard_form.asset_ids.remove(id=self.drill_3.id)
        self.assertFalse(wizard_form.refusal_text)
        wizard_form.date_due = "2026-03-06 17:00:00"
        wizard_form.note = "Cases closed."
        wizard_form.signature = SIGNATURE
        self.assertEqual(wizard_form.signed_by, "Anna Holder")
        wizard = wizard_form.save()
        self.assertEqual(wizard.company_id, self.company_a)
        wizard.action_confirm()
        self.assertRecordValues(
            (self.drill_1 | self.drill_2).custody_id.sorted(lambda c: c.asset_id.id),
            [
                {
                    "asset_id": drill.id,
                    "holder_id": self.holder_a.id,
                    "date_due": datetime(2026, 3, 6, 17, 0),
                    "note_out": "Cases closed.",
                    "signed_by": "Anna Holder",
                    "acknowledged_date": datetime(2026, 3, 2, 9, 0),
                }
                for drill in (self.drill_1 | self.drill_2).sorted("id")
            ],
        )
        self.assertTrue(self.drill_1.custody_id.signature)

    def test_checkin_wizard(self):
        self.drills.action_checkout(self.holder_a)
        action = self.drills.with_user(self.user_a).action_open_checkin_wizard()
        wizard = (
            self.env["stock.asset.checkin"]
            .with_user(self.user_a)
            .with_context(**action["context"])
            .create({"location_id": self.shelf_a.id, "note": "All fine."})
        )
        self.assertEqual(wizard.custody_ids, self.drills.custody_id)
        custody = self.drills.custody_id
        wizard.action_confirm()
        self.assertEqual(set(custody.mapped("state")), {"returned"})
        self.assertEqual(set(custody.mapped("note_in")), {"All fine."})
        self.assertFalse(self.drills.holder_id)
        self.assertEqual(self.drills.location_id, self.shelf_a)

    def test_views_and_actions_load(self):
        self.drill_1.action_checkout(self.holder_a)
        self.assertViewsLoad(
            self.manager_a,
            {
                "stock.asset.custody": ["list", "form", "calendar", "pivot", "search"],
                "stock.asset": ["list", "form", "kanban", "search"],
                "stock.asset.checkout": ["form"],
                "stock.asset.checkin": ["form"],
                "res.partner": ["form"],
            },
        )
        self.assertEqual(
            self.drill_1.action_view_custody()["domain"],
            [("asset_id", "=", self.drill_1.id)],
        )
        self.assertEqual(self.holder_a.with_user(self.user_a).held_asset_count, 1)
        action = self.holder_a.action_view_held_assets()
        self.assertEqual(
            self.Custody.search(action["domain"] + [("state", "=", "open")]),
            self.drill_1.custody_id,
        )

    # Overdue follow-up -------------------------------------------------------------
    def test_overdue_follow_up(self):
        salesperson = self.manager_a
        self.holder_a.user_id = salesperson
        self.drill_1.action_checkout(self.holder_a, date_due="2026-03-04 12:00:00")
        self.drill_2.action_checkout(self.partner_carl, date_due="2026-03-10 12:00:00")
        custody_1, custody_2 = self.drill_1.custody_id, self.drill_2.custody_id
        activity_type = self.env.ref(
            "stock_asset_tracking.mail_activity_type_custody_overdue"
        )

        def followups(custody):
            return custody.activity_ids.filtered(
                lambda activity: activity.activity_type_id == activity_type
            )

        def mails(custody):
            return custody.message_ids.filtered(
                lambda message: message.message_type == "comment"
            )

        with freeze_time("2026-03-05 06:00:00"):
            self.assertRecordValues(
                custody_1 | custody_2, [{"is_overdue": True}, {"is_overdue": False}]
            )
            self.assertEqual(
                self.Custody.search(
                    [("is_overdue", "=", True), ("asset_id", "in", self.drills.ids)]
                ),
                custody_1,
            )
            self.assertEqual(
                self.Custody.search(
                    [("is_overdue", "=", False), ("asset_id", "in", self.drills.ids)]
                ),
                custody_2,
            )
            self.assertTrue(self.drill_1.custody_overdue)
            self.Custody._cron_overdue_followup()
            self.assertRecordValues(
                followups(custody_1),
                [
                    {
                        "user_id": salesperson.id,
                        "date_deadline": datetime(2026, 3, 5).date(),
                        "summary": "D-1 overdue since 03/04/2026 12:00",
                    }
                ],
            )
            self.assertEqual(
                custody_1.overdue_notified_date, datetime(2026, 3, 5, 6, 0)
            )
            self.assertFalse(followups(custody_2))
            # e-mail is off by default
            self.assertFalse(mails(custody_1))
            # rerun: nothing new
            self.Custody._cron_overdue_followup()
            self.assertEqual(len(followups(custody_1)), 1)

        self.company_a.asset_overdue_email = True
        with freeze_time("2026-03-11 06:00:00"):
            self.Custody._cron_overdue_followup()
            self.Custody._cron_overdue_followup()
        # no salesperson for Carl: the asset's responsible follows up
        self.assertRecordValues(
            followups(custody_2),
            [
                {
                    "user_id": self.user_a.id,
                    "date_deadline": datetime(2026, 3, 11).date(),
                }
            ],
        )
        self.assertEqual(len(followups(custody_1)), 1)
        self.assertFalse(mails(custody_1))
        mail = mails(custody_2)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Please return D-2 (Drill 2)")
        self.assertEqual(mail.partner_ids, self.partner_carl)
        self.assertIn("was due back on", str(mail.body))
        # a new due date starts a new follow-up period
        custody_2.write({"date_due": "2026-03-12 12:00:00"})
        self.assertFalse(custody_2.overdue_notified_date)

    # Security ----------------------------------------------------------------------
    def test_company_isolation(self):
        self.drill_1.action_checkout(self.holder_a)
        self.asset_b.action_checkout(self.holder_b)
        custody_a, custody_b = self.drill_1.custody_id, self.asset_b.custody_id
        self.assertEqual(custody_b.company_id, self.company_b)
        self.assertEqual(self.Custody.with_user(self.user_b).search([]), custody_b)
        with self.assertRaises(AccessError):
            custody_a.with_user(self.user_b).read(["holder_id"])
        with self.assertRaises(AccessError):
            self.asset_b.with_user(self.user_a).action_checkout(self.partner_carl)
        with self.assertRaises(AccessError):
            self.asset_b.with_user(self.user_a).action_checkin()
        self.assertEqual(self.asset_b.holder_id, self.holder_b)

    def test_employees_see_only_what_they_hold(self):
        employee = company_user(self.env, "employee_a", self.company_a)
        colleague = company_user(self.env, "colleague_a", self.company_a)
        self.drill_1.action_checkout(employee.partner_id)
        self.drill_2.action_checkout(colleague.partner_id)
        Custody = self.Custody.with_user(employee)
        self.assertEqual(Custody.search([]), self.drill_1.custody_id)
        with self.assertRaises(AccessError):
            self.drill_2.custody_id.with_user(employee).read(["date_due"])
        with self.assertRaises(AccessError):
            self.drill_1.custody_id.with_user(employee).write({"date_due": False})
        # they acknowledge their own line, not a colleague's
        self.drill_1.custody_id.with_user(employee).action_acknowledge()
        self.assertEqual(
            self.drill_1.custody_id.acknowledged_date, datetime(2026, 3, 2, 9, 0)
        )
        with self.assertRefused(
            UserError,
            r"^Receipt of D-1 was already acknowledged on 03/02/2026 09:00\.$",
        ):
            self.drill_1.custody_id.with_user(employee).action_acknowledge()
        with self.assertRaises(AccessError):
            self.drill_2.custody_id.with_user(employee).action_acknowledge()
        with self.assertRefused(
            UserError, r"^Only colleague_a \(base.group_user\) can acknowledge"
        ):
            self.drill_2.custody_id.with_user(self.user_a).action_acknowledge()
