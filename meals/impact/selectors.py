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
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Avg,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Cast, FirstValue, RowNumber
from django.utils import timezone

from accounts.onboarding.eligibility import active_cooks
from accounts.onboarding.models import CookProfile
from casserole import audit
from casserole.models import AuditEntry
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.referrals.models import Referral
from meals.relationships.loneliness import SCALES
from meals.relationships.models import Concern, Feedback, LonelinessMeasure, Visit
from meals.schedule.models import Meal

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
    """Active cooks now, and retention: one query over the cooks' profiles. The approvals and the active
    cooks are uncorrelated subqueries (each read once and hashed), never a subquery per cook."""
    approvals = AuditEntry.objects.filter(action=audit.Action.COOK_APPROVED, object_type=CookProfile._meta.label_lower)
    active = Q(user__in=active_cooks().values("pk"))
    counts = {"active": Count("pk", filter=active)}
    for months in RETENTION_MONTHS:
        cutoff = period.ends_at - relativedelta(months=months)
        # Approved by the cutoff: in the audit log; or, for a cook approved before the log (none of theirs
        # in it) and active, by their profile's last change of status.
        approved = Q(key__in=approvals.filter(created_at__lt=cutoff).values("object_id")) | (
            Q(status=CookProfile.Status.ACTIVE, status_changed_at__lt=cutoff)
            & ~Q(key__in=approvals.values("object_id"))
        )
        counts[f"approved_{months}"] = Count("pk", filter=approved)
        counts[f"kept_{months}"] = Count("pk", filter=approved & active)
    return (
        CookProfile.objects.filter(user__home_area__in=area_ids, user__is_cook=True)
        .annotate(key=Cast("pk", CharField()))
        .aggregate(**counts)
    )


def _diners(area_ids: Sequence[int]) -> dict:
    live = Match.objects.filter(diner=OuterRef("pk"), status__in=Match.LIVE_STATUSES)
    return Diner.objects.filter(area__in=area_ids, status=Diner.Status.ACTIVE).aggregate(
        active=Count("pk"), waiting=Count("pk", filter=~Exists(live))
    )


def _meals(area_ids: Sequence[int], period: Period) -> dict:
    """Everything about the period's meals in one pass over them (the largest table), grouped by match
    in SQL: per match, its shared meals (a visit record saying delivered) in all and in each month, the
    minutes stayed, and the meals called off and covered; then summed over the matches — how many shared
    a meal (in all and each month), at least 3 and 10, with a recorded stay. Months are conditional
    counts between the month's bounds in the areas' time zone (no row per month comes back)."""
    # Joined to delivered visits only, and only those recorded since the period began: a visit is recorded
    # once its meal has started (meals.relationships.visits.refusal), so no visit of the period's meals is
    # older, and the database leaves the older visits out before joining rather than after.
    shared_visit = FilteredRelation(
        "visit", condition=Q(visit__outcome=Visit.Outcome.DELIVERED, visit__recorded_at__gte=period.starts_at)
    )
    delivered = Q(shared_visit__isnull=False)
    called_off = Q(cancelled_at__isnull=False) & ~Q(cancel_reason__in=STRUCTURAL_CANCELLATIONS)
    per_match = {
        "shared": Count("shared_visit"),
        "timed": Count("shared_visit__minutes_stayed"),
        "minutes": Sum("shared_visit__minutes_stayed"),
        "cancelled": Count("pk", filter=called_off),
        "covered": Count("pk", filter=called_off & Q(covered_for__isnull=False)),
    }
    totals = {
        "sharing": Count("match", filter=Q(shared__gte=1)),
        "shared_meals": Sum("shared"),
        "timing": Count("match", filter=Q(timed__gte=1)),
        "timed_visits": Sum("timed"),
        "minutes_stayed": Sum("minutes"),
        "cancelled_meals": Sum("cancelled"),
        "covered_meals": Sum("covered"),
        "cancelling": Count("match", filter=Q(cancelled__gte=1)),
    }
    for least in REPEAT_AT_LEAST:
        totals[f"at_least_{least}"] = Count("match", filter=Q(shared__gte=least))
    for index, (begins, ends) in enumerate(period.month_bounds()):
        per_match[f"month_{index}"] = Count("pk", filter=delivered & Q(starts_at__gte=begins, starts_at__lt=ends))
        totals[f"meals_{index}"] = Sum(f"month_{index}")
        totals[f"matches_{index}"] = Count("match", filter=Q(**{f"month_{index}__gte": 1}))
    return (
        Meal.objects.filter(
            match__in=Match.objects.filter(diner__area__in=area_ids).exclude(status__in=NEVER_ACTIVE).values("pk"),
            starts_at__gte=period.starts_at,
            starts_at__lt=period.ends_at,
        )
        .annotate(shared_visit=shared_visit)
        .order_by()
        .values("match")
        .annotate(**per_match)
        .aggregate(**totals)
    )


def _latest_answers(area_ids: Sequence[int], period: Period, question: str):
    """Each match's diner-side feedback row holding their latest answer to `question` given in the period
    (a later answer of the same match in the period excludes an earlier one: an anti-join, not a query
    per match)."""
    given = Feedback.objects.filter(
        side=Feedback.Side.DINER, given_at__gte=period.starts_at, given_at__lt=period.ends_at
    ).exclude(**{question: ""})
    later = given.filter(match=OuterRef("match")).filter(
        Q(given_at__gt=OuterRef("given_at")) | Q(given_at=OuterRef("given_at"), pk__gt=OuterRef("pk"))
    )
    return given.filter(match__diner__area__in=area_ids).filter(~Exists(later)).order_by()


def _answer_counts(area_ids: Sequence[int], period: Period, question: str) -> dict[str, int]:
    """How many matches' latest answer to `question` is each answer, counted in SQL."""
    rows = _latest_answers(area_ids, period, question).values(question).annotate(n=Count("pk"))
    return {row[question]: row["n"] for row in rows}


def _loneliness_changes(area_ids: Sequence[int], period: Period) -> list[tuple[int, str, int]]:
    """(diner, scale, latest in the period − intake) for each diner of these areas with a measure in the
    period to compare with their intake. One pass over the areas' measures with window functions (each
    diner's newest and first measure); only each diner's newest row is fetched."""
    by_diner = {"partition_by": [F("diner_id")]}
    oldest_first = {**by_diner, "order_by": [F("taken_on").asc(), F("pk").asc()]}
    rows = (
        # The intake and the period's measures are all it needs: older ones are neither first nor newest.
        LonelinessMeasure.objects.filter(diner__area__in=area_ids, taken_on__lte=period.last_day)
        .filter(Q(intake=True) | Q(taken_on__gte=period.first_day))
        .annotate(
            newest=Window(RowNumber(), **by_diner, order_by=[F("taken_on").desc(), F("pk").desc()]),
            newest_on=Window(Max("taken_on"), **by_diner),
            intake_pk=Window(FirstValue("pk"), **oldest_first),
            intake_scale=Window(FirstValue("scale"), **oldest_first),
            intake_score=Window(FirstValue("score"), **oldest_first),
        )
        .filter(newest=1, newest_on__gte=period.first_day)
        .values_list("diner_id", "pk", "scale", "score", "intake_pk", "intake_scale", "intake_score")
    )
    # The intake itself is no change; two scales are never compared (change_since_intake's rule).
    return [
        (diner, scale, score - intake_score)
        for diner, pk, scale, score, intake_pk, intake_scale, intake_score in rows
        if pk != intake_pk and scale == intake_scale and None not in (score, intake_score)
    ]


def _loneliness(area_ids: Sequence[int], period: Period) -> dict[str, dict[int, int]]:
    """Per scale, how many diners changed by how much."""
    changes: dict[str, dict[int, int]] = {code: {} for code in SCALES}
    for _diner, scale, change in _loneliness_changes(area_ids, period):
        counted = changes.setdefault(scale, {})
        counted[change] = counted.get(change, 0) + 1
    return changes


def _first_meals(area_ids: Sequence[int], period: Period) -> list[tuple[datetime, datetime]]:
    """(first accepted request, first shared meal) of each diner whose first shared meal of all is in the
    period. Each match's first shared meal is one probe of its meals in time order (the match-and-time
    index: no scan of all the meals), the diner's the earliest of their matches': one row per diner with a
    match."""
    first_of_match = (
        Meal.objects.filter(match=OuterRef("pk"), visit__outcome=Visit.Outcome.DELIVERED)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    referred = (
        Referral.objects.filter(diner=OuterRef("diner"), status=Referral.Status.ACCEPTED)
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    # Filtered here, not in SQL: a HAVING would evaluate each probe again.
    return [
        (referred_at, first)
        for referred_at, first in Match.objects.filter(diner__area__in=area_ids)
        .exclude(status__in=NEVER_ACTIVE)
        .order_by()
        .values("diner")
        .annotate(first=Min(Subquery(first_of_match)), referred=Min(Subquery(referred)))
        .values_list("referred", "first")
        if referred_at is not None and first is not None and period.contains(first)
    ]


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
    through the small-number rule. Nine queries, however much data there is: cooks, diners, active
    matches, the period's meals (one pass), friendship answers, contact answers, loneliness changes,
    first shared meals, concerns — and none per meal, match or diner."""
    area_ids = list(area_ids)
    cooks = _cooks(area_ids, period)
    diners = _diners(area_ids)
    matches_now = Match.objects.filter(diner__area__in=area_ids, status=Match.Status.ACTIVE).count()
    meals = _meals(area_ids, period)
    friend = _answer_counts(area_ids, period, "friend")
    contact = _answer_counts(area_ids, period, "less_contact_without")
    loneliness = _loneliness(area_ids, period)
    first_meals = _first_meals(area_ids, period)
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

    waits = [(first - referred).days for referred, first in first_meals]
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
    shared_visit = FilteredRelation(
        "visit", condition=Q(visit__outcome=Visit.Outcome.DELIVERED, visit__recorded_at__gte=period.starts_at)
    )
    shared = {
        match: (meals, minutes)
        for match, meals, minutes in Meal.objects.filter(
            match__diner__area__in=names, starts_at__gte=period.starts_at, starts_at__lt=period.ends_at
        )
        .annotate(shared_visit=shared_visit)
        .order_by()
        .values("match")
        .annotate(meals=Count("shared_visit"), minutes=Avg("shared_visit__minutes_stayed"))
        .filter(meals__gte=1)
        .values_list("match", "meals", "minutes")
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
