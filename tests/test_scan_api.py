# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from ..tools import epc as epc_lib
from .scan_common import ScanApiCommon, giai96

SEEN = datetime(2026, 11, 24, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanApi(ScanApiCommon):
    def test_observe_batch_moves_assets(self):
        a1, a2 = self.assets[:2]
        status, body, _response = self.post(
            "/batches",
            self.batch(
                "reader-7/2026-11-24T10:00:00Z/000123",
                [a1.epc, a1.epc.lower(), "A-00002", "3474257BF40000000000FFFF"],
                device="reader-7",
                location="A-SHELF-2",
            ),
        )
        self.assertEqual(status, 200, body)
        self.assertEqual(
            body,
            {
                "batch_id": "reader-7/2026-11-24T10:00:00Z/000123",
                "duplicate": False,
                "status": "done",
                "reads": 4,
                "unique_codes": 3,
                "matched": 2,
                "unknown": 1,
                "invalid": 0,
                "results": [
                    {
                        "code": a1.epc,
                        "epc_uri": "urn:epc:id:giai:0614141.5001",
                        "gs1": "(8004)06141415001",
                        "status": "matched",
                        "asset_id": a1.id,
                        "asset_code": "A-00001",
                    },
                    {
                        "code": "A-00002",
                        "epc_uri": None,
                        "gs1": None,
                        "status": "matched",
                        "asset_id": a2.id,
                        "asset_code": "A-00002",
                    },
                    {
                        "code": "3474257BF40000000000FFFF",
                        "epc_uri": "urn:epc:id:giai:0614141.65535",
                        "gs1": "(8004)061414165535",
                        "status": "unknown",
                        "asset_id": None,
                        "asset_code": None,
                    },
                ],
            },
        )
        self.assertRecordValues(
            a1 | a2,
            [
                {"location_id": self.shelf_2.id, "last_seen_date": SEEN},
                {"location_id": self.shelf_2.id, "last_seen_date": SEEN},
            ],
        )
        batch = self.env["stock.asset.scan.batch"].search(
            [("name", "=", "reader-7/2026-11-24T10:00:00Z/000123")]
        )
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "done",
                    "device_id": self.device.id,
                    "company_id": self.company_a.id,
                    "matched_count": 2,
                    "moved_count": 2,
                    "unknown_count": 1,
                }
            ],
        )
        moves = a1.move_observation_ids
        self.assertRecordValues(
            moves,
            [
                {
                    "previous_location_id": self.stock_a.id,
                    "location_id": self.shelf_2.id,
                    "read_count": 2,
                    "moved": True,
                }
            ],
        )
        # one chatter message for the batch, none on the assets
        self.assertEqual(len(batch.message_ids.filtered(lambda m: m.body)), 1)
        self.assertFalse(
            (a1 | a2).message_ids.filtered(lambda m: "Shelf 2" in (m.body or ""))
        )

    def test_replay_answers_stored_result(self):
        payload = self.batch("replay-1", [self.assets[0].epc], location="A-SHELF-1")
        status, first, _r = self.post("/batches", payload)
        self.assertEqual((status, first["duplicate"]), (200, False))
        status, again, _r = self.post("/batches", payload)
        self.assertEqual(status, 200)
        self.assertEqual(again, dict(first, duplicate=True))
        self.assertEqual(
            self.env["stock.asset.observation"].search_count(
                [("batch_id.name", "=", "replay-1")]
            ),
            1,
        )
        other = self.batch("replay-1", [self.assets[1].epc], location="A-SHELF-1")
        status, body, _r = self.post("/batches", other)
        self.assertEqual(status, 409)
        self.assertEqual(body["error"]["code"], "batch_conflict")

    def test_older_read_never_moves_back(self):
        asset = self.assets[2]
        newer = self.batch(
            "order-2",
            [{"code": asset.epc, "timestamp": "2026-11-24T11:00:00+01:00"}],
            location="A-SHELF-2",
        )
        older = self.batch(
            "order-1",
            [{"code": asset.epc, "timestamp": "2026-11-24T09:00:00Z"}],
            location="A-DOCK",
        )
        self.assertEqual(self.post("/batches", newer)[0], 200)
        status, body, _r = self.post("/batches", older)
        self.assertEqual((status, body["results"][0]["status"]), (200, "matched"))
        self.assertRecordValues(
            asset,
            [{"location_id": self.shelf_2.id, "last_seen_date": SEEN}],
        )

    def test_antenna_location_and_gs1_forms(self):
        a3, a4, a5 = self.assets[2:5]
        payload = self.batch(
            "antennas",
            [
                {"code": a3.epc, "antenna": 2, "timestamp": "2026-11-24T10:00:00Z"},
                {"code": "(8004)06141415004", "timestamp": "2026-11-24T10:00:00Z"},
                {"code": "]C1800406141415005", "timestamp": "2026-11-24T10:00:00Z"},
            ],
            device="reader-7",
        )
        status, body, _r = self.post("/batches", payload)
        self.assertEqual(status, 200, body)
        self.assertEqual(
            [(r["status"], r["asset_id"], r["gs1"]) for r in body["results"]],
            [
                ("matched", a3.id, "(8004)06141415003"),
                ("matched", a4.id, "(8004)06141415004"),
                ("matched", a5.id, "(8004)06141415005"),
            ],
        )
        # antenna 2 is the dock; the others fall back to the device's location
        self.assertEqual((a3 | a4 | a5).mapped("location_id"), self.dock | self.shelf_1)
        self.assertEqual(a3.location_id, self.dock)

    def test_a_tag_written_with_another_filter_is_found_by_its_giai(self):
        # the same GIAI under another filter value is another EPC hex: no asset
        # has it, so the asset is found by its GS1 key, beside one found by its EPC
        a1, a2 = self.assets[:2]
        relabelled = epc_lib.encode(
            "giai-96", "0614141", filter=1, asset_reference="5002"
        )
        self.assertNotEqual(relabelled, a2.epc)
        status, body, _r = self.post(
            "/batches",
            self.batch(
                "refiltered",
                [
                    {"code": a1.epc, "timestamp": "2026-11-24T10:00:00Z"},
                    {"code": relabelled, "timestamp": "2026-11-24T10:00:00Z"},
                ],
                device="reader-7",
            ),
        )
        self.assertEqual(status, 200, body)
        self.assertEqual(
            [(r["status"], r["asset_id"], r["gs1"]) for r in body["results"]],
            [
                ("matched", a1.id, "(8004)06141415001"),
                ("matched", a2.id, "(8004)06141415002"),
            ],
        )

    def test_bad_reads_are_invalid_rest_applies(self):
        good = self.assets[0]
        payload = self.batch(
            "bad-reads",
            [
                {"code": good.epc, "timestamp": "2026-11-24T10:00:00Z"},
                {
                    "code": "3474257BF4000000000016ZZ",
                    "timestamp": "2026-11-24T10:00:00Z",
                },
                {
                    "code": "(01)09506000134353(21)X",
                    "timestamp": "2026-11-24T10:00:00Z",
                },
                {"code": giai96(5002), "timestamp": "2026-11-24T10:00:00"},
                {"code": giai96(5003), "timestamp": "2026-11-25T10:00:00Z"},
            ],
            location="A-SHELF-2",
        )
        status, body, _r = self.post("/batches", payload)
        self.assertEqual(status, 200, body)
        self.assertEqual(
            [(r["status"], r.get("message")) for r in body["results"]],
            [
                ("matched", None),
                ("invalid", "EPC must be hexadecimal (digits 0-9 and letters A-F)"),
                ("invalid", "AI (01): check digit 3 should be 2"),
                ("invalid", "timestamp without time zone"),
                ("invalid", "timestamp in the future"),
            ],
        )
        self.assertEqual((body["matched"], body["invalid"]), (1, 4))
        self.assertEqual(good.location_id, self.shelf_2)
        self.assertEqual(self.assets[1].location_id, self.stock_a)

    def test_other_company_location_rejected(self):
        payload = self.batch("cross-1", [self.assets[0].epc], location="B-SHELF")
        status, body, _r = self.post("/batches", payload)
        self.assertEqual(status, 200, body)
        self.assertEqual(
            (body["results"][0]["status"], body["results"][0]["message"]),
            ("invalid", "location B-SHELF is not one of your companies' locations"),
        )
        self.assertEqual(self.assets[0].location_id, self.stock_a)
        # company B's asset is unknown to company A's reader
        status, body, _r = self.post(
            "/batches", self.batch("cross-2", [self.asset_b.epc], location="A-SHELF-1")
        )
        self.assertEqual(body["results"][0]["status"], "unknown")
        self.assertEqual(self.asset_b.location_id, self.stock_b)

    def test_auth_errors(self):
        payload = self.batch("auth-1", [self.assets[0].epc])
        status, body, response = self.post("/batches", payload, key=False)
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["code"], "unauthorized")
        self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        status, body, response = self.post("/batches", payload, key="wrong-key")
        self.assertEqual((status, body["error"]["code"]), (401, "unauthorized"))
        self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        status, body, _r = self.post("/batches", payload, key=self.key_no_right)
        self.assertEqual((status, body["error"]["code"]), (403, "forbidden"))
        self.assertFalse(
            self.env["stock.asset.scan.batch"].search([("name", "=", "auth-1")])
        )

    def test_malformed_requests(self):
        cases = [
            (b"{not json", "application/json", 400, "invalid_json"),
            (
                b'{"batch_id": "x", "reads": []}',
                "text/html",
                400,
                "unsupported_media_type",
            ),
            (b'{"reads": [{"code": "A"}]}', "application/json", 400, "missing_field"),
            (b'{"batch_id": "m-1"}', "application/json", 400, "missing_field"),
            (
                b'{"batch_id": "m-2", "reads": {}}',
                "application/json",
                400,
                "bad_request",
            ),
        ]
        for data, content_type, want_status, want_code in cases:
            status, body, _r = self.post("/batches", data, content_type=content_type)
            self.assertEqual(
                (status, body["error"]["code"]), (want_status, want_code), data
            )
        self.assertFalse(
            self.env["stock.asset.scan.batch"].search([("name", "in", ("m-1", "m-2"))])
        )

    def test_body_too_large(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.max_body_bytes", "200"
        )
        payload = self.batch("big", [self.assets[0].epc] * 20)
        status, body, _r = self.post("/batches", payload)
        self.assertEqual((status, body["error"]["code"]), (413, "payload_too_large"))

    def test_unknown_device_and_modes(self):
        status, body, _r = self.post(
            "/batches", self.batch("dev-1", [self.assets[0].epc], device="nope")
        )
        self.assertEqual((status, body["error"]["code"]), (404, "unknown_device"))
        self.device.active = False
        status, body, _r = self.post(
            "/batches", self.batch("dev-2", [self.assets[0].epc], device="reader-7")
        )
        self.assertEqual((status, body["error"]["code"]), (404, "unknown_device"))
        self.assertBatchRefused(
            self.batch("mode-x", [self.assets[0].epc], mode="teleport"),
            400,
            {
                "code": "bad_request",
                "message": "mode must be one of observe, audit, checkout, "
                "checkin, use, got 'teleport'",
            },
        )
        self.assertBatchRefused(
            self.batch("mode-use", [self.assets[0].epc], mode="use"),
            400,
            {"code": "missing_field", "message": "missing field: reference (use mode)"},
        )

    def test_status_and_lookup(self):
        self.post(
            "/batches", self.batch("st-1", [self.assets[0].epc], location="A-DOCK")
        )
        status, body, _r = self.get("/batches/st-1")
        self.assertEqual((status, body["status"], body["matched"]), (200, "done", 1))
        status, body, _r = self.get("/batches/nope")
        self.assertEqual((status, body["error"]["code"]), (404, "not_found"))
        status, body, _r = self.get("/lookup", params={"code": "A-00001"})
        self.assertEqual(status, 200)
        self.assertEqual(
            body,
            {
                "code": "A-00001",
                "epc_uri": None,
                "gs1": None,
                "status": "matched",
                "asset_id": self.assets[0].id,
                "asset_code": "A-00001",
                "name": "Drill 1",
                "state": "draft",
                "location": {
                    "id": self.dock.id,
                    "name": self.dock.complete_name,
                    "barcode": "A-DOCK",
                },
                "holder": None,
                "last_seen_date": "2026-11-24T10:00:00Z",
                "calibration_state": None,
                "reservation": None,
            },
        )
        status, body, _r = self.get("/lookup", params={"code": self.asset_b.code})
        self.assertEqual((status, body["status"]), (200, "unknown"))
