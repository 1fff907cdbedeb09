# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The ``results`` of a batch answer in pages (``perPage``, ``nextPageToken``,
``Link: <...>; rel="next"``), over real HTTP: the status route, the EPCIS
capture job and the answer of a POST; and scan batches with observations, which
no user may delete."""

from datetime import datetime
from urllib.parse import parse_qs, quote, urlsplit

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import paging
from .common import ASSET_DEVICE, ASSET_MANAGER, company_user
from .scan_common import API, ScanApiCommon, giai96
from .test_openapi_answers import epcis_document

PAGE_SIZE = "stock_asset_tracking.batch_results_page_size"
MAX_PAGE_SIZE = "stock_asset_tracking.batch_results_max_page_size"


def refused(reason):
    return (
        400,
        {
            "error": {
                "code": "bad_request",
                "message": f"parameter nextPageToken: {reason}; follow the Link "
                "header of the previous page, or start again without "
                "nextPageToken",
            }
        },
    )


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestBatchPaging(ScanApiCommon):
    """A batch of more results than a page, read page by page over HTTP."""

    openapi_check = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_reader = company_user(
            cls.env, "reader_a2", cls.company_a, ASSET_DEVICE
        )
        cls.key_a2 = cls._api_key(cls.other_reader)
        cls.manager = company_user(
            cls.env, "asset_manager_a", cls.company_a, ASSET_MANAGER
        )

    # helpers ------------------------------------------------------------------------
    def codes(self, count=25):
        """5 matched codes, ``count - 6`` unknown EPCs and one invalid code."""
        return [
            *self.assets.mapped("code"),
            *(giai96(7000 + n) for n in range(count - 6)),
            "urn:epc:id:giai:not-a-giai",
        ]

    def post_batch(self, batch_id, count=25):
        status, body, response = self.post(
            "/batches", self.batch(batch_id, self.codes(count), device="reader-7")
        )
        self.assertEqual(status, 200, body)
        return body, response

    def fetch(self, url, key=None):
        """GET an absolute URL (a Link) as the API does: (status, body, response)."""
        response = self.opener.get(
            url, headers={"Authorization": f"Bearer {key or self.key}"}, timeout=60
        )
        self.assertOpenApi(response)
        return response.status_code, self._json(response), response

    def next_url(self, response, path):
        """The URL of the Link header (rel="next") on ``path``, or None."""
        url = self.next_page_link(response, "2026-11-25T12:00:00Z")
        if url is None:
            return None
        self.assertEqual(url.split("?")[0], f"{self.base_url()}{API}{path}")
        self.assertEqual(
            set(parse_qs(urlsplit(url).query)), {"perPage", "nextPageToken"}
        )
        return url

    def walk(self, body, response, path, results=lambda body: body["results"]):
        """Every page from a first answer on, following the Links: [(results,
        body without results)]."""
        pages = []
        while True:
            items = results(body)
            pages.append((list(items), body))
            url = self.next_url(response, path)
            if not url:
                return pages
            status, body, response = self.fetch(url)
            self.assertEqual(status, 200, body)

    def token_of(self, path, params, key=None):
        status, body, response = self.get(path, key=key, params=params)
        self.assertEqual(status, 200, body)
        url = self.next_url(response, path)
        return parse_qs(urlsplit(url).query)["nextPageToken"][0]

    @staticmethod
    def path_of(batch_id):
        return f"/batches/{quote(batch_id, safe='')}"

    def counts(self, body):
        return {name: value for name, value in body.items() if name != "results"}

    # tests --------------------------------------------------------------------------
    def test_pages_join_to_the_whole_results(self):
        whole, response = self.post_batch("reader-7/paging/1")
        self.assertNotIn("Link", response.headers)
        self.assertEqual(
            self.counts(whole),
            {
                "batch_id": "reader-7/paging/1",
                "duplicate": False,
                "status": "done",
                "reads": 25,
                "unique_codes": 25,
                "matched": 5,
                "unknown": 19,
                "invalid": 1,
            },
        )
        self.assertEqual(len(whole["results"]), 25)
        path = self.path_of("reader-7/paging/1")
        # unpaged as it always was: the default page holds it
        status, body, response = self.get(path)
        self.assertEqual((status, body), (200, whole))
        self.assertIsNone(self.next_url(response, path))
        for per_page, sizes in (("10", [10, 10, 5]), ("5", [5] * 5), ("24", [24, 1])):
            with self.subTest(perPage=per_page):
                status, body, response = self.get(path, params={"perPage": per_page})
                self.assertEqual(status, 200, body)
                pages = self.walk(body, response, path)
                self.assertEqual([len(items) for items, _body in pages], sizes)
                joined = [item for items, _body in pages for item in items]
                self.assertEqual(joined, whole["results"])
                # the counts are the batch's on every page
                for _items, page in pages:
                    self.assertEqual(self.counts(page), self.counts(whole))
        # exactly one page
        status, body, response = self.get(path, params={"perPage": "25"})
        self.assertEqual((status, body), (200, whole))
        self.assertIsNone(self.next_url(response, path))
        # reading pages changed nothing of the batch
        batch = self.env["stock.asset.scan.batch"].search(
            [("name", "=", "reader-7/paging/1")]
        )
        self.assertRecordValues(
            batch, [{"state": "done", "unique_count": 25, "matched_count": 5}]
        )
        self.assertEqual(len(batch.observation_ids), 25)

    def test_default_and_maximum_page_size(self):
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(
            (params.get_param(PAGE_SIZE), params.get_param(MAX_PAGE_SIZE)),
            ("10000", "50000"),
        )
        whole, _response = self.post_batch("reader-7/paging/2")
        path = self.path_of("reader-7/paging/2")
        params.set_param(PAGE_SIZE, "10")
        status, body, response = self.get(path)
        self.assertEqual(status, 200, body)
        pages = self.walk(body, response, path)
        self.assertEqual([len(items) for items, _body in pages], [10, 10, 5])
        self.assertEqual(
            [item for items, _body in pages for item in items], whole["results"]
        )
        # a perPage above the maximum is served the maximum; the default never
        # exceeds it
        params.set_param(MAX_PAGE_SIZE, "7")
        for query in ({"perPage": "1000000000000000000000000"}, {}):
            status, body, response = self.get(path, params=query)
            pages = self.walk(body, response, path)
            self.assertEqual([len(items) for items, _body in pages], [7, 7, 7, 4])
        # unreadable settings are ignored
        params.set_param(PAGE_SIZE, "many")
        params.set_param(MAX_PAGE_SIZE, "0")
        status, body, response = self.get(path)
        self.assertEqual((status, body), (200, whole))
        self.assertIsNone(self.next_url(response, path))

    def test_post_answer_above_the_page_size(self):
        """A POST answers whole up to the page size; beyond it, the first page and
        the Link to the next on the status route; a replay too."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PAGE_SIZE, "25")
        whole, response = self.post_batch("reader-7/paging/3")
        self.assertNotIn("Link", response.headers)
        self.assertEqual(len(whole["results"]), 25)
        params.set_param(PAGE_SIZE, "10")
        body = self.batch("reader-7/paging/4", self.codes(), device="reader-7")
        status, first, response = self.post("/batches", body)
        self.assertEqual(status, 200, first)
        path = self.path_of("reader-7/paging/4")
        self.assertEqual(
            self.counts(first), dict(self.counts(whole), batch_id="reader-7/paging/4")
        )
        pages = self.walk(first, response, path)
        self.assertEqual([len(items) for items, _body in pages], [10, 10, 5])
        joined = [item for items, _body in pages for item in items]
        params.set_param(PAGE_SIZE, "100")
        self.assertEqual(joined, self.get(path)[1]["results"])
        self.assertEqual(joined, whole["results"])
        # a replay answers the stored first page, with the same Link
        params.set_param(PAGE_SIZE, "10")
        status, again, response = self.post("/batches", body)
        self.assertEqual(status, 200, again)
        self.assertEqual(again, dict(first, duplicate=True))
        pages = self.walk(again, response, path)
        self.assertEqual([item for items, _body in pages for item in items], joined)
        # applied once
        batch = self.env["stock.asset.scan.batch"].search(
            [("name", "=", "reader-7/paging/4")]
        )
        self.assertEqual(len(batch.observation_ids), 25)

    def test_bad_page_size(self):
        self.post_batch("reader-7/paging/5")
        path = self.path_of("reader-7/paging/5")
        message = (
            "parameter perPage must be a whole number from 1 (at most 50000 results "
            "are served per page)"
        )
        for bad in ("0", "-1", "abc", "1.5", "1e3", " ", "²", "4 4"):
            with self.subTest(perPage=bad):
                status, body, response = self.get(path, params={"perPage": bad})
                self.assertEqual(
                    (status, body),
                    (400, {"error": {"code": "bad_request", "message": message}}),
                )
                self.assertNotIn("Link", response.headers)
        # an empty perPage is no perPage
        status, body, _response = self.get(path, params={"perPage": ""})
        self.assertEqual((status, len(body["results"])), (200, 25))

    def test_bad_page_token(self):
        self.post_batch("reader-7/paging/6")
        self.post_batch("reader-7/paging/7")
        path = self.path_of("reader-7/paging/6")
        token = self.token_of(path, {"perPage": "10"})
        body, signature = token.split(".")
        invalid = refused("it is not a page token of this server")
        # signed with the database secret, but as an EPCIS events token
        batch = self.env["stock.asset.scan.batch"].search(
            [("name", "=", "reader-7/paging/6")]
        )
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")

        def signed_as(scope):
            """A token of this batch's page of 10, signed under ``scope``."""
            return paging.issue_token(
                (10,),
                self.reader_user.id,
                paging.query_key("batches", batch.id),
                datetime(2026, 11, 25),
                secret,
                scope,
            )

        events_scope = signed_as(b"stock_asset_tracking.epcis_page_token:")
        for bad in (
            "nope",
            token[:-2],
            body,
            f"{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{signature}",
            "x" * 5000 + "." + signature,
            "\u00e9t\u00e9.abc",
            events_scope,
        ):
            with self.subTest(token=bad[:40]):
                status, answer, _response = self.get(
                    path, params={"perPage": "10", "nextPageToken": bad}
                )
                self.assertEqual((status, answer), invalid)
        # the same, signed as a batch token, is one
        status, answer, _response = self.get(
            path,
            params={
                "nextPageToken": signed_as(b"stock_asset_tracking.batch_page_token:")
            },
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(len(answer["results"]), 15)
        # a control character is refused before any token is read
        status, answer, _response = self.get(
            path, params={"nextPageToken": token + "\x00"}
        )
        self.assertEqual((status, answer["error"]["code"]), (400, "bad_request"))
        # another batch, or the capture route
        status, answer, _response = self.get(
            self.path_of("reader-7/paging/7"), params={"nextPageToken": token}
        )
        self.assertEqual((status, answer), refused("it was issued for another batch"))
        # another perPage continues the same results
        status, answer, _response = self.get(
            path, params={"perPage": "8", "nextPageToken": token}
        )
        self.assertEqual(status, 200, answer)
        whole = self.get(path)[1]["results"]
        self.assertEqual(answer["results"], whole[10:18])
        # after 24 hours
        with freeze_time("2026-11-25 12:00:00"):
            status, answer, _response = self.get(path, params={"nextPageToken": token})
            self.assertEqual((status, answer), refused("it has expired"))
        with freeze_time("2026-11-25 11:59:59"):
            status, answer, _response = self.get(path, params={"nextPageToken": token})
            self.assertEqual((status, answer["results"]), (200, whole[10:]))

    def test_token_of_another_user(self):
        self.post_batch("reader-7/paging/8")
        path = self.path_of("reader-7/paging/8")
        token = self.token_of(path, {"perPage": "10"})
        # a user of the same company sees the batch, not through this token
        status, body, _response = self.get(path, key=self.key_a2)
        self.assertEqual((status, len(body["results"])), (200, 25))
        status, body, _response = self.get(
            path, key=self.key_a2, params={"nextPageToken": token}
        )
        self.assertEqual((status, body), refused("it was issued to another user"))
        # another company's user does not see the batch at all
        status, body, _response = self.get(
            path, key=self.key_b, params={"nextPageToken": token}
        )
        self.assertEqual(
            (status, body),
            (
                404,
                {
                    "error": {
                        "code": "not_found",
                        "message": "no batch reader-7/paging/8",
                    }
                },
            ),
        )

    def test_capture_job_paged(self):
        epcs = [
            *(f"urn:epc:id:giai:0614141.{5000 + n}" for n in range(1, 6)),
            *(f"urn:epc:id:giai:0614141.{8000 + n}" for n in range(7)),
        ]
        self.env["ir.config_parameter"].sudo().set_param(PAGE_SIZE, "5")
        status, job, response = self.post(
            "/epcis/capture",
            epcis_document(*epcs),
            headers={"Idempotency-Key": "capture/paging/1"},
        )
        self.assertEqual(status, 202, job)
        path = f"/epcis/capture/{quote('capture/paging/1', safe='')}"
        self.assertEqual(response.headers["Location"], f"{API}{path}")
        batch = job["batch"]
        self.assertEqual(
            (batch["unique_codes"], batch["matched"], batch["unknown"]), (12, 5, 7)
        )
        pages = self.walk(job, response, path, results=lambda b: b["batch"]["results"])
        self.assertEqual([len(items) for items, _body in pages], [5, 5, 2])
        joined = [item for items, _body in pages for item in items]
        self.assertEqual([item["code"] for item in joined], epcs)
        for _items, page in pages:
            self.assertEqual(page["captureID"], "capture/paging/1")
            self.assertEqual(
                {k: v for k, v in page["batch"].items() if k != "results"},
                {k: v for k, v in batch.items() if k != "results"},
            )
        # perPage on the job's route; its token is refused on the batch route
        status, body, response = self.get(path, params={"perPage": "4"})
        pages = self.walk(body, response, path, results=lambda b: b["batch"]["results"])
        self.assertEqual([len(items) for items, _body in pages], [4, 4, 4])
        self.assertEqual([item for items, _body in pages for item in items], joined)
        token = self.token_of(path, {"perPage": "4"})
        status, body, _response = self.get(
            self.path_of("capture/paging/1"), params={"nextPageToken": token}
        )
        self.assertEqual((status, body), refused("it was issued for another batch"))

    def test_batches_with_observations_are_not_deleted(self):
        self.post_batch("reader-7/paging/9", count=8)
        Batch = self.env["stock.asset.scan.batch"]
        observed = Batch.search([("name", "=", "reader-7/paging/9")])
        empty = Batch.create(
            {"name": "reader-7/paging/empty", "company_id": self.company_a.id}
        )
        observations = observed.observation_ids
        self.assertEqual(len(observations), 8)
        with self.assertRaises(UserError) as caught:
            (observed | empty).with_user(self.manager).unlink()
        self.assertEqual(
            caught.exception.args[0],
            "Scan batches with observations cannot be deleted: the observations are "
            "the evidence of what was read (movement history, EPCIS export). "
            "Batches: reader-7/paging/9",
        )
        self.assertTrue(observed.exists())
        self.assertEqual(observations.exists(), observations)
        # a batch without observations goes; the superuser (retention) may delete
        empty.with_user(self.manager).unlink()
        self.assertFalse(empty.exists())
        observed.sudo().unlink()
        self.assertFalse(observed.exists())
        self.assertFalse(observations.exists())
