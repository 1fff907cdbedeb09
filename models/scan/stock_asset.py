# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools import scan_codes
from ...tools.scan_api import ApiError


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

    @api.model
    def _find_by_scan_keys(self, wanted, company_ids):
        """Assets named by scan keys, in one set-based query.

        ``wanted`` maps a key kind (see ``tools/scan_codes``) to a set of values.
        Returns ``{(kind, value): [{"id", "code", "company_id"}, ...]}`` over the
        active assets of ``company_ids``: the company rule, applied explicitly
        because this is a plain SQL read.
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
        serve both the ``serial`` and the ``lot`` (GTIN + serial) keys."""
        selects = []
        columns = {"epc": "epc", "gs1": "gs1_identity", "code": "code"}
        for kind, column in columns.items():
            values = list(wanted.get(kind, ()))
            if values:
                selects.append(
                    SQL(
                        """
                        SELECT id, code, company_id, %(kind)s::varchar,
                               %(column)s::varchar, NULL::varchar
                          FROM stock_asset
                         WHERE %(column)s = ANY(%(values)s)
                           AND company_id = ANY(%(companies)s) AND active
                        """,
                        kind=kind,
                        column=SQL.identifier(column),
                        values=values,
                        companies=company_ids,
                    )
                )
        serials = set(wanted.get("serial", ()))
        serials.update(serial for _gtin, serial in wanted.get("lot", ()))
        if serials:
            selects.append(
                SQL(
                    """
                    SELECT a.id, a.code, a.company_id, 'serial'::varchar,
                           l.name::varchar, p.barcode::varchar
                      FROM stock_asset a
                      JOIN stock_lot l ON l.id = a.lot_id
                      JOIN product_product p ON p.id = l.product_id
                     WHERE l.name = ANY(%(serials)s)
                       AND a.company_id = ANY(%(companies)s) AND a.active
                    """,
                    serials=list(serials),
                    companies=company_ids,
                )
            )
        return selects

    @api.model
    def _api_lookup(self, code):
        """One scanned code for a handheld: the per-code answer of a batch, plus
        the asset's whereabouts and status."""
        self.env["stock.asset.scan.batch"]._api_check_user()
        if not code or not code.strip():
            raise ApiError(400, "missing_field", self.env._("missing parameter: code"))
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
                       l.id, l.complete_name, l.barcode,
                       h.id, h.name, h.ref,
                       r.id, rh.name, r.date_start, r.date_end,
                       EXISTS (
                           SELECT 1 FROM stock_asset_calibration_schedule s
                            WHERE s.asset_id = a.id AND s.active
                       )
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
        (
            code,
            name,
            state,
            last_seen,
            location_id,
            location_name,
            location_barcode,
            holder_id,
            holder_name,
            holder_ref,
            reservation_id,
            reserved_for,
            reserved_from,
            reserved_to,
            instrument,
        ) = self.env.cr.fetchone()
        return {
            "asset_id": asset_id,
            "asset_code": code,
            "name": name,
            "state": state,
            "location": location_id
            and {
                "id": location_id,
                "name": location_name,
                "barcode": location_barcode or None,
            },
            "holder": holder_id
            and {"id": holder_id, "name": holder_name, "ref": holder_ref or None},
            "last_seen_date": last_seen and last_seen.isoformat() + "Z",
            # the live status (the stored one waits for the night's cron) needs
            # today in the user's time zone: only for instruments
            "calibration_state": (
                self.browse(asset_id)._lookup_calibration_state()
                if instrument
                else None
            ),
            "reservation": reservation_id
            and {
                "id": reservation_id,
                "holder": reserved_for,
                "date_start": reserved_from.isoformat() + "Z",
                "date_end": reserved_to.isoformat() + "Z",
                "current": reserved_from <= now,
            },
        }
