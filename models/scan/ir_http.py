# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The one place where an exception becomes an HTTP answer of the scan API.

Routes call model methods and let their exceptions through; Odoo rolls the
request's transaction back and hands the exception to ``ir.http._handle_error``,
which answers ``{"error": {"code", "message"}}`` with the status below (the
authentication errors Odoo raises before a route runs come the same way).
"""

import json

from werkzeug.exceptions import HTTPException, NotFound

from odoo import models
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.http import request

from ...exceptions import ApiRefusal, BatchConflict, RequestTooLarge
from ...tools.scan_api import RequestError, text_problem

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
# the status of each kind of exception, the most specific first
STATUSES = (
    (AccessDenied, 401),
    (BatchConflict, 409),
    (RequestTooLarge, 413),
    (MissingError, 404),
    (AccessError, 403),
    (UserError, 400),
    (RequestError, 400),
)
INTERNAL_ERROR = (
    "internal error: the request could not be completed; nothing of it was "
    "applied, and the server log has the details"
)


def api_error(exception):
    """``(status, code, message)`` of the scan API's answer to an exception.

    The addon's refusals (``exceptions.py``, ``tools.scan_api.RequestError``)
    carry their code and a message for people. The text of Odoo's own access or
    missing-record errors names models, groups or records, and is not echoed; a
    ``UserError`` is raised by a rule and written for people; anything else is
    an internal error (Odoo logs its traceback once, server-side)."""
    if isinstance(exception, HTTPException):
        status = exception.code or 500
        if status >= 500:
            return 500, CODES[500], INTERNAL_ERROR
        if status != 401:
            message = exception.description or exception.name
            return status, CODES.get(status, "bad_request"), message
    else:
        status = next(
            (status for kind, status in STATUSES if isinstance(exception, kind)), 500
        )
    if isinstance(exception, ApiRefusal | RequestError):
        return status, exception.code, exception.message
    messages = {
        401: "missing or invalid API key (Authorization: Bearer <key>)",
        403: "the API key's user may not do this",
        404: "the record does not exist or was deleted",
        500: INTERNAL_ERROR,
    }
    message = messages.get(status) or str(exception)
    return status, CODES.get(status, "bad_request"), message


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Errors of the scan API (authentication included) as JSON, never HTML."""
        if not (request and request.httprequest.path.startswith(API_PREFIX)):
            return super()._handle_error(exception)
        # a line break in a path segment matches no route: say why, not "not found"
        unsafe = isinstance(exception, NotFound) and text_problem(
            request.httprequest.path, "the URL path"
        )
        if unsafe:
            exception = RequestError(unsafe)
        status, code, message = api_error(exception)
        headers = [("Content-Type", "application/json; charset=utf-8")]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="asset-tracking"'))
        body = {"error": {"code": code, "message": message}}
        return request.make_response(json.dumps(body), headers=headers, status=status)
