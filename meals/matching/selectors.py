"""Reads for the matching pages: the coordinator's offers queue, a match's page and the cooks who could
be added for a diner; the cook's profile, matches and open requests.

Each page is built in a fixed number of queries whatever the number of rows
(tests/meals/matching/test_coordinator_matching.py counts them). Every read is scoped to the coordinator's
areas (the diner's area decides whose match it is), so another area's matches never appear.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When

from accounts.onboarding.eligibility import active_cooks, is_active_cook
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.access import areas_for_coordinator
from accounts.people.models import User
from casserole import audit
from casserole.addresses import address_lines as postal_address_lines
from casserole.distances import format_distance
from casserole.geocoding import round_distance
from casserole.phones import phone_for_display
from meals.diners.models import Diner
from meals.diners.selectors import postcode_district
from meals.matching.models import Match, MatchChangeRequest
from meals.matching.nearby import distance_to
from meals.matching.services import LIFECYCLE, introduction_not_due_until
from training.models import Certificate
from training.selectors import certificate_state as course_certificate_state
from training.selectors import latest_certificate

QUEUE_LIMIT = 100  # per list; the counts above each list are exact
MATCHES_SHOWN = 100  # a cook's matches page: every live one and the most recent past ones
HISTORY_ENTRIES = 50
IDENTITY_CHECKS = 10


def matches_for_coordinator(user):
    """Matches of diners in the user's areas: the only matches a coordinator may know exist."""
    return Match.objects.filter(diner__area__in=areas_for_coordinator(user))


def distance_label(km: float | None, unit: str) -> str:
    """A distance as the area writes it, rounded as a cook sees it: "0.5 km", "1 mile", "0.75 miles"."""
    return "" if km is None else format_distance(round_distance(km, unit), unit)


def certificate_state(certificate: Certificate | None, now=None) -> str:
    """ "none", "expired", "expiring" or "valid" (training.selectors.certificate_state)."""
    return course_certificate_state(certificate.expires_at if certificate else None, now)


def allowed_changes(match: Match) -> list[str]:
    """The lifecycle changes (pause, resume, end) meals.matching.services would accept from this status."""
    return LIFECYCLE.allowed_from(match.status)


def shared_details(diner: Diner) -> dict:
    """Only what the diner agreed a matched cook may see; never the surname or the emergency contact."""
    shared = set(diner.share_with_cook or [])
    details = {}
    if Diner.Share.ADDRESS in shared:
        details["address"] = address_lines(diner)
    if Diner.Share.PHONE in shared and diner.phone:
        details["phone"], details["phone_display"] = diner.phone, phone_for_display(diner.phone)
    if Diner.Share.ACCESS in shared and diner.access_notes:
        details["access_notes"] = diner.access_notes
    if Diner.Share.LIKES in shared:
        details["likes"], details["dislikes"] = diner.likes, diner.dislikes
        details["shares_likes"] = True
    return details


def address_lines(diner: Diner) -> list[str]:
    """The address as it is written where the diner lives, for the cook to find the door
    (casserole.addresses.address_lines: the one home of the order)."""
    return postal_address_lines(diner)


# The offers queue ---------------------------------------------------------------------------------------


def _with_distance(matches) -> list[Match]:
    matches = list(matches)
    for match in matches:
        match.distance_label = distance_label(match.distance_km, match.diner.area.distance_unit)
    return matches


def offers_queue(user) -> dict:
    """What waits for a coordinator of the user's areas, oldest first: offers to decide, requests to
    pause or end, approved matches whose introduction is not arranged, and arranged introductions
    not yet marked done. Each list is capped at QUEUE_LIMIT; the counts are exact."""
    matches = matches_for_coordinator(user).select_related("diner", "diner__area", "cook")
    offers = _with_distance(matches.filter(status=Match.Status.PROPOSED).order_by("offered_at", "pk")[:QUEUE_LIMIT])
    to_introduce = _with_distance(
        matches.filter(status=Match.Status.APPROVED).order_by("decided_at", "pk")[:QUEUE_LIMIT]
    )
    introductions = _with_distance(
        matches.filter(status=Match.Status.INTRODUCED).order_by("introduction_at", "pk")[:QUEUE_LIMIT]
    )
    changes = list(
        MatchChangeRequest.objects.filter(resolved_at__isnull=True, match__diner__area__in=areas_for_coordinator(user))
        .select_related("match", "match__diner", "match__diner__area", "match__cook", "requested_by")
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )
    for change in changes:
        change.requested_by_cook = change.requested_by_id == change.match.cook_id
    counts = matches_for_coordinator(user).aggregate(
        offers=Count("pk", filter=Q(status=Match.Status.PROPOSED), distinct=True),
        to_introduce=Count("pk", filter=Q(status=Match.Status.APPROVED), distinct=True),
        introductions=Count("pk", filter=Q(status=Match.Status.INTRODUCED), distinct=True),
        changes=Count("change_requests", filter=Q(change_requests__resolved_at__isnull=True), distinct=True),
    )
    return {
        "offers": offers,
        "changes": changes,
        "to_introduce": to_introduce,
        "introductions": introductions,
        "counts": counts,
        "limit": QUEUE_LIMIT,
    }


# A match's page -------------------------------------------------------------------------------------------


def match_page(match: Match, user: User) -> dict:
    """Everything a coordinator sees about one match (already fetched through the access helper): the
    diner in brief, the cook's standing (identity, certificate, other live matches, active or not), any
    open request to pause or end, and the match's history."""
    cook = match.cook
    checks = list(
        IdentityCheck.objects.filter(cook=cook)
        .select_related("decided_by")
        .order_by("-created_at", "-pk")[:IDENTITY_CHECKS]
    )
    # The approved check is the one that counts; without one, the latest attempt says where they are.
    identity = next((check for check in checks if check.status == IdentityCheck.Status.APPROVED), None)
    identity = identity or (checks[0] if checks else None)
    certificate = latest_certificate(cook)
    others = list(
        Match.objects.filter(cook=cook, status__in=Match.LIVE_STATUSES)
        .exclude(pk=match.pk)
        .select_related("diner")
        .order_by("offered_at", "pk")
    )
    # Names only of diners this coordinator may know about; the others are counted.
    own_areas = None if user.is_superuser else user.coordinated_area_ids
    others_here = [other for other in others if own_areas is None or other.diner.area_id in own_areas]
    change_request = open_change_request(match)
    history = list(audit.entries_for_object(match).order_by("-created_at", "-pk")[:HISTORY_ENTRIES])
    for entry in history:
        entry.label = audit.label(entry.action)
    diner = match.diner
    return {
        "match": match,
        "diner": diner,
        "cook": cook,
        "area": diner.area,
        "district": postcode_district(diner.country, diner.postcode),
        "distance": distance_label(match.distance_km, diner.area.distance_unit),
        "identity": identity,
        "certificate": certificate,
        "certificate_state": certificate_state(certificate),
        "cook_is_active": is_active_cook(cook),
        "cook_in_my_areas": own_areas is None or cook.home_area_id in own_areas,
        "other_matches": others_here,
        "other_matches_count": len(others),
        "other_matches_elsewhere": len(others) - len(others_here),
        "change_request": change_request,
        "change_request_by_cook": change_request is not None and change_request.requested_by_id == cook.pk,
        "allowed_changes": allowed_changes(match),
        "introduction_not_due_until": introduction_not_due_until(match),
        "history": history,
    }


def open_change_request(match: Match) -> MatchChangeRequest | None:
    """The request to pause or end this match that waits for a coordinator (at most one), with who asked."""
    requests = MatchChangeRequest.objects.filter(match=match, resolved_at__isnull=True)
    return requests.select_related("requested_by").first()


def has_open_change_request(match: Match) -> bool:
    return MatchChangeRequest.objects.filter(match=match, resolved_at__isnull=True).exists()


# Adding a second cook -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    cook: User
    distance_km: float
    distance: str  # rounded, in the area's unit
    neighbourhood: str


def second_cook_candidates(diner: Diner) -> list[Candidate]:
    """Active cooks living in the diner's area who would travel as far as the diner and are not already
    matched with them, nearest first: one query. "Active" is accounts.onboarding.eligibility.active_cooks;
    the distance is measured here on the area's cooks (hundreds at most), as meals.matching.nearby
    does for diners."""
    if diner.area is None or diner.needs_placing:
        return []
    cooks = (
        active_cooks(
            User.objects.filter(
                home_area=diner.area, cook_profile__latitude__isnull=False, cook_profile__longitude__isnull=False
            )
        )
        .exclude(pk__in=Match.objects.filter(diner=diner, status__in=Match.LIVE_STATUSES).values("cook"))
        .select_related("cook_profile")
    )
    unit = diner.area.distance_unit
    found = []
    for cook in cooks:
        profile = cook.cook_profile
        km = distance_to(profile, diner)  # to the diner's cell, as the offer and its approval measure
        if km <= profile.travel_km:
            found.append(Candidate(cook, km, distance_label(km, unit), profile.neighbourhood))
    found.sort(key=lambda candidate: (candidate.distance_km, candidate.cook.full_name, candidate.cook.pk))
    return found


def current_cooks(diner: Diner) -> list[Match]:
    """The diner's live matches (their cook, and any second cook), oldest first."""
    return list(
        Match.objects.filter(diner=diner, status__in=Match.LIVE_STATUSES).select_related("cook").order_by("offered_at")
    )


# The cook's pages -----------------------------------------------------------------------------------------


def profile_for_matching(cook: User) -> CookProfile:
    """The profile of a cook who has passed the activation gate (which guarantees there is one), with
    the cook (their area bounds the search) in the same query."""
    return CookProfile.objects.select_related("user").get(user=cook)


def live_match_with(cook: User, diner_pk: int) -> Match | None:
    """The cook's live match with this diner, if they have already offered."""
    return Match.objects.filter(cook=cook, diner_id=diner_pk, status__in=Match.LIVE_STATUSES).first()


def cook_matches(cook: User) -> dict:
    """The cook's live matches and their most recent past ones (MATCHES_SHOWN in all), live first: one
    query. The list shows names only, so nothing private about a diner is even loaded."""
    live_first = Case(
        When(status__in=Match.LIVE_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    matches = list(
        Match.objects.filter(cook=cook)
        .select_related("diner")
        .only(
            "status",
            "offered_at",
            "introduction_at",
            "ended_at",
            "diner",
            "diner__preferred_name",
            "diner__form_of_address",
        )
        .order_by(live_first, "-offered_at", "-pk")[:MATCHES_SHOWN]
    )
    return {"live": [m for m in matches if m.is_live], "past": [m for m in matches if not m.is_live]}
