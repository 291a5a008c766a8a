"""After the password, the banner says "You are signed in as …" only to someone who is: a coordinator,
an admin or anyone with two-factor sign-in on is not signed in until they have entered a code, so their
code page says nothing of the kind (templates/account/messages/logged_in.txt)."""

import pytest
from django.test import Client
from django.utils import translation

from casserole.names import addressed
from tests.factories import PASSWORD, add_totp

pytestmark = pytest.mark.django_db


def signed_in_as(language: str, name: str) -> str:
    """The banner's words, with the name as the page addresses it (花子さん in Japanese)."""
    with translation.override(language):
        return translation.gettext("You are signed in as %(name)s.") % {"name": addressed(name, language=language)}


def sign_in_and_follow(person, language: str = "en") -> tuple[str, str]:
    """Sign in with the password as a person would; (where they land, that page's HTML)."""
    client = Client()
    response = client.post(f"/{language}/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    landing = response["Location"]
    return landing, client.get(landing).content.decode()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_coordinators_code_page_does_not_say_they_are_signed_in(coordinator_a, language):
    landing, html = sign_in_and_follow(coordinator_a, language)

    assert landing == f"/{language}/account/two-factor/"
    assert signed_in_as(language, coordinator_a.full_name) not in html
    assert "Successfully signed in" not in html
    assert "govuk-notification-banner--success" not in html


def test_a_coordinator_without_an_app_yet_is_not_told_either(unverified_coordinator):
    landing, html = sign_in_and_follow(unverified_coordinator)

    assert landing == "/en/account/two-factor/set-up/"
    assert signed_in_as("en", unverified_coordinator.full_name) not in html
    assert "Successfully signed in" not in html


def test_a_cook_with_two_factor_on_is_not_told_before_the_code(cook):
    add_totp(cook)

    landing, html = sign_in_and_follow(cook)

    assert landing == "/en/account/two-factor/"
    assert signed_in_as("en", cook.full_name) not in html
    assert "Successfully signed in" not in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_cook_with_a_password_only_is_told_they_are_signed_in(cook, language):
    landing, html = sign_in_and_follow(cook, language)

    assert landing == f"/{language}/account/cook/"
    banner = html[html.index("govuk-notification-banner--success") : html.index("</div>\n        </div>")]
    assert signed_in_as(language, cook.full_name) in banner
