"""The cook's page says where the cook really is, in each state (no profile, pending, active,
suspended), in English and Japanese: an active cook is not "becoming" a cook, and only a cook who may
offer is offered to find someone to cook for."""

import pytest
from django.utils import translation

from tests.onboarding import COOK_STATES, cook_in_state, cover_e8

pytestmark = pytest.mark.django_db

STATUS = "/{language}/account/cook/"

# For each state: the heading, and the sentence under it that says where the cook is.
EXPECTED = {
    "no_profile": ("Becoming a Casserole cook", 4),  # steps left: profile, identity, course, approval
    "pending": ("Becoming a Casserole cook", 3),
    "active": ("Cooking with Casserole", "You have done every step: you are an active Casserole cook."),
    "suspended": ("Cooking with Casserole", "Your cooking with Casserole is paused for now."),
}


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def t_plural(language: str, singular: str, plural: str, count: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, count) % {"counter": count}


@pytest.fixture
def in_state(cook, coordinator_a, course, area_a):
    cover_e8(area_a)
    return lambda state: cook_in_state(cook, state, coordinator=coordinator_a, course=course)


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("state", COOK_STATES)
def test_the_cook_page_heading_and_first_sentence_fit_the_state(login_as, cook, in_state, state, language):
    in_state(state)

    html = login_as(cook).get(STATUS.format(language=language)).content.decode()

    heading, where = EXPECTED[state]
    other_heading = {"Becoming a Casserole cook", "Cooking with Casserole"} - {heading}
    assert f'<h1 class="govuk-heading-xl">{t(language, heading)}</h1>' in html
    assert f"<title>{t(language, heading)} –" in html
    assert t(language, other_heading.pop()) not in html
    if state in ("no_profile", "pending"):
        where = t_plural(language, "You have %(counter)s step left.", "You have %(counter)s steps left.", where)
    else:
        where = t(language, where)
    page_text = html[html.index('id="where-you-are"') : html.index("</p>", html.index('id="where-you-are"'))]
    assert where in page_text


@pytest.mark.parametrize("state", COOK_STATES)
def test_only_an_active_cook_is_offered_to_find_someone_to_cook_for(login_as, cook, in_state, state):
    in_state(state)

    html = login_as(cook).get(STATUS.format(language="en")).content.decode()

    assert ('id="find-diners"' in html) is (state == "active")
    assert ('href="/en/cook/matches/"' in html) is (state in ("active", "suspended"))
