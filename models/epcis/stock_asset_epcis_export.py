# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""EPCIS 2.0 export: the events of assets, read in a few set-based queries and
written as an ``EPCISDocument`` by :mod:`..tools.epcis_export`.

Sources (see the README, "EPCIS 2.0 export"): the custody ledger (check-outs and
check-ins), the assets audits found, the matched RFID / scan observations of
mode ``observe`` (the other modes are exported through the custody and audit
records they wrote), and the handovers of the assets' serial numbers to and
from customers (done stock move lines).
"""

import uuid
from collections import defaultdict
from datetime import timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, table_exists

from ...exceptions import InvalidRequest, RecordNotFound
from ...tools import epcis_export, paging, scan_codes
from ..common import page_token_secret, refused_page_token

DIGITAL_LINK_PARAM = "stock_asset_tracking.epcis_digital_link"
#: events of a page of ``GET .../epcis/events`` when the caller sends no perPage
PAGE_SIZE_PARAM = "stock_asset_tracking.epcis_page_size"
#: largest page: a larger perPage is served this many events (EPCIS 2.0: a global
#: upper limit the client cannot override)
MAX_PAGE_SIZE_PARAM = "stock_asset_tracking.epcis_max_page_size"
DEFAULT_PAGE_SIZE = 1000
DEFAULT_MAX_PAGE_SIZE = 10000
#: how long a nextPageToken can be used
PAGE_TOKEN_TTL = timedelta(hours=24)


def _rank(kind):
    """The SQL of the export rank of ``kind`` (see :func:`event_position`)."""
    return str(epcis_export.KIND_ORDER[kind])


def _event_kind(condition, kind_if, kind_else):
    """The SQL of the kind and of its export rank of a source of two kinds."""
    return (
        f"CASE WHEN {condition} THEN '{kind_if}' ELSE '{kind_else}' END",
        f"CASE WHEN {condition} THEN {_rank(kind_if)} ELSE {_rank(kind_else)} END",
    )


class _Source(NamedTuple):
    """One source of events, as constant SQL: its kind and export rank (SQL of
    the row), the record id, event time, asset, read point, business location
    and reference columns, and its FROM and WHERE."""

    kind: str
    rank: str
    record_id: str
    time: str
    asset_id: str
    read_point_id: str
    biz_location_id: str
    reference: str
    tables: str
    where: str


_CUSTOMER_SOURCE = "src.usage = 'customer'"
_EVENT_SOURCES = (
    _Source(
        "'checkout'",
        _rank("checkout"),
        "c.id",
        "c.date_from",
        "c.asset_id",
        "c.location_from_id",
        "c.location_to_id",
        "NULL::varchar",
        "stock_asset_custody c",
        "TRUE",
    ),
    _Source(
        "'checkin'",
        _rank("checkin"),
        "c.id",
        "c.date_returned",
        "c.asset_id",
        "c.return_location_id",
        "c.return_location_id",
        "NULL",
        "stock_asset_custody c",
        "TRUE",
    ),
    _Source(
        "'audit'",
        _rank("audit"),
        "l.id",
        "l.found_date",
        "l.asset_id",
        "l.found_location_id",
        "l.found_location_id",
        "au.name",
        "stock_asset_audit_line l JOIN stock_asset_audit au ON au.id = l.audit_id",
        "TRUE",
    ),
    _Source(
        *_event_kind("o.moved", "arrival", "observation"),
        "o.id",
        "o.last_seen",
        "o.asset_id",
        "o.location_id",
        "CASE WHEN o.moved THEN o.location_id END",
        "b.name",
        "stock_asset_observation o"
        " JOIN stock_asset_scan_batch b ON b.id = o.batch_id",
        # a voided observation was a wrong read: it is kept, but is no event
        "o.status = 'matched' AND COALESCE(o.mode, 'observe') = 'observe'"
        " AND NOT COALESCE(o.voided, FALSE)",
    ),
    _Source(
        *_event_kind(_CUSTOMER_SOURCE, "return", "delivery"),
        "ml.id",
        "ml.date",
        "a.id",
        f"CASE WHEN {_CUSTOMER_SOURCE}"
        " THEN ml.location_dest_id ELSE ml.location_id END",
        f"CASE WHEN {_CUSTOMER_SOURCE} THEN ml.location_dest_id END",
        "COALESCE(p.name, ml.reference)",
        """stock_move_line ml
              JOIN stock_asset a
                ON a.lot_id = ml.lot_id AND a.company_id = ml.company_id
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dst ON dst.id = ml.location_dest_id
              LEFT JOIN stock_picking p ON p.id = ml.picking_id""",
        "ml.state = 'done' AND ml.quantity > 0"
        " AND (src.usage = 'customer') <> (dst.usage = 'customer')",
    ),
)


class StockAssetEpcisExport(models.AbstractModel):
    _name = "stock.asset.epcis.export"
    _description = "EPCIS 2.0 Export of Asset Events"

    def init(self):
        # keyset paging reads each source in (event time, id) order from the page's
        # start on (the other event times are indexed by their models)
        cr = self.env.cr
        for table, column in (
            ("stock_asset_custody", "date_from"),
            ("stock_asset_audit_line", "found_date"),
        ):
            if table_exists(cr, table):
                create_index(
                    cr,
                    f"{table}_{column}_id_index",
                    table,
                    [column, "id"],
                    where=f"{column} IS NOT NULL",
                )

    # API ----------------------------------------------------------------------------
    @api.model
    def _api_events(
        self, asset=None, date_from=None, date_to=None, per_page=None, page_token=None
    ):
        """``GET .../epcis/events``: one page of the events.

        ``per_page`` / ``page_token``: the ``perPage`` and ``nextPageToken``
        parameters (text, as received). Returns ``{"document", "per_page",
        "next_page_token", "expires"}``: the ``EPCISDocument`` of at most
        ``per_page`` events, and the token of the next page with its expiry
        (naive UTC), or None on the last page.
        """
        self.env["stock.asset.scan.batch"]._api_check_user()
        limit = self._page_size(per_page)
        bounds = {}
        for name, value in (("from", date_from), ("to", date_to)):
            if value in (None, ""):
                bounds[name] = None
                continue
            try:
                bounds[name] = epcis_export.parse_time(value)
            except ValueError:
                raise InvalidRequest(
                    self.env._(
                        "parameter %(name)s: %(value)s is not an ISO 8601 date-time "
                        "with a time zone (e.g. 2026-11-01T00:00:00Z)",
                        name=name,
                        value=value,
                    ),
                ) from None
        if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
            raise InvalidRequest(
                self.env._("parameter from is after parameter to"),
            )
        assets = None
        if asset not in (None, ""):
            assets = self._find_asset(asset)
            if not assets:
                raise RecordNotFound(self.env._("no asset %(code)s", code=asset))
        query = epcis_export.query_key(
            assets.id if assets else None, bounds["from"], bounds["to"]
        )
        after = None
        if page_token not in (None, ""):
            after = self._read_page_token(page_token, query)
        document, last = self._export_page(
            assets, bounds["from"], bounds["to"], limit=limit, after=after
        )
        token = expires = None
        if last:
            expires = fields.Datetime.now().replace(microsecond=0) + PAGE_TOKEN_TTL
            token = epcis_export.page_token(
                last, self.env.uid, query, expires, page_token_secret(self.env)
            )
        return {
            "document": document,
            "per_page": limit,
            "next_page_token": token,
            "expires": expires,
        }

    @api.model
    def _page_size(self, per_page):
        """The events of a page: ``perPage`` (a whole number from 1; above the
        maximum, the maximum), else the configured default."""
        params = self.env["ir.config_parameter"].sudo()
        maximum = paging.positive_number(params.get_param(MAX_PAGE_SIZE_PARAM))
        maximum = maximum or DEFAULT_MAX_PAGE_SIZE
        default = paging.positive_number(params.get_param(PAGE_SIZE_PARAM))
        size = paging.page_size(per_page, default or DEFAULT_PAGE_SIZE, maximum)
        if size is None:
            raise InvalidRequest(
                self.env._(
                    "parameter perPage must be a whole number from 1 (at most "
                    "%(maximum)s events are served per page)",
                    maximum=maximum,
                ),
            )
        return size

    @api.model
    def _read_page_token(self, token, query):
        """The position a ``nextPageToken`` continues after, or a 400."""
        try:
            return epcis_export.read_page_token(
                token,
                self.env.uid,
                query,
                fields.Datetime.now(),
                page_token_secret(self.env),
            )
        except epcis_export.PageTokenError as error:
            raise refused_page_token(
                self.env,
                error.reason,
                self.env._("it was issued for other asset, from or to parameters"),
            ) from None

    @api.model
    def _find_asset(self, code):
        """The asset a code names (tag, EPC, GS1 key, serial), as the lookup does."""
        scan = scan_codes.classify(code)
        if not scan.valid:
            return self.env["stock.asset"]
        wanted = defaultdict(set)
        for kind, value in scan.keys:
            wanted[kind].add(value)
        found = self.env["stock.asset"]._find_by_scan_keys(
            wanted, list(self.env.user._get_company_ids())
        )
        picked, _message = self.env["stock.asset.scan.batch"]._pick_asset(
            scan, found, self.env.company.id
        )
        return self.env["stock.asset"].browse(picked["id"] if picked else [])

    # Export -------------------------------------------------------------------------
    @api.model
    def _export_document(self, assets=None, date_from=None, date_to=None):
        """The ``EPCISDocument`` (dict) of the events of ``assets`` (None: every
        asset the user may read, archived ones included) with ``date_from`` <=
        event time < ``date_to`` (naive UTC datetimes, None: unbounded)."""
        return self._export_page(assets, date_from, date_to)[0]

    @api.model
    def _export_page(
        self, assets=None, date_from=None, date_to=None, limit=None, after=None
    ):
        """``(document, last)``: the ``EPCISDocument`` of the first ``limit``
        events (None: all) of :meth:`_export_document` that come after position
        ``after`` (see :func:`epcis_export.event_position`; None: from the
        first), and the position of its last event when more remain, else None.
        """
        Asset = self.env["stock.asset"]
        Asset.check_access("read")
        if assets is None:
            scope = Asset.with_context(active_test=False)._search([]).subselect()
        else:
            assets.check_access("read")
            scope = SQL("%s", tuple(assets.ids) or (None,))
        self.env.flush_all()
        events = self._read_events(scope, date_from, date_to, limit, after)
        last = None
        if limit is not None and len(events) > limit:
            del events[limit:]
            last = epcis_export.event_position(events[-1])
        asset_values, location_values = self._read_identities(events)
        document = epcis_export.build_document(
            events,
            asset_values,
            location_values,
            self._export_config(),
            fields.Datetime.now(),
        )
        return document, last

    @api.model
    def _export_config(self):
        params = self.env["ir.config_parameter"].sudo()
        company = self.env.company
        return epcis_export.ExportConfig(
            base_url=self.get_base_url().rstrip("/"),
            namespace=uuid.UUID(params.get_param("database.uuid")),
            timezone=company.partner_id.tz or self.env.user.tz or "UTC",
            digital_link=(params.get_param(DIGITAL_LINK_PARAM) or "").strip() or None,
        )

    @api.model
    def _read_events(self, scope, date_from, date_to, limit=None, after=None):
        """The events of the assets of ``scope`` (SQL of asset ids) as dicts for
        :func:`epcis_export.build_events`, in one query.

        With ``limit``: the first ``limit`` + 1 events after position ``after``
        (None: from the first) in export order (:func:`event_position`), each
        source read in that order from ``after`` on, so a page costs its own
        events, never the whole history.
        """
        branches = [
            self._event_source_query(source, scope, date_from, date_to, limit, after)
            for source in _EVENT_SOURCES
        ]
        query = SQL(" UNION ALL ").join(branches)
        if limit is not None:
            query = SQL(
                "SELECT * FROM (%s) AS e ORDER BY 3, event_rank, 2 LIMIT %s",
                query,
                limit + 1,
            )
        self.env.cr.execute(query)
        return [
            {
                "kind": kind,
                "record_id": record_id,
                "time": moment,
                "asset_id": asset_id,
                "read_point_id": read_point_id,
                "biz_location_id": biz_location_id,
                "reference": reference,
            }
            for (
                kind,
                record_id,
                moment,
                asset_id,
                read_point_id,
                biz_location_id,
                reference,
                _rank,
            ) in self.env.cr.fetchall()
        ]

    @api.model
    def _event_source_query(self, source, scope, date_from, date_to, limit, after):
        """The query of the events of one source of ``_EVENT_SOURCES`` for
        :meth:`_read_events` (its first ``limit`` + 1 after ``after`` when paged)."""
        moment = SQL(source.time)
        clauses = [
            SQL(source.where),
            SQL("%s IN %s", SQL(source.asset_id), scope),
            SQL("%s IS NOT NULL", moment),
        ]
        if date_from:
            clauses.append(SQL("%s >= %s", moment, date_from))
        if date_to:
            clauses.append(SQL("%s < %s", moment, date_to))
        if after:
            # (time, rank, id) > after, its first term usable by an index
            clauses.append(
                SQL(
                    "%(t)s >= %(t0)s AND (%(t)s > %(t0)s"
                    " OR (%(rank)s, %(id)s) > (%(r0)s, %(i0)s))",
                    t=moment,
                    t0=after[0],
                    rank=SQL(source.rank),
                    id=SQL(source.record_id),
                    r0=after[1],
                    i0=after[2],
                )
            )
        columns = (
            source.kind,
            source.record_id,
            source.time,
            source.asset_id,
            source.read_point_id,
            source.biz_location_id,
            source.reference,
            source.rank,
        )
        branch = SQL(
            "SELECT %s AS event_rank FROM %s WHERE %s",
            SQL(", ").join(SQL(column) for column in columns),
            SQL(source.tables),
            SQL(" AND ").join(clauses),
        )
        if limit is not None:
            branch = SQL("(%s ORDER BY 3, event_rank, 2 LIMIT %s)", branch, limit + 1)
        return branch

    @api.model
    def _read_identities(self, events):
        """``(assets, locations)`` of ``events`` as :func:`build_events` wants
        them: tag, EPC, GLN and their companies' GS1 company prefixes."""
        asset_ids = list({event["asset_id"] for event in events})
        location_ids = list(
            {
                location_id
                for event in events
                for location_id in (event["read_point_id"], event["biz_location_id"])
                if location_id
            }
        )
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT a.id, a.code, a.epc, c.asset_gs1_company_prefix
                  FROM stock_asset a
                  JOIN res_company c ON c.id = a.company_id
                 WHERE a.id = ANY(%s)
                """,
                asset_ids,
            )
        )
        assets = {
            asset_id: {"code": code, "epc": epc, "company_prefix": prefix}
            for asset_id, code, epc, prefix in cr.fetchall()
        }
        cr.execute(
            SQL(
                """
                SELECT l.id, l.gln, c.asset_gs1_company_prefix
                  FROM stock_location l
                  LEFT JOIN res_company c ON c.id = l.company_id
                 WHERE l.id = ANY(%s)
                """,
                location_ids,
            )
        )
        locations = {
            location_id: {"gln": gln, "company_prefix": prefix}
            for location_id, gln, prefix in cr.fetchall()
        }
        return assets, locations
