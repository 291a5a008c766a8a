"""What the clubs achieve, for the areas a coordinator chose and over a period: every figure of the impact
page and of its CSV files, each computed by an aggregate query (a fixed number of queries, whatever the
amount of data) and each passed through `figure()`, the one home of the small-number rule.

Definitions (the page and the CSV say the same; tests/meals/impact/test_figures.py computes each by hand):
- "Now" figures ignore the period: active cooks (accounts.onboarding.eligibility.active_cooks, living in
  the areas), active diners (accepted and not paused or closed), active matches, and diners waiting
  (active diners with no live match).
- A shared meal is a meal whose visit record says "delivered"; it is in the period when it started in it
  (the period runs from the first day's midnight to the last day's end, in the areas' time zone).
- Repeat visits: of the matches with a shared meal in the period, the share with at least 3 and at least
  10 of them in the period. Minutes stayed: the average over the period's shared meals with a time.
- Friendship and contact: per match, the diner's latest answer given in the period (a match without an
  answer in the period does not count).
- Loneliness, per scale and never mixed: for each diner with a measure taken in the period, their latest
  such measure against their intake (their first measure of all), when both are on the same scale (as
  meals.relationships.loneliness.change_since_intake). A lower score is less lonely.
- Waiting: days from the diner's first accepted request to their first shared meal, for diners whose
  first shared meal of all is in the period.
- Retention: of the cooks approved at least 3 (6) months before the period's end, the share active now.
  The approval's time is its audit entry's (the earliest, should a cook be approved twice); a cook
  approved before the audit log, and active, counts from their profile's last change of status.
- Cancelled meals: meals in the period called off by a person (the cook, the diner, another reason) —
  not those cancelled because a series or the match ended or paused — and of them, those another cook
  covered.
- Concerns: raised in the period; the median time to close those closed.
"""

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts.onboarding.eligibility import active_cooks
from accounts.onboarding.models import CookProfile
from casserole import audit
from casserole.models import AuditEntry
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.relationships.loneliness import SCALES
from meals.relationships.models import Concern, Feedback, LonelinessMeasure, Visit
from meals.schedule.models import Meal
from meals.schedule.rollup import SharedMealMonth
from meals.schedule.waits import FirstMeal, first_meal_waits
from meals.signposting.models import OnwardReferral

# The small-number rule: a figure based on fewer people than this is hidden, so that nobody can be
# recognised in it. Applied only by `figure()`.
SMALL_NUMBER = 5

# Retention is measured this many months after approval.
RETENTION_MONTHS = (3, 6)

# Matches with at least this many shared meals in the period count as repeat visits.
REPEAT_AT_LEAST = (3, 10)

# Matches that never had a meal: meals are planned only in active matches (meals.schedule.services).
NEVER_ACTIVE = (Match.Status.PROPOSED, Match.Status.DECLINED, Match.Status.WITHDRAWN)

# Cancellations that say nothing about a meal being let down: the series or the match stopped.
STRUCTURAL_CANCELLATIONS = (
    Meal.CancelReason.SERIES_ENDED,
    Meal.CancelReason.MATCH_PAUSED,
    Meal.CancelReason.MATCH_ENDED,
)


class Unit:
    """Who a figure is based on (how the page says "based on N …")."""

    COOKS = "cooks"
    DINERS = "diners"
    MATCHES = "matches"


class Kind:
    """What a figure's value is, so the page and the CSV can write it."""

    COUNT = "count"  # a whole number
    SHARE = "share"  # 0–1, shown as a percentage
    MINUTES = "minutes"
    DAYS = "days"
    HOURS = "hours"
    POINTS = "points"  # a change of loneliness score


@dataclass(frozen=True)
class Figure:
    """One number of the report. Hidden (value and base both None) when based on fewer than SMALL_NUMBER
    people: build it with `figure()`, never directly."""

    key: str  # snake_case English: the CSV's figure name, never translated
    kind: str
    unit: str
    value: float | int | None
    based_on: int | None
    hidden: bool


def figure(key: str, value, based_on: int, *, kind: str = Kind.COUNT, unit: str = Unit.MATCHES) -> Figure:
    """The small-number rule, and its only home: a figure based on fewer than SMALL_NUMBER people (or
    matches) is hidden — neither its value nor how many it is based on is kept, so no page or file can
    show them."""
    if based_on < SMALL_NUMBER:
        return Figure(key=key, kind=kind, unit=unit, value=None, based_on=None, hidden=True)
    return Figure(key=key, kind=kind, unit=unit, value=value, based_on=based_on, hidden=False)


def share(key: str, part: int, whole: int, *, unit: str = Unit.MATCHES) -> Figure:
    """`part` of `whole` as a share (0–1), based on `whole`."""
    return figure(key, part / whole if whole else None, whole, kind=Kind.SHARE, unit=unit)


@dataclass(frozen=True)
class Period:
    """From the first day's start to the last day's end (both included), in `zone`."""

    first_day: date
    last_day: date
    zone: ZoneInfo

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.zone)

    @property
    def ends_at(self) -> datetime:
        """The instant after the period (exclusive)."""
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=self.zone)

    @property
    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        month = self.first_day.replace(day=1)
        months = []
        while month <= self.last_day:
            months.append(month)
            month += relativedelta(months=1)
        return months

    def month_bounds(self) -> list[tuple[datetime, datetime]]:
        """Each of `months` as [start, end) instants in the zone, cut to the period."""
        bounds = []
        for month in self.months:
            begins = datetime.combine(max(month, self.first_day), time.min, tzinfo=self.zone)
            after = min(month + relativedelta(months=1), self.last_day + timedelta(days=1))
            bounds.append((begins, datetime.combine(after, time.min, tzinfo=self.zone)))
        return bounds

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def default_period(*, today: date | None = None) -> tuple[date, date]:
    """The last 12 months: from the first of the month 11 months ago to today."""
    today = today or timezone.localdate()
    return (today - relativedelta(months=11)).replace(day=1), today


@dataclass(frozen=True)
class Month:
    month: date  # its first day
    meals: Figure


@dataclass(frozen=True)
class LonelinessFigures:
    scale: object  # meals.relationships.loneliness.Scale
    diners: Figure
    median_change: Figure
    improved: Figure


@dataclass
class Impact:
    period: Period
    # Now
    active_cooks: Figure
    active_diners: Figure
    active_matches: Figure
    diners_waiting: Figure
    # Meals in the period
    meals_shared: Figure
    months: list[Month]
    repeat: list[Figure]  # REPEAT_AT_LEAST, in order
    average_minutes: Figure
    meals_cancelled: Figure
    meals_covered: Figure
    # What diners say
    friend: dict[str, Figure]  # Feedback.Friend value → share of the matches that answered
    less_contact: Figure
    loneliness: list[LonelinessFigures]
    # Waiting, cooks, concerns
    median_wait_days: Figure
    retention: list[tuple[int, Figure]]  # (months, share)
    concerns_raised: Figure
    concern_median_hours: Figure

    def figures(self) -> list[Figure]:
        """Every figure, in the page's order (the figures CSV writes these)."""
        rows = [self.active_cooks, self.active_diners, self.active_matches, self.diners_waiting, self.meals_shared]
        rows += [month.meals for month in self.months]
        rows += [*self.repeat, self.average_minutes, self.meals_cancelled, self.meals_covered]
        rows += [*self.friend.values(), self.less_contact]
        for scale in self.loneliness:
            rows += [scale.diners, scale.median_change, scale.improved]
        rows += [self.median_wait_days, *(figure for _months, figure in self.retention)]
        rows += [self.concerns_raised, self.concern_median_hours]
        return rows


# Medians ---------------------------------------------------------------------------------------------------


def median_of_counts(counts: Iterable[tuple[float, int]]) -> float | None:
    """The median of values given as (value, how many times) pairs, as statistics.median would give it
    for the values written out."""
    pairs = sorted((value, n) for value, n in counts if n)
    total = sum(n for _value, n in pairs)
    if not total:
        return None
    wanted = (total - 1) // 2, total // 2  # the middle position(s), counting from 0
    found, seen = [], 0
    for value, n in pairs:
        for position in wanted:
            if seen <= position < seen + n:
                found.append(value)
        seen += n
    return (found[0] + found[-1]) / 2


# The queries -----------------------------------------------------------------------------------------------


def _cooks(area_ids: Sequence[int], period: Period) -> dict:
    """Active cooks now, and retention: one query over the cooks' profiles, grouped by whether the cook is
    active now, so the active-cook test (a hashed subquery) is evaluated once, not once per count. The
    approvals are uncorrelated subqueries (each read once and hashed), never a subquery per cook."""
    approvals = AuditEntry.objects.filter(action=audit.Action.COOK_APPROVED, object_type=CookProfile._meta.label_lower)
    counts = {"cooks": Count("pk")}
    for months in RETENTION_MONTHS:
        cutoff = period.ends_at - relativedelta(months=months)
        # Approved by the cutoff: in the audit log; or, for a cook approved before the log (none of theirs
        # in it) and active, by their profile's last change of status.
        approved = Q(key__in=approvals.filter(created_at__lt=cutoff).values("object_id")) | (
            Q(status=CookProfile.Status.ACTIVE, status_changed_at__lt=cutoff)
            & ~Q(key__in=approvals.values("object_id"))
        )
        counts[f"approved_{months}"] = Count("pk", filter=approved)
    rows = (
        CookProfile.objects.filter(user__home_area__in=area_ids, user__is_cook=True)
        .annotate(
            key=Cast("pk", CharField()),
            active_now=Case(
                When(user__in=active_cooks().values("pk"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by()
        .values("active_now")
        .annotate(**counts)
    )
    result = {"active": 0} | {f"{name}_{months}": 0 for months in RETENTION_MONTHS for name in ("approved", "kept")}
    for row in rows:
        result["active"] += row["cooks"] if row["active_now"] else 0
        for months in RETENTION_MONTHS:
            result[f"approved_{months}"] += row[f"approved_{months}"]
            result[f"kept_{months}"] += row[f"approved_{months}"] if row["active_now"] else 0
    return result


def _diners(area_ids: Sequence[int]) -> dict:
    live = Match.objects.filter(diner=OuterRef("pk"), status__in=Match.LIVE_STATUSES)
    return Diner.objects.filter(area__in=area_ids, status=Diner.Status.ACTIVE).aggregate(
        active=Count("pk"), waiting=Count("pk", filter=~Exists(live))
    )


def _matches(area_ids: Sequence[int]):
    """The ids of the areas' matches that ever had meals (a subquery)."""
    return Match.objects.filter(diner__area__in=area_ids).exclude(status__in=NEVER_ACTIVE).values("pk")


# The columns of each part of `_meals`: the match, the month a row adds to and the one it takes from,
# shared meals, timed ones, minutes stayed, called off, covered.
COLUMNS = ("m", "plus", "minus", "n", "t", "mins", "off", "cover")


def _utc_month(month: date) -> datetime:
    """The first instant of a calendar month in UTC: SharedMealMonth's months."""
    return datetime.combine(month, time.min, tzinfo=UTC)


def _counted_months(period: Period, now: datetime) -> tuple[list[int], list[tuple[datetime, datetime]]]:
    """Which of the period's months (indexes) to take from SharedMealMonth, and the stretches of time whose
    meals must be read to correct them. The table counts the UTC month, the period the same month in its
    own zone, cut to the period: each meal that one counts in a month and the other does not (or in
    another month) lies in a stretch — between the two starts of a month, between the two ends, or all
    of a month not taken from the table — and is read. Nothing after `now` is read: a meal is shared only
    once its visit is recorded, which it cannot be before it starts (meals.relationships.visits), so a
    stretch still to come holds no shared meal. A month is taken from the table unless that leaves more to
    read than its meals: so the current month of a period that ends today is taken (the days still to come
    need no correction), and a period's last month that has only begun and is over is read directly."""

    def past(begins: datetime, ends: datetime) -> tuple[datetime, datetime]:
        return begins, min(ends, now)

    def length(stretch: tuple[datetime, datetime]) -> timedelta:
        return max(stretch[1] - stretch[0], timedelta(0))

    taken, stretches = [], []
    for index, (month, (begins, ends)) in enumerate(zip(period.months, period.month_bounds(), strict=True)):
        first, after = _utc_month(month), _utc_month(month + relativedelta(months=1))
        corrections = [past(min(begins, first), max(begins, first)), past(min(ends, after), max(ends, after))]
        whole = past(begins, ends)
        if sum((length(stretch) for stretch in corrections), timedelta(0)) < length(whole):
            taken.append(index)
            stretches += corrections
        else:
            stretches.append(whole)
    merged: list[tuple[datetime, datetime]] = []
    for begins, ends in sorted(stretch for stretch in stretches if stretch[0] < stretch[1]):
        if merged and begins <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((begins, ends))
    return taken, merged


def _no_month() -> Cast:
    """No month, as a typed NULL: PostgreSQL gives an untyped NULL in a UNION the type text."""
    return Cast(Value(None), IntegerField())


def _month_index(bounds: list[tuple[int, datetime, datetime]]) -> Case:
    """The index of the month a meal's start falls in, of these (index, start, end); NULL in none."""
    whens = [When(starts_at__gte=begins, starts_at__lt=ends, then=Value(index)) for index, begins, ends in bounds]
    return Case(*whens, default=Value(None), output_field=IntegerField()) if whens else _no_month()


def _per_match_sql(area_ids: Sequence[int], period: Period, *, now: datetime, by_month: bool) -> tuple[str, list, str]:
    """The period's meals per match, as SQL (with its parameters and database) selecting for each match
    (`m`) its shared meals, timed ones, minutes stayed, meals called off and covered, and with `by_month`
    its shared meals in each month of the period. Read by `_meals` (the figures) and `match_rows`.

    Three parts: the counts kept per match and UTC month (meals.schedule.rollup) for the
    months taken from it, the delivered meals of the stretches that correct them (`_counted_months`:
    at a month's boundaries, and any month read directly). Each row carries the month it adds to (`plus`)
    and the month it takes from (`minus`): a table row adds to its month; a meal adds to its month of the
    period (if in the period) and takes from the month the table counted it in (if taken). So a meal near
    a boundary is counted once, in the period's own month, and a default period reads the table for 11
    months and the meals of the current month so far — not 300,000 meals. The third part is the meals
    called off in the period."""
    taken, stretches = _counted_months(period, now)
    months = period.months
    bounds = period.month_bounds()
    matches = _matches(area_ids)
    table = (
        SharedMealMonth.objects.filter(match__in=matches, month__in=[months[index] for index in taken])
        .annotate(
            m=F("match_id"),
            plus=Case(
                *(When(month=months[index], then=Value(index)) for index in taken),
                default=Value(None),
                output_field=IntegerField(),
            ),
            minus=_no_month(),
            n=F("meals"),
            t=F("timed"),
            mins=F("minutes"),
            off=Value(0, IntegerField()),
            cover=Value(0, IntegerField()),
        )
        .order_by()
        .values(*COLUMNS)
    )
    near = Q(pk__in=[])
    for begins, ends in stretches:
        near |= Q(starts_at__gte=begins, starts_at__lt=ends)
    corrections = (
        Meal.objects.filter(near, match__in=matches, visit__outcome=Visit.Outcome.DELIVERED)
        .annotate(
            m=F("match_id"),
            plus=_month_index([(index, begins, ends) for index, (begins, ends) in enumerate(bounds)]),
            minus=_month_index(
                [
                    (index, _utc_month(months[index]), _utc_month(months[index] + relativedelta(months=1)))
                    for index in taken
                ]
            ),
            n=Value(1, IntegerField()),
            t=Case(When(visit__minutes_stayed__isnull=False, then=Value(1)), default=Value(0)),
            mins=Coalesce("visit__minutes_stayed", Value(0), output_field=IntegerField()),
            off=Value(0, IntegerField()),
            cover=Value(0, IntegerField()),
        )
        .order_by()
        .values(*COLUMNS)
    )
    # Meals called off by a person (not because a series or the match stopped): a few of the period's
    # meals, found through the index of meals called off. Rows that add to no month.
    called_off = (
        Meal.objects.filter(
            match__in=matches, cancelled_at__isnull=False, starts_at__gte=period.starts_at, starts_at__lt=period.ends_at
        )
        .exclude(cancel_reason__in=STRUCTURAL_CANCELLATIONS)
        .annotate(
            m=F("match_id"),
            plus=_no_month(),
            minus=_no_month(),
            n=Value(0, IntegerField()),
            t=Value(0, IntegerField()),
            mins=Value(0, IntegerField()),
            off=Value(1, IntegerField()),
            cover=Case(When(covered_for__isnull=False, then=Value(1)), default=Value(0)),
        )
        .order_by()
        .values(*COLUMNS)
    )
    parts = table.union(corrections, called_off, all=True).order_by()
    sql, params = parts.query.get_compiler(using=parts.db).as_sql()

    def net(column: str, index: int | None = None) -> str:
        """The column added by rows for the month (or any month), less what rows take from it."""
        plus = "plus IS NOT NULL" if index is None else f"plus = {index:d}"
        minus = "minus IS NOT NULL" if index is None else f"minus = {index:d}"
        return f"SUM(CASE WHEN {plus} THEN {column} ELSE 0 END) - SUM(CASE WHEN {minus} THEN {column} ELSE 0 END)"

    per_match = [f"{net('n')} AS shared", f"{net('t')} AS timed", f"{net('mins')} AS minutes"]
    per_match += ["SUM(off) AS called_off", "SUM(cover) AS covered"]
    if by_month:
        per_match += [f"{net('n', index)} AS month_{index:d}" for index in range(len(period.months))]
    # Only integers and the ORM's own SQL go into the text; every value is a parameter.
    return f"SELECT m, {', '.join(per_match)} FROM ({sql}) AS part GROUP BY m", list(params), parts.db  # noqa: S608


def _meals(area_ids: Sequence[int], period: Period, *, now: datetime | None = None) -> dict:
    """Everything about the period's meals (`_per_match_sql`), summed over the matches in SQL: how many
    matches shared a meal (in all and each month), at least 3 and 10, with a recorded stay; the meals and
    minutes; the meals called off and covered, and in how many matches. One query."""
    per_match, params, db = _per_match_sql(area_ids, period, now=now or timezone.now(), by_month=True)
    totals = {
        "sharing": "COUNT(CASE WHEN shared >= 1 THEN 1 END)",
        "shared_meals": "SUM(shared)",
        "timing": "COUNT(CASE WHEN timed >= 1 THEN 1 END)",
        "timed_visits": "SUM(timed)",
        "minutes_stayed": "SUM(minutes)",
        "cancelled_meals": "SUM(called_off)",
        "covered_meals": "SUM(covered)",
        "cancelling": "COUNT(CASE WHEN called_off >= 1 THEN 1 END)",
    }
    for least in REPEAT_AT_LEAST:
        totals[f"at_least_{least}"] = f"COUNT(CASE WHEN shared >= {least:d} THEN 1 END)"
    for index in range(len(period.months)):
        totals[f"meals_{index}"] = f"SUM(month_{index:d})"
        totals[f"matches_{index}"] = f"COUNT(CASE WHEN month_{index:d} >= 1 THEN 1 END)"
    query = f"SELECT {', '.join(totals.values())} FROM ({per_match}) AS per_match"  # noqa: S608
    with connections[db].cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return {name: value or 0 for name, value in zip(totals, row, strict=True)}


def _latest_answers(area_ids: Sequence[int], period: Period, question: str):
    """Each match's diner-side feedback row holding their latest answer to `question` given in the period:
    the period's answers to it (a range) that the match's next answer, if any, replaced only after the
    period. Each answer carries when it was replaced (feedback.link_answers), so no answer is compared with
    another here."""
    replaced_at = Feedback.LINKED[question]
    return (
        Feedback.objects.filter(
            Q(**{f"{replaced_at}__isnull": True}) | Q(**{f"{replaced_at}__gte": period.ends_at}),
            match__diner__area__in=area_ids,
            side=Feedback.Side.DINER,
            given_at__gte=period.starts_at,
            given_at__lt=period.ends_at,
        )
        .exclude(**{question: ""})
        .order_by()
    )


def _answer_counts(area_ids: Sequence[int], period: Period, questions: Sequence[str]) -> dict[str, dict[str, int]]:
    """For each question, how many matches' latest answer to it is each answer: counted in SQL, both
    questions in one query (a UNION ALL of each question's counts)."""
    parts = [
        _latest_answers(area_ids, period, question)
        .annotate(question=Value(question), answer=F(question))
        .values("question", "answer")
        .annotate(n=Count("pk"))
        .values_list("question", "answer", "n")
        for question in questions
    ]
    counts: dict[str, dict[str, int]] = {question: {} for question in questions}
    for question, answer, n in parts[0].union(*parts[1:], all=True).order_by():
        counts[question][answer] = n
    return counts


def _loneliness_changes(area_ids: Sequence[int], period: Period) -> list[tuple[int, str, int]]:
    """(diner, scale, latest in the period − intake) for each diner of these areas with a measure in the
    period to compare with their intake. The period's measures (an indexed range) whose diner's next
    measure, if any, came after the period: each diner's latest in it. Each measure carries its diner's
    intake and the day of their next measure (loneliness.link_measure), so neither is looked for."""
    rows = (
        LonelinessMeasure.objects.filter(
            Q(next_taken_on__isnull=True) | Q(next_taken_on__gt=period.last_day),
            diner__area__in=area_ids,
            taken_on__gte=period.first_day,
            taken_on__lte=period.last_day,
        )
        .order_by()
        .values_list("diner_id", "intake", "scale", "score", "intake_scale", "intake_score")
    )
    # The intake itself is no change; two scales are never compared (change_since_intake's rule).
    return [
        (diner, scale, score - intake_score)
        for diner, intake, scale, score, intake_scale, intake_score in rows
        if not intake and scale == intake_scale and None not in (score, intake_score)
    ]


def _loneliness(area_ids: Sequence[int], period: Period) -> dict[str, dict[int, int]]:
    """Per scale, how many diners changed by how much."""
    changes: dict[str, dict[int, int]] = {code: {} for code in SCALES}
    for _diner, scale, change in _loneliness_changes(area_ids, period):
        counted = changes.setdefault(scale, {})
        counted[change] = counted.get(change, 0) + 1
    return changes


def _waits(area_ids: Sequence[int], period: Period) -> list[int]:
    """Days from request to first shared meal of the diners whose first shared meal of all is in the
    period: meals.schedule.waits, the one home of the rule, counting shared meals."""
    waits = first_meal_waits(area_ids, starts_at=period.starts_at, ends_at=period.ends_at, first=FirstMeal.SHARED)
    return [days for per_area in waits.values() for days in per_area]


def _concerns(area_ids: Sequence[int], period: Period) -> list[tuple[int, datetime, datetime | None]]:
    """(diner, raised, closed) of each concern raised in the period: one query (concerns are few)."""
    return list(
        Concern.objects.filter(
            diner__area__in=area_ids, raised_at__gte=period.starts_at, raised_at__lt=period.ends_at
        ).values_list("diner_id", "raised_at", "closed_at")
    )


# The report ------------------------------------------------------------------------------------------------


def impact_figures(area_ids: Sequence[int], period: Period) -> Impact:
    """Every figure of the impact page for these areas (ids the coordinator may see) over the period, each
    through the small-number rule. Eight queries, however much data there is: cooks, diners, active
    matches, the period's meals (the counts kept per month, corrected near its boundaries, and the meals
    called off), friendship and contact answers, loneliness changes, first shared meals, concerns — and
    none per meal, match or diner."""
    area_ids = list(area_ids)
    cooks = _cooks(area_ids, period)
    diners = _diners(area_ids)
    matches_now = Match.objects.filter(diner__area__in=area_ids, status=Match.Status.ACTIVE).count()
    meals = _meals(area_ids, period)
    answers = _answer_counts(area_ids, period, ("friend", "less_contact_without"))
    friend, contact = answers["friend"], answers["less_contact_without"]
    loneliness = _loneliness(area_ids, period)
    waits = _waits(area_ids, period)
    concerns = _concerns(area_ids, period)

    sharing = meals["sharing"]
    months = [
        Month(month, figure(f"meals_shared_{month:%Y_%m}", meals[f"meals_{index}"] or 0, meals[f"matches_{index}"]))
        for index, month in enumerate(period.months)
    ]
    timed = meals["timed_visits"] or 0

    answered = sum(friend.values())
    contact_answered = sum(contact.values())

    scales = []
    for code, changes in loneliness.items():
        measured = sum(changes.values())
        improved = sum(n for change, n in changes.items() if change < 0)
        scales.append(
            LonelinessFigures(
                scale=SCALES[code],
                diners=figure(f"loneliness_{code}_diners", measured, measured, unit=Unit.DINERS),
                median_change=figure(
                    f"loneliness_{code}_median_change",
                    median_of_counts(changes.items()),
                    measured,
                    kind=Kind.POINTS,
                    unit=Unit.DINERS,
                ),
                improved=share(f"loneliness_{code}_improved", improved, measured, unit=Unit.DINERS),
            )
        )

    closed = [(diner, closed_at - raised_at) for diner, raised_at, closed_at in concerns if closed_at is not None]

    return Impact(
        period=period,
        active_cooks=figure("active_cooks", cooks["active"], cooks["active"], unit=Unit.COOKS),
        active_diners=figure("active_diners", diners["active"], diners["active"], unit=Unit.DINERS),
        active_matches=figure("active_matches", matches_now, matches_now),
        diners_waiting=figure("diners_waiting", diners["waiting"], diners["waiting"], unit=Unit.DINERS),
        meals_shared=figure("meals_shared", meals["shared_meals"] or 0, sharing),
        months=months,
        repeat=[share(f"repeat_at_least_{least}", meals[f"at_least_{least}"], sharing) for least in REPEAT_AT_LEAST],
        average_minutes=figure(
            "average_minutes", meals["minutes_stayed"] / timed if timed else None, meals["timing"], kind=Kind.MINUTES
        ),
        meals_cancelled=figure("meals_cancelled", meals["cancelled_meals"] or 0, meals["cancelling"]),
        meals_covered=figure("meals_covered", meals["covered_meals"] or 0, meals["cancelling"]),
        friend={
            answer: share(f"friend_{answer}", friend.get(answer, 0), answered) for answer in Feedback.Friend.values
        },
        less_contact=share(
            "less_contact_without", contact.get(Feedback.YesNo.YES, 0), contact_answered, unit=Unit.MATCHES
        ),
        loneliness=scales,
        median_wait_days=figure(
            "median_days_to_first_meal",
            statistics.median(waits) if waits else None,
            len(waits),
            kind=Kind.DAYS,
            unit=Unit.DINERS,
        ),
        retention=[
            (
                months_after,
                share(
                    f"cooks_active_{months_after}_months_after_approval",
                    cooks[f"kept_{months_after}"],
                    cooks[f"approved_{months_after}"],
                    unit=Unit.COOKS,
                ),
            )
            for months_after in RETENTION_MONTHS
        ],
        concerns_raised=figure(
            "concerns_raised", len(concerns), len({diner for diner, _r, _c in concerns}), unit=Unit.DINERS
        ),
        concern_median_hours=figure(
            "concern_median_hours_to_close",
            statistics.median(d.total_seconds() / 3600 for _diner, d in closed) if closed else None,
            len({diner for diner, _d in closed}),
            kind=Kind.HOURS,
            unit=Unit.DINERS,
        ),
    )


# The anonymised rows of matches.csv -----------------------------------------------------------------------


@dataclass(frozen=True)
class MatchRow:
    area: str
    months_active: int | None
    meals_shared: int
    average_minutes: int | None
    friend: str  # the diner's latest answer in the period, or ""
    loneliness_scale: str  # the scale of the diner's change, or ""
    loneliness_change: str  # "less_lonely", "no_change", "more_lonely", or ""


def _bucket(change: int | None) -> str:
    if change is None:
        return ""
    return "less_lonely" if change < 0 else "more_lonely" if change > 0 else "no_change"


def match_rows(areas, period: Period, *, language: str, now: datetime | None = None) -> tuple[list[MatchRow], int]:
    """One anonymised row per match that shared a meal in the period — no names, addresses or ids, in an
    order that says nothing of who came first — and how many were left out: every match of an area with
    fewer than SMALL_NUMBER such matches (the small-number rule, for rows). Four queries, each over a whole
    set (the period's meals by match, the matches, the latest friendship answers, the loneliness changes),
    put together here by ids that never leave this function."""
    now = now or timezone.now()
    names = {area.pk: area.display_name(language) for area in areas}
    # Each match's shared meals and minutes from the counts kept per month (as the figures read them).
    per_match, params, db = _per_match_sql(list(names), period, now=now, by_month=False)
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT m, shared, timed, minutes FROM ({per_match}) AS per_match WHERE shared >= 1", params)  # noqa: S608
        shared = {
            match: (meals, minutes / timed if timed else None) for match, meals, timed, minutes in cursor.fetchall()
        }
    matches = (
        Match.objects.filter(diner__area__in=names)
        .exclude(status__in=NEVER_ACTIVE)
        .order_by()
        .values_list("pk", "diner_id", "diner__area_id", "active_since", "ended_at")
    )
    friend = dict(_latest_answers(names, period, "friend").values_list("match_id", "friend"))
    loneliness = {diner: (scale, change) for diner, scale, change in _loneliness_changes(names, period)}
    made = []
    for pk, diner, area_id, since, ended in matches:
        if pk not in shared:
            continue
        meals, minutes = shared[pk]
        scale, change = loneliness.get(diner, ("", None))
        together = relativedelta(ended or now, since) if since else None
        made.append(
            (
                area_id,
                MatchRow(
                    area=names[area_id],
                    months_active=together.years * 12 + together.months if together else None,
                    meals_shared=meals,
                    average_minutes=round(minutes) if minutes is not None else None,
                    friend=friend.get(pk, ""),
                    loneliness_scale=scale,
                    loneliness_change=_bucket(change),
                ),
            )
        )
    per_area: dict[int, int] = {}
    for area_id, _row in made:
        per_area[area_id] = per_area.get(area_id, 0) + 1
    kept = [row for area_id, row in made if per_area[area_id] >= SMALL_NUMBER]
    # Sorted by what they say, never by when they were made: row numbers must not lead back to a match.
    kept.sort(
        key=lambda row: (
            row.area,
            row.months_active if row.months_active is not None else -1,
            row.meals_shared,
            row.average_minutes if row.average_minutes is not None else -1,
            row.friend,
            row.loneliness_scale,
            row.loneliness_change,
        )
    )
    return kept, len(made) - len(kept)


# Onward referrals to other support (meals.signposting) --------------------------------------------------


@dataclass(frozen=True)
class OnwardReferrals:
    area: object | None  # accounts.people.models.Area; None: all the chosen areas together
    made: Figure  # onward referrals recorded in the period (told about or referred)
    taken_up: Figure  # of them, those recorded as having taken place


def onward_referrals(areas, period: Period) -> list[OnwardReferrals]:
    """Per area, then for all of them together: the onward referrals recorded in the period and how many
    took place, each based on the diners they were for (the small-number rule). One query."""
    rows = {
        row["diner__area"]: row
        for row in OnwardReferral.objects.filter(
            diner__area__in=[area.pk for area in areas], made_at__gte=period.starts_at, made_at__lt=period.ends_at
        )
        .order_by()
        .values("diner__area")
        .annotate(
            made=Count("pk"),
            taken=Count("pk", filter=Q(outcome=OnwardReferral.Outcome.TOOK_PLACE)),
            diners=Count("diner", distinct=True),
        )
    }
    empty = {"made": 0, "taken": 0, "diners": 0}

    def figures(area, counts) -> OnwardReferrals:
        where = area.slug if area else "all"
        return OnwardReferrals(
            area=area,
            made=figure(f"onward_referrals_{where}", counts["made"], counts["diners"], unit=Unit.DINERS),
            taken_up=figure(f"onward_referrals_taken_up_{where}", counts["taken"], counts["diners"], unit=Unit.DINERS),
        )

    result = [figures(area, rows.get(area.pk, empty)) for area in areas]
    if len(areas) > 1:
        # A diner belongs to one area, so the areas' diners add up.
        total = {key: sum(row[key] for row in rows.values()) for key in empty}
        result.append(figures(None, total))
    return result
