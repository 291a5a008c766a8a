"""Shared pieces for the food-safety course tests (the real v1 course is tests/conftest.py's `course`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from training.models import Attempt, AttemptQuestion, Certificate, Lesson
from training.services import complete_lesson, start_attempt


def read_every_lesson(user, course) -> None:
    for lesson in Lesson.objects.filter(course=course):
        complete_lesson(user=user, lesson=lesson)


def start_after_reading(*, user, course, **options) -> Attempt:
    """Start a quiz the way a cook can: after reading every lesson."""
    read_every_lesson(user, course)
    return start_attempt(user=user, course=course, **options)


def wrong_option(item: AttemptQuestion) -> int:
    return (item.question.answer + 1) % len(item.question.options_en)


def answers_with(attempt: Attempt, right: int) -> dict[int, int]:
    """Answers for the attempt's own items: the first `right` of them correct, the rest wrong."""
    items = list(attempt.items.select_related("question").order_by("position"))
    return {item.pk: item.question.answer if n < right else wrong_option(item) for n, item in enumerate(items)}


def as_post(answers: dict[int, int]) -> dict[str, str]:
    """The same answers as the quiz form's fields."""
    return {f"q{pk}": str(choice) for pk, choice in answers.items()}


def certify(user, course, *, issued_at=None, expires_at=None) -> Certificate:
    """A passed attempt and its certificate, with the dates a test needs."""
    issued_at = issued_at or timezone.now()
    expires_at = expires_at or issued_at + timedelta(days=3 * 365)
    attempt = Attempt.objects.create(
        user=user, course=course, started_at=issued_at, submitted_at=issued_at, score=16, total=16, passed=True
    )
    serial = Certificate.objects.count() + 1
    code = f"TEST-{serial:04d}-{user.pk:04d}".replace("0", "Z").replace("1", "Y")
    return Certificate.objects.create(
        user=user, course=course, attempt=attempt, code=code, issued_at=issued_at, expires_at=expires_at
    )


@pytest.fixture
def open_attempt(course, cook):
    read_every_lesson(cook, course)
    return start_attempt(user=cook, course=course)
