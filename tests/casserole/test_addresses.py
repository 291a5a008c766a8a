"""One postal address for cooks and diners: the same columns, the same form questions, the same
address for the geocoders."""

import pytest

from accounts.onboarding.forms import CookProfileForm
from accounts.onboarding.models import CookProfile
from casserole.addresses import PostalAddress, PostalAddressFields, address_for_geocoder
from meals.diners.models import Diner
from meals.referrals.forms.questions import AddressForm

ADDRESS_FIELDS = ["country", "address_line1", "address_line2", "town", "postcode"]


@pytest.mark.parametrize("model", [CookProfile, Diner])
def test_cooks_and_diners_store_the_same_address_columns(model):
    assert issubclass(model, PostalAddress)
    for name in ADDRESS_FIELDS:
        ours, theirs = PostalAddress._meta.get_field(name), model._meta.get_field(name)
        assert (theirs.column, theirs.max_length, theirs.blank) == (name, ours.max_length, ours.blank)


@pytest.mark.parametrize("form", [CookProfileForm, AddressForm])
def test_cooks_and_diners_are_asked_the_same_address_questions(form):
    assert issubclass(form, PostalAddressFields)
    assert [name for name in form.base_fields if name in ADDRESS_FIELDS] == ADDRESS_FIELDS


def test_the_cook_form_keeps_the_address_after_the_phone():
    names = list(CookProfileForm().fields)
    assert names[:3] == ["full_name", "name_reading", "phone"]
    assert names[3:8] == ADDRESS_FIELDS and names[8] == "travel_distance"


@pytest.mark.parametrize(
    ("country", "postcode", "cleaned"),
    [
        ("GB", "e8 1dy", "E8 1DY"),
        ("JP", "１５４０００４", "154-0004"),
        ("GB", "154-0004", None),
        ("JP", "E8 1DY", None),
    ],
)
def test_the_postcode_is_read_in_the_chosen_country(country, postcode, cleaned):
    data = {"country": country, "address_line1": "1 Mare Street", "town": "London", "postcode": postcode}
    form = PostalAddressFields(data)
    assert form.is_valid() is (cleaned is not None)
    if cleaned:
        assert form.cleaned_data["postcode"] == cleaned
    else:
        expected = "Enter a postcode with 7 digits, like 154-0004" if country == "JP" else "Enter a real postcode"
        assert form.errors["postcode"][0].startswith(expected)


def test_the_geocoders_read_a_japanese_address_largest_place_first():
    parts = {"address_line1": "代沢2-3-4", "address_line2": "ハイツ101", "town": "世田谷区"}
    assert address_for_geocoder(country="JP", **parts) == "世田谷区代沢2-3-4ハイツ101"


def test_the_geocoders_read_a_uk_address_from_the_door():
    parts = {"address_line1": "12 Mare Street", "address_line2": "", "town": "London"}
    assert address_for_geocoder(country="GB", **parts) == "12 Mare Street, London"
