"""The one table of food allergens: which country's list each is on, and since when.

The diner's allergy list (meals.diners.models.Allergen, its choices and the country groups of the
diet form) and the food-safety course (the allergen lessons are tested against it) both read this
table, so they cannot disagree. A change in the law is a change of data here: add or date a
`Listing`, never a condition in code.

Sources (checked December 2026; docs/course.md lists them with the lessons that rely on them):
- GB: the 14 allergens of the Food Information Regulations 2014 (retained Regulation (EU) 1169/2011,
  Annex II), applied from 13 December 2014. Food Standards Agency, "Allergen guidance for food
  businesses".
- JP: 消費者庁「食品表示基準」別表第14 (特定原材料, mandatory on prepacked food) and the 消費者庁
  notice on 特定原材料に準ずるもの (recommended, "表示が推奨されている"), as revised on 2024-03-28
  (マカダミアナッツ added, まつたけ removed).

Codes are stored in Diner.allergens (a JSON list): never rename or remove one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

GB = "GB"
JP = "JP"

MANDATORY = "mandatory"  # GB: the 14; JP: 特定原材料 (表示義務)
RECOMMENDED = "recommended"  # JP: 特定原材料に準ずるもの (表示推奨)


@dataclass(frozen=True)
class Listing:
    """A period during which an allergen is on one country's list.

    `since` is the first day every label must follow it (for Japan: the day after the transition
    period, 経過措置, ends); None means it has been on the list since before anything Casserole needs.
    `decided` marks a listing that is decided but whose first day is not confirmed yet: it is in
    force on no date until `since` is recorded. `until` is the first day it no longer applies (moved
    to another list, or removed)."""

    country: str
    kind: str
    since: date | None = None
    until: date | None = None
    decided: date | None = None
    note: str = ""

    def in_force(self, on: date) -> bool:
        if self.since is None and self.decided is not None:
            return False  # decided, not dated: not yet the law on any day we can name
        started = self.since is None or self.since <= on
        return started and (self.until is None or on < self.until)

    @property
    def pending(self) -> bool:
        return self.since is None and self.decided is not None


@dataclass(frozen=True)
class Allergen:
    code: str
    name_en: str
    name_ja: str
    listings: tuple[Listing, ...] = ()
    # The UK group this food belongs to (walnut → tree nuts): someone avoiding the group avoids it.
    within: str | None = None

    def name(self, language: str | None) -> str:
        return self.name_ja if (language or "").startswith("ja") else self.name_en

    def listed(self, country: str, kind: str, on: date) -> bool:
        return any(x.country == country and x.kind == kind and x.in_force(on) for x in self.listings)

    def decided_for(self, country: str, kind: str, on: date) -> bool:
        """On that list on `on`, or decided for it with a later or not yet known first day."""
        return any(
            x.country == country and x.kind == kind and (x.in_force(on) or x.pending or (x.since or on) > on)
            for x in self.listings
        )


UK_14 = Listing(GB, MANDATORY, since=date(2014, 12, 13))
# Egg, milk, wheat, buckwheat and peanut: mandatory under the 食品衛生法 rules of 2001, in full from
# April 2002 (now 食品表示基準 別表第14).
JP_FIRST_FIVE = Listing(JP, MANDATORY, since=date(2002, 4, 1))
# Shrimp and crab: added in June 2008, labels in full from 4 June 2010.
JP_SHELLFISH = Listing(JP, MANDATORY, since=date(2010, 6, 4))
# On the recommended list for years before anything here needs a date.
JP_RECOMMENDED = Listing(JP, RECOMMENDED)

ALLERGENS: tuple[Allergen, ...] = (
    Allergen("celery", "Celery", "セロリ", (UK_14,)),
    Allergen(
        "gluten",
        "Cereals containing gluten (wheat, rye, barley, oats)",
        "グルテンを含む穀物（小麦、ライ麦、大麦、オーツ麦）",
        (UK_14,),
    ),
    Allergen("wheat", "Wheat", "小麦", (JP_FIRST_FIVE,), within="gluten"),
    Allergen("buckwheat", "Buckwheat (soba)", "そば", (JP_FIRST_FIVE,)),
    Allergen("crustaceans", "Crustaceans (prawns, crab, lobster)", "甲殻類（えび、かに、ロブスター）", (UK_14,)),
    Allergen("shrimp", "Shrimp and prawns", "えび", (JP_SHELLFISH,), within="crustaceans"),
    Allergen("crab", "Crab", "かに", (JP_SHELLFISH,), within="crustaceans"),
    Allergen("eggs", "Eggs", "卵", (UK_14, JP_FIRST_FIVE)),
    Allergen("fish", "Fish", "魚", (UK_14,)),
    Allergen("lupin", "Lupin", "ルピナス（ルピン豆）", (UK_14,)),
    Allergen("milk", "Milk", "乳（牛乳・乳製品）", (UK_14, JP_FIRST_FIVE)),
    Allergen("molluscs", "Molluscs (mussels, oysters, squid)", "軟体動物（ムール貝、かき、いかなど）", (UK_14,)),
    Allergen("mustard", "Mustard", "からし（マスタード）", (UK_14,)),
    # The UK's "tree nuts" are eight named nuts: almonds, hazelnuts, walnuts, cashews, pecans,
    # Brazil nuts, pistachios and macadamia (Queensland) nuts. Pine nuts are not among them.
    Allergen(
        "tree_nuts",
        "Tree nuts (almonds, hazelnuts, walnuts and others)",
        "ナッツ類（アーモンド、ヘーゼルナッツ、くるみなど）",
        (UK_14,),
    ),
    Allergen(
        "walnut",
        "Walnuts",
        "くるみ",
        (
            # Added to 別表第14 on 2023-03-09 (内閣府令第15号); labels could leave it out, as for a
            # recommended item, until the transition ended on 2025-03-31.
            Listing(JP, RECOMMENDED, until=date(2025, 4, 1)),
            Listing(JP, MANDATORY, since=date(2025, 4, 1), note="added 2023-03-09, transition to 2025-03-31"),
        ),
        within="tree_nuts",
    ),
    Allergen(
        "cashew",
        "Cashew nuts",
        "カシューナッツ",
        (
            # 推奨 since the 2013 revision. Decided as the ninth 特定原材料 by the 消費者庁 advisory
            # meeting (食物アレルギー表示に関するアドバイザー会議) on 2025-12-15; the 消費者委員会
            # 食品表示部会 approved the amendment on 2026-01-21, with a transition reported to run to
            # 2028-03-31. The day the amended 別表第14 took effect, and so the transition's end, could
            # not be confirmed from the published 府令: record `since` (and this row's RECOMMENDED
            # `until`) once confirmed. Until then it counts as decided, not yet in force.
            Listing(JP, RECOMMENDED, since=date(2013, 9, 20)),
            Listing(JP, MANDATORY, decided=date(2025, 12, 15), note="transition reported to 2028-03-31"),
        ),
        within="tree_nuts",
    ),
    Allergen("peanuts", "Peanuts", "落花生（ピーナッツ）", (UK_14, JP_FIRST_FIVE)),
    Allergen("sesame", "Sesame", "ごま", (UK_14, Listing(JP, RECOMMENDED, since=date(2013, 9, 20)))),
    Allergen("soya", "Soya", "大豆", (UK_14, JP_RECOMMENDED)),
    # Declared in the UK above 10 mg per kg or per litre, as sulphur dioxide.
    Allergen("sulphites", "Sulphur dioxide and sulphites", "二酸化硫黄・亜硫酸塩", (UK_14,)),
    # Japan's recommended items (特定原材料に準ずるもの) that are on no other list.
    Allergen(
        "almond", "Almonds", "アーモンド", (Listing(JP, RECOMMENDED, since=date(2019, 9, 19)),), within="tree_nuts"
    ),
    Allergen("abalone", "Abalone", "あわび", (JP_RECOMMENDED,), within="molluscs"),
    Allergen("squid", "Squid", "いか", (JP_RECOMMENDED,), within="molluscs"),
    Allergen("salmon_roe", "Salmon roe (ikura)", "いくら", (JP_RECOMMENDED,), within="fish"),
    Allergen("orange", "Oranges", "オレンジ", (JP_RECOMMENDED,)),
    Allergen("kiwi", "Kiwi fruit", "キウイフルーツ", (JP_RECOMMENDED,)),
    Allergen("beef", "Beef", "牛肉", (JP_RECOMMENDED,)),
    Allergen("salmon", "Salmon", "さけ", (JP_RECOMMENDED,), within="fish"),
    Allergen("mackerel", "Mackerel", "さば", (JP_RECOMMENDED,), within="fish"),
    Allergen("chicken", "Chicken", "鶏肉", (JP_RECOMMENDED,)),
    Allergen("banana", "Bananas", "バナナ", (JP_RECOMMENDED,)),
    Allergen("pork", "Pork", "豚肉", (JP_RECOMMENDED,)),
    Allergen("peach", "Peaches", "もも", (JP_RECOMMENDED,)),
    Allergen("yam", "Yam (yamaimo)", "やまいも", (JP_RECOMMENDED,)),
    Allergen("apple", "Apples", "りんご", (JP_RECOMMENDED,)),
    Allergen("gelatine", "Gelatine", "ゼラチン", (JP_RECOMMENDED,)),
    Allergen(
        "macadamia",
        "Macadamia nuts",
        "マカダミアナッツ",
        (Listing(JP, RECOMMENDED, since=date(2024, 3, 28)),),
        within="tree_nuts",
    ),
    # Decided for the recommended list with cashew (2025-12-15), to start when cashew's listing
    # takes effect: not yet in force for the same reason.
    Allergen(
        "pistachio",
        "Pistachios",
        "ピスタチオ",
        (Listing(JP, RECOMMENDED, decided=date(2025, 12, 15)),),
        within="tree_nuts",
    ),
)

BY_CODE: dict[str, Allergen] = {allergen.code: allergen for allergen in ALLERGENS}


def _on(on: date | None) -> date:
    return on or timezone.localdate()


def mandatory_in(country: str, on: date | None = None, *, decided: bool = False) -> tuple[Allergen, ...]:
    """The allergens a label must declare in `country` on `on` (today by default). With `decided`,
    also those decided for the list whose first day has not come or is not yet known (cashew in
    Japan): what a cook should already look out for, and what the diner's form asks about first."""
    day = _on(on)
    if decided:
        return tuple(a for a in ALLERGENS if a.decided_for(country, MANDATORY, day))
    return tuple(a for a in ALLERGENS if a.listed(country, MANDATORY, day))


def recommended_in(country: str, on: date | None = None, *, decided: bool = False) -> tuple[Allergen, ...]:
    """The items `country` asks labels to show where they can (Japan's 推奨) on `on`. Cashew stays
    here until its mandatory listing has a date (then its recommended listing ends that day)."""
    day = _on(on)
    if decided:
        return tuple(a for a in ALLERGENS if a.decided_for(country, RECOMMENDED, day))
    return tuple(a for a in ALLERGENS if a.listed(country, RECOMMENDED, day))


def decided_in(country: str, kind: str = MANDATORY, on: date | None = None) -> tuple[Allergen, ...]:
    """Decided for a list but not in force on `on`: the ones a lesson names as coming."""
    day = _on(on)
    return tuple(a for a in ALLERGENS if a.decided_for(country, kind, day) and not a.listed(country, kind, day))


def clashes(contains: Iterable[str], avoids: Iterable[str]) -> list[str]:
    """Which of the codes a person avoids a dish's codes hit, in table order. A food and its UK group
    clash both ways: walnut in the dish hits "tree nuts" on the list, and a dish marked only "tree
    nuts" may hold the walnut someone avoids."""
    dish = set(contains)
    widened = dish | {BY_CODE[code].within for code in dish if code in BY_CODE and BY_CODE[code].within}
    hit = []
    for allergen in ALLERGENS:
        if allergen.code in set(avoids) and (allergen.code in widened or allergen.within in dish):
            hit.append(allergen.code)
    return hit


# Plain words for the names few people know (issue 19): shown under the name on the allergy list. In
# the table, not the catalogue, like the names themselves.
EXPLANATIONS: dict[str, tuple[str, str]] = {
    "sulphites": (
        "A preservative in wine, dried fruit, some sausages and pickles.",
        "保存料（酸化防止剤）です。ワイン、ドライフルーツ、ソーセージや漬物などに入っていることがあります。",
    ),
    "lupin": (
        "A bean. Its flour is in some bread, cakes and pasta, mostly from Europe.",
        "豆の一種です。ヨーロッパのパンやケーキ、パスタの粉に使われることがあります。",
    ),
    "molluscs": (
        "Shellfish with a soft body, such as mussels, oysters, clams and squid.",
        "体のやわらかい貝やいかのなかまです。ムール貝、かき、あさり、いか、たこなど。",
    ),
    "gluten": (
        "Also in bread, pasta, flour, soy sauce and beer.",
        "パン、めん類、小麦粉、しょうゆ、ビールなどにも入っています。",
    ),
    "crustaceans": ("Also in some fish stocks and crackers.", "だしや、えびせんべいなどにも入っていることがあります。"),
}


def explanation(code: str, language: str | None) -> str:
    """A plain explanation of an allergen's name, or "" when its name says enough."""
    words = EXPLANATIONS.get(code)
    if words is None:
        return ""
    return words[1] if (language or "").startswith("ja") else words[0]
