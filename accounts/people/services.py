"""Writes about people: invitations, roles and areas, two-factor devices. Each one is audited."""

import hashlib
import math
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.people.access import can_manage_area
from accounts.people.models import Area, CoordinatorMembership, Invitation, User
from casserole import audit
from casserole.email_addresses import validate_email_address
from casserole.errors import DomainError
from casserole.mail import absolute_url, queue_templated_email


class AccountError(DomainError):
    """Refused on an account: invitations, memberships, email, sign-in and two-factor."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_coordinator(*, by: User, area: Area, email: str, full_name: str, request=None) -> Invitation:
    """Invite someone to coordinate `area` by an expiring link. Only an admin or a coordinator of
    that area may invite; a new invitation replaces an open one for the same email and area."""
    if not can_manage_area(by, area):
        raise AccountError(_("You can only invite coordinators to your own areas."))
    email = email.strip().lower()
    try:
        # The form checks this too; here it is what keeps an address too long for the column (which
        # PostgreSQL refuses and SQLite stores whole) out of the database whoever calls.
        validate_email_address(email)
    except ValidationError as error:
        raise AccountError(error.messages[0]) from None
    if CoordinatorMembership.objects.filter(user__email=email, area=area).exists():
        raise AccountError(_("That person already coordinates this area."))
    now = timezone.now()
    Invitation.objects.filter(email=email, area=area, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        area=area,
        invited_by=by,
        token_hash=hash_token(token),
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit.record(action=audit.Action.COORDINATOR_INVITED, actor=by, obj=invitation, area=area, request=request)
    language = "ja" if area.country == Area.Country.JP else "en"
    queue_templated_email(
        to=email,
        template="accounts/people/email/invitation",
        context={
            "invitation": invitation,
            "area_name": area.display_name(language),
            "inviter": by.full_name,
            "url": settings.SITE_URL + _reverse_in(language, "accounts:accept_invitation", token=token),
            "days": settings.INVITATION_VALID_DAYS,
        },
        language=language,
    )
    return invitation


def _reverse_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def get_usable_invitation(token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("area").filter(token_hash=hash_token(token)).first()
    return invitation if invitation is not None and invitation.is_usable else None


@transaction.atomic
def accept_invitation(
    *,
    token: str,
    acting_user: User | None = None,
    full_name: str = "",
    name_reading: str = "",
    phone: str = "",
    password: str = "",
    request=None,
) -> User:
    """Turn an invitation into a coordinator account, or add the area to the account of the person
    signed in (`acting_user`) when one already uses that email. The link came by email, so the
    address counts as verified."""
    invitation = (
        Invitation.objects.select_for_update().select_related("area").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable:
        raise AccountError(_("This invitation link has expired or has already been used."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and (acting_user is None or acting_user.pk != user.pk):
        raise AccountError(_("You already have an account with this email address. Sign in to accept."))
    if user is None:
        if not password or not full_name:
            raise AccountError(_("Enter your name and create a password."))
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name,
            name_reading=name_reading,
            phone=phone,
            preferred_language="ja" if invitation.area.country == Area.Country.JP else "en",
            is_coordinator=True,
        )
    else:
        user.is_coordinator = True
        user.save(update_fields=["is_coordinator"])
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    try:
        with transaction.atomic():
            CoordinatorMembership.objects.create(user=user, area=invitation.area, added_by=invitation.invited_by)
    except IntegrityError:
        pass  # already a coordinator of this area: accepting again changes nothing
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        action=audit.Action.INVITATION_ACCEPTED, actor=user, obj=invitation, area=invitation.area, request=request
    )
    audit.record(
        action=audit.Action.ROLE_CHANGED,
        actor=user,
        obj=user,
        area=invitation.area,
        request=request,
        detail={"role": "coordinator", "granted": True},
    )
    return user


@transaction.atomic
def revoke_invitation(*, by: User, invitation: Invitation, request=None) -> None:
    """Cancel an open invitation so its link stops working."""
    if not can_manage_area(by, invitation.area):
        raise AccountError(_("You can only manage invitations for your own areas."))
    if invitation.accepted_at or invitation.revoked_at:
        raise AccountError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        action=audit.Action.INVITATION_REVOKED, actor=by, obj=invitation, area=invitation.area, request=request
    )


@transaction.atomic
def remove_coordinator_area(*, by: User, membership: CoordinatorMembership, request=None) -> None:
    """Take an area away from a coordinator; access ends on their next request. A coordinator
    left with no areas stops being a coordinator."""
    if not can_manage_area(by, membership.area):
        raise AccountError(_("You can only manage your own areas."))
    user, area = membership.user, membership.area
    membership.delete()
    detail = {"role": "coordinator", "area": area.pk, "granted": False}
    if not user.coordinator_memberships.exists():
        user.is_coordinator = False
        user.save(update_fields=["is_coordinator"])
    audit.record(action=audit.Action.ROLE_CHANGED, actor=by, obj=user, area=area, request=request, detail=detail)


@transaction.atomic
def set_roles(*, by: User, user: User, roles: dict[str, bool], request=None) -> None:
    """Change role flags (cook, referrer, coordinator, admin). Admins only; every change audited."""
    if not by.is_superuser:
        raise AccountError(_("Only an administrator can change roles."))
    allowed = {"is_cook", "is_referrer", "is_coordinator", "is_staff"}
    changed = {name: value for name, value in roles.items() if name in allowed and getattr(user, name) != value}
    if not changed:
        return
    for name, value in changed.items():
        setattr(user, name, value)
    user.save(update_fields=list(changed))
    audit.record(action=audit.Action.ROLE_CHANGED, actor=by, obj=user, request=request, detail={"changes": changed})


@transaction.atomic
def set_active(*, by: User, user: User, active: bool, reason: str, request=None) -> None:
    """Deactivate or reactivate an account. A deactivated person's sessions stop working at once
    (Django refuses inactive users on every request)."""
    if not by.is_superuser:
        raise AccountError(_("Only an administrator can deactivate accounts."))
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        action=audit.Action.ACCOUNT_REACTIVATED if active else audit.Action.ACCOUNT_DEACTIVATED,
        actor=by,
        obj=user,
        request=request,
        detail={"reason": reason[:200]},
    )


@transaction.atomic
def update_profile(*, user: User, full_name: str, name_reading: str, phone: str, preferred_language: str, request=None):
    """A person edits their own name, reading, phone and language."""
    user.full_name, user.name_reading, user.phone = full_name, name_reading, phone
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "name_reading", "phone", "preferred_language"])
    audit.record(action=audit.Action.PROFILE_UPDATED, actor=user, obj=user, request=request)


@transaction.atomic
def apply_signup_details(*, user: User, data: dict, request=None) -> None:
    """Store what a person said about themselves at sign-up. Only cook and referrer can be chosen
    here: coordinator and admin come only from an invitation or an admin. `signed_up_as` is the
    journey whose link they came by, kept only if they kept that role."""
    roles = set(data.get("roles") or [])
    came_as = data.get("signed_up_as") or ""
    user.full_name = data["full_name"].strip()
    user.name_reading = (data.get("name_reading") or "").strip()
    user.is_cook = "cook" in roles
    user.is_referrer = "referrer" in roles
    user.signed_up_as = came_as if came_as in roles else ""
    user.save(update_fields=["full_name", "name_reading", "is_cook", "is_referrer", "signed_up_as"])
    audit.record(
        action=audit.Action.SIGNED_UP,
        actor=user,
        obj=user,
        request=request,
        detail={"roles": sorted(roles), "signed_up_as": user.signed_up_as},
    )


# Two-factor ---------------------------------------------------------------------------------------


def get_or_create_pending_totp(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up; kept until confirmed so a reload shows the same QR."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp(*, user: User, device: TOTPDevice, token: str, request=None) -> list[str]:
    """Confirm the authenticator with a code from it, replace any older one and issue fresh backup
    codes (returned so they can be shown once). A wrong code is audited and counts towards
    django-otp's throttle, so it is checked outside the transaction that would roll that back."""
    if device.user_id != user.pk or device.confirmed:
        raise AccountError(_("Start setting up your authenticator again."))
    _hold_wait_under_cap(device)
    if not device.verify_is_allowed()[0]:
        audit.record(
            action=audit.Action.SECOND_FACTOR_FAILED, actor=user, obj=user, request=request, detail={"throttled": True}
        )
        raise AccountError(_("Too many wrong codes. Wait a few minutes, then try again."))
    if not device.verify_token(token):
        audit.record(
            action=audit.Action.SECOND_FACTOR_FAILED, actor=user, obj=user, request=request, detail={"stage": "setup"}
        )
        _tell_of_wrong_codes(user, device)
        raise AccountError(_("That code did not work. Check the time on your phone and enter the newest code."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_backup_codes(user)
        audit.record(action=audit.Action.SECOND_FACTOR_ENROLLED, actor=user, obj=user, request=request)
    return codes


def _replace_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def regenerate_backup_codes(*, user: User, request=None) -> list[str]:
    """New backup codes; the old ones stop working."""
    codes = _replace_backup_codes(user)
    audit.record(action=audit.Action.BACKUP_CODES_REGENERATED, actor=user, obj=user, request=request)
    return codes


def verify_second_factor(*, user: User, token: str, request=None):
    """Check a code from the authenticator or a backup code. Returns the device that matched, or
    raises. django-otp throttles each device after failures and refuses a reused TOTP code."""
    token = "".join(token.split()).lower()
    # Six digits are an authenticator code; anything else can only be a backup code.
    if token.isdigit() and len(token) == 6:
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        _hold_wait_under_cap(device)
        allowed, _reason = device.verify_is_allowed()
        if not allowed:
            audit.record(
                action=audit.Action.SECOND_FACTOR_FAILED,
                actor=user,
                obj=user,
                request=request,
                detail={"throttled": True},
            )
            raise AccountError(_("Too many wrong codes. Wait a few minutes, then try again."))
        if device.verify_token(token):
            audit.record(action=audit.Action.SECOND_FACTOR_PASSED, actor=user, obj=user, request=request)
            return device
        _tell_of_wrong_codes(user, device)
    audit.record(action=audit.Action.SECOND_FACTOR_FAILED, actor=user, obj=user, request=request)
    raise AccountError(_("That code did not work. Enter the newest 6-digit code from your app, or a backup code."))


def _hold_wait_under_cap(device) -> None:
    # django-otp waits factor * 2**(failures - 1) seconds with no useful limit. Holding the stored
    # count at the last doubling within TWO_FACTOR_MAX_WAIT keeps every wait under it, including
    # locks left by the unbounded wait; it must run before django-otp decides.
    factor = device.get_throttle_factor()
    if factor <= 0:
        return
    most = max(1, math.floor(math.log2(settings.TWO_FACTOR_MAX_WAIT / factor)) + 1)
    if device.throttling_failure_count > most:
        device.throttling_failure_count = most
        device.save(update_fields=["throttling_failure_count"])


def _tell_of_wrong_codes(user: User, device) -> None:
    # Once per run of wrong codes (the count only comes back down after a right code or a clear):
    # if it was not them, someone has their password.
    if device.throttling_failure_count != settings.TWO_FACTOR_ALERT_AFTER:
        return
    language = user.preferred_language
    queue_templated_email(
        to=user.email,
        template="accounts/people/email/wrong_codes",
        context={
            "name": user.full_name,
            "count": device.throttling_failure_count,
            "minutes": settings.TWO_FACTOR_MAX_WAIT // 60,
            "url": absolute_url("account_reset_password", language),
        },
        language=language,
    )


@transaction.atomic
def clear_second_factor_lockout(*, by: User, user: User, request=None) -> None:
    """Let someone kept waiting after wrong codes try again at once. Administrators only, and
    audited: the wait is what slows down a person guessing codes with a stolen password."""
    if not by.is_superuser:
        raise AccountError(_("Only an administrator can clear the wait after wrong sign-in codes."))
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    audit.record(action=audit.Action.SECOND_FACTOR_LOCKOUT_CLEARED, actor=by, obj=user, request=request)


@transaction.atomic
def disable_second_factor(*, user: User, request=None) -> None:
    """Turn two-factor off. Refused for coordinators and admins, for whom it is mandatory."""
    if user.needs_second_factor:
        raise AccountError(_("Coordinators and administrators must keep two-factor sign-in on."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(action=audit.Action.SECOND_FACTOR_DISABLED, actor=user, obj=user, request=request)
    if request is not None:
        update_session_auth_hash(request, user)
