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
from odoo.tools import SQL, get_lang

from ..exceptions import InvalidRequest

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


def set_counts(records, fname, model, field, domain=()):
    """Set ``fname`` of each of ``records`` to its ``count_by()`` (0 when it has
    none): the compute of a smart button's counter."""
    counts = count_by(records, model, field, domain)
    for record in records:
        record[fname] = counts.get(record, 0)


def records_action(record, xmlid, field, context=None):
    """The window action ``xmlid`` on the records whose ``field`` is ``record``
    (a smart button's list); ``context``, when given, replaces the action's own."""
    record.ensure_one()
    action = record.env["ir.actions.act_window"]._for_xml_id(xmlid)
    action["domain"] = [(field, "=", record.id)]
    if context is not None:
        action["context"] = context
    return action


def clashes(record, others, fname):
    """The ``others`` (never ``record`` itself) with the same ``fname`` as
    ``record`` in a company that sees both: a record of no company is seen by
    every company, so it clashes with all of them (unique keys per company)."""
    return others.filtered(
        lambda other: other != record
        and other[fname] == record[fname]
        and (
            not other.company_id
            or not record.company_id
            or other.company_id == record.company_id
        )
    )


def assets_of_other_companies(env, pairs):
    """``[(asset id, code)]`` of the ``(asset id, company id)`` ``pairs`` whose asset
    is not of that company (code None: there is no such asset), in one query: the
    company check of a bulk create."""
    env["stock.asset"].flush_model(["code", "company_id"])
    env.cr.execute(
        SQL(
            """
            SELECT v.asset_id, a.code
              FROM unnest(%s::int[], %s::int[]) AS v(asset_id, company_id)
              LEFT JOIN stock_asset a ON a.id = v.asset_id
             WHERE a.company_id IS DISTINCT FROM v.company_id
            """,
            [pair[0] for pair in pairs],
            [pair[1] for pair in pairs],
        )
    )
    return env.cr.fetchall()


def companies_refused(records, companies, operation):
    """The ids of ``companies`` in which the user's record rules refuse
    ``operation`` on records of the model of ``records``, over all the user's
    companies: the rule check of a bulk create, one probe record per company."""
    Model = records.with_context(
        allowed_company_ids=list(records.env.user._get_company_ids())
    )
    domain = Model.env["ir.rule"]._compute_domain(Model._name, operation)
    probes = Model.concat(*(Model.new({"company_id": c}) for c in companies))
    return companies - set(probes.filtered_domain(domain or []).company_id.ids)


def page_token_secret(env):
    """The key the API's page tokens are signed with."""
    return env["ir.config_parameter"].sudo().get_param("database.secret")


def refused_page_token(env, reason, other_query):
    """The 400 of a ``nextPageToken`` that cannot be followed, for the ``reason``
    of its token error; ``other_query`` says what else the token was issued for."""
    reasons = {
        "invalid": env._("it is not a page token of this server"),
        "other_user": env._("it was issued to another user"),
        "other_query": other_query,
        "expired": env._("it has expired"),
    }
    return InvalidRequest(
        env._(
            "parameter nextPageToken: %(reason)s; follow the Link header of the "
            "previous page, or start again without nextPageToken",
            reason=reasons[reason],
        ),
    )


def reads_with_extra(batch, results, key, problem_of):
    """The matched reads of a scan batch's ``results`` that carry ``key`` (a
    capability's extra value of a read: a condition, a meter value...); a read
    whose value ``problem_of`` finds a problem with is refused (``invalid``, with
    that problem) instead."""
    items = []
    for item in results:
        sent = item["entry"].get(key)
        if item["status"] != "matched" or sent is None:
            continue
        problem = problem_of(sent)
        if problem:
            batch._refuse(item, problem)
            continue
        items.append(item)
    return items


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
