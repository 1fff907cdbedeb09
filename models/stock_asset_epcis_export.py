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

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import epcis_export, scan_codes
from ..tools.scan_api import ApiError

DIGITAL_LINK_PARAM = "stock_asset_tracking.epcis_digital_link"


class StockAssetEpcisExport(models.AbstractModel):
    _name = "stock.asset.epcis.export"
    _description = "EPCIS 2.0 Export of Asset Events"

    # API ----------------------------------------------------------------------------
    @api.model
    def _api_events(self, asset=None, date_from=None, date_to=None):
        """``GET .../epcis/events``: the document, or an :class:`ApiError`."""
        self.env["stock.asset.scan.batch"]._api_check_user()
        bounds = {}
        for name, value in (("from", date_from), ("to", date_to)):
            if value in (None, ""):
                bounds[name] = None
                continue
            try:
                bounds[name] = epcis_export.parse_time(value)
            except ValueError:
                raise ApiError(
                    400,
                    "bad_request",
                    self.env._(
                        "parameter %(name)s: %(value)s is not an ISO 8601 date-time "
                        "with a time zone (e.g. 2026-11-01T00:00:00Z)",
                        name=name,
                        value=value,
                    ),
                ) from None
        if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
            raise ApiError(
                400,
                "bad_request",
                self.env._("parameter from is after parameter to"),
            )
        assets = None
        if asset not in (None, ""):
            assets = self._find_asset(asset)
            if not assets:
                raise ApiError(
                    404, "not_found", self.env._("no asset %(code)s", code=asset)
                )
        return self._export_document(assets, bounds["from"], bounds["to"])

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
        Asset = self.env["stock.asset"]
        Asset.check_access("read")
        if assets is None:
            scope = Asset.with_context(active_test=False)._search([]).subselect()
        else:
            assets.check_access("read")
            scope = SQL("%s", tuple(assets.ids) or (None,))
        self.env.flush_all()
        events = self._read_events(scope, date_from, date_to)
        asset_values, location_values = self._read_identities(events)
        return epcis_export.build_document(
            events,
            asset_values,
            location_values,
            self._export_config(),
            fields.Datetime.now(),
        )

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
    def _read_events(self, scope, date_from, date_to):
        """The events of the assets of ``scope`` (SQL of asset ids) as dicts for
        :func:`epcis_export.build_events`, in one query."""

        def window(column):
            clauses = [SQL("%s IS NOT NULL", column)]
            if date_from:
                clauses.append(SQL("%s >= %s", column, date_from))
            if date_to:
                clauses.append(SQL("%s < %s", column, date_to))
            return SQL(" AND ").join(clauses)

        custody_out = SQL.identifier("c", "date_from")
        custody_in = SQL.identifier("c", "date_returned")
        found = SQL.identifier("l", "found_date")
        seen = SQL.identifier("o", "last_seen")
        moved = SQL.identifier("ml", "date")
        query = SQL(
            """
            SELECT 'checkout', c.id, c.date_from, c.asset_id,
                   c.location_from_id, c.location_to_id, NULL::varchar
              FROM stock_asset_custody c
             WHERE c.asset_id IN %(scope)s AND %(custody_out)s
            UNION ALL
            SELECT 'checkin', c.id, c.date_returned, c.asset_id,
                   c.return_location_id, c.return_location_id, NULL::varchar
              FROM stock_asset_custody c
             WHERE c.asset_id IN %(scope)s AND %(custody_in)s
            UNION ALL
            SELECT 'audit', l.id, l.found_date, l.asset_id,
                   l.found_location_id, l.found_location_id, au.name
              FROM stock_asset_audit_line l
              JOIN stock_asset_audit au ON au.id = l.audit_id
             WHERE l.asset_id IN %(scope)s AND %(found)s
            UNION ALL
            SELECT CASE WHEN o.moved THEN 'arrival' ELSE 'observation' END,
                   o.id, o.last_seen, o.asset_id, o.location_id,
                   CASE WHEN o.moved THEN o.location_id END, b.name
              FROM stock_asset_observation o
              JOIN stock_asset_scan_batch b ON b.id = o.batch_id
             WHERE o.asset_id IN %(scope)s AND o.status = 'matched'
               AND COALESCE(o.mode, 'observe') = 'observe' AND %(seen)s
            UNION ALL
            SELECT CASE WHEN src.usage = 'customer' THEN 'return' ELSE 'delivery' END,
                   ml.id, ml.date, a.id,
                   CASE WHEN src.usage = 'customer'
                        THEN ml.location_dest_id ELSE ml.location_id END,
                   CASE WHEN src.usage = 'customer' THEN ml.location_dest_id END,
                   COALESCE(p.name, ml.reference)
              FROM stock_move_line ml
              JOIN stock_asset a
                ON a.lot_id = ml.lot_id AND a.company_id = ml.company_id
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dst ON dst.id = ml.location_dest_id
              LEFT JOIN stock_picking p ON p.id = ml.picking_id
             WHERE a.id IN %(scope)s AND ml.state = 'done' AND ml.quantity > 0
               AND (src.usage = 'customer') <> (dst.usage = 'customer')
               AND %(moved)s
            """,
            scope=scope,
            custody_out=window(custody_out),
            custody_in=window(custody_in),
            found=window(found),
            seen=window(seen),
            moved=window(moved),
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
            ) in self.env.cr.fetchall()
        ]

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
