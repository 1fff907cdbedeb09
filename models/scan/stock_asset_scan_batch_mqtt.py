# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Scan batches of MQTT messages: what the ``asset-mqtt`` command applies.

Each message is applied like a POST of the HTTP API, through
:meth:`~stock.asset.scan.batch._api_post`: same parsers, same idempotency key, same
answer. A message that cannot become a batch (not JSON, no known format, an unknown
device, a body the API refuses) is kept as a ``failed`` batch with the reason, so
that it is acknowledged and never blocks the topic; its name, built from the topic's
device and the SHA-256 of the message, makes a redelivered copy find it again.
"""

import hashlib
import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...exceptions import (
    ApiRefusal,
    Forbidden,
    InvalidRequest,
    RecordNotFound,
    RequestTooLarge,
)
from ...tools import reader_formats
from ...tools.scan_api import RequestError, check_text, shown

_logger = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 32 * 1024 * 1024  # stock_asset_tracking.max_body_bytes
# keys that tell a vendor event from another (see tools/reader_formats.py)
_IMPINJ_KEYS = ("tagInventoryEvent", "eventType")
_SPEEDWAY_KEYS = ("antennaPort", "peakRssi", "firstSeenTimestamp", "isHeartBeat")
_ZEBRA_KEYS = ("data", "idHex", "EPCid", "tagId", "tag_reads")
# the database is away or a concurrent transaction won: the message is retried
TRANSIENT_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)
PARSERS = {
    "zebra": reader_formats.parse_zebra,
    "impinj": reader_formats.parse_impinj,
}


def _first_json_value(body):
    """``(value, error)``: the JSON value of ``body`` and None, or, when several
    values follow each other (a vendor stream), the first one and the
    :class:`~..tools.reader_formats.FormatError` a single value would get.
    Raises that error when the body does not start with a JSON value."""
    try:
        return reader_formats.load_json(body, "a JSON value"), None
    except reader_formats.FormatError as error:
        try:
            text = bytes(body).decode("utf-8-sig").lstrip(" \t\r\n\x1e")
            return json.JSONDecoder().raw_decode(text)[0], error
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise error from None


def detect_format(value):
    """``native``, ``zebra`` or ``impinj`` for the (first) JSON value of a message,
    None when it is none of them."""
    if isinstance(value, dict) and ("reads" in value or "batch_id" in value):
        return "native"
    for event in value if isinstance(value, list) else [value]:
        if not isinstance(event, dict):
            continue
        if any(key in event for key in _IMPINJ_KEYS):
            return "impinj"
        if "epc" in event and any(key in event for key in _SPEEDWAY_KEYS):
            return "impinj"  # Speedway Connect records
        if any(key in event for key in _ZEBRA_KEYS):
            return "zebra"
    return None


def message_text(body):
    """The message as text PostgreSQL stores: invalid UTF-8 bytes and NUL escaped."""
    return bytes(body).decode("utf-8", "backslashreplace").replace("\x00", "\\u0000")


class StockAssetScanBatch(models.Model):
    _inherit = "stock.asset.scan.batch"

    mqtt_topic = fields.Char(
        string="MQTT Topic",
        readonly=True,
        help="The topic of an MQTT message that could not become a batch: the "
        "message is kept here with the reason, and acknowledged.",
    )

    def action_retry(self):
        refused = self.filtered("mqtt_topic")
        if refused:
            raise UserError(
                self.env._(
                    "Scan batch %(batch)s is an MQTT message refused on receipt "
                    "(%(reason)s): retrying it cannot help. Fix the reader or the "
                    "device and publish the reads again.",
                    batch=refused[0].name,
                    reason=refused[0].error,
                )
            )
        return super().action_retry()

    # MQTT ---------------------------------------------------------------------------
    @api.model
    def _mqtt_apply(self, topic, device_name, body):
        """Apply one MQTT message as a POST of its format would be applied.

        ``device_name``: the topic level matched by the ``+`` of the subscription
        (None when the filter has none); ``body``: the payload's bytes. Returns
        ``(outcome, batch_id)``: ``applied`` (a new batch), ``duplicate`` (already
        received: a redelivery), ``empty`` (no tag read: heartbeats) or
        ``refused`` (kept as a failed batch). Database and concurrency errors are
        raised: the caller retries the message, which stays unacknowledged.
        """
        body = bytes(body)
        source = "native"
        device = self.env["stock.asset.device"]
        try:
            # a fault of this message leaves the caller's transaction usable
            with self.env.cr.savepoint(flush=False):
                limit = self._mqtt_max_body()
                if len(body) > limit:
                    raise RequestTooLarge(
                        self.env._("message over %(max)s bytes", max=limit)
                    )
                if device_name is not None:
                    check_text(device_name, "device")
                value, several = _first_json_value(body)
                source = detect_format(value)
                if source == "native" and several:
                    raise several  # a native batch is one JSON object
                if source is None:
                    raise InvalidRequest(
                        self.env._(
                            "the message is neither a native batch, a Zebra IoT "
                            "Connector event nor an Impinj IoT interface event"
                        ),
                    )
                native = value if source == "native" else {}
                device = self._mqtt_device(device_name, native)
                if source == "native":
                    self._mqtt_check_device(device, native)
                    parsed = dict(value, device=device.name)
                else:
                    parsed = {"vendor": PARSERS[source](body)}
                if not device.user_id:
                    # the consumer runs with full rights: the device's API User
                    # bounds what its reads may see and change, as a key does
                    raise Forbidden(
                        self.env._(
                            "device %(name)s has no API User: set one on the device "
                            "(a Scanning Device user of its company) to apply its "
                            "MQTT reads with that user's rights",
                            name=device.name,
                        ),
                    )
                batches = self.with_user(device.user_id).with_company(device.company_id)
                answer = batches._api_post(
                    parsed, source=source, device_name=device.name, raw_body=body
                )
        except (ApiRefusal, RequestError) as error:
            reason = error.message
        except TRANSIENT_ERRORS:
            raise
        except Exception:
            # a fault of this message that no rule names: kept, never retried
            # forever (the traceback goes to the consumer's log)
            _logger.warning("MQTT message on %s failed", shown(topic), exc_info=True)
            reason = self.env._(
                "The message could not be applied because of an unexpected error "
                "(logged by the MQTT consumer at %(when)s UTC).",
                when=fields.Datetime.to_string(fields.Datetime.now()),
            )
        else:
            if answer.get("duplicate"):
                return "duplicate", answer["batch_id"]
            if answer.get("status") == "done" and not answer.get("reads"):
                return "empty", answer["batch_id"]
            return "applied", answer["batch_id"]
        name, created = self._mqtt_refuse(
            topic, device_name, body, reason, source=source or "native", device=device
        )
        return ("refused" if created else "duplicate"), name

    @api.model
    def _mqtt_device(self, device_name, native):
        """The active device a message is for (the first company's, as the HTTP
        routes find it): the topic's, else the one a native body names. A refusal
        when there is none, or when a native body names another device than its
        topic (the refusal is then kept on the topic's device)."""
        named = native.get("device")
        name = named if device_name is None else device_name
        if name is None:
            raise InvalidRequest(
                self.env._("the message names no device (topic or body)"),
                "missing_field",
            )
        check_text(name, "device")
        device = (
            self.env["stock.asset.device"]
            .sudo()
            .search([("name", "=", name)], order="company_id", limit=1)
            .sudo(False)
        )
        if not device:
            raise RecordNotFound(
                self.env._("unknown or inactive device %(name)s", name=name),
                "unknown_device",
            )
        return device

    @api.model
    def _mqtt_check_device(self, device, native):
        """Refuse a native body that names another device than its topic's."""
        named = native.get("device")
        if named is not None and named != device.name:
            raise InvalidRequest(
                self.env._(
                    "the body names device %(named)s but was published on the "
                    "topic of device %(device)s",
                    named=shown(named, 60) if isinstance(named, str) else "?",
                    device=device.name,
                ),
            )

    @api.model
    def _mqtt_max_body(self):
        return self._int_param("stock_asset_tracking.max_body_bytes", DEFAULT_MAX_BODY)

    @api.model
    def _mqtt_refuse(self, topic, device_name, body, reason, source, device):
        """Keep a message that cannot become a batch as a ``failed`` batch with the
        reason, committed in a transaction of its own. Returns ``(name, created)``:
        a redelivered copy finds the batch already kept and adds nothing."""
        shown_device = shown(device_name, 100) if device_name else "-"
        name = f"mqtt:{shown_device}:{hashlib.sha256(body).hexdigest()[:32]}"
        company = device.company_id or self.env.company
        with self._own_transaction() as cr:
            batches = self.with_env(self.env(cr=cr)).sudo()
            if batches.search_count(
                [("name", "=", name), ("company_id", "=", company.id)], limit=1
            ):
                return name, False
            too_large = len(body) > self._mqtt_max_body()
            # bookkeeping of the service: nobody edits a batch
            batches.with_context(tracking_disable=True).create(
                {
                    "name": name,
                    "company_id": company.id,
                    "device_id": device.id or False,
                    "user_id": (device.user_id or self.env.user).id,
                    "source": source,
                    "state": "failed",
                    "error": reason,
                    "read_count": 0,
                    "mqtt_topic": shown(topic, 500),
                    "body_hash": hashlib.sha256(body).hexdigest(),
                    "payload": False if too_large else message_text(body),
                }
            )
        _logger.info(
            "MQTT message on %s kept as failed batch %s: %s", shown(topic), name, reason
        )
        return name, True
