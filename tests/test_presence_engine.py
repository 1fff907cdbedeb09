"""Unit tests of tools/presence.py: presence rules of fixed RFID readers.

No database. Zones are plain ids (1 = zone A, 2 = zone B); a "cycle" is one batch of
one reader, one second apart, as fixed readers post them.
"""

from datetime import datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..tools.presence import Settings, Sighting, TagState, decide, not_seen

T0 = datetime(2026, 12, 1, 8, 0, 0)
A, B = 1, 2
SETTINGS = Settings(dwell=8, margin_db=6, not_seen_after=600, refresh_interval=240)


def at(seconds):
    return T0 + timedelta(seconds=seconds)


def seen(asset_id, zone, second, rssi=-60.0):
    return Sighting(
        asset_id, zone, at(second), at(second) + timedelta(seconds=0.5), rssi
    )


class Fleet:
    """The stored states, as the database would keep them between batches."""

    def __init__(self, *states):
        self.states = {state.asset_id: state for state in states}
        self.moves = []
        self.writes = 0

    def batch(self, zone, second, sightings, zones=(A, B)):
        """One reader's batch covering ``zone``; applies what it decides."""
        concerned = {s.asset_id for s in sightings}
        residents = {i for i, st in self.states.items() if st.zone == zone}
        states = {i: self.states[i] for i in concerned | residents if i in self.states}
        decision = decide(
            states, sightings, {zone}, at(second) + timedelta(seconds=0.5),
            SETTINGS, zones=zones,
        )  # fmt: skip
        self.states.update(decision.states)
        self.moves.extend((second, *move[:3]) for move in decision.moves)
        self.writes += len(decision.states)
        return decision


@tagged("post_install", "-at_install")
class TestPresenceEngine(BaseCase):
    def _settled(self, asset_id, zone, rssi=-60.0):
        return TagState(
            asset_id, zone=zone, zone_since=at(-100), seen=at(-10), rssi=rssi
        )

    def test_first_sighting_places_the_tag(self):
        decision = decide({}, [seen(7, A, 0)], {A}, at(1), SETTINGS)
        self.assertEqual([move[:3] for move in decision.moves], [(7, None, A)])
        self.assertEqual(decision.states[7].zone, A)
        self.assertEqual(decision.states[7].zone_since, at(0.5))

    def test_steady_state_changes_nothing(self):
        fleet = Fleet(self._settled(1, A), self._settled(2, A))
        for second in range(0, 60):
            decision = fleet.batch(A, second, [seen(1, A, second), seen(2, A, second)])
            self.assertFalse(decision.changed, f"cycle {second} wrote {decision}")
        self.assertEqual(fleet.moves, [])

    def test_equal_strength_in_two_zones_stays(self):
        fleet = Fleet(self._settled(5, A))
        for second in range(0, 120):
            fleet.batch(A, second, [seen(5, A, second, -60)])
            fleet.batch(B, second, [seen(5, B, second, -60)])
        self.assertEqual(fleet.moves, [])
        self.assertEqual(fleet.writes, 0)
        self.assertEqual(fleet.states[5].zone, A)

    def test_a_real_move_moves_within_the_dwell_time(self):
        fleet = Fleet(self._settled(5, A))
        for second in range(0, 10):
            fleet.batch(A, second, [seen(5, A, second)])
        # from second 10 on, only B reads it
        for second in range(10, 40):
            fleet.batch(A, second, [])
            fleet.batch(B, second, [seen(5, B, second)])
        self.assertEqual(len(fleet.moves), 1)
        when, asset_id, old, new = fleet.moves[0]
        self.assertEqual((asset_id, old, new), (5, A, B))
        self.assertLessEqual(when - 10, SETTINGS.dwell + 1)
        self.assertEqual(fleet.states[5].zone, B)
        self.assertIsNone(fleet.states[5].missing_since)
        self.assertIsNone(fleet.states[5].candidate)

    def test_a_stronger_zone_wins_even_if_the_old_one_still_reads_it(self):
        fleet = Fleet(self._settled(5, A, rssi=-60))
        for second in range(0, 30):
            fleet.batch(A, second, [seen(5, A, second, -75)])
            fleet.batch(B, second, [seen(5, B, second, -55)])
        self.assertEqual([move[1:] for move in fleet.moves], [(5, A, B)])
        self.assertLessEqual(fleet.moves[0][0], SETTINGS.dwell + 1)

    def test_a_stronger_read_by_less_than_the_margin_stays(self):
        fleet = Fleet(self._settled(5, A, rssi=-60))
        for second in range(0, 60):
            fleet.batch(A, second, [seen(5, A, second, -60)])
            fleet.batch(B, second, [seen(5, B, second, -56)])
        self.assertEqual(fleet.moves, [])

    def test_hysteresis_a_short_absence_does_not_move(self):
        fleet = Fleet(self._settled(5, A))
        for second in range(0, 60):
            # A misses it for 3 cycles out of 10; B reads it every cycle
            a_reads = [] if second % 10 in (3, 4, 5) else [seen(5, A, second)]
            fleet.batch(A, second, a_reads)
            fleet.batch(B, second, [seen(5, B, second)])
        self.assertEqual(fleet.moves, [])
        self.assertEqual(fleet.states[5].zone, A)

    def test_older_reads_never_move_back(self):
        state = TagState(5, zone=B, zone_since=at(100), seen=at(100), rssi=-60)
        decision = decide({5: state}, [seen(5, A, 50)], {A}, at(51), SETTINGS)
        self.assertFalse(decision.changed)
        # and a late batch of the old zone does not mark it missing there
        decision = decide({5: state}, [], {B}, at(60), SETTINGS)
        self.assertFalse(decision.changed)

    def test_absence_is_recorded_once(self):
        fleet = Fleet(self._settled(5, A))
        first = fleet.batch(A, 0, [])
        self.assertEqual(first.states[5].missing_since, at(0.5))
        for second in range(1, 20):
            self.assertFalse(fleet.batch(A, second, []).changed)
        self.assertEqual(fleet.states[5].missing_since, at(0.5))

    def test_not_seen_after_the_configured_time(self):
        fleet = Fleet(self._settled(5, A))
        fleet.batch(A, 0, [])
        state = fleet.states[5]
        self.assertFalse(not_seen(state, at(599), SETTINGS))
        self.assertTrue(not_seen(state, at(601), SETTINGS))
        self.assertEqual(state.zone, A, "not seen is reported, never moved")
        # read again: no longer missing
        fleet.batch(A, 700, [seen(5, A, 700)])
        self.assertFalse(not_seen(fleet.states[5], at(800), SETTINGS))

    def test_a_tag_read_elsewhere_is_not_reported_not_seen(self):
        fleet = Fleet(self._settled(5, A))
        fleet.batch(A, 0, [])
        fleet.batch(B, 1, [seen(5, B, 1)])
        self.assertFalse(not_seen(fleet.states[5], at(900), SETTINGS))

    def test_last_seen_refreshed_at_most_once_per_interval(self):
        fleet = Fleet(TagState(5, zone=A, zone_since=at(-100), seen=at(0), rssi=-60))
        refreshed = []
        for second in range(0, 600, 5):
            decision = fleet.batch(A, second, [seen(5, A, second)])
            refreshed += list(decision.refresh.values())
        self.assertEqual(refreshed, [at(240.5), at(480.5)])

    def test_a_tag_from_an_unwatched_place_moves_at_once(self):
        # placed by a handheld in a store room that no fixed reader watches
        state = TagState(5, zone=99, zone_since=at(-100), seen=at(-100))
        decision = decide({5: state}, [seen(5, A, 0)], {A}, at(1), SETTINGS)
        self.assertEqual([move[:3] for move in decision.moves], [(5, 99, A)])

    def test_two_zones_of_one_device_in_one_batch(self):
        state = self._settled(5, A, rssi=-60)
        equal = [seen(5, A, 0, -60), seen(5, B, 0, -60)]
        self.assertFalse(decide({5: state}, equal, {A, B}, at(1), SETTINGS).changed)
        stronger = [seen(5, A, 0, -75), seen(5, B, 0, -55)]
        decision = decide({5: state}, stronger, {A, B}, at(1), SETTINGS)
        self.assertEqual(decision.states[5].candidate, B)
        self.assertEqual(decision.moves, [])
