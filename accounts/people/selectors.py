"""Reads for account pages, with their related rows fetched up front (templates run no queries)."""

from accounts.people.models import Area, CoordinatorMembership, User
from casserole.postcodes import postcode_prefix


def area_for_postcode(*, country: str, postcode: str) -> Area | None:
    """The area whose postcode districts (or Japanese 3-digit areas) include this postcode, or None
    when no club covers it yet. There are tens of areas, not thousands: reading them all is fine."""
    prefix = postcode_prefix(country=country, postcode=postcode)
    if prefix is None:
        return None
    for area in Area.objects.filter(country=country).exclude(postcode_prefixes=""):
        if prefix in area.postcode_prefixes.upper().split():
            return area
    return None


def coordinators_of(area_ids) -> list[User]:
    """The active coordinators of these areas (ids; None is ignored): who is told about their people."""
    memberships = CoordinatorMembership.objects.filter(area_id__in=[pk for pk in area_ids if pk is not None])
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by("pk"))
