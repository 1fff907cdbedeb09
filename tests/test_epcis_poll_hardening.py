# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The EPCIS poller against bad partners (issue 14, item 9): bad events kept and
passed, a page and its batch committed together, the overlap window, the hosts
the server may call, the WSDL origin and cache, and the XML bounds.

The HTTP tests run the addon's zeep client against the spyne EPCIS service of
tests/epcis_soap_server.py on loopback (an administrator allows 127.0.0.1);
they need GS1's query WSDL and schemas in shared/epcis and skip without them.
"""

import re
from datetime import datetime
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, HttpCase, freeze_time, tagged

from ..models.epcis.stock_asset_epcis_repository import StockAssetEpcisRepository
from ..models.scan.stock_asset_scan_batch import StockAssetScanBatch
from ..tools import epcis_soap, epcis_xml
from .epcis_common import PRIVATE_HOSTS_PARAM as PARAM
from .epcis_common import SHELF, EpcisPollCommon, giai
from .epcis_soap_server import EpcisLoopbackServer, object_event

REPOSITORY_LOGGER = (
    "odoo.addons.stock_asset_tracking.models.epcis.stock_asset_epcis_repository"
)
REFUSED_ADDRESS = (
    "is a loopback, link-local, private or reserved address, which the server "
    "calls only if an administrator allows it (system parameter "
    "stock_asset_tracking.epcis_allow_private_hosts)"
)


def _nested(depth, text="x"):
    return '<ext:n xmlns:ext="urn:example:ext">' * depth + text + "</ext:n>" * depth


@tagged("post_install", "-at_install")
class TestEpcisPollHardening(EpcisPollCommon, HttpCase):
    WRENCH_COUNT = 5

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.shared is None:
            return
        cls.repository = cls._create_repository({SHELF: cls.shelf_a})

    def assertSecondWrenchPassedOver(self, **values):
        """Wrenches 1 and 3 moved to the shelf, wrench 2 (its event not applied)
        stayed in stock; the repository warns, its bookmark moved to noon, with
        ``values``."""
        self.assertLocations(
            self.wrenches[:3], [self.shelf_a, self.stock_a, self.shelf_a]
        )
        self.assertRepository(
            state="warning", bookmark=datetime(2026, 11, 24, 12, 0), **values
        )

    def _epcis_batches(self):
        return self.env["stock.asset.scan.batch"].search([("source", "=", "epcis")])

    # bad events -----------------------------------------------------------------
    @freeze_time("2026-11-24 12:00:00")
    def test_bad_events_are_kept_reported_and_passed(self):
        huge = "y" * (epcis_xml.MAX_TEXT + 1)
        self.server.raw = True
        self.server.doctype = (
            b'<!DOCTYPE soap:Envelope [<!ENTITY tag "' + giai(1002).encode() + b'">]>'
        )
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                self._event(
                    1002,
                    "2026-11-24T10:05:05Z",
                    event_id="ev-year-1",
                    event_time="0001-01-01T00:00:00+05:00",
                ),
                self._event(
                    1002,
                    "2026-11-24T10:06:05Z",
                    event_id="ev-year-9999",
                    event_time="9999-12-31T23:59:59-05:00",
                ),
                self._event(
                    1002,
                    "2026-11-24T10:10:05Z",
                    event_id="ev-deep",
                    extra=_nested(epcis_xml.MAX_DEPTH + 5),
                ),
                object_event(
                    ["&tag;"],
                    event_time="2026-11-24T10:15:00Z",
                    record_time="2026-11-24T10:15:05Z",
                    read_point=SHELF,
                    event_id="ev-entity",
                ),
                self._event(
                    1002,
                    "2026-11-24T10:20:05Z",
                    event_id="ev-huge",
                    extra=f'<ext:note xmlns:ext="urn:example:ext">{huge}</ext:note>',
                ),
                self._event(1003, "2026-11-24T10:30:05Z", event_id="ev-3"),
            ]
        )
        answer = self._poll()
        self.assertEqual(answer["params"]["type"], "warning")
        self.assertPollMessage(
            answer,
            "2 events applied, 0 already applied, 5 refused, 0 error declarations.",
        )
        reasons = {
            "ev-year-1": "<eventTime> is not a date-time with a time zone: "
            "'0001-01-01T00:00:00+05:00'",
            "ev-year-9999": "<eventTime> is not a date-time with a time zone: "
            "'9999-12-31T23:59:59-05:00'",
            "ev-deep": "it is nested deeper than 32 levels",
            "ev-entity": "it holds an entity reference (&tag;), never expanded here",
            "ev-huge": "it holds a text longer than 65536 characters",
        }
        self.assertRecordValues(
            self._rows(),
            [
                {"event_key": "ev-1", "state": "applied", "message": False},
            ]
            + [
                {"event_key": key, "state": "refused", "message": message}
                for key, message in reasons.items()
            ]
            + [{"event_key": "ev-3", "state": "applied", "message": False}],
        )
        # the others applied, the bookmark moved past the refused ones
        self.assertSecondWrenchPassedOver(
            applied_count=2,
            refused_count=5,
            last_error="\n".join(
                f"event {key}: {message}" for key, message in reasons.items()
            ),
        )
        note = self.repository.message_ids.filtered(
            lambda message: "events refused" in (message.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn(
            "Poll of 2026-11-24 12:00:00 UTC: 5 events refused, kept with their "
            "reason (the others applied):",
            note.body,
        )
        self.assertIn("event ev-deep: it is nested deeper than 32 levels", note.body)
        # the refused button lists them
        action = self.repository.with_user(self.manager_a).action_view_refused()
        refused = self.env["stock.asset.epcis.polled.event"].search(
            action["domain"] + [("state", "in", ("refused", "error"))]
        )
        self.assertEqual(sorted(refused.mapped("event_key")), sorted(reasons))
        # asked again within the overlap: nothing reported twice
        with freeze_time("2026-11-24 12:15:00"):
            self.repository.bookmark = datetime(2026, 11, 24, 10, 4)
            answer = self._poll()
        self.assertPollMessage(
            answer,
            "0 events applied, 2 already applied, 0 refused, 0 error declarations.",
        )
        self.assertEqual(self.repository.refused_count, 5)
        self.assertEqual(len(self._epcis_batches()), 1)

    @freeze_time("2026-11-24 12:00:00")
    def test_unreadable_answer_costs_only_its_second(self):
        # deeper than libxml2 reads: the whole answer is unreadable, so the poller
        # narrows the window down to the second that holds it
        self.server.raw = True
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                self._event(
                    1002,
                    "2026-11-24T10:20:05Z",
                    event_id="ev-abyss",
                    extra=_nested(300),
                ),
                self._event(1003, "2026-11-24T10:40:05Z", event_id="ev-3"),
            ]
        )
        answer = self._poll()
        self.assertPollMessage(
            answer,
            "2 events applied, 0 already applied, 1 refused, 0 error declarations.",
        )
        rows = self.assertRowStates(
            {"ev-1": "applied", "ev-abyss": "error", "ev-3": "applied"}
        )
        self.assertRegex(
            rows[1].message,
            r"^the repository's answer for recordTime 2026-11-24 10:20:0[45] to "
            r"2026-11-24 10:20:0[56] cannot be read: the answer cannot be read as "
            r"XML \(nested too deep, an entity loop, a text too long or a broken "
            r"event\)$",
        )
        self.assertSecondWrenchPassedOver(refused_count=1)

    # one transaction per page -------------------------------------------------------
    @freeze_time("2026-11-24 12:00:00")
    def test_page_and_its_batch_commit_together(self):
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                self._event(1002, "2026-11-24T10:10:05Z", event_id="ev-2"),
            ]
        )
        store = StockAssetEpcisRepository._store_polled

        def crash(repository, rows):
            raise RuntimeError("the server died between the batch and the keys")

        # a crash after the batch applied, before the keys and bookmark: nothing
        # of the page stays (no batch, no moved asset, no key)
        with (
            patch.object(StockAssetEpcisRepository, "_store_polled", crash),
            self.assertLogs(REPOSITORY_LOGGER, "ERROR"),
        ):
            answer = self._poll()
        self.assertEqual(answer["params"]["type"], "danger")
        self.assertRegex(
            self.repository.last_error,
            r"^unexpected error \(logged on the server at [\d :-]+ UTC\); the "
            r"bookmark stays, the next poll asks again$",
        )
        self.assertFalse(self._epcis_batches())
        self.assertFalse(self._rows())
        self.assertEqual(self.wrenches[:2].location_id, self.stock_a)
        self.assertEqual(self.repository.bookmark, datetime(2026, 11, 24, 9, 0))
        # the next poll applies the page, once
        self.assertIs(StockAssetEpcisRepository._store_polled, store)
        answer = self._poll()
        self.assertPollMessage(
            answer,
            "2 events applied, 0 already applied, 0 refused, 0 error declarations.",
        )
        batch = self._epcis_batches()
        self.assertRecordValues(
            batch, [{"state": "done", "read_count": 2, "moved_count": 2}]
        )
        self.assertEqual(self._rows().batch_id, batch)
        self.assertEqual(self.wrenches[:2].location_id, self.shelf_a)

    @freeze_time("2026-11-24 12:00:00")
    def test_event_that_fails_to_apply_is_isolated(self):
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                self._event(1002, "2026-11-24T10:10:05Z", event_id="ev-2"),
                self._event(1003, "2026-11-24T10:20:05Z", event_id="ev-3"),
            ]
        )
        process = StockAssetScanBatch._process
        poisoned = giai(1002)

        def fragile(batch, *args, **kwargs):
            if poisoned in (batch.payload or ""):
                raise ZeroDivisionError("a bug met by this one event")
            return process(batch, *args, **kwargs)

        with (
            patch.object(StockAssetScanBatch, "_process", fragile),
            self.assertLogs(REPOSITORY_LOGGER, "WARNING") as logs,
        ):
            answer = self._poll()
        self.assertEqual(
            logs.output[0].splitlines()[0],
            f"WARNING:{REPOSITORY_LOGGER}:EPCIS repository Loopback EPCIS: event "
            "ev-2 could not be applied",
        )
        self.assertPollMessage(
            answer,
            "2 events applied, 0 already applied, 1 refused, 0 error declarations.",
        )
        rows = self.assertRowStates(
            {"ev-1": "applied", "ev-2": "error", "ev-3": "applied"}
        )
        self.assertFalse(rows[1].batch_id)
        self.assertEqual(len(rows.batch_id), 2)
        self.assertEqual(
            rows[1].message,
            "it could not be applied (an unexpected error, logged on the server at "
            "2026-11-24 12:00:00 UTC)",
        )
        self.assertNotIn("ZeroDivisionError", self.repository.last_error)
        # one batch per applied event, none for the failed one
        self.assertEqual(len(self._epcis_batches()), 2)
        self.assertLocations(
            self.wrenches[:3], [self.shelf_a, self.stock_a, self.shelf_a]
        )
        self.assertEqual(self.repository.bookmark, datetime(2026, 11, 24, 12, 0))

    # overlap ------------------------------------------------------------------------
    def test_overlap_picks_up_late_events_once(self):
        early = self._event(1001, "2026-11-24T11:59:05Z", event_id="ev-1")
        self.server.set_events([early])
        with freeze_time("2026-11-24 12:00:00"):
            self._poll()
        # committed after the poll, with an earlier recordTime
        late = self._event(1002, "2026-11-24T11:58:05Z", event_id="ev-late")
        self.server.set_events([early, late])
        with freeze_time("2026-11-24 12:10:00"):
            answer = self._poll()
        self.assertEqual(
            self.server.polls[-1][:2],
            ("2026-11-24T11:55:00+00:00", "2026-11-24T12:10:00+00:00"),
        )
        self.assertPollMessage(
            answer,
            "1 events applied, 1 already applied, 0 refused, 0 error declarations.",
        )
        self.assertEqual(
            self._rows().mapped("event_key"), ["ev-late", "ev-1"], "one row each"
        )
        self.assertEqual(len(self._epcis_batches()), 2)
        self.assertEqual(self.wrenches[1].location_id, self.shelf_a)
        # the overlap is a setting
        self.repository.poll_overlap_seconds = 0
        with freeze_time("2026-11-24 12:20:00"):
            self._poll()
        self.assertEqual(self.server.polls[-1][0], "2026-11-24T12:10:00+00:00")

    # hosts the server may call ------------------------------------------------------
    def test_manager_cannot_point_a_repository_at_private_addresses(self):
        self.env["ir.config_parameter"].sudo().set_param(PARAM, False)
        Repository = self.env["stock.asset.epcis.repository"].with_user(self.manager_a)
        values = {
            "name": "Sneaky",
            "company_id": self.company_a.id,
            "user_id": self.user_a.id,
            "wsdl_url": "http://93.184.216.34/epcis?wsdl",
        }
        for url, name in [
            ("http://127.0.0.1:8069/web", "127.0.0.1"),
            ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
            ("http://10.0.0.1/epcis", "10.0.0.1"),
            ("http://[::1]:8069/epcis", "::1"),
            ("http://[::ffff:127.0.0.1]/epcis", "::ffff:127.0.0.1"),
            ("http://0.0.0.0:8069/epcis", "0.0.0.0"),
            ("http://localhost:8069/epcis", "localhost (127.0.0.1)"),
        ]:
            with self.subTest(url=url), self.assertRaises(ValidationError) as caught:
                Repository.create(dict(values, endpoint_url=url))
            if name.startswith("localhost"):
                self.assertRegex(
                    caught.exception.args[0],
                    r"^Endpoint URL of Sneaky is refused: localhost \((127\.0\.0\.1|"
                    r"::1)\) " + re.escape(REFUSED_ADDRESS) + r"\.$",
                )
            else:
                self.assertEqual(
                    caught.exception.args[0],
                    f"Endpoint URL of Sneaky is refused: {name} {REFUSED_ADDRESS}.",
                )
        # the WSDL URL too, and on an existing repository
        public = Repository.create(dict(values, endpoint_url="http://93.184.216.34/q"))
        with self.assertRaises(ValidationError) as caught:
            public.wsdl_url = "http://169.254.169.254/latest?wsdl"
        self.assertEqual(
            caught.exception.args[0],
            f"WSDL URL of Sneaky is refused: 169.254.169.254 {REFUSED_ADDRESS}.",
        )
        # a manager cannot allow them
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(self.manager_a).set_param(
                PARAM, "1"
            )
        # an administrator can
        self.env["ir.config_parameter"].sudo().set_param(PARAM, "10.0.0.0/8")
        repository = Repository.create(dict(values, endpoint_url="http://10.0.0.1/x"))
        self.assertEqual(repository.endpoint_url, "http://10.0.0.1/x")
        with self.assertRaises(ValidationError):
            Repository.create(dict(values, endpoint_url="http://192.168.0.1/x"))

    @freeze_time("2026-11-24 12:00:00")
    def test_hosts_are_checked_again_at_connect_time(self):
        self.server.set_events([self._event(1001, "2026-11-24T10:00:05Z")])
        # allowed when saved, then no more: nothing reaches the server
        self.env["ir.config_parameter"].sudo().set_param(PARAM, False)
        answer = self._poll()
        self.assertEqual(answer["params"]["type"], "danger")
        self.assertRegex(
            self.repository.last_error,
            r"refused: 127\.0\.0\.1 " + re.escape(REFUSED_ADDRESS) + "$",
        )
        self.assertEqual(self.server.requests, [])
        # the name check is fooled (DNS answers a public address first): the
        # address the connection reaches is checked too
        with patch.object(epcis_soap.HostPolicy, "check_host", lambda *a, **k: None):
            answer = self._poll()
        self.assertRegex(
            self.repository.last_error,
            r"refused: 127\.0\.0\.1 " + re.escape(REFUSED_ADDRESS) + "$",
        )
        self.assertEqual(self.server.requests, [])
        self.assertEqual(self.repository.bookmark, datetime(2026, 11, 24, 9, 0))
        self.assertEqual(self.wrenches[0].location_id, self.stock_a)

    def test_wsdl_imports_never_leave_the_configured_host(self):
        other = EpcisLoopbackServer(self.shared).start()
        self.addCleanup(other.stop)
        wsdl = self.server._wsdl()
        port = self.server.base_url.rsplit(":", 1)[1]
        for target in (f"{other.base_url}/XSD/EPCglobal.xsd", "file:///etc/passwd"):
            self.server.wsdl = wsdl.replace(
                b'schemaLocation="../XSD/EPCglobal.xsd"',
                f'schemaLocation="{target}"'.encode(),
            )
            with (
                self.subTest(target=target),
                self.assertRaises(UserError) as caught,
            ):
                self.repository.with_user(self.manager_a).action_test_connection()
            self.assertEqual(
                caught.exception.args[0],
                f"Connection test of Loopback EPCIS failed: WSDL "
                f"{self.server.wsdl_url} could not be loaded: refused: {target} is "
                f"outside http://127.0.0.1:{port}: the WSDL and its schemas are read "
                "from that host only",
            )
        self.assertEqual(other.requests, [])

    def test_wsdls_are_cached_per_database_url_and_credentials(self):
        dbname = self.env.cr.dbname
        epcis_soap.forget_wsdls(dbname)
        wsdl_get = ("GET", "/epcis/query?wsdl")

        def loads():
            return self.server.requests.count(wsdl_get)

        with freeze_time("2026-11-24 12:00:00"):
            self._poll()
        with freeze_time("2026-11-24 12:20:00"):
            self._poll()
        self.assertEqual(loads(), 1)
        # new credentials: read again, never served from another's cache
        self.repository.with_user(self.manager_a).write(
            {"auth_type": "basic", "username": "poller", "password": "s3cret"}
        )
        with freeze_time("2026-11-24 12:40:00"):
            self._poll()
        self.assertEqual(loads(), 2)
        with freeze_time("2026-11-24 13:00:00"):
            self._poll()
        self.assertEqual(loads(), 2)
        # another database never gets this one's WSDL
        policy = epcis_soap.HostPolicy("127.0.0.1")
        with epcis_soap.EpcisQueryClient(
            self.server.url,
            wsdl_url=self.server.wsdl_url,
            username="poller",
            password="s3cret",
            policy=policy,
            dbname=f"{dbname}-other",
        ) as client:
            self.assertEqual(client.check()["standard_version"], "2.0")
        self.assertEqual(loads(), 3)
        # bounded
        with patch.object(epcis_soap, "WSDL_CACHE_SIZE", 2):
            for user in ("a", "b", "c"):
                with epcis_soap.EpcisQueryClient(
                    self.server.url,
                    wsdl_url=self.server.wsdl_url,
                    username=user,
                    policy=policy,
                    dbname=dbname,
                ) as client:
                    client.check()
            self.assertLessEqual(len(epcis_soap._WSDL_CACHE), 2)
        epcis_soap.forget_wsdls(dbname)
        self.assertFalse([key for key in epcis_soap._WSDL_CACHE if key[0] == dbname])


class TestEpcisXmlBounds(BaseCase):
    """tools/epcis_xml.py: an event out of bounds is refused on its own."""

    def _list(self, *events):
        container = etree.Element("EventList")
        container.extend(events)
        return container

    def _event(self, event_id, epc="urn:epc:id:giai:0614141.1001", extra=None):
        fragment = object_event(
            [epc],
            event_time="2026-11-24T10:00:00Z",
            record_time="2026-11-24T10:00:05Z",
            read_point=SHELF,
            event_id=event_id,
        )
        element = etree.fromstring(fragment)
        if extra is not None:
            element.append(extra)
        return element

    def test_each_bound_is_per_event(self):
        abyss = etree.Element("{urn:example:ext}n")
        node = abyss
        for _level in range(5000):  # built, not parsed: no parser limit applies
            node = etree.SubElement(node, "{urn:example:ext}n")
        wide = etree.Element("{urn:example:ext}wide")
        for _index in range(epcis_xml.MAX_ELEMENTS):
            etree.SubElement(wide, "{urn:example:ext}i")
        long_attribute = etree.Element("{urn:example:ext}a")
        long_attribute.set("v", "z" * (epcis_xml.MAX_TEXT + 1))
        events = epcis_xml.parse_event_elements(
            self._list(
                self._event("ok-1"),
                self._event("abyss", extra=abyss),
                self._event("wide", extra=wide),
                self._event("attribute", extra=long_attribute),
                self._event("i" * (epcis_xml.MAX_KEY + 1)),
                self._event("ok-2", epc="urn:epc:id:giai:0614141.1002"),
            )
        )
        long_id = events.pop(4)
        self.assertEqual(
            long_id["problems"], ["its eventID is longer than 1024 characters"]
        )
        self.assertRegex(long_id["key"], r"^eventID:sha-256;[0-9a-f]{64}$")
        self.assertEqual(
            [(event["key"], event["problems"]) for event in events],
            [
                ("ok-1", []),
                ("abyss", ["it is nested deeper than 32 levels"]),
                ("wide", [f"it has more than {epcis_xml.MAX_ELEMENTS} elements"]),
                ("attribute", ["it holds a text longer than 65536 characters"]),
                ("ok-2", []),
            ],
        )
        self.assertEqual(events[1]["record_time"], "2026-11-24T10:00:05Z")

    def test_times_out_of_range_and_unexpected_failures(self):
        overflow = self._event(None)
        overflow.find("eventTime").text = "9999-12-31T23:59:59.9999-01:00"
        overflow.find("recordTime").text = "0001-01-01T00:00:00+14:00"
        events = epcis_xml.parse_event_elements(self._list(overflow))
        self.assertEqual(
            events[0]["problems"],
            [
                "<eventTime> is not a date-time with a time zone: "
                "'9999-12-31T23:59:59.9999-01:00'"
            ],
        )
        self.assertIsNone(events[0]["record_time"])
        self.assertTrue(events[0]["key"].startswith("ni:///sha-256;"))
        # a failure nobody foresaw costs its event only, under a stable key
        with patch.object(epcis_xml, "_event", side_effect=RecursionError("deep")):
            first = epcis_xml.parse_event_elements(self._list(self._event(None)))
            again = epcis_xml.parse_event_elements(self._list(self._event(None)))
        self.assertEqual(first[0]["state"], "error")
        self.assertEqual(
            first[0]["problems"],
            ["it could not be read (an unexpected value or shape)"],
        )
        self.assertTrue(first[0]["key"].startswith("unreadable:sha-256;"))
        self.assertEqual(first[0]["key"], again[0]["key"])

    def test_host_policy(self):
        closed = epcis_soap.HostPolicy("")
        for address in (
            "127.0.0.1",
            "169.254.169.254",
            "10.0.0.1",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
        ):
            with (
                self.subTest(address=address),
                self.assertRaises(epcis_soap.RefusedUrl),
            ):
                closed.check_host(address)
        closed.check_host("93.184.216.34")
        closed.check_host("2606:2800:220:1:248:1893:25c8:1946")
        networks = epcis_soap.HostPolicy(" 10.0.0.0/8, epcis.internal ,::1")
        networks.check_host("10.2.3.4")
        networks.check_host("::ffff:10.2.3.4")
        networks.check_host("::1")
        networks.check_address("EPCIS.internal", "192.168.1.1")
        with self.assertRaises(epcis_soap.RefusedUrl):
            networks.check_host("192.168.1.1")
        everything = epcis_soap.HostPolicy("1")
        everything.check_host("127.0.0.1")
        with self.assertRaises(epcis_soap.RefusedUrl):
            closed.check_url("ftp://93.184.216.34/x")
