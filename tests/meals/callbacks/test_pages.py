"""The public "please call me" pages, by their literal paths, in English and Japanese: the form keeps
what was typed and shows an error summary; the confirmation is honest about what happens next; a
postcode outside every area keeps nothing; bots and the rate limits get what the service decides."""

import re
from html import unescape

import pytest
from django.utils import translation

from casserole.models import AuditEntry
from casserole.phones import TOO_SHORT_ERROR
from meals.callbacks.models import CallbackRequest
from tests.meals.callbacks.conftest import TYPED, TYPED_JA, human_started

pytestmark = pytest.mark.django_db


def t(lang: str, message: str) -> str:
    with translation.override(lang):
        return translation.gettext(message)


def text(response) -> str:
    return unescape(response.content.decode())


def send(client, lang="en", **changes):
    data = {**(TYPED if lang == "en" else TYPED_JA), "started": human_started(), **changes}
    return client.post(f"/{lang}/call-me/", {k: v for k, v in data.items() if v is not None})


# The form -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_form_needs_no_sign_in(client, lang):
    response = client.get(f"/{lang}/call-me/")
    assert response.status_code == 200
    html = text(response)
    assert f'<html lang="{"ja" if lang == "ja" else "en-GB"}"' in html
    assert t(lang, "Ask us to phone you about meals") in html
    assert 'autocomplete="tel"' in html and 'autocomplete="postal-code"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_honeypot_is_hidden_from_sight_screen_readers_and_the_keyboard(client):
    html = client.get("/en/call-me/").content.decode()
    box = re.search(r'<div class="govuk-visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert 'name="website"' in box and 'tabindex="-1"' in box and 'autocomplete="off"' in box
    assert "Leave this box empty" in box
    assert "style=" not in html  # the CSP allows no inline style


def test_the_form_carries_a_signed_start_time(client):
    html = client.get("/en/call-me/").content.decode()
    assert re.search(r'<input type="hidden" name="started" value="[^"]+:[^"]+"', html)


def test_errors_are_summarised_and_everything_typed_is_kept(client):
    response = send(client, phone="12345", postcode="E8", diner_agrees=None, consent=None)

    assert response.status_code == 200
    html = text(response)
    assert html.count('class="govuk-error-summary"') == 1
    assert "<title>Error:" in html
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    for anchor in ("#id_diner_agrees", "#id_phone", "#id_postcode", "#id_consent"):
        assert f'href="{anchor}"' in summary
    assert summary.index("#id_diner_agrees") < summary.index("#id_phone") < summary.index("#id_postcode")
    for message in (
        str(TOO_SHORT_ERROR),  # casserole.phones says what is wrong with the number
        "Enter a real postcode, like E8 1DY",
        "Tick the box if they know and agree that we phone you",
        "Tick the box to agree that we may phone you and keep these details",
    ):
        assert html.count(message) == 2  # in the summary and by the field
    assert 'value="Nina Neighbour"' in html and 'value="12345"' in html and 'value="E8"' in html
    assert 'value="Edith O’Brien"' in html and "12 Mare Street\nLondon</textarea>" in html
    assert 'value="Not on Tuesdays"' in html
    assert re.search(r'value="someone_else"[^>]*checked', html)
    assert re.search(r'value="mornings"[^>]*checked', html)
    assert not CallbackRequest.objects.exists()


def test_someone_else_needs_their_name(client):
    html = text(send(client, diner_name=""))
    assert 'href="#id_diner_name"' in html and "Enter the name of the person who needs meals" in html


def test_a_form_sent_back_keeps_its_first_start_time(client):
    started = human_started()
    html = client.post("/en/call-me/", {**TYPED, "phone": "", "started": started}).content.decode()
    assert f'name="started" value="{started}"' in html


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_errors_are_in_the_pages_language(client, lang):
    html = text(client.post(f"/{lang}/call-me/", {}))
    assert t(lang, "There is a problem") in html
    assert t(lang, "Select who needs meals") in html
    assert t(lang, "Enter your phone number") in html
    assert html.index("<title>") < html.index(t(lang, "Error:"))


# Sending ---------------------------------------------------------------------------------------------


def test_a_request_in_an_area_is_kept_and_the_confirmation_says_when_and_who(client, covered_area_a, settings):
    settings.CALLBACK_WORKING_DAYS = 2
    settings.CALLBACK_RETENTION_DAYS = 90
    response = send(client, area="987", handled_at="2020-01-01", outcome="referral")  # extra fields reach nothing

    assert response.status_code == 302 and response["Location"] == "/en/call-me/sent/"
    callback = CallbackRequest.objects.get()
    assert (callback.area, callback.phone, callback.postcode, callback.country) == (
        covered_area_a,
        "+442071234567",
        "E8 1DY",
        "GB",
    )
    assert callback.is_open and callback.outcome == ""
    assert (callback.address, callback.best_time, callback.language) == ("12 Mare Street\nLondon", "mornings", "en")
    html = text(client.get("/en/call-me/sent/"))
    assert "A coordinator from the Casserole club for Area A will phone you within 2 working days" in html
    assert covered_area_a.help_phone in html
    assert "delete them 90 days after the call" in html


def test_a_japanese_request_is_read_as_typed_in_japan(client, covered_area_b):
    response = send(client, "ja")

    assert response["Location"] == "/ja/call-me/sent/"
    callback = CallbackRequest.objects.get()
    assert (callback.area, callback.phone, callback.postcode, callback.country) == (
        covered_area_b,
        "+81334123456",
        "154-0004",
        "JP",
    )
    assert (callback.for_whom, callback.diner_name, callback.language) == ("self", "", "ja")
    html = text(client.get("/ja/call-me/sent/"))
    assert covered_area_b.name in html  # Area B has no Japanese name in the tests


def test_the_confirmation_without_a_request_sends_you_to_the_form(client):
    response = client.get("/en/call-me/sent/")
    assert response.status_code == 302 and response["Location"] == "/en/call-me/"


def test_a_postcode_outside_every_area_keeps_nothing_and_says_so(client, covered_area_a, settings):
    settings.HELP_PHONE = "0300 123 4567"
    response = send(client, postcode="sw1a1aa")

    assert response["Location"] == "/en/call-me/no-club/"
    assert not CallbackRequest.objects.exists()
    html = text(client.get("/en/call-me/no-club/"))
    assert "We do not have a Casserole club near SW1A 1AA yet" in html
    assert "We have not kept any of the details you gave us." in html
    assert "0300 123 4567" in html
    # The postcode is shown once, then forgotten.
    assert "SW1A 1AA" not in text(client.get("/en/call-me/no-club/"))


@pytest.mark.parametrize(("lang", "postcode"), [("en", "ZZ9 9ZZ"), ("ja", "999-9999")])
def test_a_postcode_we_do_not_recognise_is_a_mistake_to_fix_not_a_place_without_a_club(
    client, covered_area_a, settings, lang, postcode
):
    settings.GEOCODER = "offline"
    response = send(client, lang=lang, postcode=postcode)

    assert response.status_code == 200
    html = text(response)
    with translation.override(lang):
        assert translation.gettext("We don’t recognise this postcode. Check it and try again.") in html
    assert f'value="{postcode}"' in html  # what was typed is kept
    assert not CallbackRequest.objects.exists()


def test_a_bot_gets_the_same_confirmation_and_nothing_is_kept(client, covered_area_a):
    response = send(client, website="https://spam.example")

    assert response["Location"] == "/en/call-me/sent/"
    assert client.get("/en/call-me/sent/").status_code == 200
    assert not CallbackRequest.objects.exists()
    assert AuditEntry.objects.get().action == "callback_ignored"


def test_a_form_sent_as_soon_as_it_is_opened_keeps_nothing(client, covered_area_a):
    html = client.get("/en/call-me/").content.decode()
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)

    response = client.post("/en/call-me/", {**TYPED, "started": started})

    assert response["Location"] == "/en/call-me/sent/"
    assert not CallbackRequest.objects.exists()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_past_the_rate_limit_the_page_says_so_and_keeps_what_was_typed(client, covered_area_a, lang):
    for n in range(5):
        send(client, lang, phone=f"020 7123 450{n}", postcode="E8 1DY")

    response = send(client, lang, phone="020 7123 4509", postcode="E8 1DY", name="Sixth Sender")

    assert response.status_code == 429
    html = text(response)
    assert t(lang, "There is a problem") in html
    message = t(
        lang,
        "Several requests have been sent from this internet connection in the last hour. Please try again in an "
        "hour, or call us on %(phone)s.",
    ) % {"phone": covered_area_a.help_phone}
    assert html.count(message) == 2
    assert 'href="#form-non-field-errors"' in html
    assert 'value="Sixth Sender"' in html and 'value="020 7123 4509"' in html
    assert CallbackRequest.objects.count() == 5


def test_the_form_answers_only_get_and_post(client):
    assert client.put("/en/call-me/").status_code == 405
    assert client.post("/en/call-me/sent/").status_code == 405
    assert client.post("/en/call-me/no-club/").status_code == 405
