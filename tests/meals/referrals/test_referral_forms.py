"""The request's question forms: the SECTIONS contract other pages rely on, and bad input in every
common shape (postcodes, phone numbers, names in any script, dates in three boxes)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from meals.diners.models import JP_ALLERGENS, JP_RECOMMENDED_ALLERGENS, UK_ALLERGENS, Diner
from meals.diners.services import DINER_FIELDS
from meals.referrals.forms import SECTIONS, ConsentForm, DietForm, RelationshipForm, SectionForm, WaitlistForm
from tests.factories import long_email
from tests.meals.conftest import ANSWERS

DINER_SECTIONS = ("name", "address", "phone", "access", "diet", "texture", "likes", "days", "emergency")


@pytest.fixture(autouse=True)
def _in_english():
    # These tests build forms outside any request: pin the language the messages are compared in
    # (a page test run before them may have left Japanese active in this thread).
    with translation.override("en"):
        yield


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def as_post(values: dict) -> dict:
    """Form data as a browser would send the given initial values (lists stay lists)."""
    return {name: value for name, value in values.items() if value is not None}


def bound(slug: str, data: dict, **options) -> SectionForm:
    return SECTIONS[slug](data, **options)


def consent_data(**changes) -> dict:
    data = {
        "consent_given": "yes",
        "consent_method": "in_person",
        "consent_given_on_day": "20",
        "consent_given_on_month": "11",
        "consent_given_on_year": "2026",
        "share_with_cook": ["address", "phone"],
        "concerns_to": ["referrer"],
    }
    data.update(changes)
    return data


# The contract ------------------------------------------------------------------------------------------


def test_sections_are_the_pages_in_order_and_cover_every_diner_field():
    assert list(SECTIONS) == ["relationship", *DINER_SECTIONS[:9], "consent"]
    covered = [name for slug in DINER_SECTIONS for name in SECTIONS[slug].fields_for_diner]
    assert sorted(covered) == sorted(DINER_FIELDS)
    assert SECTIONS["relationship"].fields_for_diner == SECTIONS["consent"].fields_for_diner == ()
    for form_class in SECTIONS.values():
        assert str(form_class.title)


@pytest.mark.parametrize("slug", DINER_SECTIONS)
def test_a_sections_answers_round_trip_through_its_initial_values(slug):
    form_class = SECTIONS[slug]
    form = form_class(as_post(form_class.initial_from(ANSWERS)), country="GB")
    assert form.is_valid(), form.errors
    assert form.answers() == {name: ANSWERS[name] for name in form.answer_keys()}
    assert form.is_answered(ANSWERS)
    assert form.summary(ANSWERS)


def test_a_diners_own_values_fill_the_forms_too():
    diner = Diner(**{name: ANSWERS[name] for name in DINER_FIELDS})
    values = {name: getattr(diner, name) for name in DINER_FIELDS}
    assert SECTIONS["phone"].initial_from(values) == {"phone": "020 7123 4567"}
    assert SECTIONS["emergency"].initial_from(values)["emergency_phone"] == "07911 123456"


def test_the_consent_form_gives_the_diners_consent_fields_for_the_coordinator():
    form = ConsentForm(consent_data(concerns_to=["referrer", "emergency_contact"]), channel="phone")
    assert form.is_valid(), form.errors
    assert form.consent_values() == {
        "consent_method": "in_person",
        "consent_given_on": date(2026, 11, 20),
        "share_with_cook": ["address", "phone"],
        "concerns_to_referrer": True,
        "concerns_to_emergency_contact": True,
    }
    assert form.answers()["consent_given_on"] == "2026-11-20"
    assert form.answers()["consent_given"] is True


def test_the_consent_form_starts_from_a_diners_consent():
    initial = ConsentForm.initial_from(
        {"consent_method": "phone", "consent_given_on": date(2026, 1, 2), "concerns_to_emergency_contact": True}
    )
    assert initial["consent_given"] == "yes"
    assert initial["concerns_to"] == ["emergency_contact"]


# Postcodes, phones, names ------------------------------------------------------------------------------


def address(**changes) -> dict:
    return {"country": "GB", "address_line1": "12 Mare Street", "town": "London", "postcode": "E8 1DY", **changes}


@pytest.mark.parametrize("typed", ["E8 1DY", "e81dy", "e8 1dy", " E8  1DY ", full_width("E8 1DY")])
def test_uk_postcodes_in_every_common_shape(typed):
    form = bound("address", address(postcode=typed))
    assert form.is_valid(), form.errors
    assert form.answers()["postcode"] == "E8 1DY"


@pytest.mark.parametrize("typed", ["1540004", "154-0004", "１５４－０００４", "154ー0004", "〒154-0004", "154 0004"])
def test_japanese_postcodes_in_every_common_shape(typed):
    form = bound("address", address(country="JP", postcode=typed, town="世田谷区", address_line1="太子堂1-2-3"))
    assert form.is_valid(), form.errors
    assert form.answers()["postcode"] == "154-0004"


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("GB", "E8", "Enter a real postcode, like E8 1DY"),
        ("GB", "1540004", "Enter a real postcode, like E8 1DY"),
        ("JP", "154-000", "Enter a postcode with 7 digits, like 154-0004"),
        ("JP", "E8 1DY", "Enter a postcode with 7 digits, like 154-0004"),
    ],
)
def test_a_wrong_postcode_says_what_a_right_one_looks_like(country, typed, message):
    form = bound("address", address(country=country, postcode=typed))
    assert form.errors["postcode"] == [message]


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("GB", "020 7123 4567", "+442071234567"),  # a landline
        ("GB", "07911 123456", "+447911123456"),
        ("GB", "+44 20 7123 4567", "+442071234567"),
        ("JP", "03-1234-5678", "+81312345678"),
        ("JP", "０３－１２３４－５６７８", "+81312345678"),
        ("JP", "090-1234-5678", "+819012345678"),
    ],
)
def test_phone_numbers_are_read_for_the_diners_country(country, typed, stored):
    form = bound("phone", {"phone": typed}, country=country)
    assert form.is_valid(), form.errors
    assert form.answers() == {"phone": stored}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "The phone number is too short. Enter the whole number, with the area code, like 020 7946 0018"),
        ("not a number", "Enter a phone number, like 020 7946 0018 or 03-1234-5678"),
        ("020 7123 012345678", "The phone number is too long. Enter one phone number, like 020 7946 0018"),
        ("07700 900123", "07700 900123 is a number reserved for TV and radio drama, so it cannot be a real person’s."),
    ],
)
def test_a_wrong_phone_number_is_refused_saying_why(typed, message):
    form = bound("phone", {"phone": typed}, country="GB")
    assert len(form.errors["phone"]) == 1 and form.errors["phone"][0].startswith(message)


def test_a_phone_number_is_required():
    assert bound("phone", {"phone": ""}).errors["phone"] == ["Enter a phone number"]


@pytest.mark.parametrize("name", ["Edith O'Brien", "Nguyễn Thị Lan", "山田 花子", "Zoë Saldaña-Pérez", "Ólafur"])
def test_names_in_any_script_are_accepted_as_written(name):
    form = bound("name", {"full_name": name, "preferred_name": name.split()[0], "preferred_language": "en"})
    assert form.is_valid(), form.errors
    assert form.answers()["full_name"] == name


def test_a_name_typed_in_decomposed_unicode_is_stored_composed():
    form = bound("name", {"full_name": "Nguye\u0302\u0303n", "preferred_name": "Lan", "preferred_language": "en"})
    assert form.is_valid()
    assert form.answers()["full_name"] == "Nguyễn"


def test_a_half_width_katakana_reading_becomes_full_width():
    form = bound(
        "name",
        {"full_name": "山田 花子", "name_reading": "ﾔﾏﾀﾞ ﾊﾅｺ", "preferred_name": "花子さん", "preferred_language": "ja"},
    )
    assert form.is_valid()
    assert form.answers()["name_reading"] == "ヤマダ ハナコ"


def test_the_name_page_asks_for_a_full_name_and_what_they_like_to_be_called():
    form = bound("name", {"preferred_language": "en"})
    assert form.errors == {
        "full_name": ["Enter the diner’s full name"],
        "preferred_name": ["Enter what they like to be called"],
    }
    assert bound("name", {}, for_self=True).errors["full_name"] == ["Enter your full name"]


# Dates ---------------------------------------------------------------------------------------------------


def test_the_consent_date_accepts_full_width_digits():
    data = consent_data(consent_given_on_day="２０", consent_given_on_month="１１", consent_given_on_year="２０２６")
    form = ConsentForm(data)
    assert form.is_valid(), form.errors
    assert form.answers()["consent_given_on"] == "2026-11-20"


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date they agreed"),
        ("20", "", "2026", "The date they agreed must include a day, a month and a year"),
        ("31", "2", "2026", "The date they agreed must be a real date"),
        ("20", "11", "26", "The date they agreed must be a real date"),
        ("x", "11", "2026", "The date they agreed must be a real date"),
    ],
)
def test_a_wrong_consent_date_says_how_to_fix_it(day, month, year, message):
    form = ConsentForm(consent_data(consent_given_on_day=day, consent_given_on_month=month, consent_given_on_year=year))
    assert form.errors["consent_given_on"] == [message]


def test_a_consent_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = ConsentForm(
        consent_data(
            consent_given_on_day=str(tomorrow.day),
            consent_given_on_month=str(tomorrow.month),
            consent_given_on_year=str(tomorrow.year),
        )
    )
    assert form.errors["consent_given_on"] == ["The date they agreed must be today or in the past"]


def test_the_date_boxes_are_day_month_year_in_english_and_year_month_day_in_japanese():
    html = str(ConsentForm()["consent_given_on"])
    assert html.index("_day") < html.index("_month") < html.index("_year")
    with translation.override("ja"):
        html = str(ConsentForm()["consent_given_on"])
    assert html.index("_year") < html.index("_month") < html.index("_day")


# Consent -------------------------------------------------------------------------------------------------


def test_without_the_diners_agreement_the_consent_page_explains_why_it_cannot_go_on():
    form = ConsentForm(consent_data(consent_given="no"))
    assert form.errors["consent_given"] == [
        "You cannot send this request until the diner agrees. Your answers are saved: come back when they have agreed."
    ]
    assert ConsentForm(consent_data(consent_given="")).errors["consent_given"] == ["Select yes if the diner has agreed"]


def test_someone_asking_for_the_diner_says_how_and_when_they_agreed():
    form = ConsentForm(consent_data(consent_method="", consent_given_on_day="", consent_given_on_month=""))
    assert form.errors["consent_method"] == ["Select how they agreed"]
    assert "consent_given_on" in form.errors


@pytest.mark.parametrize(("channel", "method"), [("web", "themselves"), ("phone", "phone")])
def test_a_diner_asking_for_themselves_agrees_by_asking(channel, method):
    form = ConsentForm({"consent_given": "yes", "concerns_to": ["emergency_contact"]}, channel=channel, for_self=True)
    assert "consent_method" not in form.fields and "consent_given_on" not in form.fields
    assert [value for value, _label in form.fields["concerns_to"].choices] == ["emergency_contact"]
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers["consent_method"] == method
    assert answers["consent_given_on"] == timezone.localdate().isoformat()
    assert (answers["concerns_to_referrer"], answers["concerns_to_emergency_contact"]) == (False, True)


# Who is asking -------------------------------------------------------------------------------------------


def test_a_signed_in_referrer_is_asked_only_their_relationship():
    form = RelationshipForm({"relationship": "family", "referrer_name": "Someone"}, signed_in=True)
    assert set(form.fields) == {"relationship"}
    assert form.is_valid()
    assert form.answers() == {"relationship": "family", "referrer_name": "", "referrer_phone": ""}
    assert "coordinator" not in [value for value, _label in form.fields["relationship"].choices]


def test_someone_without_an_account_asking_for_another_leaves_a_name_and_phone():
    form = RelationshipForm({"relationship": "friend"}, signed_in=False)
    assert form.errors == {"referrer_name": ["Enter your name"], "referrer_phone": ["Enter your phone number"]}
    form = RelationshipForm(
        {"relationship": "friend", "referrer_name": "Pat Kelly", "referrer_phone": "07911 123111"}, signed_in=False
    )
    assert form.is_valid()
    assert form.answers()["referrer_phone"] == "+447911123111"
    # Asking for themselves, their own phone (asked later) is how we reach them.
    form = RelationshipForm({"relationship": "self", "referrer_name": "Pat"}, signed_in=False)
    assert form.is_valid()
    assert form.answers()["referrer_name"] == ""


def test_a_coordinator_on_the_phone_records_the_caller():
    form = RelationshipForm({"relationship": "carer"}, channel="phone")
    assert str(form.heading) == "Who is calling?"
    assert form.errors == {
        "referrer_name": ["Enter the caller’s name"],
        "referrer_phone": ["Enter the caller’s phone number"],
    }
    choices = dict(form.fields["relationship"].choices)
    assert str(choices["self"]) == "The diner called themselves" and "coordinator" not in choices


def test_changing_between_for_yourself_and_for_someone_else_asks_for_consent_again():
    form = RelationshipForm({"relationship": "family"}, initial={"relationship": "self"})
    assert form.is_valid()
    assert form.answers()["consent_given"] is False
    form = RelationshipForm({"relationship": "family"}, initial={"relationship": "friend"})
    assert form.is_valid()
    assert "consent_given" not in form.answers()


# Needs ---------------------------------------------------------------------------------------------------


def test_the_allergens_of_the_diners_country_come_first():
    uk = [value for value, _label in DietForm(country="GB").fields["allergens"].choices]
    jp = [value for value, _label in DietForm(country="JP").fields["allergens"].choices]
    assert uk[: len(UK_ALLERGENS)] == list(UK_ALLERGENS)
    assert jp[: len(JP_ALLERGENS)] == list(JP_ALLERGENS)
    assert sorted(uk) == sorted(jp)
    html = DietForm(country="JP")["allergens"].as_field_group()
    assert html.index("Other allergens") > html.index('value="walnut"')
    # Japan's lists come from casserole.allergens under their own headings: what labels must show,
    # then what they are advised to show, then the rest.
    must, advised, other = (
        html.index("What food labels in Japan must show"),
        html.index("What food labels in Japan are advised to show"),
        html.index("Other allergens"),
    )
    assert must < html.index(f'value="{JP_ALLERGENS[-1].value}"') < advised
    assert advised < html.index(f'value="{JP_RECOMMENDED_ALLERGENS[0].value}"') < other
    uk_html = DietForm(country="GB")["allergens"].as_field_group()
    assert uk_html.index("The 14 allergens UK food law names") < uk_html.index(f'value="{UK_ALLERGENS[-1].value}"')
    assert "Japan" not in uk_html.split("Other allergens")[0]


def test_days_need_at_least_one_and_are_kept_in_week_order():
    assert bound("days", {"frequency": "weekly"}).errors["days"] == ["Select at least one day"]
    form = bound("days", {"frequency": "weekly", "days": ["sat", "mon"]})
    assert form.is_valid()
    assert form.answers()["days"] == ["mon", "sat"]


def test_an_emergency_contact_needs_a_name_and_a_phone_number_but_not_a_relationship():
    assert bound("emergency", {}).errors == {
        "emergency_name": ["Enter the emergency contact’s name"],
        "emergency_phone": ["Enter the emergency contact’s phone number"],
    }
    form = bound("emergency", {"emergency_name": "Sarah Bennett", "emergency_phone": "07911 123456"})
    assert form.is_valid()


def test_the_texture_choices_carry_hints_linked_to_each_radio():
    html = SECTIONS["texture"]()["texture"].as_field_group()
    assert 'aria-describedby="id_texture_1-hint"' in html
    assert 'id="id_texture_1-hint"' in html


def test_the_waitlist_takes_a_phone_number_or_an_email_address():
    form = WaitlistForm({"name": "Pat", "contact": "pat@example.org"})
    assert form.is_valid()
    form = WaitlistForm({"name": "Pat", "contact": "０９０-１２３４-５６７８"}, country="JP")
    assert form.is_valid()
    assert form.cleaned_data["contact"] == "+819012345678"
    assert WaitlistForm({"name": "Pat", "contact": "tomorrow"}).errors["contact"] == [
        "Enter a phone number, like 020 7946 0018, or an email address, like name@example.com"
    ]


@pytest.mark.parametrize("length", [255, 320, 400])
def test_the_waitlist_refuses_an_email_address_longer_than_254_characters_and_keeps_it(length):
    address = long_email(length)
    form = WaitlistForm({"name": "Pat", "contact": address})
    assert form.errors["contact"] == ["Email address must be 254 characters or fewer"]
    assert form["contact"].value() == address


def test_the_waitlist_keeps_a_254_character_email_address_whole():
    address = long_email(254)
    form = WaitlistForm({"name": "Pat", "contact": address})
    assert form.is_valid()
    assert form.cleaned_data["contact"] == address


def test_the_pages_say_you_only_to_a_diner_typing_for_themselves():
    assert str(SECTIONS["name"](for_self=True).heading) == "What is your name?"
    # A coordinator typing for a diner who called: still "the diner".
    assert str(SECTIONS["name"](for_self=True, channel="phone").heading) == "What is the diner’s name?"
    assert str(SECTIONS["name"]().heading) == "What is the diner’s name?"
    consent = ConsentForm(for_self=True, channel="phone")
    assert str(consent.fields["consent_given"].label) == "Does the diner agree to this request?"
    assert [str(label) for _value, label in consent.fields["concerns_to"].choices] == ["Their emergency contact"]
