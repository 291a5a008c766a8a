"""The referrer's page about one accepted request says only what is true (issue 15, item 4): with
access to act for the diner it sends them to the diner's page, which knows about cooks and visits;
without it, it promises no more than the coordinator does."""

import pytest

from meals.diners.models import ProxyAccess
from meals.referrals.services import accept_referral
from tests.meals.conftest import submit

pytestmark = pytest.mark.django_db


def test_an_accepted_request_points_to_the_diners_page_when_the_referrer_acts_for_them(
    login_as, referrer, coordinator_a, covered_area_a
):
    referral = submit(by=referrer)
    accept_referral(by=coordinator_a, referral=referral, scopes={"can_view_schedule": True})

    html = login_as(referrer).get(f"/en/referrals/{referral.pk}/").content.decode()

    assert "looking for a volunteer cook" not in html
    assert "page shows whether a cook has been found" in html
    assert f'href="/en/diners/{referral.diner_id}/"' in html


def test_without_access_the_page_promises_only_what_the_coordinator_does(
    login_as, referrer, coordinator_a, covered_area_a
):
    referral = submit(by=referrer)
    accept_referral(by=coordinator_a, referral=referral, scopes={"can_view_schedule": True})
    ProxyAccess.objects.filter(diner_id=referral.diner_id).update(revoked_at="2026-12-01T00:00Z")

    for lang in ("en", "ja"):
        html = login_as(referrer).get(f"/{lang}/referrals/{referral.pk}/").content.decode()
        assert f'href="/{lang}/diners/{referral.diner_id}/"' not in html
    assert (
        "will tell you about the first visit"
        in login_as(referrer).get(f"/en/referrals/{referral.pk}/").content.decode()
    )
