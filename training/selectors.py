"""Reads for the course pages. Each builds everything its page shows in a fixed number of queries."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from training.models import Attempt, Certificate, Course, Lesson, LessonProgress

# A certificate this close to expiry is shown as "expiring" to the cook and to coordinators.
EXPIRING_SOON = timedelta(days=60)


def current_course() -> Course | None:
    return Course.objects.filter(is_current=True).first()


def has_valid_certificate(user, at=None) -> bool:
    """The course condition of the cook activation gate and of matching: an unexpired, unrevoked
    certificate of any course version."""
    return Certificate.objects.filter(user=user).valid(at).exists()


def latest_certificate(user) -> Certificate | None:
    return Certificate.objects.filter(user=user, revoked_at__isnull=True).select_related("course").first()


def course_overview(*, user, course: Course) -> dict:
    """Lessons with the cook's progress, the open attempt, the last result and the certificate."""
    lessons = list(
        Lesson.objects.filter(course=course)
        .annotate(
            done=Exists(LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"))),
            # Counted with the lessons, not in a query of its own: the checklist's budget is fixed.
            compulsory=Count("questions", filter=Q(questions__is_active=True, questions__compulsory=True)),
        )
        .order_by("order")
    )
    attempts = list(Attempt.objects.filter(user=user, course=course).order_by("-started_at")[:20])
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    finished = [a for a in attempts if a.submitted_at is not None]
    done = sum(1 for lesson in lessons if lesson.done)
    compulsory = sum(lesson.compulsory for lesson in lessons)
    return {
        "course": course,
        "lessons": lessons,
        "lessons_done": done,
        "all_lessons_done": done == len(lessons),
        "next_lesson": next((lesson for lesson in lessons if not lesson.done), None),
        "open_attempt": open_attempt,
        "last_attempt": finished[0] if finished else None,
        "certificate": latest_certificate(user),
        # Every quiz: `questions_per_lesson` from each lesson, and every compulsory question.
        "question_count": course.questions_per_lesson * len(lessons) + compulsory,
        "compulsory_count": compulsory,
    }


def course_lessons(course: Course) -> list[Lesson]:
    return list(course.lessons.order_by("order"))


def lesson_after(lesson: Lesson) -> Lesson | None:
    """The lesson a cook goes on to once this one is done (None after the last)."""
    return Lesson.objects.filter(course_id=lesson.course_id, order__gt=lesson.order).order_by("order").first()


def certificate_for_code(code: str) -> Certificate | None:
    """The certificate a public verification code belongs to, with its holder and course."""
    return Certificate.objects.select_related("user", "course").filter(code=code).first()


def attempt_items(attempt: Attempt) -> list:
    return list(attempt.items.select_related("question", "question__lesson").order_by("position"))


def certificate_state(expires_at, now=None) -> str:
    """ "none" (no certificate), "expired", "expiring" (within EXPIRING_SOON) or "valid"."""
    now = now or timezone.now()
    if expires_at is None:
        return "none"
    if expires_at <= now:
        return "expired"
    if expires_at - now <= EXPIRING_SOON:
        return "expiring"
    return "valid"
