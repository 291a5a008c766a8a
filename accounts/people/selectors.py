"""Reads for account pages, with their related rows fetched up front (templates run no queries)."""

from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from accounts.people.models import Area, CoordinatorMembership, Invitation, User
from casserole import geocoding
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


def postcode_recognised(
    *, country: str, postcode: str, address: str = "", lookup: geocoding.Lookup | None = None
) -> bool:
    """Whether we know this (well-shaped) postcode as a place, so that "no club near you yet" is true;
    when not, the form says "We don't recognise this postcode" (casserole.addresses.UNRECOGNISED_POSTCODE).

    Recognised when any of these knows it, asked in this order (the first two need no network):
    1. an area's postcode prefixes cover it (a club was set up there: someone knew it);
    2. the offline table (PostcodeCentroid) has its district or 3-digit area, whatever the GEOCODER:
       the table lists areas that exist, and a brand-new postcode (postcodes.io lags by a quarter) in a
       district it knows is given the benefit of the doubt;
    3. the geocoder places it (`lookup`, made here when the caller has none), or cannot say because a
       service timed out or failed (Lookup.unsure): a real address must still save and wait for a
       coordinator's pin while the online geocoder is down.
    So a postcode is unrecognised only when neither table knows its prefix and every geocoder asked
    answered that it knows no such place: 999-9999 with the offline geocoder, or a UK postcode in an
    unknown district that postcodes.io says does not exist. GSI looks up Japanese addresses, not
    postcodes: an address it places makes the postcode count as recognised."""
    if area_for_postcode(country=country, postcode=postcode) is not None:
        return True
    if geocoding.knows_postcode_area(country=country, postcode=postcode):
        return True
    if lookup is None:
        lookup = geocoding.look_up(country=country, postcode=postcode, address=address)
    return lookup.result is not None or lookup.unsure


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


def must_pass_second_factor(user: User) -> bool:
    """Whether signing in with a password is not enough for this person: coordinators and admins
    always, anyone else once they have turned two-factor sign-in on. Until they enter a code, they are
    not signed in as far as any page says (templates/account/messages/logged_in.txt). The one home of
    the rule: accounts.people.middleware and AccountAdapter.get_login_redirect_url ask it too."""
    return user.needs_second_factor or user_has_device(user, confirmed=True)
