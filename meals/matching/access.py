"""Who may see which match. Views fetch matches only through these helpers: a match outside what the
person may see is a 404 exactly like a missing id."""

from django.http import Http404

from accounts.onboarding.models import CookProfile
from accounts.people.access import areas_for_coordinator
from meals.diners.access import get_proxy_for_referrer
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.matching.nearby import distance_to


def get_match_for_cook(user, pk: int):
    """The cook's own match, or 404."""
    match = Match.objects.select_related("diner", "diner__area").filter(pk=pk, cook=user).first()
    if match is None:
        raise Http404
    return match


def get_match_for_coordinator(user, pk: int):
    """A match for a diner in one of the coordinator's areas, or 404 as if it did not exist."""
    match = (
        Match.objects.select_related("diner", "diner__area", "cook", "cook__cook_profile", "decided_by")
        .filter(pk=pk, diner__area__in=areas_for_coordinator(user))
        .first()
    )
    if match is None:
        raise Http404
    return match


def get_match_for_proxy(user, diner_pk: int, pk: int):
    """A match of a diner the user acts for (any scope), or 404."""
    access = get_proxy_for_referrer(user, diner_pk)
    match = Match.objects.select_related("diner", "cook").filter(pk=pk, diner=access.diner).first()
    if match is None:
        raise Http404
    return match


def get_diner_for_offer(profile: CookProfile, pk: int) -> Diner:
    """An accepted diner of the cook's own area within their travel distance, matched or not (the offer service says
    "another cook has just offered" to a cook who lost the race), or 404. Only the fields the offer
    needs are loaded."""
    diner = (
        Diner.objects.filter(pk=pk, status=Diner.Status.ACTIVE, area_id=profile.user.home_area_id)
        .only("pk", "area", "status", "preferred_name", "form_of_address", "latitude", "longitude")
        .first()
    )
    km = distance_to(profile, diner) if diner is not None else None
    if km is None or km > profile.travel_km:
        raise Http404
    return diner
