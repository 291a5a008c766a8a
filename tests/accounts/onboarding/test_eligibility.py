"""The activation gate and "active" are each written twice in accounts/onboarding/eligibility.py, in
Python for one cook and in SQL for a list. A cook at every stage, and with every way of missing each
condition, must get the same answer from both; and every Blocker needs a case here where it is the only
thing missing, so a new blocker without one fails."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.onboarding.eligibility import (
    BLOCKED_WHERE,
    Blocker,
    activation_blockers,
    active_cooks,
    is_active_cook,
    ready_for_activation,
    with_gate,
)
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import User
from tests.factories import UserFactory, loaded_course
from tests.training.conftest import certify
from training.models import Certificate

pytestmark = pytest.mark.django_db

Check = IdentityCheck.Status
Status = CookProfile.Status


@dataclass(frozen=True)
class Cook:
    """One cook's state. `certificates` are "valid", "expired", "revoked" or "expiring" (tomorrow)."""

    email: str = "verified"  # "verified", "unverified" or "none"
    profile: bool = True
    status: str = Status.PENDING
    placed: bool = True
    in_area: bool = True
    account_active: bool = True
    identity: tuple[str, ...] = (Check.APPROVED,)
    certificates: tuple[str, ...] = ("valid",)


@dataclass(frozen=True)
class Case:
    cook: Cook
    blockers: list[Blocker] = field(default_factory=list)  # what the gate names now
    active: bool = False  # whether the cook may be matched now


CASES = {
    "ready for approval": Case(Cook()),
    "just signed up": Case(
        Cook(email="unverified", profile=False, identity=(), certificates=()),
        [Blocker.EMAIL, Blocker.PROFILE, Blocker.IDENTITY, Blocker.CERTIFICATE],
    ),
    # Email
    "email not confirmed": Case(Cook(email="unverified"), [Blocker.EMAIL]),
    "no email address at all": Case(Cook(email="none"), [Blocker.EMAIL]),
    # Profile and area
    "no profile": Case(Cook(profile=False), [Blocker.PROFILE]),
    "no profile and no area": Case(Cook(profile=False, in_area=False), [Blocker.PROFILE]),
    "profile but no area": Case(Cook(in_area=False), [Blocker.AREA]),
    "not placed on the map": Case(Cook(placed=False)),
    # Identity
    "no identity check": Case(Cook(identity=()), [Blocker.IDENTITY]),
    "identity check waiting": Case(Cook(identity=(Check.PENDING,)), [Blocker.IDENTITY]),
    "identity check needs input": Case(Cook(identity=(Check.NEEDS_INPUT,)), [Blocker.IDENTITY]),
    "identity rejected": Case(Cook(identity=(Check.REJECTED,)), [Blocker.IDENTITY]),
    "identity check cancelled": Case(Cook(identity=(Check.CANCELLED,)), [Blocker.IDENTITY]),
    "identity rejected, then approved": Case(Cook(identity=(Check.REJECTED, Check.APPROVED))),
    "identity approved, then a new check waiting": Case(Cook(identity=(Check.APPROVED, Check.PENDING))),
    # Certificate
    "no certificate": Case(Cook(certificates=()), [Blocker.CERTIFICATE]),
    "certificate expired": Case(Cook(certificates=("expired",)), [Blocker.CERTIFICATE]),
    "certificate revoked": Case(Cook(certificates=("revoked",)), [Blocker.CERTIFICATE]),
    "certificate expiring tomorrow": Case(Cook(certificates=("expiring",))),
    "expired, then retaken": Case(Cook(certificates=("expired", "valid"))),
    # Approved, suspended, and what stops an approved cook being matched
    "active": Case(Cook(status=Status.ACTIVE), active=True),
    "active, not placed on the map": Case(Cook(status=Status.ACTIVE, placed=False), active=True),
    "active, certificate expiring tomorrow": Case(Cook(status=Status.ACTIVE, certificates=("expiring",)), active=True),
    "active, certificate expired": Case(Cook(status=Status.ACTIVE, certificates=("expired",)), [Blocker.CERTIFICATE]),
    "active, certificate revoked": Case(Cook(status=Status.ACTIVE, certificates=("revoked",)), [Blocker.CERTIFICATE]),
    "active, account switched off": Case(Cook(status=Status.ACTIVE, account_active=False)),
    # Matching does not ask again for what approval already checked.
    "active, email no longer confirmed": Case(Cook(status=Status.ACTIVE, email="unverified"), [Blocker.EMAIL], True),
    "suspended": Case(Cook(status=Status.SUSPENDED)),
    "suspended, certificate expired": Case(
        Cook(status=Status.SUSPENDED, certificates=("expired",)), [Blocker.CERTIFICATE]
    ),
}


def build(cook: Cook, *, n: int, area, course) -> User:
    now = timezone.now()
    user = UserFactory(
        email=f"eligibility{n}@example.org",
        is_cook=True,
        home_area=area if cook.in_area else None,
        is_active=cook.account_active,
    )
    if cook.email == "unverified":
        EmailAddress.objects.filter(user=user).update(verified=False)
    elif cook.email == "none":
        EmailAddress.objects.filter(user=user).delete()
    if cook.profile:
        placed = {"latitude": 51.5466, "longitude": -0.0553} if cook.placed else {}
        CookProfile.objects.create(
            user=user,
            country="GB",
            address_line1="1 Test Street",
            postcode="E8 1AA",
            travel_distance=Decimal("3"),
            frequency=CookProfile.Frequency.WEEKLY,
            cooking_likes="Soups",
            completed_at=now,
            status=cook.status,
            **placed,
        )
    for age, status in enumerate(reversed(cook.identity)):
        IdentityCheck.objects.create(
            cook=user, method=IdentityCheck.Method.IN_PERSON, status=status, created_at=now - timedelta(days=age)
        )
    days_left = {"valid": 365, "revoked": 365, "expiring": 1, "expired": -1}
    for kind in cook.certificates:
        expires_at = now + timedelta(days=days_left[kind])
        certificate = certify(user, course, issued_at=now - timedelta(days=400), expires_at=expires_at)
        if kind == "revoked":
            Certificate.objects.filter(pk=certificate.pk).update(revoked_at=now)
    return user


@pytest.fixture
def cooks(area_a) -> dict[str, User]:
    course = loaded_course()
    return {name: build(case.cook, n=n, area=area_a, course=course) for n, (name, case) in enumerate(CASES.items())}


def names(users, cooks: dict[str, User]) -> set[str]:
    by_pk = {user.pk: name for name, user in cooks.items()}
    return {by_pk[pk] for pk in users.values_list("pk", flat=True)}


def of(cooks: dict[str, User]):
    return User.objects.filter(pk__in=[user.pk for user in cooks.values()])


def test_every_blocker_has_a_case_where_it_is_the_only_one_missing():
    alone = {case.blockers[0] for case in CASES.values() if len(case.blockers) == 1}
    assert alone == set(Blocker)
    assert set(BLOCKED_WHERE) == set(Blocker)


def test_the_python_rules_give_each_case_its_expected_answer(cooks):
    for name, cook in cooks.items():
        assert activation_blockers(cook) == CASES[name].blockers, name
        assert is_active_cook(cook) is CASES[name].active, name


def test_the_sql_rules_give_each_case_its_expected_answer(cooks):
    for blocker in Blocker:
        blocked = names(with_gate(of(cooks)).filter(BLOCKED_WHERE[blocker]), cooks)
        assert blocked == {name for name, case in CASES.items() if blocker in case.blockers}, blocker
    assert names(ready_for_activation(of(cooks)), cooks) == {name for name, case in CASES.items() if not case.blockers}
    assert names(active_cooks(of(cooks)), cooks) == {name for name, case in CASES.items() if case.active}


# Now, once the certificates expiring tomorrow have expired, and once every certificate has.
@pytest.mark.parametrize("days", [0, 2, 400])
def test_sql_and_python_agree_at_any_time(cooks, days):
    at = timezone.now() + timedelta(days=days)
    for blocker in Blocker:
        in_sql = names(with_gate(of(cooks), at=at).filter(BLOCKED_WHERE[blocker]), cooks)
        in_python = {name for name, cook in cooks.items() if blocker in activation_blockers(cook, at=at)}
        assert in_sql == in_python, blocker
    ready = {name for name, cook in cooks.items() if activation_blockers(cook, at=at) == []}
    assert names(ready_for_activation(of(cooks), at=at), cooks) == ready
    active = {name for name, cook in cooks.items() if is_active_cook(cook, at=at)}
    assert names(active_cooks(of(cooks), at=at), cooks) == active


def test_active_cooks_defaults_to_everyone(cooks, coordinator_a):
    assert names(active_cooks(), cooks) == {name for name, case in CASES.items() if case.active}
