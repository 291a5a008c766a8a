"""Phone numbers: every refusal says why (each reason its own message, in English and Japanese), Ofcom's
drama ranges are refused even where the library calls them valid, and a stored number reads the same
on every page (the `phone` filter)."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from casserole.phones import DRAMA_RANGES, clean_phone, normalise_phone, phone_for_display


def refusal(value: str, country: str = "GB") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_phone(value, country=country)
    return caught.value


def message(error: ValidationError) -> str:
    (text,) = error.messages
    return text


def in_japanese(english: str, **values) -> str:
    with translation.override("ja"):
        text = translation.gettext(english)
    return text % values if values else text


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("GB", "020 7123 4567", "+442071234567"),
        ("GB", "+44 (0)20 7123 4567", "+442071234567"),
        ("GB", "０２０ ７１２３ ４５６７", "+442071234567"),
        ("GB", "07911 123456", "+447911123456"),
        ("JP", "03-1234-5678", "+81312345678"),
        ("JP", "０３ー１２３４ー５６７８", "+81312345678"),
        ("JP", "090-1234-5678", "+819012345678"),
        ("JP", "+44 20 7123 4567", "+442071234567"),  # a number with "+" is read by its own country code
    ],
)
def test_a_real_number_is_stored_in_e164(country, typed, stored):
    assert clean_phone(typed, country=country) == stored
    assert normalise_phone(typed, country=country) == stored


DRAMA_MESSAGE = (
    "%(number)s is a number reserved for TV and radio drama, so it cannot be a real person’s. "
    "Enter a real phone number."
)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("07700 900123", "07700 900123"),  # the library calls this one invalid: the reason is still given
        ("+44 7700 900123", "07700 900123"),
        ("020 7946 0018", "020 7946 0018"),  # and calls this one valid
        ("０２０ ７９４６ ００１８", "020 7946 0018"),
        ("0113 496 0000", "0113 496 0000"),
        ("0161 496 0999", "0161 496 0999"),
        ("0191 498 0123", "0191 498 0123"),
        ("028 9018 0123", "028 9018 0123"),
        ("029 2018 0123", "029 2018 0123"),
        ("01632 960123", "01632 960123"),
        ("0808 157 0123", "0808 157 0123"),
        ("0909 879 0123", "0909 879 0123"),
        ("0306 999 0123", "0306 999 0123"),
    ],
)
def test_a_drama_number_is_refused_saying_it_is_kept_for_tv_and_radio(typed, shown):
    error = refusal(typed)
    assert error.code == "drama"
    assert message(error) == DRAMA_MESSAGE % {"number": shown}
    assert normalise_phone(typed, country="GB") is None


def test_a_drama_number_typed_with_44_is_refused_on_a_japanese_form_too():
    assert refusal("+44 7700 900123", "JP").code == "drama"


@pytest.mark.parametrize("first_seven", sorted(DRAMA_RANGES["GB"]))
def test_each_drama_range_is_exactly_its_thousand_numbers(first_seven):
    for last_three in ("000", "999"):
        assert refusal(f"+44{first_seven}{last_three}").code == "drama"
    # One more digit is not the drama number it starts like; the library judges it (too long).
    assert refusal(f"+44{first_seven}0000").code != "drama"


def test_the_numbers_next_to_a_drama_range_are_real():
    assert clean_phone("020 7946 1000", country="GB") == "+442079461000"
    assert clean_phone("0161 496 1000", country="GB") == "+441614961000"


def test_japan_keeps_no_drama_ranges():
    assert "JP" not in DRAMA_RANGES
    assert clean_phone("03-1234-5678", country="JP") == "+81312345678"


TOO_SHORT = (
    "The phone number is too short. Enter the whole number, with the area code, like 020 7946 0018 or 03-1234-5678"
)
TOO_LONG = "The phone number is too long. Enter one phone number, like 020 7946 0018 or 03-1234-5678"
COUNTRY_CODE = "Check the country code after the + sign, like +44 for the United Kingdom or +81 for Japan"
NOT_A_NUMBER = "Enter a phone number, like 020 7946 0018 or 03-1234-5678"


@pytest.mark.parametrize(
    ("country", "typed", "code", "english"),
    [
        ("GB", "12345", "too_short", TOO_SHORT),
        ("GB", "7123 4567", "too_short", TOO_SHORT),  # no area code: only dialable nearby
        ("GB", "0", "not_a_number", NOT_A_NUMBER),
        ("GB", "not a number", "not_a_number", NOT_A_NUMBER),
        ("GB", "020 7123 45678", "too_long", TOO_LONG),
        ("GB", "020 7123 4567 0000 0000 0000", "too_long", TOO_LONG),
        ("GB", "+999 1234 5678", "country_code", COUNTRY_CODE),
        ("JP", "03-1234-567", "not_valid", "%(number)s is not a valid phone number. Check the digits and try again."),
    ],
)
def test_each_refusal_says_why_in_english_and_japanese(country, typed, code, english):
    values = {"number": typed} if "%(number)s" in english else {}
    error = refusal(typed, country)
    assert error.code == code
    assert message(error) == (english % values if values else english)
    with translation.override("ja"):
        assert message(refusal(typed, country)) == in_japanese(english, **values)


def test_the_drama_refusal_is_in_japanese_on_japanese_pages():
    with translation.override("ja"):
        text = message(refusal("07700 900123"))
    assert text == in_japanese(DRAMA_MESSAGE, number="07700 900123")


def test_a_number_that_cannot_be_valid_is_echoed_as_typed():
    assert "03-1234-567 is not a valid phone number" in message(refusal("03-1234-567", "JP"))


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+442071234567", "020 7123 4567"),
        ("+447911123456", "07911 123456"),
        ("+81312345678", "03-1234-5678"),
        ("+819012345678", "090-1234-5678"),
        ("+441534123456", "01534 123456"),  # Jersey: dialled from the UK like a UK number
        ("+33612345678", "+33 6 12 34 56 78"),  # elsewhere: its national form cannot be dialled from here
        ("020 7123 4567", "020 7123 4567"),  # typed before numbers were checked: shown as it is
    ],
)
def test_a_stored_number_is_shown_as_people_dial_it(stored, shown):
    assert phone_for_display(stored) == shown


def test_the_phone_filter_shows_every_page_the_same_format():
    template = Template("{% load casserole_tags %}[{{ number|phone }}]")
    assert template.render(Context({"number": "+442071234567"})) == "[020 7123 4567]"
    assert template.render(Context({"number": "+81312345678"})) == "[03-1234-5678]"
    assert template.render(Context({"number": ""})) == "[]"
