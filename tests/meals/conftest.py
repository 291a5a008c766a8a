"""Diner builders: the answers of a whole request, a submitted request, an accepted one."""

from datetime import date

import pytest
from django.utils import timezone

from casserole.models import PostcodeCentroid
from meals.diners.models import Allergen, Diner
from meals.diners.services import DINER_FIELDS
from meals.referrals import services
from meals.referrals.models import Referral
from tests.factories import E8_CENTRE, DinerFactory, IdentityCheckFactory, ProxyAccessFactory, ReferralFactory
from tests.onboarding import cover_e8

ANSWERS = {
    "relationship": Referral.Relationship.FAMILY,
    "full_name": "Edith O'Brien",
    "name_reading": "",
    "preferred_name": "Edie",
    "form_of_address": "",
    "preferred_language": "en",
    "country": "GB",
    "address_line1": "12 Mare Street",
    "address_line2": "",
    "town": "London",
    "postcode": "E8 1DY",
    "phone": "+442071234567",  # a real-looking number: forms refuse drama numbers (020 7946 0xxx)
    "access_notes": "Key safe by the door, code 1234. Ring twice.",
    "dietary_needs": "Diabetic: no sugary puddings",
    "allergens": [Allergen.PEANUTS, Allergen.SESAME],
    "allergy_notes": "Kiwi fruit",
    "texture": Diner.Texture.SOFT,
    "likes": "Fish pie",
    "dislikes": "Spicy food",
    "frequency": Diner.Frequency.WEEKLY,
    "days": ["tue", "thu"],
    "emergency_name": "Sarah Bennett",
    "emergency_phone": "+447911123456",
    "emergency_relationship": "Daughter",
    "consent_given": True,
    "consent_method": Diner.ConsentMethod.IN_PERSON,
    "consent_given_on": "2026-11-20",
    "share_with_cook": [Diner.Share.ADDRESS, Diner.Share.PHONE, Diner.Share.ACCESS],
    "concerns_to_referrer": True,
    "concerns_to_emergency_contact": False,
}


@pytest.fixture
def answers():
    return dict(ANSWERS)


@pytest.fixture
def covered_area_a(area_a):
    cover_e8(area_a)
    # Real districts that no club covers: the offline table knows them, so a postcode there is "no club
    # near you yet", not "we don't recognise this postcode" (accounts.people.selectors.postcode_recognised).
    for prefix, latitude, longitude, place in OUTSIDE_EVERY_AREA:
        PostcodeCentroid.objects.get_or_create(
            country="GB", prefix=prefix, defaults={"latitude": latitude, "longitude": longitude, "place_name": place}
        )
    return area_a


OUTSIDE_EVERY_AREA = (
    ("E1", "51.517000", "-0.062000", "Whitechapel"),
    ("M1", "53.479000", "-2.236000", "Manchester"),
    ("N1", "51.538000", "-0.097000", "Islington"),
    ("SW1A", "51.501000", "-0.141000", "Westminster"),
)


def submit(*, by, answers=None, channel="web", **changes) -> Referral:
    draft = services.start_draft(owner=by, channel=channel, data={**ANSWERS, **(answers or {}), **changes})
    return services.submit_referral(draft=draft, by=by)


@pytest.fixture
def referral(referrer, covered_area_a):
    return submit(by=referrer)


@pytest.fixture
def accepted(referral, coordinator_a):
    return services.accept_referral(
        by=coordinator_a, referral=referral, scopes={"can_view_schedule": True, "can_edit_details": True}
    )


def today() -> date:
    return date.today()


def make_active_cook(user, *, coordinator, course, **profile):
    """A cook through every step of the gate and approved: profile in E8 (area A must cover it)."""
    from accounts.review import services as cook_services
    from tests.onboarding import make_profile
    from tests.training.conftest import certify

    make_profile(user, **profile)
    IdentityCheckFactory(cook=user, decided_by=coordinator)
    certify(user, course)
    cook_services.approve_cook(by=coordinator, cook=user)
    return user


@pytest.fixture
def active_cook(cook, coordinator_a, course, covered_area_a):
    return make_active_cook(cook, coordinator=coordinator_a, course=course)


@pytest.fixture
def diner(referrer, coordinator_a, covered_area_a):
    """An accepted diner in area A (E8 1DY, 12 Mare Street, at the centre of E8), unmatched, with
    ANSWERS' details; the referrer acts for them (schedule and details). Made with factories: how a
    request becomes a diner is for the tests of the referral services (the `accepted` fixture)."""
    diner = DinerFactory(
        **{name: ANSWERS[name] for name in DINER_FIELDS if name in ANSWERS},
        area=covered_area_a,
        status=Diner.Status.ACTIVE,
        **E8_CENTRE,
        consent_method=ANSWERS["consent_method"],
        consent_given_on=date.fromisoformat(ANSWERS["consent_given_on"]),
        consent_recorded_by=referrer,
        share_with_cook=ANSWERS["share_with_cook"],
        concerns_to_referrer=ANSWERS["concerns_to_referrer"],
        concerns_to_emergency_contact=ANSWERS["concerns_to_emergency_contact"],
    )
    ReferralFactory(
        diner=diner,
        referrer=referrer,
        status=Referral.Status.ACCEPTED,
        decided_by=coordinator_a,
        decided_at=timezone.now(),
    )
    ProxyAccessFactory(
        diner=diner, referrer=referrer, can_view_schedule=True, can_edit_details=True, granted_by=coordinator_a
    )
    return diner
