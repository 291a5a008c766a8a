"""Double clicks at the same moment, on PostgreSQL (SQLite serialises writers and would hide a
check-then-insert race). Each request runs in its own thread with its own connection."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import AreaFactory, UserFactory
from tests.training.conftest import answers_with, read_every_lesson, start_after_reading
from training.models import Attempt, Certificate
from training.services import TrainingError, load_course, start_attempt, submit_attempt

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def at_once(function, count: int = 2) -> list:
    """Call `function` in `count` threads released together; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(n):
        try:
            barrier.wait()
            results[n] = function()
        except Exception as error:
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def cook_and_course():
    area = AreaFactory(name="Area A", slug="area-a")
    cook = UserFactory(full_name="Cathy Cook", email="cook@example.org", is_cook=True, home_area=area)
    return cook, load_course(version="v1")


def test_two_starts_at_once_open_one_attempt(cook_and_course):
    cook, course = cook_and_course

    read_every_lesson(cook, course)
    results = at_once(lambda: start_attempt(user=cook, course=course).pk, count=4)

    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert Attempt.objects.filter(user=cook).count() == 1


def test_two_submissions_at_once_score_once(cook_and_course):
    cook, course = cook_and_course
    attempt = start_after_reading(user=cook, course=course)
    answers = answers_with(attempt, right=16)

    results = at_once(lambda: submit_attempt(user=cook, attempt=attempt, answers=answers).pk)

    assert sum(isinstance(result, int) for result in results) == 1, results
    assert sum(isinstance(result, TrainingError) for result in results) == 1, results
    assert Certificate.objects.filter(user=cook).count() == 1
