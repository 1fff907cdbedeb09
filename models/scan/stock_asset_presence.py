# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What fixed RFID readers know of each asset between two batches.

The asset's zone is its location; this model keeps the rest of
:class:`..tools.presence.TagState` (signal, the pending miss and candidate zone),
one row per asset a fixed reader has placed, written only when the presence rules
change something (see tools/presence.py).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ...tools.presence import TagState

_COLUMNS = (
    "zone_since",
    "rssi",
    "missing_since",
    "candidate_location_id",
    "candidate_since",
    "candidate_rssi",
)


class StockAssetPresence(models.Model):
    _name = "stock.asset.presence"
    _description = "Asset Presence at Fixed Readers"
    _order = "missing_since, id"
    _rec_name = "asset_id"
    _check_company_auto = True

    asset_id = fields.Many2one(
        "stock.asset", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    location_id = fields.Many2one(
        related="asset_id.location_id", string="Zone", readonly=True
    )
    device_id = fields.Many2one(
        "stock.asset.device",
        string="Reader",
        readonly=True,
        ondelete="set null",
        help="The fixed reader whose zone last placed the asset.",
    )
    zone_since = fields.Datetime(string="In Zone Since", readonly=True)
    rssi = fields.Float(string="Signal (dBm)", readonly=True, digits=(6, 1))
    missing_since = fields.Datetime(
        readonly=True,
        help="Since when its zone's reader reports without reading it.",
    )
    candidate_location_id = fields.Many2one(
        "stock.location",
        string="Candidate Zone",
        readonly=True,
        ondelete="set null",
        help="Another zone reading it on evidence; it moves there after the dwell "
        "time.",
    )
    candidate_since = fields.Datetime(readonly=True)
    candidate_rssi = fields.Float(readonly=True, digits=(6, 1))
    not_seen_date = fields.Datetime(
        string="Reported Not Seen",
        readonly=True,
        help="When the asset was reported not seen by any reader (cleared when "
        "read again).",
    )

    _sql_constraints = [
        ("asset_uniq", "unique(asset_id)", "An asset has one presence record."),
    ]

    # bulk access (the scan pipeline) --------------------------------------------
    @api.model
    def _bulk_read_states(self, asset_ids, zone_ids, company_ids, lock=False):
        """``{asset_id: TagState}`` of the assets ``asset_ids`` and of the assets
        (of ``company_ids``, in use) whose location is one of ``zone_ids``, in one
        query; ``lock``: lock the assets' rows, in id order."""
        self.env.flush_all()
        query = SQL(
            """
            SELECT a.id, a.location_id, a.last_seen_date, p.zone_since, p.rssi,
                   p.missing_since, p.candidate_location_id, p.candidate_since,
                   p.candidate_rssi
              FROM stock_asset a
              -- one index probe per asset: a hash join would read the whole
              -- presence table for the few hundred assets of a batch (LIMIT 1,
              -- the row is unique: keeps the planner from flattening the
              -- subquery into that hash join)
              LEFT JOIN LATERAL (
                    SELECT * FROM stock_asset_presence
                     WHERE asset_id = a.id LIMIT 1) p ON TRUE
             WHERE a.id = ANY(%(ids)s)
                OR (a.location_id = ANY(%(zones)s) AND a.active
                    AND a.state NOT IN ('disposed', 'lost')
                    AND a.company_id = ANY(%(companies)s))
             ORDER BY a.id
             %(lock)s
            """,
            ids=list(asset_ids),
            zones=list(zone_ids),
            companies=list(company_ids),
            lock=SQL("FOR NO KEY UPDATE OF a") if lock else SQL(""),
        )
        return {
            row[0]: TagState(
                asset_id=row[0],
                zone=row[1],
                seen=row[2],
                zone_since=row[3],
                rssi=row[4],
                missing_since=row[5],
                candidate=row[6],
                candidate_since=row[7],
                candidate_rssi=row[8],
            )
            for row in self.env.execute_query(query)
        }

    @api.model
    def _bulk_write_states(self, states, company_id, device_id=None):
        """Store the new states (``{asset_id: TagState}``) in one statement."""
        if not states:
            return
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                state.asset_id,
                company_id,
                device_id,
                *(getattr(state, name) for name in _STATE_FIELDS),
                self.env.uid,
                self.env.uid,
                self.env.cr.now(),
                self.env.cr.now(),
            )
            for state in states.values()
        ]
        self.env.execute_query(
            SQL(
                """
                INSERT INTO stock_asset_presence
                    (asset_id, company_id, device_id, %(columns)s,
                     create_uid, write_uid, create_date, write_date)
                VALUES %(rows)s
                ON CONFLICT (asset_id) DO UPDATE SET
                    device_id = COALESCE(EXCLUDED.device_id,
                                         stock_asset_presence.device_id),
                    %(updates)s,
                    not_seen_date = CASE WHEN EXCLUDED.missing_since IS NULL
                                         THEN NULL
                                         ELSE stock_asset_presence.not_seen_date
                                    END,
                    write_uid = EXCLUDED.write_uid,
                    write_date = EXCLUDED.write_date
                """,
                columns=SQL(", ").join(map(SQL.identifier, _COLUMNS)),
                rows=SQL(", ").join(rows),
                updates=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c))
                    for c in _COLUMNS
                ),
            )
        )
        self.invalidate_model()

    # not seen -------------------------------------------------------------------
    @api.model
    def _cron_report_not_seen(self):
        """Report the assets no zone has read for their reader's *Not Seen After*:
        kept where they are, listed under Scanning > Not Seen, and an activity for
        the asset's responsible, once."""
        now = fields.Datetime.now()
        candidates = self.search(
            [
                ("missing_since", "!=", False),
                ("candidate_location_id", "=", False),
                ("not_seen_date", "=", False),
            ]
        )
        due = candidates.filtered(
            lambda presence: presence.missing_since
            <= now - timedelta(minutes=presence._not_seen_minutes())
        )
        if not due:
            return True
        due.write({"not_seen_date": now})
        for presence in due:
            asset = presence.asset_id
            summary = self.env._(
                "%(code)s not seen at %(zone)s since %(since)s",
                code=asset.code,
                zone=asset.location_id.display_name,
                since=fields.Datetime.to_string(presence.missing_since),
            )
            asset.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(asset.user_id or self.env.user).id,
                summary=summary,
            )
            # the asset's history keeps each report, the activity is the to-do
            asset.message_post(body=summary, subtype_xmlid="mail.mt_note")
        return True

    def _not_seen_minutes(self):
        self.ensure_one()
        return self.device_id.presence_not_seen_minutes or 10

    def action_open_asset(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.asset",
            "res_id": self.asset_id.id,
            "view_mode": "form",
        }


_STATE_FIELDS = (
    "zone_since",
    "rssi",
    "missing_since",
    "candidate",
    "candidate_since",
    "candidate_rssi",
)
