"""Postcodes in every shape people type them come out in one canonical form; anything else is None."""

import pytest

from casserole.geocoding import normalise_postcode
from casserole.postcodes import (
    jp_prefix,
    normalise_jp_postcode,
    normalise_uk_postcode,
    postcode_prefix,
    uk_outward_code,
)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("E8 1DY", "E8 1DY"),
        ("e81dy", "E8 1DY"),
        ("e8 1dy", "E8 1DY"),
        ("  E8   1DY ", "E8 1DY"),
        ("N16 7UX", "N16 7UX"),
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("gir 0aa", "GIR 0AA"),
        ("Ｅ８　１ＤＹ", "E8 1DY"),  # full-width, as a Japanese keyboard types it
    ],
)
def test_uk_postcode_is_normalised(typed, canonical):
    assert normalise_uk_postcode(typed) == canonical


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "E8",  # outward code only
        "1DY",
        "E8 1D",
        "E8 1DYY",
        "E8 1CY",  # C never appears in the inward code
        "8E 1DY",
        "ABC1 1AA",
        "E8-1DY",
        "hello",
        "154-0004",
    ],
)
def test_invalid_uk_postcode_is_none(typed):
    assert normalise_uk_postcode(typed) is None


@pytest.mark.parametrize(
    ("typed", "outward"),
    [("e8 1dy", "E8"), ("SW1A1AA", "SW1A"), ("N16 7UX", "N16"), ("W1A 0AX", "W1A"), ("E81", None)],
)
def test_uk_outward_code(typed, outward):
    assert uk_outward_code(typed) == outward


@pytest.mark.parametrize(
    "typed",
    [
        "154-0004",
        "1540004",
        "154 0004",
        "１５４－０００４",
        "１５４０００４",
        "154ー0004",  # katakana long-vowel mark, as an IME often types it
        "154－0004",
        "154‐0004",
        "〒154-0004",
        "〒 １５４ー０００４",
        " 154-0004 ",
    ],
)
def test_jp_postcode_is_normalised(typed):
    assert normalise_jp_postcode(typed) == "154-0004"


@pytest.mark.parametrize(
    "typed",
    ["", "154", "154-004", "154-00045", "15-40004", "abc-defg", "〒", "154--0004", "E8 1DY", "一五四-〇〇〇四"],
)
def test_invalid_jp_postcode_is_none(typed):
    assert normalise_jp_postcode(typed) is None


def test_jp_prefix_is_the_first_three_digits():
    assert jp_prefix("〒１５４－０００４") == "154"
    assert jp_prefix("1580094") == "158"
    assert jp_prefix("15800") is None


def test_postcode_prefix_and_normalise_postcode_by_country():
    assert postcode_prefix(country="GB", postcode="e8 1dy") == "E8"
    assert postcode_prefix(country="JP", postcode="154-0004") == "154"
    assert normalise_postcode(country="GB", postcode="n167ux") == "N16 7UX"
    assert normalise_postcode(country="JP", postcode="1540004") == "154-0004"
    with pytest.raises(ValueError):
        postcode_prefix(country="FR", postcode="75001")
