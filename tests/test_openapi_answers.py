# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""docs/openapi.yaml against the real answers of every route, the single-code
lookup, and the bad inputs of the scan API's contract."""

import json
import re
from unittest.mock import patch

import requests
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .scan_common import (
    API,
    ScanApiCommon,
    data_file,
    epcis_json_document,
    giai96,
    invalid_code_answer,
    openapi_spec,
)

UNAUTHORIZED = {
    "error": {
        "code": "unauthorized",
        "message": "missing or invalid API key (Authorization: Bearer <key>)",
    }
}
FORBIDDEN = {
    "error": {
        "code": "forbidden",
        "message": "the API key's user is not an asset user",
    }
}


def epcis_document(*epcs, event_time="2026-11-24T10:00:00.000Z"):
    """A small EPCIS 2.0 document: one ObjectEvent observing ``epcs``."""
    return epcis_json_document(
        [
            {
                "type": "ObjectEvent",
                "action": "OBSERVE",
                "bizStep": "inventory_checking",
                "epcList": list(epcs),
                "eventTime": event_time,
                "eventTimeZoneOffset": "+01:00",
            }
        ]
    )


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestOpenApiAnswers(ScanApiCommon):
    """Every status the spec documents for a route is received from that route,
    and every answer validates against the spec (``openapi_check``)."""

    openapi_check = True

    def _documented(self):
        """{(method, path): {status, ...}} of the spec."""
        documented = {}
        paths = openapi_spec().spec / "paths"
        for path in paths.keys():
            for method in (paths / path).keys():
                if method in ("get", "post", "put", "patch", "delete"):
                    responses = paths / path / method / "responses"
                    documented[(method, path)] = {int(s) for s in responses.keys()}
        return documented

    def _routes(self):
        """{(method, path)} of the addon's API routes, in the spec's notation."""
        routes = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if not rule.rule.startswith("/api/asset-tracking/"):
                continue
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods or ():
                if method not in ("HEAD", "OPTIONS"):
                    routes.add((method.lower(), path))
        return routes

    def test_every_route_is_documented(self):
        routes = self._routes()
        self.assertEqual(
            routes - set(self._documented()),
            set(),
            "routes missing from docs/openapi.yaml",
        )
        self.assertIn(("post", f"{API}/readers/{{device}}/impinj"), routes)

    def test_spec_examples_validate(self):
        """The examples of the spec are answers the spec accepts."""
        spec = openapi_spec().spec
        checked = 0
        for (method, path), statuses in self._documented().items():
            url = self.base_url() + path.format(
                batch_id="b-1", device="reader-7", capture_id="c-1"
            )
            for status in statuses:
                response = spec / "paths" / path / method / "responses" / str(status)
                if "content" not in response.keys():
                    continue
                for media_type in (response / "content").keys():
                    content = response / "content" / media_type
                    with content.open() as raw:
                        examples = [raw["example"]] if "example" in raw else []
                        examples += [
                            example["value"]
                            for example in (raw.get("examples") or {}).values()
                        ]
                    for example in examples:
                        answer = requests.Response()
                        answer.status_code = status
                        answer._content = json.dumps(example).encode()
                        answer.headers["Content-Type"] = media_type
                        answer.request = requests.Request(method.upper(), url).prepare()
                        with self.subTest(path=path, status=status, example=example):
                            self.assertOpenApi(answer)
                        checked += 1
        self.assertGreater(checked, 20)

    def test_every_documented_answer_is_received(self):
        seen = set()
        config = self.env["ir.config_parameter"].sudo()
        zebra, impinj = "/readers/{}/zebra", "/readers/{}/impinj"
        stream = data_file("zebra_iotc_fx9600_stream.ndjson")
        r700 = data_file("impinj_r700_stream.ndjson")
        capture = json.dumps(epcis_document("urn:epc:id:giai:0614141.5001")).encode()

        def expect(method, path, status, answer):
            got, body, _response = answer
            self.assertEqual(got, status, body)
            seen.add((method, API + path, status))
            return body

        def post(template, status, body, device="reader-7", **kw):
            answer = self.post(template.format(device), body, **kw)
            return expect("post", template.replace("{}", "{device}"), status, answer)

        # 200 and 409
        native = self.batch("matrix-1", [self.assets[0].epc], location="A-DOCK")
        post("/batches", 200, native)
        post("/batches", 409, dict(native, location="A-SHELF-1"))
        derived = post(zebra, 200, stream)["batch_id"]
        other_zebra = data_file("zebra_iotc_fx7500_batch.json")
        post(zebra, 409, other_zebra, headers={"Idempotency-Key": derived})
        post(impinj, 200, r700)
        key = {"Idempotency-Key": "matrix-impinj"}
        post(impinj, 200, r700, headers=key)
        post(impinj, 409, data_file("impinj_r700_webhook.json"), headers=key)
        key = {"Idempotency-Key": "matrix-capture"}
        post("/epcis/capture", 202, capture, headers=key)
        other = json.dumps(epcis_document("urn:epc:id:giai:0614141.5002")).encode()
        post("/epcis/capture", 409, other, headers=key)
        # 202: over the asynchronous threshold
        config.set_param("stock_asset_tracking.async_read_threshold", "1")
        post("/batches", 202, self.batch("matrix-2", ["A-00001", "A-00002"]))
        post(zebra, 202, stream, headers={"Idempotency-Key": "matrix-zebra-2"})
        post(impinj, 202, r700, headers={"Idempotency-Key": "matrix-impinj-2"})
        config.set_param("stock_asset_tracking.async_read_threshold", "150000")
        # 400, 401, 403, 404
        for template in ("/batches", zebra, impinj, "/epcis/capture"):
            post(template, 400, b"{not json")
            post(template, 401, native, key=False)
            post(template, 403, native, key=self.key_no_right)
        post("/batches", 404, self.batch("matrix-3", ["A-00001"], device="nope"))
        post(zebra, 404, stream, device="nope")
        post(impinj, 404, r700, device="nope")
        # 413
        config.set_param("stock_asset_tracking.max_body_bytes", "64")
        for template in ("/batches", zebra, impinj, "/epcis/capture"):
            post(template, 413, stream)
        config.set_param("stock_asset_tracking.max_body_bytes", "33554432")
        # status and lookup
        batch = "/batches/{batch_id}"
        expect("get", batch, 200, self.get_batch("matrix-1"))
        expect("get", batch, 401, self.get("/batches/matrix-1", key=False))
        expect("get", batch, 403, self.get("/batches/matrix-1", key=self.key_no_right))
        expect("get", batch, 404, self.get_batch("matrix-1", key=self.key_b))
        lookup = "/lookup"
        for code in ("A-00001", giai96(6000), "(01)09506000134353(21)X"):
            expect("get", lookup, 200, self.get(lookup, params={"code": code}))
        expect("get", lookup, 400, self.get(lookup))
        expect("get", lookup, 401, self.get(lookup, key=False, params={"code": "x"}))
        expect(
            "get",
            lookup,
            403,
            self.get(lookup, key=self.key_no_right, params={"code": "x"}),
        )
        # EPCIS 2.0: the capture job of the capture above, the events export
        job, path = "/epcis/capture/{capture_id}", "/epcis/capture/matrix-capture"
        expect("get", job, 200, self.get(path))
        expect("get", job, 401, self.get(path, key=False))
        expect("get", job, 403, self.get(path, key=self.key_no_right))
        expect("get", job, 404, self.get(path, key=self.key_b))
        events = "/epcis/events"
        expect("get", events, 200, self.get(events, params={"asset": "A-00001"}))
        expect("get", events, 400, self.get(events, params={"from": "yesterday"}))
        expect("get", events, 401, self.get(events, key=False))
        expect("get", events, 403, self.get(events, key=self.key_no_right))
        expect("get", events, 404, self.get(events, params={"asset": "NOPE"}))
        # 400: a control character in an id of the path
        expect("get", batch, 400, self.get("/batches/matrix%0A1"))
        expect("get", job, 400, self.get("/epcis/capture/matrix%00capture"))
        # 500 on every route: an unexpected fault answers a fixed sentence (Odoo
        # logs its traceback once, muted here)
        Batch = self.registry["stock.asset.scan.batch"]
        with (
            patch.object(Batch, "_api_check_user", side_effect=RuntimeError("x")),
            mute_logger("odoo.http"),
        ):
            for template in ("/batches", zebra, impinj, "/epcis/capture"):
                post(template, 500, native)
            expect("get", batch, 500, self.get_batch("matrix-1"))
            expect("get", job, 500, self.get(path))
            expect("get", events, 500, self.get(events))
            expect("get", lookup, 500, self.get(lookup, params={"code": "x"}))
        documented = {
            (method, path, status)
            for (method, path), statuses in self._documented().items()
            if (method, path) in self._routes()
            for status in statuses
        }
        self.assertEqual(documented - seen, set(), "documented answers never received")
        self.assertEqual(seen - documented, set(), "answers the spec does not list")


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanLookup(ScanApiCommon):
    openapi_check = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.drill, cls.saw = Product.create(
            [
                {
                    "name": name,
                    "type": "consu",
                    "is_storable": True,
                    "tracking": "serial",
                    "barcode": barcode,
                }
                for name, barcode in (
                    ("Cordless drill", "09506000134352"),
                    ("Circular saw", "4012345000009"),
                )
            ]
        )
        Lot = cls.env["stock.lot"]
        cls.lot_drill, cls.lot_saw = Lot.create(
            [
                {
                    "name": "SN-4711",
                    "product_id": product.id,
                    "company_id": cls.company_a.id,
                }
                for product in (cls.drill, cls.saw)
            ]
        )
        cls.serial_asset = cls.env["stock.asset"].create(
            {
                "name": "Drill SN-4711",
                "code": "T-SER-1",
                "product_id": cls.drill.id,
                "lot_id": cls.lot_drill.id,
                "company_id": cls.company_a.id,
                "location_id": cls.shelf_1.id,
            }
        )
        cls.holder = cls.env["res.partner"].create(
            {"name": "Jane Fitter", "ref": "TECH-0012", "company_id": cls.company_a.id}
        )

    def lookup(self, code, key=None):
        params = None if code is None else {"code": code}
        return self.get("/lookup", key=key, params=params)

    def _matched(self, code, asset, **values):
        answer = {
            "code": code,
            "epc_uri": None,
            "gs1": None,
            "status": "matched",
            "asset_id": asset.id,
            "asset_code": asset.code,
            "name": asset.name,
            "state": "draft",
            "location": {
                "id": asset.location_id.id,
                "name": asset.location_id.complete_name,
                "barcode": asset.location_id.barcode or None,
            },
            "holder": None,
            "last_seen_date": None,
            "calibration_state": None,
            "reservation": None,
        }
        answer.update(values)
        return answer

    def test_lookup_forms_of_one_asset(self):
        asset = self.assets[0]
        self.post("/batches", self.batch("lk-1", [asset.epc], location="A-DOCK"))
        asset.write({"holder_id": self.holder.id, "state": "in_use"})
        giai = {
            "epc_uri": "urn:epc:id:giai:0614141.5001",
            "gs1": "(8004)06141415001",
        }
        where = {
            "location": {
                "id": self.dock.id,
                "name": self.dock.complete_name,
                "barcode": "A-DOCK",
            },
            "holder": {"id": self.holder.id, "name": "Jane Fitter", "ref": "TECH-0012"},
            "state": "in_use",
            "last_seen_date": "2026-11-24T10:00:00Z",
        }
        cases = [
            (asset.epc, giai),
            (asset.epc.lower(), giai),
            ("urn:epc:tag:giai-96:3.0614141.5001", giai),
            ("urn:epc:id:giai:0614141.5001", giai),
            ("(8004)06141415001", {"gs1": "(8004)06141415001"}),
            ("]C1800406141415001", {"gs1": "(8004)06141415001"}),
            # FNC1 sent as the group separator, as many scanners do
            ("\x1d800406141415001", {"gs1": "(8004)06141415001"}),
            ("A-00001", {}),
            (" A-00001 ", {}),
        ]
        for code, values in cases:
            with self.subTest(code=code):
                status, body, _r = self.lookup(code)
                self.assertEqual(status, 200)
                self.assertEqual(body, self._matched(code, asset, **where, **values))

    def test_lookup_serial_numbers(self):
        status, body, _r = self.lookup("SN-4711")
        self.assertEqual(
            (status, body), (200, self._matched("SN-4711", self.serial_asset))
        )
        # the same serial number on an asset of another product: ambiguous alone
        self.env["stock.asset"].create(
            {
                "name": "Saw SN-4711",
                "code": "T-SER-2",
                "product_id": self.saw.id,
                "lot_id": self.lot_saw.id,
                "company_id": self.company_a.id,
            }
        )
        status, body, _r = self.lookup("SN-4711")
        self.assertEqual(
            (status, body),
            (
                200,
                {
                    "code": "SN-4711",
                    "epc_uri": None,
                    "gs1": None,
                    "status": "invalid",
                    "asset_id": None,
                    "asset_code": None,
                    "message": "serial number SN-4711 names 2 assets: "
                    "scan the asset tag",
                },
            ),
        )
        # ... but not with its GTIN
        code = "(01)09506000134352(21)SN-4711"
        status, body, _r = self.lookup(code)
        self.assertEqual(
            (status, body),
            (200, self._matched(code, self.serial_asset, gs1=code)),
        )

    def test_lookup_unknown_invalid_missing(self):
        status, body, _r = self.lookup(giai96(6000))
        self.assertEqual(
            (status, body),
            (
                200,
                {
                    "code": giai96(6000),
                    "epc_uri": "urn:epc:id:giai:0614141.6000",
                    "gs1": "(8004)06141416000",
                    "status": "unknown",
                    "asset_id": None,
                    "asset_code": None,
                },
            ),
        )
        invalid = {
            "(01)09506000134353(21)X": "AI (01): check digit 3 should be 2",
            "urn:epc:id:sgtin:0614141.107346": "'urn:epc:id:sgtin:0614141.107346': "
            "sgtin needs 3 dot-separated fields",
            "3474257BF4000000000016ZZ": "EPC must be hexadecimal "
            "(digits 0-9 and letters A-F)",
        }
        for code, message in invalid.items():
            with self.subTest(code=code):
                status, body, _r = self.lookup(code)
                self.assertEqual(
                    (status, body), (200, invalid_code_answer(code, message))
                )
        missing = {
            "error": {"code": "missing_field", "message": "missing parameter: code"}
        }
        for code in (None, "", "   "):
            with self.subTest(code=code):
                self.assertEqual(self.lookup(code)[:2], (400, missing))

    def test_lookup_companies_and_rights(self):
        unknown_b = {
            "code": self.asset_b.epc,
            "epc_uri": "urn:epc:id:giai:0614141.9001",
            "gs1": "(8004)06141419001",
            "status": "unknown",
            "asset_id": None,
            "asset_code": None,
        }
        self.assertEqual(self.lookup(self.asset_b.epc)[:2], (200, unknown_b))
        self.assertEqual(
            self.lookup("B-00001")[:2],
            (200, dict(unknown_b, code="B-00001", epc_uri=None, gs1=None)),
        )
        status, body, _r = self.lookup(self.asset_b.epc, key=self.key_b)
        self.assertEqual(
            (status, body["status"], body["asset_id"]),
            (200, "matched", self.asset_b.id),
        )
        self.assertEqual(self.lookup("A-00001", key=self.key_b)[1]["status"], "unknown")
        self.assertEqual(
            self.lookup("A-00001", key=self.key_no_right)[:2], (403, FORBIDDEN)
        )
        status, body, response = self.lookup("A-00001", key=False)
        self.assertEqual((status, body), (401, UNAUTHORIZED))
        self.assertEqual(
            response.headers["WWW-Authenticate"], 'Bearer realm="asset-tracking"'
        )
        self.revoke_key(self.reader_user)
        self.assertEqual(self.lookup("A-00001")[:2], (401, UNAUTHORIZED))


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanApiBadInput(ScanApiCommon):
    """The rows of the contract's "bad input" table test_scan_api does not cover."""

    openapi_check = True

    def _batches(self):
        return self.env["stock.asset.scan.batch"].search([])

    def test_revoked_key(self):
        payload = self.batch("revoked-1", [self.assets[0].epc], location="A-DOCK")
        self.assertEqual(self.post("/batches", payload)[0], 200)
        self.revoke_key(self.reader_user)
        payload = self.batch("revoked-2", [self.assets[1].epc], location="A-DOCK")
        status, body, response = self.post("/batches", payload)
        self.assertEqual((status, body), (401, UNAUTHORIZED))
        self.assertEqual(
            response.headers["WWW-Authenticate"], 'Bearer realm="asset-tracking"'
        )
        self.assertEqual(self.get_batch("revoked-1")[:2], (401, UNAUTHORIZED))
        self.assertEqual(self._batches().mapped("name"), ["revoked-1"])
        self.assertEqual(self.assets[1].location_id, self.stock_a)
        # an expired key is refused the same way
        other = self._api_key(self.user_b)
        self.env["res.users.apikeys"].sudo().search(
            [("user_id", "=", self.user_b.id)]
        ).expiration_date = "2026-01-01 00:00:00"
        self.assertEqual(
            self.post("/batches", self.batch("expired-1", ["B-00001"]), key=other)[:2],
            (401, UNAUTHORIZED),
        )
        self.assertEqual(self._batches().mapped("name"), ["revoked-1"])

    def test_content_types(self):
        payload = json.dumps(self.batch("ct-1", [self.assets[0].epc]))
        refused = {
            "error": {
                "code": "unsupported_media_type",
                "message": "send the body as application/json",
            }
        }
        for content_type in (None, "text/plain", "application/x-ndjson", "text/html"):
            with self.subTest(content_type=content_type):
                self.assertEqual(
                    self.post("/batches", payload, content_type=content_type)[:2],
                    (400, refused),
                )
        self.assertFalse(self._batches())
        # any JSON media type is JSON
        status, body, _r = self.post(
            "/batches", payload, content_type="application/ld+json; charset=utf-8"
        )
        self.assertEqual((status, body["matched"]), (200, 1))

    def test_malformed_bodies(self):
        read = [{"code": "A-00001"}]
        cases = [
            # where the fault is, in words of our own (never the parser's text)
            (b"{not json", "invalid_json", "invalid JSON at line 1 column 2"),
            (b"", "invalid_json", "empty body: expected a JSON object"),
            (b"\xff\xfe\xfa", "invalid_json", "body is not UTF-8 text (byte 0)"),
            (b"[]", "bad_request", "the body must be a JSON object"),
            ({"reads": read}, "missing_field", "missing field: batch_id"),
            (
                {"batch_id": "", "reads": read},
                "missing_field",
                "missing field: batch_id",
            ),
            (
                {"batch_id": 7, "reads": read},
                "bad_request",
                "batch_id must be a string",
            ),
            (
                {"batch_id": "b" * 201, "reads": read},
                "bad_request",
                "batch_id is longer than 200 characters",
            ),
            ({"batch_id": "m-1"}, "missing_field", "missing field: reads"),
            ({"batch_id": "m-2", "reads": {}}, "bad_request", "reads must be an array"),
            (
                {"batch_id": "m-3", "reads": "A-00001"},
                "bad_request",
                "reads must be an array",
            ),
            ({"batch_id": "m-4", "reads": []}, "bad_request", "reads is empty"),
            (
                {"batch_id": "m-5", "reads": read, "mode": "sweep"},
                "bad_request",
                "mode must be one of observe, audit, checkout, checkin, use, "
                "got 'sweep'",
            ),
            (
                {"batch_id": "m-6", "reads": read, "location": 12},
                "bad_request",
                "location must be a string",
            ),
            (
                {"batch_id": "m-7", "reads": read, "device": ["reader-7"]},
                "bad_request",
                "device must be a string",
            ),
        ]
        for body, code, message in cases:
            with self.subTest(body=body):
                status, answer, _r = self.post("/batches", body)
                self.assertEqual(
                    (status, answer),
                    (400, {"error": {"code": code, "message": message}}),
                )
        self.assertFalse(self._batches())
        self.assertFalse(self.env["stock.asset.observation"].search([]))

    def test_body_over_limit_streamed(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.max_body_bytes", "100"
        )
        body = json.dumps(self.batch("big-1", [a.epc for a in self.assets])).encode()
        status, answer, _r = self.post("/batches", iter([body[:60], body[60:]]))
        self.assertEqual(
            (status, answer),
            (
                413,
                {
                    "error": {
                        "code": "payload_too_large",
                        "message": "body over 100 bytes",
                    }
                },
            ),
        )
        self.assertFalse(self._batches())

    def test_other_company_location(self):
        Observation = self.env["stock.asset.observation"]
        codes = [self.assets[0].epc, "A-00002", self.asset_b.epc]
        for batch_id, location in (
            ("x-1", "B-SHELF"),
            ("x-2", self.shelf_b.complete_name),
        ):
            with self.subTest(location=location):
                status, body, _r = self.post(
                    "/batches",
                    self.batch(batch_id, codes, device="reader-7", location=location),
                )
                self.assertEqual(status, 200, body)
                refused = f"location {location} is not one of your companies' locations"
                self.assertEqual(
                    [(r["status"], r.get("message")) for r in body["results"]],
                    [("invalid", refused), ("invalid", refused), ("unknown", None)],
                )
        # company B's reader, company A's shelf and asset
        status, body, _r = self.post(
            "/batches",
            self.batch("x-3", ["B-00001", "A-00001"], location="A-SHELF-1"),
            key=self.key_b,
        )
        self.assertEqual(
            [(r["status"], r.get("message")) for r in body["results"]],
            [
                (
                    "invalid",
                    "location A-SHELF-1 is not one of your companies' locations",
                ),
                ("unknown", None),
            ],
        )
        # nothing crossed: no asset moved, each observation in its asset's company
        # (else its poster's), none applied, none placed at the device's shelf
        self.assertRecordValues(
            self.assets[:2] | self.asset_b,
            [
                {"location_id": self.stock_a.id, "last_seen_date": False},
                {"location_id": self.stock_a.id, "last_seen_date": False},
                {"location_id": self.stock_b.id, "last_seen_date": False},
            ],
        )
        a1, a2, b1 = self.assets[0], self.assets[1], self.asset_b
        company_a, company_b = self.company_a.id, self.company_b.id
        self.assertEqual(
            sorted(
                (o.batch_id.name, o.code, o.status, o.asset_id.id, o.company_id.id)
                for o in Observation.search([])
            ),
            sorted(
                [
                    ("x-1", a1.epc, "invalid", a1.id, company_a),
                    ("x-1", "A-00002", "invalid", a2.id, company_a),
                    ("x-1", b1.epc, "unknown", False, company_a),
                    ("x-2", a1.epc, "invalid", a1.id, company_a),
                    ("x-2", "A-00002", "invalid", a2.id, company_a),
                    ("x-2", b1.epc, "unknown", False, company_a),
                    ("x-3", "B-00001", "invalid", b1.id, company_b),
                    ("x-3", "A-00001", "unknown", False, company_b),
                ]
            ),
        )
        self.assertFalse(
            Observation.search(
                ["|", ("applied", "=", True), ("location_id", "!=", False)]
            )
        )
        # and company B sees none of company A's batches
        self.assertEqual(self.get_batch("x-1", key=self.key_b)[0], 404)
        self.assertEqual(self.get_batch("x-3", key=self.key_b)[0], 200)
