"""The food-safety course in a real browser, in both languages: a cook reads every lesson of the
current version (v2, with v1 still loaded for past certificates), takes the quiz (after one empty
submission), passes, sees the answers they got wrong with the explanation, opens the certificate and
checks it on the public page; a cook who gets a "Must be right" question wrong is told why they did
not pass; the coordinator sees the result. Every page on the way is audited (axe + the extra checks)."""

import pytest
from django.utils import translation

from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import click, submit_main_form, t, url_path
from tests.factories import UserFactory, loaded_course
from tests.training.conftest import start_after_reading
from training.models import Attempt, Certificate
from training.services import submit_attempt


def current_course():
    """v1 (which past certificates name) and v2, current, as `manage.py load_course` leaves them."""
    loaded_course("v1")
    return loaded_course("v2")


COOKS = {
    "en": {"full_name": "Margaret Ellis", "given": "Margaret"},
    "ja": {"full_name": "田中 陽子", "given": "陽子"},
}


@pytest.mark.parametrize(("lang", "width", "wrong"), [("en", 1280, 0), ("ja", 390, 3)])
def test_cook_reads_every_lesson_passes_the_quiz_and_checks_the_certificate(
    live_server, open_page, area_a, coordinator_a, lang, width, wrong
):
    course = current_course()
    assert course.version == "v2"
    lessons = list(course.lessons.order_by("order"))
    person = COOKS[lang]
    cook = UserFactory(full_name=person["full_name"], is_cook=True, home_area=area_a, preferred_language=lang)
    page, console = open_page(lang=lang, width=width, user=cook)

    page.goto(f"{live_server.url}/{lang}/training/")
    audit(page, lang=lang, console=console)
    # Every lesson, in order, each audited; "continue" saves progress and opens the next one.
    for number, lesson in enumerate(lessons, start=1):
        page.goto(f"{live_server.url}/{lang}/training/lessons/{lesson.slug}/")
        assert (lesson.title_ja if lang == "ja" else lesson.title_en) in page.inner_text("h1")
        audit(page, lang=lang, console=console)
        submit_main_form(page)
        expected = f"/{lang}/training/" if number == len(lessons) else None
        if expected:
            assert url_path(page) == expected, page.url

    click(page, f'main form[action="/{lang}/training/quiz/start/"] button')
    attempt = Attempt.objects.get(user=cook, submitted_at__isnull=True)
    assert url_path(page) == f"/{lang}/training/quiz/{attempt.pk}/"
    audit(page, lang=lang, console=console)

    # An empty submission: an error summary, focused, linking to each question.
    submit_main_form(page)
    assert page.title().startswith("エラー：" if lang == "ja" else "Error:")
    problems = error_summary_problems(page, lang)
    assert problems == [], problems
    audit(page, lang=lang, console=console, from_page_start=False)

    items = list(attempt.items.select_related("question").order_by("position"))
    compulsory = [item for item in items if item.question.compulsory]
    assert len(compulsory) == 7 and len(items) == 25
    must_be_right = t(lang, "Must be right: you need this answer right to pass.")
    assert page.locator("main .govuk-hint", has_text=must_be_right).count() == 7
    # The wrong answers are to ordinary questions: a "Must be right" one would fail the quiz.
    wrong_items = [item for item in items if not item.question.compulsory][:wrong]
    for item in items:
        answer = item.question.answer
        choice = (answer + 1) % len(item.question.options_en) if item in wrong_items else answer
        page.locator(f'label[for="id_q{item.pk}_{choice}"]').click()
    submit_main_form(page)

    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (25 - wrong, True)
    assert url_path(page) == f"/{lang}/training/quiz/{attempt.pk}/result/"
    main = page.inner_text("main")
    for item in wrong_items:
        explanation = item.question.explanation_ja if lang == "ja" else item.question.explanation_en
        assert explanation.strip()[:30] in main
    audit(page, lang=lang, console=console, from_page_start=False)

    certificate = Certificate.objects.get(user=cook)
    assert certificate.course == course
    click(page, f'a[href="/{lang}/training/certificates/{certificate.pk}/"]')
    main = page.inner_text("main")
    assert person["full_name"] in main and certificate.code in main and "v2" in main
    audit(page, lang=lang, console=console)

    # The public check, as a stranger would do it: typed in lower case, without dashes.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/{lang}/certificates/check/")
    audit(page, lang=lang, console=console)
    page.fill("#id_code", certificate.code.replace("-", "").lower())
    submit_main_form(page)
    main = page.inner_text("main")
    assert person["given"] in main and "v2" in main
    assert person["full_name"] not in main and cook.email not in main
    audit(page, lang=lang, console=console, from_page_start=False)


@pytest.mark.parametrize(("lang", "width"), [("en", 390), ("ja", 1280)])
def test_a_cook_who_gets_a_must_be_right_question_wrong_is_told_why_they_did_not_pass(
    live_server, open_page, area_a, lang, width
):
    course = current_course()
    cook = UserFactory(full_name=COOKS[lang]["full_name"], is_cook=True, home_area=area_a, preferred_language=lang)
    attempt = start_after_reading(user=cook, course=course)
    items = list(attempt.items.select_related("question"))
    choking = next(item for item in items if item.question.key == "emergencies-choking")
    answers = {item.pk: item.question.answer for item in items}
    answers[choking.pk] = (choking.question.answer + 1) % 4
    submit_attempt(user=cook, attempt=attempt, answers=answers)
    page, console = open_page(lang=lang, width=width, user=cook)

    page.goto(f"{live_server.url}/{lang}/training/quiz/{attempt.pk}/result/")

    with translation.override(lang):
        why = translation.ngettext(
            "You got a “Must be right” question wrong. These questions are about emergencies, illness and "
            "allergies, where a mistake can seriously harm someone, so every cook must get all of them right: "
            "a wrong answer to any of them means you do not pass, whatever your score.",
            "You got %(counter)s “Must be right” questions wrong. These questions are about emergencies, illness "
            "and allergies, where a mistake can seriously harm someone, so every cook must get all of them right: a "
            "wrong answer to any of them means you do not pass, whatever your score.",
            1,
        ) % {"counter": 1}  # Japanese has one form for every number, with the number in it
    main = page.inner_text("main")
    assert t(lang, "You did not pass this time") in page.inner_text("h1")
    assert why in main
    assert choking.question.explanation(lang).strip()[:30] in main
    assert not Certificate.objects.filter(user=cook).exists()
    audit(page, lang=lang, console=console)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_coordinator_sees_the_training_of_their_cooks(live_server, open_page, area_a, coordinator_a, cook, lang):
    loaded_course()
    page, console = open_page(lang=lang, width=390, user=coordinator_a)
    page.goto(f"{live_server.url}/{lang}/coordinator/training/")
    assert cook.full_name in page.inner_text("main")
    audit(page, lang=lang, console=console, also_width=320)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_coordinator_pages_through_a_long_list_of_cooks(live_server, open_page, area_a, coordinator_a, lang):
    loaded_course()
    for n in range(51):
        UserFactory(full_name=f"Cook {n:02d}", email=f"many{n}@example.org", is_cook=True, home_area=area_a)
    page, console = open_page(lang=lang, width=1280, user=coordinator_a)
    page.goto(f"{live_server.url}/{lang}/coordinator/training/")
    audit(page, lang=lang, console=console)
    click(page, 'a[rel="next"]')
    assert "Cook 50" in page.inner_text("main")
    audit(page, lang=lang, console=console, also_width=320)
