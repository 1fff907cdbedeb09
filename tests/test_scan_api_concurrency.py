# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Replays, concurrent batches, the crash-after-store recovery and the background
processing of large batches."""

from collections import Counter
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .scan_common import API, ScanApiCommon, answer_without_results

BASE = datetime(2026, 11, 24, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanApiConcurrency(ScanApiCommon):
    """Batches posted from several threads at once.

    In Odoo's test mode every HTTP request runs on the test transaction and the
    requests are serialized by the registry's test lock: these tests check that
    the answers and the data are right whatever the interleaving of the requests
    (arrival order, replays racing the first post), not the behaviour of parallel
    PostgreSQL transactions (row locks, serialization retries), which needs
    several workers (see bench/).
    """

    openapi_check = True

    def _observation_counts(self, batch_name):
        """{code: observations} of one batch."""
        groups = self.env["stock.asset.observation"]._read_group(
            [("batch_id.name", "=", batch_name)], ["code"], ["__count"]
        )
        return dict(groups)

    def test_overlapping_batches_newest_read_wins(self):
        places = [self.shelf_1, self.shelf_2, self.dock]
        batches = 6

        def seen(batch, asset):
            # distinct for one asset over the batches, in no arrival order
            return BASE + timedelta(minutes=(5 * batch + 3 * asset) % 13)

        calls = []
        for number in range(batches):
            reads = []
            for index, asset in enumerate(self.assets):
                moment = seen(number, index)
                for at in (moment - timedelta(seconds=30), moment):
                    reads.append({"code": asset.epc, "timestamp": at.isoformat() + "Z"})
            calls.append(
                {
                    "path": "/batches",
                    "body": {
                        "batch_id": f"portal/{number}",
                        "device": "reader-7",
                        "location": places[number % 3].barcode,
                        "reads": reads,
                    },
                }
            )
        answers = self.post_in_threads(calls, workers=batches)
        self.assertEqual([status for status, _b, _r in answers], [200] * batches)
        for number, (_status, body, _r) in enumerate(answers):
            self.assertEqual(
                (body["batch_id"], body["duplicate"], body["status"]),
                (f"portal/{number}", False, "done"),
            )
            self.assertEqual(
                [(r["asset_id"], r["status"]) for r in body["results"]],
                [(asset.id, "matched") for asset in self.assets],
            )
        expected = []
        for index in range(len(self.assets)):
            newest = max(range(batches), key=lambda number: seen(number, index))
            expected.append(
                {
                    "location_id": places[newest % 3].id,
                    "last_seen_date": seen(newest, index),
                }
            )
        self.assertRecordValues(self.assets, expected)
        Batch = self.env["stock.asset.scan.batch"]
        for number in range(batches):
            name = f"portal/{number}"
            self.assertEqual(Batch.search_count([("name", "=", name)]), 1)
            self.assertEqual(
                self._observation_counts(name), {asset.epc: 1 for asset in self.assets}
            )
        # each asset was applied once per batch that brought a newer read, and its
        # last applied observation is the newest read
        for index, asset in enumerate(self.assets):
            applied = asset.observation_ids.filtered("applied")
            self.assertEqual(
                max(applied.mapped("last_seen")), expected[index]["last_seen_date"]
            )

    def test_concurrent_replays_of_one_batch(self):
        payload = self.batch(
            "reader-7/2026-11-24T10:00:00Z/000777",
            [self.assets[0].epc, self.assets[1].epc, "A-00003", "A-00003"],
            device="reader-7",
            location="A-DOCK",
        )
        calls = [{"path": "/batches", "body": payload}] * 8
        answers = self.post_in_threads(calls, workers=8)
        self.assertEqual([status for status, _b, _r in answers], [200] * 8)
        bodies = [body for _status, body, _r in answers]
        self.assertEqual(
            Counter(body["duplicate"] for body in bodies), {True: 7, False: 1}
        )
        first = next(body for body in bodies if not body["duplicate"])
        for body in bodies:
            self.assertEqual(body, dict(first, duplicate=body["duplicate"]))
        self.assertEqual(
            [(r["asset_id"], r["status"]) for r in first["results"]],
            [
                (self.assets[0].id, "matched"),
                (self.assets[1].id, "matched"),
                (self.assets[2].id, "matched"),
            ],
        )
        batch = self.env["stock.asset.scan.batch"].search(
            [("name", "=", payload["batch_id"])]
        )
        self.assertRecordValues(
            batch, [{"state": "done", "read_count": 4, "moved_count": 3}]
        )
        self.assertEqual(
            self._observation_counts(payload["batch_id"]),
            {self.assets[0].epc: 1, self.assets[1].epc: 1, "A-00003": 1},
        )
        self.assertEqual(self.assets[:3].location_id, self.dock)
        self.assertEqual(len(batch.message_ids.filtered("body")), 1)

    def test_concurrent_conflicting_bodies(self):
        one = self.batch("race-1", [self.assets[0].epc], location="A-SHELF-1")
        other = self.batch("race-1", [self.assets[1].epc], location="A-SHELF-2")
        calls = [{"path": "/batches", "body": body} for body in (one, other) * 4]
        answers = self.post_in_threads(calls, workers=8)
        winner = next(
            number
            for number, (status, body, _r) in enumerate(answers)
            if status == 200 and not body["duplicate"]
        )
        won = one if winner % 2 == 0 else other
        outcome = Counter(
            (
                "same" if call["body"] is won else "other",
                status,
                body.get("duplicate", body.get("error", {}).get("code")),
            )
            for call, (status, body, _r) in zip(calls, answers, strict=True)
        )
        self.assertEqual(
            outcome,
            {
                ("same", 200, False): 1,
                ("same", 200, True): 3,
                ("other", 409, "batch_conflict"): 4,
            },
        )
        winner_asset = self.assets[0] if won is one else self.assets[1]
        loser_asset = self.assets[1] if won is one else self.assets[0]
        self.assertTrue(winner_asset.last_seen_date)
        self.assertRecordValues(
            loser_asset, [{"location_id": self.stock_a.id, "last_seen_date": False}]
        )
        self.assertEqual(
            self.env["stock.asset.observation"].search_count(
                [("batch_id.name", "=", "race-1")]
            ),
            1,
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestScanBatchRecovery(ScanApiCommon):
    """A batch is stored and committed before it is applied: what a crash leaves
    behind is finished by the cron, exactly once; large batches go to the cron."""

    openapi_check = True

    def _receive(self, payload):
        """Store a batch as the scan endpoint does, and stop there (the crash)."""
        self.env.flush_all()
        result = (
            self.env["stock.asset.scan.batch"]
            .with_user(self.reader_user)
            ._receive(payload, company=self.company_a, device=self.device)
        )
        self.env.invalidate_all()
        return result

    def _payload(self, batch_id):
        return self.batch(
            batch_id,
            [self.assets[0].epc, self.assets[1].epc, "A-00003", "NOT-A-TAG"],
            device="reader-7",
            location="A-SHELF-2",
            mode="observe",
        )

    def _expected_answer(self, batch_id, duplicate=False):
        def result(code, asset=None, epc=None):
            return {
                "code": code,
                "epc_uri": epc and f"urn:epc:id:giai:0614141.{epc}",
                "gs1": epc and f"(8004)0614141{epc}",
                "status": "matched" if asset else "unknown",
                "asset_id": asset.id if asset else None,
                "asset_code": asset.code if asset else None,
            }

        return {
            "batch_id": batch_id,
            "duplicate": duplicate,
            "status": "done",
            "reads": 4,
            "unique_codes": 4,
            "matched": 3,
            "unknown": 1,
            "invalid": 0,
            "results": [
                result(self.assets[0].epc, self.assets[0], 5001),
                result(self.assets[1].epc, self.assets[1], 5002),
                result("A-00003", self.assets[2]),
                result("NOT-A-TAG"),
            ],
        }

    def _observation_count(self, batch):
        return self.env["stock.asset.observation"].search_count(
            [("batch_id", "=", batch.id)]
        )

    def test_crash_after_store_finished_by_cron_once(self):
        Batch = self.env["stock.asset.scan.batch"]
        payload = self._payload("crash-1")
        batch_id, conflict, state, created = self._receive(payload)
        self.assertEqual((conflict, state, created), (False, "received", True))
        batch = Batch.browse(batch_id)
        self.assertRecordValues(
            batch,
            [
                {
                    "name": "crash-1",
                    "state": "received",
                    "user_id": self.reader_user.id,
                    "device_id": self.device.id,
                    "read_count": 4,
                    "matched_count": 0,
                    "result": False,
                }
            ],
        )
        self.assertEqual(self._observation_count(batch), 0)
        self.assertEqual(self.assets[:3].location_id, self.stock_a)
        # the batch is known by its key: storing it again is not a new batch
        self.assertEqual(self._receive(payload), (batch_id, False, "received", False))
        # the cron comes by later and finishes it
        with freeze_time("2026-11-24 12:05:00"):
            Batch._cron_process_pending(stale_minutes=0)
        self.env.invalidate_all()
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "done",
                    "matched_count": 3,
                    "unknown_count": 1,
                    "moved_count": 3,
                    "done_date": datetime(2026, 11, 24, 12, 5),
                }
            ],
        )
        self.assertEqual(self._observation_count(batch), 4)
        self.assertRecordValues(
            self.assets[:3],
            [{"location_id": self.shelf_2.id, "last_seen_date": BASE}] * 3,
        )
        # again: nothing left to do
        with freeze_time("2026-11-24 12:10:00"):
            Batch._cron_process_pending(stale_minutes=0)
        self.env.invalidate_all()
        self.assertEqual(self._observation_count(batch), 4)
        self.assertRecordValues(
            batch, [{"state": "done", "done_date": datetime(2026, 11, 24, 12, 5)}]
        )
        self.assertEqual(len(batch.message_ids.filtered("body")), 1)
        # the reader's retry gets the stored answer
        del payload["mode"]
        status, body, _r = self.post("/batches", payload)
        self.assertEqual(status, 200)
        self.assertEqual(body, self._expected_answer("crash-1", duplicate=True))

    def test_crash_after_store_finished_by_retry(self):
        Batch = self.env["stock.asset.scan.batch"]
        payload = self._payload("crash-2")
        batch_id, _conflict, _state, _created = self._receive(payload)
        # the reader retries before the cron: the retry applies the stored batch
        status, body, _r = self.post("/batches", payload)
        self.assertEqual(status, 200)
        self.assertEqual(body, self._expected_answer("crash-2"))
        batch = Batch.browse(batch_id)
        self.assertEqual(self._observation_count(batch), 4)
        with freeze_time("2026-11-24 12:30:00"):
            Batch._cron_process_pending(stale_minutes=0)
        self.env.invalidate_all()
        self.assertEqual(self._observation_count(batch), 4)
        self.assertRecordValues(batch, [{"state": "done", "moved_count": 3}])
        # the receipt of a new batch is not touched before it is stale
        _other_id, _c, _s, _n = self._receive(self._payload("crash-3"))
        Batch._cron_process_pending()
        self.assertEqual(Batch.search([("name", "=", "crash-3")]).state, "received")

    def test_large_batch_runs_in_background(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "stock_asset_tracking.async_read_threshold", "2"
        )
        cron = self.env.ref("stock_asset_tracking.ir_cron_process_scan_batches")
        batch_id = "reader-7/2026-11-24T10:00:00Z/000124"
        payload = self.batch(
            batch_id,
            [self.assets[0].epc, self.assets[1].epc, "A-00003", "NOT-A-TAG"],
            device="reader-7",
            location="A-SHELF-2",
        )
        queued = answer_without_results(batch_id, "queued", 4)
        status, body, response = self.post("/batches", payload)
        self.assertEqual((status, body), (202, queued))
        location = response.headers["Location"]
        self.assertEqual(
            location, f"{API}/batches/reader-7%2F2026-11-24T10%3A00%3A00Z%2F000124"
        )
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        status, body, _r = self.get(location[len(API) :])
        self.assertEqual((status, body), (200, queued))
        # a replay while it waits is a duplicate, still queued
        status, body, _r = self.post("/batches", payload)
        self.assertEqual((status, body), (202, dict(queued, duplicate=True)))
        self.assertEqual(self.assets[:3].location_id, self.stock_a)
        # the cron runs it (the job the trigger wakes up)
        self.env["stock.asset.scan.batch"]._cron_process_pending()
        status, body, _r = self.get_batch(batch_id)
        self.assertEqual((status, body), (200, self._expected_answer(batch_id)))
        self.assertRecordValues(
            self.assets[:3],
            [{"location_id": self.shelf_2.id, "last_seen_date": BASE}] * 3,
        )
        # at the threshold, a batch is still answered at once
        status, body, _r = self.post(
            "/batches",
            self.batch("small-1", [self.assets[3].epc, self.assets[4].epc]),
        )
        self.assertEqual((status, body["status"], body["matched"]), (200, "done", 2))

    def test_failed_batch_status(self):
        batch_id, _conflict, _state, _created = self._receive(self._payload("bad-1"))
        # a stored body the processing cannot read (a bug, a manual edit ...)
        self.env.cr.execute(
            "UPDATE stock_asset_scan_batch SET payload = '{' WHERE id = %s", [batch_id]
        )
        self.env.invalidate_all()
        with freeze_time("2026-11-24 12:15:00"):
            self.env["stock.asset.scan.batch"]._cron_process_pending(stale_minutes=5)
        status, body, _r = self.get_batch("bad-1")
        self.assertEqual(status, 200)
        self.assertEqual(
            body,
            answer_without_results(
                "bad-1",
                "failed",
                4,
                # for people, never the internal error text (issue 14)
                message="The stored reads of this batch are damaged and cannot "
                "be read.",
            ),
        )
        self.assertEqual(self.assets[0].location_id, self.stock_a)
