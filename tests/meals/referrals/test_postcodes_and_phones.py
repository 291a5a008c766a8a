"""A diner's postcode that nothing knows is refused at the postcode ("We don't recognise this postcode")
on the request's address page, on the coordinator's and on the proxy's address edit, apart from a real
postcode outside every club (the waitlist); a drama phone number is refused saying why, the waitlist's
contact too. In English and in Japanese."""

import pytest
from django.utils import translation

from casserole.models import AuditEntry, PostcodeCentroid
from meals.diners import services as diners_services
from meals.referrals import services
from meals.referrals.models import ReferralDraft

pytestmark = pytest.mark.django_db

UNRECOGNISED = "We don’t recognise this postcode. Check it and try again."
DRAMA = (
    "%(number)s is a number reserved for TV and radio drama, so it cannot be a real person’s. "
    "Enter a real phone number."
)
UK_ADDRESS = {"country": "GB", "address_line1": "12 Mare Street", "address_line2": "", "town": "London"}
JP_ADDRESS = {"country": "JP", "address_line1": "代沢2-3-4", "address_line2": "", "town": "世田谷区"}


@pytest.fixture(autouse=True)
def _places(settings, covered_area_a, area_b):
    """Area A covers E8 (tests/meals/conftest.py: the table also knows SW1A, outside every club); area B
    covers 154, and the table knows 154 and 060 (Sapporo, outside every club). Nothing knows ZZ9 or 999."""
    settings.GEOCODER = "offline"
    area_b.postcode_prefixes = "154"
    area_b.save(update_fields=["postcode_prefixes"])
    PostcodeCentroid.objects.create(country="JP", prefix="154", latitude="35.643", longitude="139.668")
    PostcodeCentroid.objects.create(country="JP", prefix="060", latitude="43.064", longitude="141.347")


def in_language(lang: str, english: str, **values) -> str:
    with translation.override(lang):
        text = translation.gettext(english)
    return text % values if values else text


@pytest.fixture
def asking(client):
    """Someone without an account, asking for themselves: the draft is kept by their session."""

    def start(lang: str):
        client.post(f"/{lang}/request/")
        client.post(f"/{lang}/request/relationship/", {"relationship": "self"})
        return client

    return start


@pytest.mark.parametrize(
    ("lang", "address", "postcode"),
    [
        ("en", UK_ADDRESS, "ZZ9 9ZZ"),
        ("ja", UK_ADDRESS, "ZZ9 9ZZ"),
        ("en", JP_ADDRESS, "999-9999"),
        ("ja", JP_ADDRESS, "999-9999"),
    ],
)
def test_the_address_page_refuses_a_postcode_nothing_knows_and_keeps_it(asking, lang, address, postcode):
    response = asking(lang).post(f"/{lang}/request/address/", {**address, "postcode": postcode})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(in_language(lang, UNRECOGNISED)) == 2  # in the summary and at the postcode
    assert '<p class="govuk-error-message" id="id_postcode_error">' in page
    assert f'value="{postcode}"' in page and f'value="{address["address_line1"]}"' in page
    assert "postcode" not in ReferralDraft.objects.get().data


@pytest.mark.parametrize(
    ("lang", "address", "postcode"), [("en", UK_ADDRESS, "SW1A 1AA"), ("ja", JP_ADDRESS, "060-0001")]
)
def test_a_real_postcode_outside_every_club_goes_on_to_the_waitlist(asking, lang, address, postcode):
    response = asking(lang).post(f"/{lang}/request/address/", {**address, "postcode": postcode})
    assert response["Location"] == f"/{lang}/request/not-in-area/"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_postcode_is_refused_in_the_same_round_as_any_other_error(asking, lang):
    response = asking(lang).post(
        f"/{lang}/request/address/", {**JP_ADDRESS, "address_line1": "", "postcode": "999-9999"}
    )
    page = response.content.decode()
    assert page.count(in_language(lang, UNRECOGNISED)) == 2
    assert 'href="#id_address_line1"' in page and 'href="#id_postcode"' in page


def test_saving_the_answers_refuses_an_unknown_postcode_and_stores_nothing(referrer):
    draft = services.start_draft(owner=referrer, data={"relationship": "family"})
    with pytest.raises(diners_services.UnrecognisedPostcodeError):
        services.save_draft_answers(draft=draft, answers={**JP_ADDRESS, "postcode": "999-9999"})
    draft.refresh_from_db()
    assert draft.data == {"relationship": "family"}


def test_a_coordinator_changing_a_diners_address_to_a_postcode_nothing_knows_is_told_at_the_postcode(
    login_as, coordinator_a, referral
):
    diner = referral.diner
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/edit/address/",
        {**UK_ADDRESS, "postcode": "ZZ9 9ZZ", "recording_channel": "phone"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(UNRECOGNISED) == 2
    assert '<p class="govuk-error-message" id="id_postcode_error">' in page
    assert 'value="ZZ9 9ZZ"' in page
    diner.refresh_from_db()
    assert diner.postcode == "E8 1DY"
    assert not AuditEntry.objects.filter(action="diner_updated").exists()


def test_a_proxy_changing_the_address_to_a_postcode_nothing_knows_is_told_at_the_postcode(login_as, referrer, accepted):
    diner = accepted.diner
    response = login_as(referrer).post(f"/en/diners/{diner.pk}/edit/address/", {**UK_ADDRESS, "postcode": "ZZ9 9ZZ"})
    page = response.content.decode()
    assert page.count(UNRECOGNISED) == 2
    assert 'id="id_postcode_error"' in page
    diner.refresh_from_db()
    assert diner.postcode == "E8 1DY"


def test_a_real_postcode_outside_the_diners_area_is_still_outside_their_area(accepted, coordinator_a):
    with pytest.raises(diners_services.ReferralError, match="outside this diner") as caught:
        diners_services.update_diner(by=coordinator_a, diner=accepted.diner, values={"postcode": "SW1A 1AA"})
    assert not isinstance(caught.value, diners_services.UnrecognisedPostcodeError)


@pytest.mark.parametrize(
    ("lang", "step", "field", "typed", "shown"),
    [
        ("en", "phone", "phone", "07700 900123", "07700 900123"),
        ("ja", "phone", "phone", "+44 20 7946 0018", "020 7946 0018"),
        ("en", "emergency", "emergency_phone", "0161 496 0123", "0161 496 0123"),
    ],
)
def test_a_drama_phone_number_is_refused_saying_why(asking, lang, step, field, typed, shown):
    client = asking(lang)
    client.post(f"/{lang}/request/address/", {**UK_ADDRESS, "postcode": "E8 1DY"})
    data = {field: typed, "emergency_name": "Sarah Bennett", "emergency_relationship": "Daughter"}
    response = client.post(f"/{lang}/request/{step}/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(in_language(lang, DRAMA, number=shown)) == 2
    assert f'value="{typed}"' in page
    assert field not in ReferralDraft.objects.get().data


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_waitlist_refuses_a_drama_number_saying_why(asking, lang):
    client = asking(lang)
    client.post(f"/{lang}/request/address/", {**UK_ADDRESS, "postcode": "SW1A 1AA"})
    response = client.post(f"/{lang}/request/not-in-area/", {"name": "Edith", "contact": "07700 900123"})
    page = response.content.decode()
    assert page.count(in_language(lang, DRAMA, number="07700 900123")) == 2
    assert 'value="07700 900123"' in page
