"""Writes for matching: a cook's offer, the coordinator's decision, the introduction, and the rest of
a match's life (proposed → approved → introduced → active → paused → ended).

One cook per diner, even under races: `offer_to_cook` locks the diner's row, and a partial unique
constraint (Match.Meta) refuses a second live match if two offers slip past the lock. The loser is
told "another cook has just offered", never shown a server error.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.onboarding.eligibility import is_active_cook
from accounts.onboarding.models import CookProfile
from accounts.people.access import can_manage_area
from accounts.people.models import User
from accounts.people.notices import notify_coordinators
from casserole import audit, names, status
from casserole.errors import DomainError
from casserole.mail import absolute_url, queue_templated_email
from casserole.models import Channel
from casserole.status import Transition, TransitionTable
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match, MatchChangeRequest
from meals.matching.nearby import distance_to
from training import services as course_services


class MatchError(DomainError):
    """Refused on an offer or a match."""


class AlreadyTaken(MatchError):
    """Another cook's offer for this diner got there first."""


class IntroductionNotDue(MatchError):
    """The introduction is arranged for a later day than today: it cannot have happened yet."""


def _check_coordinator(by: User, diner: Diner) -> None:
    if diner.area is None or not can_manage_area(by, diner.area):
        raise MatchError(_("You can only look after matches in your own areas."))


def taken(diner: Diner) -> AlreadyTaken:
    return AlreadyTaken(
        _("Another cook has just offered to cook for %(name)s. Thank you: have a look at the other people near you.")
        % {"name": diner.addressed}
    )


# The cook's side -----------------------------------------------------------------------------------


def _out_of_reach(profile: CookProfile, diner: Diner) -> tuple[str | None, float | None]:
    """Whether a cook may cook for this diner, by place: ("area", None) when the diner lives outside
    the cook's area, ("distance", km) beyond the cook's travel distance, else (None, km). Checked when
    the cook offers and again when the coordinator approves (the cook may have moved in between)."""
    if diner.area_id is None or diner.area_id != profile.user.home_area_id:
        return "area", None
    km = distance_to(profile, diner)
    if km is None or km > profile.travel_km:
        return "distance", km
    return None, km


def offer_to_cook(*, cook: User, diner: Diner, message: str = "", request=None) -> Match:
    """An active cook offers to cook for an accepted, unmatched diner of their own area (the one whose
    coordinators approved them) within their travel distance. A double click returns the first offer."""
    if not is_active_cook(cook):
        raise MatchError(_("Only active cooks can offer to cook. Your checklist shows what is still to do."))
    try:
        with transaction.atomic():
            # The cook's area as stored now, not as the request's user saw it. Locking the profile
            # first serialises this offer with a move to another area (save_cook_profile locks it too).
            profile = CookProfile.objects.select_for_update(of=("self",)).select_related("user").get(user=cook)
            # The row lock serialises offers for one diner; the constraint backs it up.
            diner = Diner.objects.select_for_update().get(pk=diner.pk)
            live = Match.objects.filter(diner=diner, status__in=Match.LIVE_STATUSES, additional=False).first()
            if live is not None:
                if live.cook_id == cook.pk:
                    return live
                raise taken(diner)
            if diner.status != Diner.Status.ACTIVE:
                raise MatchError(_("%(name)s is not looking for a cook at the moment.") % {"name": diner.addressed})
            problem, km = _out_of_reach(profile, diner)
            if problem == "area":
                raise MatchError(
                    _("%(name)s lives outside your area: their own coordinators look for a cook.")
                    % {"name": diner.addressed}
                )
            if problem == "distance":
                raise MatchError(
                    _("%(name)s lives further away than you said you would travel.") % {"name": diner.addressed}
                )
            match = Match.objects.create(diner=diner, cook=cook, message=(message or "").strip(), distance_km=km)
            audit.record(action=audit.Action.MATCH_OFFERED, actor=cook, obj=match, area=diner.area, request=request)
            _tell_coordinators(match, "offered")
    except IntegrityError as error:
        raise taken(diner) from error
    return match


@transaction.atomic
def withdraw_offer(*, cook: User, match: Match, request=None) -> Match:
    """A cook takes back an offer the coordinator has not decided yet."""
    match = Match.objects.select_for_update().select_related("diner").get(pk=match.pk)
    if match.cook_id != cook.pk or match.status != Match.Status.PROPOSED:
        raise MatchError(_("This offer can no longer be withdrawn."))
    match.status, match.decided_at = Match.Status.WITHDRAWN, timezone.now()
    match.save(update_fields=["status", "decided_at", "updated_at"])
    audit.record(action=audit.Action.MATCH_WITHDRAWN, actor=cook, obj=match, area=match.diner.area, request=request)
    return match


_REQUEST_ACTIONS = {
    MatchChangeRequest.Kind.PAUSE: audit.Action.MATCH_PAUSE_REQUESTED,
    MatchChangeRequest.Kind.END: audit.Action.MATCH_END_REQUESTED,
}


def request_change(*, by: User, match: Match, kind: str, reason: str, request=None) -> MatchChangeRequest:
    """The cook, or a referrer acting for the diner, asks the coordinator to pause or end the match."""
    reason = (reason or "").strip()
    if kind not in MatchChangeRequest.Kind.values:
        raise MatchError(_("Choose whether to pause or end"))
    if not reason:
        raise MatchError(_("Tell the coordinator why"))
    is_proxy = ProxyAccess.objects.filter(diner_id=match.diner_id, referrer=by, revoked_at__isnull=True).exists()
    if match.cook_id != by.pk and not is_proxy:
        raise MatchError(_("Only the cook or someone acting for the diner can ask for this."))
    try:
        with transaction.atomic():
            match = (
                Match.objects.select_for_update(of=("self",)).select_related("diner", "diner__area").get(pk=match.pk)
            )
            allowed = (Match.Status.APPROVED, Match.Status.INTRODUCED, Match.Status.ACTIVE, Match.Status.PAUSED)
            if match.status not in allowed or (kind == "pause" and match.status == Match.Status.PAUSED):
                raise MatchError(_("This match cannot be changed now."))
            change = MatchChangeRequest.objects.create(match=match, kind=kind, requested_by=by, reason=reason)
            audit.record(action=_REQUEST_ACTIONS[kind], actor=by, obj=match, area=match.diner.area, request=request)
            _tell_coordinators(match, f"{kind}_requested")
    except IntegrityError as error:
        raise MatchError(_("There is already a request waiting for the coordinator.")) from error
    return change


# The coordinator's side ------------------------------------------------------------------------------


_CHANGED = gettext_lazy("This match has changed since you opened it. Look at it again.")


def _lock(match: Match, by: User, *, statuses=None) -> Match:
    """The match, locked, for a coordinator of its diner's area; refused unless its status is one of
    `statuses` (None: the caller checks, as casserole.status.change_status does)."""
    match = (
        Match.objects.select_for_update(of=("self",)).select_related("diner", "diner__area", "cook").get(pk=match.pk)
    )
    _check_coordinator(by, match.diner)
    if statuses is not None and match.status not in statuses:
        raise MatchError(str(_CHANGED))
    return match


@transaction.atomic
def approve_match(*, by: User, match: Match, channel: str = Channel.WEB, request=None) -> Match:
    """The coordinator approves an offer: the cook now sees the diner's details (within consent) and
    the referrer is told the cook's first name and what happens next."""
    match = _lock(match, by, statuses=(Match.Status.PROPOSED,))
    if match.cook_id == by.pk:
        raise MatchError(_("Another coordinator must decide your own offer."))
    # The offer may be days old: the cook may have moved, been suspended or let their certificate lapse.
    if not is_active_cook(match.cook):
        raise MatchError(_("This cook is not active any more (their certificate may have run out)."))
    problem, _km = _out_of_reach(CookProfile.objects.select_related("user").get(user=match.cook), match.diner)
    if problem == "area":
        raise MatchError(
            _("This cook now lives outside %(name)s’s area: they cannot be matched.") % {"name": match.diner.addressed}
        )
    if problem == "distance":
        raise MatchError(_("%(name)s lives further away than this cook travels now.") % {"name": match.diner.addressed})
    match.status, match.decided_by, match.decided_at, match.reason = Match.Status.APPROVED, by, timezone.now(), ""
    match.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    audit.record(
        action=audit.Action.MATCH_APPROVED, actor=by, obj=match, area=match.diner.area, request=request, channel=channel
    )
    _tell_cook(match, "approved")
    _tell_referrers(match, "approved")
    return match


@transaction.atomic
def decline_match(*, by: User, match: Match, reason: str, channel: str = Channel.WEB, request=None) -> Match:
    reason = (reason or "").strip()
    if not reason:
        raise MatchError(_("Enter the reason, so the cook knows why"))
    match = _lock(match, by, statuses=(Match.Status.PROPOSED,))
    match.status, match.decided_by, match.decided_at, match.reason = Match.Status.DECLINED, by, timezone.now(), reason
    match.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    audit.record(
        action=audit.Action.MATCH_DECLINED, actor=by, obj=match, area=match.diner.area, request=request, channel=channel
    )
    _tell_cook(match, "declined")
    return match


@transaction.atomic
def record_introduction(*, by: User, match: Match, method: str, when, request=None) -> Match:
    """How and when the cook will first meet the diner."""
    if method not in Match.Introduction.values:
        raise MatchError(_("Choose how the introduction will happen"))
    if when is None:
        raise MatchError(_("Enter when the introduction will happen"))
    match = _lock(match, by, statuses=(Match.Status.APPROVED, Match.Status.INTRODUCED))
    match.status, match.introduction_method, match.introduction_at = Match.Status.INTRODUCED, method, when
    match.save(update_fields=["status", "introduction_method", "introduction_at", "updated_at"])
    audit.record(
        action=audit.Action.MATCH_INTRODUCTION_ARRANGED, actor=by, obj=match, area=match.diner.area, request=request
    )
    _tell_cook(match, "introduction")
    _tell_referrers(match, "introduction")
    return match


def introduction_not_due_until(match: Match) -> date | None:
    """The day the introduction is arranged for, in the diner's area's time zone, while that day is
    still to come (else None): until then `mark_introduced` refuses. Reads `match.diner.area`."""
    if match.introduction_at is None:
        return None
    zone = ZoneInfo(match.diner.area.time_zone)
    arranged_for = timezone.localdate(match.introduction_at, timezone=zone)
    return arranged_for if timezone.localdate(timezone=zone) < arranged_for else None


@transaction.atomic
def mark_introduced(*, by: User, match: Match, request=None) -> Match:
    """The introduction happened: the match is active. (The first delivered meal will also do this.)
    Refused before the day the introduction is arranged for, in the diner's area's time zone: the match
    would then be active from before the cook and the diner met. If they met earlier, the coordinator
    moves the introduction to today first (record_introduction), so the two dates always agree."""
    match = _lock(match, by, statuses=(Match.Status.APPROVED, Match.Status.INTRODUCED))
    arranged_for = introduction_not_due_until(match)
    if arranged_for is not None:
        raise IntroductionNotDue(
            _(
                "The introduction is arranged for %(date)s, so it cannot be marked as done yet. If they "
                "have already met, change the date of the introduction to today first."
            )
            % {"date": formats.date_format(arranged_for, "DATE_FORMAT")}
        )
    match.status, match.active_since = Match.Status.ACTIVE, timezone.now()
    match.save(update_fields=["status", "active_since", "updated_at"])
    audit.record(action=audit.Action.MATCH_ACTIVE, actor=by, obj=match, area=match.diner.area, request=request)
    _tell_cook(match, "active")
    return match


LIFECYCLE = TransitionTable(
    pause=Transition(
        sources=(Match.Status.APPROVED, Match.Status.INTRODUCED, Match.Status.ACTIVE),
        target=Match.Status.PAUSED,
        audit_action=audit.Action.MATCH_PAUSED,
        refused=_CHANGED,
    ),
    resume=Transition(
        sources=(Match.Status.PAUSED,),
        target=Match.Status.ACTIVE,
        audit_action=audit.Action.MATCH_RESUMED,
        refused=_CHANGED,
    ),
    end=Transition(
        sources=Match.SHARING_STATUSES,
        target=Match.Status.ENDED,
        audit_action=audit.Action.MATCH_ENDED,
        refused=_CHANGED,
    ),
)


@transaction.atomic
def change_match(
    *, by: User, match: Match, action: str, reason: str, channel: str = Channel.WEB, request=None
) -> Match:
    """Pause, resume or end a match (LIFECYCLE), with a reason; resolves any open request to do so. Ending
    takes the diner's details away from the cook at once (their pages read the match's status each time)."""
    transition = LIFECYCLE[action]
    reason = status.clean_reason(transition, reason, error=MatchError)
    match = _lock(match, by)
    now = timezone.now()
    first_time_active = transition.target == Match.Status.ACTIVE and match.active_since is None
    match = status.change_status(
        match,
        transition=transition,
        by=by,
        reason=reason,
        error=MatchError,
        area=match.diner.area,
        reason_field="reason",
        changes={
            "active_since": now if first_time_active else match.active_since,
            "ended_at": now if transition.target == Match.Status.ENDED else match.ended_at,
        },
        channel=channel,
        request=request,
    )
    MatchChangeRequest.objects.filter(match=match, resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)
    _tell_cook(match, action)
    _tell_referrers(match, action)
    return match


@transaction.atomic
def add_second_cook(*, by: User, diner: Diner, cook: User, request=None) -> Match:
    """A coordinator adds another cook for a diner who already has one (approved at once)."""
    _check_coordinator(by, diner)
    if not is_active_cook(cook):
        raise MatchError(_("Only active cooks can be matched."))
    diner = Diner.objects.select_for_update().get(pk=diner.pk)
    if diner.status != Diner.Status.ACTIVE:
        raise MatchError(_("%(name)s is not looking for a cook at the moment.") % {"name": diner.addressed})
    if Match.objects.filter(diner=diner, cook=cook, status__in=Match.LIVE_STATUSES).exists():
        raise MatchError(_("This cook is already matched with %(name)s.") % {"name": diner.addressed})
    profile = CookProfile.objects.get(user=cook)
    now = timezone.now()
    match = Match.objects.create(
        diner=diner,
        cook=cook,
        additional=not unmatched_diner(diner),
        status=Match.Status.APPROVED,
        decided_by=by,
        decided_at=now,
        distance_km=distance_to(profile, diner),
    )
    audit.record(action=audit.Action.MATCH_ADDED_BY_COORDINATOR, actor=by, obj=match, area=diner.area, request=request)
    _tell_cook(match, "approved")
    _tell_referrers(match, "approved")
    return match


def live_match_holding(cook: User) -> str | None:
    """Why a cook may not move to another area, or None: a live match (an offer waiting for a
    coordinator, or one sharing the diner's details) belongs to the diner's area, and its coordinators
    end it first. accounts.onboarding asks this (registered in meals.apps) before a move."""
    match = (
        Match.objects.filter(cook=cook, status__in=Match.LIVE_STATUSES)
        .select_related("diner__area")
        .order_by("pk")
        .first()
    )
    if match is None:
        return None
    area = match.diner.area
    return _("You have a match in %(area)s. Ask your coordinator to end it before you move to another area.") % {
        "area": area.display_name(get_language()) if area is not None else ""
    }


def unmatched_diner(diner: Diner) -> bool:
    return not Match.objects.filter(diner=diner, status__in=Match.LIVE_STATUSES, additional=False).exists()


# Emails ------------------------------------------------------------------------------------------------


def _local_time(match: Match):
    """Times in emails in the diner's area's time zone (a Tokyo introduction at 14:30 reads 14:30)."""
    area = match.diner.area
    return timezone.override(area.time_zone if area is not None else settings.TIME_ZONE)


def _tell_cook(match: Match, kind: str) -> None:
    cook = match.cook
    with _local_time(match):
        _queue_cook_email(match, cook, kind)


def _queue_cook_email(match: Match, cook: User, kind: str) -> None:
    queue_templated_email(
        to=cook.email,
        template="meals/matching/email/match_cook",
        context={
            "name": cook.given_name or cook.full_name,
            "diner_name": match.diner.addressed,
            "kind": kind,
            "reason": match.reason,
            "introduction_method": match.get_introduction_method_display(),
            "introduction_at": match.introduction_at,
            "url": absolute_url("meals:cook_match", cook.preferred_language, pk=match.pk),
        },
        language=cook.preferred_language,
    )


def _tell_referrers(match: Match, kind: str) -> None:
    """Referrers acting for the diner (their access is the diner's consent) hear the cook's first name."""
    accesses = ProxyAccess.objects.filter(diner=match.diner, revoked_at__isnull=True).select_related("referrer")
    for access in accesses:
        referrer = access.referrer
        with _local_time(match):
            _queue_referrer_email(match, referrer, kind)


def _queue_referrer_email(match: Match, referrer: User, kind: str) -> None:
    queue_templated_email(
        to=referrer.email,
        template="meals/matching/email/match_referrer",
        context={
            "name": referrer.given_name or referrer.full_name,
            "diner_name": match.diner.addressed,
            "cook_name": names.AddressedName(match.cook.given_name) or gettext_lazy("a cook"),  # in their language
            "kind": kind,
            "introduction_at": match.introduction_at,
            "url": absolute_url("meals:proxy_diner", referrer.preferred_language, pk=match.diner_id),
        },
        language=referrer.preferred_language,
    )


def _tell_coordinators(match: Match, kind: str) -> None:
    notify_coordinators(
        area_ids=[match.diner.area_id],
        template="meals/matching/email/match_coordinator",
        url_name="meals:coordinator_match",
        url_kwargs={"pk": match.pk},
        context={"diner_name": match.diner.addressed, "cook_name": match.cook.full_name, "kind": kind},
    )


# Certificates ------------------------------------------------------------------------------------------


def send_certificate_notices(*, now=None) -> dict[str, int]:
    """The daily job: training's certificate notices, and on expiry the coordinators looking after the
    cook's matches are told (the course knows nothing of matches)."""
    return course_services.send_certificate_notices(now=now, on_expired=tell_coordinators_certificate_expired)


def tell_coordinators_certificate_expired(certificate) -> None:
    """The coordinators of the cook's area, and of every diner the cook has a live match with (a
    diner may live in a neighbouring area): they look after those matches."""
    cook = certificate.user
    matches = list(
        Match.objects.filter(cook=cook, status__in=Match.SHARING_STATUSES).select_related("diner").order_by("pk")
    )
    area_ids = {match.diner.area_id for match in matches} | {cook.home_area_id}

    def context(coordinator: User) -> dict:
        # Each is told only the names of the diners in their own areas.
        coordinated = coordinator.coordinated_area_ids
        return {
            "cook_name": cook.full_name,
            "expires_at": certificate.expires_at,
            "diner_names": [match.diner.addressed for match in matches if match.diner.area_id in coordinated],
        }

    notify_coordinators(
        area_ids=area_ids,
        template="training/email/certificate_expired_coordinator",
        url_name="training_overview",
        context=context,
    )
