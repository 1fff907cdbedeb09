# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Signed page tokens of the paged API answers (EPCIS 2.0 REST binding:
``perPage``, ``nextPageToken``, ``Link: <...>; rel="next"``).

Plain Python (no ORM). A token is ``<body>.<signature>``: the body is the
URL-safe base64 of the JSON array ``[version, user id, query, *position,
expiry]`` and the signature its HMAC-SHA256 with the database secret, under a
scope of its own per kind of answer (a token of one kind of answer is invalid
for another). :func:`read_token` refuses (:class:`PageTokenError`) a token that
is not this server's, was issued to another user or for another query, or has
expired.
"""

import base64
import hashlib
import hmac
import json
import re
from datetime import UTC

TOKEN_VERSION = 1
TOKEN_MAX_LENGTH = 512


class PageTokenError(ValueError):
    """A ``nextPageToken`` that cannot be used; ``reason``: ``invalid`` (not
    one of this server's tokens: malformed or altered), ``other_user``,
    ``other_query`` or ``expired``."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def positive_number(value):
    """A whole number from 1 written in ``value`` (text), else None; more than 18
    digits read as a number larger than any page."""
    text = value.strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"[0-9]+", text) or not text.strip("0"):
        return None
    return int(text) if len(text) <= 18 else 10**18


def page_size(per_page, default, maximum):
    """The size of the page asked for with ``perPage``: the default when it is
    absent, at most ``maximum``; None when it is not a whole number from 1."""
    if per_page in (None, ""):
        return min(default, maximum)
    size = positive_number(per_page)
    return min(size, maximum) if size else None


def query_key(*parts):
    """A short digest of what a paged answer selects (JSON values): a token only
    continues the query it was issued for."""
    text = json.dumps(list(parts), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sign(body, secret, scope):
    """The signature (bytes) of a token's ``body`` under ``scope`` (bytes)."""
    digest = hmac.new(secret.encode(), scope + body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=")


def issue_token(position, user_id, query, expires, secret, scope):
    """The opaque token of the page after ``position`` (a sequence of JSON
    values) for user ``user_id`` and query ``query``, valid until ``expires``
    (naive UTC), signed with ``secret`` under ``scope``."""
    payload = [
        TOKEN_VERSION,
        user_id,
        query,
        *position,
        int(expires.replace(tzinfo=UTC).timestamp()),
    ]
    body = base64.urlsafe_b64encode(
        json.dumps(payload, separators=(",", ":")).encode()
    ).rstrip(b"=")
    return (body + b"." + sign(body, secret, scope)).decode()


def read_token(token, user_id, query, now, secret, scope, parse_position):
    """The position a token of :func:`issue_token` continues after.

    ``parse_position``: turns the list of the token's position values into the
    position, raising ValueError or TypeError when they are not one. Raises
    :class:`PageTokenError` when the token is not this server's (or its position
    is not one), was issued to another user or for another query, or has
    expired (``now``: naive UTC).
    """
    raw = token.encode() if isinstance(token, str) and token.isascii() else b""
    body, dot, signature = raw.partition(b".")
    if (
        not dot
        or len(raw) > TOKEN_MAX_LENGTH
        or not hmac.compare_digest(signature, sign(body, secret, scope))
    ):
        raise PageTokenError("invalid")
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4)))
        if not isinstance(payload, list):
            raise TypeError("not a list")
        version, owner, issued_for, *values, expires = payload
        position = parse_position(values)
        valid = (
            version == TOKEN_VERSION
            and type(version) is int
            and all(type(n) is int for n in (owner, expires))
        )
    except (ValueError, TypeError):
        valid = False
    if not valid:
        raise PageTokenError("invalid")
    if owner != user_id:
        raise PageTokenError("other_user")
    if issued_for != query:
        raise PageTokenError("other_query")
    if now.replace(tzinfo=UTC).timestamp() >= expires:
        raise PageTokenError("expired")
    return position
