"""A request sent twice at the same moment (a double click, two tabs) makes one diner and one
request, on PostgreSQL (SQLite serialises writers and would hide the race)."""

import pytest
from django.db import connection

from meals.diners.models import Diner
from meals.referrals import services
from meals.referrals.models import Referral
from tests.factories import AreaFactory, UserFactory
from tests.meals.conftest import ANSWERS
from tests.onboarding import cover_e8
from tests.training.test_concurrency import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_five_sends_of_one_request_at_once_make_one_request():
    cover_e8(AreaFactory(name="Area A", slug="area-a"))
    referrer = UserFactory(email="referrer@example.org", is_referrer=True)
    draft = services.start_draft(owner=referrer, data=dict(ANSWERS))

    results = at_once(lambda: services.submit_referral(draft=draft, by=referrer).pk, count=5)

    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert Referral.objects.count() == Diner.objects.count() == 1


def test_thirty_cooks_offering_for_one_diner_at_once_make_exactly_one_offer():
    from meals.matching import services as matching
    from meals.matching.models import Match
    from meals.matching.services import AlreadyTaken
    from meals.referrals import services
    from tests.factories import CoordinatorFactory, add_totp
    from tests.meals.conftest import make_active_cook
    from training.services import load_course

    area = AreaFactory(name="Area A", slug="area-a")
    cover_e8(area)
    coordinator = CoordinatorFactory(email="coord-a@example.org", areas=[area])
    add_totp(coordinator)
    course = load_course(version="v1")
    referrer = UserFactory(email="referrer@example.org", is_referrer=True)
    draft = services.start_draft(owner=referrer, data=dict(ANSWERS))
    diner = services.accept_referral(
        by=coordinator, referral=services.submit_referral(draft=draft, by=referrer), scopes={}
    ).diner
    cooks = [
        make_active_cook(
            UserFactory(email=f"cook{n}@example.org", full_name=f"Cook {n}", is_cook=True),
            coordinator=coordinator,
            course=course,
        )
        for n in range(30)
    ]
    pending = iter(cooks)
    lock = __import__("threading").Lock()

    def offer():
        with lock:
            cook = next(pending)
        try:
            return matching.offer_to_cook(cook=cook, diner=diner).pk
        except AlreadyTaken as refused:
            return refused

    results = at_once(offer, count=30)

    won = [result for result in results if isinstance(result, int)]
    lost = [result for result in results if isinstance(result, AlreadyTaken)]
    assert len(won) == 1 and len(lost) == 29, [r for r in results if not isinstance(r, int | AlreadyTaken)]
    assert Match.objects.filter(diner=diner).count() == 1
