# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Unit tests of tools/epcis_xml.py: EPCIS 1.2 / 2.0 XML events -> reads, keys.

The two hashed events are the published examples of the EPCIS event hash
algorithm (CBV 2.0 §8.9; reference implementation RalphTro/epcis-event-hash-
generator, ``tests/examples/ReferenceEventHashAlgorithm*.xml``) with their
published pre-hash strings and hash IDs.
"""

from lxml import etree

from odoo.tests import BaseCase, tagged

from ..tools import epcis_xml

REFERENCE_1 = b"""
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"
    xmlns:example="https://ns.example.com/epcis/" schemaVersion="2.0"
    creationDate="2020-03-03T13:07:51.709Z"><EPCISBody><EventList>
  <ObjectEvent>
    <eventTime>2020-03-04T11:00:30.000+01:00</eventTime>
    <recordTime>2020-03-04T11:00:30.999+01:00</recordTime>
    <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
    <epcList>
      <epc>urn:epc:id:sscc:4012345.0000000333</epc>
      <epc>urn:epc:id:sscc:4012345.0000000111</epc>
      <epc>urn:epc:id:sscc:4012345.0000000222</epc>
    </epcList>
    <action>OBSERVE</action>
    <bizStep>urn:epcglobal:cbv:bizstep:departing</bizStep>
    <readPoint><id>urn:epc:id:sgln:4012345.00011.987</id></readPoint>
    <example:myField1>
      <example:mySubField1>2</example:mySubField1>
      <example:mySubField2>5</example:mySubField2>
    </example:myField1>
    <example:myField2>0</example:myField2>
    <example:myField3>
      <example:mySubField3>3</example:mySubField3>
      <example:mySubField3>1</example:mySubField3>
    </example:myField3>
  </ObjectEvent>
</EventList></EPCISBody></epcis:EPCISDocument>
"""
PREHASH_1 = (
    "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000Z"
    "eventTimeZoneOffset=+01:00epcList"
    "epc=https://id.gs1.org/00/040123450000001112"
    "epc=https://id.gs1.org/00/040123450000002225"
    "epc=https://id.gs1.org/00/040123450000003338"
    "action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departing"
    "readPointid=https://id.gs1.org/414/4012345000115/254/987"
    "{https://ns.example.com/epcis/}myField1"
    "{https://ns.example.com/epcis/}mySubField1=2"
    "{https://ns.example.com/epcis/}mySubField2=5"
    "{https://ns.example.com/epcis/}myField2=0"
    "{https://ns.example.com/epcis/}myField3"
    "{https://ns.example.com/epcis/}mySubField3=1"
    "{https://ns.example.com/epcis/}mySubField3=3"
)
HASH_1 = (
    "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7"
    "?ver=CBV2.0"
)
REFERENCE_3 = b"""
<ObjectEvent xmlns:example="https://ns.example.com/epcis/">
  <eventTime>2020-03-04T11:00:30.000+01:00</eventTime>
  <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
  <epcList><epc>urn:epc:id:sgtin:0614141.011111.987</epc></epcList>
  <action>OBSERVE</action>
  <bizStep>urn:epcglobal:cbv:bizstep:departing</bizStep>
  <disposition>urn:epcglobal:cbv:disp:in_transit</disposition>
  <readPoint>
    <id>urn:epc:id:sgln:4012345.00011.0</id>
    <example:myField1>AB-12</example:myField1>
  </readPoint>
  <bizTransactionList>
    <bizTransaction type="urn:epcglobal:cbv:btt:po"
      >urn:epc:id:gdti:4012345.11111.123</bizTransaction>
  </bizTransactionList>
  <sourceList>
    <source type="urn:epcglobal:cbv:sdt:owning_party"
      >urn:epc:id:pgln:4012345.00000</source>
  </sourceList>
  <destinationList>
    <destination type="urn:epcglobal:cbv:sdt:owning_party"
      >urn:epc:id:pgln:0614141.00000</destination>
  </destinationList>
  <example:userExt>CD-34</example:userExt>
</ObjectEvent>
"""
HASH_3 = (
    "ni:///sha-256;a13cbe6c8bb6df3710b3edaeff760a1365ec8fd69ca1f4d7e0c10eb5189a883a"
    "?ver=CBV2.0"
)


def _element(text):
    return etree.fromstring(text)


def _events(fragments, version="2"):
    body = (
        f'<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:{version}" '
        'schemaVersion="2.0" creationDate="2026-11-24T10:00:00Z"><EPCISBody>'
        "<EventList>" + "".join(fragments) + "</EventList></EPCISBody>"
        "</epcis:EPCISDocument>"
    )
    return epcis_xml.parse_document(body.encode())


EVENT = (
    "<ObjectEvent>"
    "<eventTime>2026-11-24T11:00:00.120+01:00</eventTime>"
    "<recordTime>2026-11-24T10:00:05Z</recordTime>"
    "<eventTimeZoneOffset>+01:00</eventTimeZoneOffset>"
    "{event_id}"
    "<epcList><epc>urn:epc:id:giai:0614141.5678</epc>"
    "<epc>https://id.gs1.org/8004/06141415679</epc></epcList>"
    "<action>OBSERVE</action>"
    "<bizStep>urn:epcglobal:cbv:bizstep:{step}</bizStep>"
    "<readPoint><id>urn:epc:id:sgln:0614141.00001.0</id></readPoint>"
    "</ObjectEvent>"
)


@tagged("post_install", "-at_install")
class TestEpcisEventHash(BaseCase):
    def test_published_example_prehash_and_hash(self):
        element = _element(REFERENCE_1).find(".//ObjectEvent")
        self.assertEqual(epcis_xml.event_prehash(element), PREHASH_1)
        self.assertEqual(epcis_xml.event_hash(element), HASH_1)

    def test_published_example_with_lists_and_extensions(self):
        self.assertEqual(epcis_xml.event_hash(_element(REFERENCE_3)), HASH_3)

    def test_hash_ignores_order_prefixes_blanks_record_time_and_event_id(self):
        element = _element(REFERENCE_1).find(".//ObjectEvent")
        shuffled = _element(
            b"""<ObjectEvent xmlns:ex="https://ns.example.com/epcis/">
            <eventTime>2020-03-04T10:00:30Z</eventTime>
            <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
            <eventID>urn:uuid:7c0e0a1e-1d5a-4a55-9c2b-1f6d3e7f1a00</eventID>
            <recordTime>2026-01-01T00:00:00Z</recordTime>
            <epcList>
              <epc>urn:epc:id:sscc:4012345.0000000111</epc>
              <epc>urn:epc:id:sscc:4012345.0000000222</epc>
              <epc> urn:epc:id:sscc:4012345.0000000333 </epc>
            </epcList>
            <action>OBSERVE</action>
            <bizStep>https://ref.gs1.org/cbv/BizStep-departing</bizStep>
            <readPoint><id>https://example.com/414/4012345000115/254/987</id>
            </readPoint>
            <ex:myField3><ex:mySubField3>1</ex:mySubField3>
              <ex:mySubField3>3</ex:mySubField3></ex:myField3>
            <ex:myField2>0.0</ex:myField2>
            <ex:myField1><ex:mySubField2>5</ex:mySubField2>
              <ex:mySubField1>2</ex:mySubField1></ex:myField1>
          </ObjectEvent>"""
        )
        self.assertEqual(epcis_xml.event_hash(shuffled), HASH_1)
        # one EPC more: another event
        extra = etree.SubElement(shuffled.find("epcList"), "epc")
        extra.text = "urn:epc:id:sscc:4012345.0000000444"
        self.assertNotEqual(epcis_xml.event_hash(shuffled), HASH_1)
        self.assertEqual(epcis_xml.event_hash(element), HASH_1)

    def test_epcis_1_2_wrappers_hash_like_2_0(self):
        v2 = _element(
            b"<ObjectEvent><eventTime>2026-11-24T10:00:00Z</eventTime>"
            b"<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>"
            b"<eventID>ev-1</eventID>"
            b"<epcList><epc>urn:epc:id:giai:0614141.5678</epc></epcList>"
            b"<action>OBSERVE</action>"
            b"<quantityList><quantityElement>"
            b"<epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass>"
            b"<quantity>200</quantity><uom>KGM</uom>"
            b"</quantityElement></quantityList></ObjectEvent>"
        )
        v1 = _element(
            b"<ObjectEvent><eventTime>2026-11-24T10:00:00Z</eventTime>"
            b"<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>"
            b"<baseExtension><eventID>ev-1</eventID></baseExtension>"
            b"<epcList><epc>urn:epc:id:giai:0614141.5678</epc></epcList>"
            b"<action>OBSERVE</action>"
            b"<extension><quantityList><quantityElement>"
            b"<epcClass>urn:epc:class:lgtin:4012345.012345.998877</epcClass>"
            b"<quantity>200.0</quantity><uom>KGM</uom>"
            b"</quantityElement></quantityList></extension></ObjectEvent>"
        )
        self.assertEqual(
            epcis_xml.event_prehash(v1),
            "eventType=ObjectEventeventTime=2026-11-24T10:00:00.000Z"
            "eventTimeZoneOffset=+00:00"
            "epcListepc=https://id.gs1.org/8004/06141415678"
            "quantityListquantityElement"
            "epcClass=https://id.gs1.org/01/04012345123456/10/998877"
            "quantity=200uom=KGMaction=OBSERVE",
        )
        self.assertEqual(epcis_xml.event_hash(v1), epcis_xml.event_hash(v2))


@tagged("post_install", "-at_install")
class TestEpcisXmlEvents(BaseCase):
    def test_object_event_reads_keyed_by_event_id(self):
        version, events = _events(
            [EVENT.format(event_id="<eventID>ev-1</eventID>", step="inspecting")]
        )
        self.assertEqual(version, "2.0")
        (event,) = events
        self.assertEqual(event["key"], "ev-1")
        self.assertEqual(event["record_time"], "2026-11-24T10:00:05Z")
        self.assertEqual(event["problems"], [])
        # each read carries the event's fields
        read = {
            "timestamp": "2026-11-24T10:00:00.120Z",
            "event_id": "ev-1",
            "event_index": 0,
            "action": "OBSERVE",
            "biz_step": "urn:epcglobal:cbv:bizstep:inspecting",
            "mode": "observe",
            "read_point": "urn:epc:id:sgln:0614141.00001.0",
            "biz_location": None,
        }
        self.assertEqual(
            epcis_xml.event_reads(event),
            [
                {"code": "urn:epc:id:giai:0614141.5678", **read},
                {
                    "code": "(8004)06141415679",
                    "source_code": "https://id.gs1.org/8004/06141415679",
                    **read,
                },
            ],
        )

    def test_event_without_id_is_keyed_by_its_hash_and_cycle_count_audits(self):
        fragment = EVENT.format(event_id="", step="cycle_counting")
        _version, (event,) = _events([fragment])
        self.assertEqual(event["event_id"], None)
        self.assertEqual(event["key"], epcis_xml.event_hash(_element(fragment)))
        self.assertTrue(event["key"].startswith("ni:///sha-256;"))
        self.assertEqual(event["mode"], "audit")

    def test_malformed_event_is_refused_alone(self):
        bad = (
            "<ObjectEvent><eventTime>yesterday</eventTime>"
            "<eventTimeZoneOffset>+01:00</eventTimeZoneOffset>"
            "<epcList><epc><b>x</b></epc></epcList><action>MOVE</action>"
            "<readPoint/></ObjectEvent>"
        )
        aggregation = (
            "<AggregationEvent><eventTime>2026-11-24T10:00:00Z</eventTime>"
            "<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>"
            "<action>ADD</action></AggregationEvent>"
        )
        good = EVENT.format(event_id="<eventID>ev-2</eventID>", step="inspecting")
        _version, events = _events([bad, aggregation, good])
        self.assertEqual(
            events[0]["problems"],
            [
                "<eventTime> is not a date-time with a time zone: 'yesterday'",
                "<action> must be ADD, OBSERVE or DELETE, got 'MOVE'",
                "<epcList> must hold <epc> elements with an EPC URI each",
                "an ObjectEvent needs <epcList> or <quantityList>",
                "<readPoint> has no <id>",
            ],
        )
        self.assertEqual(
            events[1]["problems"],
            ["AggregationEvent is not applied here: only ObjectEvent is"],
        )
        self.assertEqual(events[2]["problems"], [])
        self.assertEqual(len(epcis_xml.event_reads(events[2])), 2)

    def test_error_declaration_shares_the_key_and_gives_no_read(self):
        declaration = (
            "<ObjectEvent><eventTime>2026-11-24T11:00:00.120+01:00</eventTime>"
            "<recordTime>2026-11-24T12:00:00Z</recordTime>"
            "<eventTimeZoneOffset>+01:00</eventTimeZoneOffset>"
            "<eventID>ev-1</eventID>"
            "<errorDeclaration>"
            "<declarationTime>2026-11-24T12:00:00Z</declarationTime>"
            "<reason>urn:epcglobal:cbv:er:incorrect_data</reason>"
            "<correctiveEventIDs><correctiveEventID>ev-9</correctiveEventID>"
            "</correctiveEventIDs></errorDeclaration>"
            "<epcList><epc>urn:epc:id:giai:0614141.5678</epc></epcList>"
            "<action>OBSERVE</action>"
            "<bizStep>urn:epcglobal:cbv:bizstep:inspecting</bizStep>"
            "<readPoint><id>urn:epc:id:sgln:0614141.00001.0</id></readPoint>"
            "</ObjectEvent>"
        )
        original = EVENT.format(event_id="", step="inspecting")
        _version, (event,) = _events([declaration])
        self.assertEqual(event["key"], "ev-1")
        self.assertEqual(
            event["declaration"],
            {
                "declaration_time": "2026-11-24T12:00:00Z",
                "reason": "urn:epcglobal:cbv:er:incorrect_data",
                "corrective_event_ids": ["ev-9"],
            },
        )
        # without eventIDs, the declaration hashes like the event it declares
        no_id = declaration.replace("<eventID>ev-1</eventID>", "").replace(
            "<epc>urn:epc:id:giai:0614141.5678</epc>",
            "<epc>urn:epc:id:giai:0614141.5678</epc>"
            "<epc>https://id.gs1.org/8004/06141415679</epc>",
        )
        self.assertEqual(
            epcis_xml.event_hash(_element(no_id.encode())),
            epcis_xml.event_hash(_element(original.encode())),
        )

    def test_epcis_1_2_document_with_wrapped_events(self):
        fragment = (
            "<ObjectEvent><eventTime>2026-11-24T10:00:00Z</eventTime>"
            "<recordTime>2026-11-24T10:00:01Z</recordTime>"
            "<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>"
            "<epcList><epc>urn:epc:id:giai:0614141.5678</epc></epcList>"
            "<action>OBSERVE</action>"
            "<baseExtension><eventID>ev-12</eventID></baseExtension>"
            "<readPoint><id>urn:epc:id:sgln:0614141.00001.0</id></readPoint>"
            "</ObjectEvent>"
            "<extension><TransformationEvent>"
            "<eventTime>2026-11-24T10:00:00Z</eventTime>"
            "<eventTimeZoneOffset>+00:00</eventTimeZoneOffset>"
            "</TransformationEvent></extension>"
        )
        version, events = _events([fragment], version="1")
        self.assertEqual(version, "1.2")
        self.assertEqual(events[0]["key"], "ev-12")
        self.assertEqual(
            events[1]["problems"],
            ["TransformationEvent is not applied here: only ObjectEvent is"],
        )

    def test_not_an_epcis_document(self):
        with self.assertRaisesRegex(ValueError, "not an EPCIS XML document"):
            epcis_xml.parse_document(b"<html><body/></html>")
        with self.assertRaisesRegex(ValueError, "not well-formed XML"):
            epcis_xml.parse_document(b"<EPCISDocument")
