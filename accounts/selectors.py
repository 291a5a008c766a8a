"""Reads for account pages, with their related rows fetched up front (templates run no queries)."""

from django.db.models import Prefetch

from accounts.models import CoordinatorMembership, Invitation


def coordinator_home(areas) -> dict:
    """The coordinator's areas, who coordinates each, and open invitations."""
    areas = areas.prefetch_related(
        Prefetch(
            "coordinator_memberships",
            queryset=CoordinatorMembership.objects.select_related("user").order_by("user__full_name"),
        ),
        Prefetch(
            "invitations", queryset=Invitation.objects.pending().order_by("-created_at"), to_attr="open_invitations"
        ),
    )
    return {"areas": list(areas)}
