"""The shared meals counted ahead (meals.schedule.rollup) stay what the visit records say through the
services that plan, move, cancel and record meals, the rebuild writes the same rows, and the impact
figures read from them are what counting every meal gives, whatever the period's zone and bounds."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from meals.impact import selectors
from meals.impact.selectors import REPEAT_AT_LEAST, Period
from meals.matching.models import Match
from meals.relationships import rollup as rebuild
from meals.relationships import visits
from meals.relationships.models import Visit
from meals.schedule import services
from meals.schedule.models import Meal
from meals.schedule.rollup import FirstSharedMeal, SharedMealMonth, month_of
from tests.factories import MatchFactory
from tests.meals.impact.conftest import LONDON, TOKYO, delivered, make_diner, meal
from tests.meals.relationships.conftest import past_meal
from tests.meals.schedule.conftest import NOW, make_active_match, plan

pytestmark = pytest.mark.django_db


def kept() -> tuple[set, set]:
    """What the tables hold."""
    months = set(SharedMealMonth.objects.values_list("match_id", "month", "meals", "timed", "minutes"))
    return months, set(FirstSharedMeal.objects.values_list("diner_id", "starts_at"))


def computed() -> tuple[set, set]:
    """What the visit records say (the rebuild's own queries)."""
    return set(rebuild.shared_meal_months()), set(rebuild.first_shared_meals())


def record(cook, meal, outcome=Visit.Outcome.DELIVERED, minutes=30):
    return visits.record_visit(
        cook=cook,
        meal=meal,
        outcome=outcome,
        minutes=minutes if outcome == Visit.Outcome.DELIVERED else None,
        wellbeing={},
        notes={},
        note="",
    )


def test_the_counts_follow_each_visit_recorded(active_cook, diner):
    match = make_active_match(active_cook, diner, since=timezone.now() - timedelta(days=90))
    last_month = past_meal(match, hours_ago=24 * 40)
    yesterday, earlier_today, today = (past_meal(match, hours_ago=h) for h in (26, 6, 2))

    record(active_cook, yesterday, minutes=45)
    assert kept() == computed()
    assert kept()[1] == {(diner.pk, yesterday.starts_at)}

    record(active_cook, earlier_today, outcome=Visit.Outcome.NO_ANSWER)  # not shared: nothing changes
    record(active_cook, today, minutes=20)
    record(active_cook, last_month, minutes=60)  # recorded late: the diner's first shared meal moves back
    months, firsts = kept()
    assert (months, firsts) == computed()
    assert firsts == {(diner.pk, last_month.starts_at)}
    assert sum(meals for _m, _month, meals, _t, _minutes in months) == 3
    assert (match.pk, month_of(last_month.starts_at), 1, 1, 60) in months


def test_planning_moving_and_cancelling_meals_leave_the_counts_right(active_cook, diner, coordinator_a):
    match = make_active_match(active_cook, diner, since=NOW - timedelta(days=60))
    shared = delivered(match, NOW - timedelta(days=20), minutes=30)
    assert kept() == computed() == ({(match.pk, month_of(shared.starts_at), 1, 1, 30)}, {(diner.pk, shared.starts_at)})

    proposed = plan(match, now=NOW)  # 3 March 2026
    assert kept() == computed()
    moved = services.move_meal(
        cook=active_cook,
        meal=proposed,
        day=date(2026, 4, 2),  # into another month
        start_time=time(12, 0),
        end_time=time(13, 0),
        dish="Fish pie",
        allergens=["fish", "milk"],
        allergens_checked=True,
        now=NOW,
    )
    assert kept() == computed()
    services.cancel_meal(by=active_cook, meal=moved, reason=Meal.CancelReason.COOK_CANNOT, now=NOW)
    assert kept() == computed()
    assert kept()[0] == {(match.pk, month_of(shared.starts_at), 1, 1, 30)}


def test_the_rebuild_writes_the_rows_the_services_kept(club, other_club):
    before = kept()
    assert before == computed() and len(before[0]) > 10

    SharedMealMonth.objects.all().delete()
    FirstSharedMeal.objects.all().delete()
    call_command("rebuild_impact_rollup", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert kept() == before


def test_the_rebuild_repairs_wrong_counts(club):
    before = kept()
    SharedMealMonth.objects.update(meals=99)
    FirstSharedMeal.objects.update(starts_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert rebuild.rebuild_shared_meals() == (len(before[0]), len(before[1]))
    assert kept() == before


# The figures read from the counts are what counting every meal gives --------------------------------------


def by_hand(area_ids, period: Period) -> dict:
    """The shared meals of `selectors._meals`, counted meal by meal in Python."""
    matches = Match.objects.filter(diner__area__in=area_ids).exclude(status__in=selectors.NEVER_ACTIVE)
    bounds = period.month_bounds()
    per_match: dict[int, list] = {}
    for match_id, starts_at, minutes in Visit.objects.filter(
        outcome=Visit.Outcome.DELIVERED, meal__match__in=matches
    ).values_list("meal__match", "meal__starts_at", "minutes_stayed"):
        month = next((i for i, (begins, ends) in enumerate(bounds) if begins <= starts_at < ends), None)
        if month is None:
            continue
        counts = per_match.setdefault(match_id, [0, 0, 0, [0] * len(bounds)])
        counts[0] += 1
        counts[1] += minutes is not None
        counts[2] += minutes or 0
        counts[3][month] += 1
    result = {
        "sharing": len(per_match),
        "shared_meals": sum(c[0] for c in per_match.values()),
        "timing": sum(1 for c in per_match.values() if c[1]),
        "timed_visits": sum(c[1] for c in per_match.values()),
        "minutes_stayed": sum(c[2] for c in per_match.values()),
    }
    for least in REPEAT_AT_LEAST:
        result[f"at_least_{least}"] = sum(1 for c in per_match.values() if c[0] >= least)
    for index in range(len(bounds)):
        result[f"meals_{index}"] = sum(c[3][index] for c in per_match.values())
        result[f"matches_{index}"] = sum(1 for c in per_match.values() if c[3][index])
    return result


@pytest.fixture
def boundary_meals(area_a, active_cook):
    """Meals of two matches shared on either side of every month's start in UTC, London and Tokyo (and at
    the period bounds used below), some without a time stayed."""
    matches = [
        MatchFactory(cook=active_cook, diner=make_diner(area_a, f"Boundary {n}"), status=Match.Status.ACTIVE)
        for n in range(2)
    ]
    for month in range(1, 8):
        first = datetime(2025, month, 1, tzinfo=UTC)
        for hours in (-10, -9.5, -8.5, -1.5, -0.5, 0.5, 8.5, 9.5, 30, 24 * 14):
            match = matches[int(hours * 2) % 2]
            delivered(match, first + timedelta(hours=hours), minutes=None if hours == 30 else 25)
    meal(matches[0], datetime(2025, 3, 10, tzinfo=UTC), outcome=Visit.Outcome.DINER_AWAY)
    return matches


LATER = datetime(2030, 1, 1, tzinfo=UTC)  # long after every period below: none of it is still to come

PERIODS = [
    Period(date(2025, 1, 1), date(2025, 6, 30), LONDON),  # whole months, an hour off UTC in summer
    Period(date(2025, 1, 1), date(2025, 6, 30), TOKYO),  # whole months, nine hours off UTC
    Period(date(2025, 1, 15), date(2025, 5, 16), TOKYO),  # cut months at both ends
    Period(date(2025, 2, 2), date(2025, 6, 28), ZoneInfo("America/New_York")),  # behind UTC, mostly whole
    Period(date(2025, 3, 3), date(2025, 3, 20), LONDON),  # within one month
    Period(date(2025, 1, 1), date(2025, 7, 1), ZoneInfo("UTC")),  # the table's own months, and a day
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.first_day}-{p.last_day}-{p.zone}")
def test_the_period_s_shared_meals_are_those_counted_meal_by_meal(area_a, boundary_meals, period):
    figures = selectors._meals([area_a.pk], period)
    assert {key: figures[key] for key in by_hand([area_a.pk], period)} == by_hand([area_a.pk], period)
    assert figures["shared_meals"] > 0


def test_the_counts_kept_are_read_for_whole_months_and_only_boundaries_are_read_meal_by_meal():
    taken, stretches = selectors._counted_months(Period(date(2025, 1, 1), date(2025, 6, 30), TOKYO), LATER)
    assert taken == [0, 1, 2, 3, 4, 5]
    # Nine hours before each month's start in UTC (and the end), nothing else.
    assert all(ends - begins == timedelta(hours=9) for begins, ends in stretches)
    assert len(stretches) == 7
    # A last month only just begun is read meal by meal; one nearly over is taken, less its last days.
    taken, stretches = selectors._counted_months(Period(date(2025, 1, 1), date(2025, 6, 3), LONDON), LATER)
    assert taken == [0, 1, 2, 3, 4]
    assert stretches[-1] == (datetime(2025, 6, 1, 0, 0, tzinfo=UTC) - timedelta(hours=1), stretches[-1][1])
    taken, _stretches = selectors._counted_months(Period(date(2025, 1, 1), date(2025, 6, 27), LONDON), LATER)
    assert taken == [0, 1, 2, 3, 4, 5]
    assert datetime.combine(date(2025, 6, 28), time.min, tzinfo=LONDON) == _stretches[-1][0]


def test_a_period_ending_today_takes_its_month_from_the_table_and_reads_nothing_still_to_come():
    # 8 December, 00:40 in London: the period's last day runs to midnight, the table's month to the end of
    # December; neither stretch has begun, and no meal can be shared before it starts.
    now = datetime(2026, 12, 8, 0, 40, tzinfo=UTC)
    taken, stretches = selectors._counted_months(Period(date(2026, 1, 1), date(2026, 12, 8), LONDON), now)
    assert taken == list(range(12))
    assert all(ends <= now for _begins, ends in stretches)
    # Summer's hour between London's month and UTC's, and nothing else.
    assert sum((ends - begins for begins, ends in stretches), timedelta(0)) == timedelta(hours=7)


@pytest.mark.parametrize("hours_ago", [1, 24 * 3])
def test_a_period_ending_today_counts_what_was_shared_up_to_now(area_a, active_cook, hours_ago):
    match = MatchFactory(cook=active_cook, diner=make_diner(area_a, "Today"), status=Match.Status.ACTIVE)
    delivered(match, timezone.now() - timedelta(hours=hours_ago), minutes=30)
    today = timezone.localdate()
    period = Period(today.replace(day=1) if hours_ago == 1 else today - timedelta(days=40), today, LONDON)
    figures = selectors._meals([area_a.pk], period)
    assert {key: figures[key] for key in by_hand([area_a.pk], period)} == by_hand([area_a.pk], period)
