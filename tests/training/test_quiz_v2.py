"""The quiz on v2: every attempt draws every compulsory question (emergencies and the illness rule)
on top of two questions from each lesson, and a wrong compulsory answer fails the attempt whatever
the score; the result page says so. v1 stays loaded for past attempts, and its certificates stay
valid until they expire; new certificates name v2."""

import random
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.html import escape

from casserole.audit import AuditEntry
from tests.factories import loaded_course
from tests.training.conftest import answers_with, as_post, certify, read_every_lesson, start_after_reading
from training.models import Attempt, Certificate, Course, Question
from training.selectors import has_valid_certificate
from training.services import load_course, load_courses, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_v2(db):
    return loaded_course("v2")


def compulsory_keys(course) -> set[str]:
    return set(course.questions.filter(compulsory=True, is_active=True).values_list("key", flat=True))


def all_right_but(attempt: Attempt, wrong_keys: set[str]) -> dict[int, int]:
    items = attempt.items.select_related("question")
    return {
        item.pk: (item.question.answer + 1) % 4 if item.question.key in wrong_keys else item.question.answer
        for item in items
    }


# Loading -----------------------------------------------------------------------------------------------


def test_loading_the_courses_keeps_v1_and_makes_v2_current(db):
    current = load_courses()

    assert current.version == "v2" and current.is_current
    v1 = Course.objects.get(version="v1")
    assert not v1.is_current
    assert v1.lessons.count() == 8 and v1.questions.filter(is_active=True).count() == 48
    assert current.lessons.count() == 9
    assert compulsory_keys(current) == {
        "hygiene-ill",
        "emergencies-allergy",
        "emergencies-allergy-position",
        "emergencies-choking",
        "emergencies-no-answer",
        "emergencies-unwell",
        "allergy-list-unsure",
    }
    assert not v1.questions.filter(compulsory=True).exists()
    # Safe to run again, and a v1 that was current (an older database) is no longer.
    Course.objects.filter(pk=current.pk).update(is_current=False)
    Course.objects.filter(pk=v1.pk).update(is_current=True)
    assert load_courses().pk == current.pk
    assert list(Course.objects.filter(is_current=True).values_list("version", flat=True)) == ["v2"]


def test_the_load_course_command_loads_every_version_with_v2_current(db):
    out = StringIO()
    call_command("load_course", stdout=out)

    assert "(v1): 8 lessons, 48 questions." in out.getvalue()
    assert "(v2) (current): 9 lessons" in out.getvalue()
    assert Course.objects.get(is_current=True).version == "v2"


def test_the_command_can_refresh_an_old_version_without_making_it_current(db):
    load_courses()
    call_command("load_course", "--course-version", "v1", stdout=StringIO())
    assert Course.objects.get(is_current=True).version == "v2"


# Drawing -----------------------------------------------------------------------------------------------


def test_every_attempt_draws_every_compulsory_question_and_two_from_each_lesson(course_v2, cook):
    compulsory = compulsory_keys(course_v2)
    lessons = set(course_v2.lessons.values_list("slug", flat=True))
    read_every_lesson(cook, course_v2)
    drawn_sets = set()
    for seed in range(40):
        attempt = start_attempt(user=cook, course=course_v2, rng=random.Random(seed))
        items = list(attempt.items.select_related("question__lesson"))
        keys = {item.question.key for item in items}

        assert compulsory <= keys, seed
        others = Counter(item.question.lesson.slug for item in items if not item.question.compulsory)
        assert set(others) == lessons and set(others.values()) == {course_v2.questions_per_lesson}
        assert attempt.total == len(items) == len(lessons) * 2 + len(compulsory) == 25
        drawn_sets.add(frozenset(keys - compulsory))
        submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=0))
    assert len(drawn_sets) > 30  # the other questions still vary from attempt to attempt


def test_the_compulsory_questions_are_shuffled_in_with_the_others(course_v2, cook):
    attempt = start_after_reading(user=cook, course=course_v2, rng=random.Random(3))
    positions = [item.position for item in attempt.items.filter(question__compulsory=True)]
    assert positions != list(range(1, len(positions) + 1))


# Scoring -----------------------------------------------------------------------------------------------


def test_all_right_passes_and_the_certificate_names_v2(course_v2, cook):
    attempt = start_after_reading(user=cook, course=course_v2)

    result = submit_attempt(user=cook, attempt=attempt, answers=all_right_but(attempt, set()))

    assert (result.score, result.total, result.passed) == (25, 25, True)
    assert Certificate.objects.get(user=cook).course.version == "v2"


@pytest.mark.parametrize(
    "wrong_key",
    [
        "hygiene-ill",
        "emergencies-allergy",
        "emergencies-allergy-position",
        "emergencies-choking",
        "emergencies-no-answer",
        "emergencies-unwell",
        "allergy-list-unsure",
    ],
)
def test_one_wrong_compulsory_answer_fails_an_otherwise_perfect_attempt(course_v2, cook, wrong_key):
    attempt = start_after_reading(user=cook, course=course_v2)

    result = submit_attempt(user=cook, attempt=attempt, answers=all_right_but(attempt, {wrong_key}))

    assert result.score == 24 and result.percent >= course_v2.pass_mark_percent  # 96 %
    assert result.passed is False
    assert not Certificate.objects.filter(user=cook).exists()
    entry = AuditEntry.objects.filter(action="quiz_submitted", object_id=str(attempt.pk)).get()
    assert entry.detail["compulsory_wrong"] == 1


def test_wrong_answers_to_ordinary_questions_still_pass_at_the_mark(course_v2, cook):
    attempt = start_after_reading(user=cook, course=course_v2, rng=random.Random(5))
    ordinary = list(attempt.items.filter(question__compulsory=False).values_list("question__key", flat=True))

    result = submit_attempt(user=cook, attempt=attempt, answers=all_right_but(attempt, set(ordinary[:5])))

    assert (result.score, result.passed) == (20, True)  # 20/25 = 80 %


def test_below_the_mark_fails_even_with_every_compulsory_answer_right(course_v2, cook):
    attempt = start_after_reading(user=cook, course=course_v2, rng=random.Random(5))
    ordinary = list(attempt.items.filter(question__compulsory=False).values_list("question__key", flat=True))

    result = submit_attempt(user=cook, attempt=attempt, answers=all_right_but(attempt, set(ordinary[:6])))

    assert (result.score, result.passed) == (19, False)  # 19/25 = 76 %


# The pages ---------------------------------------------------------------------------------------------


def test_the_course_page_says_how_the_quiz_is_made_up(login_as, cook, course_v2):
    html = login_as(cook).get("/en/training/").content.decode()
    assert "The quiz has 25 questions: 2 about each lesson, and 7 about emergencies, illness and allergies" in html
    assert "You have read 0 of 9 lessons." in html


def test_the_quiz_marks_the_compulsory_questions(login_as, cook, course_v2):
    attempt = start_after_reading(user=cook, course=course_v2)

    html = login_as(cook).get(f"/en/training/quiz/{attempt.pk}/").content.decode()

    assert html.count("Must be right: you need this answer right to pass.") == 7
    for item in attempt.items.filter(question__compulsory=True):
        assert f'aria-describedby="id_q{item.pk}_helptext"' in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_result_page_says_a_compulsory_answer_failed_the_attempt(login_as, cook, course_v2, language):
    attempt = start_after_reading(user=cook, course=course_v2)
    client = login_as(cook)
    client.post(f"/{language}/training/quiz/{attempt.pk}/", as_post(all_right_but(attempt, {"emergencies-choking"})))

    html = client.get(f"/{language}/training/quiz/{attempt.pk}/result/").content.decode()

    with translation.override(language):
        why = translation.ngettext(
            "You got a “Must be right” question wrong. These questions are about emergencies, illness and "
            "allergies, where a mistake can seriously harm someone, so every cook must get all of them right: "
            "a wrong answer to any of them means you do not pass, whatever your score.",
            "You got %(counter)s “Must be right” questions wrong. These questions are about emergencies, illness "
            "and allergies, where a mistake can seriously harm someone, so every cook must get all of them right: a "
            "wrong answer to any of them means you do not pass, whatever your score.",
            1,
        ) % {"counter": 1}  # Japanese has one form for every number, with the number in it
        tag = translation.gettext("Must be right")
    assert escape(why) in html
    assert html.count(tag) >= 2  # in the message and on the question's card
    choking = attempt.items.get(question__key="emergencies-choking").question
    assert escape(choking.explanation(language)) in html
    if language == "en":
        assert "You got 24 out of 25 right (96%)." in html
        assert "You need at least 80% to pass." not in html  # not the reason here


def test_a_fail_below_the_mark_gives_the_usual_reason_only(login_as, cook, course_v2):
    attempt = start_after_reading(user=cook, course=course_v2, rng=random.Random(1))
    ordinary = set(attempt.items.filter(question__compulsory=False).values_list("question__key", flat=True))
    client = login_as(cook)
    client.post(f"/en/training/quiz/{attempt.pk}/", as_post(all_right_but(attempt, ordinary)))

    html = client.get(f"/en/training/quiz/{attempt.pk}/result/").content.decode()

    assert "You got 7 out of 25 right (28%)." in html
    assert "You need at least 80% to pass." in html
    assert "Must be right" not in html


# Versions and certificates -------------------------------------------------------------------------------


def test_a_v1_certificate_stays_valid_after_v2_becomes_current_until_it_expires(client, course, cook):
    issued = timezone.now() - timedelta(days=400)
    certificate = certify(cook, course, issued_at=issued)  # course is v1
    load_course(version="v2")

    assert Course.objects.get(is_current=True).version == "v2"
    assert has_valid_certificate(cook)
    html = client.post("/en/certificates/check/", {"code": certificate.code}).content.decode()
    assert "Valid until" in html and ">v1<" in html

    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert not has_valid_certificate(cook)
    html = client.post("/en/certificates/check/", {"code": certificate.code}).content.decode()
    assert "Expired on" in html and ">v1<" in html


def test_a_cook_with_a_v1_certificate_takes_v2_next_time(login_as, course, cook):
    certify(cook, course)
    v2 = load_course(version="v2")
    read_every_lesson(cook, v2)

    response = login_as(cook).post("/en/training/quiz/start/")

    attempt = Attempt.objects.get(user=cook, submitted_at__isnull=True)
    assert response["Location"] == f"/en/training/quiz/{attempt.pk}/"
    assert attempt.course == v2
    assert compulsory_keys(v2) <= set(attempt.items.values_list("question__key", flat=True))


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_certificate_and_the_public_check_show_the_course_version(client, login_as, course_v2, cook, language):
    attempt = start_after_reading(user=cook, course=course_v2)
    submit_attempt(user=cook, attempt=attempt, answers=all_right_but(attempt, set()))
    certificate = Certificate.objects.get(user=cook)
    with translation.override(language):
        label = translation.gettext("Course version")

    own = login_as(cook).get(f"/{language}/training/certificates/{certificate.pk}/").content.decode()
    public = client.post(f"/{language}/certificates/check/", {"code": certificate.code}).content.decode()

    for html in (own, public):
        assert label in html and ">v2<" in html


def test_v1_questions_keep_their_history_when_v2_is_loaded(course, cook):
    attempt = start_after_reading(user=cook, course=course)
    submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=16))
    load_course(version="v2")

    attempt.refresh_from_db()
    assert attempt.course.version == "v1" and attempt.passed
    assert Question.objects.filter(course=course, is_active=True).count() == 48
