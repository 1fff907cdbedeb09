"""Depreciation board engine: plain Python, no ORM, no Odoo import.

``compute_board(BoardParams(...))`` returns the lines of a depreciation board as
frozen ``BoardLine`` objects. The models turn them into ``account.move`` drafts;
this module only does the arithmetic, so it can be tested and timed on its own.

Money
    Every amount is computed exactly, as an integer number of currency units
    (``rounding``: 0.01 means cents), with rational arithmetic and HALF-UP
    rounding (ties away from zero, like Odoo's ``float_round``). Input floats are
    read through their shortest decimal repr (``0.1`` is one tenth), and amounts
    come back as the Python float closest to the exact decimal value, which is
    what ``float_round`` returns too. So ``cumulative_amount`` is never off by a
    float epsilon: it is exactly the sum of the line amounts in the currency.

Periods
    ``method_period`` 1: calendar months. 12: fiscal years ending on
    ``fy_end_month``/``fy_end_day`` (default 31 December; a 28 or 29 February end
    means the last day of February, as in Odoo). The first period is the one
    containing ``acquisition_date``; every line is dated on the last day of its
    period.

Spreading the depreciable value (``original_value - salvage_value``)
    Each period has a weight: 1, except with ``prorata`` when the acquisition
    date is not the first day of its period: the first period weighs
    ``days from acquisition_date to the period end (both included) / days of
    the period`` and the board gets one more period, weighing the rest
    (``1 - first weight``).

    ``linear``
        amount = value * weight / (sum of the weights still to come), the rate
        being fixed at the start of the board and again at every re-spread (a
        value change, or a posted line that differs from the board). Without
        prorata or change this is ``base / method_number`` per period.
    ``degressive``
        amount = remaining value * ``degressive_factor`` * months of the period
        / 12 * weight.
    ``degressive_then_linear``
        the larger of the degressive amount and the remaining value * weight /
        (sum of the weights still to come), recomputed every period.

    The last period of the board always takes what remains, which absorbs the
    rounding (and ends a pure degressive board at 0). No amount exceeds the
    remaining value; periods that find nothing left to depreciate produce no
    line, so a board whose value is 0 is empty.

Changes during life (all optional, dates are ``datetime.date``)
    ``posted``: the lines already posted, as ``PostedLine(date, amount)`` (or
        plain ``(date, amount)`` tuples), in strictly increasing date order.
        They are returned as given (``posted=True``; amounts in the currency
        rounding like every amount). If they are exactly the
        first lines of the board the engine computes without them (same dates,
        same amounts), the result is that board: recomputing is idempotent and
        posting a line never moves a cent in the lines after it. Otherwise the
        value left after the last posted line is re-spread over the periods of
        the board ending after it. If no period of the board is left (useful
        life shortened below what is posted) the whole rest goes on one line at
        the end of the period following the last posted line.
    ``value_changes``: ``ValueChange(date, delta)``: a revaluation (delta > 0)
        or an impairment (delta < 0) of the value still to depreciate. It counts
        from the period containing ``date`` (the line ending on or after it),
        where the linear rate is re-spread. It is not depreciation: it moves
        ``remaining_value`` but not ``cumulative_amount``. A change dated after
        the end of the board, or making the remaining value negative, is an
        error.
    ``pauses``: ``Pause(start, months)``: the period containing ``start`` and
        every later one move ``months`` months later (a whole number of
        periods: a multiple of 12 for yearly boards), with the same amounts;
        the board ends that much later. Pauses in the past stay in the input,
        so that the posted lines after them still match the board.
    A change of useful life is just a new ``method_number`` with the posted
    lines: they no longer match the board, so the rest is re-spread over the
    new remaining periods.

Lines
    ``BoardLine(date, amount, cumulative_amount, remaining_value, posted)``;
    ``remaining_value`` = depreciable value + value changes so far -
    ``cumulative_amount``; the book value is ``remaining_value + salvage_value``
    (``book_value(line, params)``).
"""

import calendar
import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "DEGRESSIVE",
    "DEGRESSIVE_THEN_LINEAR",
    "LINEAR",
    "METHODS",
    "BoardLine",
    "BoardParams",
    "Pause",
    "PostedLine",
    "ValueChange",
    "book_value",
    "compute_board",
    "period_end",
    "period_start",
    "prorata_fraction",
]

LINEAR = "linear"
DEGRESSIVE = "degressive"
DEGRESSIVE_THEN_LINEAR = "degressive_then_linear"
METHODS = (LINEAR, DEGRESSIVE, DEGRESSIVE_THEN_LINEAR)
PERIODS = (1, 12)

_ONE_DAY = timedelta(days=1)


class PostedLine(NamedTuple):
    """A line already posted: kept as is by a recomputation."""

    date: date
    amount: float


class ValueChange(NamedTuple):
    """Revaluation (delta > 0) or impairment (delta < 0) of the remaining value."""

    date: date
    delta: float


class Pause(NamedTuple):
    """Depreciation suspended for ``months`` months from the period of ``start``."""

    start: date
    months: int


@dataclass(frozen=True, slots=True)
class BoardLine:
    """One period of the board, dated on the last day of the period."""

    date: date
    amount: float
    cumulative_amount: float
    remaining_value: float
    posted: bool


# A frozen dataclass __init__ sets each field through object.__setattr__, which
# costs half of the engine's time on a 60-line board: the engine fills the slots
# directly instead. The objects are ordinary BoardLine instances (same eq, hash,
# repr, pickling); nothing else may create them this way.
_new_object = object.__new__
_SET_DATE, _SET_AMOUNT, _SET_CUMULATIVE, _SET_REMAINING, _SET_POSTED = (
    BoardLine.__dict__[name].__set__
    for name in ("date", "amount", "cumulative_amount", "remaining_value", "posted")
)


def _line(day, amount, cumulative_amount, remaining_value, posted):
    line = _new_object(BoardLine)
    _SET_DATE(line, day)
    _SET_AMOUNT(line, amount)
    _SET_CUMULATIVE(line, cumulative_amount)
    _SET_REMAINING(line, remaining_value)
    _SET_POSTED(line, posted)
    return line


@dataclass(frozen=True, kw_only=True)
class BoardParams:
    """Everything the board depends on (see the module docstring)."""

    acquisition_date: date
    original_value: float
    salvage_value: float = 0.0
    method: str = LINEAR
    method_number: int = 5
    method_period: int = 12
    degressive_factor: float = 0.3
    prorata: bool = False
    rounding: float = 0.01
    fy_end_month: int = 12
    fy_end_day: int = 31
    posted: tuple = ()
    value_changes: tuple = ()
    pauses: tuple = ()


# --------------------------------------------------------------------- calendar
_MONTH_ENDS: dict[int, date] = {}


def _month_end(index: int) -> date:
    """Last day of month ``index`` = year * 12 + month - 1 (cached)."""
    end = _MONTH_ENDS.get(index)
    if end is None:
        year, month = divmod(index, 12)
        month += 1
        end = date(year, month, calendar.monthrange(year, month)[1])
        _MONTH_ENDS[index] = end
    return end


@lru_cache(maxsize=4096)
def _fy_end(year: int, month: int, day: int) -> date:
    """The fiscal year end falling in calendar year ``year``."""
    last = calendar.monthrange(year, month)[1]
    if month == 2 and day >= 28:
        day = last
    return date(year, month, min(day, last))


def _check_fy_end(month, day):
    if not _is_int(month) or not 1 <= month <= 12:
        raise ValueError(
            f"fy_end_month: must be an integer from 1 to 12 (got {month!r})"
        )
    last = calendar.monthrange(2000, month)[1]  # 2000: leap year, 29 February
    if not _is_int(day) or not 1 <= day <= last:
        raise ValueError(
            f"fy_end_day: must be an integer from 1 to {last} for month {month} "
            f"(got {day!r})"
        )


def period_end(
    day: date, months: int = 1, fy_end_month: int = 12, fy_end_day: int = 31
) -> date:
    """Last day of the period containing ``day``: its month (``months`` 1) or its
    fiscal year (``months`` 12, fiscal years ending on fy_end_month/fy_end_day)."""
    if months == 1:
        return _month_end(day.year * 12 + day.month - 1)
    if months == 12:
        end = _fy_end(day.year, fy_end_month, fy_end_day)
        if day > end:
            end = _fy_end(day.year + 1, fy_end_month, fy_end_day)
        return end
    raise ValueError(
        f"method_period: must be 1 (monthly) or 12 (yearly) (got {months!r})"
    )


def period_start(
    day: date, months: int = 1, fy_end_month: int = 12, fy_end_day: int = 31
) -> date:
    """First day of the period containing ``day`` (see ``period_end``)."""
    end = period_end(day, months, fy_end_month, fy_end_day)
    if months == 1:
        return end.replace(day=1)
    return _fy_end(end.year - 1, fy_end_month, fy_end_day) + _ONE_DAY


def _prorata_days(acquisition_date, months, fy_end_month, fy_end_day):
    end = period_end(acquisition_date, months, fy_end_month, fy_end_day)
    start = period_start(acquisition_date, months, fy_end_month, fy_end_day)
    return end, (end - acquisition_date).days + 1, (end - start).days + 1


def prorata_fraction(
    acquisition_date: date,
    months: int = 1,
    fy_end_month: int = 12,
    fy_end_day: int = 31,
) -> Fraction:
    """Share of its first period charged to an asset acquired on
    ``acquisition_date``: days from it to the period end (both included) over
    the days of the period, as an exact ``Fraction`` (1 on the first day)."""
    _end, days, period_days = _prorata_days(
        acquisition_date, months, fy_end_month, fy_end_day
    )
    return Fraction(days, period_days)


# ------------------------------------------------------------------------ money
def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return (
        isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


@lru_cache(maxsize=4096)
def _ratio(value) -> tuple[int, int]:
    """Exact (numerator, denominator) of the decimal a number stands for."""
    return Decimal(str(value)).as_integer_ratio()


def _div_half_up(num: int, den: int) -> int:
    """num / den (den > 0) rounded to an integer, ties away from zero."""
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def _to_units(value, unit_num: int, unit_den: int) -> int:
    num, den = _ratio(value)
    return _div_half_up(num * unit_den, den * unit_num)


def _check_number(field, value):
    if not _is_number(value):
        raise ValueError(f"{field}: must be a finite number (got {value!r})")


def _check_date(field, value):
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{field}: must be a datetime.date (got {value!r})")


def _validate(p: BoardParams):
    _check_date("acquisition_date", p.acquisition_date)
    _check_number("original_value", p.original_value)
    _check_number("salvage_value", p.salvage_value)
    if p.original_value < 0:
        raise ValueError(f"original_value: must be >= 0 (got {p.original_value!r})")
    if p.salvage_value < 0:
        raise ValueError(f"salvage_value: must be >= 0 (got {p.salvage_value!r})")
    if p.salvage_value > p.original_value:
        raise ValueError(
            f"salvage_value: must not exceed original_value "
            f"(got {p.salvage_value!r} > {p.original_value!r})"
        )
    if p.method not in METHODS:
        raise ValueError(
            f"method: must be one of {', '.join(map(repr, METHODS))} "
            f"(got {p.method!r})"
        )
    if not _is_int(p.method_number) or p.method_number < 1:
        raise ValueError(
            f"method_number: must be an integer >= 1 (got {p.method_number!r})"
        )
    if p.method_period not in PERIODS or not _is_int(p.method_period):
        raise ValueError(
            f"method_period: must be 1 (monthly) or 12 (yearly) "
            f"(got {p.method_period!r})"
        )
    if p.method != LINEAR:
        _check_number("degressive_factor", p.degressive_factor)
        if p.degressive_factor <= 0:
            raise ValueError(
                f"degressive_factor: must be > 0 for method {p.method!r} "
                f"(got {p.degressive_factor!r})"
            )
    _check_number("rounding", p.rounding)
    if p.rounding <= 0:
        raise ValueError(f"rounding: must be > 0 (got {p.rounding!r})")
    _check_fy_end(p.fy_end_month, p.fy_end_day)


def _dated_item(field, item, names, acquisition_date, check_value=None):
    """``(date, value)`` of one ``item`` of the list parameter ``field``: a pair
    (``names`` of its two parts, for the messages) whose date is a date, not
    before ``acquisition_date``; ``check_value(field, value)`` checks the value
    before that."""
    try:
        day, value = item
    except (TypeError, ValueError):
        raise ValueError(
            f"{field}: each item must be a ({names[0]}, {names[1]}) pair "
            f"(got {item!r})"
        ) from None
    _check_date(field, day)
    if check_value:
        check_value(field, value)
    if day < acquisition_date:
        raise ValueError(
            f"{field}: {names[0]} {day} is before acquisition_date {acquisition_date}"
        )
    return day, value


def _read_dated(field, items, acquisition_date, strictly_increasing):
    """[(date, value)] from tuples, checked; sorted unless it must already be."""
    rows = []
    for item in items:
        day, value = _dated_item(
            field, item, ("date", "amount"), acquisition_date, _check_number
        )
        if strictly_increasing and rows and day <= rows[-1][0]:
            raise ValueError(
                f"{field}: dates must be strictly increasing "
                f"({day} after {rows[-1][0]})"
            )
        rows.append((day, value))
    if not strictly_increasing:
        rows.sort(key=lambda row: row[0])
    return rows


# ------------------------------------------------------------------------ board
def compute_board(params: BoardParams) -> list[BoardLine]:
    """The depreciation board of ``params`` (see the module docstring).

    The board is computed period by period while it matches the posted lines;
    where the posted lines leave it, they are kept as given and what remains is
    spread over the periods ending after the last one; a board shorter than what
    is posted ends with one line taking the rest."""
    _validate(params)
    acquisition = params.acquisition_date
    unit = _ratio(params.rounding)
    spread = _Spread(params)
    ends = _period_ends(params, spread.first_end, spread.count)
    changes = _read_units(
        "value_changes", params.value_changes, acquisition, False, unit
    )
    posted = _read_units("posted", params.posted, acquisition, True, unit)
    base = _to_units(params.original_value, *unit) - _to_units(
        params.salvage_value, *unit
    )
    board = _Board(unit, changes, base)
    start, caught_up = _follow_posted(board, spread, ends, posted)
    for i in range(start, spread.count):
        amount = _period_amount(board, spread, i, ends[i])
        if amount is not None:
            board.add(ends[i], amount, False)
    if caught_up:
        _catch_up(board, params, posted[-1][0])
    if board.change_i < len(changes):
        lines = board.lines
        board_end = max(lines[-1].date, ends[-1]) if lines else ends[-1]
        raise ValueError(
            f"value_changes: date {changes[board.change_i][0]} is after the end of "
            f"the board ({board_end})"
        )
    return board.lines


def _read_units(field, items, acquisition_date, strictly_increasing, unit):
    """[(date, amount in currency units)] of ``items`` (see ``_read_dated``)."""
    return [
        (day, _to_units(value, *unit))
        for day, value in _read_dated(
            field, items, acquisition_date, strictly_increasing
        )
    ]


def _period_ends(params, first_end, count):
    """The last day of each of the ``count`` periods, the pauses applied."""
    months = params.method_period
    if months == 1:
        first_slot = first_end.year * 12 + first_end.month - 1

        def end_of(slot):
            return _month_end(first_slot + slot)
    else:
        first_year = first_end.year
        fy_month, fy_day = params.fy_end_month, params.fy_end_day

        def end_of(slot):
            return _fy_end(first_year + slot, fy_month, fy_day)

    slots = list(range(count))
    for start, step in _read_pauses(params.pauses, params.acquisition_date, months):
        # The first period ending on or after the start moves, and every later one.
        for i in range(count):
            if end_of(slots[i]) >= start:
                for j in range(i, count):
                    slots[j] += step
                break
    return [end_of(slot) for slot in slots]


class _Board:
    """The lines of a board being built, with the value left to depreciate
    (``remaining``), the depreciation so far (``cumulative``), both in currency
    units, and the value changes applied so far (``changes[:change_i]``)."""

    __slots__ = ("change_i", "changes", "cumulative", "lines", "remaining", "unit")

    def __init__(self, unit, changes, base):
        self.unit = unit
        self.changes = changes
        self.change_i = 0
        self.remaining = base
        self.cumulative = 0
        self.lines = []

    def apply_changes(self, day):
        """Apply the value changes dated up to ``day``; whether there was one."""
        changes, i = self.changes, self.change_i
        if i == len(changes) or changes[i][0] > day:
            return False
        while i < len(changes) and changes[i][0] <= day:
            self.remaining += changes[i][1]
            i += 1
        self.change_i = i
        return True

    def negative_change(self):
        """The error of the last value change applied."""
        return _negative_change(self.changes[self.change_i - 1])

    def add(self, day, amount, posted):
        """Append the line depreciating ``amount`` (currency units) on ``day``."""
        self.remaining -= amount
        self.cumulative += amount
        unit_num, unit_den = self.unit
        self.lines.append(
            _line(
                day,
                amount * unit_num / unit_den,
                self.cumulative * unit_num / unit_den,
                self.remaining * unit_num / unit_den,
                posted,
            )
        )

    def add_posted(self, posted):
        """Append the posted lines as given, with the value changes among them."""
        for day, amount in posted:
            self.apply_changes(day)
            if self.remaining < 0:
                # a value change made it negative, or the posted lines before it
                # already exceed the value
                raise self.negative_change() if self.change_i else self.excess()
            self.add(day, amount, True)
        if self.remaining < 0:
            raise self.excess()

    def excess(self):
        """The error of posted amounts above the value to depreciate."""
        unit_num, unit_den = self.unit
        return ValueError(
            f"posted: the posted amounts "
            f"({self.cumulative * unit_num / unit_den}) exceed "
            f"the value to depreciate by {-self.remaining * unit_num / unit_den}"
        )


class _Spread:
    """How much each period of the board takes (see "Spreading" in the module
    docstring).

    Weights are integers over ``days`` (the days of the first period): the first
    period weighs ``first``, the full ones ``days``, the extra prorata one the
    rest. Amounts are rounded half-up inline, ``(2 * num + den) // (2 * den)``:
    every numerator is positive there (the remaining value is)."""

    __slots__ = (
        "count",
        "days",
        "factor_den",
        "factor_num",
        "first",
        "first_end",
        "full_amount",
        "last_weight",
        "method",
        "rate_value",
        "rate_weight",
        "respread",
        "total_weight",
    )

    def __init__(self, params):
        months = params.method_period
        n = params.method_number
        self.method = params.method
        self.first_end, first, days = _prorata_days(
            params.acquisition_date, months, params.fy_end_month, params.fy_end_day
        )
        if not params.prorata:
            first = days = 1
        self.first, self.days = first, days
        partial = first != days
        self.count = n + 1 if partial else n
        self.last_weight = days - first if partial else days
        self.total_weight = n * days
        if self.method == LINEAR:
            self.factor_num = self.factor_den = 0
        else:
            factor_num, factor_den = _ratio(params.degressive_factor)
            self.factor_num = factor_num * months  # x months / 12 of a yearly rate
            self.factor_den = factor_den * 12 * days
        # The linear rate, (re)computed at the start and after every change.
        self.respread = True
        self.rate_value = self.rate_weight = self.full_amount = 0

    def weights_from(self, i):
        """Sum of the weights of periods i .. count - 1."""
        if i == 0:
            return self.total_weight
        return (self.count - 1 - i) * self.days + self.last_weight

    def amount(self, i, remaining):
        """The amount of period ``i`` when ``remaining`` (> 0) is left."""
        if i == self.count - 1:
            return remaining
        weight = self.days if i else self.first
        if self.method == LINEAR:
            amount = self._linear(i, weight, remaining)
        else:
            amount = self._degressive(i, weight, remaining)
        return remaining if amount > remaining else amount

    def _linear(self, i, weight, remaining):
        if self.respread:
            self.rate_value, self.rate_weight = remaining, self.weights_from(i)
            self.full_amount = _div_half_up(remaining * self.days, self.rate_weight)
            self.respread = False
        if weight == self.days:
            return self.full_amount
        return _div_half_up(self.rate_value * weight, self.rate_weight)

    def _degressive(self, i, weight, remaining):
        factor_den = self.factor_den
        amount = (2 * remaining * self.factor_num * weight + factor_den) // (
            2 * factor_den
        )
        if self.method == DEGRESSIVE_THEN_LINEAR:
            rest = self.weights_from(i)
            linear = (2 * remaining * weight + rest) // (2 * rest)
            if linear > amount:
                amount = linear
        return amount


def _period_amount(board, spread, i, end):
    """The amount of period ``i`` (ending on ``end``) after the value changes
    up to its end, or None when nothing is left to depreciate."""
    if board.apply_changes(end):
        spread.respread = True
    remaining = board.remaining
    if remaining <= 0:
        if remaining:
            raise board.negative_change()
        return None
    return spread.amount(i, remaining)


def _follow_posted(board, spread, ends, posted):
    """Compute the board while its lines are the ``posted`` ones; from the first
    that differs, keep the posted lines as given and re-spread the rest.

    Return the index of the next period to compute, and whether the posted
    lines go beyond the periods of the board (caught up)."""
    if not posted:
        return 0, False
    posted_i = 0
    for i, end in enumerate(ends):
        before = board.remaining, board.change_i
        amount = _period_amount(board, spread, i, end)
        if amount is None:
            continue
        if posted[posted_i] != (end, amount):
            board.remaining, board.change_i = before
            board.add_posted(posted[posted_i:])
            spread.respread = True
            i = bisect_right(ends, posted[-1][0])
            return i, i == len(ends)
        board.add(end, amount, True)
        posted_i += 1
        if posted_i == len(posted):
            return i + 1, False
    board.add_posted(posted[posted_i:])  # posted lines beyond the end of the board
    return len(ends), True


def _catch_up(board, params, last_posted):
    """The rest of a board shorter than what is posted: one line at the end of
    the period following the last posted line."""
    end = period_end(
        last_posted + _ONE_DAY,
        params.method_period,
        params.fy_end_month,
        params.fy_end_day,
    )
    board.apply_changes(end)
    if board.remaining < 0:
        raise board.negative_change()
    if board.remaining:
        board.add(end, board.remaining, False)


def _negative_change(change):
    day, _delta = change
    return ValueError(
        f"value_changes: the change of {day} makes the remaining value negative"
    )


def _read_pauses(pauses, acquisition_date, months):
    rows = []
    for item in pauses:
        start, length = _dated_item(
            "pauses", item, ("start", "months"), acquisition_date
        )
        if not _is_int(length) or length < 1 or length % months:
            raise ValueError(
                f"pauses: months must be a positive multiple of method_period "
                f"({months}) (got {length!r})"
            )
        rows.append((start, length // months))
    rows.sort()
    return rows


def book_value(line: BoardLine, params: BoardParams) -> float:
    """Book value after ``line``: its remaining value plus the salvage value."""
    unit_num, unit_den = _ratio(params.rounding)
    units = _to_units(line.remaining_value, unit_num, unit_den) + _to_units(
        params.salvage_value, unit_num, unit_den
    )
    return units * unit_num / unit_den
