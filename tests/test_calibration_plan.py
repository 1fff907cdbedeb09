# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date

from freezegun import freeze_time

from .test_calibration_common import CalibrationCommon


class TestCalibrationCategoryPlan(CalibrationCommon):
    """A category that starts planning calibrations plans the instruments it
    already holds, as it plans the new ones."""

    def test_interval_set_on_a_category_plans_its_instruments(self):
        category = self.env["stock.asset.category"].create(
            {"name": "Gauges", "company_id": self.company_a.id}
        )
        with freeze_time("2026-01-20 09:00:00"):
            gauge, caliper, scrapped = (
                self._asset(name=name, code=code, category_id=category.id, state=state)
                for name, code, state in (
                    ("Pressure Gauge", "PG-1", "in_use"),
                    ("Caliper", "CAL-1", "draft"),
                    ("Broken Gauge", "PG-0", "in_use"),
                )
            )
            scrapped.state = "disposed"
            # the caliper is already planned (by hand): it keeps its schedule
            own = self.Schedule.create(
                {
                    "asset_id": caliper.id,
                    "kind_id": self.kind_calibration.id,
                    "interval_number": 24,
                    "interval_unit": "months",
                }
            )
            self.assertFalse(gauge.calibration_schedule_ids)
            # a change that plans nothing creates nothing
            category.calibration_due_soon_days = 10
            self.assertFalse(gauge.calibration_schedule_ids)

            category.calibration_interval_days = 180

        self.assertRecordValues(
            gauge.calibration_schedule_ids,
            [
                {
                    "kind_id": self.kind_calibration.id,
                    "interval_number": 180,
                    "interval_unit": "days",
                    "due_soon_days": 10,
                }
            ],
        )
        self.assertEqual(gauge.calibration_due_date, date(2026, 1, 20))
        self.assertEqual(caliper.calibration_schedule_ids, own)
        self.assertRecordValues(
            own, [{"interval_number": 24, "interval_unit": "months"}]
        )
        self.assertFalse(scrapped.calibration_schedule_ids)

    def test_kind_set_on_a_planning_category_adds_that_kind(self):
        with freeze_time("2026-01-20 09:00:00"):
            self.category_instruments.calibration_kind_id = self.kind_verification
        self.assertEqual(
            self.wrench.calibration_schedule_ids.kind_id,
            self.kind_calibration | self.kind_verification,
        )
        self.assertEqual(
            self.wrench.calibration_schedule_ids.filtered(
                lambda schedule: schedule.kind_id == self.kind_verification
            ).interval_number,
            365,
        )
