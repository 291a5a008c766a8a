from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casserole.access import cook_required
from training import selectors, services
from training.access import (
    get_attempt_for_cook,
    get_certificate_for_cook,
    get_current_course,
    get_lesson_for_cook,
)
from training.forms import QuizForm, VerifyCertificateForm


@cook_required
@never_cache
@require_GET
def course(request):
    context = selectors.course_overview(user=request.user, course=get_current_course())
    return render(request, "training/course.html", context)


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def lesson(request, slug: str):
    current = get_current_course()
    lesson = get_lesson_for_cook(current, slug)
    if request.method == "POST":
        services.complete_lesson(user=request.user, lesson=lesson)
        following = selectors.lesson_after(lesson)
        return redirect("training:lesson", slug=following.slug) if following else redirect("training:course")
    lessons = selectors.course_lessons(current)
    return render(
        request,
        "training/lesson.html",
        {
            "course": current,
            "lesson": lesson,
            "body": lesson.body_html(get_language()),
            "number": lessons.index(lesson) + 1,
            "count": len(lessons),
        },
    )


@cook_required
@require_POST
def start_quiz(request):
    try:
        attempt = services.start_attempt(user=request.user, course=get_current_course())
    except services.TrainingError as error:
        messages.error(request, str(error))
        return redirect("training:course")
    return redirect("training:quiz", pk=attempt.pk)


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def quiz(request, pk: int):
    attempt = get_attempt_for_cook(request.user, pk)
    if attempt.submitted_at is not None:
        return redirect("training:result", pk=attempt.pk)
    items = selectors.attempt_items(attempt)
    form = QuizForm(request.POST if request.method == "POST" else None, items=items, language=get_language())
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_attempt(user=request.user, attempt=attempt, answers=form.answers())
        except services.TrainingError as error:
            messages.error(request, str(error))
        return redirect("training:result", pk=attempt.pk)
    compulsory = sum(1 for item in items if item.question.compulsory)
    return render(request, "training/quiz.html", {"attempt": attempt, "form": form, "compulsory": compulsory})


@cook_required
@never_cache
@require_GET
def result(request, pk: int):
    attempt = get_attempt_for_cook(request.user, pk)
    if attempt.submitted_at is None:
        return redirect("training:quiz", pk=attempt.pk)
    items = selectors.attempt_items(attempt)
    wrong = [item for item in items if not item.is_correct]
    return render(
        request,
        "training/result.html",
        {
            "attempt": attempt,
            "wrong": wrong,
            "compulsory_wrong": [item for item in wrong if item.question.compulsory],
            "certificate": getattr(attempt, "certificate", None) if attempt.passed else None,
        },
    )


@cook_required
@never_cache
@require_GET
def certificate(request, pk: int):
    certificate = get_certificate_for_cook(request.user, pk)
    return render(request, "training/certificate.html", {"certificate": certificate})


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: anyone holding a code can check it. Shows first name, course and validity only.
    The code is posted, never read from the query string, so it stays out of access logs."""
    form = VerifyCertificateForm(request.POST if request.method == "POST" else None)
    found = None
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        found = selectors.certificate_for_code(form.cleaned_data["code"])
    return render(request, "training/verify.html", {"form": form, "found": found, "searched": searched})
