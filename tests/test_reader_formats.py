"""Unit tests of tools/reader_formats.py: vendor payloads -> native batches.

Plain parsing, no database: the payloads under tests/data are shaped like the
readers' own output (Zebra IoT Connector / RFD40 / FX Connect, Impinj IoT device
interface / Speedway Connect); the EPCIS documents are GS1's examples, read at
run time from the shared/epcis folder beside the repository.
"""

import copy
import hashlib
import json
from pathlib import Path

import yaml

from odoo.tests import BaseCase, tagged

from ..tools import reader_formats as rf
from ..tools.reader_formats import FormatError
from .epcis_common import shared_epcis_folder
from .scan_common import answer_without_results

DATA = Path(__file__).resolve().parent / "data"


def _data(name):
    return (DATA / name).read_bytes()


class RefusedBodies:
    """Checks a parser's refusals, given as ``(body, code, message)`` cases."""

    def assertRefusedBodies(self, parse, cases):
        """``parse(body)`` raises a FormatError (a ValueError) of ``code`` and
        ``message`` for every case."""
        for body, code, message in cases:
            with self.subTest(body=body):
                with self.assertRaises(FormatError) as caught:
                    parse(body)
                self.assertEqual(str(caught.exception), message)
                self.assertEqual(caught.exception.code, code)
                self.assertIsInstance(caught.exception, ValueError)


def _epcis_folder():
    """shared/epcis with its examples folder, or None."""
    return shared_epcis_folder("examples")


@tagged("post_install", "-at_install")
class TestZebraReaderFormat(RefusedBodies, BaseCase):
    def test_iot_connector_stream_one_event_per_line(self):
        batch = rf.parse_zebra(_data("zebra_iotc_fx9600_stream.ndjson"))
        self.assertEqual(
            batch["reads"],
            [
                {
                    "code": "3474257BF40000000000162E",
                    "antenna": 1,
                    "rssi": -52.0,
                    "timestamp": "2026-11-24T10:00:00.120Z",
                },
                # SIMPLE mode reports no antenna and no RSSI by default
                {
                    "code": "3474257BF400000000001630",
                    "timestamp": "2026-11-24T10:00:00.457Z",
                },
                {
                    "code": "3474257BF4000000000016A1",
                    "antenna": 2,
                    "rssi": -61.0,
                    "timestamp": "2026-11-24T10:00:01.002Z",
                },
                {
                    "code": "3474257BF40000000000162E",
                    "antenna": 1,
                    "rssi": -49.0,
                    "timestamp": "2026-11-24T10:00:02.310Z",
                },
            ],
        )
        # GPI, BLE beacon and heartbeat events carry no tag: skipped, no error
        self.assertEqual(batch["skipped"], 3)
        self.assertNotIn("batch_id", batch)

    def test_iot_connector_batched_array(self):
        batch = rf.parse_zebra(_data("zebra_iotc_fx7500_batch.json").decode())
        self.assertEqual(
            [
                (r["code"], r["antenna"], r["rssi"], r["timestamp"])
                for r in batch["reads"]
            ],
            [
                ("3474257BF4000000000016B2", 3, -58.0, "2026-11-24T10:15:30.005Z"),
                ("3474257BF4000000000016B3", 4, -70.0, "2026-11-24T10:15:30.210Z"),
            ],
        )
        self.assertEqual(batch["skipped"], 0)

    def test_single_object(self):
        body = (
            b'{"data": {"eventNum": 1, "format": "epc", '
            b'"idHex": "3474257bf40000000000162e", "antenna": 1, "peakRssi": -52, '
            b'"reads": 1, "channel": 917.25, "userDefined": null}, '
            b'"timestamp": "2026-11-24T10:00:00.120+0000", "type": "SIMPLE"}'
        )
        self.assertEqual(
            rf.parse_zebra(body),
            {
                "reads": [
                    {
                        "code": "3474257BF40000000000162E",
                        "antenna": 1,
                        "rssi": -52.0,
                        "timestamp": "2026-11-24T10:00:00.120Z",
                    }
                ],
                "skipped": 0,
            },
        )

    def test_objects_concatenated_back_to_back(self):
        first = {
            "data": {
                "eventNum": 7,
                "format": "epc",
                "idHex": "3474257bf4000000000016b2",
            },
            "timestamp": "2026-11-24T10:00:00Z",
            "type": "SIMPLE",
        }
        second = dict(first, data=dict(first["data"], idHex="3474257bf4000000000016b3"))
        glued = json.dumps(first) + json.dumps(second)  # no separator at all
        batch = rf.parse_zebra(glued.encode())
        self.assertEqual(
            [read["code"] for read in batch["reads"]],
            ["3474257BF4000000000016B2", "3474257BF4000000000016B3"],
        )
        # arrays back to back, and comma-separated objects, flatten the same way
        arrays = json.dumps([first]) + "\n" + json.dumps([second, first])
        self.assertEqual(len(rf.parse_zebra(arrays)["reads"]), 3)
        commas = json.dumps(first) + ",\n" + json.dumps(second)
        self.assertEqual(len(rf.parse_zebra(commas)["reads"]), 2)

    def test_timestamp_variants(self):
        def stamp_of(value):
            event = {"data": {"idHex": "3474257BF40000000000162E"}, "timestamp": value}
            return rf.parse_zebra(json.dumps(event))["reads"][0]

        self.assertEqual(
            stamp_of("2026-11-24T13:00:00.120+0300")["timestamp"],
            "2026-11-24T10:00:00.120Z",
        )
        self.assertEqual(
            stamp_of("2026-11-24T10:00:00.120Z")["timestamp"],
            "2026-11-24T10:00:00.120Z",
        )
        self.assertEqual(
            stamp_of("2026-11-24T05:30:00-04:30")["timestamp"], "2026-11-24T10:00:00Z"
        )
        naive = stamp_of("2026-11-24T10:00:00.120")
        self.assertEqual(naive["timestamp"], "2026-11-24T10:00:00.120")
        self.assertEqual(naive["timestamp_error"], "timestamp without time zone")
        junk = stamp_of("yesterday")
        self.assertEqual(junk["timestamp"], "yesterday")
        self.assertEqual(junk["timestamp_error"], "invalid timestamp")
        event = {"data": {"idHex": "3474257BF40000000000162E"}}  # no time at all
        self.assertEqual(
            rf.parse_zebra(json.dumps(event))["reads"],
            [{"code": "3474257BF40000000000162E"}],
        )

    def test_tag_id_alias_and_flat_record(self):
        batch = rf.parse_zebra(
            b'[{"data": {"tagId": "3474257bf400000000001630", "antenna": 2},'
            b' "timestamp": "2026-11-24T10:00:00Z"},'
            b' {"idHex": "3474257BF40000000000162E", "peakRssi": -40,'
            b' "timestamp": "2026-11-24T10:00:01Z"}]'
        )
        self.assertEqual(
            batch["reads"],
            [
                {
                    "code": "3474257BF400000000001630",
                    "antenna": 2,
                    "timestamp": "2026-11-24T10:00:00Z",
                },
                {
                    "code": "3474257BF40000000000162E",
                    "rssi": -40.0,
                    "timestamp": "2026-11-24T10:00:01Z",
                },
            ],
        )

    def test_rfd40_data_event(self):
        batch = rf.parse_zebra(_data("zebra_rfd40_dataevt.json"))
        self.assertEqual(
            batch["reads"],
            [
                {
                    "code": "3474257BF40000000000162E",
                    "rssi": -45.0,
                    "timestamp": "2026-11-24T10:05:12.331Z",
                },
                {
                    "code": "3474257BF400000000001630",
                    "rssi": -63.0,
                    "timestamp": "2026-11-24T10:05:12.331Z",
                },
            ],
        )

    def test_rfd40_barcode_scans(self):
        body = {
            "type": "BALANCED_PERFORMANCE",
            "timestamp": "2026-11-24T10:06:00.020Z",
            "data": {
                "barcodeData": [
                    {"decodedBarcode": "a-00042", "symbology": "CODE_39"},
                ]
            },
        }
        self.assertEqual(
            rf.parse_zebra(json.dumps(body))["reads"],
            # not upper-cased: a label is not an EPC
            [{"code": "a-00042", "timestamp": "2026-11-24T10:06:00.020Z"}],
        )
        body["data"]["barcodeData"] = [{"symbology": "CODE_39"}]
        with self.assertRaises(FormatError) as caught:
            rf.parse_zebra(json.dumps(body))
        self.assertEqual(
            str(caught.exception),
            'events[0].data.barcodeData[0]: "decodedBarcode" must be a non-empty '
            "string",
        )

    def test_fx_connect_strings_and_local_time(self):
        batch = rf.parse_zebra(_data("zebra_fx_connect.json"))
        self.assertEqual(
            batch["reads"],
            [
                {
                    "code": "3474257BF40000000000162E",
                    "antenna": 3,
                    "rssi": -72.0,
                    # day/month/year reader clock, no zone: kept and flagged
                    "timestamp": "24/11/2026 10:4:0:111",
                    "timestamp_error": "timestamp without time zone",
                }
            ],
        )

    def test_non_hex_identifier_kept_as_sent(self):
        batch = rf.parse_zebra(b'{"data": {"idHex": "A-00042"}}')
        self.assertEqual(batch["reads"], [{"code": "A-00042"}])

    def test_errors(self):
        cases = [
            (b"", "invalid_json", "empty body: expected Zebra tag data events"),
            (b"   \n", "invalid_json", "empty body: expected Zebra tag data events"),
            (
                b'{"data": {"idHex": "3474"',
                "invalid_json",
                "invalid JSON at line 1 column 26",
            ),
            (
                b'{"data": {"idHex": "34"}}\n{"data": ',
                "invalid_json",
                "invalid JSON in value 2 at line 2 column 10",
            ),
            (
                b'[{"data": {"idHex": "34"}}, 42]',
                "bad_request",
                "events[1]: expected a JSON object, got a number",
            ),
            (
                b'{"data": {"idHex": 3474}}',
                "bad_request",
                'events[0].data: "idHex" must be a non-empty string',
            ),
            (
                b'[{}, {"data": {"tagData": [{"EPCid": ""}]}}]',
                "bad_request",
                'events[1].data.tagData[0]: "EPCid" must be a non-empty string',
            ),
            (b"\xff\xfe{}", "invalid_json", "body is not UTF-8 text (byte 0)"),
        ]
        self.assertRefusedBodies(rf.parse_zebra, cases)

    def test_only_management_events(self):
        batch = rf.parse_zebra(
            b'{"data": {"pin": 2, "state": "LOW"}, "type": "GPI",'
            b' "timestamp": "2026-11-24T10:00:00.000+0000"}'
        )
        self.assertEqual(batch, {"reads": [], "skipped": 1})

    def test_hundred_thousand_reads_fast(self):
        events = [
            {
                "data": {
                    "antenna": 1 + i % 4,
                    "eventNum": i,
                    "format": "epc",
                    "idHex": f"3474257bf4000000{i:08x}",
                    "peakRssi": -40 - i % 30,
                    "reads": 1,
                },
                "timestamp": (
                    f"2026-11-24T1{i // 60000 % 10}:{i // 1000 % 60:02d}:"
                    f"{i // 10 % 60:02d}.{i % 1000:03d}+0100"
                ),
                "type": "INVENTORY",
            }
            for i in range(100_000)
        ]
        body = json.dumps(events).encode()
        batch = rf.parse_zebra(body)
        self.assertEqual(len(batch["reads"]), 100_000)
        self.assertEqual(batch["reads"][-1]["code"], "3474257BF40000000001869F")
        self.assertEqual(batch["reads"][-1]["timestamp"], "2026-11-24T10:39:39.999Z")


@tagged("post_install", "-at_install")
class TestImpinjReaderFormat(RefusedBodies, BaseCase):
    def test_iot_interface_stream(self):
        batch = rf.parse_impinj(_data("impinj_r700_stream.ndjson"))
        self.assertEqual(
            batch["reads"],
            [
                {
                    "code": "3474257BF40000000000162E",
                    "antenna": 1,
                    "rssi": -61.5,  # -6150 centi-dBm
                    "timestamp": "2026-11-24T10:00:00.120Z",
                },
                {
                    # only the base64 "epc" was enabled on this preset
                    "code": "3474257BF400000000001630",
                    "antenna": 2,
                    "rssi": -70.25,
                    "timestamp": "2026-11-24T10:00:00.385Z",
                },
            ],
        )
        self.assertEqual(batch["skipped"], 2)  # inventoryStatus, gpiTransition

    def test_webhook_array_local_offset(self):
        batch = rf.parse_impinj(_data("impinj_r700_webhook.json"))
        self.assertEqual(
            batch["reads"],
            [
                {
                    "code": "3474257BF4000000000016A1",
                    "antenna": 3,
                    "rssi": -58.75,
                    "timestamp": "2026-11-24T10:30:10.250Z",
                },
                {
                    "code": "3474257BF4000000000016B2",
                    "antenna": 4,
                    "rssi": -64.0,
                    "timestamp": "2026-11-24T10:30:10.500Z",
                },
            ],
        )

    def test_epchex_preferred_over_base64(self):
        body = json.dumps(
            {
                "timestamp": "2026-11-24T10:00:00Z",
                "eventType": "tagInventory",
                "tagInventoryEvent": {
                    "epcHex": "3474257BF40000000000162E",
                    "epc": "NHQle/QAAAAAABYw",  # another EPC: must not win
                },
            }
        )
        self.assertEqual(
            rf.parse_impinj(body)["reads"][0]["code"], "3474257BF40000000000162E"
        )

    def test_base64_epc_decoded(self):
        body = (
            b'{"timestamp": "2026-11-24T10:00:00Z", "eventType": "tagInventory",'
            b' "tagInventoryEvent": {"epc": "NHQle/QAAAAAABYu", "antennaPort": 1,'
            b' "peakRssiCdbm": -6150}}'
        )
        self.assertEqual(
            rf.parse_impinj(body)["reads"],
            [
                {
                    "code": "3474257BF40000000000162E",
                    "antenna": 1,
                    "rssi": -61.5,
                    "timestamp": "2026-11-24T10:00:00Z",
                }
            ],
        )

    def test_base64_epc_without_padding(self):
        # a 128-bit EPC ends in "==" once padded; some clients strip it
        body = b'{"tagInventoryEvent": {"epc": "4oARkCAAUMWhtAOUqrvM3Q"}}'
        self.assertEqual(
            rf.parse_impinj(body)["reads"],
            [{"code": "E2801190200050C5A1B40394AABBCCDD"}],
        )

    def test_last_seen_time_when_event_has_no_timestamp(self):
        body = (
            b'{"eventType": "tagInventory", "tagInventoryEvent": {"epcHex":'
            b' "3474257BF40000000000162E", "lastSeenTime": "2026-11-24T10:00:00.118Z"}}'
        )
        self.assertEqual(
            rf.parse_impinj(body)["reads"][0]["timestamp"], "2026-11-24T10:00:00.118Z"
        )

    def test_speedway_connect_records(self):
        batch = rf.parse_impinj(_data("impinj_speedway_connect.ndjson"))
        self.assertEqual(
            batch["reads"],
            [
                {
                    "code": "999908290000000000000004",
                    "antenna": 7,
                    "rssi": -51.0,  # already dBm in Speedway Connect
                    "timestamp": "2026-11-24T10:15:54.368790Z",
                },
                {
                    "code": "999908290000000000000003",
                    "antenna": 23,
                    "rssi": -50.0,
                    "timestamp": "2026-11-24T10:15:54.373293Z",
                },
            ],
        )
        self.assertEqual(batch["skipped"], 1)  # the heartbeat record
        wrapped = {
            "reader_name": "SpeedwayR-14-2B-C9",
            "mac_address": "00:16:25:14:2B:C9",
            "tag_reads": [
                {
                    "antennaPort": 1,
                    "epc": "3474257BF40000000000162E",
                    "firstSeenTimestamp": 1764000000120000,  # microseconds
                    "peakRssi": -55,
                    "isHeartBeat": False,
                }
            ],
        }
        self.assertEqual(
            rf.parse_impinj(json.dumps(wrapped))["reads"],
            [
                {
                    "code": "3474257BF40000000000162E",
                    "antenna": 1,
                    "rssi": -55.0,
                    "timestamp": "2025-11-24T16:00:00.120Z",
                }
            ],
        )

    def test_errors(self):
        cases = [
            (b"", "invalid_json", "empty body: expected Impinj reader events"),
            (
                b"[{]",
                "invalid_json",
                "invalid JSON at line 1 column 3",
            ),
            (
                b'["tagInventory"]',
                "bad_request",
                "events[0]: expected a JSON object, got a string",
            ),
            (
                b'{"eventType": "tagInventory"}',
                "bad_request",
                'events[0]: eventType "tagInventory" needs a '
                '"tagInventoryEvent" object',
            ),
            (
                b'{"eventType": "tagInventory",'
                b' "tagInventoryEvent": {"antennaPort": 1}}',
                "bad_request",
                'events[0].tagInventoryEvent: tagInventoryEvent has neither "epcHex" '
                'nor "epc" (enable one of them in the preset\'s '
                "eventConfig.tagInventory)",
            ),
            (
                b'{"tagInventoryEvent": {"epc": "not base64!"}}',
                "bad_request",
                'events[0].tagInventoryEvent: "epc" is not valid base64: '
                "'not base64!'",
            ),
            (
                b'[{"tagInventoryEvent": {"epcHex": "34"}},'
                b' {"tagInventoryEvent": {"epcHex": ""}}]',
                "bad_request",
                'events[1].tagInventoryEvent: "epcHex" must be a non-empty string',
            ),
            (
                b'{"reader_name": "r", "tag_reads": [{"antennaPort": 1}]}',
                "bad_request",
                'events[0].tag_reads[0]: "epc" must be a non-empty string',
            ),
        ]
        self.assertRefusedBodies(rf.parse_impinj, cases)


@tagged("post_install", "-at_install")
class TestEpcisDocumentFormat(RefusedBodies, BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.epcis = _epcis_folder()

    def setUp(self):
        super().setUp()
        if self.epcis is None:
            self.skipTest(
                "shared/epcis (GS1 EPCIS 2.0 examples) not found in any parent "
                "folder of this test file"
            )

    def _example(self, name):
        return (self.epcis / "examples" / name).read_bytes()

    def _document(self, name="Example_9.6.1-ObjectEvent.jsonld"):
        return json.loads(self._example(name))

    def test_example_object_events(self):
        batch = rf.parse_epcis_document(
            self._example("Example_9.6.1-ObjectEvent.jsonld")
        )
        first = (
            "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa4"
            "1782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0"
        )
        second = (
            "ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af"
            "50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0"
        )
        self.assertEqual(
            [
                (r["code"], r["timestamp"], r["event_id"], r["biz_step"], r["mode"])
                for r in batch["reads"]
            ],
            [
                (
                    "urn:epc:id:sgtin:0614141.107346.2017",
                    "2005-04-04T02:33:31.116Z",
                    first,
                    "shipping",
                    "observe",
                ),
                (
                    "urn:epc:id:sgtin:0614141.107346.2018",
                    "2005-04-04T02:33:31.116Z",
                    first,
                    "shipping",
                    "observe",
                ),
                (
                    "urn:epc:id:sgtin:0614141.107346.2018",
                    "2005-04-05T02:33:31.116Z",
                    second,
                    "receiving",
                    "observe",
                ),
            ],
        )
        last = batch["reads"][2]
        self.assertEqual(last["read_point"], "urn:epc:id:sgln:0012345.11111.400")
        self.assertEqual(last["biz_location"], "urn:epc:id:sgln:0012345.11111.0")
        self.assertEqual(last["event_index"], 1)
        self.assertEqual(last["action"], "OBSERVE")
        self.assertEqual(last["disposition"], "in_progress")
        self.assertIsNone(batch["reads"][0]["biz_location"])
        self.assertEqual(batch["mode"], "observe")
        self.assertNotIn("location", batch)  # the two events are in two places
        self.assertEqual(batch["creation_date"], "2005-07-11T11:30:47Z")
        self.assertEqual(batch["events"], 2)
        self.assertEqual(batch["problems"], [])
        self.assertEqual(batch["notes"], [])

    def test_quantity_list_ignored_with_a_note(self):
        batch = rf.parse_epcis_document(
            self._example("Example_9.6.2-ObjectEvent.jsonld")
        )
        self.assertEqual(batch["reads"], [])
        self.assertEqual(batch["problems"], [])
        self.assertEqual(
            batch["notes"],
            [
                {
                    "index": 0,
                    "event_id": "ni:///sha-256;a98f08ae6ac4de3482054314d637c07010b"
                    "448d3802dccb028a06aafcc6a4b10?ver=CBV2.0",
                    "type": "ObjectEvent",
                    "message": "quantityList ignored: 1 class-level quantity "
                    "element(s) name no individual asset",
                }
            ],
        )

    def test_per_event_problems_do_not_fail_the_document(self):
        document = self._document()
        good = document["epcisBody"]["eventList"][0]
        aggregation = {
            "type": "AggregationEvent",
            "eventID": "urn:uuid:0b8cbd42-33ad-4a3c-9a47-7f3b0e2e1a11",
            "eventTime": "2026-11-24T10:00:00Z",
            "eventTimeZoneOffset": "+01:00",
            "parentID": "urn:epc:id:sscc:0614141.1234567890",
            "childEPCs": ["urn:epc:id:sgtin:0614141.107346.2017"],
            "action": "ADD",
        }
        no_time = copy.deepcopy(good)
        del no_time["eventTime"]
        no_time["eventID"] = "urn:uuid:no-time"
        bad_action = dict(good, action="MOVE", eventID="urn:uuid:bad-action")
        bad_offset = dict(good, eventTimeZoneOffset="-6", eventID="urn:uuid:bad-tz")
        bad_place = dict(good, readPoint="urn:epc:id:sgln:0614141.07346.1234")
        bad_place["eventID"] = "urn:uuid:bad-place"
        nothing = dict(good, eventID="urn:uuid:nothing")
        del nothing["epcList"]
        correction = dict(
            good,
            eventID="urn:uuid:correction",
            errorDeclaration={"declarationTime": "2026-11-24T10:00:00Z"},
        )
        document["epcisBody"]["eventList"] = [
            aggregation,
            good,
            no_time,
            "ObjectEvent",
            bad_action,
            bad_offset,
            bad_place,
            nothing,
            correction,
            {"eventTime": "2026-11-24T10:00:00Z"},
            dict(good, eventTime=1764000000, eventID="urn:uuid:epoch"),
        ]
        batch = rf.parse_epcis_document(json.dumps(document))
        self.assertEqual(
            [read["code"] for read in batch["reads"]],
            [
                "urn:epc:id:sgtin:0614141.107346.2017",
                "urn:epc:id:sgtin:0614141.107346.2018",
            ],
        )
        self.assertEqual(batch["events"], 11)
        self.assertEqual(
            batch["problems"],
            [
                {
                    "index": 0,
                    "event_id": "urn:uuid:0b8cbd42-33ad-4a3c-9a47-7f3b0e2e1a11",
                    "type": "AggregationEvent",
                    "message": "AggregationEvent is not captured here: only "
                    "ObjectEvent is supported",
                },
                {
                    "index": 2,
                    "event_id": "urn:uuid:no-time",
                    "type": "ObjectEvent",
                    "message": '"eventTime" is missing',
                },
                {
                    "index": 3,
                    "event_id": None,
                    "type": None,
                    "message": "event must be a JSON object, got a string",
                },
                {
                    "index": 4,
                    "event_id": "urn:uuid:bad-action",
                    "type": "ObjectEvent",
                    "message": "\"action\" must be ADD, OBSERVE or DELETE, got 'MOVE'",
                },
                {
                    "index": 5,
                    "event_id": "urn:uuid:bad-tz",
                    "type": "ObjectEvent",
                    "message": '"eventTimeZoneOffset" must look like "+02:00", '
                    "got '-6'",
                },
                {
                    "index": 6,
                    "event_id": "urn:uuid:bad-place",
                    "type": "ObjectEvent",
                    "message": '"readPoint" must be an object with a string "id"',
                },
                {
                    "index": 7,
                    "event_id": "urn:uuid:nothing",
                    "type": "ObjectEvent",
                    "message": 'an ObjectEvent needs "epcList" or "quantityList"',
                },
                {
                    "index": 8,
                    "event_id": "urn:uuid:correction",
                    "type": "ObjectEvent",
                    "message": "error declarations (corrections of earlier events) "
                    "are not supported",
                },
                {
                    "index": 9,
                    "event_id": None,
                    "type": None,
                    "message": '"type" is missing',
                },
                {
                    "index": 10,
                    "event_id": "urn:uuid:epoch",
                    "type": "ObjectEvent",
                    "message": '"eventTime" is not a date-time: 1764000000',
                },
            ],
        )

    def test_biz_step_to_mode_and_common_location(self):
        document = self._document()
        events = document["epcisBody"]["eventList"]
        events[0]["bizStep"] = "urn:epcglobal:cbv:bizstep:cycle_counting"
        events[1]["bizStep"] = "https://ref.gs1.org/cbv/BizStep-stock_taking"
        for event in events:
            event["bizLocation"] = {"id": "urn:epc:id:sgln:0614141.07346.0"}
        batch = rf.parse_epcis_document(json.dumps(document).encode())
        self.assertEqual({read["mode"] for read in batch["reads"]}, {"audit"})
        self.assertEqual(batch["mode"], "audit")
        self.assertEqual(
            batch["reads"][0]["biz_step"], "urn:epcglobal:cbv:bizstep:cycle_counting"
        )
        self.assertEqual(batch["location"], "urn:epc:id:sgln:0614141.07346.0")
        events[1]["bizStep"] = "departing"
        batch = rf.parse_epcis_document(json.dumps(document))
        self.assertEqual(
            [read["mode"] for read in batch["reads"]], ["audit", "audit", "observe"]
        )
        self.assertNotIn("mode", batch)  # mixed: the per-read mode decides

    def test_event_time_without_offset_takes_the_event_zone(self):
        document = self._document()
        event = document["epcisBody"]["eventList"][1]
        event["eventTime"] = "2026-11-24T11:00:00.250"
        event["eventTimeZoneOffset"] = "+01:00"
        batch = rf.parse_epcis_document(json.dumps(document))
        self.assertEqual(batch["reads"][2]["timestamp"], "2026-11-24T10:00:00.250Z")
        self.assertNotIn("timestamp_error", batch["reads"][2])

    def test_digital_link_epc_becomes_element_string(self):
        document = self._document()
        event = document["epcisBody"]["eventList"][1]
        event["epcList"] = ["https://id.gs1.org/01/09521234543213/21/A%2F1"]
        batch = rf.parse_epcis_document(json.dumps(document))
        self.assertEqual(batch["reads"][2]["code"], "(01)09521234543213(21)A/1")
        self.assertEqual(
            batch["reads"][2]["source_code"],
            "https://id.gs1.org/01/09521234543213/21/A%2F1",
        )

    def test_document_errors(self):
        base = self._document()

        def variant(**changes):
            document = copy.deepcopy(base)
            for key, value in changes.items():
                if value is None:
                    document.pop(key, None)
                else:
                    document[key] = value
            return json.dumps(document)

        cases = [
            (b"", "invalid_json", "empty body: expected an EPCIS 2.0 EPCISDocument"),
            (
                b"[]",
                "bad_request",
                "EPCIS document must be a JSON object, got an array",
            ),
            (
                variant(type=None),
                "bad_request",
                'EPCIS document: "type" is missing (expected "EPCISDocument")',
            ),
            (
                variant(type="EPCISQueryDocument"),
                "bad_request",
                'EPCIS document: "type" must be "EPCISDocument", '
                "got 'EPCISQueryDocument'",
            ),
            (
                variant(schemaVersion=None),
                "bad_request",
                'EPCIS document: "schemaVersion" is missing',
            ),
            (
                variant(schemaVersion="1.2"),
                "bad_request",
                'EPCIS document: schemaVersion "1.2" is not supported '
                "(this endpoint reads EPCIS 2.0 JSON / JSON-LD)",
            ),
            (
                variant(creationDate=None),
                "bad_request",
                'EPCIS document: "creationDate" is missing',
            ),
            (
                variant(creationDate="2005-07-11T11:30:47"),
                "bad_request",
                "EPCIS document: \"creationDate\" '2005-07-11T11:30:47': "
                "timestamp without time zone",
            ),
            (
                variant(epcisBody={"events": []}),
                "bad_request",
                'EPCIS document: "epcisBody.eventList" is missing',
            ),
            (
                variant(epcisBody={"eventList": {}}),
                "bad_request",
                'EPCIS document: "epcisBody.eventList" must be an array',
            ),
            (
                variant() + variant(),
                "bad_request",
                "expected one EPCISDocument, got 2 JSON values back to back",
            ),
        ]
        self.assertRefusedBodies(rf.parse_epcis_document, cases)


@tagged("post_install", "-at_install")
class TestReaderFormatHelpers(BaseCase):
    def test_canonical_batch_id(self):
        body = b'{"data": {"idHex": "3474257bf40000000000162e"}}'
        expected = "zebra:" + hashlib.sha256(body).hexdigest()[:32]
        self.assertEqual(rf.canonical_batch_id("zebra", body), expected)
        self.assertEqual(
            rf.canonical_batch_id("impinj", b""),
            "impinj:e3b0c44298fc1c149afbf4c8996fb924",
        )
        # text bodies hash as their UTF-8 bytes
        self.assertEqual(rf.canonical_batch_id("zebra", body.decode()), expected)
        self.assertNotEqual(rf.canonical_batch_id("zebra", body + b"\n"), expected)

    def test_normalize_timestamp(self):
        cases = {
            "2026-11-24T10:00:00.120+0000": ("2026-11-24T10:00:00.120Z", None),
            "2026-11-24T10:00:00.120Z": ("2026-11-24T10:00:00.120Z", None),
            "2026-11-24 12:00:00+02:00": ("2026-11-24T10:00:00Z", None),
            "2026-11-24T00:30:00.5+03": ("2026-11-23T21:30:00.500Z", None),
            "2026-11-24T10:00:00.1234567Z": ("2026-11-24T10:00:00.123456Z", None),
            "2026-11-24T10:00:00": ("2026-11-24T10:00:00", rf.TZ_MISSING),
            "2026-02-30T10:00:00Z": ("2026-02-30T10:00:00Z", rf.INVALID_TIMESTAMP),
            "2026-11-24T10:00:00+25:00": (
                "2026-11-24T10:00:00+25:00",
                rf.INVALID_TIMESTAMP,
            ),
            1764000000: ("2025-11-24T16:00:00Z", None),
            1764000000120: ("2025-11-24T16:00:00.120Z", None),
            None: (None, None),
        }
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.assertEqual(rf.normalize_timestamp(value), expected)
        self.assertEqual(rf.TZ_MISSING, "timestamp without time zone")

    def test_biz_step_to_mode(self):
        self.assertEqual(rf.biz_step_to_mode("cycle_counting"), "audit")
        self.assertEqual(rf.biz_step_to_mode("inventory_checking"), "audit")
        self.assertEqual(
            rf.biz_step_to_mode("urn:epcglobal:cbv:bizstep:stock_taking"), "audit"
        )
        self.assertEqual(rf.biz_step_to_mode("shipping"), "observe")
        self.assertEqual(rf.biz_step_to_mode("departing"), "observe")
        self.assertEqual(rf.biz_step_to_mode(None), "observe")
        self.assertIn(rf.biz_step_to_mode("cycle_counting"), rf.MODES)

    def test_sgln_to_gln(self):
        self.assertEqual(
            rf.sgln_to_gln("urn:epc:id:sgln:0614141.07346.1234"),
            {"gln": "0614141073467", "extension": "1234"},
        )
        self.assertEqual(
            rf.sgln_to_gln("urn:epc:id:sgln:0614141.00777.0"),
            {"gln": "0614141007776", "extension": None},
        )
        self.assertIsNone(rf.sgln_to_gln("urn:epc:id:sgtin:0614141.107346.2017"))

    def test_digital_link_to_gs1(self):
        self.assertEqual(
            rf.digital_link_to_gs1(
                "https://example.com/shop/01/09521234543213/10/ABC/21/12345?17=261231"
            ),
            "(01)09521234543213(10)ABC(21)12345(17)261231",
        )
        # GS1 Digital Link: a GTIN has its 14 digits (a shortened one is refused)
        self.assertIsNone(
            rf.digital_link_to_gs1("https://example.com/shop/01/9521234543213")
        )
        self.assertEqual(
            rf.digital_link_to_gs1("https://id.gs1.org/8004/0614141ABC123"),
            "(8004)0614141ABC123",
        )
        self.assertIsNone(rf.digital_link_to_gs1("https://example.com/about"))
        self.assertIsNone(rf.digital_link_to_gs1("urn:epc:id:giai:0614141.5678"))


@tagged("post_install", "-at_install")
class TestOpenApiDocument(BaseCase):
    """docs/openapi.yaml: valid OpenAPI 3, every route of the contract, error
    codes as listed, strict answers, and examples that match their schemas."""

    ROUTES = {
        "/api/asset-tracking/v1/batches": "post",
        "/api/asset-tracking/v1/batches/{batch_id}": "get",
        "/api/asset-tracking/v1/readers/{device}/zebra": "post",
        "/api/asset-tracking/v1/readers/{device}/impinj": "post",
        "/api/asset-tracking/v1/epcis/capture": "post",
        "/api/asset-tracking/v1/epcis/events": "get",
        "/api/asset-tracking/v1/lookup": "get",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        path = Path(__file__).resolve().parents[1] / "docs" / "openapi.yaml"
        with path.open(encoding="utf-8") as document:
            cls.spec = yaml.safe_load(document)

    def _resolve(self, node):
        while isinstance(node, dict) and "$ref" in node:
            target = self.spec
            for part in node["$ref"][2:].split("/"):
                target = target[part]
            node = target
        return node

    def test_valid_openapi(self):
        try:
            from openapi_spec_validator import validate
        except ImportError:
            self.skipTest("openapi-spec-validator is not installed")
        validate(self.spec)  # raises on an invalid document

    def test_every_route_and_answer(self):
        paths = self.spec["paths"]
        for route, method in self.ROUTES.items():
            with self.subTest(route=route):
                self.assertIn(method, paths.get(route, {}))
        posts = [
            "/api/asset-tracking/v1/batches",
            "/api/asset-tracking/v1/readers/{device}/zebra",
            "/api/asset-tracking/v1/readers/{device}/impinj",
        ]
        for route in posts:
            answers = paths[route]["post"]["responses"]
            self.assertLessEqual(
                {"200", "202", "400", "401", "403", "404", "409", "413"}, set(answers)
            )
        unauthorized = self._resolve(
            paths["/api/asset-tracking/v1/batches"]["post"]["responses"]["401"]
        )
        self.assertIn("WWW-Authenticate", unauthorized["headers"])
        capture = paths["/api/asset-tracking/v1/epcis/capture"]["post"]["responses"]
        self.assertIn("Location", capture["202"]["headers"])
        scheme = self.spec["components"]["securitySchemes"]["odooApiKey"]
        self.assertEqual((scheme["type"], scheme["scheme"]), ("http", "bearer"))
        self.assertEqual(self.spec["security"], [{"odooApiKey": []}])

    def test_error_codes_and_strict_answers(self):
        schemas = self.spec["components"]["schemas"]
        codes = schemas["Error"]["properties"]["error"]["properties"]["code"]["enum"]
        self.assertEqual(
            set(codes),
            {
                "bad_request",
                "invalid_json",
                "unsupported_media_type",
                "missing_field",
                "unauthorized",
                "forbidden",
                "not_found",
                "unknown_device",
                "batch_conflict",
                "payload_too_large",
                "mode_not_available",
                "method_not_allowed",
                "internal_error",
                "too_many_reads",
            },
        )
        for name in (
            "Error",
            "ReadResult",
            "BatchAnswer",
            "LookupResult",
            "CaptureJob",
        ):
            with self.subTest(schema=name):
                self.assertIs(schemas[name]["additionalProperties"], False)
        self.assertEqual(
            schemas["ReadResult"]["properties"]["status"]["enum"],
            ["matched", "unknown", "invalid"],
        )
        self.assertEqual(
            schemas["BatchAnswer"]["properties"]["status"]["enum"],
            ["received", "queued", "processing", "done", "failed"],
        )
        self.assertEqual(
            schemas["Mode"]["enum"], ["observe", "audit", "checkout", "checkin", "use"]
        )

    def test_examples_match_their_schemas(self):
        try:
            from openapi_schema_validator import OAS30Validator
        except ImportError:
            self.skipTest("openapi-schema-validator is not installed")
        components = self.spec["components"]
        checked = 0
        for route, item in self.spec["paths"].items():
            for operation in item.values():
                bodies = []
                if "requestBody" in operation:
                    bodies.append(self._resolve(operation["requestBody"]))
                bodies += [self._resolve(r) for r in operation["responses"].values()]
                for body in bodies:
                    for media_type, media in body.get("content", {}).items():
                        examples = [
                            self._resolve(example)["value"]
                            for example in media.get("examples", {}).values()
                        ]
                        if "example" in media:
                            examples.append(media["example"])
                        validator = OAS30Validator(
                            {"allOf": [media["schema"]], "components": components}
                        )
                        for example in examples:
                            checked += 1
                            with self.subTest(route=route, media_type=media_type):
                                errors = [
                                    e.message for e in validator.iter_errors(example)
                                ]
                                self.assertEqual(errors, [])
        self.assertGreater(checked, 20)
        # and the strict schemas do refuse what they should
        answer = OAS30Validator(
            {"$ref": "#/components/schemas/BatchAnswer", "components": components}
        )
        self.assertFalse(
            answer.is_valid(answer_without_results("b", "done", 0, unexpected=1))
        )
