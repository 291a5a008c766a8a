"""Writes for the food-safety course: loading content, progress, quiz attempts, certificates, notices."""

import random
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from casserole import audit
from casserole.errors import DomainError
from casserole.mail import absolute_url, queue_templated_email
from training.content import CURRENT_VERSION, VERSIONS, read_course
from training.models import (
    Attempt,
    AttemptQuestion,
    Certificate,
    CertificateNotice,
    Course,
    Lesson,
    LessonProgress,
    Question,
)

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
_NOTICE_ACTIONS = {
    CertificateNotice.Kind.DAYS_60: audit.Action.CERTIFICATE_NOTICE_60_DAYS,
    CertificateNotice.Kind.DAYS_14: audit.Action.CERTIFICATE_NOTICE_14_DAYS,
    CertificateNotice.Kind.EXPIRED: audit.Action.CERTIFICATE_NOTICE_EXPIRED,
}


class TrainingError(DomainError):
    """Refused on the course or the quiz; the cook sees the message."""


@transaction.atomic
def load_course(*, version: str, make_current: bool = True) -> Course:
    """Load (or refresh) a course version from its files. Safe to run again: lessons and questions
    are matched by slug and key; questions no longer in the file are retired, not deleted, so past
    attempts keep their history."""
    content = read_course(version)
    course, _created = Course.objects.update_or_create(
        version=version,
        defaults={
            "title_en": content.title["en"],
            "title_ja": content.title["ja"],
            "pass_mark_percent": content.pass_mark_percent,
            "questions_per_lesson": content.questions_per_lesson,
        },
    )
    # Orders can swap between loads; park them out of the way of the unique constraint first.
    Lesson.objects.filter(course=course).update(order=F("order") + 1000)
    lessons = {}
    for text in content.lessons:
        lessons[text.slug], _created = Lesson.objects.update_or_create(
            course=course,
            slug=text.slug,
            defaults={
                "order": text.order,
                "title_en": text.title["en"],
                "title_ja": text.title["ja"],
                "summary_en": text.summary["en"],
                "summary_ja": text.summary["ja"],
                "body_en": text.body["en"],
                "body_ja": text.body["ja"],
            },
        )
    keys = []
    for item in content.questions:
        keys.append(item["key"])
        Question.objects.update_or_create(
            course=course,
            key=item["key"],
            defaults={
                "lesson": lessons[item["lesson"]],
                "text_en": item["en"]["text"],
                "text_ja": item["ja"]["text"],
                "options_en": item["en"]["options"],
                "options_ja": item["ja"]["options"],
                "answer": item["answer"],
                "explanation_en": item["en"]["explanation"],
                "explanation_ja": item["ja"]["explanation"],
                "compulsory": item.get("compulsory", False),
                "is_active": True,
            },
        )
    Question.objects.filter(course=course).exclude(key__in=keys).update(is_active=False)
    if make_current and not course.is_current:
        Course.objects.filter(is_current=True).update(is_current=False)
        course.is_current = True
        course.save(update_fields=["is_current"])
    return course


@transaction.atomic
def load_courses() -> Course:
    """Load every version on file and make CURRENT_VERSION the current one: older versions stay, so
    past attempts keep their questions and their certificates stay valid until they expire."""
    for version in VERSIONS:
        load_course(version=version, make_current=version == CURRENT_VERSION)
    return Course.objects.get(version=CURRENT_VERSION)


@transaction.atomic
def complete_lesson(*, user, lesson: Lesson) -> None:
    """Record that the cook has read a lesson. Reading it again changes nothing."""
    _, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    if created:
        audit.record(action=audit.Action.LESSON_COMPLETED, actor=user, obj=lesson, detail={"lesson": lesson.slug})


def start_attempt(*, user, course: Course, rng: random.Random | None = None) -> Attempt:
    """Start a quiz once every lesson is read: every compulsory question, and `questions_per_lesson`
    of the others from every lesson, in random order. An attempt already open is returned instead,
    so a double-click or a reload never draws twice."""
    open_attempt = Attempt.objects.filter(user=user, course=course, submitted_at__isnull=True).first()
    if open_attempt is not None:
        return open_attempt
    unread = Lesson.objects.filter(course=course).exclude(progress__user=user)
    if unread.exists():
        raise TrainingError(_("Read all the lessons before you start the quiz."))
    rng = rng or secrets.SystemRandom()
    drawn: list[Question] = []
    by_lesson: dict[int, list[Question]] = {}
    for question in Question.objects.filter(course=course, is_active=True).order_by("key"):
        if question.compulsory:
            drawn.append(question)
        else:
            by_lesson.setdefault(question.lesson_id, []).append(question)
    for questions in by_lesson.values():
        drawn.extend(rng.sample(questions, min(course.questions_per_lesson, len(questions))))
    rng.shuffle(drawn)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(user=user, course=course, total=len(drawn))
            AttemptQuestion.objects.bulk_create(
                [AttemptQuestion(attempt=attempt, question=q, position=i) for i, q in enumerate(drawn, start=1)]
            )
            audit.record(action=audit.Action.QUIZ_STARTED, actor=user, obj=attempt)
    except IntegrityError:
        # Another request opened one at the same moment: use that.
        return Attempt.objects.get(user=user, course=course, submitted_at__isnull=True)
    return attempt


@transaction.atomic
def submit_attempt(*, user, attempt: Attempt, answers: dict[int, int]) -> Attempt:
    """Score an attempt on the server from its own drawn questions only. `answers` maps
    AttemptQuestion ids to chosen option indexes; anything else in it is ignored. A submitted
    attempt cannot be submitted again. Passing needs the pass mark and every compulsory question
    right; it issues a certificate."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk, user=user)
    if attempt.submitted_at is not None:
        raise TrainingError(_("You have already finished this quiz. Start a new one to try again."))
    items = list(attempt.items.select_related("question"))
    missing = [item for item in items if item.pk not in answers]
    if missing:
        raise TrainingError(_("Answer every question before you finish."))
    score = 0
    for item in items:
        chosen = answers[item.pk]
        if not 0 <= chosen < len(item.question.options_en):
            raise TrainingError(_("Answer every question before you finish."))
        item.chosen = chosen
        item.is_correct = chosen == item.question.answer
        score += item.is_correct
    AttemptQuestion.objects.bulk_update(items, ["chosen", "is_correct"])
    attempt.score = score
    attempt.submitted_at = timezone.now()
    compulsory_wrong = sum(1 for item in items if item.question.compulsory and not item.is_correct)
    attempt.passed = score * 100 >= attempt.course.pass_mark_percent * attempt.total and not compulsory_wrong
    attempt.save(update_fields=["score", "submitted_at", "passed"])
    audit.record(
        action=audit.Action.QUIZ_SUBMITTED,
        actor=user,
        obj=attempt,
        detail={"score": score, "total": attempt.total, "compulsory_wrong": compulsory_wrong},
    )
    if attempt.passed:
        _issue_certificate(user=user, attempt=attempt)
    return attempt


def _issue_certificate(*, user, attempt: Attempt) -> Certificate:
    now = timezone.now()
    certificate = Certificate.objects.create(
        user=user,
        course=attempt.course,
        attempt=attempt,
        code=_new_code(),
        issued_at=now,
        expires_at=now + timedelta(days=settings.CERTIFICATE_VALID_DAYS),
    )
    audit.record(action=audit.Action.CERTIFICATE_ISSUED, actor=user, obj=certificate, area=user.home_area)
    return certificate


def _new_code() -> str:
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
        code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
        if not Certificate.objects.filter(code=code).exists():
            return code


def send_certificate_notices(*, now=None, on_expired: Callable[[Certificate], None] | None = None) -> dict[str, int]:
    """Daily job: remind cooks 60 and 14 days before their certificate expires, and on expiry tell
    them; `on_expired(certificate)` tells whoever depends on the cook being certified (the daily
    job passes meals.matching.services's). Each notice goes once per certificate."""
    now = now or timezone.now()
    sent = {kind: 0 for kind in CertificateNotice.Kind.values}
    latest = _latest_certificates()
    for certificate in latest:
        kind = _notice_due(certificate, now)
        # notices are prefetched: no query per certificate.
        if kind is None or any(notice.kind == kind for notice in certificate.notices.all()):
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    CertificateNotice.objects.create(certificate=certificate, kind=kind, sent_at=now)
            except IntegrityError:
                continue  # another run sent it
            _queue_notice(certificate, kind)
            if kind == CertificateNotice.Kind.EXPIRED and on_expired is not None:
                on_expired(certificate)
            audit.record(action=_NOTICE_ACTIONS[kind], obj=certificate, area=certificate.user.home_area)
        sent[kind] += 1
    return sent


def _latest_certificates():
    """Each cook's newest certificate (an older one is superseded by a retake, so never nagged)."""
    newest = Certificate.objects.filter(user=OuterRef("user"), revoked_at__isnull=True).order_by("-issued_at")
    return (
        Certificate.objects.filter(revoked_at__isnull=True, pk=Subquery(newest.values("pk")[:1]))
        .select_related("user", "user__home_area", "course")
        .prefetch_related("notices")
    )


def _notice_due(certificate: Certificate, now) -> str | None:
    left = certificate.expires_at - now
    if left <= timedelta(0):
        return CertificateNotice.Kind.EXPIRED
    if left <= timedelta(days=14):
        return CertificateNotice.Kind.DAYS_14
    if left <= timedelta(days=60):
        return CertificateNotice.Kind.DAYS_60
    return None


def _queue_notice(certificate: Certificate, kind: str) -> None:
    cook = certificate.user
    context = {
        "name": cook.given_name or cook.full_name,
        "expires_at": certificate.expires_at,
        "kind": kind,
        "course_url": absolute_url("training:course", cook.preferred_language),
    }
    queue_templated_email(
        to=cook.email, template="training/email/certificate_notice", context=context, language=cook.preferred_language
    )
