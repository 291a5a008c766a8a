"""Reads for the course pages. Each builds everything its page shows in a fixed number of queries."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import User
from training.models import Attempt, Certificate, Course, Lesson, LessonProgress

EXPIRING_SOON = timedelta(days=60)
OVERVIEW_PAGE_SIZE = 50


def current_course() -> Course | None:
    return Course.objects.filter(is_current=True).first()


def has_valid_certificate(user: User, at=None) -> bool:
    """The course condition of the cook activation gate and of matching: an unexpired, unrevoked
    certificate of any course version."""
    return Certificate.objects.filter(user=user).valid(at).exists()


def latest_certificate(user: User) -> Certificate | None:
    return Certificate.objects.filter(user=user, revoked_at__isnull=True).select_related("course").first()


def course_overview(*, user: User, course: Course) -> dict:
    """Lessons with the cook's progress, the open attempt, the last result and the certificate."""
    lessons = list(
        Lesson.objects.filter(course=course)
        .annotate(done=Exists(LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"))))
        .order_by("order")
    )
    attempts = list(Attempt.objects.filter(user=user, course=course).order_by("-started_at")[:20])
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    finished = [a for a in attempts if a.submitted_at is not None]
    done = sum(1 for lesson in lessons if lesson.done)
    return {
        "course": course,
        "lessons": lessons,
        "lessons_done": done,
        "all_lessons_done": done == len(lessons),
        "next_lesson": next((lesson for lesson in lessons if not lesson.done), None),
        "open_attempt": open_attempt,
        "last_attempt": finished[0] if finished else None,
        "certificate": latest_certificate(user),
    }


def attempt_items(attempt: Attempt) -> list:
    return list(attempt.items.select_related("question", "question__lesson").order_by("position"))


def coordinator_overview(*, areas, page_number=None, per_page: int = OVERVIEW_PAGE_SIZE):
    """One page of the cooks living in these areas, with lesson progress, attempts, best score and
    certificate. Paginated: an area can have hundreds of cooks (docs/performance.md)."""
    course = current_course()
    newest_certificate = Certificate.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True).order_by("-issued_at")
    cooks = (
        User.objects.filter(is_cook=True, home_area__in=areas)
        .select_related("home_area")
        .annotate(
            lessons_done=Count("lesson_progress", filter=Q(lesson_progress__lesson__course=course), distinct=True),
            attempts_taken=Count("quiz_attempts", filter=Q(quiz_attempts__submitted_at__isnull=False), distinct=True),
            best_score=Max("quiz_attempts__score"),
            best_total=Max("quiz_attempts__total"),
            certificate_expires=Subquery(newest_certificate.values("expires_at")[:1]),
            certificate_code=Subquery(newest_certificate.values("code")[:1]),
        )
        .order_by("home_area__name", "full_name")
    )
    page = Paginator(cooks, per_page).get_page(page_number)
    now = timezone.now()
    lesson_count = Lesson.objects.filter(course=course).count() if course else 0
    for cook in page.object_list:
        cook.lesson_count = lesson_count
        expires = cook.certificate_expires
        cook.certificate_state = (
            "none"
            if expires is None
            else "expired"
            if expires <= now
            else "expiring"
            if expires - now <= EXPIRING_SOON
            else "valid"
        )
    return page
