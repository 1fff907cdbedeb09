# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Scan and RFID API: transport only (see docs/openapi.yaml).

Each route authenticates with an Odoo API key (``auth='bearer'``), checks size and
shape, calls one model method and turns its result into JSON with the HTTP status
it means. A route never catches: the exceptions of the checks and of the models
(the addon's refusals, ``exceptions.py``, Odoo's own, and any other) go to
``ir.http._handle_error``, the one place that answers them as
``{"error": {"code", "message"}}`` with their status (see
``models/scan/ir_http.py``), after Odoo rolled the request's transaction back.
"""

import json
from functools import partial
from urllib.parse import quote, urlencode

from odoo import http
from odoo.http import request

from ..exceptions import InvalidRequest, RequestTooLarge
from ..tools import reader_formats
from ..tools.scan_api import (
    check_idempotency_key,
    check_param,
    check_text,
)

API = "/api/asset-tracking/v1"
DEFAULT_MAX_BODY = 32 * 1024 * 1024
JSON_TYPES = ("application/json", "application/ld+json")
VENDOR_TYPES = (*JSON_TYPES, "application/x-ndjson", "text/plain")
# the answers of a batch that is not applied yet: 202 Accepted
PENDING = ("received", "queued", "processing")

# every API route authenticates with an Odoo API key; a POST carries no session
# (no CSRF token), a GET only reads (a replica may serve it)
api_post = partial(http.route, type="http", auth="bearer", methods=["POST"], csrf=False)
api_get = partial(
    http.route, type="http", auth="bearer", methods=["GET"], readonly=True
)


def json_response(body, status=200, headers=None):
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    try:
        data = text.encode()
    except UnicodeEncodeError:
        # an unpaired surrogate slipped into a value: escaped, as JSON allows
        data = json.dumps(body, separators=(",", ":")).encode()
    return request.make_response(
        data,
        headers=[
            ("Content-Type", "application/json; charset=utf-8"),
            *(headers or {}).items(),
        ],
        status=status,
    )


def _answer(method, *args, fields=()):
    """The JSON answer of a read route's model method.

    ``fields`` names the arguments taken from the URL, refused (400) when they
    hold a control character or another text that may not reach the log."""
    for value, field in zip(args, fields, strict=False):
        check_param(value, field)
    return json_response(method(*args))


def batch_status(answer, source):
    """The HTTP status of a batch POST's answer: 202 for an EPCIS capture job
    and for a batch not applied yet, else 200 (``done`` or ``failed``)."""
    if source == "epcis" or answer.get("status") in PENDING:
        return 202
    return 200


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
            raise RequestTooLarge(f"body over {limit} bytes")
        if httprequest.mimetype not in accepted_types and not (
            httprequest.mimetype or ""
        ).endswith("+json"):
            raise InvalidRequest(
                "send the body as application/json", "unsupported_media_type"
            )
        # no Content-Length (chunked): werkzeug bounds the read by Odoo's own limit
        body = httprequest.get_data(cache=True)  # kept: a replay reads it again
        if len(body) > limit:
            raise RequestTooLarge(f"body over {limit} bytes")
        return body

    def _post(self, parse, source, device=None):
        batches = request.env["stock.asset.scan.batch"]
        # who may post comes first: nothing of the body is read for a refused key
        batches._api_check_user()
        # names that reach the log and the database: no control characters
        if device is not None:
            check_text(device, "device")
        idempotency_key = check_idempotency_key(
            request.httprequest.headers.get("Idempotency-Key")
        )
        body = self._read_body(JSON_TYPES if source == "native" else VENDOR_TYPES)
        answer = batches._api_post(
            parse(body),
            source=source,
            device_name=device,
            idempotency_key=idempotency_key,
            raw_body=body,
        )
        status = batch_status(answer, source)
        # a batch of more results than a page answers the first page and the
        # Link to the next on its status route
        page = batches._api_first_page(answer, capture=source == "epcis")
        headers = {}
        if page["next_page_token"]:
            headers.update(_next_page_headers(page, {}, path=_status_path(answer)))
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
    @api_post(f"{API}/batches")
    def post_batch(self):
        return self._post(_parse_json, "native")

    @api_post(f"{API}/readers/<string:device>/zebra")
    def post_zebra(self, device):
        return self._post(_vendor(reader_formats.parse_zebra), "zebra", device)

    @api_post(f"{API}/readers/<string:device>/impinj")
    def post_impinj(self, device):
        return self._post(_vendor(reader_formats.parse_impinj), "impinj", device)

    @api_post(f"{API}/epcis/capture")
    def post_epcis_capture(self):
        return self._post(_vendor(reader_formats.parse_epcis_document), "epcis")

    @api_get(f"{API}/batches/<path:batch_id>")
    def get_batch(self, batch_id, **kw):
        return self._get_page(
            request.env["stock.asset.scan.batch"]._api_status, batch_id, "batch id", kw
        )

    def _get_page(self, method, name, field, kw):
        """The answer of a batch status route (one page of its results, the
        ``Link`` to the next)."""
        check_param(name, field)
        for param in ("perPage", "nextPageToken"):
            check_param(kw.get(param), param)
        page = method(
            name, per_page=kw.get("perPage"), page_token=kw.get("nextPageToken")
        )
        path = _status_path(page["answer"])
        return json_response(page["answer"], headers=_next_page_headers(page, {}, path))

    @api_get(f"{API}/epcis/capture/<path:capture_id>")
    def get_epcis_capture(self, capture_id, **kw):
        return self._get_page(
            request.env["stock.asset.scan.batch"]._api_capture_status,
            capture_id,
            "capture id",
            kw,
        )

    @api_get(f"{API}/epcis/events")
    def get_epcis_events(self, asset=None, **kw):
        for field in ("asset", "from", "to", "perPage", "nextPageToken"):
            check_param(asset if field == "asset" else kw.get(field), field)
        page = request.env["stock.asset.epcis.export"]._api_events(
            asset,
            kw.get("from"),
            kw.get("to"),
            per_page=kw.get("perPage"),
            page_token=kw.get("nextPageToken"),
        )
        return json_response(
            page["document"], headers=_next_page_headers(page, dict(kw, asset=asset))
        )

    @api_get(f"{API}/lookup")
    def lookup(self, code=None, **_kw):
        return _answer(request.env["stock.asset"]._api_lookup, code, fields=("code",))


def _next_page_headers(page, params, path=None):
    """EPCIS 2.0 REST binding: the ``Link`` to the next page (``rel="next"``) and
    its token's expiry, while more events or results remain. ``path``: the route
    of the next page when it is not the request's own (default)."""
    if not page["next_page_token"]:
        return {}
    query = {name: params[name] for name in ("asset", "from", "to") if params.get(name)}
    query.update(perPage=page["per_page"], nextPageToken=page["next_page_token"])
    base = request.httprequest.base_url
    if path:
        base = request.httprequest.host_url.rstrip("/") + path
    url = f"{base}?{urlencode(query)}"
    return {
        "Link": f'<{url}>; rel="next"',
        "GS1-Next-Page-Token-Expires": f"{page['expires']:%Y-%m-%dT%H:%M:%SZ}",
    }


def _status_path(answer):
    """The status route of a batch answer, or of a capture job."""
    if "captureID" in answer:
        return f"{API}/epcis/capture/{quote(answer['captureID'], safe='')}"
    return f"{API}/batches/{quote(answer['batch_id'], safe='')}"


def _parse_json(body):
    """The JSON value of a native batch; a ``FormatError`` (400 ``invalid_json``)
    with a message of our own (where the fault is, never the parser's text) when
    it is none."""
    return reader_formats.load_json(body, "a JSON object")


def _vendor(parser):
    def parse(body):
        # a FormatError (400) names the fault for people (see reader_formats)
        return {"vendor": parser(body)}

    return parse
