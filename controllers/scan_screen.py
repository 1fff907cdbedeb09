# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Routes of the "Scan Assets" screen: the scan API for the web client's session.

The API routes (``controllers/main.py``) are ``auth='bearer'``: without an
``Authorization`` header, Odoo 18 only accepts the session for a top-level
navigation (``Sec-Fetch-Mode: navigate``), never for a script's request. The
screen therefore talks to these JSON-RPC routes, which call the very same model
methods. Like every ``type='json'`` route of Odoo they need no CSRF token: a
JSON-RPC call requires ``Content-Type: application/json``, which a cross-site
form cannot send and a cross-site script cannot send without a CORS preflight
that Odoo does not grant.

A refusal of the request (the addon's exceptions) is answered in the result as
``{"error": {"status", "code", "message"}}``, mapped as the API maps it, for the
screen to show; anything else is Odoo's JSON-RPC error, after a rollback.
"""

from odoo import http
from odoo.http import request

from ..exceptions import ApiRefusal
from ..models.scan.ir_http import api_error
from ..tools.scan_api import RequestError

PREFIX = "/stock_asset_tracking/scan_screen"


REFUSALS = (ApiRefusal, RequestError)


def _error(error):
    status, code, message = api_error(error)
    return {"error": {"status": status, "code": code, "message": message}}


class AssetScanScreen(http.Controller):
    @http.route(f"{PREFIX}/lookup", type="json", auth="user", readonly=True)
    def lookup(self, code=None):
        """The lookup answer of one scanned code (see ``GET .../lookup``)."""
        try:
            return request.env["stock.asset"]._api_lookup(code)
        except REFUSALS as error:
            return _error(error)

    @http.route(f"{PREFIX}/target", type="json", auth="user", readonly=True)
    def target(self, kind=None, code=None):
        """The location or holder a scan names, or an error saying why not."""
        env = request.env
        try:
            env["stock.asset.scan.batch"]._api_check_user()
        except REFUSALS as error:
            return _error(error)
        code = (code or "").strip() if isinstance(code, str) else ""
        if kind == "location":
            location = env["stock.location"]._find_for_scan(code, env.user)
            if location:
                return {
                    "id": location.id,
                    "name": location.complete_name,
                    "code": code,
                }
            message = env._(
                "No location of your companies has the barcode or full name "
                "%(code)s.",
                code=code,
            )
        elif kind == "holder":
            holder = env["res.partner"]._asset_find_holder(code)
            if holder:
                return {"id": holder.id, "name": holder.name, "code": code}
            message = env._(
                "No single contact has the reference or barcode %(code)s.",
                code=code,
            )
        else:
            message = env._("kind must be location or holder")
        return {"error": {"status": 404, "code": "not_found", "message": message}}

    @http.route(f"{PREFIX}/batch", type="json", auth="user")
    def batch(self, payload=None):
        """Post one native batch (see ``POST .../batches``): the same answer."""
        try:
            answer = request.env["stock.asset.scan.batch"]._api_post(
                payload, source="native"
            )
        except REFUSALS as error:
            return _error(error)
        return answer
