# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The Zebra, Impinj and EPCIS 2.0 routes over real HTTP, fed with captures of
real readers (``tests/data``) and the EPCIS examples of the standard
(``shared/epcis/examples``)."""

import json
from datetime import datetime
from unittest import skipUnless
from urllib.parse import quote

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import epc as epc_lib
from ..tools import reader_formats
from .common import ASSET_DEVICE, company_user
from .scan_common import (
    ScanApiCommon,
    data_file,
    giai96,
    shared_epcis_dir,
    vendor_batch_id,
)

EPCIS_DIR = shared_epcis_dir()
ZEBRA = "/readers/{}/zebra"
IMPINJ = "/readers/{}/impinj"
CAPTURE = "/epcis/capture"
SGTIN_2017 = "urn:epc:id:sgtin:0614141.107346.2017"
SGTIN_2018 = "urn:epc:id:sgtin:0614141.107346.2018"


def giai_result(code, reference, asset=None, status=None, message=None):
    """The per-code answer of a GIAI-96 EPC of company prefix 0614141."""
    result = {
        "code": code,
        "epc_uri": f"urn:epc:id:giai:0614141.{reference}",
        "gs1": f"(8004)0614141{reference}",
        "status": status or ("matched" if asset else "unknown"),
        "asset_id": asset.id if asset else None,
        "asset_code": asset.code if asset else None,
    }
    if message:
        result["message"] = message
    return result


def done(batch_id, reads, results, duplicate=False):
    """A processed batch answer, its counters taken from ``results``."""
    return {
        "batch_id": batch_id,
        "duplicate": duplicate,
        "status": "done",
        "reads": reads,
        "unique_codes": len(results),
        "matched": sum(r["status"] == "matched" for r in results),
        "unknown": sum(r["status"] == "unknown" for r in results),
        "invalid": sum(r["status"] == "invalid" for r in results),
        "results": results,
    }


def lines(name, *numbers):
    """Some lines (from 1) of an NDJSON capture."""
    all_lines = data_file(name).splitlines(keepends=True)
    return b"".join(all_lines[number - 1] for number in numbers)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanApiVendors(ScanApiCommon):
    openapi_check = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Asset = cls.env["stock.asset"]
        # the tags of the captures: GIAI-96 0614141.5678 / 5680 / 5793 / 5810
        # (5811 is read too, and is no asset)
        cls.t5678, cls.t5680, cls.t5793, cls.t5810 = Asset.create(
            [
                {
                    "name": f"Roll cage {reference}",
                    "code": f"T-{reference}",
                    "epc": giai96(reference),
                    "company_id": cls.company_a.id,
                    "location_id": cls.stock_a.id,
                }
                for reference in (5678, 5680, 5793, 5810)
            ]
        )
        # each read applies as it comes (the presence rules of fixed readers are
        # tested in test_presence, vendor formats included)
        cls.door = cls._handheld_reader("dock-door-2", cls.dock, [(3, cls.shelf_2)])

    def _batches(self, name):
        return self.env["stock.asset.scan.batch"].search([("name", "=", name)])

    def _raw_observations(self, batch):
        """(code, rssi, antennas) as stored: the ORM rounds rssi to its digits."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT code, rssi, antennas FROM stock_asset_observation"
            " WHERE batch_id = %s ORDER BY code",
            [batch.id],
        )
        return self.env.cr.fetchall()

    # Zebra ---------------------------------------------------------------------------
    def test_zebra_iot_connector_stream(self):
        body = data_file("zebra_iotc_fx9600_stream.ndjson")
        batch_id = vendor_batch_id("zebra", "reader-7", body)
        status, answer, _r = self.post(
            ZEBRA.format("reader-7"), body, content_type="application/x-ndjson"
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer,
            done(
                batch_id,
                4,
                [
                    giai_result("3474257BF40000000000162E", 5678, self.t5678),
                    giai_result("3474257BF400000000001630", 5680, self.t5680),
                    giai_result("3474257BF4000000000016A1", 5793, self.t5793),
                ],
            ),
        )
        # antenna 1 has no place of its own: the reader's; antenna 2 is the dock
        self.assertRecordValues(
            self.t5678 | self.t5680 | self.t5793 | self.t5810,
            [
                {
                    "location_id": self.shelf_1.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 0, 2, 310000),
                },
                {
                    "location_id": self.shelf_1.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 0, 0, 457000),
                },
                {
                    "location_id": self.dock.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 0, 1, 2000),
                },
                {"location_id": self.stock_a.id, "last_seen_date": False},
            ],
        )
        batch = self._batches(batch_id)
        self.assertRecordValues(
            batch,
            [
                {
                    "source": "zebra",
                    "device_id": self.device.id,
                    "company_id": self.company_a.id,
                    "user_id": self.reader_user.id,
                    "state": "done",
                    "read_count": 4,
                    "unique_count": 3,
                    "matched_count": 3,
                    "moved_count": 3,
                }
            ],
        )
        self.assertRecordValues(
            batch.observation_ids.sorted("code"),
            [
                {
                    "code": "3474257BF40000000000162E",
                    "asset_id": self.t5678.id,
                    "status": "matched",
                    "read_count": 2,
                    "first_seen": datetime(2026, 11, 24, 10, 0, 0, 120000),
                    "last_seen": datetime(2026, 11, 24, 10, 0, 2, 310000),
                    "location_id": self.shelf_1.id,
                    "previous_location_id": self.stock_a.id,
                    "device_id": self.device.id,
                    "applied": True,
                    "moved": True,
                    "triage_state": False,
                },
                {
                    "code": "3474257BF400000000001630",
                    "asset_id": self.t5680.id,
                    "status": "matched",
                    "read_count": 1,
                    "first_seen": datetime(2026, 11, 24, 10, 0, 0, 457000),
                    "last_seen": datetime(2026, 11, 24, 10, 0, 0, 457000),
                    "location_id": self.shelf_1.id,
                    "previous_location_id": self.stock_a.id,
                    "device_id": self.device.id,
                    "applied": True,
                    "moved": True,
                    "triage_state": False,
                },
                {
                    "code": "3474257BF4000000000016A1",
                    "asset_id": self.t5793.id,
                    "status": "matched",
                    "read_count": 1,
                    "first_seen": datetime(2026, 11, 24, 10, 0, 1, 2000),
                    "last_seen": datetime(2026, 11, 24, 10, 0, 1, 2000),
                    "location_id": self.dock.id,
                    "previous_location_id": self.stock_a.id,
                    "device_id": self.device.id,
                    "applied": True,
                    "moved": True,
                    "triage_state": False,
                },
            ],
        )
        # best RSSI of the two reads of 162E; the SIMPLE event had none
        self.assertEqual(
            self._raw_observations(batch),
            [
                ("3474257BF40000000000162E", -49.0, "1"),
                ("3474257BF400000000001630", None, None),
                ("3474257BF4000000000016A1", -61.0, "2"),
            ],
        )

    def test_zebra_replay_idempotency_key_and_conflict(self):
        body = data_file("zebra_iotc_fx7500_batch.json")
        derived = vendor_batch_id("zebra", "dock-door-2", body)
        path = ZEBRA.format("dock-door-2")
        status, first, _r = self.post(path, body)
        self.assertEqual(status, 200, first)
        self.assertEqual(
            first,
            done(
                derived,
                2,
                [
                    giai_result("3474257BF4000000000016B2", 5810, self.t5810),
                    giai_result("3474257BF4000000000016B3", 5811),
                ],
            ),
        )
        # antenna 3 is shelf 2; antenna 4 has no place: the door's (the dock)
        self.assertRecordValues(
            self._batches(derived).observation_ids.sorted("code"),
            [
                {"location_id": self.shelf_2.id, "status": "matched"},
                {"location_id": self.dock.id, "status": "unknown"},
            ],
        )
        self.assertRecordValues(
            self.t5810,
            [
                {
                    "location_id": self.shelf_2.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 15, 30, 5000),
                }
            ],
        )
        # the same body again: the stored answer, nothing changed
        status, again, _r = self.post(path, body)
        self.assertEqual(status, 200)
        self.assertEqual(again, dict(first, duplicate=True))
        self.assertEqual(len(self._batches(derived).observation_ids), 2)
        # the same body from another reader is another batch
        status, other_reader, _r = self.post(ZEBRA.format("reader-7"), body)
        self.assertEqual(status, 200)
        self.assertEqual(
            other_reader["batch_id"], vendor_batch_id("zebra", "reader-7", body)
        )
        self.assertFalse(other_reader["duplicate"])
        # an Idempotency-Key names the batch instead of the hash of the body
        key = "dock-door-2/2026-11-24/000042"
        status, keyed, _r = self.post(path, body, headers={"Idempotency-Key": key})
        self.assertEqual(status, 200)
        self.assertEqual(keyed, dict(first, batch_id=key))
        self.assertRecordValues(
            self._batches(key).observation_ids.sorted("code"),
            [
                # read at the same time as before: nothing newer to apply
                {"asset_id": self.t5810.id, "applied": False, "moved": False},
                {"asset_id": False, "applied": False, "moved": False},
            ],
        )
        # the key once more with another body: refused, nothing stored
        status, answer, _r = self.post(
            path,
            data_file("zebra_rfd40_dataevt.json"),
            headers={"Idempotency-Key": key},
        )
        self.assertEqual(status, 409)
        self.assertEqual(
            answer,
            {
                "error": {
                    "code": "batch_conflict",
                    "message": f"batch {key} was already received with another body",
                }
            },
        )
        self.assertEqual(len(self._batches(key).observation_ids), 2)
        self.assertFalse(self.t5678.last_seen_date)
        # a key longer than a batch id may be
        status, answer, _r = self.post(
            path, body, headers={"Idempotency-Key": "k" * 201}
        )
        self.assertEqual(
            (status, answer),
            (
                400,
                {
                    "error": {
                        "code": "bad_request",
                        "message": "Idempotency-Key is longer than 200 characters",
                    }
                },
            ),
        )
        self.assertFalse(self._batches("k" * 201))

    def test_zebra_handheld_and_fx_connect(self):
        body = data_file("zebra_rfd40_dataevt.json")
        status, answer, _r = self.post(ZEBRA.format("reader-7"), body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer,
            done(
                vendor_batch_id("zebra", "reader-7", body),
                2,
                [
                    giai_result("3474257BF40000000000162E", 5678, self.t5678),
                    giai_result("3474257BF400000000001630", 5680, self.t5680),
                ],
            ),
        )
        seen = datetime(2026, 11, 24, 10, 5, 12, 331000)
        self.assertRecordValues(
            self.t5678 | self.t5680,
            [
                {"location_id": self.shelf_1.id, "last_seen_date": seen},
                {"location_id": self.shelf_1.id, "last_seen_date": seen},
            ],
        )
        self.assertEqual(
            self._raw_observations(self._batches(answer["batch_id"])),
            [
                ("3474257BF40000000000162E", -45.0, None),
                ("3474257BF400000000001630", -63.0, None),
            ],
        )
        # FX Connect stamps reads with a local time and no zone: refused
        body = data_file("zebra_fx_connect.json")
        status, answer, _r = self.post(ZEBRA.format("dock-door-2"), body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer,
            done(
                vendor_batch_id("zebra", "dock-door-2", body),
                1,
                [
                    giai_result(
                        "3474257BF40000000000162E",
                        5678,
                        status="invalid",
                        message="timestamp without time zone",
                    )
                ],
            ),
        )
        self.assertRecordValues(
            self.t5678, [{"location_id": self.shelf_1.id, "last_seen_date": seen}]
        )
        self.assertRecordValues(
            self._batches(answer["batch_id"]).observation_ids,
            [
                {
                    "status": "invalid",
                    "message": "timestamp without time zone",
                    "asset_id": False,
                    "applied": False,
                    "triage_state": False,
                }
            ],
        )

    # Impinj --------------------------------------------------------------------------
    def test_impinj_stream_and_webhook(self):
        body = data_file("impinj_r700_stream.ndjson")
        status, answer, _r = self.post(
            IMPINJ.format("reader-7"), body, content_type="application/x-ndjson"
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer,
            done(
                vendor_batch_id("impinj", "reader-7", body),
                2,
                [
                    giai_result("3474257BF40000000000162E", 5678, self.t5678),
                    # the second event has only the base64 "epc"
                    giai_result("3474257BF400000000001630", 5680, self.t5680),
                ],
            ),
        )
        self.assertRecordValues(
            self.t5678 | self.t5680,
            [
                {
                    "location_id": self.shelf_1.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 0, 0, 120000),
                },
                {
                    "location_id": self.dock.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 0, 0, 385000),
                },
            ],
        )
        # centi-dBm to dBm, kept to the hundredth
        self.assertEqual(
            self._raw_observations(self._batches(answer["batch_id"])),
            [
                ("3474257BF40000000000162E", -61.5, "1"),
                ("3474257BF400000000001630", -70.25, "2"),
            ],
        )
        body = data_file("impinj_r700_webhook.json")
        status, answer, _r = self.post(IMPINJ.format("dock-door-2"), body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer,
            done(
                vendor_batch_id("impinj", "dock-door-2", body),
                2,
                [
                    giai_result("3474257BF4000000000016A1", 5793, self.t5793),
                    giai_result("3474257BF4000000000016B2", 5810, self.t5810),
                ],
            ),
        )
        # +01:00 read times, stored in UTC; antenna 3 is shelf 2, 4 the door's dock
        self.assertRecordValues(
            self.t5793 | self.t5810,
            [
                {
                    "location_id": self.shelf_2.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 30, 10, 250000),
                },
                {
                    "location_id": self.dock.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 30, 10, 500000),
                },
            ],
        )
        self.assertEqual(
            self._raw_observations(self._batches(answer["batch_id"])),
            [
                ("3474257BF4000000000016A1", -58.75, "3"),
                ("3474257BF4000000000016B2", -64.0, "4"),
            ],
        )

    def test_impinj_speedway_connect_unknown_tags(self):
        body = data_file("impinj_speedway_connect.ndjson")
        status, answer, _r = self.post(
            IMPINJ.format("reader-7"), body, content_type="text/plain"
        )
        self.assertEqual(status, 200, answer)
        raw = {
            "epc_uri": None,
            "gs1": None,
            "status": "unknown",
            "asset_id": None,
            "asset_code": None,
        }
        self.assertEqual(
            answer,
            done(
                vendor_batch_id("impinj", "reader-7", body),
                2,
                [
                    dict(raw, code="999908290000000000000004"),
                    dict(raw, code="999908290000000000000003"),
                ],
            ),
        )
        batch = self._batches(answer["batch_id"])
        self.assertRecordValues(
            batch.observation_ids.sorted("code"),
            [
                {
                    "code": "999908290000000000000003",
                    "status": "unknown",
                    "triage_state": "new",
                    "location_id": self.shelf_1.id,
                    "first_seen": datetime(2026, 11, 24, 10, 15, 54, 373293),
                },
                {
                    "code": "999908290000000000000004",
                    "status": "unknown",
                    "triage_state": "new",
                    "location_id": self.shelf_1.id,
                    "first_seen": datetime(2026, 11, 24, 10, 15, 54, 368790),
                },
            ],
        )
        # Speedway Connect sends dBm already
        self.assertEqual(
            self._raw_observations(batch),
            [
                ("999908290000000000000003", -50.0, "23"),
                ("999908290000000000000004", -51.0, "7"),
            ],
        )

    # No tags, bad bodies, bad reads --------------------------------------------------
    def test_heartbeats_only(self):
        cases = [
            # GPI, BLE and health events of the FX9600 capture
            (ZEBRA, "zebra", lines("zebra_iotc_fx9600_stream.ndjson", 4, 5, 6)),
            # inventory status and GPI events of the R700 capture
            (IMPINJ, "impinj", lines("impinj_r700_stream.ndjson", 1, 4)),
            # the Speedway Connect heartbeat
            (IMPINJ, "impinj", lines("impinj_speedway_connect.ndjson", 3)),
        ]
        Batch = self.env["stock.asset.scan.batch"]
        for route, source, body in cases:
            status, answer, _r = self.post(
                route.format("reader-7"), body, content_type="application/x-ndjson"
            )
            self.assertEqual(status, 200, answer)
            self.assertEqual(
                answer, done(vendor_batch_id(source, "reader-7", body), 0, [])
            )
        self.assertFalse(Batch.search([("device_id", "=", self.device.id)]))
        self.assertFalse(self.env["stock.asset.observation"].search([]))

    def test_malformed_vendor_bodies(self):
        r700 = lines("impinj_r700_stream.ndjson", 2)
        cases = [
            (ZEBRA, reader_formats.parse_zebra, b"{not json", "invalid_json"),
            (ZEBRA, reader_formats.parse_zebra, b"", "invalid_json"),
            (ZEBRA, reader_formats.parse_zebra, b"\xff\xfe{}", "invalid_json"),
            (ZEBRA, reader_formats.parse_zebra, b"[1]", "bad_request"),
            (
                ZEBRA,
                reader_formats.parse_zebra,
                b'[{"data": {"idHex": ""}, "type": "SIMPLE"}]',
                "bad_request",
            ),
            (
                IMPINJ,
                reader_formats.parse_impinj,
                b'{"eventType": "tagInventory"}',
                "bad_request",
            ),
            (
                IMPINJ,
                reader_formats.parse_impinj,
                b'[{"tagInventoryEvent": {"epc": "N*Q="}}]',
                "bad_request",
            ),
            (
                IMPINJ,
                reader_formats.parse_impinj,
                r700 + b'{"timestamp": \n',
                "invalid_json",
            ),
            (
                CAPTURE,
                reader_formats.parse_epcis_document,
                b'{"type": "EPCISDocument", "schemaVersion": "1.2", '
                b'"creationDate": "2026-11-24T10:00:00Z", "epcisBody": {}}',
                "bad_request",
            ),
            (CAPTURE, reader_formats.parse_epcis_document, b"[]", "bad_request"),
        ]
        for route, parser, body, code in cases:
            with self.subTest(route=route, body=body):
                with self.assertRaises(reader_formats.FormatError) as caught:
                    parser(body)
                status, answer, _r = self.post(route.format("reader-7"), body)
                self.assertEqual(status, 400)
                self.assertEqual(
                    answer, {"error": {"code": code, "message": str(caught.exception)}}
                )
        self.assertEqual(
            answer["error"]["message"],
            "EPCIS document must be a JSON object, got an array",
        )
        self.assertFalse(self.env["stock.asset.scan.batch"].search([]))

    def test_zebra_bad_reads_rest_applies(self):
        events = [
            {
                "data": {"idHex": "3474257bf40000000000162e", "antenna": 3},
                "timestamp": "2026-11-24T10:20:00.000+0000",
                "type": "SIMPLE",
            },
            {
                "data": {"idHex": "3474257bf4000000000016zz"},
                "timestamp": "2026-11-24T10:20:00.500+0000",
                "type": "SIMPLE",
            },
            {
                "data": {
                    "barcodeData": [
                        {
                            "decodedBarcode": "(01)09506000134353(21)X",
                            "symbology": "GS1-128",
                        }
                    ]
                },
                "timestamp": "2026-11-24T10:20:01.000Z",
                "type": "BARCODE",
            },
            {
                "data": {"idHex": "3474257bf400000000001630"},
                "timestamp": "2026-11-24T10:20:02.000",
                "type": "SIMPLE",
            },
            {
                "data": {"idHex": "3474257bf4000000000016a1"},
                "timestamp": "2026-11-25T10:20:03.000+0000",
                "type": "SIMPLE",
            },
        ]
        body = "\n".join(json.dumps(event) for event in events).encode()
        status, answer, _r = self.post(
            ZEBRA.format("dock-door-2"), body, content_type="application/x-ndjson"
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer,
            done(
                vendor_batch_id("zebra", "dock-door-2", body),
                5,
                [
                    giai_result("3474257BF40000000000162E", 5678, self.t5678),
                    {
                        "code": "3474257bf4000000000016zz",
                        "epc_uri": None,
                        "gs1": None,
                        "status": "invalid",
                        "asset_id": None,
                        "asset_code": None,
                        "message": "EPC must be hexadecimal "
                        "(digits 0-9 and letters A-F)",
                    },
                    {
                        "code": "(01)09506000134353(21)X",
                        "epc_uri": None,
                        "gs1": None,
                        "status": "invalid",
                        "asset_id": None,
                        "asset_code": None,
                        "message": "AI (01): check digit 3 should be 2",
                    },
                    giai_result(
                        "3474257BF400000000001630",
                        5680,
                        status="invalid",
                        message="timestamp without time zone",
                    ),
                    giai_result(
                        "3474257BF4000000000016A1",
                        5793,
                        status="invalid",
                        message="timestamp in the future",
                    ),
                ],
            ),
        )
        self.assertRecordValues(
            self.t5678 | self.t5680 | self.t5793,
            [
                {
                    "location_id": self.shelf_2.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 20),
                },
                {"location_id": self.stock_a.id, "last_seen_date": False},
                {"location_id": self.stock_a.id, "last_seen_date": False},
            ],
        )
        self.assertRecordValues(
            self._batches(answer["batch_id"]),
            [{"matched_count": 1, "invalid_count": 4, "moved_count": 1}],
        )

    def test_impinj_bad_reads_rest_applies(self):
        def event(epc_hex, timestamp):
            return {
                "timestamp": timestamp,
                "hostname": "impinj-14-2b-c9",
                "eventType": "tagInventory",
                "tagInventoryEvent": {
                    "epcHex": epc_hex,
                    "antennaPort": 1,
                    "peakRssiCdbm": -5500,
                },
            }

        body = json.dumps(
            [
                event("3474257BF4000000000016B2", "2026-11-24T11:59:00Z"),
                event("3474257BF4000000000016G2", "2026-11-24T11:59:00Z"),
                event("3474257BF40000000000162E", "2026-11-24T11:59:00"),
                event("3474257BF400000000001630", "2026-11-24T12:06:00Z"),
                # within the five minutes a reader's clock may be ahead
                event("3474257BF4000000000016A1", "2026-11-24T12:04:00Z"),
            ]
        ).encode()
        status, answer, _r = self.post(IMPINJ.format("reader-7"), body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            [(r["code"], r["status"], r.get("message")) for r in answer["results"]],
            [
                ("3474257BF4000000000016B2", "matched", None),
                (
                    "3474257BF4000000000016G2",
                    "invalid",
                    "EPC must be hexadecimal (digits 0-9 and letters A-F)",
                ),
                ("3474257BF40000000000162E", "invalid", "timestamp without time zone"),
                ("3474257BF400000000001630", "invalid", "timestamp in the future"),
                ("3474257BF4000000000016A1", "matched", None),
            ],
        )
        self.assertRecordValues(
            self.t5810 | self.t5793 | self.t5678 | self.t5680,
            [
                {
                    "location_id": self.shelf_1.id,
                    "last_seen_date": datetime(2026, 11, 24, 11, 59),
                },
                {
                    "location_id": self.shelf_1.id,
                    "last_seen_date": datetime(2026, 11, 24, 12, 4),
                },
                {"location_id": self.stock_a.id, "last_seen_date": False},
                {"location_id": self.stock_a.id, "last_seen_date": False},
            ],
        )

    # Routing, auth and limits --------------------------------------------------------
    def test_unknown_devices(self):
        other_user = company_user(self.env, "reader_a2", self.company_a, ASSET_DEVICE)
        Device = self.env["stock.asset.device"]
        Device.create(
            {"name": "reader-b", "company_id": self.company_b.id, "location_id": False}
        )
        Device.create(
            {"name": "reader-off", "company_id": self.company_a.id, "active": False}
        )
        Device.create(
            {
                "name": "reader-bound",
                "company_id": self.company_a.id,
                "user_id": other_user.id,
            }
        )
        body = data_file("zebra_iotc_fx7500_batch.json")
        for route in (ZEBRA, IMPINJ):
            for name in ("nope", "reader-b", "reader-off", "reader-bound"):
                with self.subTest(route=route, device=name):
                    status, answer, _r = self.post(route.format(name), body)
                    self.assertEqual(
                        (status, answer),
                        (
                            404,
                            {
                                "error": {
                                    "code": "unknown_device",
                                    "message": f"unknown or inactive device {name}",
                                }
                            },
                        ),
                    )
        # company B's reader answers company B's key
        status, answer, _r = self.post(ZEBRA.format("reader-b"), body, key=self.key_b)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            [r["status"] for r in answer["results"]], ["unknown", "unknown"]
        )
        self.assertRecordValues(
            self._batches(answer["batch_id"]), [{"company_id": self.company_b.id}]
        )
        self.assertFalse(self.t5810.last_seen_date)

    def test_vendor_auth(self):
        body = data_file("zebra_iotc_fx7500_batch.json")
        routes = (ZEBRA.format("reader-7"), IMPINJ.format("reader-7"), CAPTURE)
        unauthorized = {
            "error": {
                "code": "unauthorized",
                "message": "missing or invalid API key (Authorization: Bearer <key>)",
            }
        }
        for path in routes:
            with self.subTest(path=path):
                status, answer, response = self.post(path, body, key=False)
                self.assertEqual((status, answer), (401, unauthorized))
                self.assertEqual(
                    response.headers["WWW-Authenticate"],
                    'Bearer realm="asset-tracking"',
                )
                status, answer, _r = self.post(path, body, key=self.key_no_right)
                self.assertEqual(
                    (status, answer),
                    (
                        403,
                        {
                            "error": {
                                "code": "forbidden",
                                "message": "the API key's user is not an asset user",
                            }
                        },
                    ),
                )
        # a revoked key is no key
        self.revoke_key(self.reader_user)
        for path in routes:
            with self.subTest(path=path, key="revoked"):
                status, answer, response = self.post(path, body)
                self.assertEqual((status, answer), (401, unauthorized))
                self.assertIn("WWW-Authenticate", response.headers)
        self.assertFalse(self.env["stock.asset.scan.batch"].search([]))
        self.assertFalse(self.t5810.last_seen_date)

    def test_vendor_limits_and_content_types(self):
        body = data_file("zebra_iotc_fx9600_stream.ndjson")
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.max_body_bytes", "200"
        )
        too_large = {
            "error": {"code": "payload_too_large", "message": "body over 200 bytes"}
        }
        for path in (ZEBRA.format("reader-7"), IMPINJ.format("reader-7"), CAPTURE):
            with self.subTest(path=path):
                status, answer, _r = self.post(path, body)
                self.assertEqual((status, answer), (413, too_large))
                # streamed without a Content-Length: counted while read
                status, answer, _r = self.post(path, iter([body[:150], body[150:]]))
                self.assertEqual((status, answer), (413, too_large))
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.max_body_bytes", "33554432"
        )
        for content_type in ("text/html", "application/x-www-form-urlencoded"):
            # Odoo parses a form body into arguments and warns that the route
            # ignores them: expected here, the body is refused all the same
            with mute_logger("odoo.http"):
                status, answer, _r = self.post(
                    ZEBRA.format("reader-7"), body, content_type=content_type
                )
            self.assertEqual(
                (status, answer),
                (
                    400,
                    {
                        "error": {
                            "code": "unsupported_media_type",
                            "message": "send the body as application/json",
                        }
                    },
                ),
            )
        self.assertFalse(self.env["stock.asset.scan.batch"].search([]))
        self.assertFalse(self.t5678.last_seen_date)

    # EPCIS 2.0 -----------------------------------------------------------------------
    def _sgtin_assets(self):
        """The two SGTINs of the standard's examples as assets: 2017 by its EPC,
        2018 by its serial number (GTIN 10614141073464, the SGTIN's)."""
        product = self.env["product.product"].create(
            {
                "name": "Shipping container",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "barcode": "10614141073464",
            }
        )
        lot = self.env["stock.lot"].create(
            {"name": "2018", "product_id": product.id, "company_id": self.company_a.id}
        )
        return self.env["stock.asset"].create(
            [
                {
                    "name": "Container 2017",
                    "code": "C-2017",
                    "epc": epc_lib.encode(
                        "sgtin-96",
                        "0614141",
                        filter=1,
                        item_reference="107346",
                        serial="2017",
                    ),
                    "company_id": self.company_a.id,
                    "location_id": self.stock_a.id,
                },
                {
                    "name": "Container 2018",
                    "code": "C-2018",
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "company_id": self.company_a.id,
                    "location_id": self.stock_a.id,
                },
            ]
        )

    def _example(self, name):
        return (EPCIS_DIR / "examples" / name).read_bytes()

    def _sgtin_results(self, c2017, c2018):
        return [
            {
                "code": SGTIN_2017,
                "epc_uri": SGTIN_2017,
                "gs1": "(01)10614141073464(21)2017",
                "status": "matched",
                "asset_id": c2017.id,
                "asset_code": "C-2017",
            },
            {
                "code": SGTIN_2018,
                "epc_uri": SGTIN_2018,
                "gs1": "(01)10614141073464(21)2018",
                "status": "matched",
                "asset_id": c2018.id,
                "asset_code": "C-2018",
            },
        ]

    @skipUnless(EPCIS_DIR, "no shared/epcis folder above the addon (GS1 examples)")
    def test_epcis_capture_standard_example(self):
        c2017, c2018 = self._sgtin_assets()
        body = self._example("Example_9.6.1-ObjectEvent.jsonld")
        capture_id = vendor_batch_id("epcis", None, body)
        status, job, response = self.post(
            CAPTURE, body, content_type="application/ld+json"
        )
        self.assertEqual(status, 202, job)
        batch = done(capture_id, 3, self._sgtin_results(c2017, c2018))
        self.assertEqual(
            job,
            {
                "captureID": capture_id,
                "createdAt": "2026-11-24T12:00:00Z",
                "finishedAt": "2026-11-24T12:00:00Z",
                "running": False,
                "success": True,
                "captureErrorBehaviour": "proceed",
                "errors": [],
                "batch": batch,
            },
        )
        self.assertEqual(
            response.headers["Location"],
            f"/api/asset-tracking/v1/epcis/capture/epcis%3A{capture_id[6:]}",
        )
        # the reads of 2005 are the assets' last sightings; no place moves them
        self.assertRecordValues(
            c2017 | c2018,
            [
                {
                    "location_id": self.stock_a.id,
                    "last_seen_date": datetime(2005, 4, 4, 2, 33, 31, 116000),
                },
                {
                    "location_id": self.stock_a.id,
                    "last_seen_date": datetime(2005, 4, 5, 2, 33, 31, 116000),
                },
            ],
        )
        self.assertRecordValues(
            self._batches(capture_id),
            [
                {
                    "source": "epcis",
                    "device_id": False,
                    "company_id": self.company_a.id,
                    "read_count": 3,
                    "moved_count": 0,
                }
            ],
        )
        # the capture's Location is its job, which carries the batch
        status, answer, _r = self.get(
            response.headers["Location"][len("/api/asset-tracking/v1") :]
        )
        self.assertEqual((status, answer), (200, job))
        status, answer, _r = self.get(f"/batches/{quote(capture_id, safe='')}")
        self.assertEqual((status, answer), (200, batch))
        # a replay is answered from the stored batch
        status, again, _r = self.post(CAPTURE, body, content_type="application/ld+json")
        self.assertEqual(status, 202)
        self.assertEqual(again, dict(job, batch=dict(batch, duplicate=True)))
        self.assertEqual(len(self._batches(capture_id).observation_ids), 2)

    @skipUnless(EPCIS_DIR, "no shared/epcis folder above the addon (GS1 examples)")
    def test_epcis_capture_refused_events(self):
        c2017, c2018 = self._sgtin_assets()
        document = json.loads(self._example("Example_9.6.1-ObjectEvent.jsonld"))
        events = document["epcisBody"]["eventList"]
        events.append(
            {
                "type": "AggregationEvent",
                "eventID": "urn:uuid:0b8cbd42-33ad-4a3c-9a47-7f3b0e2e1a11",
                "eventTime": "2005-04-05T10:00:00Z",
                "eventTimeZoneOffset": "+00:00",
                "action": "ADD",
                "parentID": "urn:epc:id:sscc:0614141.1234567890",
                "childEPCs": [SGTIN_2017],
            }
        )
        events.append(
            {
                "type": "ObjectEvent",
                "action": "OBSERVE",
                "epcList": [SGTIN_2017],
                "eventTime": "2005-04-06T10:00:00Z",
            }
        )
        events.append({"type": "TransformationEvent"})
        body = json.dumps(document).encode()
        capture_id = "middleware-3/capture/0007"
        status, job, response = self.post(
            CAPTURE, body, headers={"Idempotency-Key": capture_id}
        )
        self.assertEqual(status, 202, job)
        problem = {
            "type": "epcisException:ValidationException",
            "title": "Event not captured",
            "status": 400,
        }
        self.assertEqual(
            job,
            {
                "captureID": capture_id,
                "createdAt": "2026-11-24T12:00:00Z",
                "finishedAt": "2026-11-24T12:00:00Z",
                "running": False,
                "success": False,
                "captureErrorBehaviour": "proceed",
                "errors": [
                    dict(
                        problem,
                        detail="AggregationEvent is not captured here: "
                        "only ObjectEvent is supported",
                        eventIndex=2,
                        eventID="urn:uuid:0b8cbd42-33ad-4a3c-9a47-7f3b0e2e1a11",
                        eventType="AggregationEvent",
                    ),
                    dict(
                        problem,
                        detail='"eventTimeZoneOffset" is missing',
                        eventIndex=3,
                        eventID=None,
                        eventType="ObjectEvent",
                    ),
                    dict(
                        problem,
                        detail="TransformationEvent is not captured here: "
                        "only ObjectEvent is supported",
                        eventIndex=4,
                        eventID=None,
                        eventType="TransformationEvent",
                    ),
                ],
                "batch": done(capture_id, 3, self._sgtin_results(c2017, c2018)),
            },
        )
        self.assertEqual(
            response.headers["Location"],
            "/api/asset-tracking/v1/epcis/capture/middleware-3%2Fcapture%2F0007",
        )
        # the refused ObjectEvent of 2005-04-06 did not count
        self.assertEqual(c2017.last_seen_date, datetime(2005, 4, 4, 2, 33, 31, 116000))

    @skipUnless(EPCIS_DIR, "no shared/epcis folder above the addon (GS1 examples)")
    def test_epcis_capture_without_individual_assets(self):
        body = self._example("Example_9.6.2-ObjectEvent.jsonld")
        status, job, response = self.post(CAPTURE, body)
        self.assertEqual(status, 202, job)
        self.assertEqual(
            job,
            {
                "captureID": vendor_batch_id("epcis", None, body),
                "createdAt": "2026-11-24T12:00:00Z",
                "finishedAt": "2026-11-24T12:00:00Z",
                "running": False,
                "success": True,
                "captureErrorBehaviour": "proceed",
                "errors": [],
            },
        )
        self.assertNotIn("Location", response.headers)
        self.assertFalse(self.env["stock.asset.scan.batch"].search([]))
