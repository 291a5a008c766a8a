"""The food-safety facts every meal's label states and the course teaches, in one place.

A meal's label (meals.schedule: the cook prints it) says these sentences, and the v2 lessons of both
languages teach the same figures: tests/training/test_food_safety_facts.py finds each fact's words in
the lessons and on the printed label. Change a figure here and those tests show which lessons (and
which translations) must say the new one.

Casserole's own rules, stricter than the law asks of a neighbour:
- eat within 24 hours of cooking, whatever the dish (the rice rule, applied to everything, so a label
  needs no exceptions);
- a fridge at 5 °C or below in both countries: the Food Standards Agency's advice for homes, and stricter
  than Japan's home guideline (10℃以下), because listeria keeps growing in the fridge and older people
  are the most at risk;
- reheat until steaming hot, once only.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

EAT_WITHIN_HOURS = 24
FRIDGE_CELSIUS = 5  # at most
REHEAT_TIMES = 1


@dataclass(frozen=True)
class Fact:
    """One fact: the v2 lessons that teach it, and the words (per language) that those lessons and the
    label both use for it."""

    key: str
    lessons: tuple[str, ...]
    words: dict[str, tuple[str, ...]]


FACTS: tuple[Fact, ...] = (
    Fact(
        "eat_within",
        ("labelling",),
        {"en": (f"within {EAT_WITHIN_HOURS} hours",), "ja": (f"{EAT_WITHIN_HOURS}時間以内",)},
    ),
    Fact(
        "fridge",
        ("temperatures", "labelling"),
        {"en": ("fridge", f"{FRIDGE_CELSIUS} °C"), "ja": ("冷蔵庫", f"{FRIDGE_CELSIUS}℃以下")},
    ),
    Fact(
        "reheat_once",
        ("labelling",),
        {"en": ("steaming hot", "once only"), "ja": ("熱くなるまで", f"温め直しは{REHEAT_TIMES}回だけ")},
    ),
)
BY_KEY = {fact.key: fact for fact in FACTS}


def label_lines(made_on: str) -> dict[str, str]:
    """What a meal's label says about keeping it, in the active language; `made_on` is the day it was
    cooked, already written for that language."""
    return {
        "eat_within": _("Made on %(day)s — eat within %(hours)s hours") % {"day": made_on, "hours": EAT_WITHIN_HOURS},
        "fridge": _("Keep in the fridge below %(celsius)s °C") % {"celsius": FRIDGE_CELSIUS},
        "reheat_once": _("Reheat until steaming hot, once only"),
    }
