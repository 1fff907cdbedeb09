# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Bad input on the scan API (issue 14, items 1, 8 and 11).

One bad value of a read costs that read only (``invalid`` with the reason, the
rest applies); a body that cannot be read at all answers 400; an identifier that
would reach the log with a control character answers 400; no answer echoes the
text of an internal error. Over real HTTP for the native, Zebra, Impinj and EPCIS
capture routes, and as plain unit tests for the tools that judge the values.
"""

import json
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from ..models.scan.ir_http import INTERNAL_ERROR
from ..models.scan.stock_asset_scan_batch import canonical_json, parse_read_time
from ..tools import reader_formats as rf
from ..tools import scan_api
from ..tools.scan_api import RequestError
from .scan_common import (
    API,
    ScanApiCommon,
    epcis_json_document,
    giai96,
    invalid_code_answer,
    vendor_batch_id,
)

NOW = datetime(2026, 11, 24, 12, 0)
SEEN = datetime(2026, 11, 24, 10, 0)
RSSI = "rssi must be a number from -1000 to 1000 (dBm)"
ANTENNA = "antenna must be a whole number from 0 to 65535"
TOO_DEEP = "JSON nested deeper than 64 levels"
ZEBRA = "/readers/{}/zebra"
IMPINJ = "/readers/{}/impinj"
CAPTURE = "/epcis/capture"


def bad_request(message, code="bad_request"):
    return {"error": {"code": code, "message": message}}


def giai_answer(reference, message, asset=None):
    """The answer of a GIAI-96 EPC (prefix 0614141) read once."""
    answer = {
        "code": giai96(reference),
        "epc_uri": f"urn:epc:id:giai:0614141.{reference}",
        "gs1": f"(8004)0614141{reference}",
        "status": "invalid" if message else "matched",
        "asset_id": asset.id if asset else None,
        "asset_code": asset.code if asset else None,
    }
    if message:
        answer["message"] = message
    return answer


def json_object_event(reference, **values):
    """An EPCIS 2.0 ObjectEvent (JSON) observing the GIAI ``reference`` of prefix
    0614141 at 10:00 UTC; ``values`` add to or replace its members."""
    return {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "eventTime": "2026-11-24T10:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": [f"urn:epc:id:giai:0614141.{reference}"],
        **values,
    }


def deep(levels, inner=b"1"):
    return b"[" * levels + inner + b"]" * levels


# ----------------------------------------------------------------------------------
# The tools, without a database


@tagged("post_install", "-at_install")
class TestBadInputTools(BaseCase):
    def test_load_json_refuses_what_cannot_be_read(self):
        cases = [
            (b'{"batch_id": "x", "reads": [', "invalid JSON at line 1 column 29"),
            (b'{"a": 1}\n{"b": 2}', "invalid JSON at line 2 column 1"),
            (b'{"a": 1,\n  "b": }', "invalid JSON at line 2 column 8"),
            (b"", "empty body: expected a JSON object"),
            (b'{"batch_id": "\xff"}', "body is not UTF-8 text (byte 14)"),
            (b'{"a": \xed\xa0\x80}', "body is not UTF-8 text (byte 6)"),
            # thousands deep: the parser's RecursionError; 65 deep: our limit
            (deep(5000), TOO_DEEP),
            (b'{"reads": [' + deep(100_000) + b"]}", TOO_DEEP),
            (deep(65), TOO_DEEP),
            (b'{"a": ' + deep(64) + b"}", TOO_DEEP),
        ]
        for body, message in cases:
            with self.subTest(body=body[:40]):
                with self.assertRaises(rf.FormatError) as caught:
                    rf.load_json(body)
                self.assertEqual(
                    (caught.exception.code, caught.exception.message),
                    ("invalid_json", message),
                )
        # the parser's own words never reach the answer
        with self.assertRaises(rf.FormatError) as caught:
            rf.parse_zebra(b'[{"data": }]')
        self.assertEqual(str(caught.exception), "invalid JSON at line 1 column 11")
        with self.assertRaises(rf.FormatError) as caught:
            rf.parse_impinj(deep(3000))
        self.assertEqual(str(caught.exception), TOO_DEEP)
        with self.assertRaises(rf.FormatError) as caught:
            rf.parse_epcis_document(
                b'{"type": "EPCISDocument", "x": ' + deep(80) + b"}"
            )
        self.assertEqual(str(caught.exception), TOO_DEEP)

    def test_load_json_keeps_out_of_range_numbers_as_values(self):
        self.assertEqual(rf.load_json(deep(63)), json.loads(deep(63)))
        value = rf.load_json(
            b'{"a": NaN, "b": Infinity, "c": -Infinity, "d": 1e400, "e": -1e309, '
            b'"f": 1' + b"0" * 400 + b', "g": -1' + b"0" * 5000 + b', "h": "\\ud800"}'
        )
        self.assertNotEqual(value["a"], value["a"])  # NaN
        self.assertEqual(
            [value[k] for k in "bcdefgh"],
            [
                float("inf"),
                float("-inf"),
                float("inf"),
                float("-inf"),
                10**400,
                float("-inf"),  # more digits than Python converts: out of range
                "\ud800",
            ],
        )

    def test_read_signal(self):
        nested = json.loads(deep(40, b"-50"))
        cases = [
            ({}, (None, None, None)),
            ({"antenna": 2, "rssi": -61.5}, (2, -61.5, None)),
            ({"antenna": 0, "rssi": 0}, (0, 0.0, None)),
            ({"antenna": 65535.0, "rssi": -1000}, (65535, -1000.0, None)),
            ({"antenna": None, "rssi": None}, (None, None, None)),
            ({"antenna": 65536}, (None, None, ANTENNA)),
            ({"antenna": -1}, (None, None, ANTENNA)),
            ({"antenna": 10**400}, (None, None, ANTENNA)),
            ({"antenna": float("inf")}, (None, None, ANTENNA)),
            ({"antenna": float("nan")}, (None, None, ANTENNA)),
            ({"antenna": 1.5}, (None, None, ANTENNA)),
            ({"antenna": "2"}, (None, None, ANTENNA)),
            ({"antenna": True}, (None, None, ANTENNA)),
            ({"antenna": {"port": 1}}, (None, None, ANTENNA)),
            ({"rssi": 1e400}, (None, None, RSSI)),
            ({"rssi": -1e308 * 10}, (None, None, RSSI)),
            ({"rssi": float("nan")}, (None, None, RSSI)),
            ({"rssi": 10**400}, (None, None, RSSI)),
            ({"rssi": -(10**400)}, (None, None, RSSI)),
            ({"rssi": 1000.5}, (None, None, RSSI)),
            ({"rssi": "-50"}, (None, None, RSSI)),
            ({"rssi": False}, (None, None, RSSI)),
            ({"rssi": nested}, (None, None, RSSI)),
            ({"rssi": [-50]}, (None, None, RSSI)),
        ]
        for read, expected in cases:
            with self.subTest(read=str(read)[:60]):
                self.assertEqual(scan_api.read_signal(read), expected)

    def test_text_problem_and_shown(self):
        cases = [
            ("A-00001", None),
            ("caf\u00e9 \u65e5\u672c", None),
            ("\U0001f600", None),  # a surrogate pair in JSON: one character
            ("a\x00b", "U+0000: a control character"),
            ("a\tb", "U+0009: a control character"),
            ("a\r\nINFO forged", "U+000D: a control character"),
            ("a\x1bb", "U+001B: a control character"),
            ("a\x7fb", "U+007F: a control character"),
            ("a\x85b", "U+0085: a control character"),
            ("a\u2028b", "U+2028: a line or paragraph separator"),
            ("a\u2029b", "U+2029: a line or paragraph separator"),
            ("a\u202eb", "U+202E: a bidirectional control character"),
            ("a\ud800b", "U+D800: an unpaired surrogate"),
            ("a\udfffb", "U+DFFF: an unpaired surrogate"),
        ]
        for text, expected in cases:
            with self.subTest(text=text):
                problem = scan_api.text_problem(text, "batch_id")
                if expected is None:
                    self.assertIsNone(problem)
                    self.assertEqual(scan_api.shown(text), text)
                    continue
                point, kind = expected.split(": ")
                self.assertEqual(problem, f"batch_id contains {kind} ({point})")
                shown = scan_api.shown(text)
                self.assertIsNone(scan_api.text_problem(shown, "x"))
                self.assertIn(f"\\u{point[2:].lower()}", shown)
        # a scanned code may hold the GS1 group separator, an identifier may not
        gs1 = "\x1d010950600013435\x1d21X"
        self.assertIsNone(scan_api.text_problem(gs1, "code", code=True))
        self.assertEqual(
            scan_api.text_problem(gs1, "batch_id"),
            "batch_id contains a control character (U+001D)",
        )
        self.assertEqual(
            scan_api.text_problem("a\x00", "code", code=True),
            "code contains a control character (U+0000)",
        )
        # values of the request in messages: short, safe, never huge
        self.assertEqual(scan_api.quoted("x" * 100), "'" + "x" * 40 + "...'")
        self.assertEqual(scan_api.quoted("a\nb"), "'a\\u000ab'")
        self.assertEqual(scan_api.quoted(10**4000), "a number out of range")
        self.assertEqual(scan_api.quoted(json.loads(deep(60))), "an array")
        self.assertEqual(scan_api.quoted({"a": 1}), "an object")
        self.assertEqual(scan_api.quoted(None), "None")

    def test_native_batch_identifiers(self):
        read = [{"code": "A-00001"}]
        good = {"batch_id": "b-1", "reads": read}
        self.assertEqual(scan_api.validate_native_batch(good)["mode"], "observe")
        cases = [
            ({"batch_id": "b\r\n2026 INFO forged"}, "batch_id", "U+000D"),
            ({"batch_id": "b\u2028x"}, "batch_id", "U+2028"),
            ({"batch_id": "b\x00"}, "batch_id", "U+0000"),
            ({"device": "reader-7\n"}, "device", "U+000A"),
            ({"device": "reader\x85"}, "device", "U+0085"),
            ({"location": "A-SHELF-2\x00"}, "location", "U+0000"),
            ({"holder": "\ud800"}, "holder", "U+D800"),
            ({"reference": "WO\x1b[31m"}, "reference", "U+001B"),
            ({"due": "2026-12-01T00:00:00Z\u2029"}, "due", "U+2029"),
        ]
        kinds = {
            "U+2028": "a line or paragraph separator",
            "U+2029": "a line or paragraph separator",
            "U+D800": "an unpaired surrogate",
        }
        for extra, field, point in cases:
            with self.subTest(extra=extra):
                with self.assertRaises(RequestError) as caught:
                    scan_api.validate_native_batch(dict(good, **extra))
                kind = kinds.get(point, "a control character")
                self.assertEqual(
                    {
                        "error": {
                            "code": caught.exception.code,
                            "message": str(caught.exception),
                        }
                    },
                    bad_request(f"{field} contains {kind} ({point})"),
                )
        too_long = [
            ({"location": "x" * 257}, "location is longer than 256 characters"),
            ({"device": "x" * 257}, "device is longer than 256 characters"),
            ({"reference": "x" * 1001}, "reference is longer than 1000 characters"),
            ({"holder": 10**400}, "holder must be a string"),
            (
                {"mode": {"deep": [[[]]]}},
                "mode must be one of observe, audit, checkout, checkin, use, "
                "got an object",
            ),
            (
                {"mode": "x" * 10_000},
                "mode must be one of observe, audit, checkout, checkin, use, "
                f"got '{'x' * 40}...'",
            ),
        ]
        for extra, message in too_long:
            with self.subTest(extra=str(extra)[:40]):
                with self.assertRaises(RequestError) as caught:
                    scan_api.validate_native_batch(dict(good, **extra))
                self.assertEqual(
                    {
                        "error": {
                            "code": caught.exception.code,
                            "message": str(caught.exception),
                        }
                    },
                    bad_request(message),
                )
        self.assertEqual(scan_api.check_idempotency_key(None), None)
        self.assertEqual(scan_api.check_idempotency_key("door/0042"), "door/0042")
        with self.assertRaises(RequestError) as caught:
            scan_api.check_idempotency_key("k\x01")
        self.assertEqual(
            caught.exception.message,
            "Idempotency-Key contains a control character (U+0001)",
        )

    def test_parse_read_time_never_raises(self):
        cases = [
            ("2026-11-24T10:00:00Z", SEEN, None),
            ("2026-11-24T11:00:00+01:00", SEEN, None),
            (1795514400, SEEN, None),
            ("0001-01-01T00:00:00+05:00", None, "timestamp out of range"),
            ("9999-12-31T23:59:59-05:00", None, "timestamp out of range"),
            ("0001-01-01T00:00:00Z", None, "timestamp before 1970-01-01"),
            ("1969-12-31T23:59:59Z", None, "timestamp before 1970-01-01"),
            ("9999-12-31T23:59:59Z", None, "timestamp in the future"),
            ("2026-11-24T10:00:00", None, "timestamp without time zone"),
            (10**400, None, "timestamp out of range"),
            (1e400, None, "timestamp out of range"),
            (float("nan"), None, "invalid timestamp"),
            ("9" * 5000, None, "invalid timestamp"),
            ("2026-11-24T10:00:00\x00Z", None, "invalid timestamp"),
            (True, None, "invalid timestamp"),
            ({"at": "2026-11-24T10:00:00Z"}, None, "invalid timestamp"),
            ("2026-11-24T10:00:00Z\x00", None, "invalid timestamp"),
            ("\ud800", None, "invalid timestamp"),
        ]
        for value, moment, error in cases:
            with self.subTest(value=str(value)[:40]):
                self.assertEqual(parse_read_time(value, NOW), (moment, error))

    def test_canonical_json_is_json(self):
        body = {"reads": [{"rssi": float("nan")}, {"rssi": float("-inf")}], "b": 1e300}
        self.assertEqual(
            canonical_json(body),
            '{"b":1e+300,"reads":[{"rssi":"NaN"},{"rssi":"-Infinity"}]}',
        )
        # any other body: the same text as before (its hash is the idempotency key)
        self.assertEqual(
            canonical_json({"b": [1.5], "a": "\x00"}), '{"a":"\\u0000","b":[1.5]}'
        )

    def test_vendor_values_out_of_range_stay_for_the_read(self):
        """A reader's bad number is kept as sent: the read is answered invalid
        with the reason, where it used to raise or vanish."""
        zebra = rf.parse_zebra(
            b'{"data": {"idHex": "3474", "antenna": "left", "peakRssi": 1'
            + b"0" * 400
            + b'}, "timestamp": "0001-01-01T00:00:00+05:00"}\n'
            b'{"data": {"idHex": "3475", "antenna": 1e400, "peakRssi": NaN}}\n'
            b'{"data": {"idHex": "3476", "antenna": "", "peakRssi": " -52 "}}'
        )
        self.assertEqual(
            zebra["reads"][0],
            {
                "code": "3474",
                "antenna": "left",
                "rssi": float("inf"),
                "timestamp": "0001-01-01T00:00:00+05:00",
                "timestamp_error": "timestamp out of range",
            },
        )
        self.assertEqual(zebra["reads"][1]["antenna"], float("inf"))
        self.assertNotEqual(zebra["reads"][1]["rssi"], zebra["reads"][1]["rssi"])
        self.assertEqual(
            zebra["reads"][2], {"code": "3476", "antenna": None, "rssi": -52.0}
        )
        impinj = rf.parse_impinj(
            b'{"tagInventoryEvent": {"epcHex": "34", "antennaPort": "\\u0661",'
            b' "peakRssiCdbm": -1e400}}'
        )
        self.assertEqual(
            impinj["reads"],
            [{"code": "34", "antenna": "\u0661", "rssi": float("-inf")}],
        )

    def test_epcis_event_with_unsafe_text_is_refused_alone(self):
        def event(**values):
            return json_object_event(5678, **values)

        document = epcis_json_document(
            [
                event(),
                event(epcList=["urn:epc:id:giai:0614141.5680\x00"]),
                event(eventID="urn:uuid:1\r\nforged"),
                event(bizStep="shipping\u2028"),
                event(readPoint={"id": "urn:epc:id:sgln:0614141.07346.\ud800"}),
                event(type="Object\x1bEvent"),
                event(eventTime="0001-01-01T00:00:00+05:00"),
                event(eventID="x" * 1001),
                event(epcList=["https://id.gs1.org/8004/0614141A%0Aforged"]),
            ],
            created="2026-11-24T11:00:00Z",
            context=False,
        )
        batch = rf.parse_epcis_document(json.dumps(document).encode())
        self.assertEqual(
            [(read["code"], read["event_index"]) for read in batch["reads"]],
            [("urn:epc:id:giai:0614141.5678", 0)],
        )
        self.assertEqual(
            [
                (problem["index"], problem["event_id"], problem["message"])
                for problem in batch["problems"]
            ],
            [
                (1, None, '"epcList[0]" contains a control character (U+0000)'),
                (
                    2,
                    "urn:uuid:1\\u000d\\u000aforged",
                    '"eventID" contains a control character (U+000D)',
                ),
                (3, None, '"bizStep" contains a line or paragraph separator (U+2028)'),
                (4, None, '"readPoint.id" contains an unpaired surrogate (U+D800)'),
                (5, None, '"type" contains a control character (U+001B)'),
                (
                    6,
                    None,
                    "\"eventTime\" is out of range: '0001-01-01T00:00:00+05:00'",
                ),
                (7, "x" * 200 + "...", '"eventID" is longer than 1000 characters'),
                (8, None, '"epcList[0]" contains a control character (U+000A)'),
            ],
        )
        self.assertEqual(batch["problems"][4]["type"], "Object\\u001bEvent")


# ----------------------------------------------------------------------------------
# Over real HTTP


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestBadInputApi(ScanApiCommon):
    openapi_check = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.door = cls._handheld_reader("dock-door-2", cls.dock)

    def _batch(self, name):
        return self.env["stock.asset.scan.batch"].search([("name", "=", name)])

    def _nothing_stored(self):
        self.assertFalse(self.env["stock.asset.scan.batch"].search([]))
        self.assertFalse(self.env["stock.asset.observation"].search([]))
        self.assertEqual(
            self.assets.mapped("location_id"), self.stock_a, "no asset moved"
        )

    # Item 1: one bad value costs its own read ---------------------------------------
    def test_native_bad_values_cost_their_read_only(self):
        a1, a2 = self.assets[:2]
        at = '"timestamp": "2026-11-24T10:00:00Z"'
        bad = [
            # (the read's JSON, the answer)
            ('"timestamp": "0001-01-01T00:00:00+05:00"', "timestamp out of range"),
            ('"timestamp": "9999-12-31T23:59:59-05:00"', "timestamp out of range"),
            ('"timestamp": "0001-01-01T00:00:00Z"', "timestamp before 1970-01-01"),
            ('"timestamp": NaN', "invalid timestamp"),
            # stored as the text "Infinity" (the stored body is strict JSON)
            ('"timestamp": 1e400', "invalid timestamp"),
            ('"timestamp": {"at": 1}', "invalid timestamp"),
            (f'{at}, "rssi": 1e400', RSSI),
            (f'{at}, "rssi": 1{"0" * 400}', RSSI),
            (f'{at}, "rssi": -1e309', RSSI),
            (f'{at}, "rssi": NaN', RSSI),
            (f'{at}, "rssi": -Infinity', RSSI),
            (f'{at}, "rssi": "loud"', RSSI),
            (f'{at}, "rssi": true', RSSI),
            (f'{at}, "rssi": {{"dbm": [-50]}}', RSSI),
            (f'{at}, "rssi": -1{"0" * 5000}', RSSI),
            (f'{at}, "rssi": {"[" * 60}-50{"]" * 60}', RSSI),
            (f'{at}, "antenna": 1{"0" * 400}', ANTENNA),
            (f'{at}, "antenna": 1e400', ANTENNA),
            (f'{at}, "antenna": "2"', ANTENNA),
            (f'{at}, "antenna": false', ANTENNA),
            (f'{at}, "antenna": -1', ANTENNA),
        ]
        reads = [
            f'{{"code": "{a1.epc}", {at}, "antenna": 1, "rssi": -61.5}}',
            # a bad read of a code read well too: the good read counts
            f'{{"code": "{a1.epc}", {at}, "rssi": NaN}}',
        ]
        expected = [giai_answer(5001, None, a1)]
        for number, (values, message) in enumerate(bad, start=6001):
            reads.append(f'{{"code": "{giai96(number)}", {values}}}')
            expected.append(giai_answer(number, message))
        codes = [
            ('"A-0\\u00001"', "A-0\\u00001", "U+0000: a control character"),
            ('"A-\\ud800X"', "A-\\ud800X", "U+D800: an unpaired surrogate"),
            ('"A-\\nX"', "A-\\u000aX", "U+000A: a control character"),
            ('"A-\\u2028X"', "A-\\u2028X", "U+2028: a line or paragraph separator"),
            ('"A-\\u0085X"', "A-\\u0085X", "U+0085: a control character"),
            ('"A-\\u202eX"', "A-\\u202eX", "U+202E: a bidirectional control character"),
        ]
        for raw, shown, problem in codes:
            point, kind = problem.split(": ")
            reads.append(f'{{"code": {raw}, {at}}}')
            expected.append(
                invalid_code_answer(shown, f"code contains {kind} ({point})")
            )
        # a key of the server's own callers, sent over HTTP: ignored, whatever it is
        reads[0] = reads[0][:-1] + ', "location_id": {"id": [1]}}'
        reads.append(f'{{"code": 5002, {at}}}')
        expected.append(invalid_code_answer("", "code must be a string"))
        reads.append(f'{{"code": "{a2.code}", {at}, "antenna": 2.0, "rssi": -1000}}')
        expected.append(
            {
                "code": a2.code,
                "epc_uri": None,
                "gs1": None,
                "status": "matched",
                "asset_id": a2.id,
                "asset_code": a2.code,
            }
        )
        body = (
            '{"batch_id": "bad-values", "location": "A-SHELF-2", "reads": ['
            + ",\n".join(reads)
            + "]}"
        ).encode()
        status, answer, _r = self.post("/batches", body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer,
            {
                "batch_id": "bad-values",
                "duplicate": False,
                "status": "done",
                "reads": len(reads),
                "unique_codes": len(expected),
                "matched": 2,
                "unknown": 0,
                "invalid": len(expected) - 2,
                "results": expected,
            },
        )
        # what was good applied; nothing else moved
        self.assertRecordValues(
            self.assets,
            [
                {"location_id": self.shelf_2.id, "last_seen_date": SEEN},
                {"location_id": self.shelf_2.id, "last_seen_date": SEEN},
                {"location_id": self.stock_a.id, "last_seen_date": False},
                {"location_id": self.stock_a.id, "last_seen_date": False},
                {"location_id": self.stock_a.id, "last_seen_date": False},
            ],
        )
        batch = self._batch("bad-values")
        self.assertRecordValues(
            batch,
            [{"state": "done", "matched_count": 2, "moved_count": 2, "error": False}],
        )
        # every code kept as evidence, the unsafe ones escaped
        observations = batch.observation_ids
        self.assertEqual(len(observations), len(expected))
        self.assertRecordValues(
            observations.filtered(
                lambda o: o.code.startswith("A-") and "\\" in o.code
            ).sorted("id"),
            [
                {"code": shown, "status": "invalid", "asset_id": False}
                for _raw, shown, _problem in codes
            ],
        )
        self.assertRecordValues(
            observations.filtered(lambda o: o.asset_id == a1),
            [{"read_count": 2, "rssi": -61.5, "antennas": "1", "status": "matched"}],
        )

        # the stored body is strict JSON (RFC 8259: NaN kept as its token's text)
        def no_constant(token):
            raise AssertionError(f"{token} stored as a JSON token")

        stored = json.loads(batch.payload, parse_constant=no_constant)
        self.assertEqual(stored["reads"][1]["rssi"], "NaN")
        self.env.cr.execute(
            "SELECT payload::json IS NOT NULL FROM stock_asset_scan_batch"
            " WHERE id = %s",
            [batch.id],
        )
        self.assertTrue(self.env.cr.fetchone()[0])
        # the stored answer reads back as it was given
        status, again, _r = self.get_batch("bad-values")
        self.assertEqual((status, again), (200, answer))
        status, replay, _r = self.post("/batches", body)
        self.assertEqual((status, replay), (200, dict(answer, duplicate=True)))

    def test_bodies_that_cannot_be_read(self):
        good = f'{{"code": "{self.assets[0].epc}"}}'.encode()
        cases = [
            (b'{"batch_id": "u-1", "reads": [', "invalid JSON at line 1 column 31"),
            (
                b'{"batch_id": "u-\xff", "reads": []}',
                "body is not UTF-8 text (byte 16)",
            ),
            (b'{"batch_id": "u-4", "reads": [' + deep(5000) + b"]}", TOO_DEEP),
            (
                b'{"batch_id": "u-5", "reads": [' + good + b", " + deep(70) + b"]}",
                TOO_DEEP,
            ),
        ]
        for route in ("/batches", ZEBRA.format("reader-7"), IMPINJ.format("reader-7")):
            for body, message in cases:
                with self.subTest(route=route, body=body[:30]):
                    status, answer, response = self.post(route, body)
                    self.assertEqual(
                        (status, answer), (400, bad_request(message, "invalid_json"))
                    )
                    self.assertEqual(
                        response.headers["Content-Type"],
                        "application/json; charset=utf-8",
                    )
        # a second value after the batch: a native body is one JSON object
        status, answer, _r = self.post(
            "/batches", b'{"batch_id": "u-2", "reads": []} {}'
        )
        self.assertEqual(
            (status, answer),
            (400, bad_request("invalid JSON at line 1 column 34", "invalid_json")),
        )
        status, answer, _r = self.post(
            CAPTURE,
            b'{"type": "EPCISDocument", "schemaVersion": "2.0", "epcisBody": '
            + deep(10_000)
            + b"}",
        )
        self.assertEqual((status, answer), (400, bad_request(TOO_DEEP, "invalid_json")))
        self._nothing_stored()

    def test_zebra_and_impinj_bad_values_cost_their_read_only(self):
        def zebra(idhex, **data):
            stamp = data.pop("timestamp", "2026-11-24T10:00:00.000+0000")
            return json.dumps(
                {"data": dict({"idHex": idhex}, **data), "timestamp": stamp}
            )

        t1, t2, t3 = self.assets[:3]
        events = [
            zebra(t1.epc.lower(), antenna=1, peakRssi=-49),
            zebra(giai96(6001), timestamp="0001-01-01T00:00:00+05:00"),
            zebra(giai96(6002), peakRssi="loud"),
            zebra(giai96(6003), antenna={"port": 1}),
            zebra("T\x00X"),
            zebra("T\ud800X"),
            # raw tokens: what json.dumps would not write
            zebra(giai96(6004), peakRssi=-1).replace("-1}", "1e400}"),
            zebra(giai96(6005), antenna=-1).replace("-1}", "1" + "0" * 400 + "}"),
            zebra(giai96(6006), peakRssi=-1).replace("-1}", "NaN}"),
        ]
        body = "\n".join(events).encode()
        status, answer, _r = self.post(
            ZEBRA.format("reader-7"), body, content_type="application/x-ndjson"
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["batch_id"], vendor_batch_id("zebra", "reader-7", body))
        self.assertEqual(
            answer["results"],
            [
                giai_answer(5001, None, t1),
                giai_answer(6001, "timestamp out of range"),
                giai_answer(6002, RSSI),
                giai_answer(6003, ANTENNA),
                invalid_code_answer(
                    "T\\u0000X", "code contains a control character (U+0000)"
                ),
                invalid_code_answer(
                    "T\\ud800X", "code contains an unpaired surrogate (U+D800)"
                ),
                giai_answer(6004, RSSI),
                giai_answer(6005, ANTENNA),
                giai_answer(6006, RSSI),
            ],
        )
        self.assertEqual(
            (answer["status"], answer["matched"], answer["invalid"]), ("done", 1, 8)
        )
        self.assertRecordValues(
            t1, [{"location_id": self.shelf_1.id, "last_seen_date": SEEN}]
        )

        def impinj(epc_hex, timestamp="2026-11-24T10:00:00Z", **tag):
            return {
                "timestamp": timestamp,
                "eventType": "tagInventory",
                "tagInventoryEvent": dict({"epcHex": epc_hex}, **tag),
            }

        body = json.dumps(
            [
                impinj(t2.epc, antennaPort=1, peakRssiCdbm=-5500),
                impinj(giai96(6011), timestamp="9999-12-31T23:59:59-05:00"),
                impinj(giai96(6012), antennaPort="x"),
                impinj(giai96(6013), peakRssiCdbm=-10.0),
                impinj("34\u202874"),
            ]
        ).replace("-10.0", "-1e400")
        status, answer, _r = self.post(
            IMPINJ.format("dock-door-2"),
            body,
            headers={"Idempotency-Key": "door-2/0001"},
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            answer["results"],
            [
                giai_answer(5002, None, t2),
                giai_answer(6011, "timestamp out of range"),
                giai_answer(6012, ANTENNA),
                giai_answer(6013, RSSI),
                invalid_code_answer(
                    "34\\u202874",
                    "code contains a line or paragraph separator (U+2028)",
                ),
            ],
        )
        self.assertRecordValues(
            t2 | t3,
            [
                {"location_id": self.dock.id, "last_seen_date": SEEN},
                {"location_id": self.stock_a.id, "last_seen_date": False},
            ],
        )
        self.assertRecordValues(
            self._batch("door-2/0001"),
            [{"state": "done", "source": "impinj", "invalid_count": 4}],
        )

    def test_epcis_event_with_bad_value_is_refused_alone(self):
        document = epcis_json_document(
            [
                json_object_event(5001, eventID="urn:uuid:good"),
                json_object_event(5002, eventTime="0001-01-01T00:00:00+05:00"),
                json_object_event(5003, epcList=["urn:epc:id:giai:0614141.5003\x00"]),
                json_object_event(5004, eventID="urn:uuid:\ud800"),
                json_object_event(5005, eventTime="9999-12-31T23:59:59Z"),
            ],
            created="2026-11-24T11:00:00Z",
            context=False,
        )
        status, job, response = self.post(
            CAPTURE, document, headers={"Idempotency-Key": "capture-bad-1"}
        )
        self.assertEqual(status, 202, job)
        problem = {
            "type": "epcisException:ValidationException",
            "title": "Event not captured",
            "status": 400,
            "eventType": "ObjectEvent",
        }
        self.assertEqual(
            job["errors"],
            [
                dict(
                    problem,
                    detail="\"eventTime\" is out of range: '0001-01-01T00:00:00+05:00'",
                    eventIndex=1,
                    eventID=None,
                ),
                dict(
                    problem,
                    detail='"epcList[0]" contains a control character (U+0000)',
                    eventIndex=2,
                    eventID=None,
                ),
                dict(
                    problem,
                    detail='"eventID" contains an unpaired surrogate (U+D800)',
                    eventIndex=3,
                    eventID="urn:uuid:\\ud800",
                ),
            ],
        )
        self.assertEqual(
            job["batch"]["results"],
            [
                {
                    "code": "urn:epc:id:giai:0614141.5001",
                    "epc_uri": "urn:epc:id:giai:0614141.5001",
                    "gs1": "(8004)06141415001",
                    "status": "matched",
                    "asset_id": self.assets[0].id,
                    "asset_code": "A-00001",
                },
                {
                    "code": "urn:epc:id:giai:0614141.5005",
                    "epc_uri": "urn:epc:id:giai:0614141.5005",
                    "gs1": "(8004)06141415005",
                    "status": "invalid",
                    "asset_id": None,
                    "asset_code": None,
                    "message": "timestamp in the future",
                },
            ],
        )
        self.assertEqual(self.assets[0].last_seen_date, SEEN)
        self.assertFalse((self.assets - self.assets[0]).filtered("last_seen_date"))
        self.assertRecordValues(self._batch("capture-bad-1"), [{"state": "done"}])
        # the stored job (its refusals read back from the database) is the same
        status, stored, _r = self.get(response.headers["Location"][len(API) :])
        self.assertEqual((status, stored), (200, job))

    # Item 8: nothing forged reaches the log ----------------------------------------
    def test_identifiers_with_control_characters_answer_400(self):
        payload = self.batch("ok-1", [self.assets[0].epc])
        cases = [
            (dict(payload, batch_id="b-1\r\n2026-11-24 INFO forged"), "batch_id", 0x0D),
            (dict(payload, batch_id="b-2\u2028forged"), "batch_id", 0x2028),
            (dict(payload, batch_id="b-3\x00"), "batch_id", 0x00),
            (dict(payload, batch_id="b-4\ud800"), "batch_id", 0xD800),
            (dict(payload, device="reader-7\n"), "device", 0x0A),
            (dict(payload, location="A-SHELF-2\x1b[2J"), "location", 0x1B),
            (dict(payload, mode="checkout", holder="H\u2029"), "holder", 0x2029),
            (dict(payload, mode="use", reference="WO-1\x85"), "reference", 0x85),
            (
                dict(payload, mode="checkout", holder="H", due="2026-12-01\x00"),
                "due",
                0x00,
            ),
        ]
        kinds = {
            0x2028: "a line or paragraph separator",
            0x2029: "a line or paragraph separator",
            0xD800: "an unpaired surrogate",
        }
        for body, field, point in cases:
            with self.subTest(field=field, point=point):
                kind = kinds.get(point, "a control character")
                status, answer, _r = self.post("/batches", body)
                self.assertEqual(
                    (status, answer),
                    (400, bad_request(f"{field} contains {kind} (U+{point:04X})")),
                )
        # the device name of a reader route, in the path
        body = json.dumps({"data": {"idHex": self.assets[0].epc}})
        for route in (ZEBRA, IMPINJ):
            for name, point, kind in (
                ("reader%0A7", "000A", "a control character"),
                ("reader%007", "0000", "a control character"),
                ("reader%C2%857", "0085", "a control character"),
                ("reader%E2%80%A87", "2028", "a line or paragraph separator"),
            ):
                with self.subTest(route=route, name=name):
                    status, answer, _r = self.post(route.format(name), body)
                    self.assertEqual(
                        (status, answer),
                        (400, bad_request(f"device contains {kind} (U+{point})")),
                    )
        # the Idempotency-Key of a reader route or a capture
        for path in (ZEBRA.format("reader-7"), CAPTURE):
            for key, point in (("k\x01", "0001"), ("k\x7f", "007F"), ("k\x85", "0085")):
                with self.subTest(path=path, key=key):
                    status, answer, _r = self.post(
                        path, body, headers={"Idempotency-Key": key}
                    )
                    self.assertEqual(
                        (status, answer),
                        (
                            400,
                            bad_request(
                                f"Idempotency-Key contains a control character "
                                f"(U+{point})"
                            ),
                        ),
                    )
        self._nothing_stored()
        # ids and codes of the read routes
        for path, params, field, point in (
            ("/batches/b%00x", None, "batch id", "0000"),
            # a line break in a path segment matches no route: still a 400
            ("/batches/b%0Ax", None, "the URL path", "000A"),
            ("/epcis/capture/c%0Dx", None, "capture id", "000D"),
            ("/lookup", {"code": "A-00001\x00"}, "code", "0000"),
            ("/lookup", {"code": "A-00001\r\nforged"}, "code", "000D"),
            ("/epcis/events", {"asset": "A\x00"}, "asset", "0000"),
            ("/epcis/events", {"from": "2026-11-24T00:00:00Z\n"}, "from", "000A"),
        ):
            with self.subTest(path=path, params=params):
                status, answer, _r = self.get(path, params=params)
                self.assertEqual(
                    (status, answer),
                    (
                        400,
                        bad_request(
                            f"{field} contains a control character (U+{point})"
                        ),
                    ),
                )
        # a GS1 element string with its group separator is a code, not an attack
        status, answer, _r = self.get(
            "/lookup", params={"code": "\x1d01095060001343521X"}
        )
        self.assertEqual((status, answer["code"]), (200, "\x1d01095060001343521X"))

    # Item 11: no internal text in an answer -----------------------------------------
    def test_unexpected_error_answers_500_without_its_text(self):
        self.post("/batches", self.batch("st-1", [self.assets[0].epc]))
        Batch = self.registry["stock.asset.scan.batch"]
        secret = 'relation "stock_asset_secret" does not exist at /opt/odoo/x.py:12'
        with (
            patch.object(Batch, "_api_status", side_effect=RuntimeError(secret)),
            mute_logger("odoo.http"),  # the traceback is logged there, once
        ):
            status, answer, response = self.get_batch("st-1")
        self.assertEqual(
            (status, answer),
            (500, {"error": {"code": "internal_error", "message": INTERNAL_ERROR}}),
        )
        self.assertNotIn("stock_asset_secret", response.text)
        self.assertNotIn("Traceback", response.text)
        # the batch itself is untouched and still answers
        status, answer, _r = self.get_batch("st-1")
        self.assertEqual((status, answer["status"]), (200, "done"))
