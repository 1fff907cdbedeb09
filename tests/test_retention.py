# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Retention: the daily purge of raw scan data, over batches posted for real."""

from odoo.tests import tagged

from .scan_common import ScanApiCommon


@tagged("post_install", "-at_install")
class TestScanRetention(ScanApiCommon):
    def _post(self, batch_id, codes, **extra):
        status, answer, _response = self.post(
            "/batches", self.batch(batch_id, codes, **extra)
        )
        self.assertEqual(status, 200, answer)
        return self.env["stock.asset.scan.batch"].search([("name", "=", batch_id)])

    def _age(self, batches, days):
        """Pretend ``batches`` and their observations were stored ``days`` ago."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_asset_scan_batch SET create_date = create_date - "
            "make_interval(days => %s) WHERE id = ANY(%s)",
            [days, batches.ids],
        )
        self.env.cr.execute(
            "UPDATE stock_asset_observation SET create_date = create_date - "
            "make_interval(days => %s) WHERE batch_id = ANY(%s)",
            [days, batches.ids],
        )
        self.env.invalidate_all()

    def test_purge_keeps_history_and_replays(self):
        asset = self.assets[0]
        # moves the asset to the dock (history), then reads it again there (detail)
        moved = self._post("old-1", [asset.epc], location="A-DOCK")
        again = self._post(
            "old-2",
            [
                {"code": asset.epc, "timestamp": "2026-11-24T10:05:00Z"},
                {"code": "OLD-NOBODY", "timestamp": "2026-11-24T10:05:00Z"},
            ],
            location="A-DOCK",
        )
        recent = self._post("new-1", [self.assets[1].epc], location="A-DOCK")
        self._age(moved | again, 91)
        Observation = self.env["stock.asset.observation"]
        before = Observation.search([("batch_id", "in", (moved | again).ids)])
        self.assertEqual(len(before), 3)
        self.assertEqual(self.env["stock.asset.scan.batch"]._cron_purge_expired(), True)
        kept = Observation.search([("batch_id", "in", (moved | again).ids)])
        self.assertRecordValues(
            kept.sorted("id"),
            [
                {
                    "code": moved.observation_ids.code,
                    "moved": True,
                    "status": "matched",
                    "triage_state": False,
                },
                {
                    "code": "OLD-NOBODY",
                    "moved": False,
                    "status": "unknown",
                    "triage_state": "new",
                },
            ],
        )
        self.assertEqual(asset.move_observation_ids.batch_id, moved)
        self.assertRecordValues(
            moved | again | recent,
            [
                {"payload": False, "result": False, "state": "done"},
                {"payload": False, "result": False, "state": "done"},
                {"payload": recent.payload, "result": recent.result, "state": "done"},
            ],
        )
        self.assertTrue(recent.payload and recent.result)
        self.assertEqual(len(recent.observation_ids), 1)
        # a replay of a purged batch is still answered as a duplicate, with counts
        status, answer, _r = self.post(
            "/batches", self.batch("old-1", [asset.epc], location="A-DOCK")
        )
        self.assertEqual(status, 200)
        self.assertEqual(
            {k: answer[k] for k in ("duplicate", "status", "matched", "results")},
            {"duplicate": True, "status": "done", "matched": 1, "results": []},
        )
        # nothing left to purge: a second run changes nothing
        self.env["stock.asset.scan.batch"]._cron_purge_expired()
        self.assertEqual(
            Observation.search_count([("batch_id", "in", (moved | again).ids)]), 2
        )

    def test_purge_works_in_chunks_and_keeps_recent_data(self):
        batches = self.env["stock.asset.scan.batch"]
        for n in range(3):
            batches |= self._post(f"chunk-{n}", [f"CHUNK-{n}"], mode="audit")
        self._age(batches, 100)
        self.env["ir.config_parameter"].set_param(
            "stock_asset_tracking.retention_chunk_size", "2"
        )
        Batch = self.env["stock.asset.scan.batch"]
        self.assertEqual(Batch._bulk_purge_raw(Batch._retention_cutoff(), 2), 2)
        self.assertEqual(Batch._bulk_purge_raw(Batch._retention_cutoff(), 2), 1)
        self.assertEqual(Batch._bulk_purge_raw(Batch._retention_cutoff(), 2), 0)
        self.env["ir.config_parameter"].set_param(
            "stock_asset_tracking.retention_days", "365"
        )
        kept = self._post("chunk-kept", ["CHUNK-KEPT"], mode="audit")
        self._age(kept, 100)
        Batch._cron_purge_expired()
        self.assertTrue(kept.payload, "younger than the retention days: kept")
