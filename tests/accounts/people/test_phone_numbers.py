"""Phone numbers on the account pages: the account page shows the number as the profile page does (not
as stored), and the details and invitation forms store it in one form and refuse a number saying why."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from accounts.people import services
from accounts.people.forms import ProfileForm
from accounts.people.models import User
from tests.accounts.people.test_invitations import accept_data, invitation_path

pytestmark = pytest.mark.django_db

DRAMA = (
    "%(number)s is a number reserved for TV and radio drama, so it cannot be a real person’s. "
    "Enter a real phone number."
)
DETAILS = {"full_name": "Cathy Cook", "name_reading": "", "preferred_language": "en"}


def in_language(lang: str, english: str, **values) -> str:
    with translation.override(lang):
        text = translation.gettext(english)
    return text % values if values else text


@pytest.mark.parametrize(("stored", "shown"), [("+442071234567", "020 7123 4567"), ("+81312345678", "03-1234-5678")])
def test_the_account_page_shows_the_number_as_people_dial_it(cook, login_as, stored, shown):
    cook.phone = stored
    cook.save(update_fields=["phone"])
    client = login_as(cook)

    page = client.get("/en/account/").content.decode()
    assert shown in page and stored not in page
    assert f'value="{shown}"' in client.get("/en/account/details/").content.decode()


@pytest.mark.parametrize(
    ("lang", "typed", "stored"),
    [
        ("en", "020 7123 4567", "+442071234567"),  # area A is in the UK
        ("ja", "020 7123 4567", "+442071234567"),  # the area decides, not the page's language
        ("en", "+81 3-1234-5678", "+81312345678"),
        ("en", "", ""),  # optional
    ],
)
def test_the_details_form_stores_one_form_read_for_the_persons_area(cook, login_as, lang, typed, stored):
    response = login_as(cook).post(f"/{lang}/account/details/", {**DETAILS, "phone": typed})
    assert response.status_code == 302
    cook.refresh_from_db()
    assert cook.phone == stored


def test_without_an_area_a_number_is_read_for_the_pages_language(login_as):
    person = User.objects.create_user("rita@example.org", "a long enough password", full_name="Rita")
    login_as(person).post("/ja/account/details/", {**DETAILS, "phone": "03-1234-5678"})
    person.refresh_from_db()
    assert person.phone == "+81312345678"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_details_form_refuses_a_drama_number_saying_why(cook, login_as, lang):
    response = login_as(cook).post(f"/{lang}/account/details/", {**DETAILS, "phone": "07700 900123"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(in_language(lang, DRAMA, number="07700 900123")) == 2
    assert 'value="07700 900123"' in page
    cook.refresh_from_db()
    assert cook.phone == ""


@pytest.fixture
def invitation_to_area_b(coordinator_b, area_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_coordinator(by=coordinator_b, area=area_b, email="jun@example.jp", full_name="Jun")
    return invitation_path(mail.outbox[-1])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_accepting_an_invitation_refuses_a_drama_number_saying_why(invitation_to_area_b, lang):
    # The email links to the page in the invitee's language; the test asks for each language.
    path = re.sub(r"^/(en|ja)/", f"/{lang}/", invitation_to_area_b)
    response = Client().post(path, accept_data(phone="+44 7700 900123"))
    assert response.status_code == 200
    assert response.content.decode().count(in_language(lang, DRAMA, number="07700 900123")) == 2
    assert not User.objects.filter(email="jun@example.jp").exists()


def test_an_invitation_reads_a_number_for_its_areas_country(invitation_to_area_b):
    assert Client().post(invitation_to_area_b, accept_data(phone="03-1234-5678")).status_code == 302
    assert User.objects.get(email="jun@example.jp").phone == "+81312345678"


def test_a_coordinator_without_a_home_area_can_save_their_japanese_number_as_the_page_shows_it(client, coordinator_b):
    # Their number is shown without its country code (03-5555-0124); saved back from an English page,
    # it is still read as a Japanese number, not refused as a British one.
    coordinator_b.phone = "+81355550124"
    coordinator_b.save(update_fields=["phone"])
    form = ProfileForm(
        data={"full_name": coordinator_b.full_name, "phone": "03-5555-0124", "preferred_language": "ja"},
        instance=coordinator_b,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+81355550124"
