"""Every action an audit entry can record, and what a coordinator reads for it on a history page.

The values are stored in `AuditEntry.action`: never change one (old rows and reports use it), add a
new member instead. `casserole.audit.record()` takes nothing else, so free text cannot creep back.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # Accounts, sign-in and two-factor sign-in
    SIGNED_UP = "signed_up", _("Account created")
    SIGNED_IN = "signed_in", _("Signed in")
    SIGNED_OUT = "signed_out", _("Signed out")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    PROFILE_UPDATED = "profile_updated", _("Account details changed")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Two-factor sign-in set up")
    SECOND_FACTOR_PASSED = "second_factor_passed", _("Sign-in code accepted")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Sign-in code refused")
    SECOND_FACTOR_DISABLED = "second_factor_disabled", _("Two-factor sign-in turned off")
    BACKUP_CODES_REGENERATED = "backup_codes_regenerated", _("New backup codes made")
    SECOND_FACTOR_LOCKOUT_CLEARED = "second_factor_lockout_cleared", _("Wait after wrong sign-in codes cleared")
    ACCESS_DENIED = "access_denied", _("Page refused: no permission")

    # Coordinators and roles
    COORDINATOR_INVITED = "coordinator_invited", _("Coordinator invited")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation to coordinate accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation to coordinate withdrawn")
    ROLE_CHANGED = "role_changed", _("Roles changed")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    ACCOUNT_REACTIVATED = "account_reactivated", _("Account reactivated")

    # A cook's profile and identity check
    COOK_PROFILE_CREATED = "cook_profile_created", _("Profile completed")
    COOK_PROFILE_UPDATED = "cook_profile_updated", _("Profile changed")
    COOK_PLACED_BY_HAND = "cook_placed_by_hand", _("Placed on the map by a coordinator")
    COOK_MOVED_AREA = "cook_moved_area", _("Moved to another area: back to waiting for approval")
    COOK_CHANGED_AREA = "cook_changed_area", _("Moved to another area before being approved")
    COOK_MOVED_NEARBY = "cook_moved_nearby", _("Moved a short way within the area")
    COOK_MOVE_REQUESTED = "cook_move_requested", _("Asked to move: waiting for a coordinator to confirm")
    COOK_MOVE_CONFIRMED = "cook_move_confirmed", _("Move confirmed by a coordinator")
    COOK_MOVE_DECLINED = "cook_move_declined", _("Move not confirmed by a coordinator")
    IDENTITY_PHOTO_SUBMITTED = "identity_photo_submitted", _("Identity photo sent")
    IDENTITY_CHECK_VIEWED = "identity_check_viewed", _("Identity check looked at")
    IDENTITY_PHOTO_VIEWED = "identity_photo_viewed", _("Identity photo looked at")
    IDENTITY_CHECK_APPROVED = "identity_check_approved", _("Identity approved")
    IDENTITY_CHECK_REJECTED = "identity_check_rejected", _("Identity not approved")
    IDENTITY_SEEN_IN_PERSON = "identity_seen_in_person", _("Identity document seen in person")
    IDENTITY_PHOTO_PURGED = "identity_photo_purged", _("Identity photo deleted after the time limit")
    IDENTITY_STRIPE_STARTED = "identity_stripe_started", _("Online identity check started")
    IDENTITY_STRIPE_VERIFIED = "identity_stripe_verified", _("Online identity check passed")
    IDENTITY_STRIPE_NEEDS_INPUT = (
        "identity_stripe_needs_input",
        _("Online identity check needs something from the cook"),
    )
    IDENTITY_STRIPE_PROCESSING = "identity_stripe_processing", _("Online identity check in progress")
    IDENTITY_STRIPE_CANCELLED = "identity_stripe_cancelled", _("Online identity check cancelled")
    IDENTITY_STRIPE_CANCELLED_BY_COOK = (
        "identity_stripe_cancelled_by_cook",
        _("Online identity check cancelled by the cook"),
    )
    IDENTITY_STRIPE_UNAVAILABLE = "identity_stripe_unavailable", _("Online identity check unavailable")
    IDENTITY_STRIPE_REPLACED_BY_PHOTO = (
        "identity_stripe_replaced_by_photo",
        _("Online identity check replaced by an identity photo"),
    )
    COOK_APPROVED = "cook_approved", _("Approved as a cook")
    COOK_SUSPENDED = "cook_suspended", _("Suspended")
    COOK_REACTIVATED = "cook_reactivated", _("Reactivated")

    # Training
    LESSON_COMPLETED = "lesson_completed", _("Lesson finished")
    QUIZ_STARTED = "quiz_started", _("Quiz started")
    QUIZ_SUBMITTED = "quiz_submitted", _("Quiz answers sent")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_NOTICE_60_DAYS = "certificate_notice_60_days", _("Reminded: the certificate expires in 60 days")
    CERTIFICATE_NOTICE_14_DAYS = "certificate_notice_14_days", _("Reminded: the certificate expires in 14 days")
    CERTIFICATE_NOTICE_EXPIRED = "certificate_notice_expired", _("Told the cook their certificate has expired")

    # Meals (meals.schedule)
    MEAL_PROPOSED = "meal_proposed", _("Meal proposed")
    MEAL_SERIES_STARTED = "meal_series_started", _("Repeating meals proposed")
    MEAL_SERIES_CHANGED = "meal_series_changed", _("Repeating meals changed from a date")
    MEAL_SERIES_ENDED = "meal_series_ended", _("Repeating meals ended")
    MEAL_MOVED = "meal_moved", _("Meal moved or changed")
    MEAL_CANCELLED = "meal_cancelled", _("Meal cancelled")
    MEAL_CONFIRMED = "meal_confirmed", _("Meal confirmed")
    MEAL_DECLINED = "meal_declined", _("Meal declined")
    MEAL_COVER_ARRANGED = "meal_cover_arranged", _("Another cook covers a meal")
    MEAL_PREFERENCES_CHANGED = "meal_preferences_changed", _("How they like their meals changed")
    CALENDAR_FEED_RESET = "calendar_feed_reset", _("Calendar address made or reset")
    MEAL_REMINDERS_CHANGED = "meal_reminders_changed", _("Meal reminders turned on or off")

    # The relationship log (meals.relationships)
    VISIT_RECORDED = "visit_recorded", _("Visit recorded")
    VISIT_VIEWED = "visit_viewed", _("Visit record looked at")
    DOOR_CASE_OPENED = "door_case_opened", _("No answer at the door: escalation started")
    DOOR_CASE_ACKNOWLEDGED = "door_case_acknowledged", _("No answer at the door: a coordinator is dealing with it")
    DOOR_CASE_RERAISED = "door_case_reraised", _("No answer at the door: raised again to every coordinator")
    DOOR_CASE_NOTE_ADDED = "door_case_note_added", _("No answer at the door: note added")
    DOOR_CASE_CLOSED = "door_case_closed", _("No answer at the door: closed")
    CONCERN_ESCALATED = "concern_escalated", _("Concern still open: raised again to every coordinator")
    CONCERN_RAISED = "concern_raised", _("Concern raised")
    CONCERN_VIEWED = "concern_viewed", _("Concern looked at")
    CONCERN_ACKNOWLEDGED = "concern_acknowledged", _("Concern acknowledged")
    CONCERN_CLOSED = "concern_closed", _("Concern closed")
    WATCH_RECIPIENT_ADDED = "watch_recipient_added", _("Watch reports: someone added")
    WATCH_RECIPIENT_STOPPED = "watch_recipient_stopped", _("Watch reports: stopped for someone")
    FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
    LONELINESS_RECORDED = "loneliness_recorded", _("Loneliness questions answered")
    LONELINESS_VIEWED = "loneliness_viewed", _("Loneliness answers looked at")
    MEASURE_CONSENT_CHANGED = "measure_consent_changed", _("Agreement to the loneliness questions changed")
    MATCH_NOTE_WRITTEN = "match_note_written", _("Note written on a match")
    TIMELINE_VIEWED = "timeline_viewed", _("Match timeline looked at")

    # The directory of other support and onward referrals (meals.signposting)
    SUPPORT_SERVICE_ADDED = "support_service_added", _("Service added to the directory of other support")
    SUPPORT_SERVICE_CHANGED = "support_service_changed", _("Service in the directory of other support changed")
    ONWARD_REFERRAL_RECORDED = "onward_referral_recorded", _("Told about or referred to other support")
    ONWARD_REFERRAL_OUTCOME = "onward_referral_outcome", _("Whether other support took place recorded")

    # The coordinator's workspace (meals.workspace): the detail holds the number of results, never the words
    PEOPLE_SEARCHED = "people_searched", _("Cooks and diners searched")

    # Impact (meals.impact): the detail holds the file and the period, never a figure
    IMPACT_EXPORTED = "impact_exported", _("Impact figures downloaded as a CSV file")

    # Requests for meals and the waiting list
    REFERRAL_SUBMITTED = "referral_submitted", _("Request for meals sent")
    REFERRAL_UPDATED = "referral_updated", _("Request changed and sent again")
    REFERRAL_ACCEPTED = "referral_accepted", _("Request accepted")
    REFERRAL_MORE_INFO = "referral_more_info", _("More information asked for")
    REFERRAL_DECLINED = "referral_declined", _("Request declined")
    AREA_WAITLIST_JOINED = "area_waitlist_joined", _("Asked to hear when a club opens nearby")

    # "Please call me" requests
    CALLBACK_REQUESTED = "callback_requested", _("Asked to be phoned about meals")
    CALLBACK_IGNORED = "callback_ignored", _("Request to be phoned ignored: it looked automated")
    CALLBACK_HANDLED = "callback_handled", _("Call-back done: outcome recorded")
    CALLBACK_PURGED = "callback_purged", _("Request to be phoned deleted after the time limit")

    # A diner's record
    PROXY_GRANTED = "proxy_granted", _("Someone was allowed to act for the diner")
    PROXY_SCOPE_CHANGED = "proxy_scope_changed", _("What someone may do for the diner was changed")
    PROXY_REVOKED = "proxy_revoked", _("Someone’s access to act for the diner was removed")
    DINER_UPDATED = "diner_updated", _("Details changed")
    DINER_CONSENT_RECORDED = "diner_consent_recorded", _("Consent recorded")
    DINER_PLACED_BY_HAND = "diner_placed_by_hand", _("Placed on the map by a coordinator")
    DINER_PAUSED = "diner_paused", _("Paused")
    DINER_RESUMED = "diner_resumed", _("Resumed")
    DINER_CLOSED = "diner_closed", _("Closed")
    DINER_RECORD_VIEWED = "diner_record_viewed", _("Record looked at")

    # Matches
    MATCH_OFFERED = "match_offered", _("The cook offered")
    MATCH_WITHDRAWN = "match_withdrawn", _("The cook withdrew the offer")
    MATCH_APPROVED = "match_approved", _("Approved")
    MATCH_DECLINED = "match_declined", _("Not approved")
    MATCH_ADDED_BY_COORDINATOR = "match_added_by_coordinator", _("Cook added by a coordinator")
    MATCH_INTRODUCTION_ARRANGED = "match_introduction_arranged", _("Introduction arranged")
    MATCH_ACTIVE = "match_active", _("Introduction done: the match is active")
    MATCH_PAUSE_REQUESTED = "match_pause_requested", _("Asked to pause")
    MATCH_END_REQUESTED = "match_end_requested", _("Asked to end")
    MATCH_PAUSED = "match_paused", _("Paused")
    MATCH_RESUMED = "match_resumed", _("Resumed")
    MATCH_ENDED = "match_ended", _("Ended")

    # Data rights (meals.rights): closing, withdrawing consent, erasure requests
    ACCOUNT_CLOSED = "account_closed", _("Account closed")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CONSENT_GIVEN_AGAIN = "consent_given_again", _("Consent given again")
    ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
    ERASURE_REQUEST_CARRIED_OUT = "erasure_request_carried_out", _("Erasure request carried out")

    # A copy of what we hold (meals.rights.copy): the detail holds the file's format, never its contents
    DATA_COPY_PRODUCED = "data_copy_produced", _("Copy of the information we hold made for them")
    DATA_COPY_DOWNLOADED = "data_copy_downloaded", _("Copy of their own information downloaded")

    # The retention schedule (casserole.retention, meals.rights.erasure): the detail holds counts and a
    # reason code, never what was erased
    USER_ERASED = "user_erased", _("Personal details erased from the account")
    DINER_ERASED = "diner_erased", _("Personal details erased from the record")
    ERASURE_HELD_BACK = "erasure_held_back", _("Not erased yet: a concern or door case is still open")
    RETENTION_APPLIED = "retention_applied", _("Retention schedule applied")

    # Jobs run by an administrator
    EMAILS_REQUEUED = "emails_requeued", _("Unsent emails queued again")
    POSTCODE_CENTROIDS_LOADED = "postcode_centroids_loaded", _("Postcode locations loaded")


def label(action: str) -> str:
    """What a history page says for a stored action, in the active language. A value the registry
    no longer knows (an old row) is shown as words rather than breaking the page."""
    try:
        return Action(action).label
    except ValueError:
        return gettext("Other event (%(name)s)") % {"name": action.replace("_", " ")}
