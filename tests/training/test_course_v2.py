"""Version 2 of the course: each language teaches its own country's rules, the quiz tests knowledge
rather than option length, every lesson is examined, and the allergen lessons agree with the one
allergen table (casserole/allergens.py) that the diner's allergy list reads too."""

import re

import pytest

from casserole import allergens
from training.content import CURRENT_VERSION, LANGUAGES, VERSIONS, read_course

V2 = read_course("v2")
COMPULSORY = {
    "hygiene-ill",
    "emergencies-allergy",
    "emergencies-allergy-position",
    "emergencies-choking",
    "emergencies-no-answer",
    "emergencies-unwell",
    "allergy-list-unsure",
}


def texts(language: str):
    """(where, text) for every lesson and question of v2 in `language`: all a cook reads."""
    for lesson in V2.lessons:
        yield (
            f"lesson {lesson.slug}",
            "\n".join((lesson.title[language], lesson.summary[language], lesson.body[language])),
        )
    for question in V2.questions:
        text = question[language]
        yield f"question {question['key']}", "\n".join((text["text"], *text["options"], text["explanation"]))


def test_v2_is_the_current_version_and_v1_stays_on_file():
    assert VERSIONS == ("v1", "v2")
    assert CURRENT_VERSION == "v2"
    assert len(read_course("v1").lessons) == 8


def test_v2_has_nine_lessons_in_both_languages_with_an_emergencies_lesson():
    assert [lesson.slug for lesson in V2.lessons] == [
        "hygiene",
        "habits",
        "temperatures",
        "transport",
        "allergens",
        "allergy-list",
        "labelling",
        "older-people",
        "emergencies",
    ]
    for lesson in V2.lessons:
        assert lesson.title["en"] != lesson.title["ja"]
        assert lesson.summary["en"] and lesson.summary["ja"]


def test_every_lesson_has_enough_questions_of_its_own_besides_the_compulsory_ones():
    for lesson in V2.lessons:
        own = [q for q in V2.questions if q["lesson"] == lesson.slug and not q.get("compulsory")]
        assert len(own) >= max(V2.questions_per_lesson, 2) + 1, lesson.slug  # a choice, not a fixed pair


def test_the_compulsory_questions_are_the_emergencies_the_illness_rule_and_if_in_doubt_leave_it_out():
    assert {q["key"] for q in V2.questions if q.get("compulsory")} == COMPULSORY


def test_english_and_japanese_banks_ask_the_same_questions_with_the_same_answers():
    for question in V2.questions:
        en, ja = question["en"], question["ja"]
        assert len(en["options"]) == len(ja["options"]) == 4, question["key"]
        assert en["text"] != ja["text"] and en["explanation"] != ja["explanation"], question["key"]
        assert len(set(en["options"])) == len(set(ja["options"])) == 4, question["key"]
    keys = [q["key"] for q in V2.questions]
    assert len(keys) == len(set(keys))


def longest_is_right(question: dict, language: str) -> bool:
    """The right option is at least as long as every wrong one (a tie counts against the bank)."""
    options = question[language]["options"]
    right = options[question["answer"]]
    return all(len(right) >= len(option) for i, option in enumerate(options) if i != question["answer"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_right_option_is_the_longest_in_at_most_a_third_of_the_questions(language):
    """Lengths are compared within one language: a Japanese option is never measured against English."""
    longest = [q["key"] for q in V2.questions if longest_is_right(q, language)]
    assert len(longest) * 3 <= len(V2.questions), longest


def test_the_option_length_check_catches_a_bank_like_v1():
    """v1's right option was the longest in most questions: the same check would refuse it."""
    v1 = read_course("v1")
    longest = [q for q in v1.questions if longest_is_right(q, "en")]
    assert len(longest) * 3 > len(v1.questions)


def test_the_right_answers_are_spread_over_the_positions():
    positions = [q["answer"] for q in V2.questions]
    for position in range(4):
        assert positions.count(position) >= len(positions) // 6, positions


# Each country's rules for its cooks ------------------------------------------------------------------------

# Figures that belong to the other country's rules (a wrong option may not use them either).
# (5℃ is no longer among them: Casserole asks 5℃以下 for meals in both countries, as the label says.)
UK_ONLY_IN_JAPANESE = {
    "63 ℃ hot-holding": r"(?<!\d)63\s*℃",
    "70 ℃ for 2 minutes": r"(?<!\d)70\s*℃",
    "Scotland's 82 ℃": r"82\s*℃",
    "the UK's 999": r"999",
    "NHS 111": r"NHS|111",
}
JAPAN_ONLY_IN_ENGLISH = {
    "Japan's 119": r"119",
    "a 10 °C fridge": r"(?<![\d.])10\s*°C|10\s*℃",
    "65 °C hot-holding": r"65\s*°C",
    "a −15 °C freezer": r"[−-]15\s*°C",
    "the 保健所": r"保健所|health centre",
    "norovirus 85–90 °C": r"85",
}


@pytest.mark.parametrize(("language", "forbidden"), [("ja", UK_ONLY_IN_JAPANESE), ("en", JAPAN_ONLY_IN_ENGLISH)])
def test_no_lesson_or_question_gives_the_other_countrys_figures(language, forbidden):
    found = [
        (where, name, text[max(0, m.start() - 30) : m.end() + 10])
        for where, text in texts(language)
        for name, pattern in forbidden.items()
        for m in re.finditer(pattern, text)
    ]
    assert found == []


JAPANESE_RULES = {
    "temperatures": [
        "冷蔵庫は**10℃以下**",
        "**5℃以下**",
        "冷凍庫は**−15℃以下**",
        "**75℃で1分間以上**",
        "**85〜90℃で90秒間以上**",
        "**65℃以上**",
    ],
    "habits": ["つけない・増やさない・やっつける", "6つのポイント"],
    "hygiene": ["48時間", "1週間"],
    "emergencies": ["119番", "保健所", "エピペン", "5分", "立たせたり、歩かせたりしないでください"],
    "older-people": ["刺身・寿司", "生卵", "生カキ", "生肉"],
}
ENGLISH_RULES = {
    "temperatures": [
        "**5 °C or below**",
        "**63 °C or above**",
        "**75 °C for 30 seconds**",
        "**70 °C for 2 minutes**",
        "**steaming hot throughout**",
        "**82 °C**",
        "up to 8 °C",
        "**within 1 to 2 hours**",
        "ideally within 90 minutes",
        "**within 1 hour**",
        "**eat it within 1 day**",
        "**within 4 hours of leaving the fridge**",
    ],
    "hygiene": ["48 hours", "week", "Alcohol gels do not kill norovirus"],
    "emergencies": [
        "999",
        "**Use their adrenaline pen first**",
        "**Then call 999**",
        "after 5 minutes",
        "**Never stand them up",
    ],
    "older-people": [
        "cold cooked sliced meats and cured meats",
        "cooked shellfish",
        "ready-made sandwiches",
        "British Lion",
    ],
    "allergens": ["eight named nuts", "Pine nuts", "10 mg per kilogram or per litre"],
}


@pytest.mark.parametrize(("language", "rules"), [("ja", JAPANESE_RULES), ("en", ENGLISH_RULES)])
def test_each_language_teaches_its_own_countrys_rules(language, rules):
    bodies = {lesson.slug: lesson.body[language] for lesson in V2.lessons}
    missing = [(slug, rule) for slug, wanted in rules.items() for rule in wanted if rule not in bodies[slug]]
    assert missing == []


def test_the_japanese_lessons_say_labelling_duties_cover_prepacked_food_only():
    body = next(lesson for lesson in V2.lessons if lesson.slug == "allergens").body["ja"]
    assert "表示の義務があるのは、容器に入ったり包装されたりした加工食品だけです" in body
    assert "認められていません" in body  # may-contain wording (可能性表示) is not allowed


def test_japanese_questions_never_use_may_contain_wording():
    """Japanese labels may not say an allergen "may be" in a food (可能性表示 is forbidden), so no
    question may treat such a label as real."""
    for question in V2.questions:
        text = question["ja"]
        words = "\n".join((text["text"], *text["options"], text["explanation"]))
        for phrase in ("可能性", "入っているかもしれ", "含まれているかもしれ", "混入"):
            assert phrase not in words, (question["key"], phrase)


def test_v2_never_asks_a_cook_to_use_features_that_do_not_exist():
    """A cook tells the diner and phones the coordinator: there is no meal schedule to cancel on
    Casserole, no visit log and no allergen confirmation yet."""
    for language in LANGUAGES:
        for where, text in texts(language):
            for phrase in (
                "cancelled",
                "log the visit",
                "record it as a concern",
                "Casserole asks you to confirm",
                "confirm on Casserole",
                "取り消し",
                "訪問の記録",
                "確認の欄",
            ):
                assert phrase not in text, (where, phrase)


COMPULSORY_RULES = {
    # key: (the source the English explanation names, the rule both explanations state)
    "hygiene-ill": ("Food Standards Agency", ("48 hours", "48時間")),
    "emergencies-allergy": ("NHS", ("then call 999", "それから119番")),
    "emergencies-allergy-position": ("NHS", ("Never stand them up", "立たせたり歩かせたり")),
    "emergencies-choking": ("NHS", ("call 999", "119番")),
    "emergencies-no-answer": ("Casserole's rule", ("call 999 first", "先に119番")),
    "emergencies-unwell": ("Casserole's rule", ("Keep the leftovers", "保健所")),
    "allergy-list-unsure": ("Casserole's rule", ("leave it out", "使わない")),
}


def test_the_compulsory_questions_explain_the_rule_and_where_it_comes_from():
    assert set(COMPULSORY_RULES) == COMPULSORY
    for question in V2.questions:
        if question["key"] in COMPULSORY_RULES:
            source, (en_rule, ja_rule) = COMPULSORY_RULES[question["key"]]
            assert source in question["en"]["explanation"], question["key"]
            assert en_rule in question["en"]["explanation"], question["key"]
            assert ja_rule in question["ja"]["explanation"], question["key"]


# Allergen lessons agree with the one table ---------------------------------------------------------------

MARKED = re.compile(r"<!-- allergens: (\w+) (\w+)( decided)? -->\n(.*?)<!-- /allergens -->", re.S)


def _base(name: str) -> str:
    return re.split(r"\s*[（(]", name.replace("**", "").strip())[0].strip()


def marked_lists(body: str) -> dict[tuple[str, str, bool], set[str]]:
    """The allergens a lesson names inside `<!-- allergens: COUNTRY kind [decided] -->` blocks: the
    first cell of each table row, the name before the colon of each bullet, or a comma list."""
    found = {}
    for country, kind, decided, block in MARKED.findall(body):
        names = set()
        rows = [line for line in block.splitlines() if line.strip()]
        table = [line for line in rows if line.startswith("|")]
        for line in table[2:]:  # after the header and the |---| line
            names.add(_base(line.strip("|").split("|")[0]))
        for line in rows:
            if line.startswith("- "):
                names.add(_base(re.split(r"[：:]", line[2:], maxsplit=1)[0]))
            elif not line.startswith("|"):
                names.update(_base(part) for part in re.split(r"[、,]", line))
        found[(country, kind.lower(), bool(decided))] = names
    return found


def table_names(rows, language: str) -> set[str]:
    return {_base(row.name(language)) for row in rows}


def lesson_lists(language: str):
    body = next(lesson for lesson in V2.lessons if lesson.slug == "allergens").body[language]
    return marked_lists(body)


def test_the_english_allergen_lesson_lists_exactly_the_uks_14_of_the_table():
    lists = lesson_lists("en")
    assert set(lists) == {("GB", allergens.MANDATORY, False)}
    named = lists[("GB", allergens.MANDATORY, False)]
    assert len(named) == 14
    assert named == table_names(allergens.mandatory_in(allergens.GB), "en")


def test_the_japanese_allergen_lesson_agrees_with_the_table_today():
    """Every allergen the lesson names as 特定原材料 is mandatory in Japan today and vice versa;
    the same for the one decided but not yet in force (cashew), the recommended items (推奨) and
    the recommended one decided (pistachio). When a date passes or a listing changes in the table,
    this fails until the lesson says the same."""
    lists = lesson_lists("ja")
    assert lists[("JP", allergens.MANDATORY, False)] == table_names(allergens.mandatory_in(allergens.JP), "ja")
    assert lists[("JP", allergens.MANDATORY, True)] == table_names(allergens.decided_in(allergens.JP), "ja")
    assert lists[("JP", allergens.RECOMMENDED, False)] == table_names(allergens.recommended_in(allergens.JP), "ja")
    assert lists[("JP", allergens.RECOMMENDED, True)] == table_names(
        allergens.decided_in(allergens.JP, allergens.RECOMMENDED), "ja"
    )


def test_the_lesson_parser_reads_tables_bullets_and_comma_lists():
    body = (
        "<!-- allergens: JP mandatory -->\n\n| 特定原材料 | 例 |\n|---|---|\n| 落花生 | ピーナッツバター |\n\n"
        "<!-- /allergens -->\n<!-- allergens: JP mandatory decided -->\n\n- **カシューナッツ**：決まりました。\n\n"
        "<!-- /allergens -->\n<!-- allergens: JP recommended -->\n\nごま、大豆\n\n<!-- /allergens -->\n"
    )
    assert marked_lists(body) == {
        ("JP", "mandatory", False): {"落花生"},
        ("JP", "mandatory", True): {"カシューナッツ"},
        ("JP", "recommended", False): {"ごま", "大豆"},
    }


def test_the_allergen_questions_name_the_lists_as_the_table_does():
    """The question on Japan's list: its right answer is mandatory today, its wrong ones are not."""
    question = next(q for q in V2.questions if q["key"] == "allergens-list")
    options = [_base(option) for option in question["ja"]["options"]]
    mandatory = table_names(allergens.mandatory_in(allergens.JP), "ja")
    assert options[question["answer"]] in mandatory
    assert not [o for i, o in enumerate(options) if i != question["answer"] and o in mandatory]
    recommended = next(q for q in V2.questions if q["key"] == "allergens-not-listed")
    right = _base(recommended["ja"]["options"][recommended["answer"]])
    assert right in table_names(allergens.recommended_in(allergens.JP), "ja")
