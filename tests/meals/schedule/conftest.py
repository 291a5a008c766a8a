"""An active match between the active cook and Edie (area A, London), and helpers to plan meals in it."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from meals.matching.models import Match
from meals.schedule import services
from tests.factories import MatchFactory

# A fixed "now" well inside the horizon of every test: Monday 2 March 2026, 10:00 in London.
NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))


def make_active_match(cook, diner, *, since=None) -> Match:
    return MatchFactory(
        cook=cook,
        diner=diner,
        status=Match.Status.ACTIVE,
        active_since=since or NOW - timedelta(days=14),
        distance_km=0.5,
    )


@pytest.fixture
def active_match(active_cook, diner):
    return make_active_match(active_cook, diner)


def plan(match, *, day=date(2026, 3, 3), start=time(12, 30), end=time(13, 30), repeat="", now=NOW, **changes):
    """A meal (or series) planned by the match's cook with no allergen the diner avoids."""
    values = {
        "dish": "Fish pie",
        "portion": "regular",
        "allergens": ["fish", "milk"],
        "allergens_checked": True,
        **changes,
    }
    return services.propose_meal(
        cook=match.cook, match=match, day=day, start_time=start, end_time=end, repeat=repeat, now=now, **values
    )
