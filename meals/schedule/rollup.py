"""Shared meals counted ahead, for the impact figures (meals.impact) and the wait for a first shared meal
(meals.schedule.waits): a national service has millions of meals, and counting them per request took
seconds.

A shared meal is a meal whose visit record says "delivered". The visit record lives in
meals.relationships, a layer above this one, so these tables are kept here (where the waits and every
layer above can read them) but written from there: `count_shared_meal` by the visit service as each
delivered visit is recorded (a visit is recorded once and never changed, and a meal's start never moves
once it has started, which a visit needs), and `replace_shared_meals` by the rebuild
(meals.relationships.rollup.rebuild_shared_meals; `manage.py rebuild_impact_rollup`) after rows are
written in bulk (bench/impact.py) or to repair them. Meals called off are not counted here: they are
counted from the meals themselves (index meal_called_off_time), so the schedule's services write nothing
here.

Months are calendar months in UTC, the same for every area, so the table does not depend on an area's
time zone; the impact figures correct for the period's own zone from the meals near each month's
boundary (meals.impact.selectors._meals).
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.db import models, transaction
from django.db.models import F

from meals.diners.models import Diner
from meals.matching.models import Match
from meals.schedule.models import Meal


class SharedMealMonth(models.Model):
    """A match's shared meals that started in one calendar month (UTC): how many, how many with a time
    stayed, and the minutes stayed in all."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day, in UTC
    meals = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0)  # of `meals`, those with minutes stayed
    minutes = models.PositiveIntegerField(default=0)  # stayed, over the `timed` meals

    class Meta:
        constraints = [
            # (month, match): the impact figures read a range of months for many matches.
            models.UniqueConstraint(fields=["month", "match"], name="one_shared_meal_month"),
        ]

    def __str__(self) -> str:
        return f"Match {self.match_id} in {self.month:%Y-%m}: {self.meals} shared"


class FirstSharedMeal(models.Model):
    """When a diner's first shared meal (in any of their matches) started."""

    diner = models.OneToOneField(Diner, primary_key=True, on_delete=models.CASCADE, related_name="first_shared_meal")
    starts_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Diner {self.diner_id}: first shared meal {self.starts_at:%Y-%m-%d}"


def month_of(moment: datetime) -> date:
    """The month (its first day, UTC) a meal starting at `moment` is counted in."""
    return moment.astimezone(UTC).date().replace(day=1)


def count_shared_meal(*, meal: Meal, minutes: int | None) -> None:
    """Count one more shared meal: call once, in the transaction that records its delivered visit. Four
    queries: each row is made if missing and then changed in the database (an increment and a minimum,
    never a value read first), so two visits recorded at once are both counted."""
    month = month_of(meal.starts_at)
    SharedMealMonth.objects.bulk_create([SharedMealMonth(match_id=meal.match_id, month=month)], ignore_conflicts=True)
    SharedMealMonth.objects.filter(match_id=meal.match_id, month=month).update(
        meals=F("meals") + 1,
        timed=F("timed") + (0 if minutes is None else 1),
        minutes=F("minutes") + (minutes or 0),
    )
    diner_id = meal.match.diner_id
    FirstSharedMeal.objects.bulk_create(
        [FirstSharedMeal(diner_id=diner_id, starts_at=meal.starts_at)], ignore_conflicts=True
    )
    FirstSharedMeal.objects.filter(diner_id=diner_id, starts_at__gt=meal.starts_at).update(starts_at=meal.starts_at)


@transaction.atomic
def replace_shared_meals(
    months: Iterable[tuple[int, date, int, int, int]], firsts: Iterable[tuple[int, datetime]], *, batch: int = 5000
) -> tuple[int, int]:
    """Replace both tables with these rows: (match id, month, meals, timed, minutes) and (diner id, first
    shared meal's start). For the rebuild only; returns how many rows of each were written."""
    SharedMealMonth.objects.all().delete()
    FirstSharedMeal.objects.all().delete()
    made_months = SharedMealMonth.objects.bulk_create(
        (
            SharedMealMonth(match_id=match, month=month, meals=meals, timed=timed, minutes=minutes)
            for match, month, meals, timed, minutes in months
        ),
        batch_size=batch,
    )
    made_firsts = FirstSharedMeal.objects.bulk_create(
        (FirstSharedMeal(diner_id=diner, starts_at=starts_at) for diner, starts_at in firsts), batch_size=batch
    )
    return len(made_months), len(made_firsts)
