"""Reads for account pages, with their related rows fetched up front (templates run no queries)."""

from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.onboarding.models import IdentityCheck
from accounts.people.models import CoordinatorMembership, Invitation
from meals.callbacks.selectors import open_callbacks_count
from meals.matching.models import Match
from meals.referrals.models import Referral


def coordinator_home(areas) -> dict:
    """The coordinator's areas, who coordinates each, open invitations, and how many identity photos,
    requests for meals and offers to cook wait for a decision and call-backs for a call in each
    (subqueries on the areas' own query: no extra query)."""
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
    areas = areas.annotate(
        identity_waiting=Coalesce(Subquery(waiting), Value(0)),
        referrals_waiting=Coalesce(Subquery(referrals_waiting), Value(0)),
        offers_waiting=Coalesce(Subquery(offers_waiting), Value(0)),
        callbacks_waiting=open_callbacks_count(),
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
        "identity_waiting": sum(area.identity_waiting for area in areas),
        "referrals_waiting": sum(area.referrals_waiting for area in areas),
        "offers_waiting": sum(area.offers_waiting for area in areas),
        "callbacks_waiting": sum(area.callbacks_waiting for area in areas),
    }
