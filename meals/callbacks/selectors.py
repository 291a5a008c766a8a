"""Reads for the coordinator's call-back pages, with their related rows fetched up front."""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.people.models import Area
from meals.callbacks.access import callbacks_for_coordinator
from meals.callbacks.models import CallbackRequest


def callback_queue(user) -> dict:
    """The requests waiting for a call in the user's areas, oldest first (the longest wait is called
    first), with their areas: one query whatever their number."""
    callbacks = list(
        callbacks_for_coordinator(user)
        .filter(handled_at__isnull=True)
        .select_related("area")
        .order_by("created_at", "pk")
    )
    return {"callbacks": callbacks, "waiting_count": len(callbacks)}


def open_callbacks_count():
    """How many requests wait for a call in the area of the outer query's row (for `.annotate()`
    on an Area queryset: a subquery, no extra query)."""
    waiting = (
        CallbackRequest.objects.filter(area=OuterRef("pk"), handled_at__isnull=True)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(waiting), Value(0))


def confirmation_area(pk) -> Area | None:
    """The area named on a sender's confirmation page (its id kept in their session), if it still exists."""
    if not isinstance(pk, int):
        return None
    return Area.objects.filter(pk=pk).first()
