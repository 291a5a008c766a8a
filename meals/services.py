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

from accounts.models import Area, User
from accounts.selectors import area_for_postcode, coordinators_of
from accounts.services import can_manage_area
from casserole import audit, geocoding
from casserole.mail import absolute_url, queue_templated_email
from casserole.models import Channel
from meals.models import AreaWaitlistEntry, Diner, ProxyAccess, Referral, ReferralDraft


class ReferralError(Exception):
    """A refusal the person can act on; the message is shown to them."""


class NotInAreaError(ReferralError):
    """No club covers this postcode yet: offer the waitlist instead."""


# The diner's fields a request, a coordinator or a proxy with the "edit details" scope may set. Status,
# area, location and consent bookkeeping are never among them (they change only through services).
DINER_FIELDS = (
    "full_name",
    "name_reading",
    "preferred_name",
    "preferred_language",
    "country",
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "phone",
    "access_notes",
    "dietary_needs",
    "allergens",
    "allergy_notes",
    "texture",
    "likes",
    "dislikes",
    "frequency",
    "days",
    "emergency_name",
    "emergency_phone",
    "emergency_relationship",
)
CONSENT_FIELDS = (
    "consent_method",
    "consent_given_on",
    "share_with_cook",
    "concerns_to_referrer",
    "concerns_to_emergency_contact",
)
ADDRESS_FIELDS = ("country", "address_line1", "address_line2", "town", "postcode")
SCOPES = ("can_view_schedule", "can_confirm_meals", "can_give_feedback", "can_edit_details")


def _address_for_geocoder(values: dict) -> str:
    parts = [values.get(name, "") for name in ("town", "address_line1", "address_line2")]
    if values.get("country") == Area.Country.JP:
        return "".join(part for part in parts if part)
    return ", ".join(part for part in (parts[1], parts[2], parts[0]) if part)


def _locate(values: dict):
    return geocoding.geocode(
        country=values["country"], postcode=values["postcode"], address=_address_for_geocoder(values)
    )


def _apply_location(diner: Diner, located) -> None:
    if located is None:
        diner.latitude = diner.longitude = None
        diner.neighbourhood, diner.location_source = "", ""
    else:
        diner.latitude, diner.longitude = located.latitude, located.longitude
        diner.neighbourhood, diner.location_source = located.neighbourhood[:100], located.source


def area_for(values: dict) -> Area | None:
    return area_for_postcode(country=values["country"], postcode=values["postcode"])


# Requests --------------------------------------------------------------------------------------------


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
    audit.record(action="referral_submitted", actor=by, obj=referral, area=area, request=request, channel=draft.channel)
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
    audit.record(action="referral_updated", actor=by, obj=referral, area=area, request=request, channel=draft.channel)
    return referral


def start_draft(*, owner: User | None, session_key: str = "", channel: str = Channel.WEB, data=None) -> ReferralDraft:
    """A new request being written, with the key that makes its submission happen once."""
    return ReferralDraft.objects.create(
        owner=owner, session_key=session_key, channel=channel, data=data or {}, submission_key=uuid.uuid4()
    )


def save_draft_answers(*, draft: ReferralDraft, answers: dict) -> ReferralDraft:
    """Store one page's answers (JSON-ready values) so nothing is lost if the person stops."""
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
    audit.record(action="area_waitlist_joined", obj=entry, request=request, actor_label="visitor")
    return entry


# Triage ----------------------------------------------------------------------------------------------


def _check_coordinator(by: User, area: Area | None) -> None:
    if area is None or not can_manage_area(by, area):
        raise ReferralError(_("You can only look after requests in your own areas."))


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
    audit.record(action="referral_accepted", actor=by, obj=referral, area=diner.area, request=request, channel=channel)
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
        action="referral_more_info", actor=by, obj=referral, area=referral.diner.area, request=request, channel=channel
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
    audit.record(action="referral_declined", actor=by, obj=referral, area=diner.area, request=request, channel=channel)
    if referral.referrer_id:
        _tell_referrer(referral, "declined")
    return referral


# Proxy access ------------------------------------------------------------------------------------------


def _clean_scopes(scopes: dict[str, bool]) -> dict[str, bool]:
    return {name: bool(scopes.get(name)) for name in SCOPES}


def grant_proxy(*, by: User, diner: Diner, referrer: User, scopes: dict[str, bool], request=None) -> ProxyAccess:
    """Let a referrer act for a diner within `scopes` (replacing any scope they had)."""
    _check_coordinator(by, diner.area)
    with transaction.atomic():
        access = (
            ProxyAccess.objects.select_for_update()
            .filter(diner=diner, referrer=referrer, revoked_at__isnull=True)
            .first()
        )
        if access is None:
            access = ProxyAccess(diner=diner, referrer=referrer, granted_by=by)
        for name, value in _clean_scopes(scopes).items():
            setattr(access, name, value)
        access.save()
        audit.record(
            action="proxy_granted",
            actor=by,
            obj=diner,
            area=diner.area,
            request=request,
            detail={"referrer": referrer.pk, **_clean_scopes(scopes)},
        )
    return access


@transaction.atomic
def set_proxy_scopes(*, by: User, access: ProxyAccess, scopes: dict[str, bool], request=None) -> ProxyAccess:
    _check_coordinator(by, access.diner.area)
    access = ProxyAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at is not None:
        raise ReferralError(_("This access has been revoked."))
    for name, value in _clean_scopes(scopes).items():
        setattr(access, name, value)
    access.save(update_fields=list(SCOPES))
    audit.record(
        action="proxy_scope_changed",
        actor=by,
        obj=access.diner,
        area=access.diner.area,
        request=request,
        detail={"referrer": access.referrer_id, **_clean_scopes(scopes)},
    )
    return access


@transaction.atomic
def revoke_proxy(*, by: User, access: ProxyAccess, request=None) -> ProxyAccess:
    """Stop a referrer acting for a diner; it takes effect on their next request."""
    _check_coordinator(by, access.diner.area)
    access = ProxyAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at is None:
        access.revoked_at, access.revoked_by = timezone.now(), by
        access.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            action="proxy_revoked",
            actor=by,
            obj=access.diner,
            area=access.diner.area,
            request=request,
            detail={"referrer": access.referrer_id},
        )
    return access


# The diner's record (assisted digital) --------------------------------------------------------------


def update_diner(*, by: User, diner: Diner, values: dict, channel: str = Channel.WEB, request=None) -> Diner:
    """Change a diner's details or needs, as their coordinator (on the phone, say) or a proxy with the
    "edit details" scope (the caller checked the scope). Only DINER_FIELDS can change; a new address
    is placed again, and a postcode outside the diner's area is refused."""
    unknown = set(values) - set(DINER_FIELDS)
    if unknown:
        raise ValueError(f"Not diner fields: {sorted(unknown)}")
    moved = any(name in values and values[name] != getattr(diner, name) for name in ADDRESS_FIELDS)
    located = None
    if moved:
        merged = {name: values.get(name, getattr(diner, name)) for name in ADDRESS_FIELDS}
        area = area_for(merged)
        if area is None or area.pk != diner.area_id:
            raise ReferralError(
                _(
                    "That address is outside this diner's area. Someone who moves to another area needs a new "
                    "request for meals there."
                )
            )
        located = _locate(merged)
    with transaction.atomic():
        diner = Diner.objects.select_for_update().get(pk=diner.pk)
        changed = [name for name, value in values.items() if getattr(diner, name) != value]
        for name in changed:
            setattr(diner, name, values[name])
        if moved:
            _apply_location(diner, located)
        diner.save()
        audit.record(
            action="diner_updated",
            actor=by,
            obj=diner,
            area=diner.area,
            request=request,
            channel=channel,
            detail={"fields": sorted(changed)},  # the names only: never the values (health data)
        )
    return diner


@transaction.atomic
def record_consent(*, by: User, diner: Diner, values: dict, channel: str = Channel.PHONE, request=None) -> Diner:
    """A coordinator records the diner's consent as given now (often by phone): how, when, what may be
    shared with a matched cook and who may be told of concerns."""
    _check_coordinator(by, diner.area)
    unknown = set(values) - set(CONSENT_FIELDS)
    if unknown:
        raise ValueError(f"Not consent fields: {sorted(unknown)}")
    diner = Diner.objects.select_for_update().get(pk=diner.pk)
    for name, value in values.items():
        setattr(diner, name, value)
    diner.consent_recorded_by = by
    diner.save()
    audit.record(
        action="diner_consent_recorded", actor=by, obj=diner, area=diner.area, request=request, channel=channel
    )
    return diner


@transaction.atomic
def place_diner(*, by: User, diner: Diner, latitude, longitude, neighbourhood: str, request=None) -> Diner:
    """A coordinator places a diner on the map by hand when the geocoder could not."""
    _check_coordinator(by, diner.area)
    try:
        pin = geocoding.manual_pin(latitude=latitude, longitude=longitude, neighbourhood=neighbourhood)
    except ValueError as error:
        raise ReferralError(_("Enter a latitude between -90 and 90 and a longitude between -180 and 180.")) from error
    diner = Diner.objects.select_for_update().get(pk=diner.pk)
    _apply_location(diner, pin)
    diner.save(update_fields=["latitude", "longitude", "neighbourhood", "location_source", "updated_at"])
    audit.record(action="diner_placed_by_hand", actor=by, obj=diner, area=diner.area, request=request)
    return diner


_TRANSITIONS = {
    # action: (statuses it may start from, status it leads to)
    "pause": ((Diner.Status.ACTIVE,), Diner.Status.PAUSED),
    "resume": ((Diner.Status.PAUSED,), Diner.Status.ACTIVE),
    "close": ((Diner.Status.REFERRED, Diner.Status.ACTIVE, Diner.Status.PAUSED), Diner.Status.CLOSED),
}


@transaction.atomic
def change_diner_status(
    *, by: User, diner: Diner, action: str, reason: str, channel: str = Channel.WEB, request=None
) -> Diner:
    """Pause, resume or close a diner, with a reason. Closing keeps the whole history."""
    _check_coordinator(by, diner.area)
    reason = (reason or "").strip()
    if not reason:
        raise ReferralError(_("Enter the reason"))
    sources, target = _TRANSITIONS[action]
    diner = Diner.objects.select_for_update().get(pk=diner.pk)
    if diner.status not in sources:
        raise ReferralError(
            _("This cannot be done while the diner is %(status)s.") % {"status": diner.get_status_display().lower()}
        )
    diner.status, diner.status_reason = target, reason
    diner.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        action=f"diner_{action}d" if action != "close" else "diner_closed",
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=channel,
        detail={"reason": reason[:200]},
    )
    return diner


def record_diner_viewed(*, by: User, diner: Diner, request=None) -> None:
    """Viewing a diner's full record is audited, so a coordinator can answer "who looked at this?"."""
    audit.record(action="diner_record_viewed", actor=by, obj=diner, area=diner.area, request=request)


# Emails --------------------------------------------------------------------------------------------------


def _tell_referrer(referral: Referral, kind: str) -> None:
    referrer = referral.referrer
    language = referrer.preferred_language
    queue_templated_email(
        to=referrer.email,
        template="meals/email/referral_update",
        context={
            "name": referrer.given_name or referrer.full_name,
            "diner_name": referral.diner.preferred_name,
            "kind": kind,
            "message": referral.message,
            "url": absolute_url("meals:referral", language, pk=referral.pk),
        },
        language=language,
    )


def _tell_coordinators(referral: Referral, area: Area, *, resubmitted: bool) -> None:
    coordinators = coordinators_of([area.pk])
    for coordinator in coordinators:
        language = coordinator.preferred_language
        queue_templated_email(
            to=coordinator.email,
            template="meals/email/referral_waiting",
            context={
                "area_name": area.display_name(language),
                "resubmitted": resubmitted,
                "url": absolute_url("meals:coordinator_referral", language, pk=referral.pk),
            },
            language=language,
        )
