# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Meters over the scan API (issue 19, item 5): a read may carry a meter value;
a bad one makes that read invalid and the rest of the batch applies."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .scan_common import ScanApiCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestAssetMeterScan(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Meter = cls.env["stock.asset.meter"]
        cls.meters = Meter.create(
            [
                {"asset_id": asset.id, "name": "hours", "unit": "hours"}
                for asset in cls.assets
            ]
        )
        cls.env["stock.asset.meter.reading"].create(
            [
                {"meter_id": meter.id, "value": 1000, "date": datetime(2026, 11, 20)}
                for meter in cls.meters
            ]
        )

    def _read(self, asset, meter):
        return {"code": asset.epc, "timestamp": "2026-11-24T10:00:00Z", "meter": meter}

    def _readings(self):
        return [
            [(r.date, r.value, r.source, r.user_id) for r in meter.reading_ids]
            for meter in self.meters
        ]

    def test_meter_reads(self):
        a1, a2, a3, a4, a5 = self.assets
        reads = [
            self._read(a1, {"name": "HOURS", "value": 1234.5}),
            self._read(a2, {"name": "hours", "value": 999}),
            self._read(a3, {"name": "km", "value": 5}),
            self._read(a4, {"name": "hours", "value": "1300"}),
            self._read(a5, {"name": "hours", "value": -1}),
        ]
        body = self.assertBatchApplied(
            self.batch("meter-1", reads),
            [
                ("A-00001", "matched", None),
                (
                    "A-00002",
                    "invalid",
                    "Meter reading: 999 on meter hours of asset A-00002 is lower "
                    "than the last reading 1000; mark it as a meter reset if the "
                    "counter was reset or replaced.",
                ),
                (
                    "A-00003",
                    "invalid",
                    "unknown meter 'km' for asset A-00003: not a meter of the asset",
                ),
                ("A-00004", "invalid", "meter 'hours': the value must be a number"),
                (
                    "A-00005",
                    "invalid",
                    "meter 'hours': the value must be a finite number, zero or more",
                ),
            ],
        )
        self.assertEqual((body["matched"], body["invalid"]), (1, 4))
        # the matched read is recorded at its time, by the reader; the others
        # left their meters as they were
        before = (datetime(2026, 11, 20), 1000.0, "manual", self.env.user)
        self.assertEqual(
            self._readings(),
            [
                [
                    (datetime(2026, 11, 24, 10), 1234.5, "scan", self.reader_user),
                    before,
                ],
                [before],
                [before],
                [before],
                [before],
            ],
        )
        self.assertEqual(self.meters[0].current_value, 1234.5)

    def test_meter_malformed_and_non_finite(self):
        a1, a2, a3 = self.assets[:3]
        reads = [
            self._read(a1, "1234"),
            self._read(a2, {"name": "hours", "value": float("inf")}),
            self._read(a3, {"name": "hours", "value": 1000}),
        ]
        self.assertBatchApplied(
            self.batch("meter-2", reads),
            [
                (
                    "A-00001",
                    "invalid",
                    "meter must be an object with a name and a value, e.g. "
                    '{"name": "hours", "value": 1234.5}',
                ),
                (
                    "A-00002",
                    "invalid",
                    "meter 'hours': the value must be a finite number, zero or more",
                ),
                ("A-00003", "matched", None),
            ],
        )
        # an equal value is no use, but no error either
        self.assertEqual(
            [len(meter.reading_ids) for meter in self.meters[:3]], [1, 1, 2]
        )
