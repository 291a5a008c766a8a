"""Rebuilding the counts of shared meals (meals.schedule.rollup) from the visit records: after rows are
written in bulk without the visit service (bench/impact.py), or to repair them. `manage.py
rebuild_impact_rollup` runs it; the visit service keeps the counts up to date one visit at a time."""

from datetime import UTC

from django.db.models import Count, DateField, Min, Sum
from django.db.models.functions import TruncMonth

from meals.relationships.models import Visit
from meals.schedule import rollup


def delivered_visits():
    """The visits that make a meal a shared meal."""
    return Visit.objects.filter(outcome=Visit.Outcome.DELIVERED)


def shared_meal_months():
    """(match id, month, meals, timed, minutes) of every match and month with a shared meal, computed from
    the visit records: what SharedMealMonth holds when it is up to date."""
    month = TruncMonth("meal__starts_at", tzinfo=UTC, output_field=DateField())
    return (
        delivered_visits()
        .order_by()
        .values_list("meal__match", month)
        .annotate(meals=Count("pk"), timed=Count("minutes_stayed"), minutes=Sum("minutes_stayed", default=0))
    )


def first_shared_meals():
    """(diner id, start of their first shared meal) of every diner with a shared meal."""
    return (
        delivered_visits()
        .order_by()
        .values_list("meal__match__diner")
        .annotate(first=Min("meal__starts_at"))
        .values_list("meal__match__diner", "first")
    )


def rebuild_shared_meals() -> tuple[int, int]:
    """Replace the counts of shared meals with ones computed from every delivered visit, in one
    transaction (run it while no visit is being recorded: one recorded meanwhile may not be counted).
    Returns how many months and first meals were written."""
    return rollup.replace_shared_meals(shared_meal_months().iterator(), first_shared_meals().iterator())
