# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures of the calibration tests: a category of measuring instruments (yearly,
two weeks' margin, the manager responsible), a torque wrench to calibrate and a
torque transducer as its reference standard, calibrated on 5 January 2026.

Tests run at a frozen "now"; the fixtures are made on Thursday 15 January 2026.
"""

from contextlib import contextmanager
from datetime import date

from freezegun import freeze_time

from .common import AssetCommon

SETUP_DAY = "2026-01-15 10:00:00"


class CalibrationCommon(AssetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Schedule = cls.env["stock.asset.calibration.schedule"]
        cls.Record = cls.env["stock.asset.calibration"]
        cls.Usage = cls.env["stock.asset.usage"]
        cls.Impact = cls.env["stock.asset.impact"]
        cls.kind_calibration = cls.env.ref(
            "stock_asset_tracking.calibration_kind_calibration"
        )
        cls.kind_verification = cls.env.ref(
            "stock_asset_tracking.calibration_kind_verification"
        )
        cls.kind_safety = cls.env.ref(
            "stock_asset_tracking.calibration_kind_electrical_safety"
        )
        cls.manager_a.tz = "Europe/Brussels"
        cls.lab = cls.env["res.partner"].create(
            {"name": "Metrology Lab", "company_id": cls.company_a.id}
        )
        cls.category_instruments = cls.env["stock.asset.category"].create(
            {
                "name": "Measuring Instruments",
                "company_id": cls.company_a.id,
                "calibration_interval_days": 365,
                "calibration_due_soon_days": 14,
                "calibration_responsible_id": cls.manager_a.id,
            }
        )
        with freeze_time(SETUP_DAY):
            cls.wrench = cls._asset(
                name="Torque Wrench 5-60 N·m",
                code="TW-1",
                category_id=cls.category_instruments.id,
                product_id=cls.product.id,
                lot_id=cls.lot_a1.id,
                state="in_use",
            )
            cls.transducer = cls._asset(
                name="Torque Transducer",
                code="STD-1",
                category_id=cls.category_instruments.id,
                state="in_use",
            )
            # the standard was calibrated by the lab on 5 January: valid a year
            cls.standard_record = cls._record(
                cls.transducer,
                date(2026, 1, 5),
                performer_type="external",
                partner_id=cls.lab.id,
                certificate_number="LAB-2026-0001",
            )
            cls.standard_record.action_confirm()
            cls.env.flush_all()  # stored statuses computed on that day
        cls.wrench_schedule = cls.wrench.calibration_schedule_ids
        cls.transducer_schedule = cls.transducer.calibration_schedule_ids

    @contextmanager
    def assertRefused(self, exception, regex):
        """``exception`` with a message matching ``regex``, rolled back (the ORM's
        ``assertRaises`` holds a savepoint, ``assertRaisesRegex`` does not)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), regex)

    @classmethod
    def _record(cls, asset, day, points=(), **vals):
        """A draft record of ``asset``'s first schedule on ``day``; ``points`` are
        (nominal, tolerance, as_found[, as_left]) tuples of torque in N·m."""
        point_vals = []
        for n, point in enumerate(points):
            nominal, tolerance, found, *left = point
            point_vals.append(
                (
                    0,
                    0,
                    {
                        "sequence": n,
                        "name": "Torque",
                        "unit": "N·m",
                        "nominal": nominal,
                        "tolerance": tolerance,
                        "as_found": found,
                        "adjusted": bool(left),
                        "as_left": left[0] if left else False,
                    },
                )
            )
        vals = {
            "asset_id": asset.id,
            "date": day,
            "point_ids": point_vals,
            **vals,
        }
        if not points and "result" not in vals:
            vals["result"] = "pass"
        return cls.env["stock.asset.calibration"].create(vals)
