# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 14, item 2: one bad batch never stops the others.

The cron applies each batch (and each chunk of a large one) in a transaction of
its own: a batch whose processing raises is ``failed`` with a reason for people,
the batches queued after it are applied, and the cron run itself succeeds (Odoo
does not count it toward deactivating the cron). A manager retries a failed
batch; a batch of more reads than the ceiling is refused before it is stored.
"""

from contextlib import closing
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ASSET_MANAGER, ASSET_USER, company_user
from .scan_common import ScanApiCommon, answer_without_results

BASE = datetime(2026, 11, 24, 10, 0)
UNEXPECTED = (
    "The batch could not be processed because of an unexpected error (logged on "
    "the server at 2026-11-24 12:00:00 UTC). Once the cause is fixed, an asset "
    "manager can retry it."
)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 12:00:00")
class TestBatchIsolation(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = company_user(
            cls.env, "batch_manager_a", cls.company_a, ASSET_MANAGER
        )
        cls.asset_user = company_user(
            cls.env, "batch_user_a", cls.company_a, ASSET_USER
        )
        cls.cron = cls.env.ref("stock_asset_tracking.ir_cron_process_scan_batches")
        cls.Batch = cls.env["stock.asset.scan.batch"]

    def _set_param(self, key, value):
        self.env["ir.config_parameter"].sudo().set_param(
            f"stock_asset_tracking.{key}", value
        )

    def _queue(self, batch_id, codes, **extra):
        """Store a batch as the scan endpoint does for a large one: queued."""
        self._set_param("async_read_threshold", "0")
        payload = self.batch(
            batch_id,
            codes,
            device="reader-7",
            location="A-SHELF-2",
            mode="observe",
            **extra,
        )
        self.env.flush_all()
        stored_id, _conflict, state, _created = self.Batch.with_user(
            self.reader_user
        )._receive(payload, company=self.company_a, device=self.device)
        self.env.invalidate_all()
        self.assertEqual(state, "queued")
        return self.Batch.browse(stored_id)

    def _failing(self, names):
        """Make the processing of the batches named ``names`` raise (a bug)."""
        original = type(self.Batch)._apply_mode

        def apply_mode(batch, results, context):
            if batch.name in names:
                raise RuntimeError("internal detail that must not leak")
            return original(batch, results, context)

        return patch.object(type(self.Batch), "_apply_mode", apply_mode)

    def _run_cron_job(self):
        """Run the cron as Odoo's cron worker does, one failure away from being
        deactivated (4 failures, the first 8 days ago)."""
        self.cron.write(
            {
                "failure_count": 4,
                "first_failure_date": datetime(2026, 11, 16, 12, 0),
            }
        )
        self.env.flush_all()
        job = {
            **self.cron.read(load=None)[0],
            "done": 0,
            "remaining": 0,
            "timed_out_counter": 0,
        }
        with closing(self.registry.cursor()) as cron_cr:
            self.registry["ir.cron"]._process_job(self.registry.db_name, cron_cr, job)
        self.env.invalidate_all()

    def _observations(self, batch):
        return self.env["stock.asset.observation"].search(
            [("batch_id", "=", batch.id)], order="id"
        )

    def _failed_answer(self, batch_id, reads, message):
        return answer_without_results(batch_id, "failed", reads, message=message)

    def test_cron_goes_on_after_a_failing_batch(self):
        a1, a2, a3 = self.assets[:3]
        first = self._queue("iso-1", [a1.epc, "NOT-A-TAG"])
        bad = self._queue("iso-2-bad", [a2.epc, "A-00004"])
        last = self._queue("iso-3", [a3.epc])
        with self._failing({"iso-2-bad"}):
            self._run_cron_job()
        self.assertRecordValues(
            first | bad | last,
            [
                {"state": "done", "matched_count": 1, "moved_count": 1, "error": False},
                {
                    "state": "failed",
                    "matched_count": 0,
                    "moved_count": 0,
                    "error": UNEXPECTED,
                },
                {"state": "done", "matched_count": 1, "moved_count": 1, "error": False},
            ],
        )
        self.assertRecordValues(
            a1 | a2 | a3,
            [
                {"location_id": self.shelf_2.id, "last_seen_date": BASE},
                {"location_id": self.stock_a.id, "last_seen_date": False},
                {"location_id": self.shelf_2.id, "last_seen_date": BASE},
            ],
        )
        self.assertEqual(len(self._observations(first)), 2)
        self.assertFalse(self._observations(bad))
        self.assertEqual(len(self._observations(last)), 1)
        # the run succeeded: Odoo did not count a failure, the cron stays active
        self.assertRecordValues(
            self.cron,
            [{"active": True, "failure_count": 0, "first_failure_date": False}],
        )
        # the reader sees the failure and its reason, never the internal text
        status, body, _r = self.get_batch("iso-2-bad")
        self.assertEqual(status, 200)
        self.assertEqual(body, self._failed_answer("iso-2-bad", 2, UNEXPECTED))
        self.assertNotIn("internal detail", str(body))
        # a replay of the failed batch answers the same, and applies nothing
        status, body, _r = self.post(
            "/batches",
            self.batch(
                "iso-2-bad",
                [a2.epc, "A-00004"],
                device="reader-7",
                location="A-SHELF-2",
            ),
        )
        self.assertEqual(
            (status, body),
            (
                200,
                dict(self._failed_answer("iso-2-bad", 2, UNEXPECTED), duplicate=True),
            ),
        )
        self.assertFalse(self._observations(bad))
        # the failed batch is found by the list's filter
        self.assertEqual(
            self.Batch.search([("state", "=", "failed"), ("name", "like", "iso-")]), bad
        )

    def test_failure_over_http_keeps_the_batch(self):
        """A batch answered at once whose processing raises is kept ``failed``."""
        payload = self.batch("iso-http", [self.assets[0].epc], location="A-SHELF-1")
        with self._failing({"iso-http"}):
            status, body, _r = self.post("/batches", payload)
        self.assertEqual(status, 200)
        self.assertEqual(body, self._failed_answer("iso-http", 1, UNEXPECTED))
        batch = self.Batch.search([("name", "=", "iso-http")])
        self.assertRecordValues(batch, [{"state": "failed", "error": UNEXPECTED}])
        self.assertFalse(self._observations(batch))
        # the next batch of the reader is applied as usual
        status, body, _r = self.post(
            "/batches", self.batch("iso-http-2", [self.assets[1].epc])
        )
        self.assertEqual((status, body["status"], body["matched"]), (200, "done", 1))

    def test_retry_by_manager_only(self):
        done = self._queue("retry-done", [self.assets[0].epc])
        bad = self._queue("retry-bad", [self.assets[1].epc, "NOT-A-TAG"])
        with self._failing({"retry-bad"}):
            self.Batch._cron_process_pending()
        self.assertRecordValues(
            done | bad,
            [
                {"state": "done", "error": False},
                {"state": "failed", "error": UNEXPECTED},
            ],
        )
        # an asset user may read the batch, not retry it
        with self.assertRaisesRegex(
            AccessError, "Only an asset manager may retry a scan batch."
        ):
            bad.with_user(self.asset_user).action_retry()
        # a manager may only retry a failed batch
        with self.assertRaises(UserError) as refused:
            (bad | done).with_user(self.manager).action_retry()
        self.assertEqual(
            refused.exception.args[0],
            "Scan batch retry-done is Done, not failed: only a failed batch can be "
            "retried.",
        )
        self.assertEqual(bad.state, "failed")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        triggers.unlink()
        bad.with_user(self.manager).action_retry()
        self.assertRecordValues(bad, [{"state": "queued", "error": False}])
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        )
        status, body, _r = self.get_batch("retry-bad")
        self.assertEqual((status, body["status"]), (200, "queued"))
        self.assertNotIn("message", body)
        # the cause is gone: the cron applies it, once
        self.Batch._cron_process_pending()
        self.assertRecordValues(
            bad, [{"state": "done", "matched_count": 1, "unknown_count": 1}]
        )
        self.assertEqual(len(self._observations(bad)), 2)
        self.assertRecordValues(
            self.assets[1], [{"location_id": self.shelf_2.id, "last_seen_date": BASE}]
        )
        status, body, _r = self.get_batch("retry-bad")
        self.assertEqual(
            (status, body["status"], body["matched"], body["duplicate"]),
            (200, "done", 1, False),
        )

    def test_reads_above_ceiling_refused_before_storing(self):
        self._set_param("max_reads_per_batch", "3")
        codes = [asset.epc for asset in self.assets[:4]]
        status, body, _r = self.post("/batches", self.batch("big-1", codes))
        self.assertEqual(status, 413)
        self.assertEqual(
            body,
            {
                "error": {
                    "code": "too_many_reads",
                    "message": "batch big-1 has 4 reads, more than the 3 a batch "
                    "may hold: split it",
                }
            },
        )
        self.assertFalse(self.Batch.search([("name", "=", "big-1")]))
        self.assertFalse(
            self.env["stock.asset.observation"].search(
                [("code", "in", [asset.epc for asset in self.assets[:4]])]
            )
        )
        self.assertEqual(self.assets[:4].location_id, self.stock_a)
        # a vendor payload is bounded the same way
        lines = "\n".join(
            f'{{"idHex": "{asset.epc}", "timestamp": "2026-11-24T10:00:00Z"}}'
            for asset in self.assets[:4]
        )
        status, body, _r = self.post(
            "/readers/reader-7/zebra", lines, content_type="application/x-ndjson"
        )
        self.assertEqual((status, body["error"]["code"]), (413, "too_many_reads"))
        self.assertFalse(self.Batch.search([("source", "=", "zebra")]))
        # at the ceiling, the batch is applied
        status, body, _r = self.post("/batches", self.batch("big-2", codes[:3]))
        self.assertEqual((status, body["status"], body["matched"]), (200, "done", 3))

    def _chunk_payload_codes(self):
        a1, a2, a3, a4, a5 = self.assets
        return [
            a1.epc,
            a2.epc,
            "A-00003",
            "NOT-A-TAG",
            {"code": a4.epc, "timestamp": "2026-11-24T10:00:00"},  # no time zone
            a5.epc,
            a5.epc,
        ]

    def _result_of(self, batch):
        """What a chunked and an unchunked run must agree on."""
        self.env.invalidate_all()
        status, answer, _r = self.get_batch(batch.name)
        self.assertEqual(status, 200)

        def values(records, names):
            # the ids of a batch and its observations differ from run to run
            return [{name: row[name] for name in names} for row in records.read(names)]

        return {
            "answer": answer,
            "batch": values(
                batch,
                [
                    "state",
                    "read_count",
                    "unique_count",
                    "processed_count",
                    "matched_count",
                    "unknown_count",
                    "invalid_count",
                    "moved_count",
                ],
            ),
            "observations": values(
                self._observations(batch),
                [
                    "code",
                    "status",
                    "message",
                    "asset_id",
                    "location_id",
                    "previous_location_id",
                    "read_count",
                    "applied",
                    "moved",
                ],
            ),
            "assets": values(self.assets, ["location_id", "last_seen_date"]),
        }

    def _result_in_one_go(self, name, codes):
        """The result of the batch ``name`` of ``codes`` processed whole, in one
        transaction; then undone (rolled back to before it was queued)."""
        self.env.flush_all()
        self.env.cr.execute("SAVEPOINT chunk_test")
        whole = self._queue(name, codes)
        self.Batch._cron_process_pending()
        expected = self._result_of(whole)
        self.env.flush_all()
        self.env.cr.execute("ROLLBACK TO SAVEPOINT chunk_test")
        self.env.invalidate_all()
        return expected

    def test_chunked_processing_same_as_unchunked(self):
        codes = self._chunk_payload_codes()
        # unchunked: the whole batch in one transaction
        expected = self._result_in_one_go("chunk-1", codes)
        self.assertEqual(expected["answer"]["status"], "done")
        self.assertEqual(
            (expected["answer"]["matched"], expected["answer"]["unknown"]),
            (4, 1),
        )
        self.assertEqual(expected["answer"]["invalid"], 1)
        self.assertFalse(self.Batch.search([("name", "=", "chunk-1")]))
        # chunked: 2 codes per transaction, the progress kept after each one
        self._set_param("batch_chunk_size", "2")
        batch = self._queue("chunk-1", codes)
        progress = []
        original = type(self.Batch)._process

        def process(record, limit=None):
            answer = original(record, limit)
            progress.append((record.processed_count, record.state))
            return answer

        with patch.object(type(self.Batch), "_process", process):
            self.Batch._cron_process_pending()
        self.assertEqual(
            progress, [(2, "queued"), (4, "queued"), (6, "done")], "three chunks"
        )
        self.assertEqual(self._result_of(batch), expected)

    def test_failed_chunk_resumes_without_applying_twice(self):
        codes = self._chunk_payload_codes()
        expected = self._result_in_one_go("chunk-2", codes)
        self._set_param("batch_chunk_size", "2")
        batch = self._queue("chunk-2", codes)
        # the second chunk raises: the first one stays applied, the batch fails
        original = type(self.Batch)._apply_mode
        calls = []

        def apply_mode(record, results, context):
            calls.append(len(results))
            if len(calls) == 2:
                raise RuntimeError("internal detail that must not leak")
            return original(record, results, context)

        with patch.object(type(self.Batch), "_apply_mode", apply_mode):
            self.Batch._cron_process_pending()
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "failed",
                    "error": UNEXPECTED,
                    "processed_count": 2,
                    "unique_count": 6,
                    "matched_count": 2,
                }
            ],
        )
        self.assertEqual(
            self._observations(batch).mapped("code"),
            [self.assets[0].epc, self.assets[1].epc],
        )
        # retried, it resumes after the applied chunk: same outcome as in one go
        batch.with_user(self.manager).action_retry()
        self.Batch._cron_process_pending()
        outcome = self._result_of(batch)
        self.assertEqual(outcome, expected)
        self.assertEqual(len(outcome["observations"]), 6)

    def test_cron_progress_reported(self):
        """The cron reports each batch done to Odoo's cron progress."""
        batches = self._queue("prog-1", [self.assets[0].epc]) | self._queue(
            "prog-2", [self.assets[1].epc]
        )
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.cron.id, "done": 0, "remaining": 0}
        )
        self.Batch.with_context(ir_cron_progress_id=progress.id)._cron_process_pending()
        self.assertRecordValues(progress, [{"done": 2, "remaining": 0}])
        self.assertEqual(batches.mapped("state"), ["done", "done"])
        self.assertEqual(
            batches.mapped("processed_count"), [1, 1], "progress kept per batch"
        )
        # nothing left: a later run changes nothing
        self.Batch._cron_process_pending()
        self.assertEqual(len(self._observations(batches[0])), 1)

    def test_views_show_failure_and_retry_to_managers(self):
        Batch = self.env["stock.asset.scan.batch"]
        for user, retry in ((self.manager, True), (self.asset_user, False)):
            views = Batch.with_user(user).get_views([(False, "list"), (False, "form")])
            form = views["views"]["form"]["arch"]
            listing = views["views"]["list"]["arch"]
            self.assertEqual('name="action_retry"' in form, retry, user.login)
            self.assertEqual('name="action_retry"' in listing, retry, user.login)
            self.assertIn('name="error"', form)
            self.assertIn('name="processed_count"', form)
            # the failed rows stand out in the list, not only their badge
            self.assertEqual(
                etree.fromstring(listing).get("decoration-danger"),
                "state == 'failed'",
            )
        search = Batch.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="failed"', search)
