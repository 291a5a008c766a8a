"""The coordinator's training page: every cook in their areas with lessons read, quizzes taken,
best score and certificate, with "expiring soon" flagged. A fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.conftest import answers_with, certify, start_after_reading
from training.models import Lesson, LessonProgress
from training.services import complete_lesson, submit_attempt

pytestmark = pytest.mark.django_db

# The page, whatever the number of cooks:
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. the current course
#  6. how many cooks there are in those areas (the paginator)
#  7. the number of lessons in the course
#  8. one page of the cooks in those areas with their area, lessons read, quizzes taken, best score
#     and newest certificate (select_related, annotations and subqueries: one query however many cooks)
#  9. the area for the "Need help?" block (context processor)
OVERVIEW_QUERIES = 9


def take_quiz(user, course, right: int):
    attempt = start_after_reading(user=user, course=course)
    return submit_attempt(user=user, attempt=attempt, answers=answers_with(attempt, right=right))


def row_for(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_a_coordinator_sees_the_cooks_of_their_area_only(login_as, coordinator_a, cook, area_b, course):
    UserFactory(full_name="Bertie Bcook", email="bcook@example.org", is_cook=True, home_area=area_b)
    UserFactory(full_name="Rosa Referrer", email="rosa@example.org", is_referrer=True, home_area=cook.home_area)

    response = login_as(coordinator_a).get("/en/coordinator/training/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cathy Cook" in html
    assert "Bertie Bcook" not in html
    assert "Rosa Referrer" not in html  # not a cook


def test_area_b_sees_its_own_cooks(login_as, coordinator_b, cook, area_b, course):
    UserFactory(full_name="Bertie Bcook", email="bcook@example.org", is_cook=True, home_area=area_b)
    html = login_as(coordinator_b).get("/en/coordinator/training/").content.decode()
    assert "Bertie Bcook" in html
    assert "Cathy Cook" not in html


def test_each_cooks_progress_attempts_best_score_and_certificate(
    login_as, coordinator_a, cook, second_cook, area_a, course
):
    take_quiz(cook, course, right=9)
    take_quiz(cook, course, right=13)  # passes: a certificate valid for three years
    take_quiz(cook, course, right=11)  # a later, worse try does not lower the best
    start_after_reading(user=cook, course=course)  # an unfinished one is not counted
    soon = certify(second_cook, course, expires_at=timezone.now() + timedelta(days=30))
    gone = UserFactory(full_name="Edna Expired", email="edna@example.org", is_cook=True, home_area=area_a)
    certify(
        gone, course, issued_at=timezone.now() - timedelta(days=1200), expires_at=timezone.now() - timedelta(days=5)
    )
    nell = UserFactory(full_name="Nell New", email="nell@example.org", is_cook=True, home_area=area_a)
    for lesson in Lesson.objects.filter(course=course, order__lte=3):
        complete_lesson(user=nell, lesson=lesson)

    html = login_as(coordinator_a).get("/en/coordinator/training/").content.decode()

    cathy = row_for(html, "Cathy Cook")
    assert "8 of 8" in cathy
    assert "3 of 8" in row_for(html, "Nell New")
    assert ">3<" in cathy  # quizzes taken
    assert "13 of 16" in cathy
    assert "Valid" in cathy and "Expiring soon" not in cathy
    colin = row_for(html, "Colin Cook")
    assert "Expiring soon" in colin
    assert soon.code in colin
    assert "0 of 8" in colin
    edna = row_for(html, "Edna Expired")
    assert "Expired" in edna and "Expiring soon" not in edna
    nell = row_for(html, "Nell New")
    assert "Not taken yet" in nell
    assert "None" in nell
    assert html.count("Expiring soon") == 2  # the row above and the explanation at the top


def test_lessons_of_an_older_course_version_do_not_count(login_as, coordinator_a, cook, course):
    from training.models import Course

    old = Course.objects.create(version="v0", title_en="Old", title_ja="古い", is_current=False)
    old_lesson = Lesson.objects.create(
        course=old, slug="old", order=1, title_en="Old", title_ja="古", body_en="x", body_ja="x"
    )
    LessonProgress.objects.create(user=cook, lesson=old_lesson)

    html = login_as(coordinator_a).get("/en/coordinator/training/").content.decode()

    assert "0 of 8" in row_for(html, "Cathy Cook")


def test_the_admin_sees_every_area(login_as, admin_user, cook, area_b, course):
    UserFactory(full_name="Bertie Bcook", email="bcook@example.org", is_cook=True, home_area=area_b)
    html = login_as(admin_user).get("/en/coordinator/training/").content.decode()
    assert "Cathy Cook" in html and "Bertie Bcook" in html


def test_the_page_in_japanese(login_as, coordinator_a, cook, course):
    response = login_as(coordinator_a).get("/ja/coordinator/training/")
    assert response.status_code == 200
    assert "Cathy Cook" in response.content.decode()


def cooks_with_history(area, course, count: int) -> None:
    lessons = list(Lesson.objects.filter(course=course))
    for n in range(count):
        user = UserFactory(full_name=f"Cook {n:02d}", email=f"cook{n}@example.org", is_cook=True, home_area=area)
        LessonProgress.objects.bulk_create(LessonProgress(user=user, lesson=lesson) for lesson in lessons[: n % 9])
        if n % 2:
            take_quiz(user, course, right=16 if n % 4 == 1 else 8)
        if n % 5 == 0:
            certify(user, course, expires_at=timezone.now() + timedelta(days=20 + n))


def test_query_count_with_one_cook(login_as, coordinator_a, area_a, course, django_assert_num_queries):
    cooks_with_history(area_a, course, 1)
    client = login_as(coordinator_a)

    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get("/en/coordinator/training/")

    assert response.status_code == 200
    assert response.content.decode().count("<tr") == 2


def test_query_count_is_the_same_with_twenty_cooks(login_as, coordinator_a, area_a, course, django_assert_num_queries):
    cooks_with_history(area_a, course, 20)
    client = login_as(coordinator_a)

    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get("/en/coordinator/training/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<tr") == 21  # the header and one row per cook
    assert "Expiring soon" in html


def test_the_overview_shows_fifty_cooks_a_page(login_as, coordinator_a, area_a, course):
    for n in range(51):
        UserFactory(full_name=f"Cook {n:02d}", email=f"pagecook{n}@example.org", is_cook=True, home_area=area_a)
    client = login_as(coordinator_a)

    first = client.get("/en/coordinator/training/").content.decode()
    assert "51 cooks" in first and "Page 1 of 2" in first
    assert "Cook 49" in first and "Cook 50" not in first
    assert 'href="?page=2"' in first

    second = client.get("/en/coordinator/training/?page=2").content.decode()
    assert "Cook 50" in second and "Cook 00" not in second
    # A page number past the end shows the last page rather than an error.
    assert "Cook 50" in client.get("/en/coordinator/training/?page=99").content.decode()
