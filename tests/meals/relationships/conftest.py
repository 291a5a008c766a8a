"""The relationship log's shared fixtures: Cathy (the active cook) cooks for Edie (area A, London) in an
active match, with a meal that started two hours ago waiting for its visit record.

Meals are on the real clock (the pages read the time themselves) and made directly, since the meal
services refuse times in the past."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meals.schedule.models import Meal
from tests.meals.schedule.conftest import make_active_match


def past_meal(match, hours_ago: float = 2, *, hours: float = 1, cook=None, **fields) -> Meal:
    """A confirmed meal of the match that started `hours_ago` hours ago and lasted `hours` hours."""
    start = timezone.now() - timedelta(hours=hours_ago)
    fields.setdefault("status", Meal.Status.CONFIRMED)
    return Meal.objects.create(
        match=match,
        cook=cook or match.cook,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        dish="Fish pie",
        allergens=["fish", "milk"],
        **fields,
    )


@pytest.fixture
def visited_match(active_cook, diner):
    """An active match between Cathy and Edie with one meal, started two hours ago, to record
    (`visited_match.past_meal`)."""
    match = make_active_match(active_cook, diner, since=timezone.now() - timedelta(days=14))
    match.past_meal = past_meal(match)
    return match
