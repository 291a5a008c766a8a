"""Writes to the directory of other support and to a diner's onward referrals. Each is keyword-only with
the acting user, checks the rules (refusing with a SignpostingError whose message says what to do),
runs in a transaction and writes an audit entry. Nothing here sends anything to anyone: a referral is
what the coordinator did, recorded.
"""

import unicodedata
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.people.access import can_manage_area
from accounts.people.models import Area, User
from casserole import audit
from casserole.errors import DomainError
from casserole.geocoding import geocode
from casserole.models import Channel
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.signposting.models import (
    CARD_LIMIT,
    Category,
    Cost,
    OnwardReferral,
    Suits,
    SupportService,
    join_keys,
)


class SignpostingError(DomainError):
    """A refusal from the directory or an onward referral: translated, and says what to do next."""


# The fields a coordinator writes (the form's); everything else is the service's to set.
SERVICE_FIELDS = (
    "name",
    "name_ja",
    "description",
    "description_ja",
    "categories",
    "suits",
    "phone",
    "address",
    "postcode",
    "website",
    "opening_hours",
    "opening_hours_ja",
    "languages",
    "cost",
    "cost_details",
    "needs_consent",
)


def fold(text: str) -> str:
    """How a search and the stored search text are compared: NFKC (full-width letters and digits,
    half-width katakana) and case-folded, so "ＬＵＮＣＨ", "lunch" and "Lunch" are one word."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def search_text(service: SupportService) -> str:
    """What a search looks in: both languages' name and description, and the address."""
    parts = (service.name, service.name_ja, service.description, service.description_ja, service.address)
    return fold("\n".join(part for part in parts if part))


def _check_values(values: dict) -> dict:
    values = {name: values.get(name) for name in SERVICE_FIELDS if name in values}
    for name in ("name", "name_ja", "description", "description_ja", "phone", "address", "postcode", "website"):
        values[name] = (values.get(name) or "").strip()
    for name in ("opening_hours", "opening_hours_ja", "languages", "cost_details"):
        values[name] = (values.get(name) or "").strip()
    if not values["name"] and not values["name_ja"]:
        raise SignpostingError(_("Enter the name of the service in English or Japanese"))
    categories = [key for key in values.get("categories") or [] if key in Category.values]
    if not categories:
        raise SignpostingError(_("Select what the service offers"))
    suits = [key for key in values.get("suits") or [] if key in Suits.values]
    if not suits:
        raise SignpostingError(_("Select who the service suits"))
    values["categories"], values["suits"] = join_keys(categories), join_keys(suits)
    if values.get("cost") not in Cost.values:
        raise SignpostingError(_("Select what the service costs"))
    if not (values["phone"] or values["website"] or values["address"]):
        raise SignpostingError(_("Enter how to reach the service: a phone number, a website or an address"))
    values["needs_consent"] = bool(values.get("needs_consent"))
    return values


def _locate(service: SupportService) -> None:
    """Where the service is, from its postcode (none for a national entry or a service without one):
    suggestions put the nearest first. A postcode the geocoder cannot place leaves it unplaced."""
    found = None
    if service.postcode and service.area_id is not None:
        found = geocode(country=service.country, postcode=service.postcode, address=service.address)
    service.latitude, service.longitude = (found.latitude, found.longitude) if found else (None, None)


def _check_area(by: User, area: Area | None) -> None:
    if area is None:
        if not by.is_superuser:
            raise SignpostingError(_("Only an administrator can add or change a national service."))
    elif not can_manage_area(by, area):
        raise SignpostingError(_("You can only add or change services in your own areas."))


@transaction.atomic
def add_service(
    *, by: User, area: Area | None, values: dict, country: str | None = None, request=None
) -> SupportService:
    """Add an entry to an area's directory (a coordinator of the area), or a national entry shared by
    every area of `country` (an admin only). Checked today."""
    _check_area(by, area)
    values = _check_values(values)
    country = area.country if area is not None else country
    if not country:
        raise SignpostingError(_("Select the country of a national service"))
    service = SupportService(area=area, country=country, created_by=by, checked_on=timezone.localdate(), **values)
    service.search_text = search_text(service)
    _locate(service)
    service.save()
    audit.record(
        action=audit.Action.SUPPORT_SERVICE_ADDED,
        actor=by,
        obj=service,
        area=area,
        request=request,
        detail={"national": area is None},
    )
    return service


@transaction.atomic
def update_service(
    *, by: User, service: SupportService, values: dict, checked: bool, running: bool = True, request=None
) -> SupportService:
    """Change an entry (a coordinator of its area; an admin for a national one). `checked`: the
    coordinator has checked every detail today, so it is no longer stale. Its area never changes here."""
    service = SupportService.objects.select_for_update().get(pk=service.pk)
    _check_area(by, service.area)
    values = _check_values(values)
    moved = values["postcode"] != service.postcode or values["address"] != service.address
    for name, value in values.items():
        setattr(service, name, value)
    service.running = running
    service.search_text = search_text(service)
    if moved:
        _locate(service)
    fields = [*values, "running", "search_text", "latitude", "longitude", "updated_at"]
    if checked:
        service.checked_on = timezone.localdate()
        fields.append("checked_on")
    service.updated_at = timezone.now()
    service.save(update_fields=fields)
    audit.record(
        action=audit.Action.SUPPORT_SERVICE_CHANGED,
        actor=by,
        obj=service,
        area=service.area,
        request=request,
        detail={"checked": checked, "running": running},
    )
    return service


def service_reaches(service: SupportService, diner: Diner) -> bool:
    """Whether the entry is one the diner's area can offer: its own, or a national one of its country.
    The Python form of selectors.services_for_area (tested to agree)."""
    if diner.area is None:
        return False
    if service.area_id is None:
        return service.country == diner.area.country
    return service.area_id == diner.area.pk


def _current_match(diner: Diner) -> Match | None:
    """The diner's one match going on, for its timeline; none with two cooks (both timelines show it)."""
    matches = list(Match.objects.filter(diner=diner, status__in=Match.SHARING_STATUSES)[:2])
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True)
class ReferralChoice:
    kind: str  # OnwardReferral.Kind
    consent: bool
    channel: str
    reason: str = OnwardReferral.Reason.OTHER
    on_card: bool = False
    note: str = ""


def _lock_diner(by: User, diner: Diner) -> Diner:
    # The diner's row is the lock: the card limit and "one open referral" hold under two coordinators.
    diner = Diner.objects.select_for_update(of=("self",)).select_related("area").get(pk=diner.pk)
    if diner.area is None or not can_manage_area(by, diner.area):
        raise SignpostingError(_("You can only record this for diners in your own areas."))
    return diner


def _check_card(diner: Diner, *, excluding: int | None = None) -> None:
    on_card = OnwardReferral.objects.filter(diner=diner, on_card=True).exclude(pk=excluding)
    if on_card.count() >= CARD_LIMIT:
        raise SignpostingError(
            _("Their card already lists %(limit)d services. Take one off the card first.") % {"limit": CARD_LIMIT}
        )


@transaction.atomic
def record_onward_referral(
    *, by: User, diner: Diner, service: SupportService, choice: ReferralChoice, request=None
) -> OnwardReferral:
    """Record that a coordinator of the diner's area told the diner about a service of their area (or a
    national one), or referred them to it — refused without the diner's consent when the service says a
    referral needs it, and when one to the same service is still waiting to be known. Nothing is sent."""
    diner = _lock_diner(by, diner)
    service = SupportService.objects.get(pk=service.pk)  # as it is now: it may have closed since the page
    if diner.status == Diner.Status.CLOSED:
        raise SignpostingError(_("This diner’s record is closed."))
    if not service_reaches(service, diner) or not service.running:
        raise SignpostingError(_("Choose a service of the diner’s area that is still running."))
    if choice.kind not in OnwardReferral.Kind.values:
        raise SignpostingError(_("Select whether you told them about it or referred them"))
    if choice.reason not in OnwardReferral.Reason.values:
        raise SignpostingError(_("Select why you suggested it"))
    if choice.channel not in Channel.values:
        raise SignpostingError(_("Select how you are recording this"))
    if choice.kind == OnwardReferral.Kind.REFERRED and service.needs_consent and not choice.consent:
        raise SignpostingError(
            _("This service needs the diner’s agreement before a referral. Ask them first, or just tell them about it.")
        )
    if OnwardReferral.objects.filter(diner=diner, service=service, outcome=OnwardReferral.Outcome.WAITING).exists():
        raise SignpostingError(
            _("This service is already recorded for them. Record whether it took place before adding it again.")
        )
    if choice.on_card:
        _check_card(diner)
    try:
        with transaction.atomic():
            referral = OnwardReferral.objects.create(
                diner=diner,
                match=_current_match(diner),
                service=service,
                kind=choice.kind,
                reason=choice.reason,
                consent=choice.consent,
                channel=choice.channel,
                note=(choice.note or "").strip(),
                on_card=choice.on_card,
                made_by=by,
            )
    except IntegrityError:  # the same referral, submitted twice at once
        raise SignpostingError(
            _("This service is already recorded for them. Record whether it took place before adding it again.")
        ) from None
    audit.record(
        action=audit.Action.ONWARD_REFERRAL_RECORDED,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=choice.channel,
        detail={"referral": referral.pk, "service": service.pk, "kind": choice.kind, "reason": choice.reason},
    )
    return referral


@transaction.atomic
def record_referral_outcome(
    *, by: User, referral: OnwardReferral, outcome: str, on_card: bool, request=None
) -> OnwardReferral:
    """A coordinator of the diner's area records whether the diner took the service up (or that it is
    still not known), and whether the diner wants it on their card (at most CARD_LIMIT)."""
    diner = _lock_diner(by, referral.diner)
    referral = OnwardReferral.objects.select_for_update().get(pk=referral.pk)
    if outcome not in OnwardReferral.Outcome.values:
        raise SignpostingError(_("Select whether it took place"))
    if on_card and not referral.on_card:
        _check_card(diner, excluding=referral.pk)
    if outcome != OnwardReferral.Outcome.WAITING and referral.outcome == OnwardReferral.Outcome.WAITING:
        referral.outcome_by, referral.outcome_at = by, timezone.now()
    elif outcome == OnwardReferral.Outcome.WAITING and referral.outcome != OnwardReferral.Outcome.WAITING:
        if OnwardReferral.objects.filter(
            diner=diner, service=referral.service_id, outcome=OnwardReferral.Outcome.WAITING
        ).exists():
            raise SignpostingError(_("Another referral to this service is already waiting."))
        referral.outcome_by, referral.outcome_at = None, None
    referral.outcome, referral.on_card = outcome, on_card
    referral.save(update_fields=["outcome", "outcome_by", "outcome_at", "on_card"])
    audit.record(
        action=audit.Action.ONWARD_REFERRAL_OUTCOME,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        detail={"referral": referral.pk, "outcome": outcome, "on_card": on_card},
    )
    return referral
