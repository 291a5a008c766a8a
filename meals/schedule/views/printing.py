"""A meal's printable label: A6, large type, in the diner's language (or the other, on request)."""

from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.utils import formats, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casserole import allergens as allergen_table
from casserole import food_safety
from casserole.access import cook_required
from meals.schedule import rules
from meals.schedule.access import get_meal_for_cook

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _allergen_name(code: str, language: str) -> str:
    allergen = allergen_table.BY_CODE.get(code)
    return allergen.name(language) if allergen is not None else code


def _made_on(meal) -> date:
    """The meal's day in the diner's area: the label assumes it is cooked on the day it is brought."""
    diner = meal.match.diner
    return rules.local(meal.starts_at, diner.area.time_zone if diner.area_id else settings.TIME_ZONE).date()


def _label(meal, language: str) -> dict:
    """What the label says, written in `language` whatever the page's language: the dish, the allergens
    it contains, the food-safety lines (casserole.food_safety), who cooked it and for whom."""
    diner = meal.match.diner
    with translation.override(language):
        made_on = formats.date_format(_made_on(meal), "DATE_FORMAT")
        return {
            "language": language,
            "html_lang": "ja" if language == "ja" else "en-GB",
            "dish": meal.dish,
            "allergens": [_allergen_name(code, language) for code in meal.allergens or []],
            "lines": food_safety.label_lines(made_on),
            "cook_name": meal.cook.given_name,
            "diner_name": diner.addressed,
        }


@cook_required
@never_cache
@require_GET
def label(request, pk: int):
    meal = get_meal_for_cook(request.user, pk)
    diner = meal.match.diner
    asked = request.GET.get("lang", "")
    language = asked if asked in LANGUAGES else diner.preferred_language
    other = next(code for code in LANGUAGES if code != language)
    return render(
        request,
        "meals/schedule/printing/label.html",
        {"meal": meal, "label": _label(meal, language), "made_on": _made_on(meal), "other_language": other},
    )
