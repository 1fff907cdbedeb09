# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 14, item 3: identical retries of one batch all succeed.

A reader that retries while its first POST is still running must never get a
false error: Odoo replays a request that hit a serialization failure
(``odoo.service.model.retrying``), and the replay must read the same body again.
Every copy answers 200 (the result, or ``duplicate: true``) or 202
``processing``, and the batch applies exactly once.
"""

import threading
from collections import Counter
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .scan_common import API, ScanApiCommon, answer_without_results

# what an identical receipt racing another one raised at REPEATABLE READ
SERIALIZATION_FAILURE = """
    DO $$ BEGIN
        RAISE EXCEPTION 'could not serialize access due to concurrent update'
            USING ERRCODE = 'serialization_failure';
    END $$
"""


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestBatchRetries(ScanApiCommon):
    openapi_check = True

    def _large_payload(self, batch_id):
        """12,000 reads of 4,000 codes (the 5 assets among them), 3 reads each."""
        codes = [asset.epc for asset in self.assets]
        codes += [f"UNKNOWN-{number:05d}" for number in range(4000 - len(codes))]
        reads = [
            {
                "code": code,
                "antenna": 1,
                "rssi": -60.0,
                "timestamp": f"2026-11-24T10:00:0{repeat}Z",
            }
            for repeat in range(3)
            for code in codes
        ]
        return {
            "batch_id": batch_id,
            "device": "reader-7",
            "location": "A-DOCK",
            "reads": reads,
        }

    def _replayed_once(self, threads_to_replay):
        """Make the first try of ``threads_to_replay`` requests fail to serialize
        where a racing identical receipt did, so that Odoo replays them."""
        Batch = type(self.env["stock.asset.scan.batch"])
        original = Batch._receive
        replayed = []
        lock = threading.Lock()

        def receive(batch, payload, **kwargs):
            thread = threading.current_thread()
            with lock:
                first_try = thread not in replayed and len(replayed) < threads_to_replay
                if first_try:
                    replayed.append(thread)
            if first_try:
                batch.env.cr.execute(SERIALIZATION_FAILURE, log_exceptions=False)
            return original(batch, payload, **kwargs)

        return patch.object(Batch, "_receive", receive), replayed

    def test_identical_copies_apply_once(self):
        batch_id = "reader-7/2026-11-24T10:00:00Z/012000"
        payload = self._large_payload(batch_id)
        patcher, replayed = self._replayed_once(3)
        with patcher:
            answers = self.post_in_threads(
                [{"path": "/batches", "body": payload}] * 8, workers=8
            )
        # the replays did happen, and read the body again
        self.assertEqual(len(replayed), 3)
        statuses = Counter(status for status, _b, _r in answers)
        self.assertFalse(set(statuses) - {200, 202}, statuses)
        bodies = [body for _s, body, _r in answers]
        firsts = [body for body in bodies if not body["duplicate"]]
        self.assertEqual(len(firsts), 1)
        first = firsts[0]
        self.assertEqual(
            {key: first[key] for key in ("status", "reads", "unique_codes")},
            {"status": "done", "reads": 12000, "unique_codes": 4000},
        )
        self.assertEqual(
            (first["matched"], first["unknown"], first["invalid"]), (5, 3995, 0)
        )
        for (status, body, response), in_progress in zip(
            answers, (status == 202 for status, _b, _r in answers), strict=True
        ):
            if in_progress:
                self.assertEqual(
                    (body["status"], body["duplicate"], response.headers["Location"]),
                    (
                        "processing",
                        True,
                        f"{API}/batches/reader-7%2F2026-11-24T10%3A00%3A00Z%2F012000",
                    ),
                )
            else:
                self.assertEqual(status, 200)
                self.assertEqual(body, dict(first, duplicate=body["duplicate"]))
        # applied exactly once
        batch = self.env["stock.asset.scan.batch"].search([("name", "=", batch_id)])
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "done",
                    "read_count": 12000,
                    "unique_count": 4000,
                    "processed_count": 4000,
                    "matched_count": 5,
                    "moved_count": 5,
                }
            ],
        )
        Observation = self.env["stock.asset.observation"]
        self.assertEqual(Observation.search_count([("batch_id", "=", batch.id)]), 4000)
        per_code = Observation._read_group(
            [("batch_id", "=", batch.id)], ["code"], ["__count"]
        )
        self.assertEqual({count for _code, count in per_code}, {1})
        self.assertEqual(
            Observation.search_count(
                [("batch_id", "=", batch.id), ("read_count", "!=", 3)]
            ),
            0,
        )
        moves = Observation.search(
            [("asset_id", "in", self.assets.ids), ("moved", "=", True)]
        )
        self.assertEqual(moves.asset_id, self.assets)
        self.assertEqual(len(moves), 5)
        self.assertEqual(self.assets.location_id, self.dock)
        self.assertEqual(len(batch.message_ids.filtered("body")), 1)

    def test_retry_while_first_copy_runs_answers_202(self):
        """A copy that finds the batch being applied by another request does not
        wait for it: 202 ``processing``, nothing applied twice."""
        Batch = self.env["stock.asset.scan.batch"]
        payload = self.batch(
            "busy-1", [self.assets[0].epc, "NOT-A-TAG"], location="A-SHELF-2"
        )
        # the first copy stored the batch and is applying it (it holds the row)
        self.env.flush_all()
        Batch.with_user(self.reader_user)._receive(
            dict(payload, mode="observe"), company=self.company_a
        )
        self.env.invalidate_all()
        with patch.object(type(Batch), "_lock_for_processing", return_value="busy"):
            status, body, response = self.post("/batches", payload)
        self.assertEqual(status, 202)
        self.assertEqual(
            body, answer_without_results("busy-1", "processing", 2, duplicate=True)
        )
        self.assertEqual(response.headers["Location"], f"{API}/batches/busy-1")
        batch = Batch.search([("name", "=", "busy-1")])
        self.assertEqual(batch.state, "received")
        self.assertFalse(batch.observation_ids)
        self.assertEqual(self.assets[0].location_id, self.stock_a)
        # once the row is free, a copy applies it, once
        status, body, _r = self.post("/batches", payload)
        self.assertEqual((status, body["status"], body["matched"]), (200, "done", 1))
        status, again, _r = self.post("/batches", payload)
        self.assertEqual((status, again), (200, dict(body, duplicate=True)))
        self.assertEqual(len(batch.observation_ids), 2)
        self.assertEqual(self.assets[0].location_id, self.shelf_2)
