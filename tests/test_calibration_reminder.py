# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .test_calibration_common import CalibrationCommon


@tagged("post_install", "-at_install")
class TestCalibrationReminder(CalibrationCommon):
    """The daily cron: due-soon then overdue activities for the responsible, never
    twice for the same due date; confirming a record closes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref(
            "stock_asset_tracking.mail_activity_type_calibration_due"
        )
        # the wrench is calibrated on 20 January 2026: due 20 January 2027
        with freeze_time("2026-01-20 08:00:00"):
            cls._record(
                cls.wrench,
                date(2026, 1, 20),
                [(20, 0.8, "20.2")],
                reference_ids=[(6, 0, cls.transducer.ids)],
            ).action_confirm()
            cls.env.flush_all()

    def _reminders(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "stock.asset.calibration.schedule"),
                ("activity_type_id", "=", self.reminder_type.id),
            ],
            order="res_id",
        )

    def _run_cron(self):
        cron = self.env.ref("stock_asset_tracking.ir_cron_calibration_daily")
        cron.method_direct_trigger()

    def test_reminders_due_soon_then_overdue_without_duplicates(self):
        with freeze_time("2026-12-21 06:00:00"):
            self._run_cron()
            self.assertFalse(self._reminders())
        with freeze_time("2026-12-22 06:00:00"):
            # the standard (due 5 January 2027) enters its 14-day margin
            self._run_cron()
            first = self._reminders()
            self.assertRecordValues(
                first,
                [
                    {
                        "res_id": self.transducer_schedule.id,
                        "user_id": self.manager_a.id,
                        "date_deadline": date(2027, 1, 5),
                        "summary": "Calibration due: STD-1 Torque Transducer "
                        "(by 01/05/2027)",
                    }
                ],
            )
            self.assertEqual(self.transducer.calibration_state, "due_soon")
            self._run_cron()
            self.assertEqual(self._reminders(), first, "no duplicate on rerun")
        with freeze_time("2026-12-23 06:00:00"):
            self._run_cron()
            self.assertEqual(self._reminders(), first, "nor the next day")
        with freeze_time("2027-01-06 06:00:00"):
            # the standard is overdue: its reminder becomes an overdue one; the
            # wrench (due 20 January) enters its margin
            self._run_cron()
            reminders = self._reminders()
            self.assertRecordValues(
                reminders,
                [
                    {
                        "res_id": self.wrench_schedule.id,
                        "date_deadline": date(2027, 1, 20),
                        "summary": "Calibration due: TW-1 Torque Wrench 5-60 N·m "
                        "(by 01/20/2027)",
                    },
                    {
                        "res_id": self.transducer_schedule.id,
                        "date_deadline": date(2027, 1, 5),
                        "summary": "Calibration overdue: STD-1 Torque Transducer "
                        "(due 01/05/2027)",
                    },
                ],
            )
            # the standard's due-soon reminder became the overdue one
            self.assertIn(first, reminders)
            self.assertEqual(
                (self.wrench | self.transducer).mapped("calibration_state"),
                ["due_soon", "overdue"],
            )
            self.assertRecordValues(
                self.transducer_schedule,
                [{"reminder_due_date": date(2027, 1, 5), "reminder_stage": "overdue"}],
            )
            self._run_cron()
            self.assertEqual(self._reminders(), reminders, "no duplicate on rerun")
        with freeze_time("2027-01-07 06:00:00"):
            # the lab calibrates the standard: its reminder is done
            record = self._record(
                self.transducer,
                date(2027, 1, 7),
                performer_type="external",
                partner_id=self.lab.id,
                certificate_number="LAB-2027-0001",
            )
            record.with_user(self.manager_a).action_confirm()
            self.assertEqual(
                self._reminders().res_id, self.wrench_schedule.id, "one left"
            )
            done = self.transducer_schedule.message_ids.filtered(
                lambda m: m.mail_activity_type_id == self.reminder_type
            )
            self.assertEqual(len(done), 1)
            self.assertIn("Record CAL/2027/", done.body)
            self._run_cron()
            self.assertEqual(len(self._reminders()), 1)
            self.assertEqual(self.transducer.calibration_state, "valid")

    def test_reminder_reaches_its_responsible_without_an_email(self):
        """The responsible follows the schedule and finds the reminder among the
        activities of their systray; the cron sends no "assigned to you" e-mail
        per activity (there can be thousands a night)."""
        schedule_model = "stock.asset.calibration.schedule"
        partner = self.manager_a.partner_id
        self.assertNotIn(partner, self.transducer_schedule.message_partner_ids)
        with freeze_time("2026-12-22 06:00:00"):
            self._run_cron()
            self.assertEqual(self._reminders().user_id, self.manager_a)
            self.assertIn(partner, self.transducer_schedule.message_partner_ids)
            groups = (
                self.env["res.users"].with_user(self.manager_a)._get_activity_groups()
            )
        # listed under the schedules, not under "Other activities" (what Odoo
        # shows for records the user cannot open); planned: due in 14 days
        self.assertEqual(
            [
                (group["model"], group["planned_count"], group["overdue_count"])
                for group in groups
            ],
            [(schedule_model, 1, 0)],
        )
        notifications = self.env["mail.message"].search(
            [
                ("model", "=", schedule_model),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertFalse(notifications)
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
        )

    def test_no_reminder_for_archived_schedules_or_assets(self):
        self.transducer_schedule.active = False
        self.wrench.active = False
        with freeze_time("2027-02-01 06:00:00"):
            self._run_cron()
            self.assertFalse(self._reminders())
            # the archived instrument is still overdue; without an active schedule
            # the standard is no instrument any more
            self.assertEqual(self.wrench.calibration_state, "overdue")
            self.assertEqual(self.transducer.calibration_state, "none")

    def test_new_responsible_gets_a_new_reminder(self):
        with freeze_time("2026-12-22 06:00:00"):
            self._run_cron()
            first = self._reminders()
            self.assertEqual(first.user_id, self.manager_a)
        self.transducer_schedule.responsible_id = self.user_a
        with freeze_time("2027-01-06 06:00:00"):
            self._run_cron()
            reminder = self._reminders().filtered(
                lambda a: a.res_id == self.transducer_schedule.id
            )
            self.assertFalse(first.exists(), "the former responsible's reminder")
            self.assertRecordValues(
                reminder,
                [
                    {
                        "user_id": self.user_a.id,
                        "summary": "Calibration overdue: STD-1 Torque Transducer "
                        "(due 01/05/2027)",
                    }
                ],
            )
