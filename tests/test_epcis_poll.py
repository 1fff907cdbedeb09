# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""EPCIS repositories polled over SOAP: the addon's zeep client against a real
spyne EPCIS query service on loopback (tests/epcis_soap_server.py), over HTTP.

GS1's query WSDL and schemas are read from the shared/epcis folder beside the
repository (or ``$SAT_SHARED_DIR/epcis``); the tests skip without them.
"""

import base64
import itertools
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged

from .epcis_common import SHELF, EpcisPollCommon
from .epcis_soap_server import VENDOR_VERSION

STORE = "urn:epc:id:sgln:0614141.00002.0"
UNMAPPED = "urn:epc:id:sgln:0614141.00009.0"


@tagged("post_install", "-at_install")
class TestEpcisPoll(EpcisPollCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.shared is None:
            return
        cls.wrench_1, cls.wrench_2, cls.wrench_3 = cls.wrenches
        cls.store = cls._location("Store A2", cls.stock_a)
        cls.repository = cls._create_repository({SHELF: cls.shelf_a, STORE: cls.store})

    # ---------------------------------------------------------------------------
    @freeze_time("2026-11-24 12:00:00")
    def test_poll_applies_events_and_moves_the_bookmark(self):
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                self._event(1002, "2026-11-24T10:30:05Z", place=STORE),
            ]
        )
        answer = self._poll()
        self.assertEqual(answer["params"]["type"], "success")
        self.assertPollMessage(
            answer,
            "2 events applied, 0 already applied, 0 refused, 0 error declarations.",
        )
        # from the bookmark minus the overlap (300 s by default)
        self.assertEqual(
            self.server.polls,
            [
                (
                    "2026-11-24T08:55:00+00:00",
                    "2026-11-24T12:00:00+00:00",
                    ["ObjectEvent"],
                )
            ],
        )
        self.assertRecordValues(
            self.wrench_1 | self.wrench_2 | self.wrench_3,
            [
                {
                    "location_id": self.shelf_a.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 0, 0),
                },
                {
                    "location_id": self.store.id,
                    "last_seen_date": datetime(2026, 11, 24, 10, 30, 0),
                },
                {"location_id": self.stock_a.id, "last_seen_date": False},
            ],
        )
        self.assertRepository(
            state="ok",
            bookmark=datetime(2026, 11, 24, 12, 0),
            polled_until=datetime(2026, 11, 24, 12, 0),
            failure_count=0,
            last_error=False,
            next_poll_date=datetime(2026, 11, 24, 12, 15),
            applied_count=2,
        )
        rows = self._rows()
        self.assertEqual(rows[0].event_key, "ev-1")
        self.assertTrue(rows[1].event_key.startswith("ni:///sha-256;"))
        self.assertRecordValues(
            rows,
            [
                {
                    "state": "applied",
                    "kind": "event",
                    "epcis_location": SHELF,
                    "record_time": datetime(2026, 11, 24, 10, 0, 5),
                    "epc_count": 1,
                },
                {
                    "state": "applied",
                    "kind": "event",
                    "epcis_location": STORE,
                    "record_time": datetime(2026, 11, 24, 10, 30, 5),
                    "epc_count": 1,
                },
            ],
        )
        # one scan batch for the page, each read at its read point's location
        self.assertEqual(rows[0].batch_id, rows[1].batch_id)
        self.assertRecordValues(
            rows[0].batch_id,
            [
                {
                    "source": "epcis",
                    "state": "done",
                    "mode": "observe",
                    "user_id": self.user_a.id,
                    "read_count": 2,
                    "matched_count": 2,
                    "moved_count": 2,
                }
            ],
        )
        self.assertRecordValues(
            rows[0].batch_id.observation_ids.sorted("last_seen"),
            [
                {
                    "asset_id": self.wrench_1.id,
                    "location_id": self.shelf_a.id,
                    "status": "matched",
                },
                {
                    "asset_id": self.wrench_2.id,
                    "location_id": self.store.id,
                    "status": "matched",
                },
            ],
        )

    def test_event_seen_twice_applies_once(self):
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                self._event(1002, "2026-11-24T10:30:05Z"),
            ]
        )
        with freeze_time("2026-11-24 12:00:00"):
            self._poll()
        batches = self.env["stock.asset.scan.batch"].search_count([])
        observations = self.env["stock.asset.observation"].search_count([])
        # the same events come again (the bookmark set back by hand)
        self.repository.bookmark = datetime(2026, 11, 24, 9, 0)
        with freeze_time("2026-11-24 12:30:00"):
            answer = self._poll()
        self.assertPollMessage(
            answer,
            "0 events applied, 2 already applied, 0 refused, 0 error declarations.",
        )
        self.assertEqual(self.env["stock.asset.scan.batch"].search_count([]), batches)
        self.assertEqual(
            self.env["stock.asset.observation"].search_count([]), observations
        )
        self.assertEqual(len(self._rows()), 2)

    def test_error_declaration_is_not_a_duplicate(self):
        self.server.set_events(
            [self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1")]
        )
        with freeze_time("2026-11-24 12:00:00"):
            self._poll()
        declaration = (
            "<errorDeclaration><declarationTime>2026-11-24T12:30:00Z</declarationTime>"
            "<reason>urn:epcglobal:cbv:er:incorrect_data</reason></errorDeclaration>"
        )
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                # ev-1 declared erroneous; ev-3 declared before it arrives
                self._event(
                    1001,
                    "2026-11-24T12:30:05Z",
                    event_id="ev-1",
                    event_time="2026-11-24T10:00:00Z",
                    extra=declaration,
                ),
                self._event(
                    1003,
                    "2026-11-24T12:31:05Z",
                    event_id="ev-3",
                    event_time="2026-11-24T12:20:00Z",
                    extra=declaration,
                ),
                self._event(
                    1003,
                    "2026-11-24T12:32:05Z",
                    event_id="ev-3",
                    event_time="2026-11-24T12:20:00Z",
                ),
            ]
        )
        with freeze_time("2026-11-24 13:00:00"):
            answer = self._poll()
        self.assertPollMessage(
            answer,
            "0 events applied, 1 already applied, 0 refused, 2 error declarations.",
        )
        self.assertRecordValues(
            self._rows(),
            [
                {"event_key": "ev-1", "kind": "event", "state": "applied"},
                {"event_key": "ev-1", "kind": "declaration", "state": "declared"},
                {"event_key": "ev-3", "kind": "declaration", "state": "declared"},
                {"event_key": "ev-3", "kind": "event", "state": "retracted"},
            ],
        )
        self.assertEqual(
            self.repository.last_error,
            "event ev-1: declared erroneous on 2026-11-24T12:30:00Z (reason: "
            "urn:epcglobal:cbv:er:incorrect_data) after it was applied: its effect "
            "stays, correct the assets by hand",
        )
        # the declared event never applied
        self.assertRecordValues(
            self.wrench_3, [{"location_id": self.stock_a.id, "last_seen_date": False}]
        )

    @freeze_time("2026-11-24 12:00:00")
    def test_query_too_large_pages_by_time_window(self):
        self.server.max_events = 2
        self.server.set_events(
            [
                self._event(1001, f"2026-11-24T10:{minute:02d}:05Z")
                for minute in (0, 10, 20, 30, 40)
            ]
        )
        answer = self._poll()
        self.assertPollMessage(
            answer,
            "5 events applied, 0 already applied, 0 refused, 0 error declarations.",
        )
        windows = [(start, end) for start, end, _kinds in self.server.polls]
        # some windows were refused as too large, then asked again, halved
        starts = [start for start, _end in windows]
        self.assertGreater(len(starts), len(set(starts)))
        answered = []
        for start, end in windows:
            if answered and answered[-1][0] == start:
                answered[-1] = (start, end)  # a smaller retry of the same start
            else:
                answered.append((start, end))
        self.assertEqual(answered[0][0], "2026-11-24T08:55:00+00:00")
        self.assertEqual(answered[-1][1], "2026-11-24T12:00:00+00:00")
        for previous, following in itertools.pairwise(answered):
            self.assertEqual(previous[1], following[0])
        self.assertRecordValues(
            self.repository,
            [{"state": "ok", "bookmark": datetime(2026, 11, 24, 12, 0)}],
        )
        self.assertEqual(
            self.wrench_1.last_seen_date, datetime(2026, 11, 24, 10, 40, 0)
        )

    def test_timeout_is_recorded_and_retried_with_back_off(self):
        self.server.set_events([self._event(1001, "2026-11-24T10:00:05Z")])
        self.server.delay = 2.0
        self.repository.timeout = 1
        with freeze_time("2026-11-24 12:00:00"):
            answer = self._poll()
        self.assertEqual(answer["params"]["type"], "danger")
        reason = f"no answer from {self.server.url} within 1 s"
        self.assertRepository(
            state="error",
            last_error=reason,
            failure_count=1,
            next_poll_date=datetime(2026, 11, 24, 12, 1),
            bookmark=datetime(2026, 11, 24, 9, 0),
        )
        with freeze_time("2026-11-24 12:01:00"):
            self.env["stock.asset.epcis.repository"]._cron_poll()
        self.env.invalidate_all()
        self.assertRecordValues(
            self.repository,
            [{"failure_count": 2, "next_poll_date": datetime(2026, 11, 24, 12, 3)}],
        )
        # not due yet: the cron leaves it alone
        polls = len(self.server.polls)
        with freeze_time("2026-11-24 12:02:00"):
            self.env["stock.asset.epcis.repository"]._cron_poll()
        self.assertEqual(len(self.server.polls), polls)
        # the server answers again: nothing was lost
        self.server.delay = 0.0
        with freeze_time("2026-11-24 12:03:00"):
            self.env["stock.asset.epcis.repository"]._cron_poll()
        self.env.invalidate_all()
        self.assertRepository(
            state="ok",
            failure_count=0,
            last_error=False,
            bookmark=datetime(2026, 11, 24, 12, 3),
        )
        self.assertEqual(self.wrench_1.location_id, self.shelf_a)

    @freeze_time("2026-11-24 12:00:00")
    def test_soap_fault_is_recorded(self):
        self.server.set_events([self._event(1001, "2026-11-24T10:00:05Z")])
        self.server.fault = "ImplementationException"
        self._poll()
        self.assertRepository(
            state="error",
            last_error="ImplementationException: ImplementationException "
            "raised by the loopback server",
            bookmark=datetime(2026, 11, 24, 9, 0),
        )
        self.assertFalse(self.wrench_1.last_seen_date)

    @freeze_time("2026-11-24 12:00:00")
    def test_wsdl_that_is_not_epcis(self):
        self.repository.wsdl_url = f"{self.server.base_url}/echo?wsdl"
        reason = (
            f"WSDL {self.server.base_url}/echo?wsdl is not an EPCIS query interface: "
            "no binding with poll, getQueryNames, getStandardVersion, "
            "getVendorVersion in the EPCIS query namespace (missing: getQueryNames, "
            "getStandardVersion, getVendorVersion, poll; offered: echo)"
        )
        with self.assertRaises(UserError) as caught:
            self.repository.with_user(self.manager_a).action_test_connection()
        self.assertEqual(
            caught.exception.args[0],
            f"Connection test of Loopback EPCIS failed: {reason}",
        )
        self._poll()
        self.assertRecordValues(
            self.repository, [{"state": "error", "last_error": reason}]
        )

    def test_malformed_and_unmapped_events_are_kept_and_passed(self):
        malformed = self._event(1003, "2026-11-24T10:10:05Z", event_id="ev-bad")
        malformed = malformed.replace(
            "<action>OBSERVE</action>", "<action>MOVE</action>"
        )
        self.server.set_events(
            [
                self._event(1001, "2026-11-24T10:00:05Z", event_id="ev-1"),
                malformed,
                self._event(
                    1002, "2026-11-24T10:20:05Z", place=UNMAPPED, event_id="ev-3"
                ),
                self._event(1003, "2026-11-24T10:30:05Z", event_id="ev-4"),
            ]
        )
        with freeze_time("2026-11-24 12:00:00"):
            answer = self._poll()
        self.assertEqual(answer["params"]["type"], "warning")
        self.assertEqual(
            self.repository.last_error,
            "event ev-bad: <action> must be ADD, OBSERVE or DELETE, got 'MOVE'\n"
            f"event ev-3: read point / business location {UNMAPPED} is not mapped to "
            "a stock location on the repository",
        )
        # the refused events do not hold the bookmark: they are kept, reported
        self.assertRepository(
            state="warning",
            bookmark=datetime(2026, 11, 24, 12, 0),
            polled_until=datetime(2026, 11, 24, 12, 0),
            refused_count=2,
            applied_count=2,
        )
        self.assertRecordValues(
            self._rows(),
            [
                {"event_key": "ev-1", "state": "applied", "message": False},
                {
                    "event_key": "ev-bad",
                    "state": "refused",
                    "message": "<action> must be ADD, OBSERVE or DELETE, got 'MOVE'",
                },
                {
                    "event_key": "ev-3",
                    "state": "refused",
                    "message": f"read point / business location {UNMAPPED} is not "
                    "mapped to a stock location on the repository",
                },
                {"event_key": "ev-4", "state": "applied", "message": False},
            ],
        )
        self.assertLocations(
            self.wrench_1 | self.wrench_2 | self.wrench_3,
            [self.shelf_a, self.stock_a, self.shelf_a],
        )
        # the read point gets mapped and the refused events are asked again
        self.repository.location_map_ids = [
            (0, 0, {"epcis_location": UNMAPPED, "location_id": self.store.id})
        ]
        with freeze_time("2026-11-24 12:30:00"):
            self.repository.with_user(self.manager_a).action_retry_refused()
            self.assertEqual(
                self.repository.bookmark, datetime(2026, 11, 24, 10, 10, 5)
            )
            answer = self._poll()
        self.assertPollMessage(
            answer,
            "1 events applied, 1 already applied, 0 refused, 0 error declarations.",
        )
        self.assertRowStates(
            {
                "ev-1": "applied",
                "ev-bad": "refused",
                "ev-3": "applied",
                "ev-4": "applied",
            }
        )
        self.assertEqual(self.wrench_2.location_id, self.store)
        self.assertRecordValues(
            self.repository,
            [{"bookmark": datetime(2026, 11, 24, 12, 30), "refused_count": 1}],
        )
        # the malformed one is given up: it stays listed, as skipped
        self.repository.with_user(self.manager_a).action_skip_refused()
        self.assertRecordValues(self.repository, [{"state": "ok", "refused_count": 0}])
        self.assertEqual(self._rows()[1].state, "skipped")

    @freeze_time("2026-11-24 12:00:00")
    def test_test_connection_with_url_and_with_uploaded_wsdl(self):
        answer = self.repository.with_user(self.manager_a).action_test_connection()
        self.assertEqual(
            answer["params"]["message"],
            f"EPCIS 2.0, {VENDOR_VERSION}; queries: SimpleEventQuery, "
            "SimpleMasterDataQuery",
        )
        wsdl = (self.shared / "WSDL" / "EPCglobal-epcis-query-2_0.wsdl").read_bytes()
        self.repository.write(
            {
                "wsdl_url": False,
                "wsdl_file": base64.b64encode(wsdl),
                "wsdl_filename": "EPCglobal-epcis-query-2_0.wsdl",
            }
        )
        self.repository.with_user(self.manager_a).action_test_connection()
        self.env.invalidate_all()
        self.assertRepository(
            standard_version="2.0",
            vendor_version=VENDOR_VERSION,
            query_names="SimpleEventQuery, SimpleMasterDataQuery",
            last_test_date=datetime(2026, 11, 24, 12, 0),
        )

    @freeze_time("2026-11-24 12:00:00")
    def test_cron_goes_on_past_a_failing_repository(self):
        broken = self.repository.copy(
            {"name": "Unreachable", "endpoint_url": "http://127.0.0.1:9/epcis/query"}
        )
        self.server.set_events([self._event(1001, "2026-11-24T10:00:05Z")])
        self.assertTrue(self.env["stock.asset.epcis.repository"]._cron_poll())
        self.env.invalidate_all()
        self.assertEqual(self.repository.state, "ok")
        self.assertEqual(broken.state, "error")
        # the system's reason, not the HTTP library's internals
        self.assertEqual(
            broken.last_error,
            "cannot reach http://127.0.0.1:9/epcis/query: Connection refused",
        )
        self.assertEqual(broken.next_poll_date, datetime(2026, 11, 24, 12, 1))

    def test_credentials_and_companies(self):
        secret = self.repository.with_user(self.manager_a)
        secret.write({"auth_type": "basic", "username": "poller", "password": "s3cret"})
        self.assertEqual(secret.password, "s3cret")
        as_user = self.repository.with_user(self.user_a)
        self.assertEqual(as_user.name, "Loopback EPCIS")
        with self.assertRaises(AccessError):
            as_user.read(["password"])
        with self.assertRaises(AccessError):
            as_user.action_poll_now()
        self.assertFalse(
            self.env["stock.asset.epcis.repository"]
            .with_user(self.user_b)
            .search([("id", "=", self.repository.id)])
        )
        self.assertFalse(
            self.env["stock.asset.epcis.polled.event"]
            .with_user(self.user_b)
            .search([("repository_id", "=", self.repository.id)])
        )
