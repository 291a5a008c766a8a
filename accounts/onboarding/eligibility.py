"""Writes for cook onboarding: the profile and location, identity checks, and the activation gate.

Split from accounts/services.py (accounts, coordinators, two-factor) by topic; the Stripe route is in
accounts/stripe_identity.py. Every write here is audited and tells the cook by email (a background
task, queued when the transaction commits).

The activation gate lives in `activation_blockers`: `approve_cook` and `reactivate_cook` refuse while
it names anything, and nothing else sets a cook's status to active.
"""

from allauth.account.models import EmailAddress
from django.db import models
from django.utils.translation import gettext_lazy

from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import User
from training.selectors import has_valid_certificate


class Blocker(models.TextChoices):
    """The conditions of the activation gate, in the order a cook meets them."""

    EMAIL = "email", gettext_lazy("a confirmed email address")
    PROFILE = "profile", gettext_lazy("a completed profile")
    AREA = "area", gettext_lazy("a home in one of our areas")
    IDENTITY = "identity", gettext_lazy("an approved identity check")
    CERTIFICATE = "certificate", gettext_lazy("a valid food-safety certificate")


def identity_approved(cook: User) -> bool:
    return IdentityCheck.objects.filter(cook=cook, status=IdentityCheck.Status.APPROVED).exists()


def activation_blockers(cook: User) -> list[Blocker]:
    """Every condition a cook still misses before a coordinator may make them active: the one place
    the rule is written. Views and templates ask this; they never re-derive it."""
    blockers = []
    if not EmailAddress.objects.filter(user=cook, verified=True).exists():
        blockers.append(Blocker.EMAIL)
    if not CookProfile.objects.filter(user=cook).exists():
        blockers.append(Blocker.PROFILE)
    elif cook.home_area_id is None:
        blockers.append(Blocker.AREA)
    if not identity_approved(cook):
        blockers.append(Blocker.IDENTITY)
    if not has_valid_certificate(cook):
        blockers.append(Blocker.CERTIFICATE)
    return blockers


def is_active_cook(cook: User) -> bool:
    """Whether a cook may be matched now: approved and not suspended, and still holding a valid
    certificate (an expired certificate stops new matches without any change of status)."""
    return (
        cook.is_active
        and CookProfile.objects.filter(user=cook, status=CookProfile.Status.ACTIVE).exists()
        and has_valid_certificate(cook)
    )
