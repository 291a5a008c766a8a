"""Meals under races, on PostgreSQL (SQLite serialises writers and would hide them): a form sent five
times at once makes one meal or one series; five different meals at one time for one cook make one;
two daily jobs at once make each meal once."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meals.schedule import services
from meals.schedule.models import Meal, MealSeries
from meals.schedule.services import MealError
from tests.meals.schedule.conftest import plan
from tests.training.test_concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _day():
    return timezone.localdate() + timedelta(days=3)


def _try(function):
    def attempt():
        try:
            return function().pk
        except MealError as error:
            return str(error)

    return attempt


@pytest.mark.parametrize("repeat", ["", "weekly"])
def test_one_form_sent_five_times_at_once_makes_one_meal_or_series(active_match, repeat):
    key, now = uuid.uuid4(), timezone.now()
    results = at_once(_try(lambda: plan(active_match, day=_day(), repeat=repeat, submission=key, now=now)), count=5)
    assert len(set(results)) == 1, results
    assert MealSeries.objects.count() == (1 if repeat else 0)
    assert Meal.objects.count() == (4 if repeat else 1)


def test_five_different_meals_at_one_time_make_one(active_match):
    now = timezone.now()
    results = at_once(_try(lambda: plan(active_match, day=_day(), dish=f"Pie {uuid.uuid4()}", now=now)), count=5)
    assert Meal.objects.count() == 1
    assert sum(isinstance(result, int) for result in results) == 1, results


def test_two_daily_jobs_at_once_make_each_meal_once(active_match):
    now = timezone.now()
    plan(active_match, day=_day(), repeat="weekly", now=now)
    Meal.objects.filter(starts_at__gt=now + timedelta(days=7)).delete()
    at_once(lambda: services.schedule_meals(now=now), count=2)
    assert Meal.objects.count() == 4
    assert len(set(Meal.objects.values_list("occurrence", flat=True))) == 4
