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
        deleted = self._purge_empty_batches(before, chunk)
        more = chunk in (observations, batches, deleted)
        self.env["ir.cron"]._notify_progress(
            done=observations + batches + deleted, remaining=1 if more else 0
        )
        _logger.info(
            "scan retention (before %s): %s observations deleted, %s batches "
            "emptied, %s batches deleted",
            before,
            observations,
            batches,
            deleted,
        )
        return True

    @api.model
    def _purge_empty_batches(self, before, limit):
        """Delete at most ``limit`` done batches received before ``before`` that
        keep nothing: no body, no answer, no observation (a fixed reader's steady
        state, 80 batches a second on a large site); returns how many. A replay of
        one after the retention days is applied again, which cannot move an asset
        back (presence rules: reads older than a move never undo it)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT batch.id FROM stock_asset_scan_batch batch
             WHERE batch.create_date < %s AND batch.state = 'done'
               AND batch.payload IS NULL AND batch.result IS NULL
               AND NOT EXISTS (SELECT 1 FROM stock_asset_observation observation
                                WHERE observation.batch_id = batch.id)
             ORDER BY batch.id
             LIMIT %s
            """,
            [before, limit],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        # the ORM's unlink: their chatter and followers go with them
        self.sudo().browse(ids).unlink()
        return len(ids)

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
