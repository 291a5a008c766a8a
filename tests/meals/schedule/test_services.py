"""Planning meals: one-off and repeating, the rules a meal must keep, and the daily job."""

import uuid
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from meals.matching.models import Match
from meals.schedule import services
from meals.schedule.models import Meal, MealSeries
from meals.schedule.services import MealError
from tests.meals.schedule.conftest import NOW, plan

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_cook_proposes_one_meal_in_the_areas_time(active_match):
    meal = plan(active_match)
    assert meal.status == Meal.Status.PROPOSED
    assert meal.starts_at.astimezone(LONDON).hour == 12 and meal.cook == active_match.cook
    assert meal.allergens == ["fish", "milk"]


def test_a_weekly_series_makes_four_weeks_of_meals_and_the_job_adds_nothing_twice(active_match):
    plan(active_match, repeat="weekly")
    series = MealSeries.objects.get()
    assert series.rule == "FREQ=WEEKLY"
    assert Meal.objects.count() == 4
    assert services.schedule_meals(now=NOW)["made"] == 0
    assert services.schedule_meals(now=NOW + timedelta(days=7))["made"] == 1
    assert services.schedule_meals(now=NOW + timedelta(days=7))["made"] == 0
    assert Meal.objects.count() == 5


def test_series_keeps_wall_clock_time_across_the_london_clock_change(active_match):
    # The clocks go forward on Sunday 29 March 2026: 12:30 stays 12:30, so the UTC hour changes.
    plan(active_match, day=date(2026, 3, 24), repeat="weekly")
    services.schedule_meals(now=NOW + timedelta(days=14))
    meals = list(Meal.objects.order_by("starts_at"))
    local = [m.starts_at.astimezone(LONDON) for m in meals]
    assert {(t.hour, t.minute) for t in local} == {(12, 30)}
    assert [m.starts_at.astimezone(ZoneInfo("UTC")).hour for m in meals[:2]] == [12, 11]


def test_series_in_tokyo_keeps_its_time_with_no_clock_change(active_match):
    area = active_match.diner.area
    area.time_zone = "Asia/Tokyo"
    area.save(update_fields=["time_zone"])
    plan(active_match, day=date(2026, 3, 24), repeat="weekly")
    utc_hours = {m.starts_at.astimezone(ZoneInfo("UTC")).hour for m in Meal.objects.all()}
    assert utc_hours == {3}  # 12:30 JST is 03:30 UTC all year


def test_fortnightly_and_monthly_rules(active_match):
    plan(active_match, day=date(2026, 3, 10), repeat="monthly")  # the second Tuesday
    assert MealSeries.objects.get().rule == "FREQ=MONTHLY;BYDAY=2TU"
    days = [m.starts_at.astimezone(LONDON).date() for m in Meal.objects.all()]
    assert days == [date(2026, 3, 10)]  # April's second Tuesday is beyond four weeks
    services.schedule_meals(now=NOW + timedelta(days=30))
    assert [m.starts_at.astimezone(LONDON).date() for m in Meal.objects.order_by("starts_at")][1] == date(2026, 4, 14)


def test_meal_with_an_allergen_the_diner_avoids_is_refused_by_name(active_match):
    with pytest.raises(MealError, match="Peanuts"):
        plan(active_match, allergens=["peanuts"])
    assert not Meal.objects.exists()


def test_meal_without_the_allergen_step_is_refused(active_match):
    with pytest.raises(MealError, match="allergens"):
        plan(active_match, allergens=[], allergens_checked=False)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"day": date(2026, 3, 1)}, "future"),
        ({"day": date(2026, 2, 10)}, "future"),
        ({"start": time(14, 0), "end": time(13, 0)}, "after its start"),
    ],
)
def test_bad_times_are_refused(active_match, changes, message):
    with pytest.raises(MealError, match=message):
        plan(active_match, **changes)


def test_meal_before_the_match_began_is_refused(active_match):
    active_match.active_since = NOW + timedelta(days=3)
    active_match.save(update_fields=["active_since"])
    with pytest.raises(MealError, match="after the match began"):
        plan(active_match, day=date(2026, 3, 3))


def test_overlapping_meal_is_refused_and_a_series_that_would_overlap_too(active_match):
    plan(active_match)
    with pytest.raises(MealError, match="already have a meal"):
        plan(active_match, start=time(13, 0), end=time(14, 0))
    with pytest.raises(MealError, match="already have a meal"):
        plan(
            active_match, day=date(2026, 2, 24) + timedelta(days=7), start=time(13, 0), end=time(14, 0), repeat="weekly"
        )
    assert Meal.objects.count() == 1 and not MealSeries.objects.exists()


@pytest.mark.parametrize("status", [Match.Status.ENDED, Match.Status.PAUSED, Match.Status.INTRODUCED])
def test_meals_only_in_an_active_match(active_match, status):
    active_match.status = status
    active_match.save(update_fields=["status"])
    with pytest.raises(MealError):
        plan(active_match)


def test_double_submit_makes_one_meal_and_one_series(active_match):
    key = uuid.uuid4()
    first = plan(active_match, submission=key)
    assert plan(active_match, submission=key) == first
    key = uuid.uuid4()
    first = plan(active_match, day=date(2026, 3, 5), repeat="weekly", submission=key)
    assert plan(active_match, day=date(2026, 3, 5), repeat="weekly", submission=key) == first
    assert MealSeries.objects.count() == 1


def test_moving_one_meal_leaves_the_series_and_asks_again(active_match, referrer):
    plan(active_match, repeat="weekly")
    meal = Meal.objects.order_by("starts_at")[1]
    services.move_meal(
        cook=active_match.cook,
        meal=meal,
        day=date(2026, 3, 11),
        start_time=time(18, 0),
        end_time=time(19, 0),
        dish="Shepherd's pie",
        allergens=["milk"],
        allergens_checked=True,
        now=NOW,
    )
    meal.refresh_from_db()
    assert meal.detached and meal.status == Meal.Status.PROPOSED and meal.dish == "Shepherd's pie"


def test_ending_the_series_calls_off_the_meals_to_come_but_not_the_past(active_match):
    plan(active_match, repeat="weekly")
    later = NOW + timedelta(days=8)
    services.end_series(cook=active_match.cook, series=MealSeries.objects.get(), now=later)
    statuses = [m.status for m in Meal.objects.order_by("starts_at")]
    assert statuses == ["proposed", "proposed", "cancelled", "cancelled"]
    assert services.schedule_meals(now=later)["made"] == 0


def test_changing_the_rest_of_a_series_starts_a_new_rule_from_a_day(active_match):
    plan(active_match, repeat="weekly")
    series = MealSeries.objects.get()
    new = services.change_series(
        cook=active_match.cook,
        series=series,
        from_day=date(2026, 3, 17),
        repeat="fortnightly",
        start_time=time(17, 0),
        end_time=time(18, 0),
        dish="Soup",
        portion="small",
        allergens=["celery"],
        allergens_checked=True,
        now=NOW,
    )
    series.refresh_from_db()
    assert series.ends_on == date(2026, 3, 16) and new.rule == "FREQ=WEEKLY;INTERVAL=2"
    old = [m.status for m in Meal.objects.filter(series=series).order_by("starts_at")]
    assert old == ["proposed", "proposed", "cancelled", "cancelled"]
    assert [m.dish for m in Meal.objects.filter(series=new)] == ["Soup"]  # 31 March is past the horizon


def test_pausing_the_match_stops_meals_and_restarting_brings_the_series_back(active_match):
    plan(active_match, repeat="weekly")
    Match.objects.filter(pk=active_match.pk).update(status=Match.Status.PAUSED)
    assert services.schedule_meals(now=NOW)["stopped"] == 4
    Match.objects.filter(pk=active_match.pk).update(status=Match.Status.ACTIVE)
    services.schedule_meals(now=NOW)
    assert Meal.objects.filter(status="proposed").count() == 4


def test_proxy_confirms_and_coordinator_confirms_by_phone(active_match, referrer, coordinator_a):
    from meals.diners.models import ProxyAccess

    ProxyAccess.objects.filter(referrer=referrer).update(can_confirm_meals=True)
    first = plan(active_match)
    second = plan(active_match, day=date(2026, 3, 5))
    services.decide_meal(by=referrer, meal=first, confirm=True, now=NOW)
    services.decide_meal(by=coordinator_a, meal=second, confirm=True, channel="phone", now=NOW)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decision_channel) == ("confirmed", "web")
    assert (second.status, second.decision_channel) == ("confirmed", "phone")


def test_referrer_without_the_scope_cannot_confirm(active_match, referrer):
    meal = plan(active_match)
    with pytest.raises(MealError):
        services.decide_meal(by=referrer, meal=meal, confirm=True, now=NOW)
