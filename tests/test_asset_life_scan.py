# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The life of an item over the scan API (issue 19): a check-in read returns the
asset home, a read may carry the asset's condition."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .scan_common import ScanApiCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestAssetLifeScan(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_holder()
        cls.good = cls.env.ref("stock_asset_tracking.condition_good")
        cls.poor = cls.env.ref("stock_asset_tracking.condition_poor")
        cls.broken = cls.env.ref("stock_asset_tracking.condition_broken")

    def _read(self, asset, **extra):
        return {
            "code": asset.epc,
            "timestamp": "2026-11-24T10:00:00Z",
            **extra,
        }

    def test_checkin_without_location_returns_home(self):
        a1, a2, a3 = self.assets[:3]
        (a1 | a2).home_location_id = self.shelf_2
        (a1 | a2 | a3)._checkout(self.holder, location_to=self.dock)
        self.assertBatchApplied(
            self.batch("home-1", [a1.epc, a2.epc, a3.epc], mode="checkin"),
            [
                ("A-00001", "matched", None),
                ("A-00002", "matched", None),
                ("A-00003", "matched", None),
            ],
        )
        # home for the two that have one; the third stays where it was
        self.assertEqual(
            [(a.location_id, a.holder_id) for a in (a1, a2, a3)],
            [
                (self.shelf_2, self.env["res.partner"]),
                (self.shelf_2, self.env["res.partner"]),
                (self.dock, self.env["res.partner"]),
            ],
        )
        self.assertFalse((a1 | a2).filtered("away_from_home"))
        # a check-in at a named place is told otherwise: it is followed
        a1._checkout(self.holder)
        status, body, _r = self.post(
            "/batches",
            self.batch("home-2", [a1.epc], mode="checkin", location="A-DOCK"),
        )
        self.assertEqual(self._results(body), [("A-00001", "matched", None)])
        self.assertRecordValues(
            a1, [{"location_id": self.dock.id, "away_from_home": True}]
        )

    def test_condition_reads(self):
        a1, a2, a3, a4, a5 = self.assets
        reads = [
            self._read(a1, condition="good"),
            self._read(a2, condition="BROKEN"),
            self._read(a3, condition="nope"),
            self._read(a4, condition="bad\x07"),
            self._read(a5, condition="x" * 40),
        ]
        body = self.assertBatchApplied(
            self.batch("cond-1", reads, location="A-SHELF-2"),
            [
                ("A-00001", "matched", None),
                ("A-00002", "matched", None),
                (
                    "A-00003",
                    "invalid",
                    "unknown condition 'nope' for asset A-00003: not a condition "
                    "code of its company",
                ),
                (
                    "A-00004",
                    "invalid",
                    "condition contains a control character (U+0007)",
                ),
                (
                    "A-00005",
                    "invalid",
                    f"condition '{'x' * 40}' is longer than 32 characters",
                ),
            ],
        )
        self.assertEqual((body["matched"], body["invalid"]), (2, 3))
        # the matched reads applied: moved, condition recorded; a2 went to repair
        self.assertRecordValues(
            a1 | a2,
            [
                {
                    "location_id": self.shelf_2.id,
                    "condition_id": self.good.id,
                    "state": "in_use",
                },
                {
                    "location_id": self.shelf_2.id,
                    "condition_id": self.broken.id,
                    "state": "in_repair",
                },
            ],
        )
        self.assertRecordValues(
            a2.condition_log_ids,
            [
                {
                    "condition_id": self.broken.id,
                    "source": "scan",
                    "user_id": self.reader_user.id,
                    "location_id": self.shelf_2.id,
                }
            ],
        )
        self.assertRecordValues(
            a2.condition_log_ids.service_id,
            [{"service_type": "repair", "state": "draft", "asset_id": a2.id}],
        )
        # the refused ones did not move and have no condition
        self.assertRecordValues(
            a3 | a4 | a5,
            [{"location_id": self.stock_a.id, "condition_id": False}] * 3,
        )
        self.assertFalse((a3 | a4 | a5).condition_log_ids)

    def test_condition_at_checkout_and_checkin(self):
        a1, a2, a3 = self.assets[:3]
        a3.home_location_id = self.shelf_1
        a3._checkout(self.holder, location_to=self.dock)
        status, body, _r = self.post(
            "/batches",
            self.batch(
                "cond-co",
                [self._read(a1, condition="broken"), self._read(a2, condition="good")],
                mode="checkout",
                holder="EMP-ADA",
            ),
        )
        self.assertEqual(status, 200, body)
        # a broken item does not go out: its condition takes it out of service
        self.assertEqual(
            self._results(body),
            [
                ("A-00001", "invalid", "A-00001 is in repair and cannot go out."),
                ("A-00002", "matched", None),
            ],
        )
        self.assertRecordValues(
            a1 | a2,
            [
                {"state": "in_repair", "holder_id": False},
                {"state": "in_use", "holder_id": self.holder.id},
            ],
        )
        self.assertEqual(
            (a1 | a2).condition_log_ids.mapped("source"), ["checkout", "checkout"]
        )
        status, body, _r = self.post(
            "/batches",
            self.batch("cond-ci", [self._read(a3, condition="poor")], mode="checkin"),
        )
        self.assertEqual(self._results(body), [("A-00003", "matched", None)])
        self.assertRecordValues(
            a3,
            [
                {
                    "location_id": self.shelf_1.id,
                    "holder_id": False,
                    "condition_id": self.poor.id,
                }
            ],
        )
        self.assertEqual(a3.condition_log_ids.source, "checkin")

    def test_condition_in_audit_and_found_away_from_home(self):
        a1, a2 = self.assets[:2]
        (a1 | a2).write({"location_id": self.shelf_1.id})
        a1.home_location_id = self.shelf_2
        audit = self.env["stock.asset.audit"].create(
            {
                "name": "Shelves",
                "company_id": self.company_a.id,
                "location_ids": [Command.set((self.shelf_1 | self.shelf_2).ids)],
            }
        )
        audit.action_start()
        status, body, _r = self.post(
            "/batches",
            self.batch(
                "cond-au",
                [self._read(a1, condition="fair"), self._read(a2)],
                mode="audit",
                location="A-SHELF-1",
            ),
        )
        self.assertEqual(status, 200, body)
        self.assertEqual(
            [(r["status"], r.get("audit")) for r in body["results"]],
            [("matched", "found"), ("matched", "found")],
        )
        self.assertEqual(a1.condition_log_ids.source, "audit")
        self.assertEqual(
            a1.condition_id, self.env.ref("stock_asset_tracking.condition_fair")
        )
        self.assertFalse(a2.condition_log_ids)
        lines = audit.line_ids.sorted("code")
        self.assertEqual(
            [(line.code, line.found_away_from_home) for line in lines],
            [("A-00001", True), ("A-00002", False)],
        )
