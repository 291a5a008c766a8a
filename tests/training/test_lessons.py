"""Reading the lessons: progress is saved on the server, so a cook can stop and come back."""

import pytest

from training.models import LessonProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def slugs(course) -> list[str]:
    return list(course.lessons.order_by("order").values_list("slug", flat=True))


def test_the_course_page_lists_the_lessons(login_as, cook, course, slugs):
    response = login_as(cook).get("/en/training/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Food safety for Casserole cooks" in html
    for slug in slugs:
        assert f"/en/training/lessons/{slug}/" in html
    assert "You have read 0 of 8 lessons." in html
    assert "Start the quiz" not in html  # the lessons come first


def test_a_lesson_page_shows_its_text(login_as, cook, course, slugs):
    lesson = course.lessons.get(slug=slugs[2])

    response = login_as(cook).get(f"/en/training/lessons/{lesson.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert lesson.title_en in html
    assert "Lesson 3 of 8" in html


def test_a_lesson_in_japanese(login_as, cook, course, slugs):
    lesson = course.lessons.get(slug=slugs[0])
    html = login_as(cook).get(f"/ja/training/lessons/{lesson.slug}/").content.decode()
    assert lesson.title_ja in html
    assert lesson.title_en not in html


def test_reading_a_lesson_records_it_and_goes_on_to_the_next(login_as, cook, course, slugs):
    client = login_as(cook)

    response = client.post(f"/en/training/lessons/{slugs[0]}/")

    assert response.status_code == 302
    assert response["Location"] == f"/en/training/lessons/{slugs[1]}/"
    assert list(LessonProgress.objects.filter(user=cook).values_list("lesson__slug", flat=True)) == [slugs[0]]


def test_the_last_lesson_goes_back_to_the_course(login_as, cook, course, slugs):
    response = login_as(cook).post(f"/en/training/lessons/{slugs[-1]}/")
    assert response["Location"] == "/en/training/"


def test_the_next_lesson_is_in_the_page_language(login_as, cook, course, slugs):
    response = login_as(cook).post(f"/ja/training/lessons/{slugs[0]}/")
    assert response["Location"] == f"/ja/training/lessons/{slugs[1]}/"


def test_reading_a_lesson_twice_records_it_once(login_as, cook, course, slugs):
    client = login_as(cook)
    client.post(f"/en/training/lessons/{slugs[0]}/")
    client.post(f"/en/training/lessons/{slugs[0]}/")
    assert LessonProgress.objects.filter(user=cook).count() == 1


def test_progress_is_kept_for_the_next_visit(login_as, cook, course, slugs):
    first_visit = login_as(cook)
    for slug in slugs[:3]:
        first_visit.post(f"/en/training/lessons/{slug}/")
    first_visit.logout()

    html = login_as(cook).get("/en/training/").content.decode()

    assert "You have read 3 of 8 lessons." in html
    assert "Continue with the next lesson" in html
    assert f'href="/en/training/lessons/{slugs[3]}/" role="button"' in html


def test_progress_is_per_cook(login_as, cook, second_cook, course, slugs):
    login_as(cook).post(f"/en/training/lessons/{slugs[0]}/")
    html = login_as(second_cook).get("/en/training/").content.decode()
    assert "You have read 0 of 8 lessons." in html


def test_after_every_lesson_the_quiz_can_start(login_as, cook, course, slugs):
    client = login_as(cook)
    for slug in slugs:
        client.post(f"/en/training/lessons/{slug}/")

    html = client.get("/en/training/").content.decode()

    assert "You have read 8 of 8 lessons." in html
    assert 'action="/en/training/quiz/start/"' in html


def test_an_unknown_lesson_is_not_found(login_as, cook, course):
    client = login_as(cook)
    assert client.get("/en/training/lessons/no-such-lesson/").status_code == 404
    assert client.post("/en/training/lessons/no-such-lesson/").status_code == 404
    assert not LessonProgress.objects.exists()


def test_without_a_loaded_course_the_pages_are_not_found(login_as, cook):
    client = login_as(cook)
    assert client.get("/en/training/").status_code == 404
    assert client.post("/en/training/quiz/start/").status_code == 404
