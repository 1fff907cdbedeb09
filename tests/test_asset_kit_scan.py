# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Kits over the scan API, real HTTP: a check-out or check-in read of a kit takes
its components along, a component read alone is answered with the reason, and a
kit seen somewhere moves its components with it."""

from freezegun import freeze_time

from odoo.tests import tagged

from .scan_common import ScanApiCommon

# the minute before the frozen time: the reads of the fixed readers' cycles
MINUTE = "2026-11-24T11:59"


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestAssetKitScan(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_holder()
        cls.kit, cls.gauge_1, cls.gauge_2 = cls.assets[:3]
        (cls.gauge_1 | cls.gauge_2).write({"parent_id": cls.kit.id})
        cls.members = cls.kit | cls.gauge_1 | cls.gauge_2

    def test_checkout_and_checkin_of_a_kit_read(self):
        self.assertBatchApplied(
            self.batch("kit-co-1", [self.kit.epc], mode="checkout", holder="EMP-ADA"),
            [("A-00001", "matched", None)],
        )
        self.assertRecordValues(self.members, [{"holder_id": self.holder.id}] * 3)
        self.assertEqual(len(self.members.custody_ids), 3)
        self.assertEqual(self.members.custody_ids.checkout_user_id, self.reader_user)
        # a component read alone is answered with the reason, not applied
        self.assertBatchApplied(
            self.batch("kit-ci-0", [self.gauge_2.epc], mode="checkin"),
            [
                (
                    "A-00003",
                    "invalid",
                    "A-00003 cannot be checked in alone: it is a component of kit "
                    "A-00001, which is out with Ada Holder. Check the kit in, and "
                    "say which components did not come back.",
                )
            ],
        )
        self.assertEqual(self.gauge_2.holder_id, self.holder)
        # the kit's read checks it in at the dock with its components
        self.assertBatchApplied(
            self.batch("kit-ci-1", [self.kit.epc], mode="checkin", location="A-DOCK"),
            [("A-00001", "matched", None)],
        )
        self.assertRecordValues(
            self.members, [{"holder_id": False, "location_id": self.dock.id}] * 3
        )
        self.assertEqual(self.members.custody_ids.return_location_id, self.dock)

    def test_component_alone_is_refused_with_the_reason(self):
        self.assertBatchApplied(
            self.batch(
                "kit-co-4", [self.gauge_1.epc], mode="checkout", holder="EMP-ADA"
            ),
            [
                (
                    "A-00002",
                    "invalid",
                    "A-00002 is a component of kit A-00001: check the kit out, or "
                    "take A-00002 out of the kit first.",
                )
            ],
        )
        self.assertFalse(self.members.custody_ids)
        # kit and component read together: both go out
        status, body, _r = self.post(
            "/batches",
            self.batch(
                "kit-co-5",
                [self.gauge_1.epc, self.kit.epc],
                mode="checkout",
                holder="EMP-ADA",
            ),
        )
        self.assertEqual(
            sorted(self._results(body)),
            [("A-00001", "matched", None), ("A-00002", "matched", None)],
        )
        self.assertRecordValues(self.members, [{"holder_id": self.holder.id}] * 3)

    def test_kit_seen_elsewhere_moves_its_components(self):
        status, body, _r = self.post(
            "/batches",
            self.batch("kit-ob-1", [self.kit.epc], location="A-SHELF-2"),
        )
        self.assertEqual(status, 200, body)
        self.assertEqual(body["results"][0]["status"], "matched")
        self.assertRecordValues(self.members, [{"location_id": self.shelf_2.id}] * 3)
        # a component read elsewhere in the same batch keeps its own read
        self.assertBatchApplied(
            self.batch(
                "kit-ob-2",
                [
                    {
                        "code": self.kit.epc,
                        "antenna": 1,
                        "timestamp": "2026-11-24T11:00:00Z",
                    },
                    {
                        "code": self.gauge_2.epc,
                        "antenna": 2,
                        "timestamp": "2026-11-24T11:00:00Z",
                    },
                ],
                device="reader-7",
            ),
            [
                ("A-00001", "matched", None),
                (
                    "A-00003",
                    "matched",
                    "A-00003 is a component of kit A-00001, which is at "
                    f"{self.shelf_1.complete_name}: seen away from its kit, at "
                    f"{self.dock.complete_name}.",
                ),
            ],
        )
        self.assertRecordValues(
            self.members,
            [
                {"location_id": self.shelf_1.id},
                {"location_id": self.shelf_1.id},
                {"location_id": self.dock.id},
            ],
        )

    def test_fixed_readers_place_a_kit_and_name_a_component_away(self):
        """Through the presence rules of fixed readers: a component first seen in
        another zone than its kit is answered with the reason, and the kit's first
        sighting moves its components with it."""
        dock_reader, shelf_reader = self.env["stock.asset.device"].create(
            [
                {
                    "name": name,
                    "device_type": "fixed_rfid",
                    "company_id": self.company_a.id,
                    "location_id": location.id,
                }
                for name, location in (
                    ("kit-zone-dock", self.dock),
                    ("kit-zone-shelf", self.shelf_2),
                )
            ]
        )

        def cycle(device, asset, second):
            reads = [
                {"code": asset.epc, "rssi": -60.0, "timestamp": f"{MINUTE}:{s}Z"}
                for s in (second, second + 1)
            ]
            body = {"batch_id": f"{device.name}-{second}", "device": device.name}
            status, answer, _r = self.post("/batches", dict(body, reads=reads))
            self.assertEqual(status, 200, answer)
            return self._results(answer)

        self.assertEqual(
            cycle(dock_reader, self.gauge_2, 10),
            [
                (
                    "A-00003",
                    "matched",
                    "A-00003 is a component of kit A-00001, which is at "
                    f"{self.stock_a.complete_name}: seen away from its kit, at "
                    f"{self.dock.complete_name}.",
                )
            ],
        )
        self.assertEqual(self.gauge_2.location_id, self.dock)
        self.assertEqual(
            cycle(shelf_reader, self.kit, 20), [("A-00001", "matched", None)]
        )
        self.env.invalidate_all()
        self.assertRecordValues(self.members, [{"location_id": self.shelf_2.id}] * 3)
