# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Retention of what the scan API receives.

Raw batch bodies, stored answers and per-read observations older than
``stock_asset_tracking.retention_days`` are purged by a daily cron, in chunks of
``stock_asset_tracking.retention_chunk_size`` rows, each committed by the cron
runner. The movement history, voided reads and unknown codes waiting for triage are
kept, and so is the body of a failed batch (a manager may retry it); a purged
batch keeps its row (id, digest, counts), so a replay is still answered as a
duplicate.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 90
DEFAULT_RETENTION_CHUNK = 10_000


class StockAssetScanBatch(models.Model):
    _inherit = "stock.asset.scan.batch"

    @api.model
    def _cron_purge_expired(self):
        """One chunk of the purge; the cron runner commits it and calls again
        while rows remain (ir.cron progress)."""
        chunk = self._int_param(
            "stock_asset_tracking.retention_chunk_size", DEFAULT_RETENTION_CHUNK
        )
        before = self._retention_cutoff()
        observations = self.env["stock.asset.observation"]._bulk_purge_read_detail(
            before, chunk
        )
        batches = self._bulk_purge_raw(before, chunk)
        more = observations == chunk or batches == chunk
        self.env["ir.cron"]._notify_progress(
            done=observations + batches, remaining=1 if more else 0
        )
        _logger.info(
            "scan retention (before %s): %s observations deleted, %s batches emptied",
            before,
            observations,
            batches,
        )
        return True

    @api.model
    def _retention_cutoff(self):
        """What was stored before this moment is past the retention days."""
        days = self._int_param(
            "stock_asset_tracking.retention_days", DEFAULT_RETENTION_DAYS
        )
        return fields.Datetime.now() - timedelta(days=days)

    @api.model
    def _bulk_purge_raw(self, before, limit):
        """Empty the body and the stored answer of at most ``limit`` done batches
        received before ``before``; returns how many (a failed batch keeps its
        body for a manager's retry)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE stock_asset_scan_batch
               SET payload = NULL, result = NULL
             WHERE id IN (
                SELECT id FROM stock_asset_scan_batch
                 WHERE create_date < %s
                   AND state = 'done'
                   AND (payload IS NOT NULL OR result IS NOT NULL)
                 ORDER BY id
                 LIMIT %s)
            """,
            [before, limit],
        )
        count = self.env.cr.rowcount
        self.invalidate_model(["payload", "result"])
        return count
