# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixtures for the scan API tests: API keys, a reader, assets with EPCs, and a
helper that posts over real HTTP."""

import functools
import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from threading import Event
from urllib.parse import quote

import requests

from odoo import Command
from odoo.tests import HttpCase

from ..tools import epc as epc_lib
from .common import ASSET_DEVICE, TwoCompanies, company_user

API = "/api/asset-tracking/v1"
TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
OPENAPI_PATH = TESTS_DIR.parent / "docs" / "openapi.yaml"
NEXT_LINK_RE = re.compile(r'<(?P<url>[^>]+)>; rel="next"')


def data_file(name):
    """The bytes of a capture in ``tests/data``, exactly as the reader sent them."""
    return (DATA_DIR / name).read_bytes()


def shared_epcis_dir():
    """``shared/epcis`` of the workspace: the first parent of this file that holds
    it (CI clones the addon into another folder with ``shared/`` beside it)."""
    for folder in TESTS_DIR.parents:
        candidate = folder / "shared" / "epcis"
        if candidate.is_dir():
            return candidate
    return None


def vendor_batch_id(source, device, body):
    """The batch id of a vendor payload posted without an Idempotency-Key."""
    prefix = f"{source}:{device}" if device else source
    return f"{prefix}:{hashlib.sha256(body).hexdigest()[:32]}"


@functools.cache
def openapi_spec():
    """docs/openapi.yaml, loaded (and checked as OpenAPI 3) once."""
    from openapi_core import OpenAPI

    return OpenAPI.from_file_path(str(OPENAPI_PATH))


EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def epcis_json_document(events, created="2026-11-24T10:00:05Z", context=True):
    """An EPCIS 2.0 document (JSON) of ``events``, created at ``created``, with
    GS1's ``@context`` unless ``context`` is false."""
    document = {"@context": [EPCIS_CONTEXT]} if context else {}
    document.update(
        {
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": created,
            "epcisBody": {"eventList": list(events)},
        }
    )
    return document


def answer_without_results(batch_id, status, reads, **values):
    """The answer for batch ``batch_id`` of ``reads`` reads, in ``status``, with
    nothing counted and no result (queued, processing, failed, or empty);
    ``values`` add or override keys (duplicate, message...)."""
    return {
        "batch_id": batch_id,
        "duplicate": False,
        "status": status,
        "reads": reads,
        "unique_codes": 0,
        "matched": 0,
        "unknown": 0,
        "invalid": 0,
        "results": [],
        **values,
    }


def invalid_code_answer(code, message):
    """The answer of a code that is neither an EPC nor a GS1 key: ``message``."""
    return {
        "code": code,
        "epc_uri": None,
        "gs1": None,
        "status": "invalid",
        "asset_id": None,
        "asset_code": None,
        "message": message,
    }


def giai96(reference, prefix="0614141"):
    """A GIAI-96 EPC of the GS1 example company prefix (TDS)."""
    return epc_lib.encode("giai-96", prefix, filter=3, asset_reference=str(reference))


class ScanApiCommon(TwoCompanies, HttpCase):
    # every answer received through post() / get() / post_in_threads() must be one
    # docs/openapi.yaml describes (issue 3: the real answers validate against it)
    openapi_check = True
    COMPANY_NAMES = ("Scan Co A", "Scan Co B")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_two_companies()
        Location = cls.env["stock.location"]
        cls.shelf_1, cls.shelf_2, cls.dock = Location.create(
            [
                {
                    "name": name,
                    "barcode": barcode,
                    "location_id": cls.stock_a.id,
                    "company_id": cls.company_a.id,
                }
                for name, barcode in (
                    ("Shelf 1", "A-SHELF-1"),
                    ("Shelf 2", "A-SHELF-2"),
                    ("Dock", "A-DOCK"),
                )
            ]
        )
        cls.shelf_b = Location.create(
            {
                "name": "Shelf B",
                "barcode": "B-SHELF",
                "location_id": cls.stock_b.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.reader_user = company_user(cls.env, "reader_a", cls.company_a, ASSET_DEVICE)
        cls.no_right_user = company_user(cls.env, "no_right_a", cls.company_a)
        cls.user_b = company_user(cls.env, "reader_b", cls.company_b, ASSET_DEVICE)
        cls.key = cls._api_key(cls.reader_user)
        cls.key_no_right = cls._api_key(cls.no_right_user)
        cls.key_b = cls._api_key(cls.user_b)
        # a handheld RFID reader: each read applies as it comes (fixed readers
        # follow the presence rules, tested in test_presence)
        cls.device = cls._handheld_reader("reader-7", cls.shelf_1, [(2, cls.dock)])
        Asset = cls.env["stock.asset"]
        cls.assets = Asset.create(
            [
                {
                    "name": f"Drill {n}",
                    "code": f"A-{n:05d}",
                    "epc": giai96(5000 + n),
                    "company_id": cls.company_a.id,
                    "location_id": cls.stock_a.id,
                }
                for n in range(1, 6)
            ]
        )
        cls.asset_b = Asset.create(
            {
                "name": "Drill B",
                "code": "B-00001",
                "epc": giai96(9001),
                "company_id": cls.company_b.id,
                "location_id": cls.stock_b.id,
            }
        )

    @classmethod
    def _handheld_reader(cls, name, location, antennas=()):
        """A handheld RFID reader ``name`` of company A at ``location``;
        ``antennas``: (antenna, location) of the antennas that read elsewhere."""
        return cls.env["stock.asset.device"].create(
            {
                "name": name,
                "device_type": "mobile_rfid",
                "company_id": cls.company_a.id,
                "location_id": location.id,
                "antenna_ids": [
                    Command.create({"antenna": antenna, "location_id": place.id})
                    for antenna, place in antennas
                ],
            }
        )

    @classmethod
    def _setup_holder(cls):
        """The assets in use, and ``holder``, Ada of company A, whom the custody
        reads name by her reference (``holder="EMP-ADA"``)."""
        cls.holder = cls.env["res.partner"].create(
            {"name": "Ada Holder", "ref": "EMP-ADA", "company_id": cls.company_a.id}
        )
        cls.assets.write({"state": "in_use"})

    @classmethod
    def _api_key(cls, user):
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(
                None, f"key of {user.login}", datetime.now() + timedelta(days=30)
            )
        )

    def post(self, path, body, key=None, content_type="application/json", headers=None):
        """POST to the API over real HTTP; returns (status, decoded JSON or None)."""
        # bytes and text go as they are, an iterator streamed (chunked)
        data = json.dumps(body) if isinstance(body, dict | list) else body
        all_headers = {"Content-Type": content_type}
        if key is not False:
            all_headers["Authorization"] = f"Bearer {key or self.key}"
        all_headers.update(headers or {})
        response = self.opener.post(
            self.base_url() + f"{API}{path}", data=data, headers=all_headers, timeout=60
        )
        if self.openapi_check:
            self.assertOpenApi(response)
        return response.status_code, self._json(response), response

    def get(self, path, key=None, params=None):
        headers = {}
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.key}"
        response = self.opener.get(
            self.base_url() + f"{API}{path}", headers=headers, params=params, timeout=60
        )
        if self.openapi_check:
            self.assertOpenApi(response)
        return response.status_code, self._json(response), response

    def get_batch(self, batch_id, key=None):
        """GET the status of a batch, its id percent-encoded as one path segment."""
        return self.get(f"/batches/{quote(batch_id, safe='')}", key=key)

    def assertBatchApplied(self, batch, results):
        """POST ``batch`` to /batches: it is applied (200) and answers ``results``,
        (asset code, status, message) per code in order; returns the answer."""
        status, body, _r = self.post("/batches", batch)
        self.assertEqual(status, 200, body)
        self.assertEqual(self._results(body), results)
        return body

    def assertBatchRefused(self, batch, status, error):
        """POST ``batch`` to /batches: refused with ``status`` and exactly
        ``error`` ({"code", "message"})."""
        answer_status, body, _r = self.post("/batches", batch)
        self.assertEqual((answer_status, body["error"]), (status, error))

    def assertOpenApi(self, response):
        """The answer (status, headers, body) is one docs/openapi.yaml describes."""
        from openapi_core.contrib.requests import (
            RequestsOpenAPIRequest,
            RequestsOpenAPIResponse,
        )
        from openapi_core.exceptions import OpenAPIError

        sent = response.request
        if not isinstance(sent.body, bytes | str | None):
            sent = sent.copy()
            sent.body = None  # a streamed body is gone; only the answer is judged
        try:
            openapi_spec().validate_response(
                RequestsOpenAPIRequest(sent),
                RequestsOpenAPIResponse(response),
            )
        except OpenAPIError as error:
            cause = error.__cause__
            details = [e.message for e in getattr(cause, "schema_errors", ()) or ()]
            self.fail(
                f"{response.request.method} {response.request.path_url} answered "
                f"{response.status_code} {response.text[:2000]!r}, not as "
                f"docs/openapi.yaml says: {error} {details}"
            )

    def next_page_link(self, response, expires):
        """The URL of the Link header (rel="next") of a page, whose token expires
        at ``expires`` (GS1-Next-Page-Token-Expires); None on the last page,
        which has neither header."""
        link = response.headers.get("Link")
        if link is None:
            self.assertNotIn("GS1-Next-Page-Token-Expires", response.headers)
            return None
        match = NEXT_LINK_RE.fullmatch(link)
        self.assertTrue(match, link)
        self.assertEqual(response.headers["GS1-Next-Page-Token-Expires"], expires)
        return match["url"]

    def revoke_key(self, user):
        """Revoke every API key of ``user`` as the user does in their preferences."""
        keys = self.env["res.users.apikeys"].sudo().search([("user_id", "=", user.id)])
        self.assertTrue(keys)
        keys.with_user(user)._remove()

    def post_in_threads(self, calls, workers=6):
        """POST ``calls`` (dicts of :meth:`post` arguments) from ``workers`` threads.

        Every thread waits at one gate, opened once all are submitted, so that the
        requests reach the server together. Each thread has its own HTTP session
        (``self.opener`` flushes the test cursor and is not for threads). Returns
        ``(status, json, response)`` per call, in the order of ``calls``.
        """
        self.env.flush_all()
        self.env.invalidate_all()
        gate = Event()

        def send(call):
            gate.wait()
            headers = {
                "Content-Type": call.get("content_type", "application/json"),
                "Authorization": f"Bearer {call.get('key') or self.key}",
                **call.get("headers", {}),
            }
            body = call["body"]
            data = json.dumps(body) if isinstance(body, dict | list) else body
            with requests.Session() as session:
                response = session.post(
                    self.base_url() + f"{API}{call['path']}",
                    data=data,
                    headers=headers,
                    timeout=120,
                )
            return response.status_code, self._json(response), response

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(send, call) for call in calls]
            gate.set()
            answers = [future.result() for future in futures]
        self.env.invalidate_all()
        if self.openapi_check:
            for _status, _body, response in answers:
                self.assertOpenApi(response)
        return answers

    @staticmethod
    def _results(body):
        """The results of a batch answer: (asset code, status, message) per code."""
        return [
            (r["asset_code"], r["status"], r.get("message")) for r in body["results"]
        ]

    @staticmethod
    def _json(response):
        try:
            return response.json()
        except ValueError:
            return None

    @staticmethod
    def batch(batch_id, codes, **extra):
        reads = [
            {
                "code": code,
                "antenna": 1,
                "rssi": -60.0,
                "timestamp": "2026-11-24T10:00:00Z",
            }
            if isinstance(code, str)
            else code
            for code in codes
        ]
        return dict({"batch_id": batch_id, "reads": reads}, **extra)
