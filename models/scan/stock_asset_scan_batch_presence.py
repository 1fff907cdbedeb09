# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Fixed RFID readers: presence, not a log of every read.

A batch of a *Fixed RFID reader* in ``observe`` mode goes through the presence
rules of tools/presence.py instead of "the latest read wins": a tag's zone changes
only on evidence, and only what changes is written (a move, a first sighting, a
miss, a candidate zone, the last seen time at most once per refresh interval).
The answer still lists every code. Handheld batches, audits, check-out/in and the
lookup keep their semantics.

Such a batch is received and applied in one transaction that keeps its digest and
its answer, not its body (:meth:`_ingest_at_once`); of the answer, it keeps the
codes that are not plain confirmations, and the asset of each confirmed one, which
a replay (the same body) turns back into the whole answer. A batch that changed
nothing posts no chatter.
"""

import json

from odoo import models
from odoo.tools import SQL

from ...tools import presence, scan_codes
from .stock_asset_scan_batch import _read_code


class StockAssetScanBatch(models.Model):
    _inherit = "stock.asset.scan.batch"

    def _presence_device(self, context):
        """The fixed reader whose presence rules apply to this batch, or None."""
        device = context["device"]
        if context["mode"] != "observe" or not device:
            return None
        return device if device._batch_profile().device_type == "fixed_rfid" else None

    def _applies_at_once(self, payload, device):
        return bool(
            device
            and device._batch_profile().device_type == "fixed_rfid"
            and (payload.get("mode") or "observe") == "observe"
            and len(payload["reads"]) <= self._async_threshold()
        ) or super()._applies_at_once(payload, device)

    def _apply_observe(self, results, context):
        device = self._presence_device(context)
        if device is None:
            return super()._apply_observe(results, context)
        context["presence"] = True
        return self._apply_presence(results, context, device)

    def _apply_presence(self, results, context, device):
        """Judge the batch's sightings; write what changes; returns the moves."""
        matched = []
        for item in results:
            if item["status"] != "matched":
                continue
            if not item["entry"]["location"]:
                self._refuse(
                    item,
                    self.env._(
                        "reader %(device)s has no location for this read: set the "
                        "device's location or its antenna's",
                        device=device.name,
                    ),
                )
                continue
            matched.append(item)
        covered = {
            item["entry"]["location"].id
            for item in results
            if item["entry"]["location"] and item["entry"]["valid"]
        }
        if not covered:
            return 0
        sightings = [
            presence.Sighting(
                asset_id=item["asset"]["id"],
                zone=item["entry"]["location"].id,
                first=item["entry"]["first"],
                last=item["entry"]["last"],
                rssi=item["entry"]["rssi"],
                count=item["entry"]["count"],
            )
            for item in matched
        ]
        batch_time = max(
            item["entry"]["last"] for item in results if item["entry"]["last"]
        )
        # the device's settings are cached per worker: its row is not read again
        profile = device._batch_profile()
        settings = profile.settings
        zones = device._presence_zone_ids(profile.company_id)
        Presence = self.env["stock.asset.presence"]
        companies = list(context["user"]._get_company_ids())
        asset_ids = [s.asset_id for s in sightings]
        states = Presence._bulk_read_states(asset_ids, covered, companies)
        decision = presence.decide(
            states, sightings, covered, batch_time, settings, zones=zones
        )
        if decision.changed:
            # the rows to change, locked in id order and read again: a concurrent
            # batch of another reader that changed them first is judged on
            concerned = sorted(
                set(decision.states)
                | set(decision.refresh)
                | {m[0] for m in decision.moves}
            )
            states = Presence._bulk_read_states(concerned, [], companies, lock=True)
            decision = presence.decide(
                states,
                [s for s in sightings if s.asset_id in states],
                covered,
                batch_time,
                settings,
                zones=zones,
            )
            self._write_presence(decision, device)
        moved_ids = {move[0]: move for move in decision.moves}
        for item in matched:
            move = moved_ids.get(item["asset"]["id"])
            item["applied"] = bool(move) or item["asset"]["id"] in decision.refresh
            item["moved"] = bool(move and move[1] != move[2])
            item["previous_location_id"] = move[1] if move else None
            item["store"] = bool(move) and move[3].zone == item["entry"]["location"].id
        return len(decision.moves)

    def _write_presence(self, decision, device):
        """Moves and refreshed last seen times on the assets, then the states."""
        ids = [move[0] for move in decision.moves] + list(decision.refresh)
        if ids:
            zones = [move[2] for move in decision.moves] + [None] * len(
                decision.refresh
            )
            seen = [move[3].last for move in decision.moves] + list(
                decision.refresh.values()
            )
            self.env["stock.asset"]._bulk_set_seen(ids, zones, seen)
        self.env["stock.asset.presence"]._bulk_write_states(
            decision.states, device._batch_profile().company_id, device.id
        )

    def _store_observations(self, results, context):
        """A fixed reader's batch keeps its moves and first sightings, and each
        unknown code once until it is triaged: not a row per read. A batch that
        stores none of them is quiet: no chatter."""
        if context.get("presence"):
            unknown = [
                item["entry"]["code"] for item in results if item["status"] == "unknown"
            ]
            pending = self._pending_unknown_codes(unknown, context["company"])
            results = [
                item
                for item in results
                if item.get("store")
                or (
                    item["status"] == "unknown" and item["entry"]["code"] not in pending
                )
            ]
            context["quiet"] = not results
        return super()._store_observations(results, context)

    # the answer kept ----------------------------------------------------------------
    def _answer_to_store(self, answer, context):
        """Of a fixed reader's answer, the codes that are not plain confirmations,
        and in ``_confirmed`` the asset of each code in order (0: a code kept in
        ``results``). A batch of more codes than one page of the status route
        keeps its whole answer (its pages are read from it)."""
        results = answer["results"]
        if not context.get("presence") or len(results) > self._results_page_size(None):
            return super()._answer_to_store(answer, context)
        kept, confirmed = [], []
        for item in results:
            if item["status"] == "matched" and "message" not in item:
                confirmed.append(item["asset_id"])
            else:
                confirmed.append(0)
                kept.append(item)
        return dict(
            answer,
            results=kept,
            results_omitted=len(results) - len(kept),
            _confirmed=confirmed,
        )

    def _answer(
        self, duplicate=False, processing=False, offset=0, limit=None, payload=None
    ):
        """A replay of a fixed reader's batch gets every code again: the kept
        answer completed with the confirmed codes of the replayed body."""
        if payload is not None and self.state == "done" and self.result:
            self.flush_recordset(["result"])
            stored = json.loads(self.result)
            if "_confirmed" in stored:
                return self._answer_replayed(stored, payload, duplicate)
        return super()._answer(duplicate, processing, offset, limit, payload)

    def _answer_replayed(self, stored, payload, duplicate):
        codes = {}
        for read in payload.get("reads") or []:
            raw = read.get("code") if isinstance(read, dict) else read
            code, shown, _problem = _read_code(raw)
            codes.setdefault(code, shown)
        confirmed = stored.pop("_confirmed")
        asset_codes = {
            row["id"]: row["code"]
            for row in self.env["stock.asset"]
            .sudo()
            .browse(sorted({i for i in confirmed if i}))
            .read(["code"])
        }
        kept = iter(stored["results"])
        results = []
        for asset_id, (code, shown) in zip(confirmed, codes.items(), strict=False):
            if not asset_id:
                results.append(next(kept))
                continue
            scan = scan_codes.classify(code)
            results.append(
                {
                    "code": shown,
                    "epc_uri": scan.epc_uri,
                    "gs1": scan.gs1,
                    "status": "matched",
                    "asset_id": asset_id,
                    "asset_code": asset_codes.get(asset_id),
                }
            )
        stored.pop("results_omitted", None)
        return dict(stored, duplicate=duplicate, results=results)

    def _pending_unknown_codes(self, codes, company):
        """Of ``codes``, those already waiting under Unknown Codes."""
        if not codes:
            return set()
        self.env["stock.asset.observation"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT code FROM stock_asset_observation
                 WHERE code = ANY(%s) AND company_id = %s
                   AND status = 'unknown' AND triage_state = 'new'
                """,
                codes,
                company.id,
            )
        )
        return {row[0] for row in rows}
