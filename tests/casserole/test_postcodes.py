"""Postcodes in every shape people type them come out in one canonical form; anything else is None. And
which well-shaped postcodes we recognise as places (the rule for "We don't recognise this postcode")."""

import json

import pytest
import requests

from accounts.people.selectors import postcode_recognised
from casserole import geocoding
from casserole.geocoding import normalise_postcode
from casserole.models import PostcodeCentroid
from casserole.postcodes import (
    jp_prefix,
    normalise_jp_postcode,
    normalise_uk_postcode,
    postcode_prefix,
    uk_outward_code,
)
from tests.factories import AreaFactory


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


# Which postcodes we recognise (accounts.people.selectors.postcode_recognised) -----------------------
# Recognised: an area covers its prefix, or the offline table knows it, or a geocoder places it or cannot
# say (a service down). Unrecognised: none of them knows it and every geocoder asked said so.


@pytest.fixture
def known_places(db, settings):
    """Area B covers 154 and 155; the offline table knows E8, SW1A and 154 (not 155)."""
    settings.GEOCODER = "offline"
    AreaFactory(name="Area B", slug="area-b", country="JP", postcode_prefixes="154 155")
    for country, prefix in (("GB", "E8"), ("GB", "SW1A"), ("JP", "154")):
        PostcodeCentroid.objects.create(country=country, prefix=prefix, latitude="51.5", longitude="0.1")


def _replying(monkeypatch, reply):
    """Every request the geocoders make gets `reply` (a status and JSON body, or an exception to raise)."""
    calls = []

    def get(url, **kwargs):
        calls.append(url)
        if isinstance(reply, Exception):
            raise reply
        response = requests.Response()
        response.status_code, response._content = reply[0], json.dumps(reply[1]).encode()
        return response

    monkeypatch.setattr(requests, "get", get)
    return calls


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("JP", "154-0004"),  # an area covers it and the table knows it
        ("JP", "155-0031"),  # an area covers it; the table does not (the cook waits for a pin)
        ("GB", "SW1A 1AA"),  # no area: a real place outside every club
        ("GB", "E8 9ZZ"),  # a district the table knows, whatever the inward code
    ],
)
def test_a_postcode_an_area_or_the_table_knows_is_recognised_without_asking_anyone(
    known_places, monkeypatch, country, postcode
):
    calls = _replying(monkeypatch, AssertionError("no network needed"))
    assert postcode_recognised(country=country, postcode=postcode)
    assert calls == []


@pytest.mark.parametrize(("country", "postcode"), [("JP", "999-9999"), ("GB", "ZZ9 9ZZ")])
def test_with_the_offline_geocoder_a_postcode_nobody_knows_is_unrecognised(known_places, country, postcode):
    assert not postcode_recognised(country=country, postcode=postcode)


@pytest.mark.parametrize("backend", ["uk_postcodes", "chain"])
def test_a_uk_postcode_postcodes_io_says_does_not_exist_in_an_unknown_district_is_unrecognised(
    known_places, settings, monkeypatch, backend
):
    settings.GEOCODER = backend
    calls = _replying(monkeypatch, (404, {"status": 404, "error": "Postcode not found"}))
    assert not postcode_recognised(country="GB", postcode="ZZ9 9ZZ")
    assert calls == ["https://api.postcodes.io/postcodes/ZZ99ZZ"]


def test_a_new_postcode_postcodes_io_does_not_know_yet_in_a_known_district_is_recognised(
    known_places, settings, monkeypatch
):
    settings.GEOCODER = "uk_postcodes"
    _replying(monkeypatch, (404, {"status": 404}))
    assert postcode_recognised(country="GB", postcode="SW1A 9ZZ")


def test_a_postcode_postcodes_io_places_is_recognised_though_no_table_knows_it(known_places, settings, monkeypatch):
    settings.GEOCODER = "uk_postcodes"
    _replying(monkeypatch, (200, {"status": 200, "result": {"latitude": 53.48, "longitude": -2.24}}))
    assert postcode_recognised(country="GB", postcode="M1 1AE")


@pytest.mark.parametrize("backend", ["uk_postcodes", "chain"])
@pytest.mark.parametrize("failure", [requests.ConnectionError("down"), (503, {"error": "busy"})], ids=["down", "503"])
def test_while_the_online_geocoder_is_down_a_postcode_is_given_the_benefit_of_the_doubt(
    known_places, settings, monkeypatch, backend, failure
):
    settings.GEOCODER = backend
    _replying(monkeypatch, failure)
    assert postcode_recognised(country="GB", postcode="M1 1AE")  # saved, "needs placing"


def test_in_japan_an_address_gsi_finds_makes_the_postcode_recognised_and_none_found_does_not(
    known_places, settings, monkeypatch
):
    settings.GEOCODER = "jp_gsi"
    address = "北海道札幌市中央区北1条西2丁目"
    _replying(monkeypatch, (200, [{"geometry": {"coordinates": [141.35, 43.06]}, "properties": {"title": "札幌"}}]))
    assert postcode_recognised(country="JP", postcode="060-0001", address=address)
    _replying(monkeypatch, (200, []))
    assert not postcode_recognised(country="JP", postcode="999-9999", address=address)
    _replying(monkeypatch, requests.Timeout())
    assert postcode_recognised(country="JP", postcode="999-9999", address=address)


def test_a_lookup_already_made_is_used_rather_than_asking_again(known_places, settings, monkeypatch):
    settings.GEOCODER = "uk_postcodes"
    calls = _replying(monkeypatch, AssertionError("asked again"))
    assert not postcode_recognised(country="GB", postcode="ZZ9 9ZZ", lookup=geocoding.Lookup(None))
    assert postcode_recognised(country="GB", postcode="ZZ9 9ZZ", lookup=geocoding.Lookup(None, unsure=True))
    assert calls == []
