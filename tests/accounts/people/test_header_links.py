"""The header's menu offers only pages the person can open now: until this session has passed the
second factor, every other page sends them back to the code, so the menu holds nothing but "Sign out"."""

import re

import pytest
from django.test import Client
from django.utils.functional import SimpleLazyObject

from tests.conftest import verified_client
from tests.factories import add_totp

pytestmark = pytest.mark.django_db

SIGN_OUT = "form /en/accounts/logout/"
YOUR_ACCOUNT = "link /en/account/"
COORDINATOR_HOME = "link /en/coordinator/"


def password_only(user) -> Client:
    """Signed in, the second factor not yet passed."""
    client = Client()
    client.force_login(user)
    return client


def menu(response) -> list[str]:
    """The header menu's links and forms, in order, as "link <href>" / "form <action>"."""
    html = response.content.decode()
    found = re.search(r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', html, re.S)
    assert found, "no header menu on the page"
    return [
        f"{'link' if kind == 'href' else 'form'} {url}"
        for kind, url in re.findall(r'(href|action)="([^"]+)"', found[1])
    ]


def test_a_coordinator_on_the_code_page_is_offered_only_sign_out(coordinator_a):
    response = password_only(coordinator_a).get("/en/account/two-factor/")
    assert response.status_code == 200
    assert menu(response) == [SIGN_OUT]


def test_after_the_code_a_coordinator_has_their_account_and_coordinator_home(coordinator_a):
    response = verified_client(coordinator_a).get("/en/account/two-factor/")
    assert menu(response) == [YOUR_ACCOUNT, COORDINATOR_HOME, SIGN_OUT]


def test_a_coordinator_setting_up_an_authenticator_is_offered_only_sign_out(unverified_coordinator):
    response = password_only(unverified_coordinator).get("/en/account/two-factor/set-up/")
    assert response.status_code == 200
    assert menu(response) == [SIGN_OUT]


@pytest.mark.parametrize("path", ["/en/accessibility/", "/en/privacy/"])
def test_pages_open_before_the_code_offer_only_sign_out_to_someone_who_owes_it(cook, path):
    # A cook who turned two-factor on owes the code as much as a coordinator does.
    add_totp(cook)
    response = password_only(cook).get(path)
    assert response.status_code == 200
    assert menu(response) == [SIGN_OUT]


@pytest.mark.parametrize("path", ["/en/accessibility/", "/en/privacy/"])
def test_pages_open_before_the_code_offer_a_cook_without_two_factor_their_account(cook, path):
    response = password_only(cook).get(path)
    assert menu(response) == [YOUR_ACCOUNT, SIGN_OUT]


def test_a_missing_page_offers_a_coordinator_before_the_code_only_sign_out(coordinator_a):
    response = password_only(coordinator_a).get("/en/no-such-page/")
    assert response.status_code == 404
    assert menu(response) == [SIGN_OUT]


def test_a_cook_without_two_factor_has_their_account_and_no_coordinator_home(cook):
    response = password_only(cook).get("/en/account/")
    assert response.status_code == 200
    assert menu(response) == [YOUR_ACCOUNT, SIGN_OUT]


@pytest.mark.parametrize("who", ["cook without two-factor", "verified coordinator"])
def test_on_other_pages_the_menu_knows_without_a_query(request, cook, coordinator_a, who):
    # The middleware has already decided whether the person may see the page: the menu reuses that
    # answer (a plain False) instead of asking the database again when the header renders.
    client = password_only(cook) if who == "cook without two-factor" else verified_client(coordinator_a)
    response = client.get("/en/account/")
    assert response.status_code == 200
    pending = response.wsgi_request.second_factor_pending
    assert pending is False and not isinstance(pending, SimpleLazyObject)
