"""Drawing and scoring the quiz. Scoring happens on the server from the attempt's own drawn
questions: nothing the browser sends beyond one answer per drawn question counts."""

import random
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.conftest import answers_with, as_post, read_every_lesson, start_after_reading, wrong_option
from training.models import Attempt, AttemptQuestion, Certificate, Lesson
from training.services import TrainingError, complete_lesson, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")  # no 0, O, 1 or I


def keys(attempt: Attempt) -> list[str]:
    return [item.question.key for item in attempt.items.select_related("question").order_by("position")]


def another_cook(area, n: int = 1):
    return UserFactory(full_name=f"Other Cook{n}", email=f"other-cook{n}@example.org", is_cook=True, home_area=area)


# Drawing ---------------------------------------------------------------------------------------------


def test_an_attempt_draws_two_questions_from_every_lesson(course, cook):
    attempt = start_after_reading(user=cook, course=course)

    items = list(attempt.items.select_related("question__lesson").order_by("position"))
    assert course.questions_per_lesson * course.lessons.count() == 16
    assert attempt.total == len(items) == 16
    assert [item.position for item in items] == list(range(1, 17))
    assert len({item.question_id for item in items}) == 16  # no duplicates
    per_lesson = Counter(item.question.lesson.slug for item in items)
    assert set(per_lesson) == set(course.lessons.values_list("slug", flat=True))
    assert set(per_lesson.values()) == {2}
    assert all(item.question.is_active and item.question.course_id == course.pk for item in items)


def test_the_order_is_random(course, cook, area_a):
    first = start_after_reading(user=cook, course=course, rng=random.Random(1))
    second = start_after_reading(user=another_cook(area_a), course=course, rng=random.Random(2))

    assert keys(first) != keys(second)
    # Not grouped lesson by lesson.
    lesson_order = [key.rsplit("-", 1)[0] for key in keys(first)]
    assert lesson_order != sorted(lesson_order, key=lesson_order.index)


def test_the_same_seed_draws_the_same_questions(course, cook, area_a):
    first = start_after_reading(user=cook, course=course, rng=random.Random(7))
    second = start_after_reading(user=another_cook(area_a), course=course, rng=random.Random(7))
    assert keys(first) == keys(second)


def test_starting_twice_without_finishing_returns_the_same_attempt(course, cook):
    first = start_after_reading(user=cook, course=course, rng=random.Random(1))
    again = start_after_reading(user=cook, course=course, rng=random.Random(2))

    assert again.pk == first.pk
    assert keys(again) == keys(first)
    assert Attempt.objects.filter(user=cook).count() == 1
    assert AttemptQuestion.objects.count() == 16


def test_after_finishing_a_new_attempt_draws_anew(course, cook):
    first = start_after_reading(user=cook, course=course, rng=random.Random(1))
    submit_attempt(user=cook, attempt=first, answers=answers_with(first, right=3))

    second = start_after_reading(user=cook, course=course, rng=random.Random(2))

    assert second.pk != first.pk
    assert second.total == 16 and second.items.count() == 16
    assert keys(second) != keys(first)
    assert Attempt.objects.filter(user=cook, submitted_at__isnull=True).get() == second


def test_retired_questions_are_not_drawn(course, cook):
    retired = course.questions.filter(lesson__order=1).order_by("key")[:4]
    course.questions.filter(pk__in=[q.pk for q in retired]).update(is_active=False)

    attempt = start_after_reading(user=cook, course=course)

    assert not attempt.items.filter(question__is_active=False).exists()
    assert attempt.items.filter(question__lesson__order=1).count() == 2


# Scoring in the service -------------------------------------------------------------------------------


def test_all_right_passes_and_issues_a_certificate(course, cook):
    attempt = start_after_reading(user=cook, course=course)

    result = submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=16))

    assert (result.score, result.total, result.passed) == (16, 16, True)
    assert result.submitted_at is not None
    assert result.percent == 100
    certificate = Certificate.objects.get(user=cook)
    assert certificate.attempt == result
    assert certificate.course == course
    assert certificate.expires_at == certificate.issued_at + timedelta(days=settings.CERTIFICATE_VALID_DAYS)
    assert CODE.match(certificate.code), certificate.code
    assert certificate.is_valid
    assert all(item.is_correct for item in result.items.all())


def test_certificates_last_three_years_by_default():
    assert settings.CERTIFICATE_VALID_DAYS == 3 * 365


def test_the_certificate_lifetime_is_a_setting(course, cook, settings):
    settings.CERTIFICATE_VALID_DAYS = 30
    attempt = start_after_reading(user=cook, course=course)

    submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=16))

    certificate = Certificate.objects.get(user=cook)
    assert certificate.expires_at - certificate.issued_at == timedelta(days=30)


def test_each_certificate_gets_its_own_code(course, cook, area_a):
    codes = set()
    for n in range(3):
        user = another_cook(area_a, n)
        attempt = start_after_reading(user=user, course=course)
        submit_attempt(user=user, attempt=attempt, answers=answers_with(attempt, right=16))
        codes.add(Certificate.objects.get(user=user).code)
    assert len(codes) == 3


@pytest.mark.parametrize(("right", "passed"), [(12, False), (13, True), (0, False)])
def test_the_pass_mark_is_eighty_percent(course, cook, right, passed):
    attempt = start_after_reading(user=cook, course=course)

    result = submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=right))

    assert result.score == right
    assert result.passed is passed  # 12/16 = 75 %, 13/16 = 81 %
    assert Certificate.objects.filter(user=cook).exists() is passed


def test_answers_to_questions_not_drawn_are_ignored(course, cook, area_a):
    other = another_cook(area_a)
    others_attempt = start_after_reading(user=other, course=course)
    attempt = start_after_reading(user=cook, course=course)
    answers = answers_with(attempt, right=12)
    # Right answers for someone else's items and for ids that are no item at all.
    answers.update(answers_with(others_attempt, right=16))
    answers.update({999_999: 0, -1: 0})

    result = submit_attempt(user=cook, attempt=attempt, answers=answers)

    assert (result.score, result.passed) == (12, False)
    others_attempt.refresh_from_db()
    assert others_attempt.submitted_at is None
    assert not others_attempt.items.exclude(chosen=None).exists()


def test_a_finished_attempt_cannot_be_submitted_again(course, cook):
    attempt = start_after_reading(user=cook, course=course)
    submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=12))
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at

    with pytest.raises(TrainingError):
        submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=16))

    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed, attempt.submitted_at) == (12, False, submitted_at)
    assert attempt.items.filter(is_correct=True).count() == 12
    assert not Certificate.objects.exists()


def test_a_stale_copy_of_a_finished_attempt_cannot_be_submitted_again(course, cook):
    """The check reads the row under lock, not the caller's copy (two tabs, one already submitted)."""
    attempt = start_after_reading(user=cook, course=course)
    stale = Attempt.objects.get(pk=attempt.pk)
    submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=12))

    with pytest.raises(TrainingError):
        submit_attempt(user=cook, attempt=stale, answers=answers_with(attempt, right=16))
    assert Attempt.objects.get(pk=attempt.pk).score == 12


@pytest.mark.parametrize("bad", [-1, 3, 4, 99])
def test_an_option_out_of_range_is_refused(course, cook, bad):
    attempt = start_after_reading(user=cook, course=course)
    answers = answers_with(attempt, right=16)
    item = attempt.items.select_related("question").first()
    answers[item.pk] = bad if bad < 0 else max(bad, len(item.question.options_en))

    with pytest.raises(TrainingError):
        submit_attempt(user=cook, attempt=attempt, answers=answers)

    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None
    assert not attempt.items.exclude(chosen=None).exists()


def test_every_question_must_be_answered(course, cook):
    attempt = start_after_reading(user=cook, course=course)
    answers = answers_with(attempt, right=16)
    answers.pop(next(iter(answers)))

    with pytest.raises(TrainingError):
        submit_attempt(user=cook, attempt=attempt, answers=answers)
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


def test_someone_elses_attempt_cannot_be_submitted(course, cook, area_a):
    other = another_cook(area_a)
    attempt = start_after_reading(user=other, course=course)

    with pytest.raises(Attempt.DoesNotExist):
        submit_attempt(user=cook, attempt=attempt, answers=answers_with(attempt, right=16))
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


# Through the pages ------------------------------------------------------------------------------------


@pytest.fixture
def cook_client(login_as, cook, course):
    read_every_lesson(cook, course)
    return login_as(cook)


def started(client) -> Attempt:
    response = client.post("/en/training/quiz/start/")
    assert response.status_code == 302
    match = re.fullmatch(r"/en/training/quiz/(\d+)/", response["Location"])
    attempt = Attempt.objects.get(pk=match[1], submitted_at__isnull=True)
    assert attempt.user_id == int(client.session["_auth_user_id"])
    return attempt


def test_the_quiz_page_shows_the_drawn_questions(cook_client):
    attempt = started(cook_client)

    response = cook_client.get(f"/en/training/quiz/{attempt.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="radio"') == sum(len(i.question.options_en) for i in attempt.items.all())
    for item in attempt.items.all():
        assert f'name="q{item.pk}"' in html
    assert "Finish and see my result" in html


def test_starting_twice_goes_back_to_the_same_quiz(cook_client):
    first = started(cook_client)
    second = started(cook_client)
    assert first.pk == second.pk


def test_submitting_all_right_passes_and_shows_the_certificate_link(cook_client, cook):
    attempt = started(cook_client)

    response = cook_client.post(f"/en/training/quiz/{attempt.pk}/", as_post(answers_with(attempt, right=16)))

    assert response.status_code == 302
    assert response["Location"] == f"/en/training/quiz/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (16, True)
    certificate = Certificate.objects.get(user=cook)
    assert certificate.expires_at == certificate.issued_at + timedelta(days=settings.CERTIFICATE_VALID_DAYS)
    html = cook_client.get(response["Location"]).content.decode()
    assert "You passed" in html
    assert f"/en/training/certificates/{certificate.pk}/" in html


@pytest.mark.parametrize(("right", "passed"), [(12, False), (13, True)])
def test_the_pass_mark_through_the_page(cook_client, right, passed):
    attempt = started(cook_client)
    cook_client.post(f"/en/training/quiz/{attempt.pk}/", as_post(answers_with(attempt, right=right)))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (right, passed)


def test_extra_and_hidden_fields_change_nothing(cook_client, cook, course, area_a):
    other = another_cook(area_a)
    others_attempt = start_after_reading(user=other, course=course)
    attempt = started(cook_client)
    data = as_post(answers_with(attempt, right=12))
    data.update(as_post(answers_with(others_attempt, right=16)))  # q<other attempt's item id>=right
    data.update({"score": "16", "passed": "1", "total": "12", "submitted_at": "", "user": str(other.pk)})

    response = cook_client.post(f"/en/training/quiz/{attempt.pk}/", data)

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.passed, attempt.user) == (12, 16, False, cook)
    assert not Certificate.objects.exists()
    others_attempt.refresh_from_db()
    assert others_attempt.submitted_at is None
    assert not others_attempt.items.exclude(chosen=None).exists()


def test_resubmitting_a_finished_attempt_goes_to_the_result_and_changes_nothing(cook_client):
    attempt = started(cook_client)
    cook_client.post(f"/en/training/quiz/{attempt.pk}/", as_post(answers_with(attempt, right=12)))
    attempt.refresh_from_db()
    before = (attempt.score, attempt.passed, attempt.submitted_at)

    response = cook_client.post(f"/en/training/quiz/{attempt.pk}/", as_post(answers_with(attempt, right=16)))

    assert response.status_code == 302
    assert response["Location"] == f"/en/training/quiz/{attempt.pk}/result/"
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed, attempt.submitted_at) == before
    assert not Certificate.objects.exists()
    # Its page now is the result, not the questions.
    assert cook_client.get(f"/en/training/quiz/{attempt.pk}/")["Location"] == f"/en/training/quiz/{attempt.pk}/result/"


def test_an_option_out_of_range_is_refused_by_the_form(cook_client):
    attempt = started(cook_client)
    data = as_post(answers_with(attempt, right=16))
    first = attempt.items.order_by("position").first()
    data[f"q{first.pk}"] = "7"

    response = cook_client.post(f"/en/training/quiz/{attempt.pk}/", data)

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None


def test_missing_answers_are_listed_and_the_chosen_ones_kept(cook_client):
    attempt = started(cook_client)
    items = list(attempt.items.select_related("question").order_by("position"))
    answered, missing = items[:10], items[10:]
    data = {f"q{item.pk}": str(wrong_option(item)) for item in answered}

    response = cook_client.post(f"/en/training/quiz/{attempt.pk}/", data)

    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [(f"id_q{item.pk}_0", f"Choose an answer to question {item.position}") for item in missing]
    checked = {
        (re.search(r'name="([^"]+)"', tag)[1], re.search(r'value="([^"]+)"', tag)[1])
        for tag in re.findall(r"<input[^>]*>", html)
        if re.search(r"\schecked\b", tag)
    }
    assert checked == {(f"q{item.pk}", str(wrong_option(item))) for item in answered}
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_finishing_with_no_answers_lists_every_question(cook_client):
    attempt = started(cook_client)

    response = cook_client.post(f"/en/training/quiz/{attempt.pk}/", {})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    for item in attempt.items.all():
        assert f'href="#id_q{item.pk}_0"' in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_the_result_of_an_unfinished_attempt_is_the_quiz(cook_client):
    attempt = started(cook_client)
    response = cook_client.get(f"/en/training/quiz/{attempt.pk}/result/")
    assert response["Location"] == f"/en/training/quiz/{attempt.pk}/"


def test_a_retake_after_failing_draws_new_questions(cook_client):
    first = started(cook_client)
    cook_client.post(f"/en/training/quiz/{first.pk}/", as_post(answers_with(first, right=2)))

    second = started(cook_client)

    assert second.pk != first.pk
    assert Attempt.objects.filter(submitted_at__isnull=False).get() == first


def test_the_quiz_start_needs_a_post(cook_client):
    assert cook_client.get("/en/training/quiz/start/").status_code == 405
    assert not Attempt.objects.exists()


def test_an_unfinished_attempt_survives_a_new_session(login_as, cook, course, cook_client):
    attempt = started(cook_client)
    later = login_as(cook)
    html = later.get("/en/training/").content.decode()
    assert f"/en/training/quiz/{attempt.pk}/" in html
    assert timezone.now() >= attempt.started_at


def test_the_quiz_cannot_start_before_every_lesson_is_read(course, cook, login_as):
    first = Lesson.objects.filter(course=course).order_by("order").first()
    complete_lesson(user=cook, lesson=first)
    with pytest.raises(TrainingError):
        start_attempt(user=cook, course=course)
    response = login_as(cook).post("/en/training/quiz/start/")
    assert response.status_code == 302
    assert response["Location"] == "/en/training/"
    assert not Attempt.objects.filter(user=cook).exists()
