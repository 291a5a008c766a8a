import pytest
from django.contrib.auth.models import AnonymousUser

from meals.referrals.access import can_triage
from tests.meals.conftest import submit

pytestmark = pytest.mark.django_db


def test_only_a_coordinator_of_the_diners_area_or_an_admin_may_triage(
    referral, referrer, cook, coordinator_a, coordinator_b, admin_user
):
    assert can_triage(coordinator_a, referral)
    assert can_triage(admin_user, referral)
    assert not can_triage(coordinator_b, referral)
    assert not can_triage(referrer, referral)
    assert not can_triage(cook, referral)
    assert not can_triage(AnonymousUser(), referral)


def test_a_coordinator_who_took_a_phone_request_is_offered_the_queue_link(covered_area_a, coordinator_a, login_as):
    phoned = submit(by=coordinator_a, channel="phone")
    page = login_as(coordinator_a).get(f"/en/request/sent/{phoned.pk}/").content.decode()
    assert f"/en/coordinator/referrals/{phoned.pk}/" in page


def test_the_referrer_is_not_offered_the_queue_link(referral, referrer, login_as):
    page = login_as(referrer).get(f"/en/request/sent/{referral.pk}/").content.decode()
    assert f"/en/coordinator/referrals/{referral.pk}/" not in page
