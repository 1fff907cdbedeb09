# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_calibration_common import CalibrationCommon


@tagged("post_install", "-at_install")
class TestCalibrationImpact(CalibrationCommon):
    """A worked scenario. The wrench passes its calibration on 15 January 2026; it
    is then used on a transfer of two serials, on a serial scanned alone, on a
    paper quality check, and lent to Anna for ten days; on 2 March the lab finds
    it 1.1 N·m off at 20 N·m (tolerance ±0.8) and adjusts it. Everything since 15
    January (Brussels time: the quality manager's day) must be assessed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shelf = cls.shelf_a  # the serials are moved to the shelf
        for lot in (cls.lot_a2, cls.lot_a3):
            cls.env["stock.quant"]._update_available_quantity(
                cls.product, cls.stock_a, 1, lot_id=lot
            )
        with freeze_time("2026-01-15 10:00:00"):
            cls.passing = cls._record(
                cls.wrench,
                date(2026, 1, 15),
                [(20, 0.8, "20.3")],
                reference_ids=[(6, 0, cls.transducer.ids)],
            )
            cls.passing.action_confirm()
            Usage = cls.env["stock.asset.usage"].with_user(cls.user_a)
            # the afternoon before, and just after midnight in Brussels
            cls.usage_before = Usage._log_usage(
                cls.wrench, cls.lot_a1, at=datetime(2026, 1, 14, 16, 0)
            )
            cls.usage_night = Usage._log_usage(
                cls.wrench, cls.lot_a1, at=datetime(2026, 1, 14, 23, 30)
            )
        with freeze_time("2026-02-02 10:00:00"):
            cls.picking = cls.env["stock.picking"].create(
                {
                    "picking_type_id": cls.warehouse_a.int_type_id.id,
                    "location_id": cls.stock_a.id,
                    "location_dest_id": cls.shelf.id,
                    "company_id": cls.company_a.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": cls.product.name,
                                "company_id": cls.company_a.id,
                                "product_id": cls.product.id,
                                "product_uom_qty": 2,
                                "product_uom": cls.product.uom_id.id,
                                "location_id": cls.stock_a.id,
                                "location_dest_id": cls.shelf.id,
                            },
                        )
                    ],
                }
            )
            cls.picking.action_confirm()
            cls.env["stock.move.line"].create(
                [
                    {
                        "move_id": cls.picking.move_ids.id,
                        "company_id": cls.company_a.id,
                        "picking_id": cls.picking.id,
                        "product_id": cls.product.id,
                        "product_uom_id": cls.product.uom_id.id,
                        "lot_id": lot.id,
                        "quantity": 1,
                        "location_id": cls.stock_a.id,
                        "location_dest_id": cls.shelf.id,
                    }
                    for lot in (cls.lot_a2, cls.lot_a3)
                ]
            )
            cls.usage_picking = cls.env["stock.asset.usage"]._log_usage(
                cls.wrench, cls.picking, user=cls.user_a
            )
        with freeze_time("2026-02-03 10:00:00"):
            cls.usage_scan = (
                cls.env["stock.asset.usage"]
                .with_user(cls.manager_a)
                ._log_usage(cls.wrench, reference="TW-1", source="scan")
            )
        with freeze_time("2026-02-04 10:00:00"):
            cls.usage_paper = cls.env["stock.asset.usage"]._log_usage(
                cls.wrench, reference="QC-0042", source="manual", user=cls.user_a
            )
        with freeze_time("2026-02-10 09:00:00"):
            cls.wrench.action_checkout(cls.holder_a)
            cls.custody = cls.wrench.custody_ids
        with freeze_time("2026-02-20 17:00:00"):
            cls.wrench.action_checkin()
        with freeze_time("2026-03-02 11:00:00"):
            cls.failing = cls._record(
                cls.wrench,
                date(2026, 3, 2),
                [(20, 0.8, "21.1", "20.1"), (50, 2, "50.5")],
                reference_ids=[(6, 0, cls.transducer.ids)],
                performer_type="external",
                partner_id=cls.lab.id,
                certificate_number="LAB-2026-0107",
            )
            cls.failing.with_user(cls.manager_a).action_confirm()
            cls.env.flush_all()
        cls.impact = cls.failing.impact_ids

    def test_assessment_lists_everything_since_the_last_pass(self):
        self.assertEqual(self.failing.result, "adjusted")
        self.assertTrue(self.failing.as_found_failed)
        self.assertRecordValues(
            self.impact,
            [
                {
                    "asset_id": self.wrench.id,
                    "calibration_id": self.failing.id,
                    "last_pass_calibration_id": self.passing.id,
                    # midnight in Brussels, in UTC
                    "date_from": datetime(2026, 1, 14, 23, 0),
                    "date_to": datetime(2026, 3, 2, 23, 0),
                    "state": "open",
                    "responsible_id": self.manager_a.id,
                    "company_id": self.company_a.id,
                    "line_count": 8,
                    "undecided_count": 8,
                }
            ],
        )
        self.assertRegex(self.impact.name, r"^IMP/2026/\d{4}$")
        anna, user_a = self.holder_a.id, self.user_a.partner_id.id
        # TW-2 and TW-3, moved together by the internal picking of 2 February
        moved_by_picking = {
            "date_from": datetime(2026, 2, 2, 10, 0),
            "date_to": datetime(2026, 2, 2, 10, 0),
            "user_id": self.user_a.id,
            "res_model": "stock.picking",
            "res_name": self.picking.name,
        }
        self.assertRecordValues(
            self.impact.line_ids,
            [
                self._line("custody", custody=self.custody, holder=anna)
                | {
                    "date_from": datetime(2026, 2, 10, 9, 0),
                    "date_to": datetime(2026, 2, 20, 17, 0),
                    "user_id": self.env.ref("base.user_root").id,
                    "res_model": "stock.asset.custody",
                    "res_name": "TW-1 with Anna Holder",
                },
                self._line("usage", usage=self.usage_night, holder=user_a)
                | {"date_from": datetime(2026, 1, 14, 23, 30)},
                self._line("usage", usage=self.usage_picking, holder=user_a)
                | {"date_from": datetime(2026, 2, 2, 10, 0)},
                self._line(
                    "usage", usage=self.usage_scan, holder=self.manager_a.partner_id.id
                )
                | {"date_from": datetime(2026, 2, 3, 10, 0)},
                self._line("usage", usage=self.usage_paper, holder=user_a)
                | {"date_from": datetime(2026, 2, 4, 10, 0), "res_name": "QC-0042"},
                self._line("lot", lot=self.lot_a1, holder=user_a)
                | {
                    "date_from": datetime(2026, 1, 14, 23, 30),
                    "date_to": datetime(2026, 2, 3, 10, 0),
                    "user_id": self.user_a.id,
                    "res_model": "stock.lot",
                    "res_name": "TW-1",
                },
                self._line("lot", lot=self.lot_a2, holder=user_a) | moved_by_picking,
                self._line("lot", lot=self.lot_a3, holder=user_a) | moved_by_picking,
            ],
        )
        # the afternoon before the passing calibration is out of the period
        self.assertNotIn(self.usage_before, self.impact.line_ids.usage_id)
        # the custody period is in the usage log, but listed once (as custody)
        self.assertEqual(
            self.Usage.search(
                [("asset_id", "=", self.wrench.id), ("source", "=", "custody")]
            ).res_id,
            self.custody.id,
        )
        # the record tells, and the manager has an activity to assess
        self.assertIn(
            f"impact assessment {self.impact.name} opened with 8 line(s)",
            "".join(self.failing.message_ids.mapped("body")),
        )
        self.assertEqual(self.impact.activity_ids.user_id, self.manager_a)
        # adjusted: valid again, and the plan moved on
        self.assertEqual(self.wrench.calibration_state, "valid")
        self.assertEqual(self.wrench_schedule.next_due_date, date(2027, 3, 2))

    @staticmethod
    def _line(line_type, usage=None, custody=None, lot=None, holder=False):
        """Expected values of an undecided line (usage lines: from their usage)."""
        return {
            "line_type": line_type,
            "usage_id": usage.id if usage else False,
            "custody_id": custody.id if custody else False,
            "lot_id": lot.id if lot else False,
            "holder_id": holder,
            "date_to": False,
            "user_id": usage.user_id.id if usage else False,
            "res_model": usage.res_model if usage else False,
            "res_name": usage.res_name if usage else False,
            "decision": False,
        }

    def test_decide_every_line_then_close(self):
        impact = self.impact.with_user(self.manager_a)
        with self.assertRefused(
            UserError,
            r"^Decision: assessment IMP/2026/\d{4} has 8 undecided line\(s\) "
            r"\(Custody Period TW-1 with Anna Holder, Usage TW-1, Usage [^,]+, "
            r"Usage TW-1, Usage QC-0042\); an assessment is closed only when every "
            r"line is decided\.$",
        ):
            impact.action_close()
        lines = impact.line_ids
        with freeze_time("2026-03-03 09:00:00"):
            lines[:4].write({"decision": "no_impact", "notes": "Torque not critical"})
            lines[4].write({"decision": "recheck", "notes": "Measure again"})
            lines[5:7].write({"decision": "recall"})
        self.assertRecordValues(
            lines[4],
            [
                {
                    "decision": "recheck",
                    "decided_by_id": self.manager_a.id,
                    "decided_date": datetime(2026, 3, 3, 9, 0),
                }
            ],
        )
        self.assertIn(
            "Usage QC-0042: undecided → Re-check (Measure again)",
            "".join(impact.message_ids.mapped("body")),
        )
        with self.assertRefused(
            UserError, r"has 1 undecided line\(s\) \(Lot / Serial TW-3\);"
        ):
            impact.action_close()
        lines[7].decision = "recall"
        self.assertRecordValues(
            impact,
            [{"undecided_count": 0, "recall_count": 3, "recheck_count": 1}],
        )
        with freeze_time("2026-03-04 09:00:00"):
            impact.conclusion = "Serials TW-1 to TW-3 recalled; QC-0042 measured again."
            impact.action_close()
        self.assertRecordValues(
            impact,
            [
                {
                    "state": "closed",
                    "closed_by_id": self.manager_a.id,
                    "closed_date": datetime(2026, 3, 4, 9, 0),
                }
            ],
        )
        self.assertFalse(impact.activity_ids, "the assessment activity is done")
        with self.assertRefused(
            UserError,
            r"^Decision: assessment IMP/2026/\d{4} is closed; reopen it to change "
            r"it\.$",
        ):
            lines[0].decision = "recall"
        with self.assertRefused(UserError, r"^Conclusion: assessment .* closed"):
            impact.conclusion = "Changed"
        with self.assertRefused(UserError, r"^Lines: the lines of an impact"):
            lines[0].sudo().unlink()

    def test_rights(self):
        line = self.impact.line_ids[0]
        self.assertEqual(line.with_user(self.user_a).decision, False)
        with self.assertRaises(AccessError):
            line.with_user(self.user_a).decision = "no_impact"
        with self.assertRaises(AccessError):
            self.impact.with_user(self.user_a).action_close()
        self.assertEqual(
            self.impact.with_user(self.accountant_a).line_count, 8, "auditors read"
        )
        self.assertFalse(self.Impact.with_user(self.user_b).search([]))

    def test_late_entries_and_a_second_failure(self):
        with freeze_time("2026-03-05 10:00:00"):
            # logged late, for a day in the period; one after it stays out
            late = self.Usage._log_usage(
                self.wrench, reference="QC-0050", at=datetime(2026, 2, 25, 8, 0)
            )
            self.Usage._log_usage(self.wrench, reference="QC-0051")
            self.impact.action_refresh_lines()
            self.assertEqual(self.impact.line_count, 9)
            self.assertEqual(self.impact.line_ids[-1].usage_id, late)
            self.impact.action_refresh_lines()
            self.assertEqual(self.impact.line_count, 9, "nothing twice")
        with freeze_time("2026-03-10 15:00:00"):
            # found out again and not repairable: the period runs from the adjusted
            # record of 2 March until the confirmation
            broken = self._record(self.wrench, date(2026, 3, 10), [(20, 0.8, "22.0")])
            broken.with_user(self.manager_a).action_confirm()
            second = broken.impact_ids
            self.assertRecordValues(
                second,
                [
                    {
                        "last_pass_calibration_id": self.failing.id,
                        "date_from": datetime(2026, 3, 1, 23, 0),
                        "date_to": datetime(2026, 3, 10, 15, 0),
                        "line_count": 1,
                    }
                ],
            )
            self.assertEqual(second.line_ids.res_name, "QC-0051")
            self.assertEqual(self.wrench.calibration_state, "out_of_tolerance")

    def test_reports(self):
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(
            "stock_asset_tracking.stock_asset_calibration_report_action",
            self.failing.ids,
        )[0].decode()
        for text in (
            self.failing.name,
            "LAB-2026-0107",
            "Metrology Lab",
            "Torque Wrench 5-60 N·m",
            "STD-1",
            "Torque Transducer",
            "21.1",
            "+1.1",
            "20.1",
            "+0.1",
            "Adjusted",
            "found out of tolerance",
        ):
            self.assertIn(text, html)
        lines = self.impact.line_ids
        lines[:3].write({"decision": "no_impact"})
        lines[3].write({"decision": "recall", "notes": "Customer informed"})
        html = Report._render_qweb_html(
            "stock_asset_tracking.stock_asset_impact_report_action", self.impact.ids
        )[0].decode()
        for text in (
            self.impact.name,
            self.failing.name,
            self.passing.name,
            "TW-1 with Anna Holder",
            "Anna Holder",
            self.picking.name,
            "QC-0042",
            "TW-2",
            "TW-3",
            "Recall",
            "Customer informed",
            "undecided",
            "OPEN: undecided lines remain.",
        ):
            self.assertIn(text, html)
