"""Every distance is written by casserole.distances.format_distance, in the unit of the person's area."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from casserole.distances import format_distance


@pytest.mark.parametrize(
    ("value", "unit", "english", "japanese"),
    [
        # Japanese writes no space between a number and its unit (issue 19).
        (0.5, "km", "0.5 km", "0.5km"),
        (1, "mi", "1 mile", "1マイル"),  # only exactly one is singular
        (0.75, "mi", "0.75 miles", "0.75マイル"),
        (Decimal("2.0"), "km", "2 km", "2km"),  # no trailing zeros
        (Decimal("1.5"), "mi", "1.5 miles", "1.5マイル"),
    ],
)
def test_a_distance_is_written_in_its_unit_in_each_language(value, unit, english, japanese):
    with translation.override("en"):
        assert format_distance(value, unit) == english
    with translation.override("ja"):
        assert format_distance(value, unit) == japanese


def test_templates_write_distances_with_the_same_filter():
    template = Template("{% load casserole_tags %}{{ value|distance:unit }}|{{ missing|distance:unit }}")
    with translation.override("en"):
        assert template.render(Context({"value": Decimal("1.5"), "unit": "mi"})) == "1.5 miles|"
