"""The cook's profile page: a postcode nothing knows is refused at the postcode ("We don't recognise this
postcode"), apart from a real postcode outside every club ("There is no Casserole club near you yet") and
from a real address the online geocoder could not place while it was down ("needs placing"); a phone
number is refused with the reason. In English and in Japanese."""

import pytest
import requests
from django.utils import translation

from accounts.onboarding import services as cook_services
from accounts.onboarding.models import CookProfile
from casserole.models import AuditEntry, PostcodeCentroid
from tests.onboarding import cover_e8, make_profile

pytestmark = pytest.mark.django_db

UNRECOGNISED = "We don’t recognise this postcode. Check it and try again."
NO_CLUB = "There is no Casserole club near you yet"
SAVED_NO_CLUB = "Your profile is saved. There is no Casserole club near you yet: we will email you when one opens."
DRAMA = (
    "%(number)s is a number reserved for TV and radio drama, so it cannot be a real person’s. "
    "Enter a real phone number."
)
TOO_SHORT = (
    "The phone number is too short. Enter the whole number, with the area code, like 020 7946 0018 or 03-1234-5678"
)

UK = {
    "full_name": "Cathy Cook",
    "name_reading": "",
    "phone": "020 7123 4567",
    "country": "GB",
    "address_line1": "1 Mare Street",
    "address_line2": "",
    "town": "London",
    "postcode": "E8 1DY",
    "travel_distance": "1.5",
    "frequency": "weekly",
    "cooking_likes": "Stews",
    "note_for_diners": "",
}
JAPAN = {
    **UK,
    "full_name": "山田 花子",
    "phone": "03-1234-5678",
    "country": "JP",
    "address_line1": "代沢1-2-3",
    "town": "世田谷区",
    "postcode": "154-0004",
    "travel_distance": "2",
}


@pytest.fixture(autouse=True)
def _places(settings, area_a, area_b):
    """Area A covers E8 and E9, area B covers 154; the offline table knows E8, 154 and SW1A (a real
    district no club covers), and nothing else."""
    settings.GEOCODER = "offline"
    cover_e8(area_a)
    area_b.postcode_prefixes = "154"
    area_b.save(update_fields=["postcode_prefixes"])
    PostcodeCentroid.objects.create(country="JP", prefix="154", latitude="35.643", longitude="139.668")
    PostcodeCentroid.objects.create(country="GB", prefix="SW1A", latitude="51.501", longitude="-0.141")


def in_language(lang: str, english: str, **values) -> str:
    with translation.override(lang):
        text = translation.gettext(english)
    return text % values if values else text


def post_profile(client, lang: str, **changes):
    return client.post(f"/{lang}/account/cook/profile/", {**(UK if lang == "en" else JAPAN), **changes})


def page_of(response) -> str:
    return response.content.decode()


CASES = [
    pytest.param("en", {"postcode": "ZZ9 9ZZ"}, id="en-unknown-uk-district"),
    pytest.param(
        "ja", {"postcode": "ZZ9 9ZZ", **{k: UK[k] for k in ("country", "phone")}}, id="ja-unknown-uk-district"
    ),
    pytest.param("en", {"postcode": "999-9999", **{k: JAPAN[k] for k in ("country", "phone")}}, id="en-999-9999"),
    pytest.param("ja", {"postcode": "999-9999"}, id="ja-999-9999"),
    pytest.param("ja", {"postcode": "９９９ー９９９９"}, id="ja-999-9999-full-width"),
]


@pytest.mark.parametrize(("lang", "changes"), CASES)
def test_a_postcode_nothing_knows_is_refused_at_the_postcode_and_kept(cook, login_as, lang, changes):
    response = post_profile(login_as(cook), lang, **changes)

    assert response.status_code == 200
    page = page_of(response)
    message = in_language(lang, UNRECOGNISED)
    assert page.count(message) == 2  # in the summary and at the field
    assert '<p class="govuk-error-message" id="id_postcode_error">' in page
    assert 'href="#id_postcode"' in page
    assert f'value="{changes["postcode"]}"' in page
    assert in_language(lang, NO_CLUB) not in page
    assert not CookProfile.objects.filter(user=cook).exists()
    assert not AuditEntry.objects.filter(action__startswith="cook_profile").exists()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_postcode_is_refused_in_the_same_round_as_any_other_error(cook, login_as, lang):
    changes = {"postcode": "ZZ9 9ZZ", "country": "GB", "phone": "07700 900123", "cooking_likes": ""}
    page = page_of(post_profile(login_as(cook), lang, **changes))

    assert page.count(in_language(lang, UNRECOGNISED)) == 2
    assert page.count(in_language(lang, DRAMA, number="07700 900123")) == 2
    assert {"#id_postcode", "#id_phone", "#id_cooking_likes"} <= set(
        part.split('"')[0] for part in page.split('href="')[1:] if part.startswith("#id_")
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_real_postcode_outside_every_club_still_saves_with_no_club_yet(cook, login_as, lang):
    client = login_as(cook)
    response = post_profile(client, lang, postcode="SW1A 1AA", country="GB", phone="020 7123 4567")
    assert response.status_code == 302
    cook.refresh_from_db()
    assert cook.home_area is None
    assert in_language(lang, SAVED_NO_CLUB) in page_of(client.get(response["Location"]))


def test_a_postcode_only_a_clubs_prefixes_know_still_saves_and_waits_for_a_pin(cook, login_as, area_a):
    # Area A covers E9; the table does not know it: a real address the geocoder cannot place.
    response = post_profile(login_as(cook), "en", postcode="E9 5LN")
    assert response.status_code == 302
    assert CookProfile.objects.get(user=cook).needs_placing


def test_while_the_online_geocoder_is_down_an_unknown_district_still_saves_and_needs_placing(
    cook, login_as, settings, monkeypatch
):
    settings.GEOCODER = "uk_postcodes"

    def down(*args, **kwargs):
        raise requests.ConnectionError("service down")

    monkeypatch.setattr(requests, "get", down)
    client = login_as(cook)
    response = post_profile(client, "en", postcode="M1 1AE")

    assert response.status_code == 302
    assert CookProfile.objects.get(user=cook).needs_placing
    assert SAVED_NO_CLUB in page_of(client.get(response["Location"]))  # no area covers M1 either


def test_a_uk_postcode_postcodes_io_says_does_not_exist_is_refused(cook, login_as, settings, monkeypatch):
    settings.GEOCODER = "uk_postcodes"
    asked = []

    def not_found(url, **kwargs):
        asked.append(url)
        response = requests.Response()
        response.status_code, response._content = 404, b'{"status": 404, "error": "Postcode not found"}'
        return response

    monkeypatch.setattr(requests, "get", not_found)
    page = page_of(post_profile(login_as(cook), "en", postcode="ZZ9 9ZZ"))
    assert page.count(UNRECOGNISED) == 2
    assert asked == ["https://api.postcodes.io/postcodes/ZZ99ZZ"]  # once: the service reuses the lookup


def test_the_service_refuses_a_new_postcode_nothing_knows(cook):
    with pytest.raises(cook_services.UnrecognisedPostcodeError, match="recognise"):
        make_profile(cook, country="JP", postcode="999-9999")
    assert not CookProfile.objects.filter(user=cook).exists()


def test_an_unchanged_address_saved_before_the_rule_is_not_refused(cook):
    # Saved before postcodes were checked (the table then knew 999): saving the rest again is fine.
    PostcodeCentroid.objects.create(country="JP", prefix="999", latitude="38.2", longitude="140.3")
    make_profile(cook, country="JP", postcode="999-9999")
    PostcodeCentroid.objects.filter(prefix="999").delete()
    profile = make_profile(cook, country="JP", postcode="999-9999", cooking_likes="Soup")
    assert profile.cooking_likes == "Soup"


@pytest.mark.parametrize(
    ("lang", "typed", "message", "values"),
    [
        ("en", "07700 900123", DRAMA, {"number": "07700 900123"}),
        ("en", "020 7946 0018", DRAMA, {"number": "020 7946 0018"}),
        ("ja", "+44 7700 900123", DRAMA, {"number": "07700 900123"}),
        ("en", "12345", TOO_SHORT, {}),
        ("ja", "03-1234", TOO_SHORT, {}),
    ],
)
def test_a_refused_phone_number_says_why_and_is_kept(cook, login_as, lang, typed, message, values):
    response = post_profile(login_as(cook), lang, phone=typed)
    page = page_of(response)
    assert response.status_code == 200
    assert page.count(in_language(lang, message, **values)) == 2
    assert f'value="{typed}"' in page
    assert not CookProfile.objects.filter(user=cook).exists()
