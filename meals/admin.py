"""The meals app in the admin, view-only (casserole.admin.ViewOnlyAdmin): requests, matches, meals and
the relationship log change only through their services, which check the rules, audit and tell people.

Diners' records are looked after on the coordinator pages. The admin shows a diner without their
address, phone, health, access or emergency details, and opening one is audited as a look at the record,
as on the coordinator pages. Sensitive words — concern text, wellbeing answers and notes, loneliness
answers and scores, feedback comments, coordinators' notes, a request's draft — are never shown
(`hidden_fields`). The waiting list of people outside every area is for the operator deciding where to
open next.

The rule for people who are not users: their name may show, their phone, email and address never."""

from django.contrib import admin

from casserole import audit
from casserole.admin import ViewOnlyAdmin
from meals.callbacks.models import CallbackRequest
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match, MatchChangeRequest
from meals.referrals.models import AreaWaitlistEntry, Referral, ReferralDraft
from meals.relationships.models import (
    Concern,
    DoorCase,
    DoorCaseStep,
    Feedback,
    FeedbackAsk,
    LonelinessMeasure,
    MatchNote,
    MeasureConsent,
    Visit,
    VisitReminder,
    WatchRecipient,
    WatchReport,
)
from meals.rights.models import ConsentWithdrawal, ErasureRequest
from meals.schedule.models import CalendarFeed, Meal, MealReminder, MealRemindersConsent, MealSeries
from meals.schedule.rollup import FirstSharedMeal, SharedMealMonth
from meals.signposting.models import OnwardReferral, SupportService

# What identifies a person's home, reaches them or describes their health: never in the admin.
DINER_PRIVATE_FIELDS = (
    "address_line1",
    "address_line2",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "location_source",
    "cell_latitude",
    "cell_longitude",
    "neighbourhood",
    "phone",
    "access_notes",
    "dietary_needs",
    "allergens",
    "allergy_notes",
    "texture",
    "likes",
    "dislikes",
    "door_notes",
    "emergency_name",
    "emergency_phone",
    "emergency_relationship",
)


@admin.register(AreaWaitlistEntry)
class AreaWaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "country", "postcode", "created_at"]
    list_filter = ["country"]
    search_fields = ["name", "postcode"]
    readonly_fields = ["name", "contact", "country", "postcode", "created_at"]

    def has_add_permission(self, request):
        return False


# Diners and requests -------------------------------------------------------------------------------------


@admin.register(Diner)
class DinerAdmin(ViewOnlyAdmin):
    list_display = ["pk", "__str__", "area", "status", "preferred_language", "frequency", "created_at"]
    list_filter = ["status", "area", "preferred_language", "consent_method"]
    list_select_related = ["area"]
    search_fields = ["=id"]  # looking someone up by name is the coordinators' audited search
    date_hierarchy = "created_at"
    hidden_fields = DINER_PRIVATE_FIELDS

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        diner = self.get_object(request, object_id)
        if diner is not None and response.status_code == 200:
            # The coordinator pages audit every look at a record; the admin's look is no exception.
            audit.record(
                action=audit.Action.DINER_RECORD_VIEWED,
                actor=request.user,
                obj=diner,
                area=diner.area,
                request=request,
                detail={"where": "admin"},
            )
        return response


@admin.register(ProxyAccess)
class ProxyAccessAdmin(ViewOnlyAdmin):
    list_display = [
        "diner",
        "referrer",
        "can_view_schedule",
        "can_confirm_meals",
        "can_give_feedback",
        "can_edit_details",
        "granted_at",
        "revoked_at",
    ]
    list_filter = [
        "can_confirm_meals",
        "can_give_feedback",
        "can_edit_details",
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["diner", "referrer"]
    search_fields = ["referrer__email", "referrer__full_name", "=diner__id"]


@admin.register(Referral)
class ReferralAdmin(ViewOnlyAdmin):
    list_display = ["pk", "diner", "referrer", "relationship", "channel", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "channel", "relationship", "diner__area"]
    list_select_related = ["diner", "referrer"]
    search_fields = ["referrer__email", "referrer_name", "=diner__id"]
    date_hierarchy = "submitted_at"
    hidden_fields = ("referrer_phone", "submission_key")


@admin.register(ReferralDraft)
class ReferralDraftAdmin(ViewOnlyAdmin):
    list_display = ["pk", "owner", "channel", "referral", "updated_at"]
    list_filter = ["channel"]
    list_select_related = ["owner", "referral__diner"]
    search_fields = ["owner__email"]
    # The draft holds everything typed about the diner so far; the session key would let one resume it.
    hidden_fields = ("data", "session_key", "submission_key")


@admin.register(CallbackRequest)
class CallbackRequestAdmin(ViewOnlyAdmin):
    list_display = ["pk", "name", "area", "for_whom", "best_time", "language", "created_at", "handled_at", "outcome"]
    list_filter = ["outcome", "area", "for_whom", "language", ("handled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["area"]
    search_fields = ["=id", "name"]
    date_hierarchy = "created_at"
    hidden_fields = ("phone", "postcode", "address", "best_time_note", "note")


# Matches, meals and the relationship log ---------------------------------------------------------------


@admin.register(Match)
class MatchAdmin(ViewOnlyAdmin):
    list_display = ["pk", "cook", "diner", "status", "additional", "offered_at", "active_since", "ended_at"]
    list_filter = ["status", "additional", "introduction_method", "diner__area"]
    list_select_related = ["cook", "diner"]
    search_fields = ["cook__email", "cook__full_name", "=diner__id", "=id"]
    date_hierarchy = "offered_at"


@admin.register(MatchChangeRequest)
class MatchChangeRequestAdmin(ViewOnlyAdmin):
    list_display = ["match", "kind", "requested_by", "created_at", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["match__cook", "match__diner", "requested_by"]
    search_fields = ["=match__id"]


@admin.register(MealSeries)
class MealSeriesAdmin(ViewOnlyAdmin):
    list_display = ["pk", "match", "repeat", "starts_on", "start_time", "ends_on", "dish"]
    list_filter = ["repeat"]
    list_select_related = ["match__cook", "match__diner"]
    search_fields = ["=match__id", "dish"]
    hidden_fields = ("submission",)


@admin.register(Meal)
class MealAdmin(ViewOnlyAdmin):
    list_display = ["pk", "match", "cook", "starts_at", "status", "cancel_reason", "covered_for"]
    list_filter = ["status", "cancel_reason", "decision_channel", "detached"]
    list_select_related = ["match__cook", "match__diner", "cook", "covered_for"]
    search_fields = ["=id", "=match__id", "cook__email"]
    date_hierarchy = "starts_at"
    hidden_fields = ("submission",)


@admin.register(MealReminder)
class MealReminderAdmin(ViewOnlyAdmin):
    list_display = ["meal", "recipient", "kind", "starts_at", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["meal", "recipient"]
    search_fields = ["=meal__id", "recipient__email"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ViewOnlyAdmin):
    list_display = ["cook", "created_at"]
    list_select_related = ["cook"]
    search_fields = ["cook__email"]
    hidden_fields = ("token",)  # the feed's only key


@admin.register(MealRemindersConsent)
class MealRemindersConsentAdmin(ViewOnlyAdmin):
    list_display = ["proxy", "created_at"]
    list_select_related = ["proxy__diner", "proxy__referrer"]


@admin.register(Visit)
class VisitAdmin(ViewOnlyAdmin):
    list_display = ["meal", "match", "outcome", "minutes_stayed", "recorded_by", "recorded_at"]
    list_filter = ["outcome"]
    list_select_related = ["meal", "match__cook", "match__diner", "recorded_by"]
    search_fields = ["=meal__id", "=match__id"]
    date_hierarchy = "recorded_at"
    hidden_fields = ("wellbeing", "wellbeing_notes", "note")


@admin.register(VisitReminder)
class VisitReminderAdmin(ViewOnlyAdmin):
    list_display = ["meal", "sent_at"]
    list_select_related = ["meal"]
    search_fields = ["=meal__id"]


@admin.register(Concern)
class ConcernAdmin(ViewOnlyAdmin):
    list_display = ["pk", "diner", "level", "status", "channel", "raised_at", "acknowledged_at", "closed_at"]
    list_filter = ["status", "level", "channel", "diner__area"]
    list_select_related = ["diner"]
    search_fields = ["=id", "=diner__id"]
    date_hierarchy = "raised_at"
    hidden_fields = ("text", "closing_notes")


@admin.register(DoorCase)
class DoorCaseAdmin(ViewOnlyAdmin):
    list_display = ["pk", "diner", "opened_at", "acknowledged_at", "closed_at", "outcome"]
    list_filter = ["outcome", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["diner"]
    search_fields = ["=id", "=diner__id"]
    date_hierarchy = "opened_at"
    hidden_fields = ("outcome_note",)


@admin.register(DoorCaseStep)
class DoorCaseStepAdmin(ViewOnlyAdmin):
    list_display = ["case", "kind", "at", "by"]
    list_filter = ["kind"]
    list_select_related = ["case", "by"]
    search_fields = ["=case__id"]
    hidden_fields = ("note",)


@admin.register(WatchRecipient)
class WatchRecipientAdmin(ViewOnlyAdmin):
    list_display = ["name", "diner", "relationship", "frequency", "approved_channel", "added_at", "stopped_at"]
    list_filter = ["frequency", "language", ("stopped_at", admin.EmptyFieldListFilter)]
    list_select_related = ["diner"]
    search_fields = ["=diner__id", "name"]
    hidden_fields = ("email",)


@admin.register(WatchReport)
class WatchReportAdmin(ViewOnlyAdmin):
    list_display = ["recipient", "period", "visits", "sent_at"]
    list_select_related = ["recipient__diner"]
    search_fields = ["period", "=recipient__diner__id"]


@admin.register(Feedback)
class FeedbackAdmin(ViewOnlyAdmin):
    list_display = ["match", "side", "occasion", "channel", "enjoyed", "friend", "less_contact_without", "given_at"]
    list_filter = ["side", "channel", "enjoyed", "friend", "less_contact_without", "wants_different_cook"]
    list_select_related = ["match__cook", "match__diner"]
    search_fields = ["=match__id", "occasion"]
    date_hierarchy = "given_at"
    hidden_fields = ("changes",)


@admin.register(FeedbackAsk)
class FeedbackAskAdmin(ViewOnlyAdmin):
    list_display = ["match", "side", "occasion", "recipient", "asked_at"]
    list_filter = ["side"]
    list_select_related = ["match__cook", "match__diner", "recipient"]
    search_fields = ["=match__id", "recipient__email"]


@admin.register(LonelinessMeasure)
class LonelinessMeasureAdmin(ViewOnlyAdmin):
    list_display = ["diner", "scale", "taken_on", "intake", "channel", "recorded_by"]
    list_filter = ["scale", "intake", "channel"]
    list_select_related = ["diner", "recorded_by"]
    search_fields = ["=diner__id"]
    date_hierarchy = "taken_on"
    hidden_fields = ("answers", "score")


@admin.register(MeasureConsent)
class MeasureConsentAdmin(ViewOnlyAdmin):
    list_display = ["diner", "given", "channel", "recorded_by", "recorded_at"]
    list_filter = ["given", "channel"]
    list_select_related = ["diner", "recorded_by"]
    search_fields = ["=diner__id"]


@admin.register(MatchNote)
class MatchNoteAdmin(ViewOnlyAdmin):
    list_display = ["match", "written_by", "written_at"]
    list_select_related = ["match__cook", "match__diner", "written_by"]
    search_fields = ["=match__id"]
    date_hierarchy = "written_at"
    hidden_fields = ("text",)


@admin.register(SupportService)
class SupportServiceAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "area", "country", "checked_on", "running"]
    list_filter = ["country", "running", "area"]
    list_select_related = ["area"]
    search_fields = ["name", "name_ja"]


@admin.register(OnwardReferral)
class OnwardReferralAdmin(ViewOnlyAdmin):
    list_display = ["diner", "service", "kind", "outcome", "made_at"]
    list_filter = ["kind", "outcome", "reason"]
    list_select_related = ["diner", "service"]
    search_fields = ["=diner__id"]
    date_hierarchy = "made_at"
    hidden_fields = ("note",)


@admin.register(ConsentWithdrawal)
class ConsentWithdrawalAdmin(ViewOnlyAdmin):
    list_display = ["diner", "purpose", "channel", "withdrawn_by", "withdrawn_at"]
    list_filter = ["purpose", "channel"]
    list_select_related = ["diner", "withdrawn_by"]
    search_fields = ["=diner__id"]
    date_hierarchy = "withdrawn_at"


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "diner", "user", "received_at", "due_by", "status", "carried_out_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["diner", "user"]
    search_fields = ["=diner__id", "=user__id"]
    date_hierarchy = "due_by"


# The impact figures' running counts (meals.schedule.rollup): kept by record_visit and rebuilt by
# `manage.py rebuild_impact_rollup`, never edited by hand.
@admin.register(SharedMealMonth)
class SharedMealMonthAdmin(ViewOnlyAdmin):
    list_display = ["match", "month", "meals", "timed", "minutes"]
    list_select_related = ["match"]
    search_fields = ["=match__id"]
    date_hierarchy = "month"


@admin.register(FirstSharedMeal)
class FirstSharedMealAdmin(ViewOnlyAdmin):
    list_display = ["diner", "starts_at"]
    list_select_related = ["diner"]
    search_fields = ["=diner__id"]
    date_hierarchy = "starts_at"
