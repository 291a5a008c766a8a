"""Who may use the course pages. Cooks see only their own attempts and certificates."""

from django.http import Http404

from training.models import Attempt, Certificate, Course, Lesson


def get_current_course() -> Course:
    course = Course.objects.filter(is_current=True).first()
    if course is None:
        raise Http404("No course has been loaded (run manage.py load_course).")
    return course


def get_lesson_for_cook(course: Course, slug: str) -> Lesson:
    lesson = Lesson.objects.filter(course=course, slug=slug).first()
    if lesson is None:
        raise Http404
    return lesson


def get_attempt_for_cook(user, pk: int) -> Attempt:
    """The cook's own attempt, or 404 as if it did not exist."""
    attempt = Attempt.objects.select_related("course").filter(pk=pk, user=user).first()
    if attempt is None:
        raise Http404
    return attempt


def get_certificate_for_cook(user, pk: int) -> Certificate:
    certificate = Certificate.objects.select_related("course", "user").filter(pk=pk, user=user).first()
    if certificate is None:
        raise Http404
    return certificate
