# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .test_calibration_common import CalibrationCommon

CAL = r"CAL/2026/\d{5}"


@tagged("post_install", "-at_install")
class TestCalibration(CalibrationCommon):
    # Schedules ---------------------------------------------------------------------
    def test_schedule_defaults_from_category(self):
        self.assertRecordValues(
            self.wrench_schedule,
            [
                {
                    "kind_id": self.kind_calibration.id,
                    "interval_number": 365,
                    "interval_unit": "days",
                    "due_soon_days": 14,
                    "responsible_id": self.manager_a.id,
                    "provider": "internal",
                    "partner_id": False,
                    "next_due_date": date(2026, 1, 15),
                    "due_soon_date": date(2026, 1, 1),
                    "company_id": self.company_a.id,
                    "last_calibration_id": False,
                }
            ],
        )
        self.assertEqual(self.wrench_schedule.display_name, "TW-1 · Calibration")
        # another kind on the same instrument: its own interval, the category's lab
        self.category_instruments.calibration_partner_id = self.lab
        verification = self.Schedule.create(
            {
                "asset_id": self.wrench.id,
                "kind_id": self.kind_verification.id,
                "next_due_date": "2026-03-01",
            }
        )
        self.assertRecordValues(
            verification,
            [
                {
                    "interval_number": 6,
                    "interval_unit": "months",
                    "due_soon_days": 14,
                    "responsible_id": self.manager_a.id,
                    "provider": "external",
                    "partner_id": self.lab.id,
                    "due_soon_date": date(2026, 2, 15),
                }
            ],
        )
        self.assertEqual(len(self.wrench.calibration_schedule_ids), 2)
        # not a measuring instrument: no plan, no status, nothing for the lookup
        drill = self._asset(name="Drill", category_id=self.category_a.id)
        self.assertFalse(drill.calibration_schedule_ids)
        self.assertEqual(drill.calibration_state, "none")
        self.assertIsNone(drill._lookup_calibration_state())
        # moving an asset into the instrument category plans it
        drill.category_id = self.category_instruments
        self.assertEqual(drill.calibration_schedule_ids.kind_id, self.kind_calibration)

    def test_external_schedule_needs_its_laboratory(self):
        with self.assertRefused(
            ValidationError,
            r"^Laboratory: schedule TW-1 · Verification is performed by an external "
            r"laboratory, so the laboratory is required\.$",
        ):
            self.Schedule.create(
                {
                    "asset_id": self.wrench.id,
                    "kind_id": self.kind_verification.id,
                    "provider": "external",
                    "partner_id": False,
                }
            )

    def test_schedule_kind_frozen_once_recorded(self):
        with self.assertRefused(
            UserError,
            r"^Kind: schedule STD-1 · Calibration already has records; its "
            r"instrument and kind are part of their evidence\.",
        ):
            self.transducer_schedule.kind_id = self.kind_verification

    # Status over time ------------------------------------------------------------
    def _check_states(self, expected):
        """The stored status, and the Python rule agreeing with the SQL one."""
        assets = self.wrench | self.transducer
        self.assertEqual(
            {asset.code: asset.calibration_state for asset in assets}, expected
        )
        today = date.today()  # frozen
        computed = self.Schedule._calibration_states_of(assets, today)
        self.assertEqual(
            {asset.code: state for asset, state in computed.items()}, expected
        )

    def test_status_transitions_over_time(self):
        recompute = self.Schedule._recompute_calibration_states
        with freeze_time("2026-01-15 12:00:00"):
            # the new instrument is due today; the standard is valid until 2027
            self._check_states({"TW-1": "due_soon", "STD-1": "valid"})
            self.assertEqual(recompute(), [])
        with freeze_time("2026-01-16 12:00:00"):
            self.assertEqual(recompute(), [self.wrench.id])
            self._check_states({"TW-1": "overdue", "STD-1": "valid"})
            self.assertEqual(self.wrench._lookup_calibration_state(), "overdue")
            record = self._record(
                self.wrench,
                date(2026, 1, 16),
                [(20, 0.8, "20.3"), (50, 2, "49.1")],
                reference_ids=[(6, 0, self.transducer.ids)],
            )
            record.with_user(self.manager_a).action_confirm()
            self.assertRecordValues(
                record, [{"state": "confirmed", "next_due_date": date(2027, 1, 16)}]
            )
            self.assertEqual(self.wrench_schedule.next_due_date, date(2027, 1, 16))
            self.assertEqual(self.wrench.calibration_due_date, date(2027, 1, 16))
            self._check_states({"TW-1": "valid", "STD-1": "valid"})
        with freeze_time("2026-12-22 08:00:00"):
            # the standard (due 5 January) enters its 14-day margin
            self.assertEqual(recompute(), [self.transducer.id])
            self._check_states({"TW-1": "valid", "STD-1": "due_soon"})
        with freeze_time("2027-01-02 08:00:00"):
            self.assertEqual(recompute(), [self.wrench.id])
            self._check_states({"TW-1": "due_soon", "STD-1": "due_soon"})
            self.assertEqual(recompute(), [], "a rerun changes nothing")
        with freeze_time("2027-01-06 08:00:00"):
            self.assertEqual(recompute(), [self.transducer.id])
            self._check_states({"TW-1": "due_soon", "STD-1": "overdue"})
            self.assertEqual(self.transducer._lookup_calibration_state(), "overdue")
        with freeze_time("2027-01-17 08:00:00"):
            self.assertEqual(recompute(), [self.wrench.id])
            self._check_states({"TW-1": "overdue", "STD-1": "overdue"})
            # found out of tolerance and left so: out of tolerance whatever the date
            failed = self._record(self.wrench, date(2027, 1, 17), [(20, 0.8, "21.5")])
            failed.action_confirm()
            self.assertRecordValues(
                failed,
                [{"result": "fail", "as_found_failed": True, "next_due_date": False}],
            )
            self._check_states({"TW-1": "out_of_tolerance", "STD-1": "overdue"})
            self.assertEqual(self.wrench_schedule.next_due_date, date(2027, 1, 16))
            # withdrawn, or in repair: out of service
            self.wrench.action_withdraw_from_service()
            self._check_states({"TW-1": "out_of_service", "STD-1": "overdue"})
            self.wrench.action_return_to_service()
            self.assertEqual(self.wrench.calibration_state, "out_of_tolerance")
            self.wrench.action_send_to_repair()
            self._check_states({"TW-1": "out_of_service", "STD-1": "overdue"})
            self.wrench.action_back_in_use()
            # repaired and adjusted: valid again
            repaired = self._record(
                self.wrench, date(2027, 1, 17), [(20, 0.8, "21.5", "20.1")]
            )
            repaired.action_confirm()
            self.assertEqual(repaired.result, "adjusted")
            self._check_states({"TW-1": "valid", "STD-1": "overdue"})
            self.assertEqual(recompute(), [])

    def test_failed_safety_test_takes_out_of_service(self):
        with freeze_time("2026-01-15 12:00:00"):
            safety = self.Schedule.create(
                {
                    "asset_id": self.transducer.id,
                    "kind_id": self.kind_safety.id,
                    "next_due_date": "2026-06-01",
                }
            )
            self.assertEqual(self.transducer.calibration_state, "valid")
            record = self.Record.create(
                {
                    "asset_id": self.transducer.id,
                    "schedule_id": safety.id,
                    "date": "2026-01-15",
                    "result": "fail",
                    "note": "<p>Insulation resistance 0.2 MΩ</p>",
                }
            )
            record.action_confirm()
            self.assertEqual(safety.failure_state, "out_of_service")
            self.assertEqual(self.transducer.calibration_state, "out_of_service")
            # a failed test is no measurement: no impact assessment
            self.assertFalse(record.impact_ids)

    def test_status_searchable(self):
        with freeze_time("2026-01-16 12:00:00"):
            self.Schedule._recompute_calibration_states()
            Asset = self.env["stock.asset"]
            self.assertEqual(
                Asset.search([("calibration_state", "=", "overdue")]), self.wrench
            )
            self.assertEqual(
                Asset.search(
                    [
                        ("calibration_state", "in", ("valid", "overdue")),
                        ("company_id", "=", self.company_a.id),
                    ]
                ),
                self.wrench | self.transducer,
            )
            self.assertEqual(
                self.Schedule.search([("status", "=", "overdue")]),
                self.wrench_schedule,
            )
            self.assertEqual(
                self.Schedule.search(
                    [("status", "!=", "overdue"), ("asset_id", "=", self.wrench.id)]
                ),
                self.Schedule,
            )
            self.assertEqual(
                self.Schedule.search(
                    [("status", "in", ("valid",)), ("asset_id.code", "like", "-1")]
                ),
                self.transducer_schedule,
            )

    # Records --------------------------------------------------------------------
    @freeze_time("2026-01-15 12:00:00")
    def test_points_and_result(self):
        record = self._record(
            self.wrench,
            date(2026, 1, 15),
            [
                (20, 0.8, "20,6"),  # in: pass (decimal comma)
                (40, 1.6, "41.7", "40.2"),  # out, adjusted in: adjusted
                (60, 1.5, "57.5", "58.0"),  # out, adjusted, still out: fail
                (10, 0.4, "10.4"),  # on the limit: pass
            ],
        )
        self.assertRecordValues(
            record.point_ids,
            [
                {"result": "pass", "as_found_ok": True, "as_left_ok": False},
                {"result": "adjusted", "as_found_ok": False, "as_left_ok": True},
                {"result": "fail", "as_found_ok": False, "as_left_ok": False},
                {"result": "pass", "as_found_ok": True, "as_left_ok": False},
            ],
        )
        self.assertAlmostEqual(record.point_ids[0].as_found_value, 20.6)
        self.assertAlmostEqual(record.point_ids[1].as_found_error, 1.7)
        self.assertAlmostEqual(record.point_ids[2].as_left_error, -2.0)
        self.assertRecordValues(record, [{"result": "fail", "as_found_failed": True}])
        record.point_ids[2].as_left = "59.0"
        self.assertRecordValues(
            record, [{"result": "adjusted", "as_found_failed": True}]
        )
        record.point_ids[1].as_found = "40.5"
        record.point_ids[2].as_found = "60.5"
        self.assertRecordValues(record, [{"result": "pass", "as_found_failed": False}])
        # a hand-picked result must agree with the points
        record.result = "adjusted"
        with self.assertRefused(
            ValidationError,
            rf"^Result: the measurement points of record {CAL} give Pass; the "
            r"result cannot say Adjusted\.$",
        ):
            record.action_confirm()

    @freeze_time("2026-01-15 12:00:00")
    def test_bad_input_tolerance(self):
        for tolerance in (0.0, -0.5):
            with self.assertRefused(
                ValidationError,
                rf"^Tolerance ±: point 'Torque 20 N·m' of record {CAL} has a "
                rf"tolerance of {tolerance}; a tolerance must be greater than "
                r"zero\.$",
            ):
                self._record(self.wrench, date(2026, 1, 15), [(20, tolerance, "20")])

    @freeze_time("2026-01-15 12:00:00")
    def test_bad_input_as_left_missing_on_adjusted_point(self):
        with self.assertRefused(
            ValidationError,
            rf"^As-Left: point 'Torque 20 N·m' of record {CAL} is marked adjusted, "
            r"so its as-left value is required\.$",
        ):
            self._record(self.wrench, date(2026, 1, 15), [(20, 0.8, "21.2", False)])
        with self.assertRefused(
            ValidationError,
            rf"^As-Found: '2O\.1' on point 'Torque 20 N·m' of record {CAL} is not a "
            r"number\.$",
        ):
            self._record(self.wrench, date(2026, 1, 15), [(20, 0.8, "2O.1")])
        record = self._record(self.wrench, date(2026, 1, 15), [(20, 0.8, "")])
        self.assertFalse(record.result)
        with self.assertRefused(
            ValidationError,
            rf"^As-Found: point 'Torque 20 N·m' of record {CAL} has no as-found "
            r"value; every point needs the value found before adjustment\.$",
        ):
            record.action_confirm()

    @freeze_time("2026-01-15 12:00:00")
    def test_bad_input_future_date(self):
        with self.assertRefused(
            ValidationError,
            rf"^Date: record {CAL} is dated 01/16/2026, after today \(01/15/2026\); "
            r"a calibration record cannot be dated in the future\.$",
        ):
            self._record(self.wrench, date(2026, 1, 16))
        record = self._record(self.wrench, date(2026, 1, 15))
        with self.assertRefused(ValidationError, r"^Date: record .* future\.$"):
            record.date = date(2026, 2, 1)

    @freeze_time("2026-01-15 12:00:00")
    def test_bad_input_reference_standard(self):
        def record_with(standards):
            """A record of the wrench on 15 January, ``standards`` its references."""
            return self._record(
                self.wrench, date(2026, 1, 15), reference_ids=[(6, 0, standards.ids)]
            )

        old = self._asset(
            name="Old Transducer",
            code="STD-2",
            category_id=self.category_instruments.id,
            state="in_use",
        )
        with freeze_time("2025-01-10 12:00:00"):
            self._record(old, date(2025, 1, 10)).action_confirm()
        self.assertEqual(old.calibration_schedule_ids.next_due_date, date(2026, 1, 10))
        self.Schedule._recompute_calibration_states()
        self.assertEqual(old.calibration_state, "overdue")
        with self.assertRefused(
            ValidationError,
            r"^Reference Standards: STD-2 \(Old Transducer\) was overdue on "
            r"01/15/2026 \(Calibration due 01/10/2026\)\. A reference standard must "
            r"hold a valid calibration on the record's date\.$",
        ):
            record_with(old)
        # on 8 January it was still valid: a record of that day may use it
        record = self._record(
            self.wrench, date(2026, 1, 8), reference_ids=[(6, 0, old.ids)]
        )
        self.assertEqual(record.reference_ids, old)
        # moving the record's date past the standard's due date is refused too
        with self.assertRefused(ValidationError, r"^Reference Standards: STD-2"):
            record.date = date(2026, 1, 12)
        # a standard never calibrated, and one found out of tolerance
        new = self._asset(
            name="New Gauge", code="STD-3", category_id=self.category_instruments.id
        )
        with self.assertRefused(
            ValidationError,
            r"^Reference Standards: STD-3 \(New Gauge\) had no confirmed Calibration "
            r"on or before 01/15/2026\. A reference",
        ):
            record_with(new)
        self._record(new, date(2026, 1, 14), [(20, 0.8, "22")]).action_confirm()
        with self.assertRefused(
            ValidationError,
            rf"^Reference Standards: STD-3 \(New Gauge\) was out of tolerance on "
            rf"01/15/2026 \(record {CAL}\)\. A reference",
        ):
            record_with(new)
        # an instrument is not its own reference; a plain asset is no standard
        drill = self._asset(name="Drill", code="D-9", category_id=self.category_a.id)
        with self.assertRefused(
            ValidationError,
            r"^Reference Standards: TW-1 \(Torque Wrench 5-60 N·m\) is the "
            r"instrument itself; D-9 \(Drill\) has no calibration schedule\.",
        ):
            record_with(self.wrench | drill)

    @freeze_time("2026-01-15 12:00:00")
    def test_bad_input_confirmed_record_edited(self):
        record = self._record(
            self.wrench,
            date(2026, 1, 15),
            [(20, 0.8, "20.3")],
            reference_ids=[(6, 0, self.transducer.ids)],
        )
        record.action_confirm()
        with self.assertRefused(
            UserError,
            rf"^Date: record {CAL} is confirmed; a confirmed calibration record "
            r"cannot be edited\. Record a correction that references it instead\.$",
        ):
            record.date = date(2026, 1, 14)
        with self.assertRefused(
            UserError, r"^Result, Certificate Number: record .* is confirmed;"
        ):
            record.write({"result": "fail", "certificate_number": "X"})
        with self.assertRefused(UserError, r"^Reference Standards: record"):
            record.reference_ids = [(5, 0, 0)]
        with self.assertRefused(UserError, r"^As-Found: record .* is confirmed;"):
            record.point_ids.as_found = "20.0"
        with self.assertRefused(
            UserError, r"^Measurement Points: record .* is confirmed;"
        ):
            record.point_ids.unlink()
        with self.assertRefused(
            UserError, r"^Measurement Points: record .* is confirmed;"
        ):
            self.env["stock.asset.calibration.point"].create(
                {
                    "calibration_id": record.id,
                    "name": "Torque",
                    "tolerance": 1,
                    "as_found": "1",
                }
            )
        with self.assertRefused(
            UserError,
            rf"^Status: record {CAL} is confirmed; a confirmed calibration record "
            r"is evidence and cannot be deleted\.$",
        ):
            record.unlink()
        with self.assertRefused(UserError, r"^Status: record .* already"):
            record.action_confirm()
        # its chatter stays open
        record.message_post(body="Certificate checked by QA.")
        self.assertRecordValues(
            record,
            [
                {
                    "date": date(2026, 1, 15),
                    "result": "pass",
                    "state": "confirmed",
                    "reference_ids": self.transducer.ids,
                }
            ],
        )
        self.assertEqual(record.point_ids.as_found, "20.3")

    @freeze_time("2026-01-15 12:00:00")
    def test_external_record_needs_laboratory_and_certificate(self):
        record = self._record(self.wrench, date(2026, 1, 15), performer_type="external")
        with self.assertRefused(
            ValidationError,
            rf"^Laboratory: record {CAL} was performed by an external laboratory, "
            r"so the laboratory is required\.$",
        ):
            record.action_confirm()
        record.partner_id = self.lab
        with self.assertRefused(
            ValidationError,
            rf"^Certificate Number: record {CAL} was performed by an external "
            r"laboratory, so its certificate number is required\.$",
        ):
            record.action_confirm()
        record.certificate_number = "LAB-2026-0042"
        record.action_confirm()
        self.assertEqual(record.state, "confirmed")
        # records without points need a result chosen by hand
        bare = self._record(self.wrench, date(2026, 1, 15), result=False)
        with self.assertRefused(
            ValidationError,
            rf"^Result: record {CAL} has no result; enter its measurement points or "
            r"choose pass, adjusted or fail\.$",
        ):
            bare.action_confirm()

    def test_confirm_moves_next_due_by_months(self):
        self.wrench_schedule.write({"interval_number": 1, "interval_unit": "months"})
        with freeze_time("2026-03-01 12:00:00"):
            record = self._record(self.wrench, date(2026, 1, 31))
            record.action_confirm()
            self.assertEqual(record.next_due_date, date(2026, 2, 28))
            self.assertEqual(self.wrench_schedule.next_due_date, date(2026, 2, 28))
            # an older certificate entered late does not move the plan back
            older = self._record(self.wrench, date(2026, 1, 20))
            older.action_confirm()
            self.assertEqual(older.next_due_date, date(2026, 2, 20))
            self.assertEqual(self.wrench_schedule.next_due_date, date(2026, 2, 28))
            self.assertEqual(self.wrench_schedule.last_calibration_id, record)

    def test_correction_supersedes_the_original(self):
        with freeze_time("2026-01-15 12:00:00"):
            record = self._record(
                self.wrench,
                date(2026, 1, 15),
                [(20, 0.8, "20.3")],
                reference_ids=[(6, 0, self.transducer.ids)],
                certificate_number="INT-7",
            )
            with self.assertRefused(
                UserError,
                rf"^Status: record {CAL} is a draft; edit it instead of correcting "
                r"it\.$",
            ):
                record.action_correct()
            record.action_confirm()
            action = record.action_correct()
            correction = self.Record.browse(action["res_id"])
            self.assertRecordValues(
                correction,
                [
                    {
                        "correction_of_id": record.id,
                        "schedule_id": self.wrench_schedule.id,
                        "state": "draft",
                        "certificate_number": "INT-7",
                        "reference_ids": self.transducer.ids,
                        "result": "pass",
                    }
                ],
            )
            self.assertEqual(correction.point_ids.as_found, "20.3")
            # the typo: calibrated the day before
            correction.date = date(2026, 1, 14)
            correction.action_confirm()
            self.assertRecordValues(
                record,
                [
                    {
                        "superseded": True,
                        "state": "confirmed",
                        "date": date(2026, 1, 15),
                        "next_due_date": date(2027, 1, 15),
                    }
                ],
            )
            self.assertRecordValues(
                self.wrench_schedule,
                [
                    {
                        "last_calibration_id": correction.id,
                        "next_due_date": date(2027, 1, 14),
                    }
                ],
            )
            again = self.Record.create(
                {
                    "asset_id": self.wrench.id,
                    "date": "2026-01-15",
                    "result": "pass",
                    "correction_of_id": record.id,
                }
            )
            with self.assertRefused(
                ValidationError,
                rf"^Corrects: record {CAL} is already superseded by a correction; "
                r"correct the latest one\.$",
            ):
                again.action_confirm()
            with self.assertRefused(
                ValidationError,
                rf"^Corrects: record {CAL} is not a confirmed record; only confirmed "
                r"records are corrected \(drafts are edited\)\.$",
            ):
                again.correction_of_id = again

    # Blocking --------------------------------------------------------------------
    def test_checkout_refused_when_overdue_or_out_of_tolerance(self):
        with freeze_time("2026-01-16 09:00:00"):
            # before the night's cron: the stored status is yesterday's, the
            # check-out and the lookup judge by today
            self.assertEqual(self.wrench.calibration_state, "due_soon")
            self.assertEqual(self.wrench._lookup_calibration_state(), "overdue")
            with self.assertRefused(
                UserError,
                r"^TW-1 cannot go out: its calibration is overdue \(due "
                r"01/15/2026\)\.$",
            ):
                self.wrench.with_user(self.user_a).action_checkout(self.holder_a)
            self.assertFalse(self.wrench.custody_ids)
            # the scan API's check-out answers the same reason per asset
            self.assertEqual(
                self.env["stock.asset"]._checkout_for_scan(
                    self.wrench | self.transducer, self.holder_a
                ),
                {
                    self.wrench.id: "TW-1 cannot go out: its calibration is overdue "
                    "(due 01/15/2026).",
                    self.transducer.id: None,
                },
            )
            # the custody period is in the usage log
            custody = self.transducer.custody_ids
            self.assertRecordValues(
                self.Usage.search([("asset_id", "=", self.transducer.id)]),
                [
                    {
                        "source": "custody",
                        "date": datetime(2026, 1, 16, 9, 0),
                        "partner_id": self.holder_a.id,
                        "res_model": "stock.asset.custody",
                        "res_id": custody.id,
                        "res_name": "STD-1 with Anna Holder",
                    }
                ],
            )
            self.transducer.action_checkin()
            failed = self._record(self.transducer, date(2026, 1, 16), [(20, 1, "22")])
            failed.action_confirm()
            with self.assertRefused(
                UserError,
                r"^STD-1 cannot go out: it was found out of tolerance; it needs a "
                r"passing calibration\.$",
            ):
                self.transducer.action_checkout(self.holder_a)
            self.transducer.action_withdraw_from_service()
            with self.assertRefused(
                UserError, r"^STD-1 cannot go out: it is out of service\.$"
            ):
                self.transducer.action_checkout(self.holder_a)

    def test_usage_log(self):
        with freeze_time("2026-01-15 10:30:00"):
            Usage = self.Usage.with_user(self.user_a)
            usage = Usage._log_usage(self.transducer, self.lot_a2)
            self.assertRecordValues(
                usage,
                [
                    {
                        "asset_id": self.transducer.id,
                        "date": datetime(2026, 1, 15, 10, 30),
                        "user_id": self.user_a.id,
                        "partner_id": self.user_a.partner_id.id,
                        "res_model": "stock.lot",
                        "res_id": self.lot_a2.id,
                        "res_name": "TW-2",
                        "source": "api",
                        "company_id": self.company_a.id,
                    }
                ],
            )
            # a reference names its document when one record bears that name
            scanned = Usage._log_usage(
                self.transducer,
                reference="TW-3",
                source="scan",
                at=datetime(2026, 1, 15, 10, 0),
                user=self.manager_a,
            )
            self.assertRecordValues(
                scanned,
                [
                    {
                        "res_model": "stock.lot",
                        "res_id": self.lot_a3.id,
                        "reference": "TW-3",
                        "user_id": self.manager_a.id,
                        "date": datetime(2026, 1, 15, 10, 0),
                    }
                ],
            )
            free = Usage._log_usage(self.transducer.ids, reference="QC-0042")
            self.assertRecordValues(
                free, [{"res_model": False, "res_id": 0, "reference": "QC-0042"}]
            )
            self.assertEqual(free.display_name, "STD-1 on QC-0042")
            with self.assertRefused(
                ValidationError,
                r"^Date: the use of STD-1 is dated 2026-01-15 12:00:00, "
                r"in the future; a usage is logged when it happens\.$",
            ):
                Usage._log_usage(self.transducer, at=datetime(2026, 1, 15, 12, 0))
            self.assertEqual(self.transducer.usage_count, 3)
        with freeze_time("2026-01-16 09:00:00"):
            self.Schedule._recompute_calibration_states()
            both = self.wrench | self.transducer
            self.assertEqual(
                both._check_usage_allowed(),
                {
                    self.wrench.id: "TW-1 cannot be used: its calibration is overdue "
                    "(due 01/15/2026)."
                },
            )
            with self.assertRefused(
                UserError,
                r"^TW-1 cannot be used: its calibration is overdue \(due "
                r"01/15/2026\)\.$",
            ):
                self.Usage.with_user(self.user_a)._log_usage(both, self.lot_a2)
            self.assertEqual(self.transducer.usage_count, 3, "all or nothing")
            with self.assertRaises(AccessError):
                usage.with_user(self.user_a).unlink()

    # Multi-company ---------------------------------------------------------------
    @freeze_time("2026-01-15 12:00:00")
    def test_multi_company(self):
        record = self._record(self.wrench, date(2026, 1, 15), [(20, 0.8, "20.1")])
        self.Usage._log_usage(self.wrench, self.lot_a2)
        for model in (
            "stock.asset.calibration.schedule",
            "stock.asset.calibration",
            "stock.asset.calibration.point",
            "stock.asset.usage",
        ):
            self.assertFalse(
                self.env[model].with_user(self.user_b).search([]),
                f"{model}: company B sees nothing of company A",
            )
            self.assertTrue(self.env[model].with_user(self.user_a).search([]))
        with self.assertRaises(AccessError):
            record.with_user(self.user_b).read(["name"])
        standard_b = self.env["stock.asset"].create(
            {"name": "Gauge B", "company_id": self.company_b.id}
        )
        with self.assertRefused(UserError, "Incompatible companies"):
            record.reference_ids = [(4, standard_b.id)]

    # Access rights ---------------------------------------------------------------
    @freeze_time("2026-01-15 12:00:00")
    def test_access_rights_per_group(self):
        record = self._record(self.wrench, date(2026, 1, 15), [(20, 0.8, "20.1")])
        for user in (self.user_a, self.accountant_a):
            # users and accountants read the plans and the evidence
            self.assertEqual(
                self.Schedule.with_user(user).search(
                    [("asset_id", "=", self.wrench.id)]
                ),
                self.wrench_schedule,
            )
            self.assertEqual(record.with_user(user).point_ids.as_found, "20.1")
            self.assertEqual(
                self.env["stock.asset.calibration.kind"]
                .with_user(user)
                .search([("code", "=", "calibration")]),
                self.kind_calibration,
            )
            # but neither plan, record, confirm nor configure
            with self.assertRaises(AccessError):
                self.wrench_schedule.with_user(user).next_due_date = "2026-02-01"
            with self.assertRaises(AccessError):
                self._record(self.wrench, date(2026, 1, 15)).with_user(
                    user
                ).action_confirm()
            with self.assertRaises(AccessError):
                self.Record.with_user(user).create(
                    {"asset_id": self.wrench.id, "result": "pass"}
                )
            with self.assertRaises(AccessError):
                self.env["stock.asset.calibration.kind"].with_user(user).create(
                    {"name": "Leak Test", "code": "leak"}
                )
        # users record usage; the stock-only user sees nothing of it
        self.Usage.with_user(self.user_a).create({"asset_id": self.wrench.id})
        with self.assertRaises(AccessError):
            self.Usage.with_user(self.stock_user_a).search([])
        # managers configure kinds and plans, and confirm records
        leak = (
            self.env["stock.asset.calibration.kind"]
            .with_user(self.manager_a)
            .create({"name": "Leak Test", "code": "leak", "metrological": False})
        )
        schedule = self.Schedule.with_user(self.manager_a).create(
            {"asset_id": self.wrench.id, "kind_id": leak.id}
        )
        self.assertEqual(schedule.interval_number, 12)
        record.with_user(self.manager_a).action_confirm()
        self.assertEqual(record.state, "confirmed")

    # Views -------------------------------------------------------------------------
    def test_views_load_for_each_group(self):
        views = {
            "stock.asset": ["list", "kanban", "form", "search"],
            "stock.asset.category": ["form"],
            "stock.asset.calibration.schedule": ["list", "calendar", "form", "search"],
            "stock.asset.calibration": ["list", "form", "search"],
            "stock.asset.calibration.kind": ["list", "form"],
            "stock.asset.usage": ["list", "form", "search"],
            "stock.asset.impact": ["list", "form", "search"],
        }
        for user in (self.user_a, self.manager_a):
            self.assertViewsLoad(user, views)
        form = self.form_arch(self.manager_a)
        self.assertIn('name="calibration_state"', form)
        self.assertIn('name="action_withdraw_from_service"', form)

    @freeze_time("2026-01-15 12:00:00")
    def test_record_through_the_form(self):
        with Form(self.Record.with_user(self.manager_a)) as record_form:
            record_form.asset_id = self.wrench
            self.assertEqual(record_form.schedule_id, self.wrench_schedule)
            self.assertEqual(record_form.performer_type, "internal")
            record_form.reference_ids.add(self.transducer)
            with record_form.point_ids.new() as point:
                point.name = "Torque"
                point.unit = "N·m"
                point.nominal = 20
                point.tolerance = 0.8
                point.as_found = "21.0"
                point.adjusted = True
                point.as_left = "20.2"
            self.assertEqual(record_form.result, "adjusted")
        record = record_form.record
        record.with_user(self.manager_a).action_confirm()
        self.assertRecordValues(
            record,
            [{"state": "confirmed", "result": "adjusted", "as_found_failed": True}],
        )
        self.assertEqual(len(record.impact_ids), 1)

    @freeze_time("2026-01-15 12:00:00")
    def test_changes_tracked_in_the_chatter(self):
        Record = self.Record.with_context(tracking_disable=False)
        record = Record.browse(
            self._record(self.wrench, date(2026, 1, 15), [(20, 0.8, "20.3")]).id
        )
        # a record is not tracked in the transaction that creates it: "commit"
        self.env.flush_all()
        self.env.cr.precommit.run()
        record.certificate_number = "INT-9"
        record.point_ids.as_found = "20.5"
        record.action_confirm()
        self.env.cr.precommit.run()  # tracking values are written at commit
        messages = self.env["mail.message"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)]
        )
        tracked = messages.tracking_value_ids.mapped(
            lambda value: (
                value.field_id.name,
                value.old_value_char or False,
                value.new_value_char,
            )
        )
        self.assertIn(("certificate_number", False, "INT-9"), tracked)
        self.assertIn(("state", "Draft", "Confirmed"), tracked)
        self.assertIn(
            "Torque 20 N·m: As-Found 20.3 → 20.5",
            "".join(messages.mapped("body")),
        )
