# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ...exceptions import InvalidRequest
from ...tools import scan_codes


class StockAsset(models.Model):
    """Scan lookup: the assets a code names, and what the lookup answers."""

    _inherit = "stock.asset"

    def action_view_observations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_observation_action"
        )
        action["domain"] = [("asset_id", "=", self.id)]
        action["context"] = {"search_default_applied": 0}
        return action

    # Set-based writes ----------------------------------------------------------------
    @api.model
    def _bulk_set_seen(self, ids, location_ids, seen_dates):
        """Where and when assets were last seen, in one statement: ``location_ids``
        (None: the asset stays where it is) and ``seen_dates`` (the later of it and
        the stored time wins), in the order of ``ids``.

        The fast path of the scan batch and the presence of fixed readers (a
        ``write()`` of 17,000 assets takes seconds; bench/RESULTS.md). It keeps
        what ``write()`` guarantees: the access rights and record rules of the
        user (``AccessError``), a location of the asset's company (Odoo's
        ``_check_company_domain`` of ``stock.location``, ``UserError``),
        ``write_uid`` / ``write_date``, the cache and the fields depending on
        the two written ones. It writes no chatter (the observations are the
        history of scans)."""
        if not ids:
            return
        fnames = ["location_id", "last_seen_date"]
        self.flush_model()
        reachable = self._bulk_reachable(ids)
        self._bulk_check_locations(ids, location_ids)
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_asset AS a
                   SET location_id = COALESCE(v.location_id, a.location_id),
                       last_seen_date = GREATEST(v.seen, a.last_seen_date),
                       write_uid = %(uid)s,
                       write_date = (now() at time zone 'UTC')
                  FROM unnest(%(ids)s::int[], %(locations)s::int[],
                              %(seen)s::timestamp[]) AS v(id, location_id, seen),
                       stock_asset AS before
                 WHERE a.id = v.id AND before.id = v.id AND a.id IN %(reachable)s
             RETURNING a.id, a.location_id IS DISTINCT FROM before.location_id
                """,
                uid=self.env.uid,
                ids=list(ids),
                locations=list(location_ids),
                seen=list(seen_dates),
                reachable=reachable.subselect(),
            )
        )
        moved = self.browse(id_ for id_, changed in self.env.cr.fetchall() if changed)
        assets = self.browse(ids)
        assets.invalidate_recordset([*fnames, "write_uid", "write_date"])
        # what depends on the location is recomputed for the assets that moved
        # only: a fixed reader sees the same tags in place all day
        assets.modified(["last_seen_date"])
        moved.modified(["location_id"])

    @api.model
    def _bulk_check_locations(self, ids, location_ids):
        """Odoo's company check of ``location_id``, once per company and location
        instead of once per asset (see ``_check_company``)."""
        pairs = [(i, loc) for i, loc in zip(ids, location_ids, strict=True) if loc]
        if not pairs:
            return
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT a.company_id, v.location_id
                  FROM unnest(%s::int[], %s::int[]) AS v(id, location_id)
                  JOIN stock_asset a ON a.id = v.id
                """,
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
            )
        )
        by_company = defaultdict(set)
        for company_id, location_id in self.env.cr.fetchall():
            by_company[company_id].add(location_id)
        Location = self.env["stock.location"].sudo().with_context(active_test=False)
        for company_id, wanted in by_company.items():
            locations = Location.browse(wanted)
            company = self.env["res.company"].browse(company_id)
            refused = locations - locations.filtered_domain(
                locations._check_company_domain(company)
            )
            if refused:
                raise UserError(
                    self.env._(
                        "Assets of %(company)s cannot be placed in %(locations)s: "
                        "these locations belong to another company.",
                        company=company.sudo().name,
                        locations=", ".join(refused.mapped("complete_name")),
                    )
                )

    @api.model
    def _find_by_scan_keys(self, wanted, company_ids):
        """Assets named by scan keys, in one set-based query.

        ``wanted`` maps a key kind (see ``tools/scan_codes``) to a set of values.
        Returns ``{(kind, value): [{"id", "code", "company_id"}, ...]}`` over the
        active assets of ``company_ids`` the user may read (the record rules,
        see ``_scan_key_selects``).
        """
        found = defaultdict(list)
        selects = self._scan_key_selects(wanted, list(company_ids))
        if not selects:
            return found
        self.env.flush_all()  # plain SQL: the pending writes first
        self.env.cr.execute(SQL(" UNION ALL ").join(selects))
        lots = set(wanted.get("lot", ()))
        serials = set(wanted.get("serial", ()))
        for asset_id, code, company_id, kind, value, barcode in self.env.cr.fetchall():
            asset = {"id": asset_id, "code": code, "company_id": company_id}
            if kind != "serial":
                candidates = found[(kind, value)]
                # a GS1 key can match both the stored identity and a GIAI / GRAI
                if all(other["id"] != asset_id for other in candidates):
                    candidates.append(asset)
                continue
            if value in serials:
                found[("serial", value)].append(asset)
            gtin = scan_codes.gtin14(barcode)
            if gtin and (gtin, value) in lots:
                found[("lot", (gtin, value))].append(asset)
        return found

    @api.model
    def _scan_key_selects(self, wanted, company_ids):
        """One ``SELECT id, code, company_id, kind, value, barcode`` per kind of
        key in ``wanted``, over the active assets of ``company_ids``; the kind
        ``serial`` answers the serial-number rows (with the product barcode) that
        serve both the ``serial`` and the ``lot`` (GTIN + serial) keys.

        The WHERE clauses are the model's own: ``_search`` adds the record rules
        of the user (with ``company_ids`` as the allowed companies) and the
        active test to the keys and the companies asked for."""
        Asset = self._scan_key_scope(company_ids)
        if Asset is None:
            return []
        selects = []
        columns = {"epc": "epc", "gs1": "gs1_identity", "code": "code"}
        for kind, column in columns.items():
            values = list(wanted.get(kind, ()))
            if values:
                selects.append(
                    self._scan_key_select(Asset, company_ids, kind, column, values)
                )
        serials = set(wanted.get("serial", ()))
        serials.update(serial for _gtin, serial in wanted.get("lot", ()))
        if serials:
            query = Asset._search([("company_id", "in", company_ids)])
            table = query.table
            lot = query.join(table, "lot_id", "stock_lot", "id", "lot_id")
            product = query.join(lot, "product_id", "product_product", "id", "product")
            query.add_where(
                SQL("%s = ANY(%s)", SQL.identifier(lot, "name"), list(serials))
            )
            selects.append(
                query.select(
                    SQL.identifier(table, "id"),
                    SQL.identifier(table, "code"),
                    SQL.identifier(table, "company_id"),
                    SQL("'serial'::varchar"),
                    SQL("%s::varchar", SQL.identifier(lot, "name")),
                    SQL("%s::varchar", SQL.identifier(product, "barcode")),
                )
            )
        return selects

    @api.model
    def _scan_key_select(self, scope, company_ids, kind, column, values, prefix=""):
        """``SELECT id, code, company_id, kind, prefix || column, NULL`` over the
        assets of ``scope`` (see :meth:`_scan_key_scope`: the record rules and the
        active test) of ``company_ids`` whose ``column`` is one of ``values``.

        The key condition is ``= ANY(array)``: the domain's ``in`` converts and
        quotes a batch's hundreds of codes one by one in Python (the same rows,
        the same index). An empty value keeps the domain (it also matches NULL)."""
        if all(values):
            query = scope._search([("company_id", "in", company_ids)])
            column_sql = scope._field_to_sql(query.table, column, query)
            query.add_where(SQL("%s = ANY(%s)", column_sql, list(values)))
        else:
            query = scope._search(
                [(column, "in", values), ("company_id", "in", company_ids)]
            )
        table = query.table
        return query.select(
            SQL.identifier(table, "id"),
            SQL.identifier(table, "code"),
            SQL.identifier(table, "company_id"),
            SQL("%s::varchar", kind),
            SQL("(%s || %s)::varchar", prefix, SQL.identifier(table, column)),
            SQL("NULL::varchar"),
        )

    @api.model
    def _scan_key_scope(self, company_ids):
        """``stock.asset`` in the environment of a scan lookup over
        ``company_ids``: the record rules of the user with those companies
        allowed (those of them the user belongs to), active assets only. None
        when the user belongs to none of them."""
        if not self.env.su:
            mine = set(self.env.user._get_company_ids())
            company_ids = [company for company in company_ids if company in mine]
            if not company_ids:
                return None
        return self.with_context(
            active_test=True, allowed_company_ids=list(company_ids)
        )

    @api.model
    def _api_lookup(self, code):
        """One scanned code for a handheld: the per-code answer of a batch, plus
        the asset's whereabouts and status."""
        self.env["stock.asset.scan.batch"]._api_check_user()
        if not code or not code.strip():
            raise InvalidRequest(self.env._("missing parameter: code"), "missing_field")
        scan = scan_codes.classify(code)
        answer = {
            "code": code,
            "epc_uri": scan.epc_uri,
            "gs1": scan.gs1,
            "status": "unknown",
            "asset_id": None,
            "asset_code": None,
        }
        if not scan.valid:
            answer.update(status="invalid", message=scan.message)
            return answer
        wanted = defaultdict(set)
        for kind, value in scan.keys:
            wanted[kind].add(value)
        # the ormcached company list: ``user.company_ids`` reads the user row and
        # the many2many on every request (a third of a lookup's model time)
        found = self._find_by_scan_keys(wanted, list(self.env.user._get_company_ids()))
        # env.company loads the whole user row: only when a code names several
        preferred = (
            self.env.company.id
            if any(len(candidates) > 1 for candidates in found.values())
            else None
        )
        picked, message = self.env["stock.asset.scan.batch"]._pick_asset(
            scan, found, preferred
        )
        if not picked:
            if message or scan.message:
                answer.update(status="invalid", message=message or scan.message)
            return answer
        answer.update(status="matched", **self._lookup_details(picked["id"]))
        return answer

    @api.model
    def _lookup_details(self, asset_id):
        """The asset part of a lookup answer: whereabouts, holder, state, next
        reservation, in one statement (a handheld waits for it).

        ``asset_id`` was found among the assets of the user's companies; its
        location, holder and reservations are of the same company.
        """
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.code, a.name, a.state, a.last_seen_date,
                       l.id AS location_id, l.complete_name AS location_name,
                       l.barcode AS location_barcode,
                       h.id AS holder_id, h.name AS holder_name, h.ref AS holder_ref,
                       r.id AS reservation_id, rh.name AS reserved_for,
                       r.date_start, r.date_end,
                       EXISTS (
                           SELECT 1 FROM stock_asset_calibration_schedule s
                            WHERE s.asset_id = a.id AND s.active
                       ) AS instrument
                  FROM stock_asset a
             LEFT JOIN stock_location l ON l.id = a.location_id
             LEFT JOIN res_partner h ON h.id = a.holder_id
             LEFT JOIN LATERAL (
                           SELECT id, holder_id, date_start, date_end
                             FROM stock_asset_reservation
                            WHERE asset_id = a.id AND state = 'confirmed'
                              AND date_end > %(now)s
                         ORDER BY date_start, id
                            LIMIT 1
                       ) r ON TRUE
             LEFT JOIN res_partner rh ON rh.id = r.holder_id
                 WHERE a.id = %(asset_id)s
                """,
                now=now,
                asset_id=asset_id,
            )
        )
        row = self.env.cr.dictfetchone()
        return {
            "asset_id": asset_id,
            "asset_code": row["code"],
            "name": row["name"],
            "state": row["state"],
            "location": row["location_id"]
            and {
                "id": row["location_id"],
                "name": row["location_name"],
                "barcode": row["location_barcode"] or None,
            },
            "holder": row["holder_id"]
            and {
                "id": row["holder_id"],
                "name": row["holder_name"],
                "ref": row["holder_ref"] or None,
            },
            "last_seen_date": _utc(row["last_seen_date"]),
            # the live status (the stored one waits for the night's cron) needs
            # today in the user's time zone: only for instruments
            "calibration_state": (
                self.browse(asset_id)._lookup_calibration_state()
                if row["instrument"]
                else None
            ),
            "reservation": row["reservation_id"]
            and {
                "id": row["reservation_id"],
                "holder": row["reserved_for"],
                "date_start": _utc(row["date_start"]),
                "date_end": _utc(row["date_end"]),
                "current": row["date_start"] <= now,
            },
        }


def _utc(moment):
    """A naive UTC datetime of the database as the API writes it, or None."""
    return moment and moment.isoformat() + "Z"
