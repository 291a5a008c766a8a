"""The course is loaded from its files (`manage.py load_course`) and certificates are issued by passing
the quiz (training.services), so the admin only looks: every model is view-only."""

from django.contrib import admin

from casserole.admin import ViewOnlyAdmin
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


@admin.register(Course)
class CourseAdmin(ViewOnlyAdmin):
    list_display = ["version", "title_en", "is_current", "pass_mark_percent", "questions_per_lesson", "loaded_at"]
    list_filter = ["is_current"]
    search_fields = ["version", "title_en", "title_ja"]


@admin.register(Lesson)
class LessonAdmin(ViewOnlyAdmin):
    list_display = ["title_en", "course", "order", "slug"]
    list_filter = ["course"]
    list_select_related = ["course"]
    search_fields = ["title_en", "title_ja", "slug"]
    ordering = ["course", "order"]


@admin.register(Question)
class QuestionAdmin(ViewOnlyAdmin):
    list_display = ["key", "course", "lesson", "compulsory", "is_active"]
    list_filter = ["course", "compulsory", "is_active"]
    list_select_related = ["course", "lesson"]
    search_fields = ["key", "text_en", "text_ja"]


@admin.register(LessonProgress)
class LessonProgressAdmin(ViewOnlyAdmin):
    list_display = ["user", "lesson", "completed_at"]
    list_filter = ["lesson__course"]
    list_select_related = ["user", "lesson"]
    search_fields = ["user__email", "user__full_name"]
    date_hierarchy = "completed_at"


class AttemptQuestionInline(admin.TabularInline):
    model = AttemptQuestion
    fields = readonly_fields = ["position", "question", "chosen", "is_correct"]
    ordering = ["position"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ViewOnlyAdmin):
    list_display = ["user", "course", "started_at", "submitted_at", "score", "total", "passed"]
    list_filter = ["passed", "course"]
    list_select_related = ["user", "course"]
    search_fields = ["user__email", "user__full_name"]
    date_hierarchy = "started_at"
    inlines = [AttemptQuestionInline]


@admin.register(AttemptQuestion)
class AttemptQuestionAdmin(ViewOnlyAdmin):
    list_display = ["attempt", "position", "question", "chosen", "is_correct"]
    list_filter = ["is_correct"]
    list_select_related = ["attempt__user", "question"]
    search_fields = ["attempt__user__email", "question__key"]


@admin.register(Certificate)
class CertificateAdmin(ViewOnlyAdmin):
    list_display = ["code", "user", "course", "issued_at", "expires_at", "revoked_at"]
    list_filter = ["course", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "course"]
    search_fields = ["code", "user__email", "user__full_name"]
    date_hierarchy = "expires_at"


@admin.register(CertificateNotice)
class CertificateNoticeAdmin(ViewOnlyAdmin):
    list_display = ["certificate", "kind", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["certificate"]
    search_fields = ["certificate__code", "certificate__user__email"]
    date_hierarchy = "sent_at"
