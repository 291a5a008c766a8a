"""Writes about "please call me" requests: asking (anyone, no account needed), recording how the call
went (a coordinator of the area), and deleting requests once nobody needs them any more.

Spam resistance, all here so the rules have one home: a per-address and a per-number rate limit
(allauth's counters in the shared cache, ACCOUNT_RATE_LIMITS "callback_request*"), a honeypot field
and a minimum time between opening the form and sending it (a signed timestamp in the form). A
request that looks automated is audited and dropped, and its sender is told exactly what a person is
told, so a bot learns nothing from the answer.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.core import ratelimit
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.people.access import can_manage_area
from accounts.people.models import Area, User
from accounts.people.notices import notify_coordinators
from accounts.people.selectors import area_for_postcode, postcode_recognised
from casserole import audit
from casserole.addresses import UNRECOGNISED_POSTCODE
from casserole.errors import DomainError
from casserole.models import Channel
from meals.callbacks.models import CallbackRequest
from meals.referrals import services as referrals_services
from meals.referrals.models import Referral, ReferralDraft

logger = logging.getLogger(__name__)

_STARTED_SALT = "meals.callbacks.form-started"
# allauth's rate-limit actions (their rates are in settings.ACCOUNT_RATE_LIMITS).
RATE_PER_ADDRESS = "callback_request"
RATE_PER_PHONE = "callback_request_phone"


class CallbackError(DomainError):
    """Refused on a "please call me" request."""


class UnrecognisedPostcode(CallbackError):
    """The postcode is no place we know (accounts.people.selectors.postcode_recognised): a typing
    mistake, not "no club near you"."""


class TooManyRequests(CallbackError):
    """A rate limit was reached: the page answers 429 and keeps what was typed."""


@dataclass(frozen=True)
class CallbackDetails:
    """What the person typed, in canonical form (the phone in E.164, the postcode as casserole.postcodes
    writes it, `country` the postcode's)."""

    name: str
    phone: str
    for_whom: str
    country: str
    postcode: str
    best_time: str
    language: str
    consent: bool
    diner_name: str = ""
    diner_agrees: bool = False
    address: str = ""
    best_time_note: str = ""


@dataclass(frozen=True)
class CallbackReceived:
    """What the person is told: the area whose coordinators will phone, or None when no club covers
    the postcode (then nothing was kept)."""

    area: Area | None


# The form's signed start time ---------------------------------------------------------------------


def form_started_token(now: float | None = None) -> str:
    """The time the form was opened, signed, for the form to carry and `request_callback` to time."""
    return signing.dumps(time.time() if now is None else now, salt=_STARTED_SALT)


def _seconds_since(token: str) -> float | None:
    try:
        started = signing.loads(token, salt=_STARTED_SALT)
    except signing.BadSignature:
        return None
    if isinstance(started, bool) or not isinstance(started, int | float):
        return None
    return time.time() - started


def _looks_automated(*, honeypot: str, started: str) -> str:
    """Why the request looks sent by a program, or "" when it looks like a person's. No time limit
    the other way: a person may leave the page open for days (WCAG 2.2.1)."""
    if honeypot:
        return "honeypot"
    elapsed = _seconds_since(started)
    if elapsed is None:
        return "bad_token"
    if elapsed < settings.CALLBACK_MIN_SECONDS:
        return "too_fast"
    return ""


# Asking --------------------------------------------------------------------------------------------


def _check_details(details: CallbackDetails) -> None:
    if (
        details.for_whom not in CallbackRequest.ForWhom.values
        or details.best_time not in CallbackRequest.BestTime.values
    ):
        raise CallbackError(_("Answer every question on the page"))
    if not details.consent:
        raise CallbackError(_("Tick the box to agree that we may phone you and keep these details"))
    if details.for_whom == CallbackRequest.ForWhom.SOMEONE_ELSE and not (details.diner_name and details.diner_agrees):
        raise CallbackError(_("We can only phone about someone else’s meals if they know and agree"))


def _check_rate_limits(request, *, phone: str, help_phone: str) -> None:
    if request is None:
        return
    if not ratelimit.consume(request, action=RATE_PER_ADDRESS):
        logger.warning("call-back request refused: too many from one address")
        raise TooManyRequests(
            _(
                "Several requests have been sent from this internet connection in the last hour. Please try "
                "again in an hour, or call us on %(phone)s."
            )
            % {"phone": help_phone}
        )
    if not ratelimit.consume(request, action=RATE_PER_PHONE, key=phone):
        logger.warning("call-back request refused: too many for one phone number")
        raise TooManyRequests(
            _(
                "We have already had several requests to phone this number today, so a coordinator will call. "
                "If it is urgent, call us on %(phone)s."
            )
            % {"phone": help_phone}
        )


def request_callback(
    *, details: CallbackDetails, honeypot: str = "", started: str = "", request=None
) -> CallbackReceived:
    """Ask for a coordinator of the postcode's area to phone. Anyone may ask; no account is needed.

    Nothing is stored for a postcode outside every area, for a request that looks automated (audited,
    with the reason only) or when the number already waits for a call in that area (the coordinators
    are not told twice). Otherwise the request is stored, audited and the area's coordinators are
    emailed a link, with no personal details. Raises TooManyRequests past the rate limits (counted
    only when `request` is given: they are per address and per number)."""
    _check_details(details)
    area = area_for_postcode(country=details.country, postcode=details.postcode)
    _check_rate_limits(request, phone=details.phone, help_phone=area.help_phone if area else settings.HELP_PHONE)
    actor = getattr(request, "user", None)
    actor = actor if actor is not None and actor.is_authenticated else None
    reason = _looks_automated(honeypot=honeypot, started=started)
    if reason:
        audit.record(
            action=audit.Action.CALLBACK_IGNORED,
            actor=actor,
            area=area,
            request=request,
            actor_label="" if actor else "visitor",
            detail={"reason": reason},
        )
        logger.info("call-back request ignored as automated (%s)", reason)
        return CallbackReceived(area=area)
    if area is None:
        if not postcode_recognised(country=details.country, postcode=details.postcode, address=details.address):
            raise UnrecognisedPostcode(str(UNRECOGNISED_POSTCODE))
        return CallbackReceived(area=None)
    try:
        with transaction.atomic():
            callback = CallbackRequest.objects.create(
                area=area,
                name=details.name,
                phone=details.phone,
                for_whom=details.for_whom,
                diner_name=details.diner_name if details.for_whom == CallbackRequest.ForWhom.SOMEONE_ELSE else "",
                country=details.country,
                postcode=details.postcode,
                address=details.address,
                best_time=details.best_time,
                best_time_note=details.best_time_note,
                language=details.language,
            )
            audit.record(
                action=audit.Action.CALLBACK_REQUESTED,
                actor=actor,
                obj=callback,
                area=area,
                request=request,
                actor_label="" if actor else "visitor",
            )
            _tell_coordinators(callback)
    except IntegrityError:
        # This number already waits for a call in this area (callback_one_open_per_phone): one call is enough.
        if not CallbackRequest.objects.filter(area=area, phone=details.phone, handled_at__isnull=True).exists():
            raise
    return CallbackReceived(area=area)


def _tell_coordinators(callback: CallbackRequest) -> None:
    area = callback.area
    notify_coordinators(
        area_ids=[area.pk],
        template="meals/callbacks/email/callback_waiting",
        url_name="coordinator:callback",
        url_kwargs={"pk": callback.pk},
        context=lambda coordinator: {
            "area_name": area.display_name(coordinator.preferred_language),
            "days": settings.CALLBACK_WORKING_DAYS,
        },
    )


# The call ------------------------------------------------------------------------------------------


def record_callback_outcome(
    *, by: User, callback: CallbackRequest, outcome: str, note: str = "", request=None
) -> ReferralDraft | None:
    """A coordinator of the area records how the call went (audited, without the note). When the
    person would like meals, a request taken by phone is started with what they told us, and
    returned for the coordinator to carry on with; otherwise None."""
    if outcome not in CallbackRequest.Outcome.values:
        raise CallbackError(_("Select what happened"))
    with transaction.atomic():
        callback = CallbackRequest.objects.select_for_update(of=("self",)).select_related("area").get(pk=callback.pk)
        if not can_manage_area(by, callback.area):
            raise CallbackError(_("You can only deal with call-backs in your own areas."))
        if not callback.is_open:
            raise CallbackError(_("This call-back has already been dealt with."))
        callback.outcome, callback.note = outcome, note
        callback.handled_by, callback.handled_at = by, timezone.now()
        callback.save(update_fields=["outcome", "note", "handled_by", "handled_at"])
        audit.record(
            action=audit.Action.CALLBACK_HANDLED,
            actor=by,
            obj=callback,
            area=callback.area,
            request=request,
            channel=Channel.PHONE,
            detail={"outcome": outcome},
        )
        if outcome != CallbackRequest.Outcome.REFERRAL:
            return None
        return referrals_services.start_draft(owner=by, channel=Channel.PHONE, data=referral_answers(callback))


def referral_answers(callback: CallbackRequest) -> dict:
    """The answers of a request for meals that a call-back already gives, keyed as a draft keeps them
    (meals.referrals.forms): the rest is asked on the phone."""
    answers = {"country": callback.country, "postcode": callback.postcode, "preferred_language": callback.language}
    if callback.for_someone_else:
        answers.update(full_name=callback.diner_name, referrer_name=callback.name, referrer_phone=callback.phone)
    else:
        answers.update(relationship=Referral.Relationship.SELF, full_name=callback.name, phone=callback.phone)
    return answers


# Forgetting ----------------------------------------------------------------------------------------


def deletion_date(callback: CallbackRequest) -> datetime | None:
    """When `purge_callbacks` deletes this request: CALLBACK_RETENTION_DAYS after its call was dealt
    with (None while it waits for a call)."""
    if callback.handled_at is None:
        return None
    return callback.handled_at + timedelta(days=settings.CALLBACK_RETENTION_DAYS)


def purge_callbacks(*, now: datetime | None = None) -> int:
    """The daily sweep: delete every request whose call was dealt with more than
    CALLBACK_RETENTION_DAYS ago (each deletion audited, naming no one). A request still waiting for a
    call is kept. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CALLBACK_RETENTION_DAYS)
    with transaction.atomic():
        old = list(
            CallbackRequest.objects.select_for_update(of=("self",)).select_related("area").filter(handled_at__lt=cutoff)
        )
        for callback in old:
            audit.record(action=audit.Action.CALLBACK_PURGED, obj=callback, area=callback.area, actor_label="system")
        CallbackRequest.objects.filter(pk__in=[callback.pk for callback in old]).delete()
    return len(old)
