# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

from odoo import api, fields, models
from odoo.tools import SQL


class StockAsset(models.Model):
    """Physical audits: the asset's part."""

    _inherit = "stock.asset"

    # Physical audits ---------------------------------------------------------------
    last_audit_date = fields.Date(
        readonly=True,
        copy=False,
        help="Closing date of the latest audit that found the item.",
        groups="base.group_user",
    )
    next_audit_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the item is due for its next audit: the latest audit plus the "
        "audit interval of its category.",
        groups="base.group_user",
    )

    @api.model
    def _bulk_set_audit_dates(self, ids, date):
        """Last audit ``date`` on the assets ``ids``, next audit after their
        category's interval (none when 0), in one UPDATE: ``write()`` of the same
        values on the 9,000 assets of a large audit takes seconds more
        (bench/RESULTS.md). Keeps what ``write()`` guarantees: access rights and
        record rules (``AccessError``), ``write_uid`` / ``write_date``, the cache
        and the fields depending on the two written ones."""
        if not ids:
            return
        fnames = ["last_audit_date", "next_audit_date"]
        self.flush_model()
        reachable = self._bulk_reachable(ids)
        self.env["stock.asset.category"].flush_model(["audit_interval_days"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_asset a
                   SET last_audit_date = %(date)s,
                       next_audit_date = (
                           SELECT %(date)s::date + c.audit_interval_days
                             FROM stock_asset_category c
                            WHERE c.id = a.category_id AND c.audit_interval_days > 0
                       ),
                       write_uid = %(uid)s,
                       write_date = (now() at time zone 'UTC')
                 WHERE a.id = ANY(%(ids)s) AND a.id IN %(reachable)s
                """,
                date=date,
                uid=self.env.uid,
                ids=list(ids),
                reachable=reachable.subselect(),
            )
        )
        assets = self.browse(ids)
        assets.invalidate_recordset([*fnames, "write_uid", "write_date"])
        assets.modified(fnames)
