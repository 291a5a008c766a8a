"""A cook who mistypes: a postcode nothing knows (999-9999) and a number kept for TV and radio drama
each get a message that says what is wrong, at the field, with what was typed kept, in English and in
Japanese; corrected, the profile saves and the account page shows the number as people dial it.

Both languages' cook lives in Japan (area B covers 154, the offline table knows only 154): the English
one is a foreign resident who first gives their UK mobile, a drama number. Every page is audited."""

import pytest

from accounts.onboarding.models import CookProfile
from casserole.models import PostcodeCentroid
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import banner, click, summary_links, t, url_path
from tests.factories import UserFactory

COOK = {
    "en": {"full_name": "Margaret Ellis", "email": "margaret@example.org", "phone": "03-1234-5678"},
    # Typed on a Japanese keyboard: full-width digits and the long-vowel mark for the dashes.
    "ja": {"full_name": "山田 花子", "email": "hanako@example.jp", "phone": "０３ー１２３４ー５６７８"},
}
DRAMA = {"en": ("+44 7700 900123", "07700 900123"), "ja": ("+44 20 7946 0018", "020 7946 0018")}
UNKNOWN_POSTCODE = "999-9999"


@pytest.fixture
def japan(settings, area_b):
    settings.GEOCODER = "offline"
    area_b.postcode_prefixes = "154"
    area_b.save(update_fields=["postcode_prefixes"])
    PostcodeCentroid.objects.create(
        country="JP", prefix="154", latitude="35.643000", longitude="139.668000", place_name="世田谷"
    )
    return area_b


def _fill(page, *, name: str, phone: str, postcode: str):
    page.fill("#id_full_name", name)
    page.fill("#id_phone", phone)
    page.check('input[name="country"][value="JP"]')
    page.fill("#id_address_line1", "代沢1-2-3")
    page.fill("#id_town", "世田谷区")
    page.fill("#id_postcode", postcode)
    page.fill("#id_travel_distance", "2")
    page.check('input[name="frequency"][value="weekly"]')
    page.fill("#id_cooking_likes", "煮物と味噌汁")


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ja", 390)])
def test_a_cook_is_told_why_a_postcode_and_a_phone_number_are_refused(open_page, live_server, japan, lang, width):
    person = COOK[lang]
    cook = UserFactory(full_name=person["full_name"], email=person["email"], is_cook=True, preferred_language=lang)
    base = f"{live_server.url}/{lang}"
    page, console = open_page(lang=lang, width=width, user=cook)
    page.goto(f"{base}/account/cook/profile/")
    audit(page, lang=lang, console=console)

    typed_drama, drama_shown = DRAMA[lang]
    _fill(page, name=person["full_name"], phone=typed_drama, postcode=UNKNOWN_POSTCODE)
    click(page, "main form button[type=submit]")

    assert url_path(page) == f"/{lang}/account/cook/profile/"
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_phone", "#id_postcode"}
    drama = t(
        lang,
        "%(number)s is a number reserved for TV and radio drama, so it cannot be a real person’s. "
        "Enter a real phone number.",
        number=drama_shown,
    )
    unrecognised = t(lang, "We don’t recognise this postcode. Check it and try again.")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert drama in summary and unrecognised in summary
    assert drama in page.locator("#id_phone_error").inner_text()
    assert t(lang, "There is no Casserole club near you yet") not in page.locator("main").inner_text()
    assert page.input_value("#id_phone") == typed_drama
    assert page.input_value("#id_postcode") == UNKNOWN_POSTCODE
    assert not CookProfile.objects.filter(user=cook).exists()
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    # The postcode alone: the phone is fixed first, so the postcode is refused by the rule, not the form.
    page.fill("#id_phone", person["phone"])
    click(page, "main form button[type=submit]")
    problems = error_summary_problems(page, lang)
    assert summary_links(page) == {"#id_postcode"}
    assert unrecognised in page.locator("#id_postcode_error").inner_text()
    assert page.input_value("#id_postcode") == UNKNOWN_POSTCODE
    assert page.input_value("#id_phone") == person["phone"]
    assert not CookProfile.objects.filter(user=cook).exists()
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    page.fill("#id_postcode", "154-0004")
    click(page, "main form button[type=submit]")
    assert url_path(page) == f"/{lang}/account/cook/"
    assert t(lang, "Your profile is saved.") in banner(page)
    cook.refresh_from_db()
    assert (cook.phone, cook.home_area) == ("+81312345678", japan)
    audit(page, lang=lang, console=console)

    # The account page shows the number as people dial it, like the profile form does.
    page.goto(f"{base}/account/")
    assert "03-1234-5678" in page.locator("main").inner_text()
    assert "+81312345678" not in page.locator("main").inner_text()
    audit(page, lang=lang, console=console)
    page.goto(f"{base}/account/cook/profile/")
    assert page.input_value("#id_phone") == "03-1234-5678"
