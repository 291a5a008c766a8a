"""notify_coordinators: the one way the coordinators of some areas are told something needs them."""

import pytest

from accounts.people.notices import notify_coordinators
from casserole.models import OutboundEmail
from tests.factories import AreaFactory, CoordinatorFactory

pytestmark = pytest.mark.django_db


def _tell(area_ids):
    return notify_coordinators(
        area_ids=area_ids,
        template="accounts/onboarding/email/identity_waiting",
        url_name="coordinator:identity_queue",
        context=lambda coordinator: {"area_name": f"area of {coordinator.full_name}", "days": 7},
    )


def test_every_active_coordinator_of_the_areas_is_told_once_in_their_own_language(
    area_a, area_b, coordinator_a, coordinator_b
):
    both = CoordinatorFactory(full_name="Both Areas", preferred_language="ja", areas=[area_a, area_b])
    CoordinatorFactory(is_active=False, areas=[area_a])  # left: no longer told
    CoordinatorFactory(areas=[AreaFactory()])  # another area's coordinator

    told = _tell([area_a.pk, area_b.pk, None])

    assert told == [coordinator_a, coordinator_b, both]
    emails = {email.to: email for email in OutboundEmail.objects.all()}
    assert sorted(emails) == sorted(person.email for person in told)
    assert "/en/coordinator/" in emails[coordinator_a.email].body
    japanese = emails[both.email]
    assert "/ja/coordinator/" in japanese.body and "area of Both Areas" in japanese.subject
    assert "Casserole:" not in japanese.subject  # rendered in Japanese


def test_nobody_is_told_about_an_area_without_coordinators(area_a):
    assert _tell([area_a.pk]) == []
    assert not OutboundEmail.objects.exists()
