"""Writes about diners: requests for meals, triage, proxy access, assisted digital, pause and close.

Every write is audited with its channel (web, phone, in person) and tells the people concerned by
email through a background task. A diner never needs an account: a referrer with the right scope or a
coordinator does everything on their behalf.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people.access import can_manage_area
from accounts.people.models import Area, User
from accounts.people.selectors import area_for_postcode, postcode_recognised
from casserole import audit, geocoding, status
from casserole.addresses import UNRECOGNISED_POSTCODE, address_for_geocoder
from casserole.errors import DomainError
from casserole.models import Channel
from casserole.status import Transition, TransitionTable
from meals.diners.models import Diner, ProxyAccess


class ReferralError(DomainError):
    """Refused on a diner or a request for meals."""


class UnrecognisedPostcodeError(ReferralError):
    """The diner's postcode is no place we know (accounts.people.selectors.postcode_recognised): the
    address page shows it at the postcode, keeping what was typed."""


# The diner's fields a request, a coordinator or a proxy with the "edit details" scope may set. Status,
# area, location and consent bookkeeping are never among them (they change only through services).
DINER_FIELDS = (
    "full_name",
    "name_reading",
    "preferred_name",
    "form_of_address",
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


def _geocoder_address(values: dict) -> str:
    return address_for_geocoder(
        country=values["country"],
        address_line1=values.get("address_line1", ""),
        address_line2=values.get("address_line2", ""),
        town=values.get("town", ""),
    )


def _locate(values: dict):
    return geocoding.geocode(country=values["country"], postcode=values["postcode"], address=_geocoder_address(values))


def _apply_location(diner: Diner, located) -> None:
    if located is None:
        diner.latitude = diner.longitude = None
        diner.neighbourhood, diner.location_source = "", ""
    else:
        diner.latitude, diner.longitude = located.latitude, located.longitude
        diner.neighbourhood, diner.location_source = located.neighbourhood[:100], located.source


def area_for(values: dict) -> Area | None:
    return area_for_postcode(country=values["country"], postcode=values["postcode"])


def check_postcode_recognised(values: dict) -> None:
    """Refuse an address (UnrecognisedPostcodeError) whose postcode no area covers and nothing
    recognises, so a mistyped postcode is not answered "no club near this postcode yet". A real
    postcode outside every area passes: that is for NotInAreaError and the waitlist."""
    if area_for(values) is None and not postcode_recognised(
        country=values["country"], postcode=values["postcode"], address=_geocoder_address(values)
    ):
        raise UnrecognisedPostcodeError(str(UNRECOGNISED_POSTCODE))


def _check_coordinator(by: User, area: Area | None) -> None:
    if area is None or not can_manage_area(by, area):
        raise ReferralError(_("You can only look after requests in your own areas."))


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
            action=audit.Action.PROXY_GRANTED,
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
        action=audit.Action.PROXY_SCOPE_CHANGED,
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
            action=audit.Action.PROXY_REVOKED,
            actor=by,
            obj=access.diner,
            area=access.diner.area,
            request=request,
            detail={"referrer": access.referrer_id},
        )
    return access


def update_diner(*, by: User, diner: Diner, values: dict, channel: str = Channel.WEB, request=None) -> Diner:
    """Change a diner's details or needs, as their coordinator (on the phone, say) or a proxy with the
    "edit details" scope (the caller checked the scope). Only DINER_FIELDS can change; a new address
    is placed again, and a postcode outside the diner's area is refused (UnrecognisedPostcodeError when
    nothing recognises it)."""
    unknown = set(values) - set(DINER_FIELDS)
    if unknown:
        raise ValueError(f"Not diner fields: {sorted(unknown)}")
    moved = any(name in values and values[name] != getattr(diner, name) for name in ADDRESS_FIELDS)
    located = None
    if moved:
        merged = {name: values.get(name, getattr(diner, name)) for name in ADDRESS_FIELDS}
        check_postcode_recognised(merged)
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
            action=audit.Action.DINER_UPDATED,
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
        action=audit.Action.DINER_CONSENT_RECORDED,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=channel,
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
    audit.record(action=audit.Action.DINER_PLACED_BY_HAND, actor=by, obj=diner, area=diner.area, request=request)
    return diner


_REFUSED = gettext_lazy("This cannot be done while the diner is %(status)s.")
DINER_STATUS = TransitionTable(
    pause=Transition(
        sources=(Diner.Status.ACTIVE,),
        target=Diner.Status.PAUSED,
        audit_action=audit.Action.DINER_PAUSED,
        refused=_REFUSED,
    ),
    resume=Transition(
        sources=(Diner.Status.PAUSED,),
        target=Diner.Status.ACTIVE,
        audit_action=audit.Action.DINER_RESUMED,
        refused=_REFUSED,
    ),
    close=Transition(
        sources=(Diner.Status.REFERRED, Diner.Status.ACTIVE, Diner.Status.PAUSED),
        target=Diner.Status.CLOSED,
        audit_action=audit.Action.DINER_CLOSED,
        refused=_REFUSED,
    ),
)


@transaction.atomic
def change_diner_status(
    *, by: User, diner: Diner, action: str, reason: str, channel: str = Channel.WEB, request=None
) -> Diner:
    """Pause, resume or close a diner (DINER_STATUS), with a reason. Closing keeps the whole history."""
    _check_coordinator(by, diner.area)
    transition = DINER_STATUS[action]
    reason = status.clean_reason(transition, reason, error=ReferralError)
    diner = Diner.objects.select_for_update().get(pk=diner.pk)
    return status.change_status(
        diner,
        transition=transition,
        by=by,
        reason=reason,
        error=ReferralError,
        area=diner.area,
        channel=channel,
        request=request,
    )


def record_diner_viewed(*, by: User, diner: Diner, request=None) -> None:
    """Viewing a diner's full record is audited, so a coordinator can answer "who looked at this?"."""
    audit.record(action=audit.Action.DINER_RECORD_VIEWED, actor=by, obj=diner, area=diner.area, request=request)
