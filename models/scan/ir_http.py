# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import json

from werkzeug.exceptions import HTTPException, NotFound

from odoo import models
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.http import request

from ...tools.scan_api import ApiError, text_problem

API_PREFIX = "/api/asset-tracking/"

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "batch_conflict",
    413: "payload_too_large",
    500: "internal_error",
}
INTERNAL_ERROR = (
    "internal error: the request could not be completed; nothing of it was "
    "applied, and the server log has the details"
)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Errors of the scan API (authentication included) as JSON, never HTML.

        The messages are fixed sentences for people: the text of an access or
        unexpected error names models, groups or records, and is not echoed (Odoo
        logs the traceback of an unexpected error once, server-side)."""
        if not (request and request.httprequest.path.startswith(API_PREFIX)):
            return super()._handle_error(exception)
        headers = [("Content-Type", "application/json; charset=utf-8")]
        code = None
        # a line break in a path segment matches no route: say why, not "not found"
        unsafe = isinstance(exception, NotFound) and text_problem(
            request.httprequest.path, "the URL path"
        )
        if unsafe:
            exception = ApiError(400, "bad_request", unsafe)
        if isinstance(exception, ApiError):
            status, code, message = exception.status, exception.code, exception.message
            headers += list(exception.headers.items())
        elif isinstance(exception, AccessDenied):
            status, message = 401, "invalid API key"
        elif isinstance(exception, AccessError):
            status, message = 403, "the API key's user may not do this"
        elif isinstance(exception, MissingError):
            status, message = 404, "the record does not exist or was deleted"
        elif isinstance(exception, UserError):
            # raised by the addon's rules, for people
            status, message = 400, str(exception)
        elif isinstance(exception, HTTPException) and (exception.code or 500) < 500:
            status = exception.code
            message = exception.description or exception.name
        else:
            status, message = 500, INTERNAL_ERROR
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="asset-tracking"'))
            message = "missing or invalid API key (Authorization: Bearer <key>)"
        code = code or CODES.get(status, "bad_request" if status < 500 else None)
        body = {"error": {"code": code or "internal_error", "message": message}}
        return request.make_response(json.dumps(body), headers=headers, status=status)
