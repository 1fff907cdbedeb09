# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Values several capabilities share. Nothing else is imported from one
capability's folder by another: each keeps its own names private."""

import io
from contextlib import contextmanager
from datetime import timedelta

import pytz
from psycopg2 import sql
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo.fields import Command
from odoo.tools import get_lang

# Keyword arguments of a stored field whose compute proposes a value (from the
# category, the schedule, the holder...) that the user may then change.
EDITABLE_COMPUTE = {"store": True, "readonly": False, "precompute": True}

# An asset in one of these states cannot go out (nor count as available).
UNAVAILABLE_STATES = ("disposed", "lost", "in_repair")
# A reservation may be picked up this long before it starts.
EARLY_PICKUP = timedelta(days=1)

CALIBRATION_STATES = [
    ("none", "No Calibration"),
    ("valid", "Valid"),
    ("due_soon", "Due Soon"),
    ("overdue", "Overdue"),
    ("out_of_tolerance", "Out of Tolerance"),
    ("out_of_service", "Out of Service"),
]
CALIBRATION_STATE_RANK = {
    state: rank for rank, (state, _label) in enumerate(CALIBRATION_STATES)
}
# An instrument in one of these calibration states may not be checked out nor used.
CALIBRATION_BLOCKING_STATES = ("overdue", "out_of_tolerance", "out_of_service")
# An instrument in one of these asset states is out of service.
CALIBRATION_OUT_OF_SERVICE_ASSET_STATES = ("in_repair", "lost", "disposed")

# Private path (tools/private_path.py) of a server-side caller (EPCIS polling)
# that places each read of a scan batch itself.
READ_LOCATIONS_PATH = "stock.asset.scan.batch.read_locations"


def format_moment(env, value):
    """A datetime as its user reads it: the language's date and short time
    formats, in the user's time zone (UTC when none is set)."""
    if not value:
        return ""
    tz_name = env.context.get("tz") or env.user.tz or "UTC"
    try:
        tz = pytz.timezone(tz_name)
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    lang = get_lang(env)
    local = pytz.utc.localize(value).astimezone(tz)
    return local.strftime(f"{lang.date_format} {lang.short_time_format}")


def count_by(records, model, field, domain=()):
    """``{record: count}`` of the ``model`` records whose ``field`` is one of
    ``records``, within ``domain``, in one grouped read (the smart buttons'
    counters); a record without any is absent."""
    return dict(
        records.env[model]._read_group(
            [(field, "in", records.ids), *domain], [field], ["__count"]
        )
    )


def opened_on(env, model):
    """The ``model`` records a wizard was opened on (the list's selection or the
    form's record); none when it was opened from another model."""
    if env.context.get("active_model") != model:
        return env[model]
    return env[model].browse(env.context.get("active_ids") or [])


def selection_defaults(env, fields_list, field, model):
    """Defaults of a wizard opened on ``model`` records: its ``field`` set to
    them and, when they have one, its ``company_id`` to their (first) company."""
    records = opened_on(env, model)
    if not records or field not in fields_list:
        return {}
    defaults = {field: [Command.set(records.ids)]}
    if records.company_id:
        defaults["company_id"] = records.company_id[:1].id
    return defaults


@contextmanager
def own_transaction(env):
    """A cursor of its own, committed on success, at READ COMMITTED.

    Each statement sees what other transactions committed before it, and a row
    lock taken after a concurrent change waits for it instead of failing to
    serialize. The level is only set on a transaction that has not run a statement
    yet: a cursor that shares a running transaction (a test's) keeps its own, with
    no branch on test mode.
    """
    with env.registry.cursor() as cr:
        if cr.connection.get_transaction_status() == TRANSACTION_STATUS_IDLE:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
        yield cr


# NUL cannot be stored in PostgreSQL text: written as the six characters \u0000
_COPY_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\\\u0000"}
)


def _copy_text(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def copy_rows(cr, table, columns, rows):
    """Insert ``rows`` (tuples of ``columns``' values) into ``table`` with one
    ``COPY ... FROM STDIN``: the values travel as data, never as SQL text, and
    PostgreSQL parses them faster than array parameters of the same rows. Only
    for the ``_bulk_*`` methods of the model that owns ``table``."""
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    buffer.seek(0)
    cr.copy_expert(
        sql.SQL("COPY {} ({}) FROM STDIN")
        .format(
            sql.Identifier(table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
        )
        .as_string(cr._obj),
        buffer,
    )
