# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``GET .../epcis/events`` in pages (EPCIS 2.0 REST binding: ``perPage``,
``nextPageToken``, ``Link: <...>; rel="next"``), over real HTTP, and the signed
page token of :mod:`..tools.epcis_export`."""

import base64
import json
import uuid
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time

from odoo.tests import BaseCase, tagged

from ..tools import epcis_export
from .common import ASSET_DEVICE, company_user
from .scan_common import API, ScanApiCommon
from .test_epcis_export import EpcisSchemaMixin

T0 = datetime(2026, 11, 10, 7, 0)
T1 = datetime(2026, 11, 11, 9, 30)
T2 = datetime(2026, 11, 12, 18, 0)
SECRET = "0b5c9c1e-secret"


def _token_payload(token):
    body = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _with_payload(token, payload):
    """``token`` with another payload and its old signature (a forgery)."""
    body = base64.urlsafe_b64encode(
        json.dumps(payload, separators=(",", ":")).encode()
    ).rstrip(b"=")
    return f"{body.decode()}.{token.split('.')[1]}"


@tagged("post_install", "-at_install")
class TestEpcisPageToken(BaseCase):
    """tools/epcis_export.py: the token continues one query of one user, once
    signed, until it expires."""

    position = (datetime(2026, 11, 10, 7, 0, 0, 120000), 3, 42)
    query = epcis_export.query_key(None, None, None)
    now = datetime(2026, 11, 24, 12, 0)

    def token(self, **changes):
        values = {
            "position": self.position,
            "user_id": 7,
            "query": self.query,
            "expires": self.now + timedelta(hours=24),
            "secret": SECRET,
            **changes,
        }
        return epcis_export.page_token(**values)

    def read_token(self, token, user_id=7, query=None, now=None, secret=SECRET):
        return epcis_export.read_page_token(
            token, user_id, query or self.query, now or self.now, secret
        )

    def reason(self, token, **kwargs):
        with self.assertRaises(epcis_export.PageTokenError) as caught:
            self.read_token(token, **kwargs)
        return caught.exception.reason

    def test_round_trip(self):
        token = self.token()
        self.assertRegex(token, r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$")
        self.assertEqual(self.read_token(token), self.position)
        self.assertEqual(
            _token_payload(token),
            [1, 7, self.query, "2026-11-10T07:00:00.120000", 3, 42, 1795608000],
        )

    def test_refused(self):
        token = self.token()
        payload = _token_payload(token)
        cases = {
            "other secret": (token, {"secret": "another-database"}),
            "forged user": (_with_payload(token, [*payload[:1], 8, *payload[2:]]), {}),
            "forged position": (_with_payload(token, [*payload[:5], 1, 1]), {}),
            "no signature": (token.split(".")[0], {}),
            "cut signature": (token[:-1], {}),
            "garbage": ("not-a-token", {}),
            "two dots": (token + ".x", {}),
            "not ascii": (token[:-1] + "é", {}),
            "too long": ("A" * 600 + "." + token.split(".")[1], {}),
        }
        for name, (bad, kwargs) in cases.items():
            with self.subTest(name):
                self.assertEqual(self.reason(bad, **kwargs), "invalid")
        self.assertEqual(self.reason(token, user_id=8), "other_user")
        other_query = epcis_export.query_key(12, None, None)
        self.assertNotEqual(other_query, self.query)
        self.assertEqual(self.reason(token, query=other_query), "other_query")
        self.assertEqual(
            self.reason(token, now=self.now + timedelta(hours=24)), "expired"
        )
        self.assertEqual(
            self.read_token(token, now=self.now + timedelta(hours=23, minutes=59)),
            self.position,
        )

    def test_signed_but_wrong_shape(self):
        """Even a payload signed with the right secret must be a position."""
        for payload in (
            [],
            {"a": 1},
            [1, 7, self.query, "yesterday", 3, 42, 1795608000],
            [1, 7, self.query, "2026-11-10T07:00:00+01:00", 3, 42, 1795608000],
            [1, 7, self.query, "2026-11-10T07:00:00", 9, 42, 1795608000],
            [1, 7, self.query, "2026-11-10T07:00:00", True, 42, 1795608000],
            [1, 7, self.query, "2026-11-10T07:00:00", 3, -1, 1795608000],
            [1, 7, self.query, "2026-11-10T07:00:00", 3, "42", 1795608000],
            [2, 7, self.query, "2026-11-10T07:00:00", 3, 42, 1795608000],
        ):
            body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=")
            token = (body + b"." + epcis_export._sign(body, SECRET)).decode()
            with self.subTest(payload=payload):
                self.assertEqual(self.reason(token), "invalid")


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestEpcisPaging(EpcisSchemaMixin, ScanApiCommon):
    """A history larger than a page, read page by page over HTTP."""

    openapi_check = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", cls.base_url())
        drill, saw, meter = cls.assets[:3]
        (drill | saw | meter | cls.asset_b).action_confirm()
        holder = cls.env["res.partner"].create(
            {"name": "Jane Fitter", "company_id": cls.company_a.id}
        )
        with freeze_time(T0):
            drill.action_checkout(holder)
            cls.asset_b.action_checkout(holder.copy({"company_id": cls.company_b.id}))
        with freeze_time(T1):
            drill.action_checkin(location=cls.shelf_2)
            saw.action_checkout(holder)
        cls.batch_a, cls.batch_b = cls.env["stock.asset.scan.batch"].create(
            [
                {"name": name, "company_id": company.id, "state": "done"}
                for name, company in (
                    ("reader-7/000001", cls.company_a),
                    ("reader-b/000001", cls.company_b),
                )
            ]
        )
        # 12 reads of company A, many at the same instant as a custody event: the
        # pages of 4 end inside groups of events of one time
        moments = [T0] * 5 + [T1] * 4 + [T2] * 3
        cls._observe([(moment, n % 3 == 1) for n, moment in enumerate(moments)])
        cls._observe([(T0, False), (T2, True)], company=cls.company_b)
        cls.other_reader = company_user(
            cls.env, "reader_a2", cls.company_a, ASSET_DEVICE
        )
        cls.key_a2 = cls._api_key(cls.other_reader)

    @classmethod
    def _observe(cls, reads, company=None):
        """Observations (moved or not) of the assets of ``company`` (A)."""
        company = company or cls.company_a
        if company == cls.company_a:
            batch, assets, location = cls.batch_a, cls.assets[:3], cls.shelf_1
        else:
            batch, assets, location = cls.batch_b, cls.asset_b, cls.shelf_b
        observations = cls.env["stock.asset.observation"].create(
            [
                {
                    "batch_id": batch.id,
                    "company_id": company.id,
                    "status": "matched",
                    "mode": "observe",
                    "asset_id": assets[n % len(assets)].id,
                    "code": assets[n % len(assets)].code,
                    "location_id": location.id,
                    "moved": moved,
                    "first_seen": moment,
                    "last_seen": moment,
                }
                for n, (moment, moved) in enumerate(reads)
            ]
        )
        cls.env.flush_all()
        return observations

    # helpers ------------------------------------------------------------------------
    def fetch(self, url, key=None):
        """GET an absolute URL (a Link) as the API does: (status, body, response)."""
        response = self.opener.get(
            url, headers={"Authorization": f"Bearer {key or self.key}"}, timeout=60
        )
        self.assertOpenApi(response)
        return response.status_code, self._json(response), response

    def page(self, params=None, key=None):
        status, body, response = self.get("/epcis/events", key=key, params=params)
        self.assertEqual(status, 200, body)
        self.assertValidEpcis(body)
        return body, response

    @staticmethod
    def ids(document):
        return [event["eventID"] for event in document["epcisBody"]["eventList"]]

    def next_url(self, response):
        """The URL of the Link header (rel="next"), or None."""
        return self.next_page_link(response, "2026-11-25T12:00:00Z")

    def walk(self, params, key=None, between_pages=None):
        """Every page of a query, following the Links: [(event ids, params of the
        Link or None)]."""
        body, response = self.page(params, key)
        pages = []
        while True:
            url = self.next_url(response)
            pages.append((self.ids(body), url and parse_qs(urlsplit(url).query)))
            if not url:
                return pages
            self.assertTrue(url.startswith(f"{self.base_url()}{API}/epcis/events?"))
            if between_pages:
                between_pages(len(pages), body)
            status, body, response = self.fetch(url, key)
            self.assertEqual(status, 200, body)
            self.assertValidEpcis(body)

    def everything(self, key=None):
        """The unpaged export of the user of ``key`` (a single page)."""
        body, response = self.page({"perPage": "10000"}, key)
        self.assertIsNone(self.next_url(response))
        return self.ids(body)

    def error(self, params, key=None):
        status, body, response = self.get("/epcis/events", key=key, params=params)
        self.assertNotIn("Link", response.headers)
        return status, body

    def token_of(self, params, key=None):
        _body, response = self.page(params, key)
        return parse_qs(urlsplit(self.next_url(response)).query)["nextPageToken"][0]

    # tests --------------------------------------------------------------------------
    def test_pages_concatenate_to_the_whole_history(self):
        everything = self.everything()
        # the model's unpaged document, as the download wizard builds it
        document = (
            self.env["stock.asset.epcis.export"]
            .with_user(self.reader_user)
            ._export_document()
        )
        self.assertEqual(everything, self.ids(document))
        self.assertEqual(len(everything), 15)
        pages = self.walk({"perPage": "4"})
        self.assertEqual([len(ids) for ids, _link in pages], [4, 4, 4, 3])
        self.assertEqual([ids for page in pages for ids in page[0]], everything)
        # the Link keeps the page size and adds the token, nothing else
        for _ids, link in pages[:-1]:
            self.assertEqual(set(link), {"perPage", "nextPageToken"})
            self.assertEqual(link["perPage"], ["4"])
        self.assertIsNone(pages[-1][1])
        # 6 events of T0 (5 reads, 1 check-out): the first page ends among them
        times = [
            event["eventTime"]
            for event in self.env["stock.asset.epcis.export"]
            .with_user(self.reader_user)
            ._export_document()["epcisBody"]["eventList"]
        ]
        self.assertEqual(times[3:5], ["2026-11-10T07:00:00.000Z"] * 2)
        # company B's events are in no page of company A
        b_events = self.everything(key=self.key_b)
        self.assertEqual(len(b_events), 3)
        self.assertFalse(set(b_events) & set(everything))

    def test_query_parameters_are_kept(self):
        params = {"asset": "A-00001", "from": "2026-11-10", "to": "2026-11-12"}
        everything = self.ids(self.page(dict(params, perPage="100"))[0])
        # drill: check-out, check-in, and its reads among the 9 of T0 and T1
        self.assertEqual(len(everything), 5)
        pages = self.walk(dict(params, perPage="2"))
        self.assertEqual([len(ids) for ids, _link in pages], [2, 2, 1])
        self.assertEqual([ids for page in pages for ids in page[0]], everything)
        self.assertEqual(
            {
                name: values[0]
                for name, values in pages[0][1].items()
                if name != "nextPageToken"
            },
            dict(params, perPage="2"),
        )

    def test_default_and_maximum_page_size(self):
        everything = self.everything()
        params = self.env["ir.config_parameter"].sudo()
        # as shipped
        self.assertEqual(
            (
                params.get_param("stock_asset_tracking.epcis_page_size"),
                params.get_param("stock_asset_tracking.epcis_max_page_size"),
            ),
            ("1000", "10000"),
        )
        # no perPage: the configured page size
        params.set_param("stock_asset_tracking.epcis_page_size", "6")
        pages = self.walk({})
        self.assertEqual([len(ids) for ids, _link in pages], [6, 6, 3])
        self.assertEqual(pages[0][1]["perPage"], ["6"])
        self.assertEqual([ids for page in pages for ids in page[0]], everything)
        # a perPage above the maximum is served the maximum
        params.set_param("stock_asset_tracking.epcis_max_page_size", "5")
        pages = self.walk({"perPage": "1000000000000000000000000"})
        self.assertEqual([len(ids) for ids, _link in pages], [5, 5, 5])
        self.assertEqual(pages[0][1]["perPage"], ["5"])
        # the default never exceeds the maximum; an unreadable setting is ignored
        self.assertEqual([len(ids) for ids, _link in self.walk({})], [5, 5, 5])
        params.set_param("stock_asset_tracking.epcis_page_size", "many")
        params.set_param("stock_asset_tracking.epcis_max_page_size", "0")
        body, response = self.page({})
        self.assertEqual(self.ids(body), everything)
        self.assertIsNone(self.next_url(response))

    def test_events_recorded_while_paging(self):
        before = self.everything()
        added = []

        def record(page_number, body):
            if page_number != 1:
                return
            # page 1 ends on the T0 reads: a read of that instant recorded now,
            # and later events, come in the next pages
            self.assertEqual(
                body["epcisBody"]["eventList"][-1]["eventTime"],
                "2026-11-10T07:00:00.000Z",
            )
            added.extend(
                self._observe(
                    [(T0, True), (T2, False), (T2 + timedelta(days=1), True)]
                ).ids
            )

        pages = self.walk({"perPage": "4"}, between_pages=record)
        seen = [ids for page in pages for ids in page[0]]
        after = self.everything()
        self.assertEqual(len(after), len(before) + 3)
        self.assertEqual(len(seen), len(set(seen)), "an event came twice")
        self.assertEqual(seen, after)
        self.assertEqual([len(ids) for ids, _link in pages], [4, 4, 4, 4, 2])

    def test_bad_page_size(self):
        message = (
            "parameter perPage must be a whole number from 1 (at most 10000 events "
            "are served per page)"
        )
        for bad in ("0", "000", "-1", "abc", "1.5", "1e3", " ", "²", "4 4"):
            with self.subTest(perPage=bad):
                self.assertEqual(
                    self.error({"perPage": bad}),
                    (400, {"error": {"code": "bad_request", "message": message}}),
                )
        # an empty perPage is no perPage
        body, _response = self.page({"perPage": ""})
        self.assertEqual(len(self.ids(body)), 15)

    def test_bad_page_token(self):
        def refused(reason):
            return (
                400,
                {
                    "error": {
                        "code": "bad_request",
                        "message": f"parameter nextPageToken: {reason}; follow the "
                        "Link header of the previous page, or start again without "
                        "nextPageToken",
                    }
                },
            )

        token = self.token_of({"perPage": "4"})
        payload = _token_payload(token)
        invalid = refused("it is not a page token of this server")
        for bad in (
            "nope",
            token[:-2],
            token.split(".")[0],
            _with_payload(token, [*payload[:5], 0, 1]),
            "x" * 5000 + "." + token.split(".")[1],
            "\u00e9t\u00e9.abc",
        ):
            with self.subTest(token=bad[:40]):
                self.assertEqual(
                    self.error({"perPage": "4", "nextPageToken": bad}), invalid
                )
        # a control character is refused before any token is read
        status, body = self.error({"perPage": "4", "nextPageToken": token + "\x00"})
        self.assertEqual((status, body["error"]["code"]), (400, "bad_request"))
        # another query than the one it was issued for
        self.assertEqual(
            self.error({"perPage": "4", "asset": "A-00001", "nextPageToken": token}),
            refused("it was issued for other asset, from or to parameters"),
        )
        # another perPage is no other query
        body, _response = self.page({"perPage": "8", "nextPageToken": token})
        self.assertEqual(self.ids(body), self.everything()[4:12])
        # after 24 hours
        with freeze_time("2026-11-25 12:00:00"):
            self.assertEqual(
                self.error({"perPage": "4", "nextPageToken": token}),
                refused("it has expired"),
            )
        with freeze_time("2026-11-25 11:59:59"):
            body, _response = self.page({"perPage": "4", "nextPageToken": token})
            self.assertEqual(len(self.ids(body)), 4)

    def test_token_of_another_user(self):
        """A token of company B's user gives company A's user nothing of B; the
        same holds between two users of one company."""
        b_token = self.token_of({"perPage": "1"}, key=self.key_b)
        other_user = (
            400,
            {
                "error": {
                    "code": "bad_request",
                    "message": "parameter nextPageToken: it was issued to another "
                    "user; follow the Link header of the previous page, or start "
                    "again without nextPageToken",
                }
            },
        )
        self.assertEqual(
            self.error({"perPage": "1", "nextPageToken": b_token}), other_user
        )
        # rewritten for A's user, the signature no longer holds
        payload = _token_payload(b_token)
        self.assertEqual(payload[1], self.user_b.id)
        forged = _with_payload(b_token, [payload[0], self.reader_user.id, *payload[2:]])
        self.assertEqual(
            self.error({"perPage": "1", "nextPageToken": forged}),
            (
                400,
                {
                    "error": {
                        "code": "bad_request",
                        "message": "parameter nextPageToken: it is not a page token "
                        "of this server; follow the Link header of the previous "
                        "page, or start again without nextPageToken",
                    }
                },
            ),
        )
        a_token = self.token_of({"perPage": "4"})
        self.assertEqual(
            self.error({"perPage": "4", "nextPageToken": a_token}, key=self.key_a2),
            other_user,
        )
        # B's own token goes on with B's events only
        body, _response = self.page(
            {"perPage": "5", "nextPageToken": b_token}, self.key_b
        )
        self.assertEqual(len(self.ids(body)), 2)
        self.assertEqual(
            {
                epc
                for event in body["epcisBody"]["eventList"]
                for epc in event["epcList"]
            },
            {"urn:epc:id:giai:0614141.9001"},
        )

    def test_token_follows_the_companies_of_the_user(self):
        """The scope is the user's companies at each page, not at the first."""
        token = self.token_of({"perPage": "4"})
        self.reader_user.write({"company_ids": [(4, self.company_b.id)]})
        self.env.flush_all()
        ids = self.ids(self.page({"perPage": "100", "nextPageToken": token})[0])
        namespace = uuid.UUID(
            self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        )
        b_checkout = self.asset_b.custody_ids
        self.assertIn(
            f"urn:uuid:{uuid.uuid5(namespace, f'checkout:{b_checkout.id}')}", ids
        )
