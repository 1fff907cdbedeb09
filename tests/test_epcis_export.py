# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""EPCIS 2.0 export: the pure document builder, the events the ORM reads, the
download wizard, the ``GET .../epcis/events`` route and the capture job status.

Every exported document is validated against GS1's EPCIS 2.0 JSON Schema
(``shared/epcis/json-schema/EPCIS-JSON-Schema.json`` beside the repository,
never copied into it), with its ``uri`` and ``date-time`` formats checked.
"""

import base64
import json
import re
import uuid
from datetime import datetime
from unittest import SkipTest

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, tagged

from ..tools import epc as epc_lib
from ..tools import epcis_export
from .epcis_common import shared_epcis_folder
from .installed_base_common import InstalledBaseCommon
from .scan_common import ScanApiCommon, epcis_json_document

CONTEXT = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"sat": "https://github.com/stock-asset-tracking/stock_asset_tracking/epcis/"},
]
BASE_URL = "https://assets.example.com"
GLN_SHELF = "0614141000012"
# RFC 3986: a scheme, then no blank nor character a URI never holds unescaped
_URI_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def _epcis_folder():
    """shared/epcis with its json-schema folder, or None."""
    return shared_epcis_folder("json-schema")


def _is_uri(value):
    if not isinstance(value, str):
        return True
    return bool(_URI_RE.fullmatch(value)) and all(
        re.fullmatch(r"%[0-9A-Fa-f]{2}", escape)
        for escape in re.findall(r"%.{0,2}", value)
    )


class EpcisSchemaMixin:
    """``assertValidEpcis``: the document validates against GS1's JSON Schema."""

    _epcis_validator = None

    @classmethod
    def _validator(cls):
        if EpcisSchemaMixin._epcis_validator is None:
            import jsonschema

            folder = _epcis_folder()
            if folder is None:
                raise SkipTest(
                    "shared/epcis/json-schema (GS1 EPCIS 2.0 JSON Schema) not found "
                    "in any parent folder of the addon, nor in $SAT_SHARED_DIR"
                )
            schema = json.loads(
                (folder / "json-schema" / "EPCIS-JSON-Schema.json").read_text()
            )
            checker = jsonschema.FormatChecker()
            checker.checks("uri")(_is_uri)
            EpcisSchemaMixin._epcis_validator = jsonschema.Draft7Validator(
                schema, format_checker=checker
            )
        return EpcisSchemaMixin._epcis_validator

    def epcis_errors(self, document):
        return [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in self._validator().iter_errors(document)
        ]

    def assertValidEpcis(self, document):
        self.assertEqual(self.epcis_errors(document), [], "not a valid EPCIS 2.0 doc")


@tagged("post_install", "-at_install")
class TestEpcisExportTools(EpcisSchemaMixin, BaseCase):
    """tools/epcis_export.py: identifiers, times and the document, no ORM."""

    config = epcis_export.ExportConfig(
        base_url=BASE_URL, namespace=uuid.UUID(int=7), timezone="Europe/Brussels"
    )
    linked = epcis_export.ExportConfig(
        base_url=BASE_URL,
        namespace=uuid.UUID(int=7),
        digital_link="https://id.example.com/",
    )

    @staticmethod
    def uuid5(name):
        return f"urn:uuid:{uuid.uuid5(uuid.UUID(int=7), name)}"

    def test_asset_uri(self):
        giai96 = epc_lib.encode(
            "giai-96", "0614141", filter=3, asset_reference="5678"
        )  # 3474257BF40000000000162E
        sgtin = epc_lib.encode(
            "sgtin-96", "0614141", filter=1, item_reference="812345", serial="6789"
        )
        cases = [
            # (code, epc, prefix) -> (EPC URI, Digital Link)
            (
                ("A-1", giai96, None),
                "urn:epc:id:giai:0614141.5678",
                "https://id.example.com/8004/06141415678",
            ),
            (
                ("A-1", sgtin, "4012345"),
                "urn:epc:id:sgtin:0614141.812345.6789",
                "https://id.example.com/01/80614141123458/21/6789",
            ),
            # no EPC: the GIAI of the company prefix and the tag
            (
                ("IB/0001", None, "0614141"),
                "urn:epc:id:giai:0614141.IB%2F0001",
                "https://id.example.com/8004/0614141IB%2F0001",
            ),
            # a raw (non GS1) EPC is no identity either
            (
                ("T-7", "E2801160600002054E5E1A2B", "0614141"),
                "urn:epc:id:giai:0614141.T-7",
                "https://id.example.com/8004/0614141T-7",
            ),
            # no GIAI possible: a blank, no prefix, or over 30 characters
            (
                ("T 7", None, "0614141"),
                f"{BASE_URL}/asset-tracking/asset/T%207",
                f"{BASE_URL}/asset-tracking/asset/T%207",
            ),
            (
                ("T-7", None, None),
                f"{BASE_URL}/asset-tracking/asset/T-7",
                f"{BASE_URL}/asset-tracking/asset/T-7",
            ),
            (
                ("X" * 24, None, "0614141"),
                f"{BASE_URL}/asset-tracking/asset/{'X' * 24}",
                f"{BASE_URL}/asset-tracking/asset/{'X' * 24}",
            ),
        ]
        for args, uri, link in cases:
            with self.subTest(args=args):
                self.assertEqual(epcis_export.asset_uri(*args, self.config), uri)
                self.assertEqual(epcis_export.asset_uri(*args, self.linked), link)

    def test_location_uri(self):
        uri = epcis_export.location_uri
        self.assertEqual(
            uri(5, GLN_SHELF, "0614141", self.config),
            "urn:epc:id:sgln:0614141.00001.0",
        )
        # another company's GLN: the company prefix length is unknown
        self.assertEqual(
            uri(5, "4012345000009", "0614141", self.config),
            "https://id.gs1.org/414/4012345000009",
        )
        self.assertEqual(
            uri(5, GLN_SHELF, None, self.config),
            "https://id.gs1.org/414/0614141000012",
        )
        self.assertEqual(
            uri(5, GLN_SHELF, "0614141", self.linked),
            "https://id.example.com/414/0614141000012",
        )
        self.assertEqual(
            uri(5, None, "0614141", self.config),
            f"{BASE_URL}/asset-tracking/location/5",
        )

    def test_times(self):
        self.assertEqual(
            epcis_export.format_time(datetime(2026, 3, 29, 0, 59, 59, 999999)),
            "2026-03-29T00:59:59.999Z",
        )
        offset = epcis_export.time_zone_offset
        # daylight saving time starts at 01:00 UTC on 2026-03-29 in Brussels
        self.assertEqual(
            offset(datetime(2026, 3, 29, 0, 59), "Europe/Brussels"), "+01:00"
        )
        self.assertEqual(
            offset(datetime(2026, 3, 29, 1, 0), "Europe/Brussels"), "+02:00"
        )
        self.assertEqual(offset(datetime(2026, 1, 1), "America/St_Johns"), "-03:30")
        self.assertEqual(offset(datetime(2026, 1, 1), "Nowhere/Atlantis"), "+00:00")
        parse = epcis_export.parse_time
        self.assertEqual(parse("2026-11-01"), datetime(2026, 11, 1))
        self.assertEqual(
            parse("2026-11-01T01:30:00+01:00"), datetime(2026, 11, 1, 0, 30)
        )
        self.assertEqual(parse("2026-11-01T00:30:00Z"), datetime(2026, 11, 1, 0, 30))
        for bad in ("2026-11-01T00:00:00", "yesterday", "2026-13-01"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                parse(bad)

    def test_document(self):
        assets = {
            1: {"code": "A-1", "epc": "3474257BF40000000000162E"},
            2: {"code": "A-2", "epc": None, "company_prefix": "0614141"},
        }
        locations = {
            10: {"gln": GLN_SHELF, "company_prefix": "0614141"},
            11: {"gln": None, "company_prefix": "0614141"},
        }
        at = datetime(2026, 7, 1, 8, 0)
        events = [
            {
                "kind": "checkout",
                "record_id": 4,
                "time": at,
                "asset_id": 1,
                "read_point_id": 10,
                "biz_location_id": 11,
            },
            {
                "kind": "checkin",
                "record_id": 4,
                "time": at,
                "asset_id": 1,
                "read_point_id": 10,
                "biz_location_id": 10,
            },
            {
                "kind": "delivery",
                "record_id": 9,
                "time": datetime(2026, 6, 1),
                "asset_id": 2,
                "read_point_id": 11,
                "reference": "WH/OUT/00001",
            },
        ]
        document = epcis_export.build_document(
            events, assets, locations, self.config, datetime(2026, 7, 2, 12, 0)
        )
        self.assertEqual(
            document,
            {
                "@context": CONTEXT,
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2026-07-02T12:00:00.000Z",
                "epcisBody": {
                    "eventList": [
                        {
                            "type": "ObjectEvent",
                            "eventID": self.uuid5("delivery:9"),
                            "eventTime": "2026-06-01T00:00:00.000Z",
                            "eventTimeZoneOffset": "+02:00",
                            "epcList": ["urn:epc:id:giai:0614141.A-2"],
                            "action": "OBSERVE",
                            "bizStep": "shipping",
                            "disposition": "in_transit",
                            "readPoint": {
                                "id": f"{BASE_URL}/asset-tracking/location/11"
                            },
                            "sat:reference": "WH/OUT/00001",
                        },
                        # at the same instant, the check-in comes first
                        {
                            "type": "ObjectEvent",
                            "eventID": self.uuid5("checkin:4"),
                            "eventTime": "2026-07-01T08:00:00.000Z",
                            "eventTimeZoneOffset": "+02:00",
                            "epcList": ["urn:epc:id:giai:0614141.5678"],
                            "action": "OBSERVE",
                            "bizStep": "arriving",
                            "disposition": "available",
                            "readPoint": {"id": "urn:epc:id:sgln:0614141.00001.0"},
                            "bizLocation": {"id": "urn:epc:id:sgln:0614141.00001.0"},
                        },
                        {
                            "type": "ObjectEvent",
                            "eventID": self.uuid5("checkout:4"),
                            "eventTime": "2026-07-01T08:00:00.000Z",
                            "eventTimeZoneOffset": "+02:00",
                            "epcList": ["urn:epc:id:giai:0614141.5678"],
                            "action": "OBSERVE",
                            "bizStep": "departing",
                            "disposition": "in_progress",
                            "readPoint": {"id": "urn:epc:id:sgln:0614141.00001.0"},
                            "bizLocation": {
                                "id": f"{BASE_URL}/asset-tracking/location/11"
                            },
                        },
                    ]
                },
            },
        )
        self.assertValidEpcis(document)
        empty = epcis_export.build_document(
            [], {}, {}, self.config, datetime(2026, 1, 1)
        )
        self.assertValidEpcis(empty)

    def test_schema_refuses_what_gs1_refuses(self):
        """The check bites: CBV URNs, a missing offset, a non-URI EPC fail."""
        event = {
            "type": "ObjectEvent",
            "eventTime": "2026-07-01T08:00:00.000Z",
            "eventTimeZoneOffset": "+02:00",
            "epcList": ["urn:epc:id:giai:0614141.5678"],
            "action": "OBSERVE",
        }
        document = epcis_export.build_document([], {}, {}, self.config, datetime.now())
        for broken, expected in (
            ({"bizStep": "urn:epcglobal:cbv:bizstep:departing"}, "bizStep"),
            ({"eventTimeZoneOffset": None}, "eventTimeZoneOffset"),
            ({"epcList": ["A-00001 drill"]}, "epcList/0"),
        ):
            with self.subTest(broken=broken):
                wrong = {k: v for k, v in {**event, **broken}.items() if v is not None}
                document["epcisBody"]["eventList"] = [event, wrong]
                errors = self.epcis_errors(document)
                self.assertTrue(errors)
                self.assertTrue(
                    all(error.startswith("epcisBody/eventList/1") for error in errors),
                    errors,
                )
                self.assertIn(expected, " ".join(errors))


@tagged("post_install", "-at_install")
class TestEpcisExport(EpcisSchemaMixin, InstalledBaseCommon):
    """The events of assets, read from the ledgers, and the download wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", BASE_URL)
        cls.company_a.asset_gs1_company_prefix = "0614141"
        cls.company_a.partner_id.tz = "Europe/Brussels"
        cls.shelf_a.gln = GLN_SHELF
        cls.van = cls._location("Van 1", cls.stock_a)
        cls.drill = cls._asset(
            name="Drill",
            code="T-0001",
            epc=epc_lib.encode("giai-96", "0614141", filter=3, asset_reference="5001"),
            location_id=cls.shelf_a.id,
        )
        cls.meter = cls._asset(name="Meter", code="T-0002", location_id=cls.shelf_a.id)
        cls.other = cls._asset(
            name="Drill B",
            code="B-0001",
            company_id=cls.company_b.id,
            location_id=cls.stock_b.id,
        )
        (cls.drill | cls.meter | cls.other).action_confirm()
        with freeze_time("2026-11-02 08:00:00"):
            cls.drill.action_checkout(cls.holder_a, location_to=cls.van)
            cls.other.action_checkout(cls.holder_b)
        with freeze_time("2026-11-03 16:30:00"):
            cls.drill.action_checkin(location=cls.shelf_a)
        with freeze_time("2026-11-04 09:00:00"):
            cls.audit = cls.env["stock.asset.audit"].create(
                {
                    "location_ids": [(6, 0, cls.stock_a.ids)],
                    "company_id": cls.company_a.id,
                }
            )
            cls.audit.action_start()
            cls.audit._record_scans(
                [
                    {
                        "code": "T-0002",
                        "asset_id": cls.meter.id,
                        "location_id": cls.shelf_a.id,
                        "seen": datetime(2026, 11, 4, 9, 15),
                    }
                ]
            )
        batch = cls.env["stock.asset.scan.batch"].create(
            {"name": "reader-7/000123", "company_id": cls.company_a.id, "state": "done"}
        )
        common = {
            "batch_id": batch.id,
            "company_id": cls.company_a.id,
            "status": "matched",
            "asset_id": cls.drill.id,
            "code": "T-0001",
        }
        cls.seen, cls.moved, _audit_scan = cls.env["stock.asset.observation"].create(
            [
                dict(
                    common,
                    mode="observe",
                    location_id=cls.shelf_a.id,
                    last_seen=datetime(2026, 11, 5, 10, 0),
                ),
                dict(
                    common,
                    mode="observe",
                    location_id=cls.van.id,
                    moved=True,
                    last_seen=datetime(2026, 11, 5, 11, 0),
                ),
                # written with the audit line: exported as the audit's event
                dict(
                    common,
                    mode="audit",
                    location_id=cls.shelf_a.id,
                    last_seen=datetime(2026, 11, 5, 12, 0),
                ),
            ]
        )
        cls.lot = cls._lots("P-9001")
        with freeze_time("2026-11-06 14:00:00"):
            cls.delivery = cls._deliver(cls.lot, cls.acme)
        cls.pump = cls._item(cls.lot)
        cls.pump.code = "IB/0001"
        with freeze_time("2026-11-07 15:00:00"):
            cls.return_picking = cls._return(cls.delivery)
        cls.namespace = uuid.UUID(
            cls.env["ir.config_parameter"].sudo().get_param("database.uuid")
        )

    def event_id(self, kind, record):
        return f"urn:uuid:{uuid.uuid5(self.namespace, f'{kind}:{record.id}')}"

    def place(self, location):
        return f"{BASE_URL}/asset-tracking/location/{location.id}"

    def export(self, assets=None, date_from=None, date_to=None, user=None):
        Export = self.env["stock.asset.epcis.export"].with_user(user or self.user_a)
        with freeze_time("2026-11-24 12:00:00"):
            document = Export._export_document(assets, date_from, date_to)
        self.assertValidEpcis(document)
        return document

    def test_events_of_every_source(self):
        custody = self.drill.custody_ids
        line = self.audit.line_ids.filtered(lambda line: line.asset_id == self.meter)
        out_line = self.delivery.move_line_ids
        back_line = self.return_picking.move_line_ids
        shelf = "urn:epc:id:sgln:0614141.00001.0"
        drill = "urn:epc:id:giai:0614141.5001"
        pump = "urn:epc:id:giai:0614141.IB%2F0001"
        common = {
            "type": "ObjectEvent",
            "action": "OBSERVE",
            "eventTimeZoneOffset": "+01:00",
        }
        document = self.export()
        self.assertEqual(document["creationDate"], "2026-11-24T12:00:00.000Z")
        self.assertEqual(document["@context"], CONTEXT)
        self.assertEqual(
            document["epcisBody"]["eventList"],
            [
                dict(
                    common,
                    eventID=self.event_id("checkout", custody),
                    eventTime="2026-11-02T08:00:00.000Z",
                    epcList=[drill],
                    bizStep="departing",
                    disposition="in_progress",
                    readPoint={"id": shelf},
                    bizLocation={"id": self.place(self.van)},
                ),
                dict(
                    common,
                    eventID=self.event_id("checkin", custody),
                    eventTime="2026-11-03T16:30:00.000Z",
                    epcList=[drill],
                    bizStep="arriving",
                    disposition="available",
                    readPoint={"id": shelf},
                    bizLocation={"id": shelf},
                ),
                dict(
                    common,
                    eventID=self.event_id("audit", line),
                    eventTime="2026-11-04T09:15:00.000Z",
                    epcList=["urn:epc:id:giai:0614141.T-0002"],
                    bizStep="cycle_counting",
                    readPoint={"id": shelf},
                    bizLocation={"id": shelf},
                    **{"sat:reference": self.audit.name},
                ),
                dict(
                    common,
                    eventID=self.event_id("observation", self.seen),
                    eventTime="2026-11-05T10:00:00.000Z",
                    epcList=[drill],
                    readPoint={"id": shelf},
                    **{"sat:reference": "reader-7/000123"},
                ),
                dict(
                    common,
                    eventID=self.event_id("arrival", self.moved),
                    eventTime="2026-11-05T11:00:00.000Z",
                    epcList=[drill],
                    bizStep="arriving",
                    readPoint={"id": self.place(self.van)},
                    bizLocation={"id": self.place(self.van)},
                    **{"sat:reference": "reader-7/000123"},
                ),
                dict(
                    common,
                    eventID=self.event_id("delivery", out_line),
                    eventTime="2026-11-06T14:00:00.000Z",
                    epcList=[pump],
                    bizStep="shipping",
                    disposition="in_transit",
                    readPoint={"id": self.place(self.stock_a)},
                    **{"sat:reference": self.delivery.name},
                ),
                dict(
                    common,
                    eventID=self.event_id("return", back_line),
                    eventTime="2026-11-07T15:00:00.000Z",
                    epcList=[pump],
                    bizStep="receiving",
                    disposition="returned",
                    readPoint={"id": self.place(back_line.location_dest_id)},
                    bizLocation={"id": self.place(back_line.location_dest_id)},
                    **{"sat:reference": self.return_picking.name},
                ),
            ],
        )
        # the same events keep their ids in the next export
        self.assertEqual(self.export(), document)

    def test_range_and_asset(self):
        def times(document):
            return [e["eventTime"] for e in document["epcisBody"]["eventList"]]

        # from included, to excluded
        self.assertEqual(
            times(
                self.export(
                    None, datetime(2026, 11, 3, 16, 30), datetime(2026, 11, 5, 11, 0)
                )
            ),
            [
                "2026-11-03T16:30:00.000Z",
                "2026-11-04T09:15:00.000Z",
                "2026-11-05T10:00:00.000Z",
            ],
        )
        self.assertEqual(times(self.export(self.meter)), ["2026-11-04T09:15:00.000Z"])
        self.assertEqual(times(self.export(self.meter, datetime(2026, 11, 5))), [])

    def test_other_company_is_invisible(self):
        everything = self.export()
        events = everything["epcisBody"]["eventList"]
        self.assertNotIn(
            f"{BASE_URL}/asset-tracking/asset/B-0001",
            [epc for event in events for epc in event["epcList"]],
        )
        self.assertEqual(len(events), 7)
        # company B's user sees its own check-out only
        b_events = self.export(user=self.user_b)["epcisBody"]["eventList"]
        self.assertEqual(
            [(e["epcList"], e["bizStep"]) for e in b_events],
            [([f"{BASE_URL}/asset-tracking/asset/B-0001"], "departing")],
        )

    def test_digital_link_when_configured(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.epcis_digital_link", "https://id.example.com"
        )
        events = self.export(self.drill)["epcisBody"]["eventList"]
        self.assertEqual(
            {epc for event in events for epc in event["epcList"]},
            {"https://id.example.com/8004/06141415001"},
        )
        self.assertEqual(
            events[0]["readPoint"], {"id": "https://id.example.com/414/0614141000012"}
        )

    def test_gln_is_checked(self):
        for bad in ("0614141000013", "614141000012", "061414100001A"):
            with (
                self.subTest(gln=bad),
                self.assertRaisesRegex(
                    ValidationError,
                    rf"GLN of .*Van 1: {bad} is not a GS1 Global Location",
                ),
            ):
                self.van.gln = bad

    def test_download_wizard(self):
        Wizard = self.env["stock.asset.epcis.export.download"].with_user(self.user_a)
        wizard = Wizard.with_context(
            active_model="stock.asset", active_ids=self.meter.ids
        ).create({})
        self.assertEqual(wizard.asset_ids, self.meter)
        with freeze_time("2026-11-24 12:00:00"):
            action = wizard.action_download()
        self.assertEqual(
            action["url"],
            f"/web/content/?model=stock.asset.epcis.export.download&id={wizard.id}"
            "&field=jsonld_file&filename_field=jsonld_filename&download=true",
        )
        self.assertRecordValues(
            wizard,
            [{"event_count": 1, "jsonld_filename": "EPCIS events T-0002.jsonld"}],
        )
        document = json.loads(base64.b64decode(wizard.jsonld_file))
        self.assertValidEpcis(document)
        self.assertEqual(
            document["epcisBody"]["eventList"][0]["epcList"],
            ["urn:epc:id:giai:0614141.T-0002"],
        )
        # no asset chosen: every asset of the company, over the range
        wizard = Wizard.create(
            {"date_from": datetime(2026, 11, 6), "date_to": datetime(2026, 11, 30)}
        )
        wizard.action_download()
        self.assertRecordValues(
            wizard,
            [{"event_count": 2, "jsonld_filename": "EPCIS events Asset Co A.jsonld"}],
        )
        with self.assertRaisesRegex(ValidationError, "From date must not be after"):
            Wizard.create(
                {"date_from": datetime(2026, 11, 6), "date_to": datetime(2026, 11, 5)}
            )


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestEpcisEventsApi(EpcisSchemaMixin, ScanApiCommon):
    """``GET .../epcis/events`` and ``GET .../epcis/capture/<id>`` over HTTP."""

    openapi_check = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", BASE_URL)
        cls.company_a.partner_id.tz = "Europe/Brussels"
        cls.holder = cls.env["res.partner"].create(
            {"name": "Jane Fitter", "company_id": cls.company_a.id}
        )
        drill, saw = cls.assets[:2]
        (drill | saw | cls.asset_b).action_confirm()
        with freeze_time("2026-11-10 07:00:00"):
            drill.action_checkout(cls.holder)
            cls.asset_b.action_checkout(
                cls.holder.copy({"company_id": cls.company_b.id})
            )
        with freeze_time("2026-11-12 18:00:00"):
            saw.action_checkout(cls.holder)
        cls.namespace = uuid.UUID(
            cls.env["ir.config_parameter"].sudo().get_param("database.uuid")
        )

    def events(self, params=None, key=None):
        status, body, _response = self.get("/epcis/events", key=key, params=params)
        if status == 200:
            self.assertValidEpcis(body)
        return status, body

    def test_events_of_one_asset(self):
        drill = self.assets[0]
        self.assertEqual(
            self.events({"asset": "A-00001"}),
            (
                200,
                {
                    "@context": CONTEXT,
                    "type": "EPCISDocument",
                    "schemaVersion": "2.0",
                    "creationDate": "2026-11-24T12:00:00.000Z",
                    "epcisBody": {
                        "eventList": [
                            {
                                "type": "ObjectEvent",
                                "eventID": "urn:uuid:"
                                + str(
                                    uuid.uuid5(
                                        self.namespace,
                                        f"checkout:{drill.custody_ids.id}",
                                    )
                                ),
                                "eventTime": "2026-11-10T07:00:00.000Z",
                                "eventTimeZoneOffset": "+01:00",
                                "epcList": ["urn:epc:id:giai:0614141.5001"],
                                "action": "OBSERVE",
                                "bizStep": "departing",
                                "disposition": "in_progress",
                                "readPoint": {
                                    "id": f"{BASE_URL}/asset-tracking/location/"
                                    f"{self.stock_a.id}"
                                },
                            }
                        ]
                    },
                },
            ),
        )
        # the asset by its EPC, as a handheld reads it
        status, by_epc = self.events({"asset": drill.epc})
        self.assertEqual((status, len(by_epc["epcisBody"]["eventList"])), (200, 1))

    def test_range_and_scope(self):
        def epcs(params, key=None):
            status, body = self.events(params, key)
            self.assertEqual(status, 200, body)
            return [e["epcList"][0] for e in body["epcisBody"]["eventList"]]

        drill, saw = "urn:epc:id:giai:0614141.5001", "urn:epc:id:giai:0614141.5002"
        self.assertEqual(epcs({}), [drill, saw])
        self.assertEqual(epcs({"from": "2026-11-11T00:00:00+01:00"}), [saw])
        self.assertEqual(epcs({"to": "2026-11-10T08:00:00+01:00"}), [])
        self.assertEqual(epcs({"from": "2026-11-10", "to": "2026-11-11"}), [drill])
        # company B's key sees company B's asset only
        self.assertEqual(epcs({}, key=self.key_b), ["urn:epc:id:giai:0614141.9001"])

    def test_errors(self):
        def error(params, key=None):
            status, body = self.events(params, key)
            return status, body["error"]["code"], body["error"]["message"]

        self.assertEqual(
            error({"from": "2026-11-01T00:00:00"}),
            (
                400,
                "bad_request",
                "parameter from: 2026-11-01T00:00:00 is not an ISO "
                "8601 date-time with a time zone (e.g. 2026-11-01T00:00:00Z)",
            ),
        )
        self.assertEqual(error({"to": "tomorrow"})[:2], (400, "bad_request"))
        self.assertEqual(
            error({"from": "2026-11-02", "to": "2026-11-01"}),
            (400, "bad_request", "parameter from is after parameter to"),
        )
        self.assertEqual(
            error({"asset": "NOPE-1"}), (404, "not_found", "no asset NOPE-1")
        )
        # another company's asset does not exist for this key
        self.assertEqual(error({"asset": "B-00001"})[:2], (404, "not_found"))
        self.assertEqual(error({}, key=self.key_no_right)[:2], (403, "forbidden"))
        self.assertEqual(error({}, key=False)[:2], (401, "unauthorized"))

    def test_capture_job_status(self):
        document = epcis_json_document(
            [
                {
                    "type": "ObjectEvent",
                    "action": "OBSERVE",
                    "epcList": ["urn:epc:id:giai:0614141.5003"],
                    "eventTime": "2026-11-24T10:00:00Z",
                    "eventTimeZoneOffset": "+01:00",
                },
                {
                    "type": "AggregationEvent",
                    "eventID": "urn:uuid:0b8c",
                    "eventTime": "2026-11-24T10:00:00Z",
                    "eventTimeZoneOffset": "+01:00",
                },
            ]
        )
        capture_id = "middleware-3/capture/0042"
        status, job, _r = self.post(
            "/epcis/capture", document, headers={"Idempotency-Key": capture_id}
        )
        self.assertEqual((status, job["success"], len(job["errors"])), (202, False, 1))
        path = "/epcis/capture/middleware-3%2Fcapture%2F0042"
        status, stored, _r = self.get(path)
        self.assertEqual(status, 200, stored)
        self.assertEqual(stored, dict(job, batch=dict(job["batch"], duplicate=False)))
        self.assertEqual(
            stored["errors"],
            [
                {
                    "type": "epcisException:ValidationException",
                    "title": "Event not captured",
                    "status": 400,
                    "detail": "AggregationEvent is not captured here: "
                    "only ObjectEvent is supported",
                    "eventIndex": 1,
                    "eventID": "urn:uuid:0b8c",
                    "eventType": "AggregationEvent",
                }
            ],
        )
        self.assertEqual(
            (stored["createdAt"], stored["finishedAt"], stored["running"]),
            ("2026-11-24T12:00:00Z", "2026-11-24T12:00:00Z", False),
        )
        # a native batch is no capture; company B's key does not see A's capture
        self.post("/batches", self.batch("native-1", ["A-00001"]))
        for other, key in ((path, self.key_b), ("/epcis/capture/native-1", None)):
            status, body, _r = self.get(other, key=key)
            self.assertEqual((status, body["error"]["code"]), (404, "not_found"))
