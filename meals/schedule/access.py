"""Who may see which meal. Views fetch meals and series only through these helpers: a meal outside what
the person may see is a 404 exactly like a missing id."""

from django.db.models import Q
from django.http import Http404

from accounts.people.access import areas_for_coordinator
from meals.diners.access import get_proxy_for_referrer
from meals.schedule.models import Meal, MealSeries

# Every meal page shows when, where (the diner's area's time zone) and who: load them with the meal.
MEAL_RELATED = ("match", "match__diner", "match__diner__area", "cook", "covered_for", "series", "visit")


def _meals():
    return Meal.objects.select_related(*MEAL_RELATED)


def get_meal_for_cook(user, pk: int) -> Meal:
    """A meal the user brings, brought for them by a cover cook, or made in their match; else 404."""
    meal = _meals().filter(Q(cook=user) | Q(covered_for=user) | Q(match__cook=user), pk=pk).first()
    if meal is None:
        raise Http404
    return meal


def get_meal_for_coordinator(user, pk: int) -> Meal:
    """A meal for a diner in one of the coordinator's areas, or 404 as if it did not exist."""
    meal = _meals().filter(pk=pk, match__diner__area__in=areas_for_coordinator(user)).first()
    if meal is None:
        raise Http404
    return meal


def get_meal_for_proxy(user, diner_pk: int, meal_pk: int, scope: str | None = None) -> Meal:
    """A meal of a diner the user acts for (404 without live access, 403 without `scope`), or 404."""
    access = get_proxy_for_referrer(user, diner_pk, scope)
    meal = _meals().filter(pk=meal_pk, match__diner_id=access.diner_id).first()
    if meal is None:
        raise Http404
    return meal


def get_series_for_cook(user, pk: int) -> MealSeries:
    """A repeating meal in the cook's own match, or 404."""
    series = (
        MealSeries.objects.select_related("match", "match__diner", "match__diner__area", "match__cook")
        .filter(pk=pk, match__cook=user)
        .first()
    )
    if series is None:
        raise Http404
    return series
