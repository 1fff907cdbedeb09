# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixed RFID readers over the scan API: presence rules, and what is stored.

Two fixed readers watch two zones (Shelf 1, Shelf 2) and post their read cycle
every second, as fixed readers do; a tag at the border is read by both.
"""

import itertools
from datetime import datetime, timedelta, timezone

from odoo.tests import tagged

from .scan_common import ScanApiCommon


@tagged("post_install", "-at_install")
class TestPresence(ScanApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Device = cls.env["stock.asset.device"]
        cls.zone_a = Device.create(
            {
                "name": "zone-a",
                "device_type": "fixed_rfid",
                "company_id": cls.company_a.id,
                "location_id": cls.shelf_1.id,
            }
        )
        cls.zone_b = Device.create(
            {
                "name": "zone-b",
                "device_type": "fixed_rfid",
                "company_id": cls.company_a.id,
                "location_id": cls.shelf_2.id,
            }
        )
        cls.anchor_a, cls.anchor_b, cls.border, cls.mover = cls.env[
            "stock.asset"
        ].create(
            [
                {
                    "name": name,
                    "code": f"PR-{name.upper()}",
                    "company_id": cls.company_a.id,
                    "location_id": cls.stock_a.id,
                }
                for name in ("anchor-a", "anchor-b", "border", "mover")
            ]
        )
        cls.start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(
            minutes=30
        )

    def setUp(self):
        super().setUp()
        self.batch_numbers = itertools.count()

    # helpers --------------------------------------------------------------------------
    def at(self, second):
        moment = self.start + timedelta(seconds=second)
        return moment.isoformat().replace("+00:00", "Z")

    def cycle(self, device, second, assets, rssi=-60.0):
        """One read cycle of ``device`` at ``second``: each asset read twice."""
        reads = [
            {"code": asset.code, "rssi": rssi, "timestamp": self.at(second + half)}
            for asset in assets
            for half in (0, 0.5)
        ]
        status, answer, _response = self.post(
            "/batches",
            {
                "batch_id": f"{device.name}/{second}/{next(self.batch_numbers)}",
                "device": device.name,
                "reads": reads,
            },
        )
        self.assertEqual(status, 200, answer)
        return answer

    def observations(self, asset=None):
        domain = [("batch_id.device_id", "in", (self.zone_a | self.zone_b).ids)]
        if asset:
            domain.append(("asset_id", "=", asset.id))
        return self.env["stock.asset.observation"].search(domain, order="id")

    def settle(self):
        """Both zones' first cycle: each anchor lands in its zone, the border tag
        and the mover in zone A."""
        self.cycle(self.zone_a, 0, self.anchor_a | self.border | self.mover)
        self.cycle(self.zone_b, 0, self.anchor_b)
        self.env.invalidate_all()
        self.assertEqual(
            (self.anchor_a | self.border | self.mover | self.anchor_b).mapped(
                "location_id"
            ),
            self.shelf_1 | self.shelf_1 | self.shelf_1 | self.shelf_2,
        )

    # tests ----------------------------------------------------------------------------
    def test_first_sighting_is_a_move(self):
        answer = self.cycle(self.zone_a, 0, self.anchor_a)
        self.assertEqual(
            [(r["code"], r["status"]) for r in answer["results"]],
            [("PR-ANCHOR-A", "matched")],
        )
        self.assertRecordValues(
            self.observations(),
            [
                {
                    "asset_id": self.anchor_a.id,
                    "moved": True,
                    "location_id": self.shelf_1.id,
                    "previous_location_id": self.stock_a.id,
                }
            ],
        )

    def test_equal_strength_in_two_zones_stays_and_stores_nothing(self):
        self.settle()
        stored = len(self.observations())
        presence_before = self.env["stock.asset.presence"].search_read(
            [], ["asset_id", "missing_since", "candidate_location_id"]
        )
        for second in range(1, 31):
            self.cycle(self.zone_a, second, self.anchor_a | self.border | self.mover)
            # zone B reads the border tag as strongly as zone A does
            answer = self.cycle(self.zone_b, second, self.anchor_b | self.border)
            self.assertEqual(answer["matched"], 2)
        self.env.invalidate_all()
        self.assertEqual(self.border.location_id, self.shelf_1)
        self.assertEqual(
            len(self.observations()), stored, "a steady state stores no row"
        )
        self.assertEqual(
            self.env["stock.asset.presence"].search_read(
                [], ["asset_id", "missing_since", "candidate_location_id"]
            ),
            presence_before,
        )
        batches = self.env["stock.asset.scan.batch"].search(
            [("device_id", "in", (self.zone_a | self.zone_b).ids)]
        )
        self.assertEqual(set(batches.mapped("moved_count")), {0, 3, 1})

    def test_a_real_move_moves_once_within_the_dwell_time(self):
        self.settle()
        for second in range(1, 5):
            self.cycle(self.zone_a, second, self.anchor_a | self.mover)
            self.cycle(self.zone_b, second, self.anchor_b)
        # from second 5 the mover is in zone B only
        moved_at = None
        for second in range(5, 25):
            self.cycle(self.zone_a, second, self.anchor_a)
            self.cycle(self.zone_b, second, self.anchor_b | self.mover)
            self.env.invalidate_all()
            if moved_at is None and self.mover.location_id == self.shelf_2:
                moved_at = second
        self.assertIsNotNone(moved_at, "the mover never moved")
        self.assertLessEqual(moved_at - 5, self.zone_b.presence_dwell + 2)
        moves = self.observations(self.mover).filtered("moved")
        self.assertRecordValues(
            moves,
            [
                {
                    "location_id": self.shelf_1.id,
                    "previous_location_id": self.stock_a.id,
                },
                {
                    "location_id": self.shelf_2.id,
                    "previous_location_id": self.shelf_1.id,
                },
            ],
        )
        self.assertEqual(self.anchor_a.location_id, self.shelf_1)
        # reads older than the move, posted late by zone A, never move it back
        self.cycle(self.zone_a, 6, self.anchor_a | self.mover)
        self.env.invalidate_all()
        self.assertEqual(self.mover.location_id, self.shelf_2)

    def test_a_short_miss_does_not_move(self):
        self.settle()
        for second in range(1, 30):
            # zone A misses it 3 cycles out of 10, zone B reads it every cycle
            missed = second % 10 < 3
            seen_by_a = self.anchor_a if missed else self.anchor_a | self.border
            self.cycle(self.zone_a, second, seen_by_a)
            self.cycle(self.zone_b, second, self.anchor_b | self.border)
        self.env.invalidate_all()
        self.assertEqual(self.border.location_id, self.shelf_1)
        self.assertEqual(
            self.observations(self.border).filtered("moved").location_id,
            self.shelf_1,
        )

    def test_not_seen_is_reported_not_moved(self):
        self.settle()
        self.cycle(self.zone_a, 1, self.anchor_a | self.border)  # the mover is gone
        presence = self.env["stock.asset.presence"].search(
            [("asset_id", "=", self.mover.id)]
        )
        self.assertTrue(presence.missing_since)
        # its miss is 30 minutes old: past the default 10 minutes
        self.env["stock.asset.presence"]._cron_report_not_seen()
        self.assertTrue(presence.not_seen_date)
        self.assertEqual(self.mover.location_id, self.shelf_1)
        activity = self.mover.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("PR-MOVER not seen at", activity.summary)
        # kept in the asset's history too
        self.assertIn(activity.summary, " ".join(self.mover.message_ids.mapped("body")))
        # once reported, not again
        self.env["stock.asset.presence"]._cron_report_not_seen()
        self.assertEqual(len(self.mover.activity_ids), 1)
        # read again: no longer missing
        self.cycle(self.zone_a, 2, self.anchor_a | self.mover)
        presence.invalidate_recordset()
        self.assertFalse(presence.missing_since)
        self.assertFalse(presence.not_seen_date)

    def test_last_seen_refreshed_at_most_once_per_interval(self):
        self.settle()
        self.zone_a.presence_refresh_seconds = 60
        seen = []
        for second in range(1, 181, 5):
            self.cycle(self.zone_a, second, self.anchor_a)
            self.env.invalidate_all()
            seen.append(self.anchor_a.last_seen_date)
        self.assertEqual(len(set(seen)), 3, "refreshed at about 60 s and 120 s")

    def test_unknown_code_stored_once_until_triaged(self):
        self.settle()
        for second in (1, 2, 3):
            reads = [{"code": "PR-NOBODY", "timestamp": self.at(second)}]
            status, answer, _r = self.post(
                "/batches",
                {"batch_id": f"unknown/{second}", "device": "zone-a", "reads": reads},
            )
            self.assertEqual(answer["results"][0]["status"], "unknown")
        unknown = self.env["stock.asset.observation"].search(
            [("code", "=", "PR-NOBODY")]
        )
        self.assertEqual(len(unknown), 1)

    def test_a_device_change_applies_to_its_next_batch(self):
        # each worker caches a device's settings; changing the device clears them
        self.settle()
        self.zone_a.location_id = self.shelf_2
        self.cycle(self.zone_a, 1, self.anchor_a)
        self.env.invalidate_all()
        # shelf 1 is no reader's zone any more: the anchor moves at its first read
        self.assertEqual(self.anchor_a.location_id, self.shelf_2)
        self.assertRecordValues(
            self.observations(self.anchor_a).filtered("moved")[-1:],
            [{"location_id": self.shelf_2.id, "previous_location_id": self.shelf_1.id}],
        )

    def test_a_read_without_location_is_invalid(self):
        self.zone_b.location_id = False
        answer = self.cycle(self.zone_b, 0, self.anchor_b)
        self.assertEqual(
            [(r["status"], r["message"]) for r in answer["results"]],
            [
                (
                    "invalid",
                    "reader zone-b has no location for this read: set the device's "
                    "location or its antenna's",
                )
            ],
        )
        self.env.invalidate_all()
        self.assertEqual(self.anchor_b.location_id, self.stock_a)

    def test_steady_state_batch_keeps_its_digest_and_answer_not_its_body(self):
        self.settle()
        body = {
            "batch_id": "zone-a/steady",
            "device": "zone-a",
            "reads": [
                {"code": code, "rssi": -60.0, "timestamp": self.at(1 + half)}
                for code in ("PR-ANCHOR-A", "PR-BORDER", "PR-NOBODY", "PR-MOVER")
                for half in (0, 0.5)
            ]
            + [{"code": "BAD\u0007CODE", "timestamp": self.at(1)}],
        }
        status, answer, _r = self.post("/batches", body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            [(r["code"], r["status"], r["asset_code"]) for r in answer["results"]],
            [
                ("PR-ANCHOR-A", "matched", "PR-ANCHOR-A"),
                ("PR-BORDER", "matched", "PR-BORDER"),
                ("PR-NOBODY", "unknown", None),
                ("PR-MOVER", "matched", "PR-MOVER"),
                ("BAD\\u0007CODE", "invalid", None),
            ],
        )
        batch = self.env["stock.asset.scan.batch"].search(
            [("name", "=", "zone-a/steady")]
        )
        self.assertRecordValues(
            batch, [{"state": "done", "payload": False, "matched_count": 3}]
        )
        self.assertTrue(batch.body_hash)
        # the only row of the batch is the unknown code's, kept for triage
        self.assertEqual(batch.observation_ids.mapped("code"), ["PR-NOBODY"])
        # a replay (a reader that lost the answer) gets the whole answer again
        status, replay, _r = self.post("/batches", body)
        self.assertEqual(status, 200, replay)
        self.assertEqual(replay, dict(answer, duplicate=True))
        # the status route lists what is not a plain confirmation
        status, stored, _r = self.get_batch("zone-a/steady")
        self.assertEqual(status, 200, stored)
        self.assertEqual(
            [(r["code"], r["status"]) for r in stored["results"]],
            [("PR-NOBODY", "unknown"), ("BAD\\u0007CODE", "invalid")],
        )
        self.assertEqual(stored["results_omitted"], 3)
        self.assertNotIn("_confirmed", stored)
        # the same batch id with another body is still a conflict
        body["reads"] = body["reads"][:2]
        status, conflict, _r = self.post("/batches", body)
        self.assertEqual((status, conflict["error"]["code"]), (409, "batch_conflict"))

    def test_a_batch_that_changes_nothing_posts_no_chatter(self):
        self.settle()
        self.cycle(self.zone_a, 1, self.anchor_a | self.border | self.mover)
        quiet = self.env["stock.asset.scan.batch"].search(
            [("device_id", "=", self.zone_a.id)], order="id desc", limit=1
        )
        self.assertFalse(quiet.message_ids)
        # a batch that moves an asset is told in its chatter
        self.zone_b.presence_dwell = 0
        self.cycle(self.zone_a, 2, self.anchor_a | self.border)
        self.cycle(self.zone_b, 3, self.anchor_b | self.mover)
        moving = self.env["stock.asset.scan.batch"].search(
            [("device_id", "=", self.zone_b.id)], order="id desc", limit=1
        )
        self.env.invalidate_all()
        self.assertEqual(self.mover.location_id, self.shelf_2)
        self.assertIn(
            "2 matched (1 moved)", " ".join(moving.message_ids.mapped("body"))
        )

    def test_retention_deletes_steady_batches_and_keeps_the_moves(self):
        self.settle()
        self.cycle(self.zone_a, 1, self.anchor_a | self.border | self.mover)
        Batch = self.env["stock.asset.scan.batch"]
        batches = Batch.search([("device_id", "in", (self.zone_a | self.zone_b).ids)])
        steady = batches.filtered(lambda batch: not batch.observation_ids)
        moving = batches - steady
        self.assertEqual((len(moving), len(steady)), (2, 1))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_asset_scan_batch SET create_date = create_date"
            " - interval '91 days' WHERE id = ANY(%s)",
            [batches.ids],
        )
        self.env.cr.execute(
            "UPDATE stock_asset_observation SET create_date = create_date"
            " - interval '91 days' WHERE batch_id = ANY(%s)",
            [batches.ids],
        )
        self.env.invalidate_all()
        Batch._cron_purge_expired()
        self.assertFalse(steady.exists(), "a steady batch keeps nothing: deleted")
        self.assertEqual(moving.exists(), moving, "the moves' batches are kept")
        self.assertEqual(
            self.observations().filtered("moved").asset_id,
            self.anchor_a | self.border | self.mover | self.anchor_b,
        )
