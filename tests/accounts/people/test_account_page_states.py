"""The account page says only what is true for the person reading it: a cook's state (no profile,
pending, active, suspended) is told in one place, the cook's own page, so the account page never tells
an active cook "Before you can cook for someone, you will…"; a referrer is promised only what Casserole
does today. In English and Japanese."""

import pytest
from django.utils import translation

from tests.onboarding import COOK_STATES, cook_in_state, cover_e8

pytestmark = pytest.mark.django_db

ACCOUNT = "/{language}/account/"


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("state", COOK_STATES)
def test_a_cooks_account_page_points_to_the_cook_page_whatever_their_state(
    login_as, cook, coordinator_a, course, area_a, state, language
):
    cover_e8(area_a)
    cook_in_state(cook, state, coordinator=coordinator_a, course=course)

    html = login_as(cook).get(ACCOUNT.format(language=language)).content.decode()

    link = html[html.index('id="cook-page-link"') : html.index("</a>", html.index('id="cook-page-link"'))]
    assert f'href="/{language}/account/cook/"' in link
    assert t(language, "See where you are with cooking and what you can do next") in link
    # The steps to becoming a cook, and the course, are the cook page's to show (and only while they apply).
    assert t(language, "Before you can cook for someone, you will:") not in html
    assert f'href="/{language}/training/"' not in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_referrers_account_page_promises_only_what_exists(login_as, referrer, area_a, language):
    html = login_as(referrer).get(ACCOUNT.format(language=language)).content.decode()

    assert "give feedback" not in html and "see the meal schedule" not in html
    assert (
        t(
            language,
            "When a cook is matched with them, we email you the cook’s first name, and their page here shows who cooks "
            "for them.",
        )
        in html
    )
    assert (
        t(
            language,
            "To tell us how their meals are going, or if you are worried about them, call us on "
            "<strong>%(phone)s</strong>.",
            phone=area_a.help_phone,
        )
        in html
    )


def test_someone_who_is_neither_sees_neither_section(login_as, coordinator_a):
    html = login_as(coordinator_a).get("/en/account/").content.decode()

    assert 'id="cook-page-link"' not in html and 'id="referrer-call-us"' not in html
