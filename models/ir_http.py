# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import json

from werkzeug.exceptions import HTTPException

from odoo import models
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request

API_PREFIX = "/api/asset-tracking/"

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "batch_conflict",
    413: "payload_too_large",
}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Errors of the scan API (authentication included) as JSON, never HTML."""
        if not (request and request.httprequest.path.startswith(API_PREFIX)):
            return super()._handle_error(exception)
        headers = [("Content-Type", "application/json; charset=utf-8")]
        if isinstance(exception, AccessDenied):
            status, message = 401, "invalid API key"
        elif isinstance(exception, AccessError):
            status, message = 403, str(exception)
        elif isinstance(exception, UserError):
            status, message = 400, str(exception)
        elif isinstance(exception, HTTPException):
            status = exception.code or 500
            message = exception.description or exception.name
        else:
            status, message = 500, "internal error"
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="asset-tracking"'))
            message = "missing or invalid API key (Authorization: Bearer <key>)"
        body = {"error": {"code": CODES.get(status, "error"), "message": message}}
        return request.make_response(json.dumps(body), headers=headers, status=status)
