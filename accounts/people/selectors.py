"""Reads for account pages, with their related rows fetched up front (templates run no queries)."""

from django_otp.plugins.otp_static.models import StaticToken

from accounts.people.models import Area, CoordinatorMembership, Invitation, User
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


def backup_codes_left(user: User) -> int:
    """How many unused backup codes the person has (a used code is deleted)."""
    return StaticToken.objects.filter(device__user=user).count()


def existing_account_for(invitation: Invitation) -> User | None:
    """The account that already has the invited email address, if any: that person accepts by
    signing in rather than by making a second account."""
    return User.objects.filter(email__iexact=invitation.email).first()
