# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The addon's exceptions: Odoo's own, carrying the scan API's error code.

Models raise them for a request they refuse; being ``UserError``,
``ValidationError``, ``AccessError`` and ``MissingError``, the web client and RPC
show them as any other Odoo error. The HTTP status and the JSON body of
``docs/openapi.yaml`` come from one place, ``ir.http._handle_error`` (see
``models/scan/ir_http.py``), which maps these and every other exception a route
lets through. Models know no HTTP status.
"""

import logging

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError


class ApiRefusal(UserError):
    """An exception with the API's ``code`` (``docs/openapi.yaml``) beside its
    message for people. A refusal is an expected answer: should it reach Odoo's
    request handler, that logs it at INFO, not as a warning."""

    default_code = "bad_request"
    loglevel = logging.INFO

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    @classmethod
    def of(cls, error):
        """This exception for a plain-Python refusal (``tools``) with a ``code``
        and a ``message``."""
        return cls(error.message, error.code)


class InvalidRequest(ApiRefusal, ValidationError):
    """The request is not one the API accepts: its shape or its values (400)."""


class RequestTooLarge(ApiRefusal, ValidationError):
    """The request holds more than one request may (413)."""

    default_code = "payload_too_large"


class Forbidden(ApiRefusal, AccessError):
    """The authenticated user may not do this (403)."""

    default_code = "forbidden"


class RecordNotFound(ApiRefusal, MissingError):
    """The request names a record that does not exist for its user (404)."""

    default_code = "not_found"


class BatchConflict(ApiRefusal, UserError):
    """A batch id already received with another body (409): a retry must send
    the same body, a new batch a new id."""

    default_code = "batch_conflict"
