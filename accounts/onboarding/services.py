"""Writes for cook onboarding: the profile and location, identity checks, and the activation gate.

Split from accounts/services.py (accounts, coordinators, two-factor) by topic; the Stripe route is in
accounts/stripe_identity.py. Every write here is audited and tells the cook by email (a background
task, queued when the transaction commits).

The activation gate lives in `activation_blockers`: `approve_cook` and `reactivate_cook` refuse while
it names anything, and nothing else sets a cook's status to active.
"""

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.onboarding import identity_images
from accounts.onboarding.eligibility import identity_approved
from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck
from accounts.people.models import Area, User
from accounts.people.notices import notify_coordinators
from accounts.people.selectors import area_for_postcode, postcode_recognised
from casserole import audit, geocoding
from casserole.addresses import UNRECOGNISED_POSTCODE, address_for_geocoder
from casserole.errors import DomainError
from casserole.mail import absolute_url, queue_templated_email

logger = logging.getLogger(__name__)


class OnboardingError(DomainError):
    """Refused while a cook signs up, or while a coordinator reviews them."""


class UnrecognisedPostcodeError(OnboardingError):
    """The cook's postcode is no place we know (accounts.people.selectors.postcode_recognised): the
    profile form shows it at the postcode."""


# What may hold a cook to their area: each check takes the cook and returns why they may not move to
# another area, or None. Accounts may not import meals, so meals registers its own (a live match) when
# the app loads (meals.apps).
_area_move_checks: list[Callable[[User], str | None]] = []


def hold_cooks_to_their_area(check: Callable[[User], str | None]) -> None:
    """Register `check(cook)`, asked by `save_cook_profile` before it moves a cook to another area:
    a message refuses the move (the profile form shows it and keeps what was typed), None allows it."""
    if check not in _area_move_checks:
        _area_move_checks.append(check)


# An active cook's point moves without a coordinator only by a small step, and only so often: anything
# more waits for a coordinator (CookMove). Searching from many places could otherwise triangulate a
# diner (issue 11, item 2); the diner's fixed cell is the other half of that defence.
SMALL_MOVE_KM = 1.0
SMALL_MOVE_INTERVAL = timedelta(days=7)

ADDRESS_FIELDS = ("country", "postcode", "address_line1", "address_line2", "town")


def default_distance_unit(country: str) -> str:
    """Miles in the UK, kilometres in Japan: what a cook there thinks in."""
    return Area.DistanceUnit.MILES if country == Area.Country.GB else Area.DistanceUnit.KM


def save_cook_profile(
    *,
    cook: User,
    full_name: str,
    name_reading: str,
    phone: str,
    country: str,
    address_line1: str,
    address_line2: str,
    town: str,
    postcode: str,
    travel_distance: Decimal,
    travel_unit: str | None = None,
    frequency: str,
    cooking_likes: str,
    note_for_diners: str,
    request=None,
) -> CookProfile:
    """Create or update a cook's profile. The postcode decides the area (and so which coordinators
    look after them and whether distances are in km or miles); the geocoder places them, and when it
    cannot the profile still saves and the cook "needs placing" until a coordinator sets a pin. A new
    address whose postcode no area covers and nothing recognises is refused (UnrecognisedPostcodeError)
    rather than saved as "no club near you". `postcode` and `phone` arrive in canonical form (the form
    normalised them).

    A cook belongs to the area whose coordinators approved them. A move to another area is refused
    while anything registered with `hold_cooks_to_their_area` objects (a live match); otherwise an
    active cook goes back to waiting for approval, and the coordinators of both areas are told.

    Within the area, an active cook's new address takes effect at once only when it moves them at most
    SMALL_MOVE_KM and they have not moved in the last SMALL_MOVE_INTERVAL; otherwise it waits, as a
    CookMove, for a coordinator to confirm, and the cook stays where they were meanwhile (the rest of
    the profile is saved at once). Saving again replaces or withdraws the waiting move."""
    if not cook.is_cook:
        raise OnboardingError(_("Only cooks have a cook profile."))
    existing = CookProfile.objects.filter(user=cook).first()
    address = address_for_geocoder(country=country, address_line1=address_line1, address_line2=address_line2, town=town)
    new_address = dict(zip(ADDRESS_FIELDS, (country, postcode, address_line1, address_line2, town), strict=True))
    moved = existing is None or any(getattr(existing, field) != value for field, value in new_address.items())
    # Geocode outside the transaction: an online geocoder may take seconds, and SQLite's write lock
    # must not wait on the network.
    lookup = (
        geocoding.look_up(country=country, postcode=postcode, address=address)
        if moved or existing.needs_placing
        else None
    )
    located = lookup.result if lookup is not None else None
    area = area_for_postcode(country=country, postcode=postcode)
    if moved and area is None and not postcode_recognised(country=country, postcode=postcode, lookup=lookup):
        raise UnrecognisedPostcodeError(str(UNRECOGNISED_POSTCODE))
    # Stored in the unit the cook was shown (miles in the UK, km in Japan); travel_km converts.
    unit = travel_unit or default_distance_unit(country)

    with transaction.atomic():
        profile = CookProfile.objects.select_for_update().filter(user=cook).first() or CookProfile(user=cook)
        created = profile.pk is None
        old_area_id = cook.home_area_id
        moves_area = not created and old_area_id != (area.pk if area is not None else None)
        if moves_area:
            for check in _area_move_checks:
                refusal = check(cook)
                if refusal:
                    raise OnboardingError(refusal)
        # The new area's coordinators never checked this cook: they approve them again.
        sent_back = moves_area and profile.status == CookProfile.Status.ACTIVE
        if sent_back:
            profile.status, profile.status_reason = CookProfile.Status.PENDING, ""
            profile.status_changed_at, profile.status_changed_by = timezone.now(), cook
        waiting = None if created else profile.moves.filter(outcome=CookMove.Outcome.WAITING).first()
        if waiting is not None and all(getattr(waiting, f) == v for f, v in new_address.items()):
            # The same new address saved again (with other changes): it goes on waiting as it was.
            held, already_waiting = waiting, True
        else:
            # A new address replaces what was waiting; the old address again withdraws it.
            if waiting is not None:
                waiting.delete()
            held, already_waiting = None, False
            if not created and moved and not moves_area and located is not None:
                held = _hold_move(profile, located=located, address=new_address)
        if held is None:
            for field, value in new_address.items():
                setattr(profile, field, value)
        profile.travel_distance, profile.travel_unit = travel_distance, unit
        profile.frequency, profile.cooking_likes, profile.note_for_diners = frequency, cooking_likes, note_for_diners
        # An active cook's own step within the area: it starts the interval before the next one.
        small_move = held is None and moved and located is not None and not created and not moves_area
        small_move = small_move and profile.status == CookProfile.Status.ACTIVE
        if held is None and located is not None:
            profile.latitude, profile.longitude = located.latitude, located.longitude
            profile.neighbourhood, profile.location_source = located.neighbourhood[:100], located.source
            if small_move:
                profile.located_at = timezone.now()
        elif held is None and moved:
            # A stale pin would put the cook in the wrong place: better "needs placing".
            profile.latitude = profile.longitude = None
            profile.neighbourhood, profile.location_source = "", ""
        profile.completed_at = profile.completed_at or timezone.now()
        profile.save()
        if held is not None and not already_waiting:
            held.save()
        cook.full_name, cook.name_reading, cook.phone = full_name, name_reading, phone
        cook.home_area = area
        cook.save(update_fields=["full_name", "name_reading", "phone", "home_area"])
        audit.record(
            action=audit.Action.COOK_PROFILE_CREATED if created else audit.Action.COOK_PROFILE_UPDATED,
            actor=cook,
            obj=profile,
            area=area,
            request=request,
            # Never the address or coordinates: only whether the cook could be placed.
            detail={"placed": not profile.needs_placing, "source": profile.location_source},
        )
        if small_move:
            audit.record(action=audit.Action.COOK_MOVED_NEARBY, actor=cook, obj=profile, area=area, request=request)
        if held is not None and not already_waiting:
            audit.record(
                action=audit.Action.COOK_MOVE_REQUESTED,
                actor=cook,
                obj=profile,
                area=area,
                request=request,
                detail={"move": held.pk},
            )
            _tell_coordinators_of_a_move(cook, area=area)
        if moves_area:
            # Sent back for approval if they were active; either way both areas' coordinators know.
            audit.record(
                action=audit.Action.COOK_MOVED_AREA if sent_back else audit.Action.COOK_CHANGED_AREA,
                actor=cook,
                obj=profile,
                area=area,
                request=request,
                detail={"from_area": old_area_id, "to_area": area.pk if area is not None else None},
            )
            _tell_coordinators_the_cook_moved(cook, old_area_id=old_area_id, new_area=area, was_active=sent_back)
    return profile


def _hold_move(profile: CookProfile, *, located: geocoding.GeocodeResult, address: dict) -> CookMove | None:
    """The waiting move for an active, placed cook whose new point is too far or too soon (unsaved), or
    None when it may take effect at once. A cook who is not active cannot search, so moves freely:
    a coordinator looks at where they live when approving them."""
    if profile.status != CookProfile.Status.ACTIVE or profile.needs_placing:
        return None
    km = geocoding.distance_km(profile.latitude, profile.longitude, located.latitude, located.longitude)
    recent = profile.located_at is not None and timezone.now() - profile.located_at < SMALL_MOVE_INTERVAL
    if km <= SMALL_MOVE_KM and not recent:
        return None
    return CookMove(
        profile=profile,
        latitude=located.latitude,
        longitude=located.longitude,
        location_source=located.source,
        neighbourhood=located.neighbourhood[:100],
        distance_km=km,
        **address,
    )


def _tell_coordinators_of_a_move(cook: User, *, area: Area | None) -> None:
    if area is None:
        return
    notify_coordinators(
        area_ids=[area.pk],
        template="accounts/onboarding/email/cook_move_waiting",
        url_name="coordinator:cook_detail",
        url_kwargs={"pk": cook.pk},
        context=lambda coordinator: {
            "cook_name": cook.full_name,
            "area_name": area.display_name(coordinator.preferred_language),
        },
    )


def _tell_coordinators_the_cook_moved(
    cook: User, *, old_area_id: int | None, new_area: Area | None, was_active: bool
) -> None:
    """The new area's coordinators have a cook to approve (again, when `was_active`); the old area's
    lose sight of one they approved or were onboarding (their link is to their cook list: the cook's
    page is no longer theirs)."""
    old_area = Area.objects.filter(pk=old_area_id).first()

    def context(kind: str):
        return lambda coordinator: {
            "kind": kind,
            "was_active": was_active,
            "cook_name": cook.full_name,
            "old_area_name": old_area.display_name(coordinator.preferred_language) if old_area else "",
            "new_area_name": new_area.display_name(coordinator.preferred_language) if new_area else "",
        }

    if new_area is not None:
        notify_coordinators(
            area_ids=[new_area.pk],
            template="accounts/onboarding/email/cook_moved",
            url_name="coordinator:cook_detail",
            url_kwargs={"pk": cook.pk},
            context=context("arrived"),
        )
    notify_coordinators(
        area_ids=[old_area_id],
        template="accounts/onboarding/email/cook_moved",
        url_name="coordinator:cooks",
        context=context("left"),
    )


def open_identity_check(cook: User) -> IdentityCheck | None:
    return IdentityCheck.objects.filter(cook=cook, status__in=IdentityCheck.OPEN_STATUSES).first()


def require_profile(cook: User) -> CookProfile:
    profile = CookProfile.objects.filter(user=cook).first()
    if profile is None:
        raise OnboardingError(_("Fill in your profile first: the coordinator compares your document with it."))
    return profile


def submit_identity_photo(*, cook: User, document_type: str, upload, request=None) -> IdentityCheck:
    """A cook sends a photo of their document for a coordinator of their area to compare with the
    profile. The photo is validated and re-encoded (accounts.onboarding.identity_images) before anything is
    stored; it lives in private storage until the decision or the purge."""
    if not cook.is_cook:
        raise OnboardingError(_("Only cooks send identity documents."))
    require_profile(cook)
    if document_type not in IdentityCheck.DocumentType.values:
        raise OnboardingError(_("Select the type of document"))
    if not may_send_photo(cook):
        raise OnboardingError(_("You already have an identity check in progress. Wait for it to finish."))
    if identity_approved(cook):
        raise OnboardingError(_("Your identity has already been approved."))
    try:
        prepared = identity_images.prepare_identity_image(upload)
    except identity_images.IdentityImageError as error:
        raise OnboardingError(str(error.message)) from error
    name = identity_images.save_private_image(prepared.content)
    try:
        with transaction.atomic():
            _replace_stalled_stripe_check(cook, request=request)
            check = IdentityCheck.objects.create(
                cook=cook, method=IdentityCheck.Method.PHOTO, document_type=document_type, image_name=name
            )
            audit.record(
                action=audit.Action.IDENTITY_PHOTO_SUBMITTED,
                actor=cook,
                obj=check,
                area=cook.home_area,
                request=request,
                detail={"document_type": document_type},
            )
            _tell_coordinators_a_check_is_waiting(check)
    except IntegrityError as error:
        # Another upload won the race for the one open check: keep nothing of this one.
        identity_images.delete_private_image(name)
        raise OnboardingError(_("You already have an identity check in progress. Wait for it to finish.")) from error
    except BaseException:
        identity_images.delete_private_image(name)
        raise
    return check


def may_send_photo(cook: User) -> bool:
    """A photo may be sent when no check is open, or when the open one is an online check that Stripe
    could not finish (it needs another try): the cook may choose a photo instead."""
    check = open_identity_check(cook)
    return check is None or (
        check.method == IdentityCheck.Method.STRIPE and check.status == IdentityCheck.Status.NEEDS_INPUT
    )


def _replace_stalled_stripe_check(cook: User, *, request=None) -> None:
    for check in IdentityCheck.objects.select_for_update().filter(
        cook=cook, method=IdentityCheck.Method.STRIPE, status=IdentityCheck.Status.NEEDS_INPUT
    ):
        check.status = IdentityCheck.Status.CANCELLED
        check.reason = _("Replaced by a photo of your document.")
        check.save(update_fields=["status", "reason", "updated_at"])
        audit.record(
            action=audit.Action.IDENTITY_STRIPE_REPLACED_BY_PHOTO,
            actor=cook,
            obj=check,
            area=cook.home_area,
            request=request,
        )


def _delete_image(check: IdentityCheck) -> None:
    """Verify, don't retain: forget the photo and keep only the fact that there was one. The file
    goes when the transaction commits, so a rolled-back decision still has its photo to look at; a
    crash in between leaves a stray file, which the daily purge deletes."""
    if check.image_name:
        name = check.image_name
        transaction.on_commit(lambda: identity_images.delete_private_image(name))
        check.image_name = ""
        check.image_deleted_at = timezone.now()


def purge_identity_images(*, now=None) -> int:
    """The daily sweep of "verify, don't retain": delete every identity photo older than
    IDENTITY_IMAGE_RETENTION_DAYS, decided or not. An undecided check whose photo goes is closed and
    the cook asked to send it again. Also removes stray files no check points to (a crash between
    saving a file and its row). Returns how many files were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IDENTITY_IMAGE_RETENTION_DAYS)
    purged = set()
    for pk in IdentityCheck.objects.exclude(image_name="").filter(created_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            check = IdentityCheck.objects.select_for_update().select_related("cook").get(pk=pk)
            if not check.image_name:
                continue
            purged.add(check.image_name)
            _delete_image(check)
            if check.is_open:
                check.status = IdentityCheck.Status.CANCELLED
                check.reason = _("Your photo was deleted after %(days)s days without a decision.") % {
                    "days": settings.IDENTITY_IMAGE_RETENTION_DAYS
                }
                tell_cook(check.cook, "identity_expired")
            check.save()
            audit.record(
                action=audit.Action.IDENTITY_PHOTO_PURGED, obj=check, area=check.cook.home_area, actor_label="system"
            )
    return len(purged) + _delete_stray_files(cutoff, already_going=purged)


def _delete_stray_files(cutoff, *, already_going: set[str]) -> int:
    storage = identity_images.private_storage()
    try:
        _, names = storage.listdir("")
    except FileNotFoundError:
        return 0
    referenced = set(IdentityCheck.objects.exclude(image_name="").values_list("image_name", flat=True))
    referenced |= already_going  # deleted when their check's transaction commits
    deleted = 0
    for name in names:
        if name in referenced:
            continue
        path = storage.path(name)
        if datetime.fromtimestamp(os.path.getmtime(path), tz=UTC) < cutoff:
            identity_images.delete_private_image(name)
            deleted += 1
    return deleted


def tell_cook(cook: User, kind: str, *, reason: str = "") -> None:
    """Email the cook about a change to their onboarding (queued; sent after commit)."""
    language = cook.preferred_language
    queue_templated_email(
        to=cook.email,
        template="accounts/onboarding/email/cook_update",
        context={
            "name": cook.given_name or cook.full_name,
            "kind": kind,
            "reason": reason,
            "url": absolute_url("accounts:cook_status", language),
        },
        language=language,
    )


def _tell_coordinators_a_check_is_waiting(check: IdentityCheck) -> None:
    area = check.cook.home_area
    if area is None:
        return
    notify_coordinators(
        area_ids=[area.pk],
        template="accounts/onboarding/email/identity_waiting",
        url_name="coordinator:identity_queue",
        context=lambda coordinator: {
            "area_name": area.display_name(coordinator.preferred_language),
            "days": settings.IDENTITY_IMAGE_RETENTION_DAYS,
        },
    )
