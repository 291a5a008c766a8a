"""Writes for cook onboarding: the profile and location, identity checks, and the activation gate.

Split from accounts/services.py (accounts, coordinators, two-factor) by topic; the Stripe route is in
accounts/stripe_identity.py. Every write here is audited and tells the cook by email (a background
task, queued when the transaction commits).

The activation gate lives in `activation_blockers`: `approve_cook` and `reactivate_cook` refuse while
it names anything, and nothing else sets a cook's status to active.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.onboarding.eligibility import Blocker, activation_blockers
from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck
from accounts.onboarding.services import ADDRESS_FIELDS, OnboardingError, _delete_image, tell_cook
from accounts.people.access import can_manage_area
from accounts.people.models import User
from casserole import audit, geocoding, status
from casserole.models import Channel
from casserole.status import Transition, TransitionTable


class ActivationRefused(OnboardingError):
    """The gate said no: `blockers` lists every condition still missing."""

    def __init__(self, blockers: list[Blocker]):
        self.blockers = blockers
        names = ", ".join(str(b.label) for b in blockers)
        super().__init__(_("This cook cannot be made active yet. Still missing: %(missing)s.") % {"missing": names})


@transaction.atomic
def place_cook(*, by: User, profile: CookProfile, latitude, longitude, neighbourhood: str, request=None) -> CookProfile:
    """A coordinator sets a cook's location by hand (when the geocoder could not, or got it wrong)."""
    area = profile.user.home_area
    if area is None or not can_manage_area(by, area):
        raise OnboardingError(_("You can only place cooks in your own areas."))
    try:
        pin = geocoding.manual_pin(latitude=latitude, longitude=longitude, neighbourhood=neighbourhood)
    except ValueError as error:
        raise OnboardingError(_("Enter a latitude between -90 and 90 and a longitude between -180 and 180.")) from error
    profile = CookProfile.objects.select_for_update().get(pk=profile.pk)
    profile.latitude, profile.longitude = pin.latitude, pin.longitude
    profile.neighbourhood, profile.location_source = pin.neighbourhood[:100], pin.source
    profile.save(update_fields=["latitude", "longitude", "neighbourhood", "location_source", "updated_at"])
    audit.record(action=audit.Action.COOK_PLACED_BY_HAND, actor=by, obj=profile, area=area, request=request)
    return profile


@transaction.atomic
def decide_cook_move(*, by: User, move: CookMove, confirm: bool, request=None) -> CookMove:
    """A coordinator of the cook's area confirms a waiting move (the cook's address and point become the
    new ones, and the interval before their next small step starts again) or keeps the cook where
    they were. The cook is told either way."""
    profile = CookProfile.objects.select_for_update().select_related("user").get(pk=move.profile_id)
    cook = profile.user
    if by.pk == cook.pk or cook.home_area is None or not can_manage_area(by, cook.home_area):
        raise OnboardingError(_("You can only confirm moves of cooks in your own areas."))
    move = CookMove.objects.select_for_update().get(pk=move.pk)
    if move.outcome != CookMove.Outcome.WAITING:
        raise OnboardingError(_("This move has already been decided, or the cook has changed their address since."))
    now = timezone.now()
    if confirm:
        for field in ADDRESS_FIELDS:
            setattr(profile, field, getattr(move, field))
        profile.latitude, profile.longitude = move.latitude, move.longitude
        profile.neighbourhood, profile.location_source = move.neighbourhood, move.location_source
        profile.located_at = now
        profile.save()
    move.outcome = CookMove.Outcome.CONFIRMED if confirm else CookMove.Outcome.DECLINED
    move.decided_at, move.decided_by = now, by
    move.save(update_fields=["outcome", "decided_at", "decided_by"])
    audit.record(
        action=audit.Action.COOK_MOVE_CONFIRMED if confirm else audit.Action.COOK_MOVE_DECLINED,
        actor=by,
        obj=profile,
        area=cook.home_area,
        request=request,
        detail={"move": move.pk},
    )
    tell_cook(cook, "move_confirmed" if confirm else "move_declined")
    return move


def decide_identity_check(
    *, by: User, check: IdentityCheck, approve: bool, reason: str = "", request=None
) -> IdentityCheck:
    """A coordinator of the cook's area approves or rejects a photo check after comparing it with the
    profile. The photo is deleted in the same step. A rejection needs a reason the cook will see."""
    reason = (reason or "").strip()
    area = check.cook.home_area
    if by.pk == check.cook_id or area is None or not can_manage_area(by, area):
        raise OnboardingError(_("You can only decide checks for cooks in your own areas."))
    if not approve and not reason:
        raise OnboardingError(_("Enter the reason, so the cook knows what to do next"))
    with transaction.atomic():
        check = IdentityCheck.objects.select_for_update().select_related("cook").get(pk=check.pk)
        if check.method != IdentityCheck.Method.PHOTO or not check.is_open:
            raise OnboardingError(_("This check has already been decided."))
        check.status = IdentityCheck.Status.APPROVED if approve else IdentityCheck.Status.REJECTED
        check.decided_by, check.decided_at, check.reason = by, timezone.now(), reason
        _delete_image(check)
        check.save()
        audit.record(
            action=audit.Action.IDENTITY_CHECK_APPROVED if approve else audit.Action.IDENTITY_CHECK_REJECTED,
            actor=by,
            obj=check,
            area=area,
            request=request,
        )
        tell_cook(check.cook, "identity_approved" if approve else "identity_rejected", reason=reason)
    return check


def record_seen_in_person(
    *, by: User, cook: User, document_type: str, channel: str = Channel.IN_PERSON, request=None
) -> IdentityCheck:
    """A coordinator saw the cook's document in person: the check is approved at once, and any open
    photo check is closed (its photo deleted)."""
    area = cook.home_area
    if by.pk == cook.pk or area is None or not can_manage_area(by, area):
        raise OnboardingError(_("You can only check cooks in your own areas."))
    if document_type not in IdentityCheck.DocumentType.values:
        raise OnboardingError(_("Select the type of document you saw"))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=cook.pk).first()  # one decision per cook at a time
        for open_check in IdentityCheck.objects.select_for_update().filter(
            cook=cook, status__in=IdentityCheck.OPEN_STATUSES
        ):
            open_check.status = IdentityCheck.Status.CANCELLED
            open_check.reason = _("Replaced by a check in person.")
            _delete_image(open_check)
            open_check.save()
        now = timezone.now()
        check = IdentityCheck.objects.create(
            cook=cook,
            method=IdentityCheck.Method.IN_PERSON,
            document_type=document_type,
            status=IdentityCheck.Status.APPROVED,
            decided_by=by,
            decided_at=now,
        )
        audit.record(
            action=audit.Action.IDENTITY_SEEN_IN_PERSON,
            actor=by,
            obj=check,
            area=area,
            request=request,
            channel=channel,
            detail={"document_type": document_type},
        )
        tell_cook(cook, "identity_approved")
    return check


COOK_STATUS = TransitionTable(
    approve=Transition(
        sources=(CookProfile.Status.PENDING,),
        target=CookProfile.Status.ACTIVE,
        audit_action=audit.Action.COOK_APPROVED,
        refused=gettext_lazy("This cook has already been approved."),
        reason_required=False,
    ),
    suspend=Transition(
        sources=(CookProfile.Status.PENDING, CookProfile.Status.ACTIVE),
        target=CookProfile.Status.SUSPENDED,
        audit_action=audit.Action.COOK_SUSPENDED,
        refused=gettext_lazy("This cook cannot be suspended: they are not active or waiting for approval."),
        reason_missing=gettext_lazy("Enter the reason, so the cook knows why"),
    ),
    reactivate=Transition(
        sources=(CookProfile.Status.SUSPENDED,),
        target=CookProfile.Status.ACTIVE,
        audit_action=audit.Action.COOK_REACTIVATED,
        refused=gettext_lazy("Only a suspended cook can be reactivated."),
        reason_missing=gettext_lazy("Enter the reason for reactivating this cook"),
    ),
)


def _change_status(
    *, by: User, cook: User, profile: CookProfile, action: str, reason: str, request=None
) -> CookProfile:
    return status.change_status(
        profile,
        transition=COOK_STATUS[action],
        by=by,
        reason=reason,
        error=OnboardingError,
        area=cook.home_area,
        changes={"status_changed_at": timezone.now(), "status_changed_by": by},
        request=request,
    )


def _lock_profile(cook: User, transition: Transition) -> CookProfile:
    profile = CookProfile.objects.select_for_update().filter(user=cook).first()
    if profile is None:
        raise OnboardingError(transition.refusal())
    return profile


def _check_coordinator(by: User, cook: User) -> None:
    # A cook can never approve themselves, even one who is also a coordinator.
    if by.pk == cook.pk or cook.home_area is None or not can_manage_area(by, cook.home_area) or not cook.is_cook:
        raise OnboardingError(_("You can only approve cooks in your own areas."))


@transaction.atomic
def approve_cook(*, by: User, cook: User, request=None) -> CookProfile:
    """A coordinator approves a cook, who becomes active, only when the gate names nothing missing."""
    _check_coordinator(by, cook)
    blockers = activation_blockers(cook)
    if blockers:
        raise ActivationRefused(blockers)
    profile = _lock_profile(cook, COOK_STATUS["approve"])
    profile = _change_status(by=by, cook=cook, profile=profile, action="approve", reason="", request=request)
    tell_cook(cook, "cook_approved")
    return profile


@transaction.atomic
def suspend_cook(*, by: User, cook: User, reason: str, request=None) -> CookProfile:
    """A coordinator stops a cook being matched, with a reason the cook sees."""
    _check_coordinator(by, cook)
    reason = status.clean_reason(COOK_STATUS["suspend"], reason, error=OnboardingError)
    profile = _lock_profile(cook, COOK_STATUS["suspend"])
    profile = _change_status(by=by, cook=cook, profile=profile, action="suspend", reason=reason, request=request)
    tell_cook(cook, "cook_suspended", reason=reason)
    return profile


@transaction.atomic
def reactivate_cook(*, by: User, cook: User, reason: str, request=None) -> CookProfile:
    """A coordinator lifts a suspension; the gate is checked again (a certificate may have expired)."""
    _check_coordinator(by, cook)
    transition = COOK_STATUS["reactivate"]
    reason = status.clean_reason(transition, reason, error=OnboardingError)
    profile = _lock_profile(cook, transition)
    # Not suspended says more than "still missing", so it is checked before the gate.
    status.check_allowed(profile, transition, error=OnboardingError)
    blockers = activation_blockers(cook)
    if blockers:
        raise ActivationRefused(blockers)
    profile = _change_status(by=by, cook=cook, profile=profile, action="reactivate", reason=reason, request=request)
    tell_cook(cook, "cook_reactivated", reason=reason)
    return profile
