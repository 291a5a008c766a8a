"""The cook's onboarding pages: the checklist, the profile form, choosing an identity route, the
photo upload (the whole bad-file corpus through the view), and the Stripe start and return pages
(the Stripe service itself is tested in test_stripe_identity.py; here it is mocked at the view)."""

import re
from datetime import timedelta
from unittest import mock

import pytest
import requests
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.onboarding.services import OnboardingError
from accounts.people.models import User
from accounts.review import services as cook_services
from casserole.models import PostcodeCentroid
from tests.accounts.onboarding.test_identity_images import jpeg_bytes, noisy_jpeg_bytes, png_bomb, png_bytes
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.onboarding import approve_identity, cover_e8, jpeg_upload, make_profile, photo_check
from tests.training.conftest import certify, read_every_lesson
from training.models import Lesson
from training.services import complete_lesson

pytestmark = pytest.mark.django_db

STATUS = "/en/account/cook/"
PROFILE = "/en/account/cook/profile/"
IDENTITY = "/en/account/cook/identity/"
PHOTO = "/en/account/cook/identity/photo/"
STRIPE_START = "/en/account/cook/identity/stripe/"
STRIPE_RETURN = "/en/account/cook/identity/stripe/return/"
COOK_PAGES = [
    ("GET", STATUS),
    ("GET", PROFILE),
    ("POST", PROFILE),
    ("GET", IDENTITY),
    ("GET", PHOTO),
    ("POST", PHOTO),
    ("POST", STRIPE_START),
    ("GET", STRIPE_RETURN),
]

NEEDS_PLACING = (
    "We couldn’t find your address on the map. Your profile is saved; a coordinator will place you by hand "
    "– you don’t need to do anything."
)
NO_CLUB = "There is no Casserole club near you yet"
PHONE_ERROR = "Enter a phone number, like 020 7946 0018 or 03-1234-5678"
TOO_SHORT = (
    "The phone number is too short. Enter the whole number, with the area code, like 020 7946 0018 or 03-1234-5678"
)
UK_POSTCODE_ERROR = "Enter a real postcode, like E8 1DY"
JP_POSTCODE_ERROR = "Enter a postcode with 7 digits, like 154-0004"
STRIPE_URL = "https://verify.stripe.com/start/test_abc123"


@pytest.fixture(autouse=True)
def _area_a_covers_e8(area_a, settings):
    settings.GEOCODER = "offline"
    cover_e8(area_a)


@pytest.fixture
def area_b_covers_154(area_b):
    area_b.postcode_prefixes = "154 155"
    area_b.save(update_fields=["postcode_prefixes"])
    PostcodeCentroid.objects.create(
        country="JP", prefix="154", latitude="35.643000", longitude="139.668000", place_name="Setagaya"
    )
    return area_b


@pytest.fixture
def cook_client(cook, login_as):
    return login_as(cook)


def html(response) -> str:
    return response.content.decode()


def form_data(**overrides) -> dict:
    data = {
        "full_name": "Cathy Cook",
        "name_reading": "",
        "phone": "020 7123 4567",  # not 020 7946 0xxx: a drama number is refused
        "country": "GB",
        "address_line1": "1 Mare Street",
        "address_line2": "Flat 2",
        "town": "London",
        "postcode": "e8 1dy",
        "travel_distance": "1.5",
        "frequency": "weekly",
        "cooking_likes": "Stews, soups and crumbles",
        "note_for_diners": "I live round the corner.",
    }
    data.update(overrides)
    return data


def japanese_form(**overrides) -> dict:
    japanese = {
        "full_name": "山田 花子",
        "name_reading": "ヤマダ ハナコ",
        "phone": "03-1234-5678",
        "country": "JP",
        "address_line1": "代沢1-2-3",
        "address_line2": "",
        "town": "世田谷区",
        "postcode": "154-0004",
        "travel_distance": "2",
    }
    return form_data(**{**japanese, **overrides})


def stored_files(private_dir) -> list[str]:
    return sorted(p.name for p in private_dir.glob("*")) if private_dir.exists() else []


# Who may see these pages


@pytest.mark.parametrize(("method", "path"), COOK_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(method, path):
    response = Client().get(path) if method == "GET" else Client().post(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


@pytest.mark.parametrize(("method", "path"), COOK_PAGES)
@pytest.mark.parametrize("persona", ["referrer", "coordinator_a", "admin_user"])
def test_people_who_are_not_cooks_are_refused(method, path, persona, request, login_as):
    client = login_as(request.getfixturevalue(persona))
    response = client.get(path) if method == "GET" else client.post(path, form_data())
    assert response.status_code == 403
    assert not CookProfile.objects.exists()
    assert not IdentityCheck.objects.exists()


@pytest.mark.parametrize("path", [STRIPE_START])
def test_starting_a_check_by_get_is_not_allowed(path, cook_client):
    assert cook_client.get(path).status_code == 405


@pytest.mark.parametrize("path", [STATUS, IDENTITY, STRIPE_RETURN])
def test_read_only_pages_refuse_post(path, cook_client):
    assert cook_client.post(path).status_code == 405


@pytest.mark.parametrize("path", [PROFILE, PHOTO, STRIPE_START])
def test_every_form_needs_the_csrf_token(path, cook, login_as):
    make_profile(cook)
    client = login_as(cook, enforce_csrf_checks=True)
    with mock.patch("accounts.onboarding.stripe_identity.stripe_enabled", return_value=True):
        assert client.post(path, form_data()).status_code == 403
    assert CookProfile.objects.get(user=cook).address_line2 == ""  # make_profile's, not the form's "Flat 2"
    assert not IdentityCheck.objects.exists()


def test_every_cook_page_is_not_cached(cook_client):
    for path in (STATUS, PROFILE, IDENTITY, STRIPE_RETURN):
        assert "no-store" in cook_client.get(path)["Cache-Control"]


def test_a_cook_signing_in_lands_on_their_checklist(cook):
    client = Client()
    response = sign_in(client, cook.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == STATUS


def test_a_referrer_signing_in_still_lands_on_their_account(referrer):
    response = sign_in(Client(), referrer.email, PASSWORD)
    assert response["Location"] == "/en/account/"


def test_a_coordinator_signing_in_still_goes_to_the_second_factor_first(coordinator_a):
    response = sign_in(Client(), coordinator_a.email, PASSWORD)
    assert response["Location"] == "/en/account/two-factor/"


def test_the_account_page_links_a_cook_to_their_checklist(cook_client):
    assert f'href="{STATUS}"' in html(cook_client.get("/en/account/"))


# The profile form


def test_the_profile_form_uses_the_right_autocomplete_tokens_and_defaults_to_the_uk_in_english(cook_client):
    page = html(cook_client.get(PROFILE))
    for token in ("name", "tel", "address-line1", "address-line2", "address-level2", "postal-code"):
        assert f'autocomplete="{token}"' in page
    assert _checked_country(page) == "GB"
    assert '<div class="govuk-input__suffix" aria-hidden="true">miles</div>' in page
    assert "in kilometres if you live in Japan" in page
    assert "katakana" in page
    assert "no address or phone" not in page  # the hint says it in a sentence
    assert "Do not include your address or phone number" in page


def _checked_country(page: str) -> str:
    match = re.search(r'<input type="radio" name="country" value="(GB|JP)"[^>]*checked', page)
    return match.group(1) if match else ""


def test_the_country_defaults_from_the_language(cook, login_as):
    client = login_as(cook)
    assert _checked_country(html(client.get(PROFILE))) == "GB"
    page = html(client.get("/ja/account/cook/profile/"))
    assert _checked_country(page) == "JP"
    assert '<div class="govuk-input__suffix" aria-hidden="true">km</div>' in page


def test_saving_the_profile_geocodes_it_and_shows_the_checklist(cook, cook_client, area_a):
    cook.home_area = None
    cook.save(update_fields=["home_area"])

    response = cook_client.post(PROFILE, form_data())

    assert response.status_code == 302
    assert response["Location"] == STATUS
    profile = CookProfile.objects.get(user=cook)
    cook.refresh_from_db()
    assert (profile.postcode, profile.address_line1, profile.address_line2, profile.town) == (
        "E8 1DY",
        "1 Mare Street",
        "Flat 2",
        "London",
    )
    assert (round(profile.latitude, 3), round(profile.longitude, 3)) == (51.543, -0.058)
    assert profile.neighbourhood == "Hackney"
    assert str(profile.travel_distance) == "1.5"
    assert profile.travel_unit == "mi"  # the unit shown to a UK cook, whatever the area displays
    assert cook.phone == "+442071234567"
    assert cook.home_area == area_a
    page = html(cook_client.get(STATUS))
    assert "Your profile is saved." in page
    assert NEEDS_PLACING not in page
    assert NO_CLUB not in page


def test_when_the_geocoder_is_down_the_profile_saves_and_the_cook_is_told_a_coordinator_will_place_them(
    cook, cook_client, settings, monkeypatch
):
    settings.GEOCODER = "uk_postcodes"

    def down(*args, **kwargs):
        raise requests.ConnectionError("service down")

    monkeypatch.setattr(requests, "get", down)

    response = cook_client.post(PROFILE, form_data(), follow=True)

    profile = CookProfile.objects.get(user=cook)
    assert profile.needs_placing
    assert response.redirect_chain == [(STATUS, 302)]
    assert NEEDS_PLACING in html(response)  # the message
    assert NEEDS_PLACING in html(cook_client.get(STATUS))  # and the page itself, later
    assert "A coordinator will place you on the map by hand." in html(cook_client.get(STATUS))


def test_a_postcode_outside_every_area_saves_and_says_there_is_no_club_yet(cook, cook_client, settings):
    # A real district (the offline table knows it) that no club covers.
    PostcodeCentroid.objects.create(
        country="GB", prefix="SW1A", latitude="51.501000", longitude="-0.141000", place_name="Westminster"
    )
    response = cook_client.post(PROFILE, form_data(postcode="SW1A 1AA"), follow=True)

    cook.refresh_from_db()
    assert cook.home_area is None
    assert CookProfile.objects.get(user=cook).postcode == "SW1A 1AA"
    page = html(response)
    assert NO_CLUB in page
    assert "we will email you when one opens" in page
    status = html(cook_client.get(STATUS))
    assert NO_CLUB in status
    assert settings.HELP_PHONE in status
    assert NEEDS_PLACING not in status


@pytest.mark.parametrize("typed", ["E8 1DY", "e81dy", "  e8 1DY ", "E81DY"])
def test_uk_postcodes_are_accepted_with_or_without_a_space_in_any_case(typed, cook, cook_client):
    assert cook_client.post(PROFILE, form_data(postcode=typed)).status_code == 302
    assert CookProfile.objects.get(user=cook).postcode == "E8 1DY"


@pytest.mark.parametrize("typed", ["1540004", "154-0004", "１５４ー０００４", "〒154-0004"])
def test_japanese_postcodes_are_accepted_in_every_usual_form(typed, cook, cook_client, area_b_covers_154):
    assert cook_client.post(PROFILE, japanese_form(postcode=typed)).status_code == 302
    profile = CookProfile.objects.get(user=cook)
    cook.refresh_from_db()
    assert profile.postcode == "154-0004"
    assert cook.home_area == area_b_covers_154
    assert profile.travel_unit == "km"
    assert cook.phone == "+81312345678"
    assert cook.name_reading == "ヤマダ ハナコ"


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("GB", "020 7123 4567", "+442071234567"),
        ("GB", "+44 20 7123 4567", "+442071234567"),
        ("GB", "０２０ ７１２３ ４５６７", "+442071234567"),
        ("JP", "03-1234-5678", "+81312345678"),
        ("JP", "０３－１２３４－５６７８", "+81312345678"),
        ("JP", "+44 20 7123 4567", "+442071234567"),
    ],
)
def test_phone_numbers_are_stored_in_one_form(country, typed, stored, cook, cook_client, area_b_covers_154):
    data = form_data(phone=typed) if country == "GB" else japanese_form(phone=typed)
    assert cook_client.post(PROFILE, data).status_code == 302
    cook.refresh_from_db()
    assert cook.phone == stored


def test_a_saved_phone_number_is_shown_the_way_people_write_it(cook, cook_client):
    cook_client.post(PROFILE, form_data())
    page = html(cook_client.get(PROFILE))
    assert 'value="020 7123 4567"' in page
    assert 'value="1 Mare Street"' in page
    assert 'value="E8 1DY"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "12345"}, "phone", TOO_SHORT),
        ({"phone": "not a phone"}, "phone", PHONE_ERROR),
        ({"phone": ""}, "phone", "Enter your phone number"),
        ({"postcode": "E8"}, "postcode", UK_POSTCODE_ERROR),
        ({"postcode": "12345"}, "postcode", UK_POSTCODE_ERROR),
        ({"postcode": ""}, "postcode", "Enter your postcode"),
        ({"travel_distance": "0"}, "travel_distance", "Enter a distance greater than 0"),
        ({"travel_distance": "-2"}, "travel_distance", "Enter a distance greater than 0"),
        ({"travel_distance": "51"}, "travel_distance", "Enter a distance of 50 or less"),
        ({"travel_distance": "1.55"}, "travel_distance", "Enter a distance with no more than 1 decimal place"),
        ({"travel_distance": "far"}, "travel_distance", "Enter how far you will travel as a number"),
        ({"country": "FR"}, "country", "Select the country you live in"),
        ({"frequency": "daily"}, "frequency", "Select how often you can cook"),
        ({"cooking_likes": ""}, "cooking_likes", "Enter what you like to cook"),
        ({"note_for_diners": "x" * 501}, "note_for_diners", "The note must be 500 characters or fewer"),
        ({"full_name": ""}, "full_name", "Enter your full name"),
        ({"address_line1": ""}, "address_line1", "Enter address line 1"),
        ({"town": ""}, "town", "Enter your town or city"),
    ],
)
def test_bad_input_shows_each_error_and_keeps_what_was_typed(overrides, field, message, cook, cook_client):
    data = form_data(**overrides)
    response = cook_client.post(PROFILE, data)

    assert response.status_code == 200
    page = html(response)
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the summary and next to the field
    assert f'<p class="govuk-error-message" id="id_{field}_error">' in page
    assert 'value="1 Mare Street"' in page or field == "address_line1"
    assert "Stews, soups and crumbles" in page or field == "cooking_likes"
    if field in ("phone", "postcode") and overrides[field]:
        assert f'value="{overrides[field]}"' in page
    assert not CookProfile.objects.filter(user=cook).exists()


def test_a_japanese_postcode_error_names_the_japanese_form(cook, cook_client, area_b_covers_154):
    response = cook_client.post(PROFILE, japanese_form(postcode="15400"))
    page = html(response)
    assert page.count(JP_POSTCODE_ERROR) == 2
    assert 'value="15400"' in page
    assert '<div class="govuk-input__suffix" aria-hidden="true">km</div>' in page


def test_a_distance_in_full_width_digits_is_accepted(cook, cook_client):
    assert cook_client.post(PROFILE, form_data(travel_distance="２.５")).status_code == 302
    assert str(CookProfile.objects.get(user=cook).travel_distance) == "2.5"


def test_extra_fields_posted_to_the_profile_change_nothing(cook, cook_client, area_a, area_b):
    response = cook_client.post(
        PROFILE,
        form_data(
            status="active",
            status_reason="approved myself",
            is_active="false",
            is_cook="false",
            is_coordinator="on",
            is_staff="on",
            verified="on",
            area=str(area_b.pk),
            home_area=str(area_b.pk),
            latitude="1.0",
            longitude="1.0",
            location_source="manual",
            travel_unit="km",
            completed_at="2000-01-01",
            user=str(area_b.pk),
        ),
    )

    assert response.status_code == 302
    profile = CookProfile.objects.get(user=cook)
    cook.refresh_from_db()
    assert profile.status == CookProfile.Status.PENDING
    assert profile.status_reason == ""
    assert round(profile.latitude, 3) == 51.543
    assert profile.location_source == "offline"
    assert profile.travel_unit == "mi"  # the unit shown to a UK cook, whatever the area displays
    assert cook.home_area == area_a
    assert cook.is_active and cook.is_cook
    assert not cook.is_coordinator and not cook.is_staff
    assert not IdentityCheck.objects.exists()


# Choosing an identity route


def test_the_identity_page_offers_a_photo_and_in_person_but_no_stripe_without_keys(cook, cook_client, area_a):
    make_profile(cook)
    page = html(cook_client.get(IDENTITY))
    assert f'href="{PHOTO}"' in page
    assert "Show your document in person" in page
    assert area_a.help_phone in page
    assert "front only" in page
    assert "Never send the back of a My Number Card" in page
    assert "Check online with Stripe" not in page
    assert f'action="{STRIPE_START}"' not in page


def test_without_stripe_keys_starting_an_online_check_is_not_found(cook, cook_client):
    make_profile(cook)
    with mock.patch("accounts.onboarding.stripe_identity.start_stripe_check") as start:
        assert cook_client.post(STRIPE_START).status_code == 404
    start.assert_not_called()


def test_with_stripe_the_identity_page_offers_the_online_check_first(cook, cook_client):
    make_profile(cook)
    with mock.patch("accounts.onboarding.stripe_identity.stripe_enabled", return_value=True):
        page = html(cook_client.get(IDENTITY))
    assert f'action="{STRIPE_START}"' in page
    assert page.index("route-stripe") < page.index("route-photo") < page.index("route-in-person")


def test_without_a_profile_the_identity_page_asks_for_the_profile_first(cook_client):
    page = html(cook_client.get(IDENTITY))
    assert "Fill in your profile first" in page
    assert f'href="{PROFILE}"' in page
    assert f'href="{PHOTO}"' not in page


def test_while_a_photo_waits_the_identity_page_shows_that_instead_of_the_choices(cook, cook_client):
    make_profile(cook)
    photo_check(cook)
    page = html(cook_client.get(IDENTITY))
    assert "A coordinator for your area will compare it with your profile" in page
    assert f'href="{PHOTO}"' not in page


def test_after_a_rejection_the_identity_page_shows_the_reason_and_the_choices_again(cook, cook_client, coordinator_a):
    make_profile(cook)
    check = photo_check(cook)
    cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="The photo is blurred.")
    page = html(cook_client.get(IDENTITY))
    assert "The photo is blurred." in page
    assert f'href="{PHOTO}"' in page


def test_once_approved_the_identity_page_says_so(cook, cook_client, coordinator_a):
    make_profile(cook)
    approve_identity(cook, by=coordinator_a)
    page = html(cook_client.get(IDENTITY))
    assert "Your identity is approved" in page
    assert f'href="{PHOTO}"' not in page


def test_a_stripe_check_that_needs_input_says_why_and_offers_another_try(cook, cook_client):
    make_profile(cook)
    IdentityCheck.objects.create(
        cook=cook,
        method=IdentityCheck.Method.STRIPE,
        status=IdentityCheck.Status.NEEDS_INPUT,
        stripe_error_code="document_expired",
        stripe_session_id="vs_1",
    )
    with mock.patch("accounts.onboarding.stripe_identity.stripe_enabled", return_value=True):
        page = html(cook_client.get(IDENTITY))
    assert "Your document has expired." in page
    assert "Try the online check again" in page
    assert "Show your document in person" in page


# The Stripe route, with the service mocked at the view


def test_starting_the_online_check_sends_the_cook_to_stripe(cook, cook_client):
    make_profile(cook)
    with (
        mock.patch("accounts.onboarding.stripe_identity.stripe_enabled", return_value=True),
        mock.patch("accounts.onboarding.stripe_identity.start_stripe_check", return_value=STRIPE_URL) as start,
    ):
        response = cook_client.post(STRIPE_START, {"status": "approved"})
    assert response.status_code == 302
    assert response["Location"] == STRIPE_URL
    start.assert_called_once()
    kwargs = start.call_args.kwargs
    assert kwargs["cook"] == cook
    assert kwargs["return_url"] == "http://testserver" + STRIPE_RETURN


def test_when_stripe_refuses_the_cook_is_sent_back_with_the_reason(cook, cook_client):
    make_profile(cook)
    with (
        mock.patch("accounts.onboarding.stripe_identity.stripe_enabled", return_value=True),
        mock.patch(
            "accounts.onboarding.stripe_identity.start_stripe_check",
            side_effect=OnboardingError("The online check isn't available just now."),
        ),
    ):
        response = cook_client.post(STRIPE_START, follow=True)
    assert response.redirect_chain == [(IDENTITY, 302)]
    assert "The online check isn’t available just now." in html(response) or (
        "The online check isn&#x27;t available just now." in html(response)
    )


@pytest.mark.parametrize(
    ("status", "error_code", "expected"),
    [
        (IdentityCheck.Status.PENDING, "", "We’re checking your document"),
        (IdentityCheck.Status.APPROVED, "", "Your identity is approved"),
        (IdentityCheck.Status.NEEDS_INPUT, "selfie_face_mismatch", "Your selfie did not match"),
        (IdentityCheck.Status.CANCELLED, "", "Your online check did not finish"),
    ],
)
def test_the_return_page_shows_the_state_of_the_online_check(status, error_code, expected, cook, cook_client):
    make_profile(cook)
    IdentityCheck.objects.create(
        cook=cook,
        method=IdentityCheck.Method.STRIPE,
        status=status,
        stripe_error_code=error_code,
        stripe_session_id="vs",
    )
    page = html(cook_client.get(STRIPE_RETURN))
    assert expected in page
    assert f'href="{STATUS}"' in page


def test_the_return_page_before_any_news_says_we_are_checking(cook_client):
    page = html(cook_client.get(STRIPE_RETURN))
    assert "We’re checking your document" in page
    assert "We have not heard about an online check for you yet" in page


# The photo upload


@pytest.fixture
def profiled_cook(cook):
    make_profile(cook)
    return cook


def test_without_a_profile_the_photo_page_sends_the_cook_to_the_profile(cook_client):
    response = cook_client.get(PHOTO, follow=True)
    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Fill in your profile first" in html(response)


def test_the_photo_form_uploads_as_multipart_and_says_what_to_send(profiled_cook, cook_client):
    page = html(cook_client.get(PHOTO))
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/jpeg,image/png,image/heic,image/heif"' in page
    assert "smaller than 10MB" in page
    assert "all four corners" in page
    assert "good light" in page
    assert "Never send the back of the card: it shows your My Number." in page
    assert 'aria-describedby="id_document_type_3-hint"' in page


def test_a_good_photo_creates_a_waiting_check_and_the_checklist_says_so(profiled_cook, cook_client, private_dir):
    response = cook_client.post(PHOTO, {"document_type": "passport", "photo": jpeg_upload(), "status": "approved"})

    assert response.status_code == 302
    assert response["Location"] == STATUS
    check = IdentityCheck.objects.get(cook=profiled_cook)
    assert (check.method, check.document_type, check.status) == ("photo", "passport", "pending")
    assert stored_files(private_dir) == [check.image_name]
    page = html(cook_client.get(STATUS))
    assert "Waiting for a coordinator" in page
    assert "We have your photo" in page


def _polyglot():
    return png_bytes(Image.new("RGB", (32, 32), "navy")) + b"<html><script>alert(document.cookie)</script></html>"


def _over_the_cap():
    base = jpeg_bytes()
    return base + b"\x00" * (4096 + 1 - len(base))


def _truncated():
    whole = noisy_jpeg_bytes()
    return whole[: len(whole) // 2]


BAD_FILES = [
    ("one byte over the cap", _over_the_cap, "photo.jpg", "image/jpeg", "The photo must be smaller than 4KB"),
    (
        "zero bytes",
        lambda: b"",
        "photo.jpg",
        "image/jpeg",
        "The file is empty – choose a photo of your identity document",
    ),
    (
        "wrong magic bytes",
        lambda: b"This is not a photo at all.\n" * 4,
        "photo.jpg",
        "image/jpeg",
        "The photo must be a JPG, PNG or HEIC file",
    ),
    ("PNG+HTML polyglot", _polyglot, "photo.png", "image/png", "The file has something other than a photo in it"),
    (
        "SVG",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>alert(1)</script></svg>',
        "photo.svg",
        "image/svg+xml",
        "The photo must be a JPG, PNG or HEIC file",
    ),
    (
        "PDF renamed .jpg",
        lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n",
        "id.jpg",
        "image/jpeg",
        "The photo must be a JPG, PNG or HEIC file",
    ),
    (
        "decompression bomb",
        lambda: png_bomb(10_000, 10_000),
        "photo.png",
        "image/png",
        "The photo is too large in pixels",
    ),
    ("truncated JPEG", _truncated, "photo.jpg", "image/jpeg", "The photo could not be read"),
]


@pytest.mark.parametrize(
    ("kind", "build", "name", "content_type", "message"), BAD_FILES, ids=[row[0] for row in BAD_FILES]
)
def test_each_bad_file_is_refused_with_its_own_message_and_nothing_is_kept(
    kind, build, name, content_type, message, profiled_cook, cook_client, private_dir, settings
):
    settings.IDENTITY_IMAGE_MAX_BYTES = 4096 if kind == "one byte over the cap" else settings.IDENTITY_IMAGE_MAX_BYTES
    upload = SimpleUploadedFile(name, build(), content_type=content_type)

    response = cook_client.post(PHOTO, {"document_type": "driving_licence", "photo": upload})

    assert response.status_code == 200
    page = html(response)
    assert "<title>Error: " in page
    assert page.count(message) == 2  # the summary and the field
    assert '<p class="govuk-error-message" id="id_photo_error">' in page
    assert 'href="#id_photo"' in page
    assert 'value="driving_licence" checked' in page
    assert not IdentityCheck.objects.exists()
    assert stored_files(private_dir) == []


def test_the_photo_form_asks_for_both_answers(profiled_cook, cook_client):
    page = html(cook_client.post(PHOTO, {}))
    assert page.count("Select the type of document") == 2
    assert page.count("Choose a photo of your document") == 2
    assert not IdentityCheck.objects.exists()


def test_a_second_photo_while_one_waits_is_sent_back_to_the_identity_page(profiled_cook, cook_client, private_dir):
    photo_check(profiled_cook)
    response = cook_client.post(PHOTO, {"document_type": "passport", "photo": jpeg_upload()}, follow=True)
    assert response.redirect_chain == [(IDENTITY, 302)]
    assert "You already have an identity check in progress" in html(response)
    assert IdentityCheck.objects.count() == 1
    assert len(stored_files(private_dir)) == 1


# The checklist


def test_a_new_cook_sees_four_steps_left_and_what_cannot_start_yet(cook_client):
    page = html(cook_client.get(STATUS))
    assert "You have 4 steps left." in page
    assert page.count("Cannot start yet") == 2  # identity (needs the profile) and approval
    assert "a completed profile" in page
    assert f'href="{PROFILE}"' in page
    assert 'href="/en/training/"' in page


def test_an_unconfirmed_email_is_the_first_step_left(cook, cook_client):
    EmailAddress.objects.filter(user=cook).update(verified=False)
    page = html(cook_client.get(STATUS))
    assert "You have 5 steps left." in page
    assert "a confirmed email address" in page


def test_a_rejected_photo_shows_the_coordinators_reason_and_what_to_do(cook, cook_client, coordinator_a, area_a):
    make_profile(cook)
    check = photo_check(cook)
    cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="Part of it is hidden.")
    page = html(cook_client.get(STATUS))
    assert "Not approved" in page
    assert "Part of it is hidden." in page
    assert "Send a new photo of your document, or call us on " + area_a.help_phone in page


def test_an_online_check_in_progress_and_one_needing_input(cook, cook_client):
    make_profile(cook)
    check = IdentityCheck.objects.create(cook=cook, method=IdentityCheck.Method.STRIPE, stripe_session_id="vs_2")
    assert "We’re checking" in html(cook_client.get(STATUS))

    check.status, check.stripe_error_code = IdentityCheck.Status.NEEDS_INPUT, "document_unverified_other"
    check.save()
    page = html(cook_client.get(STATUS))
    assert "Needs something from you" in page
    assert "could not read your document" in page


def test_course_progress_is_counted_in_lessons(cook, cook_client, course):
    lessons = list(Lesson.objects.filter(course=course).order_by("order"))
    for lesson in lessons[:3]:
        complete_lesson(user=cook, lesson=lesson)
    page = html(cook_client.get(STATUS))
    assert f"3 of {len(lessons)} lessons read." in page
    assert "In progress" in page


def test_with_every_lesson_read_the_quiz_is_next(cook, cook_client, course):
    read_every_lesson(cook, course)
    assert "Take the quiz next." in html(cook_client.get(STATUS))


def test_a_valid_certificate_shows_its_date_and_an_expired_one_says_retake(cook, cook_client, course):
    certificate = certify(cook, course)
    page = html(cook_client.get(STATUS))
    assert "Passed. Your certificate is valid until" in page
    assert str(certificate.expires_at.year) in page

    certificate.issued_at = timezone.now() - timedelta(days=4 * 365)
    certificate.expires_at = timezone.now() - timedelta(days=1)
    certificate.save()
    page = html(cook_client.get(STATUS))
    assert "Expired" in page
    assert "Take the course again" in page


def test_a_cook_with_everything_done_waits_for_a_coordinator(cook, cook_client, coordinator_a, course):
    make_profile(cook)
    approve_identity(cook, by=coordinator_a)
    certify(cook, course)
    page = html(cook_client.get(STATUS))
    assert "You have 1 step left." in page
    assert "Everything is done. A coordinator for your area will look at your profile" in page
    assert "Cannot start yet" not in page


def test_an_active_cook_has_done_every_step(cook, cook_client, coordinator_a, course):
    make_profile(cook)
    approve_identity(cook, by=coordinator_a)
    certify(cook, course)
    cook_services.approve_cook(by=coordinator_a, cook=cook)
    page = html(cook_client.get(STATUS))
    assert "You have done every step: you are an active Casserole cook." in page
    assert page.count("Completed") == 5


def test_a_suspended_cook_sees_the_reason_and_who_to_call(cook, cook_client, coordinator_a, course, area_a):
    make_profile(cook)
    approve_identity(cook, by=coordinator_a)
    certify(cook, course)
    cook_services.approve_cook(by=coordinator_a, cook=cook)
    cook_services.suspend_cook(by=coordinator_a, cook=cook, reason="We need to talk about the last visit.")
    page = html(cook_client.get(STATUS))
    assert "Your cooking with Casserole is paused for now." in page
    assert "We need to talk about the last visit." in page
    assert area_a.help_phone in page
    assert "Paused" in page


def test_the_checklist_takes_the_same_number_of_queries_however_much_the_cook_has_done(
    cook, cook_client, coordinator_a, course, django_assert_num_queries
):
    # 1 session, 2 user, 3 the second factor (none confirmed: TOTP devices), 4 static (backup) devices,
    # 5-8 the gate (verified email, profile exists, identity approved, valid certificate), 9 the profile,
    # 10 recent identity checks, 11 current course, 12 lessons with progress, 13 attempts,
    # 14 latest certificate, 15 the help line's area (context processor).
    make_profile(cook)
    complete_lesson(user=cook, lesson=Lesson.objects.filter(course=course).first())
    photo_check(cook)
    with django_assert_num_queries(15):
        cook_client.get(STATUS)

    check = IdentityCheck.objects.get(cook=cook)
    cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="Blurred")
    for _n in range(5):
        check = photo_check(cook)
        cook_services.decide_identity_check(by=coordinator_a, check=check, approve=False, reason="Blurred")
    read_every_lesson(cook, course)
    certify(cook, course)
    with django_assert_num_queries(15):
        cook_client.get(STATUS)


def test_a_japanese_cook_reads_the_checklist_in_japanese_page_shell(cook, login_as):
    cook.preferred_language = User.Language.JA
    cook.save(update_fields=["preferred_language"])
    response = login_as(cook).get("/ja/account/cook/")
    assert response.status_code == 200
    assert '<html lang="ja"' in html(response)


def test_a_photo_may_replace_an_online_check_that_needs_another_try(cook, cook_client):
    make_profile(cook)
    stalled = IdentityCheck.objects.create(
        cook=cook,
        method=IdentityCheck.Method.STRIPE,
        status=IdentityCheck.Status.NEEDS_INPUT,
        stripe_error_code="document_unverified_other",
        stripe_session_id="vs_3",
    )
    assert 'id="route-photo"' in html(cook_client.get(IDENTITY))
    assert cook_client.get(PHOTO).status_code == 200
    response = cook_client.post(PHOTO, {"document_type": "passport", "photo": jpeg_upload()})
    assert (response.status_code, response["Location"]) == (302, STATUS)
    stalled.refresh_from_db()
    assert stalled.status == IdentityCheck.Status.CANCELLED


def test_the_profile_shows_the_distance_as_typed(cook, cook_client):
    from decimal import Decimal

    make_profile(cook, travel_distance=Decimal("2"))
    assert 'value="2"' in html(cook_client.get(PROFILE))
