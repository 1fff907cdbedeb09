# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The scan API's custody and audit modes, over real HTTP."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.common import format_moment
from .scan_common import ScanApiCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanApiModes(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_holder()
        cls.other_holder = cls.env["res.partner"].create(
            {"name": "Bo Holder", "ref": "EMP-BO", "company_id": cls.company_a.id}
        )

    def test_checkout_and_checkin(self):
        a1, a2, a3 = self.assets[:3]
        a2._checkout(self.other_holder)
        a3.state = "in_repair"
        checkout = self.batch(
            "co-1",
            [a1.epc, a2.epc, a3.epc],
            mode="checkout",
            holder="EMP-ADA",
            due="2026-12-01T17:00:00Z",
        )
        status, body, _r = self.post("/batches", checkout)
        self.assertEqual(status, 200, body)
        since = format_moment(self.env(user=self.reader_user), a2.custody_id.date_from)
        self.assertEqual(
            self._results(body),
            [
                ("A-00001", "matched", None),
                (
                    "A-00002",
                    "invalid",
                    f"A-00002 is already out with Bo Holder since {since}.",
                ),
                ("A-00003", "invalid", "A-00003 is in repair and cannot go out."),
            ],
        )
        self.assertEqual((body["matched"], body["invalid"]), (1, 2))
        self.assertEqual(a1.holder_id, self.holder)
        self.assertRecordValues(
            a1.custody_id,
            [
                {
                    "holder_id": self.holder.id,
                    "date_due": datetime(2026, 12, 1, 17, 0),
                    "date_returned": False,
                }
            ],
        )
        self.assertEqual(a2.holder_id, self.other_holder)
        self.assertFalse(a3.holder_id)
        # the replay changes nothing
        status, again, _r = self.post("/batches", checkout)
        self.assertEqual((status, again["duplicate"]), (200, True))
        self.assertEqual(len(a1.custody_ids), 1)
        # check-in at the dock: a1 comes back, a3 was never out
        self.assertBatchApplied(
            self.batch("ci-1", [a1.epc, a3.epc], mode="checkin", location="A-DOCK"),
            [
                ("A-00001", "matched", None),
                (
                    "A-00003",
                    "invalid",
                    "A-00003 cannot be checked in: it is not checked out.",
                ),
            ],
        )
        self.assertFalse(a1.holder_id)
        self.assertTrue(a1.custody_ids.date_returned)

    def test_checkout_needs_a_known_holder(self):
        self.assertBatchRefused(
            self.batch("co-2", [self.assets[0].epc], mode="checkout"),
            400,
            {
                "code": "missing_field",
                "message": "missing field: holder (checkout mode)",
            },
        )
        self.assertBatchApplied(
            self.batch("co-3", [self.assets[0].epc], mode="checkout", holder="NOBODY"),
            [
                (
                    "A-00001",
                    "invalid",
                    "A-00001 cannot go out without a holder: choose who takes it.",
                )
            ],
        )
        self.assertFalse(self.assets[0].holder_id)

    def test_audit_mode(self):
        a1, a2, a3 = self.assets[:3]
        (a1 | a2).location_id = self.shelf_1
        a3.location_id = self.shelf_2
        audit = self.env["stock.asset.audit"].create(
            {
                "name": "Shelves",
                "company_id": self.company_a.id,
                "location_ids": [(6, 0, (self.shelf_1 | self.shelf_2).ids)],
            }
        )
        audit.action_start()
        status, body, _r = self.post(
            "/batches",
            self.batch(
                "au-1",
                [a1.epc, a3.epc, "3474257BF40000000000FFFF"],
                mode="audit",
                location="A-SHELF-1",
            ),
        )
        self.assertEqual(status, 200, body)
        self.assertEqual(
            [(r["status"], r.get("audit")) for r in body["results"]],
            [
                ("matched", "found"),
                ("matched", "found_elsewhere"),
                ("unknown", "unknown"),
            ],
        )
        lines = audit.line_ids
        self.assertEqual(
            {(line.asset_id.code or line.code, line.status) for line in lines},
            {
                ("A-00001", "found"),
                ("A-00002", "pending"),
                ("A-00003", "found_elsewhere"),
                ("3474257BF40000000000FFFF", "unknown"),
            },
        )
        # audit scans do not move assets: relocating is the auditor's decision
        self.assertEqual(a3.location_id, self.shelf_2)
        # a scan outside every open audit is reported, not counted
        status, body, _r = self.post(
            "/batches",
            self.batch("au-2", [a2.epc], mode="audit", location="A-DOCK"),
        )
        self.assertEqual(
            (body["results"][0]["status"], body["results"][0]["message"]),
            (
                "invalid",
                f"location {self.dock.complete_name} is not part of an open audit",
            ),
        )
        self.assertEqual(
            audit.line_ids.filtered(lambda line: line.asset_id == a2).status, "pending"
        )

    def test_use_mode_logs_usage(self):
        a1, a2 = self.assets[:2]
        self.assertBatchApplied(
            self.batch(
                "use-1", [a1.epc, a2.code], mode="use", reference="WH/OUT/00042"
            ),
            [("A-00001", "matched", None), ("A-00002", "matched", None)],
        )
        usage = (
            self.env["stock.asset.usage"]
            .search([("asset_id", "in", (a1 | a2).ids)])
            .sorted(lambda line: line.asset_id.id)
        )
        self.assertRecordValues(
            usage,
            [
                {
                    "asset_id": a1.id,
                    "reference": "WH/OUT/00042",
                    "user_id": self.reader_user.id,
                    "source": "scan",
                },
                {
                    "asset_id": a2.id,
                    "reference": "WH/OUT/00042",
                    "user_id": self.reader_user.id,
                    "source": "scan",
                },
            ],
        )

    def test_lookup_answers_holder_and_next_reservation(self):
        a4, a5 = self.assets[3:5]
        a5.write({"location_id": self.shelf_2.id, "last_seen_date": "2026-11-20 08:30"})
        a5._checkout(self.holder, date_due=datetime(2026, 11, 28, 17, 0))
        Reservation = self.env["stock.asset.reservation"]
        booked = Reservation.create(
            [
                {
                    "asset_id": asset.id,
                    "holder_id": holder.id,
                    "date_start": start,
                    "date_end": end,
                }
                for asset, holder, start, end in (
                    (a5, self.holder, "2026-12-10 08:00", "2026-12-11 17:00"),
                    (a5, self.other_holder, "2026-12-01 08:00", "2026-12-03 17:00"),
                    (a5, self.other_holder, "2026-12-04 08:00", "2026-12-05 17:00"),
                    (a4, self.other_holder, "2026-11-24 08:00", "2026-11-25 12:00"),
                )
            ]
        )
        booked[2].action_cancel()
        status, body, _r = self.get("/lookup", params={"code": "A-00005"})
        self.assertEqual(status, 200, body)
        self.assertEqual(
            body,
            {
                "code": "A-00005",
                "epc_uri": None,
                "gs1": None,
                "status": "matched",
                "asset_id": a5.id,
                "asset_code": "A-00005",
                "name": "Drill 5",
                "state": "in_use",
                "location": {
                    "id": self.shelf_2.id,
                    "name": self.shelf_2.complete_name,
                    "barcode": "A-SHELF-2",
                },
                "holder": {
                    "id": self.holder.id,
                    "name": "Ada Holder",
                    "ref": "EMP-ADA",
                },
                "last_seen_date": "2026-11-20T08:30:00Z",
                "calibration_state": None,
                "reservation": {
                    "id": booked[1].id,
                    "holder": "Bo Holder",
                    "date_start": "2026-12-01T08:00:00Z",
                    "date_end": "2026-12-03T17:00:00Z",
                    "current": False,
                },
            },
        )
        # a reservation under way is the current one
        status, body, _r = self.get("/lookup", params={"code": a4.epc})
        self.assertEqual(status, 200, body)
        self.assertEqual(
            (body["asset_code"], body["holder"], body["reservation"]),
            (
                "A-00004",
                None,
                {
                    "id": booked[3].id,
                    "holder": "Bo Holder",
                    "date_start": "2026-11-24T08:00:00Z",
                    "date_end": "2026-11-25T12:00:00Z",
                    "current": True,
                },
            ),
        )

    def test_overdue_instrument_answers_its_status_and_is_refused(self):
        gauge = self.assets[3]
        self.env["stock.asset.calibration.schedule"].create(
            {
                "asset_id": gauge.id,
                "kind_id": self.env.ref(
                    "stock_asset_tracking.calibration_kind_calibration"
                ).id,
                "interval_number": 12,
                "interval_unit": "months",
                "next_due_date": "2026-11-01",
                "responsible_id": self.reader_user.id,
            }
        )
        status, body, _r = self.get("/lookup", params={"code": gauge.epc})
        self.assertEqual(status, 200, body)
        self.assertEqual(
            (body["asset_code"], body["calibration_state"]), ("A-00004", "overdue")
        )
        self.assertBatchApplied(
            self.batch("co-cal", [gauge.epc], mode="checkout", holder="EMP-ADA"),
            [
                (
                    "A-00004",
                    "invalid",
                    "A-00004 cannot go out: its calibration is overdue "
                    "(due 11/01/2026).",
                )
            ],
        )
        self.assertBatchApplied(
            self.batch("use-cal", [gauge.epc], mode="use", reference="MO/00007"),
            [
                (
                    "A-00004",
                    "invalid",
                    "A-00004 cannot be used: its calibration is overdue "
                    "(due 11/01/2026).",
                )
            ],
        )
        self.assertFalse(gauge.holder_id)
        self.assertFalse(gauge.custody_ids)
        self.assertFalse(
            self.env["stock.asset.usage"].search([("asset_id", "=", gauge.id)])
        )
