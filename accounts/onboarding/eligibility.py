"""Who may become an active cook, and who may be matched now: each rule written twice, side by side.

- The activation gate. `activation_blockers(cook)` names every condition a cook still misses before a
  coordinator may make them active: `approve_cook` and `reactivate_cook` refuse while it names
  anything, and nothing else sets a cook's status to active. Its SQL form is `with_gate` with
  `BLOCKED_WHERE`, one condition per `Blocker` (the coordinator's cook list builds its stages on them).
- Being active. `is_active_cook(cook)` says whether a cook may be matched now; its SQL form is
  `active_cooks`, which every list of matchable cooks filters through.

The Python form serves one cook (a page, a service's check); the SQL form serves lists, where a query
per cook would not do. They must change together: tests/accounts/onboarding/test_eligibility.py builds a cook at
every stage, fails when the two forms disagree on any of them, and fails when a `Blocker` has no case.
Nowhere else writes these conditions: use these functions.
"""

from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import User
from training.models import Certificate
from training.selectors import has_valid_certificate


class Blocker(models.TextChoices):
    """The conditions of the activation gate, in the order a cook meets them. A new member needs its
    condition in BLOCKED_WHERE and a case in tests/accounts/onboarding/test_eligibility.py."""

    EMAIL = "email", gettext_lazy("a confirmed email address")
    PROFILE = "profile", gettext_lazy("a completed profile")
    AREA = "area", gettext_lazy("a home in one of our areas")
    IDENTITY = "identity", gettext_lazy("an approved identity check")
    CERTIFICATE = "certificate", gettext_lazy("a valid food-safety certificate")


def identity_approved(cook: User) -> bool:
    """Whether any of the cook's identity checks was approved (a later attempt does not undo it)."""
    return IdentityCheck.objects.filter(cook=cook, status=IdentityCheck.Status.APPROVED).exists()


# The activation gate -------------------------------------------------------------------------------------


def activation_blockers(cook: User, at=None) -> list[Blocker]:
    """Every condition a cook still misses before a coordinator may make them active, at `at` (default
    now). Views and templates ask this; they never re-derive it. The SQL form is `with_gate` with
    `BLOCKED_WHERE`: change both together."""
    blockers = []
    if not EmailAddress.objects.filter(user=cook, verified=True).exists():
        blockers.append(Blocker.EMAIL)
    if not CookProfile.objects.filter(user=cook).exists():
        blockers.append(Blocker.PROFILE)
    elif cook.home_area_id is None:
        blockers.append(Blocker.AREA)
    if not identity_approved(cook):
        blockers.append(Blocker.IDENTITY)
    if not has_valid_certificate(cook, at):
        blockers.append(Blocker.CERTIFICATE)
    return blockers


def with_gate(users: QuerySet, at=None) -> QuerySet:
    """The users annotated with what the activation gate asks, as subqueries of the same query:
    `email_confirmed`, `identity_approved` and `certificate_valid` (at `at`, default now). Filter them
    with BLOCKED_WHERE; this is `activation_blockers` in SQL, so change both together."""
    return users.annotate(
        email_confirmed=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        identity_approved=Exists(
            IdentityCheck.objects.filter(cook=OuterRef("pk"), status=IdentityCheck.Status.APPROVED)
        ),
        certificate_valid=Exists(Certificate.objects.filter(user=OuterRef("pk")).valid(at)),
    )


# Each blocker as a condition on the users of `with_gate`: true for exactly the users whose
# activation_blockers name it.
BLOCKED_WHERE: dict[Blocker, Q] = {
    Blocker.EMAIL: Q(email_confirmed=False),
    Blocker.PROFILE: Q(cook_profile__isnull=True),
    Blocker.AREA: Q(cook_profile__isnull=False, home_area__isnull=True),
    Blocker.IDENTITY: Q(identity_approved=False),
    Blocker.CERTIFICATE: Q(certificate_valid=False),
}


def ready_for_activation(users: QuerySet | None = None, at=None) -> QuerySet:
    """The users (default: everyone) whose activation_blockers name nothing, in one query."""
    users = User.objects.all() if users is None else users
    return with_gate(users, at).exclude(reduce(or_, BLOCKED_WHERE.values()))


# Being active --------------------------------------------------------------------------------------------


def is_active_cook(cook: User, at=None) -> bool:
    """Whether a cook may be matched at `at` (default now): approved and not suspended, and still
    holding a valid certificate (an expired certificate stops new matches without any change of
    status). The SQL form is `active_cooks`: change both together."""
    return (
        cook.is_active
        and CookProfile.objects.filter(user=cook, status=CookProfile.Status.ACTIVE).exists()
        and has_valid_certificate(cook, at)
    )


def active_cooks(users: QuerySet | None = None, at=None) -> QuerySet:
    """The users (default: everyone) for whom `is_active_cook` holds at `at` (default now), in one
    query: every list of cooks who may be matched starts here. The filter joins the profile, so
    `select_related("cook_profile")` adds no join."""
    users = User.objects.all() if users is None else users
    return users.filter(
        Exists(Certificate.objects.filter(user=OuterRef("pk")).valid(at)),
        is_active=True,
        cook_profile__status=CookProfile.Status.ACTIVE,
    )
