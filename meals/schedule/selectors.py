"""Reads for meals: a cook's meals, a diner's schedule, a coordinator's week, cover candidates.

Each list is a fixed number of queries whatever the number of meals (pinned in tests); a meal only
counts as going ahead while its match is active, so pausing or ending a match stops its meals on the
next page load, before the daily job tidies them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.onboarding.eligibility import active_cooks
from accounts.people.access import areas_for_coordinator
from accounts.people.models import User
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.matching.nearby import distance_to
from meals.matching.selectors import distance_label
from meals.schedule.models import Meal

MEAL_RELATED = ("match", "match__diner", "match__diner__area", "cook", "covered_for", "series")
PAST_SHOWN = 20


def live_meals() -> QuerySet:
    """Meals that may still happen: proposed or confirmed, in an active match."""
    return Meal.objects.filter(status__in=Meal.HAPPENING, match__status=Match.Status.ACTIVE)


def cook_meals(cook: User, *, now: datetime | None = None) -> dict:
    """The cook's meals to come (everything still planned, with cancelled ones of the next weeks so
    they can see what changed) and the most recent past ones: two queries."""
    now = now or timezone.now()
    # With each meal's visit record (meals.relationships), for "Record this visit": no query per meal.
    mine = Meal.objects.filter(Q(cook=cook) | Q(covered_for=cook)).select_related(*MEAL_RELATED, "visit")
    upcoming = list(
        mine.filter(ends_at__gt=now, match__status__in=(Match.Status.ACTIVE, Match.Status.PAUSED)).order_by(
            "starts_at", "pk"
        )
    )
    past = list(mine.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:PAST_SHOWN])
    return {"upcoming": upcoming, "past": past}


def diner_schedule(diner: Diner, *, weeks: int = 4, now: datetime | None = None) -> list[Meal]:
    """The diner's meals in the next `weeks` weeks (all their cooks), including called-off ones so the
    page can say so: one query."""
    now = now or timezone.now()
    return list(
        Meal.objects.filter(
            match__diner=diner,
            match__status=Match.Status.ACTIVE,
            ends_at__gt=now,
            starts_at__lt=now + timedelta(weeks=weeks),
        )
        .select_related(*MEAL_RELATED)
        .order_by("starts_at", "pk")
    )


def unconfirmed_soon(meals: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """Proposed meals starting within MEAL_CONFIRM_HOURS: a coordinator phones the diner."""
    now = now or timezone.now()
    return meals.filter(
        status=Meal.Status.PROPOSED,
        match__status=Match.Status.ACTIVE,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=settings.MEAL_CONFIRM_HOURS),
    )


def meals_for_coordinator(user: User) -> QuerySet:
    return Meal.objects.filter(match__diner__area__in=areas_for_coordinator(user))


@dataclass(frozen=True)
class CoverCandidate:
    cook: User
    distance_km: float
    distance: str
    neighbourhood: str
    already_cooks: bool  # matched with this diner already (a second cook): they know the door


def cover_candidates(meal: Meal) -> list[CoverCandidate]:
    """Active, certified cooks of the diner's area who would travel as far as the diner, other than the
    meal's cook, nearest first (the diner's own second cook first): the nearby rules of matching,
    measured to the diner's cell."""
    diner = meal.match.diner
    if diner.area_id is None or diner.needs_placing:
        return []
    cooks = (
        active_cooks(
            User.objects.filter(
                home_area_id=diner.area_id,
                cook_profile__latitude__isnull=False,
                cook_profile__longitude__isnull=False,
            )
        )
        .exclude(pk=meal.cook_id)
        .select_related("cook_profile")
    )
    matched = set(
        Match.objects.filter(diner=diner, status__in=Match.SHARING_STATUSES).values_list("cook_id", flat=True)
    )
    unit = diner.area.distance_unit
    found = []
    for cook in cooks:
        profile = cook.cook_profile
        km = distance_to(profile, diner)
        if km is not None and km <= profile.travel_km:
            found.append(CoverCandidate(cook, km, distance_label(km, unit), profile.neighbourhood, cook.pk in matched))
    found.sort(key=lambda c: (not c.already_cooks, c.distance_km, c.cook.full_name, c.cook.pk))
    return found


def recent_cancellations(cook_ids, *, now: datetime | None = None) -> dict[int, int]:
    """How many meals each cook called off ("the cook can't come") in the last MEAL_CANCELLATIONS_DAYS
    days, whoever covered them: one query."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.MEAL_CANCELLATIONS_DAYS)
    rows = (
        Meal.objects.filter(cancelled_at__gte=since, cancel_reason=Meal.CancelReason.COOK_CANNOT)
        .annotate(who=Coalesce(F("covered_for_id"), F("cook_id")))
        .filter(who__in=list(cook_ids))
        .values("who")
        .annotate(n=Count("pk"))
    )
    return {row["who"]: row["n"] for row in rows}
