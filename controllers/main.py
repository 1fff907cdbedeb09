# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Scan and RFID API: transport only (see docs/openapi.yaml).

Each route authenticates with an Odoo API key (``auth='bearer'``), checks size and
shape, calls one model method and turns its result into JSON. Errors, including
the authentication ones Odoo raises before the route runs, are answered as
``{"error": {"code", "message"}}`` by ``ir.http._handle_error``.
"""

import json
from urllib.parse import quote

from odoo import http
from odoo.http import request

from ..tools import reader_formats
from ..tools.scan_api import ApiError

API = "/api/asset-tracking/v1"
DEFAULT_MAX_BODY = 32 * 1024 * 1024
JSON_TYPES = ("application/json", "application/ld+json")
VENDOR_TYPES = (*JSON_TYPES, "application/x-ndjson", "text/plain")


def json_response(body, status=200, headers=None):
    return request.make_response(
        json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        headers=[
            ("Content-Type", "application/json; charset=utf-8"),
            *(headers or {}).items(),
        ],
        status=status,
    )


def error_response(error):
    return json_response(error.body(), error.status, error.headers)


def _answer(method, *args):
    """The JSON answer of a read route's model method, or its ApiError."""
    try:
        return json_response(method(*args))
    except ApiError as error:
        return error_response(error)


class AssetTrackingApi(http.Controller):
    # helpers -------------------------------------------------------------------------
    def _max_body(self):
        value = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("stock_asset_tracking.max_body_bytes")
        )
        return int(value) if value and value.isdigit() else DEFAULT_MAX_BODY

    def _read_body(self, accepted_types):
        """The raw body, refused before parsing when too large or not JSON."""
        httprequest = request.httprequest
        limit = self._max_body()
        length = httprequest.content_length
        if length is not None and length > limit:
            raise ApiError(413, "payload_too_large", f"body over {limit} bytes")
        if httprequest.mimetype not in accepted_types and not (
            httprequest.mimetype or ""
        ).endswith("+json"):
            raise ApiError(
                400,
                "unsupported_media_type",
                "send the body as application/json",
            )
        # no Content-Length (chunked): werkzeug bounds the read by Odoo's own limit
        body = httprequest.get_data(cache=False)
        if len(body) > limit:
            raise ApiError(413, "payload_too_large", f"body over {limit} bytes")
        return body

    def _post(self, parse, source, device=None):
        try:
            # who may post comes first: nothing of the body is read for a refused key
            request.env["stock.asset.scan.batch"]._api_check_user()
            body = self._read_body(JSON_TYPES if source == "native" else VENDOR_TYPES)
            status, answer = request.env["stock.asset.scan.batch"]._api_post(
                parse(body),
                source=source,
                device_name=device,
                idempotency_key=request.httprequest.headers.get("Idempotency-Key"),
                raw_body=body,
            )
        except ApiError as error:
            return error_response(error)
        headers = {}
        if status == 202:
            if source == "epcis":
                # EPCIS 2.0 REST binding: the capture job, when a batch came of it
                job_id = answer.get("batch") and answer["captureID"]
                where = job_id and f"{API}/epcis/capture/{quote(job_id, safe='')}"
            else:
                batch_id = answer.get("batch_id")
                where = batch_id and f"{API}/batches/{quote(batch_id, safe='')}"
            if where:
                headers["Location"] = where
        return json_response(answer, status, headers)

    # routes --------------------------------------------------------------------------
    @http.route(
        f"{API}/batches", type="http", auth="bearer", methods=["POST"], csrf=False
    )
    def post_batch(self):
        return self._post(_parse_json, "native")

    @http.route(
        f"{API}/readers/<string:device>/zebra",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
    )
    def post_zebra(self, device):
        return self._post(_vendor(reader_formats.parse_zebra), "zebra", device)

    @http.route(
        f"{API}/readers/<string:device>/impinj",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
    )
    def post_impinj(self, device):
        return self._post(_vendor(reader_formats.parse_impinj), "impinj", device)

    @http.route(
        f"{API}/epcis/capture",
        type="http",
        auth="bearer",
        methods=["POST"],
        csrf=False,
    )
    def post_epcis_capture(self):
        return self._post(_vendor(reader_formats.parse_epcis_document), "epcis")

    @http.route(
        f"{API}/batches/<path:batch_id>",
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
    )
    def get_batch(self, batch_id):
        return _answer(request.env["stock.asset.scan.batch"]._api_status, batch_id)

    @http.route(
        f"{API}/epcis/capture/<path:capture_id>",
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
    )
    def get_epcis_capture(self, capture_id):
        return _answer(
            request.env["stock.asset.scan.batch"]._api_capture_status, capture_id
        )

    @http.route(
        f"{API}/epcis/events",
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
    )
    def get_epcis_events(self, asset=None, **kw):
        return _answer(
            request.env["stock.asset.epcis.export"]._api_events,
            asset,
            kw.get("from"),
            kw.get("to"),
        )

    @http.route(
        f"{API}/lookup", type="http", auth="bearer", methods=["GET"], readonly=True
    )
    def lookup(self, code=None, **_kw):
        return _answer(request.env["stock.asset"]._api_lookup, code)


def _parse_json(body):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(400, "invalid_json", f"malformed JSON: {error}") from None


def _vendor(parser):
    def parse(body):
        try:
            return {"vendor": parser(body)}
        except reader_formats.FormatError as error:
            raise ApiError(
                400, getattr(error, "code", "bad_request"), str(error)
            ) from None

    return parse
