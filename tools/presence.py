# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Presence of tags in the zones of fixed RFID readers (plain Python, no ORM).

Fixed readers read the same tags every cycle, and where two zones meet both read a
tag at about the same strength. Recording each read's place would move such a tag
on every cycle. RFID middleware decides presence on evidence instead, and so does
:func:`decide`:

- **Confirmation.** A read in a tag's own zone confirms it; nothing is written
  unless it clears a pending question (a miss, a candidate zone) or the tag's last
  seen time is older than the refresh interval.
- **Absence.** A zone whose reader reported in a batch and did not read one of its
  residents records when it first missed it (``missing_since``), once.
- **Arbitration.** A read in another zone makes that zone a *candidate* only on
  evidence: the tag's own zone has missed it, or the other zone reads it stronger by
  at least ``margin_db``. A tag read at equal strength by two zones stays where it is.
- **Dwell.** A candidate zone wins once it has read the tag for ``dwell`` seconds;
  a read of the own zone (not weaker by the margin) cancels the candidate:
  hysteresis.
- **Time.** A read older than the tag's last move never moves it back.

:func:`decide` takes the stored state of the tags concerned and one batch's
sightings, and returns only what changes, so a batch that changes nothing costs no
write.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

DEFAULT_DWELL = 8.0  # seconds
DEFAULT_MARGIN_DB = 6.0
DEFAULT_NOT_SEEN_AFTER = 600.0  # seconds
DEFAULT_REFRESH_INTERVAL = 240.0  # seconds: last seen refreshed at most this often


@dataclass(frozen=True)
class Settings:
    """The rules' parameters, in seconds and dB."""

    dwell: float = DEFAULT_DWELL
    margin_db: float = DEFAULT_MARGIN_DB
    not_seen_after: float = DEFAULT_NOT_SEEN_AFTER
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL


@dataclass(frozen=True)
class TagState:
    """What is stored of one asset's presence.

    ``zone``: where the asset is (its location); ``zone_since``: when it got there
    (the read that moved it); ``seen``: its last seen time; ``rssi``: its signal in
    its zone when last stored; the rest are the pending questions.
    """

    asset_id: int
    zone: int | None = None
    zone_since: datetime | None = None
    seen: datetime | None = None
    rssi: float | None = None
    missing_since: datetime | None = None
    candidate: int | None = None
    candidate_since: datetime | None = None
    candidate_rssi: float | None = None


@dataclass(frozen=True)
class Sighting:
    """One asset's reads in one zone within one batch (collapsed)."""

    asset_id: int
    zone: int
    first: datetime
    last: datetime
    rssi: float | None = None
    count: int = 1


@dataclass
class Decision:
    """What one batch changes.

    ``states``: the new state of each asset whose stored state changes;
    ``moves``: ``(asset_id, from_zone, to_zone, sighting)`` in the order decided;
    ``refresh``: ``{asset_id: seen}`` of last seen times to store.
    """

    states: dict = field(default_factory=dict)
    moves: list = field(default_factory=list)
    refresh: dict = field(default_factory=dict)

    @property
    def changed(self):
        return bool(self.states or self.moves or self.refresh)


def _stronger(rssi, than, margin):
    return rssi is not None and than is not None and rssi >= than + margin


def _confirm(state, sighting, settings):
    """A read in the tag's own zone: clear what it answers, keep the rest."""
    new = state
    if state.missing_since is not None and sighting.last > state.missing_since:
        new = replace(new, missing_since=None)
    if new.candidate is not None and not _stronger(
        new.candidate_rssi, sighting.rssi, settings.margin_db
    ):
        # the own zone still reads it as well as the candidate: hysteresis
        new = replace(new, candidate=None, candidate_since=None, candidate_rssi=None)
    if sighting.rssi is not None and (
        new.rssi is None or abs(sighting.rssi - new.rssi) >= settings.margin_db / 2
    ):
        new = replace(new, rssi=sighting.rssi)
    return new


def _challenge(state, sighting, settings, zones):
    """A read in another zone: a candidate, a move, or nothing.

    Returns ``(new_state, moved)``.
    """
    own_zone_watched = state.zone in zones
    evidence = (
        state.zone is None
        or not own_zone_watched
        or state.missing_since is not None
        or _stronger(sighting.rssi, state.rssi, settings.margin_db)
    )
    if not evidence:
        return state, False
    since = sighting.first
    if state.candidate == sighting.zone and state.candidate_since is not None:
        since = min(since, state.candidate_since)
    dwelt = (sighting.last - since).total_seconds() >= settings.dwell
    if state.zone is None or not own_zone_watched or dwelt:
        # first sighting, a tag coming from a place no fixed reader watches, or a
        # candidate that held for the dwell time
        moved = TagState(
            asset_id=state.asset_id,
            zone=sighting.zone,
            zone_since=sighting.last,
            seen=sighting.last,
            rssi=sighting.rssi,
        )
        return moved, True
    if state.candidate == sighting.zone:
        rssi = sighting.rssi if sighting.rssi is not None else state.candidate_rssi
        if state.candidate_rssi is None or (
            rssi is not None
            and abs(rssi - state.candidate_rssi) >= settings.margin_db / 2
        ):
            return replace(state, candidate_rssi=rssi), False
        return state, False
    return (
        replace(
            state,
            candidate=sighting.zone,
            candidate_since=sighting.first,
            candidate_rssi=sighting.rssi,
        ),
        False,
    )


def _judged_sighting(sightings, state, settings):
    """Of one tag's sightings in a batch (one per zone), the one to judge: the
    strongest read elsewhere when it beats the own zone's read by the margin (or
    the own zone did not read it), else the own zone's."""
    own = next((s for s in sightings if s.zone == state.zone), None)
    others = [s for s in sightings if s.zone != state.zone]
    if not others:
        return own
    other = max(
        others,
        key=lambda s: (s.rssi if s.rssi is not None else float("-inf"), s.last),
    )
    if own is None or _stronger(other.rssi, own.rssi, settings.margin_db):
        return other
    return own


def decide(states, sightings, covered_zones, batch_time, settings=None, zones=None):
    """What a batch of sightings changes.

    - ``states``: ``{asset_id: TagState}`` of every sighted asset and of every
      resident of ``covered_zones`` (an asset sighted for the first time may be
      missing: it gets an empty state);
    - ``sightings``: the batch's :class:`Sighting` list (one per asset and zone);
    - ``covered_zones``: the zones whose reader reported in this batch: their
      residents that were not read are missed;
    - ``batch_time``: when the batch's reads were taken (its latest read);
    - ``zones``: every zone watched by a fixed reader (default: ``covered_zones``);
      a tag whose zone no fixed reader watches moves on its first read elsewhere.
    """
    settings = settings or Settings()
    zones = set(covered_zones if zones is None else zones) | set(covered_zones)
    decision = Decision()
    by_asset = {}
    for sighting in sightings:
        by_asset.setdefault(sighting.asset_id, []).append(sighting)
    refresh_after = timedelta(seconds=settings.refresh_interval)
    for asset_id, own in by_asset.items():
        state = states.get(asset_id) or TagState(asset_id=asset_id)
        sighting = _judged_sighting(own, state, settings)
        if state.zone_since is not None and sighting.last <= state.zone_since:
            continue  # older than the tag's last move: never moves it back
        if sighting.zone == state.zone:
            new = _confirm(state, sighting, settings)
            moved = False
        else:
            # judged against what its own zone read in this batch, when it did
            own_rssi = [s.rssi for s in own if s.zone == state.zone]
            judged = replace(state, rssi=own_rssi[0]) if own_rssi else state
            new, moved = _challenge(judged, sighting, settings, zones)
            if not moved and new == judged:
                new = state
        if moved:
            decision.moves.append((asset_id, state.zone, new.zone, sighting))
        elif sighting.zone == state.zone and (
            state.seen is None or sighting.last - state.seen >= refresh_after
        ):
            decision.refresh[asset_id] = sighting.last
            new = replace(new, seen=sighting.last)
        if new != state:
            decision.states[asset_id] = new
    _miss_residents(states, by_asset, covered_zones, batch_time, decision)
    return decision


def _miss_residents(states, by_asset, covered_zones, batch_time, decision):
    """Residents of a zone that reported without reading them: missed, once."""
    covered = set(covered_zones)
    for asset_id, state in states.items():
        if state.zone not in covered or state.missing_since is not None:
            continue
        if any(s.zone == state.zone for s in by_asset.get(asset_id, ())):
            continue
        if state.zone_since is not None and batch_time <= state.zone_since:
            continue  # a batch older than the tag's arrival says nothing of it
        current = decision.states.get(asset_id, state)
        if current.zone != state.zone:
            continue
        decision.states[asset_id] = replace(current, missing_since=batch_time)


def not_seen(state, now, settings=None):
    """Whether no zone has read an asset for ``not_seen_after`` seconds: its own
    zone has missed it that long and no other zone is reading it."""
    settings = settings or Settings()
    if state.missing_since is None or state.candidate is not None:
        return False
    return now - state.missing_since >= timedelta(seconds=settings.not_seen_after)
