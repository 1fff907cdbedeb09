# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Meters (issue 19, item 5): readings only count up unless marked as a meter
reset, and schedules fall due on a meter threshold, forecast from the recent
rate of use."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_calibration_common import CalibrationCommon


@tagged("post_install", "-at_install")
class TestAssetMeter(CalibrationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meter = cls.env["stock.asset.meter"]
        cls.Reading = cls.env["stock.asset.meter.reading"]
        cls.kind_service = cls.env.ref("stock_asset_tracking.calibration_kind_service")
        cls.forklift = cls._asset(name="Forklift", code="FLT-1", state="in_use")
        cls.hours = cls.Meter.create(
            {"asset_id": cls.forklift.id, "name": "hours", "unit": "hours"}
        )

    def _read(self, value, when, meter=None, **vals):
        return self.Reading.create(
            {
                "meter_id": (meter or self.hours).id,
                "value": value,
                "date": when,
                **vals,
            }
        )

    def _readings(self, meter=None):
        return [
            (r.date, r.value, r.reset, r.source)
            for r in (meter or self.hours).reading_ids.sorted(lambda r: (r.date, r.id))
        ]

    def test_lower_reading_refused_unless_reset(self):
        self._read(100, datetime(2026, 3, 1, 10))
        self._read(150.5, datetime(2026, 3, 8, 10))
        with self.assertRefused(
            UserError,
            r"^Meter reading: 120 on meter hours of asset FLT-1 is lower than the "
            r"last reading 150\.5; mark it as a meter reset if the counter was "
            r"reset or replaced\.$",
        ):
            self._read(120, datetime(2026, 3, 9, 10))
        # a back-dated reading higher than a later one is refused as well
        with self.assertRefused(
            UserError,
            r"^Meter reading: 150\.5 on meter hours of asset FLT-1 is lower than "
            r"the last reading 160; ",
        ):
            self._read(160, datetime(2026, 3, 5, 10))
        with self.assertRefused(
            UserError,
            r"^Value: -1\.0 on meter hours of asset FLT-1 is not a meter value; ",
        ):
            self._read(-1, datetime(2026, 3, 9, 10), reset=True)
        # the counter was replaced: a reset may go lower
        self._read(3, datetime(2026, 3, 9, 10), reset=True)
        self.assertEqual(
            self._readings(),
            [
                (datetime(2026, 3, 1, 10), 100.0, False, "manual"),
                (datetime(2026, 3, 8, 10), 150.5, False, "manual"),
                (datetime(2026, 3, 9, 10), 3.0, True, "manual"),
            ],
        )
        self.assertEqual(
            (self.hours.current_value, self.hours.last_reading_date),
            (3.0, datetime(2026, 3, 9, 10)),
        )
        # after the reset, the new counter counts up again
        with self.assertRefused(UserError, r"^Meter reading: 2 on meter hours "):
            self._read(2, datetime(2026, 3, 10, 10))

    def test_add_reading_by_hand(self):
        action = self.forklift.action_add_meter_reading()
        self.assertEqual(
            (action["res_model"], action["target"], action["context"]),
            (
                "stock.asset.meter.reading",
                "new",
                {"default_meter_id": self.hours.id, "meter_asset_id": self.forklift.id},
            ),
        )
        with freeze_time("2026-03-02 08:30:00"):
            Reading = self.Reading.with_user(self.user_a)
            with Form(Reading.with_context(**action["context"])) as form:
                form.value = 12.5
            reading = form.record
        self.assertEqual(
            (reading.meter_id, reading.date, reading.value, reading.user_id),
            (self.hours, datetime(2026, 3, 2, 8, 30), 12.5, self.user_a),
        )
        self.assertEqual(
            (self.hours.current_value, self.forklift.meter_count), (12.5, 1)
        )
        bare = self._asset(name="Ladder", code="LAD-1")
        with self.assertRefused(
            UserError, r"^Meters: asset LAD-1 has no meter to read; "
        ):
            bare.action_add_meter_reading()

    def test_rights_and_companies(self):
        # an asset user reads a meter by hand; only a manager corrects a reading
        reading = self.Reading.with_user(self.user_a).create(
            {"meter_id": self.hours.id, "value": 42, "date": datetime(2026, 3, 1)}
        )
        self.assertEqual(
            (reading.asset_id, reading.user_id, reading.source),
            (self.forklift, self.user_a, "manual"),
        )
        with self.assertRaises(AccessError):
            reading.with_user(self.user_a).write({"value": 43})
        with self.assertRaises(AccessError):
            self.Meter.with_user(self.user_a).create(
                {"asset_id": self.forklift.id, "name": "km", "unit": "km"}
            )
        # another company's user sees neither the meter nor its readings
        self.assertFalse(
            self.Meter.with_user(self.user_b).search([("id", "=", self.hours.id)])
        )
        self.assertFalse(
            self.Reading.with_user(self.user_b).search([("id", "=", reading.id)])
        )

    def test_usage_log_counts_on_meter(self):
        self.hours.unit = "cycles"
        self.hours.count_usage = True
        self._read(10, datetime(2026, 3, 1, 8))
        with freeze_time("2026-03-02 09:00:00"):
            self.Usage._log_usage(self.forklift, reference="WH/OUT/00001")
        with freeze_time("2026-03-03 09:00:00"):
            self.Usage.with_user(self.user_a)._log_usage(self.forklift)
        self.assertEqual(
            self._readings(),
            [
                (datetime(2026, 3, 1, 8), 10.0, False, "manual"),
                (datetime(2026, 3, 2, 9), 11.0, False, "usage"),
                (datetime(2026, 3, 3, 9), 12.0, False, "usage"),
            ],
        )

    def test_threshold_schedule_due_and_forecast(self):
        self._read(1000, datetime(2026, 3, 1))
        self._read(1100, datetime(2026, 3, 11))
        with freeze_time("2026-03-11 12:00:00"):
            schedule = self.Schedule.create(
                {
                    "asset_id": self.forklift.id,
                    "kind_id": self.kind_service.id,
                    "interval_number": 12,
                    "interval_unit": "months",
                    "due_soon_days": 14,
                    "next_due_date": date(2026, 12, 31),
                    "meter_id": self.hours.id,
                    "meter_interval": 500,
                    "meter_last_value": 800,
                }
            )

        def plan():
            return (
                schedule.meter_due_value,
                schedule.meter_rate,
                schedule.meter_forecast_date,
                schedule.time_due_date,
                schedule.next_due_date,
                schedule.meter_reached,
            )

        # 10 hours a day: 1300 reached in 20 days, before the time due date
        self.assertEqual(
            plan(),
            (
                1300.0,
                10.0,
                date(2026, 3, 31),
                date(2026, 12, 31),
                date(2026, 3, 31),
                False,
            ),
        )
        self.assertEqual(schedule._status_on(date(2026, 3, 11)), "valid")
        self.assertEqual(schedule._status_on(date(2026, 3, 17)), "due_soon")

        # an asset user reads 1300 on 21 March: due that day, overdue the next
        self.Reading.with_user(self.user_a).create(
            {"meter_id": self.hours.id, "value": 1300, "date": datetime(2026, 3, 21)}
        )
        self.assertEqual(
            plan(),
            (
                1300.0,
                15.0,
                date(2026, 3, 21),
                date(2026, 12, 31),
                date(2026, 3, 21),
                True,
            ),
        )
        self.assertEqual(schedule._status_on(date(2026, 3, 21)), "due_soon")
        self.assertEqual(schedule._status_on(date(2026, 3, 22)), "overdue")
        self.Schedule._recompute_calibration_states(date(2026, 3, 22))
        self.assertEqual(self.forklift.calibration_state, "overdue")
        activities = self.Schedule._send_reminders(date(2026, 3, 22)).filtered(
            lambda a: a.res_id == schedule.id
        )
        self.assertEqual(
            [(a.res_id, a.date_deadline, a.user_id) for a in activities],
            [(schedule.id, date(2026, 3, 21), schedule.responsible_id)],
        )
        self.assertEqual(schedule.reminder_stage, "overdue")

        # serviced on 22 March: the interval restarts from the meter then (1300);
        # 15 hours a day since 1 March forecast 1800 on 23 April
        with freeze_time("2026-03-22 15:00:00"):
            record = self.Record.create(
                {"asset_id": self.forklift.id, "date": date(2026, 3, 22)}
            )
            self.assertEqual(record.schedule_id, schedule)
            record.write({"result": "pass"})
            record.action_confirm()
        self.assertEqual(
            plan(),
            (
                1800.0,
                15.0,
                date(2026, 4, 23),
                date(2027, 3, 22),
                date(2026, 4, 23),
                False,
            ),
        )
        self.assertEqual(schedule.meter_last_value, 1300.0)

        # a time due date before the meter's counts, unless due on the meter only
        schedule.next_due_date = date(2026, 4, 1)
        self.assertEqual(
            (schedule.time_due_date, schedule.next_due_date),
            (date(2026, 4, 1), date(2026, 4, 1)),
        )
        schedule.meter_only = True
        self.assertEqual(schedule.next_due_date, date(2026, 4, 23))

        # the hour meter is replaced on 1 April: the 500 hours left still stand
        self._read(0, datetime(2026, 4, 1), reset=True)
        self.assertEqual(
            (schedule.meter_last_value, schedule.meter_due_value),
            (0.0, 500.0),
        )
        # 300 hours over the 31 days since 1 March: 500 more by 22 May
        self.assertEqual(
            plan(),
            (
                500.0,
                9.68,
                date(2026, 5, 22),
                date(2026, 4, 1),
                date(2026, 5, 22),
                False,
            ),
        )

        # without the meter the schedule is due on time again
        schedule.write({"meter_id": False, "meter_only": False})
        self.assertEqual(
            (schedule.next_due_date, schedule.meter_forecast_date),
            (date(2026, 4, 1), False),
        )

    def test_forecast_window_and_refusals(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.meter_rate_days", "10"
        )
        # fast use long ago, slow use in the last 10 days: the recent rate counts
        self._read(0, datetime(2026, 1, 1))
        self._read(900, datetime(2026, 2, 1))
        self._read(1000, datetime(2026, 2, 11))
        self._read(1020, datetime(2026, 2, 21))
        schedule = self.Schedule.create(
            {
                "asset_id": self.forklift.id,
                "kind_id": self.kind_service.id,
                "next_due_date": date(2027, 1, 1),
                "meter_id": self.hours.id,
                "meter_interval": 100,
            }
        )
        # the meter's value when set on the schedule; 2 hours a day
        self.assertEqual(
            (schedule.meter_last_value, schedule.meter_rate),
            (1020.0, 2.0),
        )
        self.assertEqual(schedule.next_due_date, date(2026, 4, 12))
        other = self._asset(name="Press", code="PRS-1")
        cycles = self.Meter.create(
            {"asset_id": other.id, "name": "cycles", "unit": "cycles"}
        )
        with self.assertRefused(UserError, r"^Meter: meter PRS-1 · cycles is not a "):
            schedule.meter_id = cycles
        with self.assertRefused(
            UserError, r"^Every \(Meter\): the meter interval of schedule "
        ):
            schedule.meter_interval = 0
