"""Reads for account pages, with their related rows fetched up front (templates run no queries)."""

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.onboarding.models import IdentityCheck
from accounts.people.models import CoordinatorMembership, Invitation
from meals.callbacks.selectors import open_callbacks_count
from meals.matching.models import Match
from meals.referrals.models import Referral
from meals.relationships.concerns import open_concern_counts
from meals.relationships.door import open_door_cases
from meals.relationships.feedback import different_cook_requests, feedback_due_by_phone
from meals.relationships.loneliness import loneliness_due, loneliness_due_count
from meals.relationships.visits import OVERDUE_SHOWN, overdue_visit_counts, overdue_visits
from meals.schedule.models import Meal
from meals.schedule.selectors import unconfirmed_soon


def coordinator_home(areas) -> dict:
    """The coordinator's areas, who coordinates each, open invitations, and how many identity photos,
    requests for meals and offers to cook wait for a decision, call-backs for a call, and meals for a
    phone call or a cover cook in each (subqueries on the areas' own query: no extra query)."""
    waiting = (
        IdentityCheck.objects.filter(
            cook__home_area=OuterRef("pk"),
            cook__is_cook=True,
            method=IdentityCheck.Method.PHOTO,
            status=IdentityCheck.Status.PENDING,
        )
        .order_by()
        .values("cook__home_area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    referrals_waiting = (
        Referral.objects.filter(diner__area=OuterRef("pk"), status=Referral.Status.SUBMITTED)
        .order_by()
        .values("diner__area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    offers_waiting = (
        Match.objects.filter(diner__area=OuterRef("pk"), status=Match.Status.PROPOSED)
        .order_by()
        .values("diner__area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    now = timezone.now()
    area_meals = Meal.objects.filter(match__diner__area=OuterRef("pk"))
    meals_unconfirmed = (
        unconfirmed_soon(area_meals, now=now)
        .order_by()
        .values("match__diner__area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Meal.needs_cover, in SQL, for meals still to come in an active match (tested to agree).
    meals_uncovered = (
        area_meals.filter(
            status=Meal.Status.CANCELLED,
            cancel_reason=Meal.CancelReason.COOK_CANNOT,
            starts_at__gt=now,
            match__status=Match.Status.ACTIVE,
        )
        .order_by()
        .values("match__diner__area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    areas = areas.annotate(
        identity_waiting=Coalesce(Subquery(waiting), Value(0)),
        meals_unconfirmed=Coalesce(Subquery(meals_unconfirmed), Value(0)),
        meals_uncovered=Coalesce(Subquery(meals_uncovered), Value(0)),
        referrals_waiting=Coalesce(Subquery(referrals_waiting), Value(0)),
        offers_waiting=Coalesce(Subquery(offers_waiting), Value(0)),
        callbacks_waiting=open_callbacks_count(),
        **overdue_visit_counts(now=now),  # visits not recorded VISIT_RECORD_HOURS after the meal
        **open_concern_counts(),  # concerns open and urgent in each area
        loneliness_due=loneliness_due_count(),
    ).prefetch_related(
        Prefetch(
            "coordinator_memberships",
            queryset=CoordinatorMembership.objects.select_related("user").order_by("user__full_name"),
        ),
        Prefetch(
            "invitations", queryset=Invitation.objects.pending().order_by("-created_at"), to_attr="open_invitations"
        ),
    )
    areas = list(areas)
    return {
        "areas": areas,
        # No answer at a diner's door: every open case, first on the page (one query).
        "door_cases": open_door_cases(areas),
        "visits_overdue": sum(area.visits_overdue for area in areas),
        "visits_overdue_list": overdue_visits(areas, now=now),  # the oldest OVERDUE_SHOWN: one query
        "visits_overdue_shown": OVERDUE_SHOWN,
        "visit_record_hours": settings.VISIT_RECORD_HOURS,
        "identity_waiting": sum(area.identity_waiting for area in areas),
        "referrals_waiting": sum(area.referrals_waiting for area in areas),
        "offers_waiting": sum(area.offers_waiting for area in areas),
        "callbacks_waiting": sum(area.callbacks_waiting for area in areas),
        "concerns_open": sum(area.concerns_open for area in areas),
        "concerns_urgent": sum(area.concerns_urgent for area in areas),
        "loneliness_due": sum(area.loneliness_due for area in areas),
        # The diners due (the first OVERDUE_SHOWN, oldest records first), each linking to their questions: one query.
        "loneliness_due_list": list(
            loneliness_due(areas).select_related("area").order_by("created_at", "pk")[:OVERDUE_SHOWN]
        ),
        # Feedback: diners asking for a different cook, and those due whom nobody can ask online (a query each).
        "different_cook": different_cook_requests(areas),
        "feedback_due_by_phone": feedback_due_by_phone(areas, now=now),
        "meals_unconfirmed": sum(area.meals_unconfirmed for area in areas),
        "meals_uncovered": sum(area.meals_uncovered for area in areas),
        "meals_confirm_hours": settings.MEAL_CONFIRM_HOURS,
    }
