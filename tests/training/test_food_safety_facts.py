"""The course and the meal's label say the same thing: each fact of casserole.food_safety (eat within
24 hours of cooking, a fridge at 5 °C or below, reheat until steaming hot once only) is taught in the
v2 lessons of both languages and printed on every label, in English and in Japanese."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from casserole import food_safety
from tests.meals.conftest import active_cook, covered_area_a, diner  # noqa: F401  (fixtures)
from tests.meals.schedule.conftest import active_match, plan  # noqa: F401  (fixtures)
from training.content import LANGUAGES, read_course

V2 = read_course("v2")
LESSONS = {lesson.slug: lesson for lesson in V2.lessons}


def lesson_text(slug: str, language: str) -> str:
    """What a cook reads in the lesson, without the Markdown emphasis that splits a phrase."""
    lesson = LESSONS[slug]
    return "\n".join((lesson.title[language], lesson.summary[language], lesson.body[language])).replace("**", "")


def test_the_facts_are_casseroles_rules():
    assert (food_safety.EAT_WITHIN_HOURS, food_safety.FRIDGE_CELSIUS, food_safety.REHEAT_TIMES) == (24, 5, 1)
    assert set(food_safety.BY_KEY) == {"eat_within", "fridge", "reheat_once"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("fact", food_safety.FACTS, ids=lambda fact: fact.key)
def test_each_fact_is_taught_in_the_v2_lessons(fact, language):
    missing = [
        (slug, words)
        for slug in fact.lessons
        for words in fact.words[language]
        if words not in lesson_text(slug, language)
    ]
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_label_lines_say_each_fact(language):
    with translation.override(language):
        lines = food_safety.label_lines("1 March")
    for fact in food_safety.FACTS:
        for words in fact.words[language]:
            assert words in lines[fact.key], (fact.key, words)


def test_the_labelling_lesson_and_its_questions_give_no_other_eat_by_rule():
    """The old rule (2 days, 1 day for rice) is gone from what the labelling lesson teaches and asks."""
    questions = [q for q in V2.questions if q["lesson"] == "labelling"]
    for language, old in (
        ("en", ("2 days of cooking", "1 day for anything with cooked rice")),
        ("ja", ("2日以内に食べきる", "作ってから2日以内、")),
    ):
        texts = [lesson_text("labelling", language)] + [
            "\n".join((q[language]["text"], q[language]["options"][q["answer"]], q[language]["explanation"]))
            for q in questions
        ]
        for text in texts:
            for phrase in old:
                assert phrase not in text, (language, phrase)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_label_says_each_fact(login_as, active_cook, active_match, language):  # noqa: F811  (fixtures)
    meal = plan(active_match, day=timezone.localdate() + timedelta(days=2), now=timezone.now())

    html = login_as(active_cook).get(f"/en/cook/meals/{meal.pk}/label/?lang={language}").content.decode()

    start = html.index('<section class="casserole-label"')
    label = html[start : html.index("</section>", start)]
    for fact in food_safety.FACTS:
        for words in fact.words[language]:
            assert words in label, (fact.key, words)
