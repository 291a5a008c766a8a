"""Writes about diners: requests for meals, triage, proxy access, assisted digital, pause and close.

Every write is audited with its channel (web, phone, in person) and tells the people concerned by
email through a background task. A diner never needs an account: a referrer with the right scope or a
coordinator does everything on their behalf.
"""

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.people.access import can_manage_area
from accounts.people.models import Area, User
from accounts.people.notices import notify_coordinators
from casserole import audit
from casserole.mail import absolute_url, queue_templated_email
from casserole.models import Channel
from meals.diners.models import Diner
from meals.diners.services import (
    ADDRESS_FIELDS,
    DINER_FIELDS,
    ReferralError,
    _apply_location,
    _check_coordinator,
    _locate,
    area_for,
    check_postcode_recognised,
    grant_proxy,
)
from meals.referrals.models import AreaWaitlistEntry, Referral, ReferralDraft


class NotInAreaError(ReferralError):
    """No club covers this postcode yet: offer the waitlist instead."""


def _check_consent(data: dict) -> None:
    if not data.get("consent_given") or not data.get("consent_method") or not data.get("consent_given_on"):
        raise ReferralError(_("The diner must agree to this request before you can send it."))


def submit_referral(*, draft: ReferralDraft, by: User | None, request=None) -> Referral:
    """Turn a finished draft into a diner and a request for the coordinators of the diner's area.
    Submitting the same draft twice (a double click) returns the first request. A draft answering
    "more information needed" updates its diner and sends the request back to the coordinators."""
    existing = Referral.objects.filter(submission_key=draft.submission_key).first()
    if existing is not None:
        return existing
    data = draft.data
    _check_consent(data)
    area = area_for(data)
    if area is None:
        raise NotInAreaError(_("We do not have a Casserole club near this postcode yet."))
    located = _locate(data)  # outside the transaction: an online geocoder may take seconds
    resubmitted = draft.referral_id is not None
    try:
        with transaction.atomic():
            if resubmitted:
                referral = _resubmit(draft=draft, by=by, area=area, located=located, request=request)
            else:
                referral = _create(draft=draft, by=by, area=area, located=located, request=request)
            ReferralDraft.objects.filter(pk=draft.pk).delete()
            _tell_coordinators(referral, area, resubmitted=resubmitted)
            if referral.referrer_id:
                _tell_referrer(referral, "received")
    except IntegrityError:
        # The same submission key won a race in another request: that one is the request.
        existing = Referral.objects.filter(submission_key=draft.submission_key).first()
        if existing is None:
            raise
        return existing
    return referral


def _diner_values(data: dict) -> dict:
    values = {name: data[name] for name in DINER_FIELDS if name in data}
    values["consent_method"] = data["consent_method"]
    given_on = data["consent_given_on"]
    values["consent_given_on"] = date.fromisoformat(given_on) if isinstance(given_on, str) else given_on
    for name in ("share_with_cook", "concerns_to_referrer", "concerns_to_emergency_contact"):
        if name in data:
            values[name] = data[name]
    return values


def _create(*, draft: ReferralDraft, by: User | None, area: Area, located, request) -> Referral:
    data = draft.data
    diner = Diner(area=area, **_diner_values(data))
    diner.consent_recorded_by = by
    _apply_location(diner, located)
    diner.save()
    referrer = by if by is not None and draft.channel == Channel.WEB and not _is_staff_for(by, area) else None
    referral = Referral.objects.create(
        diner=diner,
        referrer=referrer,
        referrer_name=(data.get("referrer_name") or "").strip(),
        referrer_phone=data.get("referrer_phone") or "",
        relationship=data.get("relationship") or Referral.Relationship.SELF,
        channel=draft.channel,
        submission_key=draft.submission_key,
        created_by=by,
    )
    audit.record(
        action=audit.Action.REFERRAL_SUBMITTED,
        actor=by,
        obj=referral,
        area=area,
        request=request,
        channel=draft.channel,
    )
    return referral


def _is_staff_for(user: User, area: Area) -> bool:
    return user.is_authenticated and (user.is_coordinator or user.is_superuser) and can_manage_area(user, area)


def _resubmit(*, draft: ReferralDraft, by: User | None, area: Area, located, request) -> Referral:
    referral = Referral.objects.select_for_update().select_related("diner").get(pk=draft.referral_id)
    if referral.status != Referral.Status.MORE_INFO or by is None or referral.referrer_id != by.pk:
        raise ReferralError(_("This request can no longer be changed."))
    diner = referral.diner
    moved = any(getattr(diner, name) != draft.data.get(name, getattr(diner, name)) for name in ADDRESS_FIELDS)
    for name, value in _diner_values(draft.data).items():
        setattr(diner, name, value)
    diner.area = area
    if moved:
        _apply_location(diner, located)
    diner.save()
    referral.status, referral.decided_by, referral.decided_at = Referral.Status.SUBMITTED, None, None
    referral.submitted_at = timezone.now()
    # The draft's key now names this request, so a double-clicked resubmission finds it.
    referral.submission_key = draft.submission_key
    referral.save(update_fields=["status", "decided_by", "decided_at", "submitted_at", "submission_key"])
    audit.record(
        action=audit.Action.REFERRAL_UPDATED, actor=by, obj=referral, area=area, request=request, channel=draft.channel
    )
    return referral


def start_draft(*, owner: User | None, session_key: str = "", channel: str = Channel.WEB, data=None) -> ReferralDraft:
    """A new request being written, with the key that makes its submission happen once."""
    return ReferralDraft.objects.create(
        owner=owner, session_key=session_key, channel=channel, data=data or {}, submission_key=uuid.uuid4()
    )


def save_draft_answers(*, draft: ReferralDraft, answers: dict) -> ReferralDraft:
    """Store one page's answers (JSON-ready values) so nothing is lost if the person stops. An address
    whose postcode nothing recognises is refused (UnrecognisedPostcodeError) and not stored."""
    if "postcode" in answers:
        check_postcode_recognised({**draft.data, **answers})
    draft.data = {**draft.data, **answers}
    draft.save(update_fields=["data", "updated_at"])
    return draft


def draft_for_more_information(*, referral: Referral, by: User) -> ReferralDraft:
    """Open the request again for the referrer to answer the coordinator's question by editing it."""
    if referral.status != Referral.Status.MORE_INFO or referral.referrer_id != by.pk:
        raise ReferralError(_("This request can no longer be changed."))
    draft = ReferralDraft.objects.filter(referral=referral, owner=by).first()
    if draft is not None:
        return draft
    diner = referral.diner
    data = {name: getattr(diner, name) for name in DINER_FIELDS}
    data.update(
        consent_given=True,
        consent_method=diner.consent_method,
        consent_given_on=diner.consent_given_on.isoformat(),
        share_with_cook=diner.share_with_cook,
        concerns_to_referrer=diner.concerns_to_referrer,
        concerns_to_emergency_contact=diner.concerns_to_emergency_contact,
        relationship=referral.relationship,
    )
    draft = start_draft(owner=by, data=data)
    draft.referral = referral
    draft.save(update_fields=["referral"])
    return draft


def join_area_waitlist(*, name: str, contact: str, country: str, postcode: str, request=None) -> AreaWaitlistEntry:
    """Someone outside every area leaves their details to hear when a club opens near them."""
    entry = AreaWaitlistEntry.objects.create(
        name=name.strip(), contact=contact.strip(), country=country, postcode=postcode
    )
    audit.record(action=audit.Action.AREA_WAITLIST_JOINED, obj=entry, request=request, actor_label="visitor")
    return entry


def _lock_open_referral(referral: Referral, by: User) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("diner", "diner__area", "referrer")
        .get(pk=referral.pk)
    )
    _check_coordinator(by, referral.diner.area)
    if referral.status != Referral.Status.SUBMITTED:
        raise ReferralError(_("This request has already been dealt with."))
    return referral


@transaction.atomic
def accept_referral(
    *, by: User, referral: Referral, scopes: dict[str, bool], channel: str = Channel.WEB, request=None
) -> Referral:
    """Accept a request: the diner becomes active (ready to be matched), and the referrer, if they
    have an account, may act for the diner within the scopes the coordinator chose."""
    referral = _lock_open_referral(referral, by)
    referral.status, referral.decided_by, referral.decided_at = Referral.Status.ACCEPTED, by, timezone.now()
    referral.message = ""
    referral.save(update_fields=["status", "decided_by", "decided_at", "message"])
    diner = referral.diner
    diner.status, diner.status_reason = Diner.Status.ACTIVE, ""
    diner.save(update_fields=["status", "status_reason", "updated_at"])
    if referral.referrer_id:
        grant_proxy(by=by, diner=diner, referrer=referral.referrer, scopes=scopes, request=request)
    audit.record(
        action=audit.Action.REFERRAL_ACCEPTED, actor=by, obj=referral, area=diner.area, request=request, channel=channel
    )
    if referral.referrer_id:
        _tell_referrer(referral, "accepted")
    return referral


@transaction.atomic
def ask_for_more_information(
    *, by: User, referral: Referral, message: str, channel: str = Channel.WEB, request=None
) -> Referral:
    """Ask the referrer a question; they answer by editing the request, which comes back to the queue."""
    message = (message or "").strip()
    if not message:
        raise ReferralError(_("Enter what you need to know"))
    referral = _lock_open_referral(referral, by)
    if not referral.referrer_id:
        raise ReferralError(_("This request was made without an account: call them instead and update the record."))
    referral.status, referral.message = Referral.Status.MORE_INFO, message
    referral.decided_by, referral.decided_at = by, timezone.now()
    referral.save(update_fields=["status", "message", "decided_by", "decided_at"])
    audit.record(
        action=audit.Action.REFERRAL_MORE_INFO,
        actor=by,
        obj=referral,
        area=referral.diner.area,
        request=request,
        channel=channel,
    )
    _tell_referrer(referral, "more_info")
    return referral


@transaction.atomic
def decline_referral(
    *, by: User, referral: Referral, reason: str, channel: str = Channel.WEB, request=None
) -> Referral:
    """Decline with a reason the referrer sees; the diner's record is closed but kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ReferralError(_("Enter the reason, so the person who asked knows why"))
    referral = _lock_open_referral(referral, by)
    referral.status, referral.message = Referral.Status.DECLINED, reason
    referral.decided_by, referral.decided_at = by, timezone.now()
    referral.save(update_fields=["status", "message", "decided_by", "decided_at"])
    diner = referral.diner
    if diner.status == Diner.Status.REFERRED:
        diner.status, diner.status_reason = Diner.Status.CLOSED, reason
        diner.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        action=audit.Action.REFERRAL_DECLINED, actor=by, obj=referral, area=diner.area, request=request, channel=channel
    )
    if referral.referrer_id:
        _tell_referrer(referral, "declined")
    return referral


def _tell_referrer(referral: Referral, kind: str) -> None:
    referrer = referral.referrer
    language = referrer.preferred_language
    queue_templated_email(
        to=referrer.email,
        template="meals/referrals/email/referral_update",
        context={
            "name": referrer.given_name or referrer.full_name,
            "diner_name": referral.diner.addressed,
            "kind": kind,
            "message": referral.message,
            "url": absolute_url("meals:referral", language, pk=referral.pk),
        },
        language=language,
    )


def _tell_coordinators(referral: Referral, area: Area, *, resubmitted: bool) -> None:
    notify_coordinators(
        area_ids=[area.pk],
        template="meals/referrals/email/referral_waiting",
        url_name="meals:coordinator_referral",
        url_kwargs={"pk": referral.pk},
        context=lambda coordinator: {
            "area_name": area.display_name(coordinator.preferred_language),
            "resubmitted": resubmitted,
        },
    )
