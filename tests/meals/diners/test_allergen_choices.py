"""A diner's allergy list offers exactly the rows of the one allergen table (casserole/allergens.py),
which the course's allergen lessons are tested against, so the two cannot disagree."""

from django.utils import translation

from casserole import allergens
from meals.diners.models import JP_ALLERGENS, UK_ALLERGENS, Allergen
from meals.referrals.forms.questions import DietForm

# Every value a diner's list could hold before the table existed: still valid, so no data migration.
STORED_BEFORE_THE_TABLE = [
    "celery",
    "gluten",
    "wheat",
    "buckwheat",
    "crustaceans",
    "shrimp",
    "crab",
    "eggs",
    "fish",
    "lupin",
    "milk",
    "molluscs",
    "mustard",
    "tree_nuts",
    "walnut",
    "peanuts",
    "sesame",
    "soya",
    "sulphites",
]


def test_the_choices_are_the_tables_rows_in_its_order():
    assert list(Allergen.values) == [row.code for row in allergens.ALLERGENS]


def test_every_value_stored_before_the_table_is_still_a_choice():
    assert set(STORED_BEFORE_THE_TABLE) <= set(Allergen.values)
    assert Allergen.PEANUTS == "peanuts" and Allergen.TREE_NUTS == "tree_nuts"


def test_the_labels_are_the_tables_names_in_the_page_language():
    for language in ("en", "ja"):
        with translation.override(language):
            labels = dict(Allergen.choices)
            assert labels == {row.code: row.name(language) for row in allergens.ALLERGENS}
    with translation.override("ja"):
        assert str(Allergen.CASHEW.label) == "カシューナッツ"


def test_the_country_groups_come_from_the_table():
    assert [a.value for a in UK_ALLERGENS] == [row.code for row in allergens.mandatory_in(allergens.GB)]
    assert [a.value for a in JP_ALLERGENS] == [row.code for row in allergens.mandatory_in(allergens.JP, decided=True)]
    assert Allergen.CASHEW in JP_ALLERGENS  # decided: a cook should look out for it already


def test_the_diet_form_asks_about_japans_list_first_including_cashew():
    jp = [value for value, _label in DietForm(country="JP").fields["allergens"].choices]
    assert jp[: len(JP_ALLERGENS)] == list(JP_ALLERGENS)
    assert "cashew" in jp[: len(JP_ALLERGENS)]
    assert set(jp) == set(Allergen.values)  # the recommended items are offered too, after them
