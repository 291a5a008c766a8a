"""Reads for the referrer's pages: their own requests and the diners they act for, in a fixed number of
queries whatever the number of rows (tests/meals/proxy/test_proxy.py counts them)."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.people.models import User
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.referrals.models import Referral
from meals.schedule.waits import median_waits


class Stage:
    """Where a request is, as its referrer's list says it: the request itself until a coordinator accepts
    it, then the diner's (paused, closed) and their match's (looking for a cook, introduction, meals)."""

    RECEIVED = "received"
    MORE_INFO = "more_info"
    DECLINED = "declined"
    LOOKING = "looking"
    INTRODUCING = "introducing"
    STARTED = "started"
    PAUSED = "paused"
    CLOSED = "closed"

    labels = {
        # Before a coordinator accepts it, the request's own status says it.
        RECEIVED: Referral.Status.SUBMITTED.label,
        MORE_INFO: Referral.Status.MORE_INFO.label,
        DECLINED: Referral.Status.DECLINED.label,
        LOOKING: _("Accepted: looking for a cook"),
        INTRODUCING: _("Cook found: introduction being arranged"),
        STARTED: _("Meals started"),
        PAUSED: _("Paused"),
        CLOSED: _("Closed"),
    }
    # Still waiting for a first meal: the list says how long diners of the area have recently waited.
    WAITING = (RECEIVED, MORE_INFO, LOOKING, INTRODUCING)


def request_stage(referral: Referral, match_status: str | None) -> str:
    """The stage of a request, from its status, its diner's status and the status of the diner's live
    match (not a second cook's), `match_status` (None: no live match)."""
    if referral.status == Referral.Status.SUBMITTED:
        return Stage.RECEIVED
    if referral.status == Referral.Status.MORE_INFO:
        return Stage.MORE_INFO
    if referral.status == Referral.Status.DECLINED:
        return Stage.DECLINED
    if referral.diner.status == Diner.Status.CLOSED:
        return Stage.CLOSED
    if referral.diner.status == Diner.Status.PAUSED or match_status == Match.Status.PAUSED:
        return Stage.PAUSED
    if match_status in (Match.Status.APPROVED, Match.Status.INTRODUCED):
        return Stage.INTRODUCING
    if match_status == Match.Status.ACTIVE:
        return Stage.STARTED
    return Stage.LOOKING  # no live match yet, or a cook's offer the coordinator has not approved


def my_diners(user: User) -> dict:
    """The person's own requests, each with its stage and, while it waits for a first meal, how long diners
    of its area have recently waited (meals.schedule.waits: one query for all the areas), and their live
    accesses to diners (never a closed diner's)."""
    live_match = Match.objects.filter(diner=OuterRef("diner"), status__in=Match.LIVE_STATUSES, additional=False)
    referrals = list(
        Referral.objects.filter(referrer=user)
        .select_related("diner", "diner__area")
        .annotate(match_status=Subquery(live_match.values("status")[:1]))
    )
    for referral in referrals:
        referral.stage = request_stage(referral, referral.match_status)
        referral.stage_label = Stage.labels[referral.stage]
    waiting_areas = {r.diner.area_id for r in referrals if r.stage in Stage.WAITING and r.diner.area_id}
    waits = median_waits(waiting_areas) if waiting_areas else {}
    for referral in referrals:
        # (median days or None below the small-number rule, diners counted), or None: nothing to say.
        referral.area_wait = waits.get(referral.diner.area_id) if referral.stage in Stage.WAITING else None
    accesses = list(
        ProxyAccess.objects.filter(referrer=user, revoked_at__isnull=True)
        .exclude(diner__status=Diner.Status.CLOSED)
        .select_related("diner")
        .order_by("diner__preferred_name", "pk")
    )
    return {"referrals": referrals, "accesses": accesses}


def cooks_for_diner(diner: Diner) -> list[Match]:
    """The diner's matches that share details, with their cook: the diner's page names each cook (by first
    name only) and offers to ask for a pause or an end."""
    return list(Match.objects.filter(diner=diner, status__in=Match.SHARING_STATUSES).select_related("cook"))
