import markdown
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


def _in(language: str, en: str, ja: str) -> str:
    return ja if language == "ja" and ja else en


class Course(models.Model):
    """One version of the food-safety course, loaded from training/content/<version>/ by `load_course`."""

    version = models.CharField(max_length=20, unique=True)
    title_en = models.CharField(max_length=200)
    title_ja = models.CharField(max_length=200)
    pass_mark_percent = models.PositiveSmallIntegerField(default=80)
    questions_per_lesson = models.PositiveSmallIntegerField(default=2)
    is_current = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_course")
        ]

    def __str__(self) -> str:
        return f"{self.title_en} ({self.version})"

    def title(self, language: str) -> str:
        return _in(language, self.title_en, self.title_ja)


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField()
    order = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_ja = models.CharField(max_length=200)
    summary_en = models.CharField(max_length=300, blank=True)
    summary_ja = models.CharField(max_length=300, blank=True)
    body_en = models.TextField()
    body_ja = models.TextField()

    class Meta:
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="unique_lesson_slug"),
            models.UniqueConstraint(fields=["course", "order"], name="unique_lesson_order"),
        ]

    def __str__(self) -> str:
        return self.title_en

    def title(self, language: str) -> str:
        return _in(language, self.title_en, self.title_ja)

    def summary(self, language: str) -> str:
        return _in(language, self.summary_en, self.summary_ja)

    def body_html(self, language: str) -> str:
        # The lesson text is our own, version-controlled Markdown: rendered, never user input.
        return mark_safe(markdown.markdown(_in(language, self.body_en, self.body_ja), extensions=["tables"]))  # noqa: S308


class Question(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=40)
    text_en = models.TextField()
    text_ja = models.TextField()
    options_en = models.JSONField()
    options_ja = models.JSONField()
    answer = models.PositiveSmallIntegerField(help_text="Index of the correct option (0-based).")
    explanation_en = models.TextField()
    explanation_ja = models.TextField()
    # Drawn in every attempt, and a wrong answer fails the attempt whatever the score: what to do in
    # an emergency and when not to cook, which no cook may get wrong.
    compulsory = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["lesson__order", "key"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="unique_question_key")]

    def __str__(self) -> str:
        return self.key

    def text(self, language: str) -> str:
        return _in(language, self.text_en, self.text_ja)

    def options(self, language: str) -> list[str]:
        return self.options_ja if language == "ja" and self.options_ja else self.options_en

    def explanation(self, language: str) -> str:
        return _in(language, self.explanation_en, self.explanation_ja)


class LessonProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_progress")]

    def __str__(self) -> str:
        return f"{self.user} read {self.lesson}"


class Attempt(models.Model):
    """One sitting of the quiz. Its questions are drawn when it starts; only they are scored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attempts")
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # A double-clicked "Start the quiz" must not leave two open attempts.
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(submitted_at__isnull=True), name="one_open_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} attempt {self.pk}"

    @property
    def percent(self) -> int:
        return round(100 * (self.score or 0) / self.total) if self.total else 0


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    chosen = models.PositiveSmallIntegerField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="unique_attempt_question"),
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_attempt_position"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class CertificateQuerySet(models.QuerySet):
    def valid(self, at=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class Certificate(models.Model):
    """Proof a cook passed. The public verification page shows only first name, course and validity."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=14, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class CertificateNotice(models.Model):
    """Which expiry notice went out for which certificate, so each is sent exactly once."""

    class Kind(models.TextChoices):
        DAYS_60 = "60_days", _("60 days before expiry")
        DAYS_14 = "14_days", _("14 days before expiry")
        EXPIRED = "expired", _("Expired")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certificate", "kind"], name="one_notice_per_kind")]

    def __str__(self) -> str:
        return f"{self.certificate} {self.kind}"
