"""The one allergen table: each country's lists, with the dates changes take effect, as data."""

from datetime import date

import pytest

from casserole import allergens
from casserole.allergens import GB, JP, MANDATORY, RECOMMENDED, Listing
from casserole.models import Country

TODAY = date(2026, 12, 7)  # when the table was last checked against the sources


def codes(rows) -> set[str]:
    return {row.code for row in rows}


def test_the_countries_are_casseroles_countries():
    assert {GB, JP} == set(Country.values)
    assert {listing.country for row in allergens.ALLERGENS for listing in row.listings} == {GB, JP}


def test_codes_are_unique_and_every_group_is_one_of_the_uk_14():
    assert len(allergens.BY_CODE) == len(allergens.ALLERGENS)
    uk = codes(allergens.mandatory_in(GB))
    for row in allergens.ALLERGENS:
        assert row.code == row.code.lower() and row.code.isidentifier(), row.code
        assert row.name_en and row.name_ja and row.name_en != row.name_ja
        assert row.within is None or row.within in uk, row.code


def test_the_uk_list_is_the_14():
    assert codes(allergens.mandatory_in(GB, on=TODAY)) == {
        "celery",
        "gluten",
        "crustaceans",
        "eggs",
        "fish",
        "lupin",
        "milk",
        "molluscs",
        "mustard",
        "tree_nuts",
        "peanuts",
        "sesame",
        "soya",
        "sulphites",
    }
    assert allergens.recommended_in(GB, on=TODAY) == ()


def test_japans_mandatory_list_is_the_eight_specified_ingredients():
    assert {row.name_ja.split("（")[0] for row in allergens.mandatory_in(JP, on=TODAY)} == {
        "えび",
        "かに",
        "くるみ",
        "小麦",
        "そば",
        "卵",
        "乳",
        "落花生",
    }


def test_walnut_became_mandatory_on_1_april_2025():
    assert "walnut" not in codes(allergens.mandatory_in(JP, on=date(2025, 3, 31)))
    assert "walnut" in codes(allergens.recommended_in(JP, on=date(2025, 3, 31)))  # labels could still omit it
    assert "walnut" in codes(allergens.mandatory_in(JP, on=date(2025, 4, 1)))
    assert "walnut" not in codes(allergens.recommended_in(JP, on=date(2025, 4, 1)))


def test_cashew_is_decided_as_the_ninth_with_its_date_not_yet_recorded():
    cashew = allergens.BY_CODE["cashew"]
    mandatory = next(x for x in cashew.listings if x.kind == MANDATORY)
    assert mandatory.pending and mandatory.decided == date(2025, 12, 15)
    assert "cashew" not in codes(allergens.mandatory_in(JP, on=TODAY))
    assert codes(allergens.decided_in(JP, on=TODAY)) == {"cashew"}
    assert len(allergens.mandatory_in(JP, on=TODAY, decided=True)) == 9
    # Until then it stays on the recommended list.
    assert "cashew" in codes(allergens.recommended_in(JP, on=TODAY))


def test_japans_recommended_list_is_the_twenty_items():
    assert {row.name_ja for row in allergens.recommended_in(JP, on=TODAY)} == {
        "アーモンド",
        "あわび",
        "いか",
        "いくら",
        "オレンジ",
        "カシューナッツ",
        "キウイフルーツ",
        "牛肉",
        "ごま",
        "さけ",
        "さば",
        "大豆",
        "鶏肉",
        "バナナ",
        "豚肉",
        "マカダミアナッツ",
        "もも",
        "やまいも",
        "りんご",
        "ゼラチン",
    }
    assert "macadamia" not in codes(allergens.recommended_in(JP, on=date(2024, 3, 27)))
    assert codes(allergens.decided_in(JP, RECOMMENDED, on=TODAY)) == {"pistachio"}


@pytest.mark.parametrize(
    ("listing", "day", "in_force"),
    [
        (Listing(JP, MANDATORY, since=date(2028, 4, 1)), date(2028, 3, 31), False),
        (Listing(JP, MANDATORY, since=date(2028, 4, 1)), date(2028, 4, 1), True),
        (Listing(JP, RECOMMENDED, until=date(2028, 4, 1)), date(2028, 3, 31), True),
        (Listing(JP, RECOMMENDED, until=date(2028, 4, 1)), date(2028, 4, 1), False),
        (Listing(JP, MANDATORY, decided=date(2025, 12, 15)), date(2099, 1, 1), False),
        (Listing(JP, RECOMMENDED), date(1990, 1, 1), True),
    ],
)
def test_a_change_in_the_law_is_a_dated_listing(listing, day, in_force):
    """Recording cashew's date means giving its MANDATORY listing `since` and its RECOMMENDED one
    `until`: no code changes."""
    assert listing.in_force(day) is in_force


def test_a_listing_with_a_future_date_counts_as_decided():
    row = allergens.Allergen("x", "X", "エックス", (Listing(JP, MANDATORY, since=date(2030, 1, 1)),))
    assert row.decided_for(JP, MANDATORY, TODAY)
    assert not row.listed(JP, MANDATORY, TODAY)


def test_names_follow_the_language():
    walnut = allergens.BY_CODE["walnut"]
    assert (walnut.name("en"), walnut.name("ja"), walnut.name("en-gb"), walnut.name(None)) == (
        "Walnuts",
        "くるみ",
        "Walnuts",
        "Walnuts",
    )
