"""A copy of what we hold about one person (subject access): a cook, a referrer, or a diner.

Each `*_copy()` returns a plain, JSON-serialisable dict: the kind of copy, when it was made, the language
it is written in, and its sections in order. A section has a `key`, a `heading`, a `note` (what the
section leaves out, and why), its `fields` (key, label, type — "text", "datetime", "date", "list",
"bool", "number") and its `records`: one dict per row, keyed by the fields' keys. The printable page
(meals.rights.copy_views) and the JSON download show the same dict. Datetimes are ISO 8601 in the time
zone active when the copy is made, choices are written as their labels in the active language.

What a copy never holds, whoever asks:
- images of identity documents (only the method, document type, outcome and dates of each check),
  the names of stored files, Stripe's session ids; password hashes, two-factor secrets and backup
  codes, the calendar feed's token, invitation tokens, and the links and codes emails carried;
- other people's names and contact details. Others appear by their role ("a coordinator", "a cook",
  "someone acting for you"), never by name; the diner's cook and referrers are not named in the
  diner's copy, nor the diner in the cook's or referrer's. Free text written by others (a concern, a
  visit note, a coordinator's message, an email) is run through `Redactor`: the names of everyone else
  the copy's records know of, email addresses, phone numbers, links and one-time codes are replaced
  by a marker saying what was removed. The emergency contact's and watch-report recipients' names and
  contact details are left out (their relationship and what they receive are kept).
- what belongs to someone else: a cook's copy does not hold the diner's wellbeing answers from the
  visit records (the diner's health data, in the diner's copy), nor the diner's own feedback.

Query budget: a fixed number of queries per kind, whatever the amount of history
(tests/meals/rights/test_copy.py pins them): cook 15, referrer 9, diner 14 (the diner already fetched).
"""

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck
from accounts.people.models import User
from casserole import allergens as allergen_table
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, OutboundText
from meals.diners.models import Diner, ProxyAccess, Weekday
from meals.matching.models import Match
from meals.referrals.models import Referral
from meals.relationships import feedback as feedback_rules
from meals.relationships.loneliness import SCALES
from meals.relationships.models import (
    WELLBEING_ITEMS,
    Concern,
    DoorCase,
    Feedback,
    LonelinessMeasure,
    MeasureConsent,
    Visit,
    WatchRecipient,
    Wellbeing,
)
from meals.rights.models import ConsentWithdrawal
from meals.schedule.models import CalendarFeed, Meal, MealRemindersConsent, MealSeries
from training.models import Attempt, Certificate

COOK, REFERRER, DINER = "cook", "referrer", "diner"

TEXT, DATETIME, DATE, LIST, BOOL, NUMBER = "text", "datetime", "date", "list", "bool", "number"


# Redaction --------------------------------------------------------------------------------------------------

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Nine digits or more, however spaced: every phone number we store (a date has eight at most).
_PHONE = re.compile(r"\+?\d(?:[\s\-().]*\d){8,}")
# A line that is one code alone (a password-reset code, a sign-in code): capitals and digits.
_CODE_LINE = re.compile(r"^[ \t]*[A-Z0-9][A-Z0-9-]{3,}[ \t]*$", re.MULTILINE)
_WIDE = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")


class Redactor:
    """Takes other people's details out of free text: the given names, email addresses, phone numbers,
    links (they carry one-time tokens) and codes. A name is matched as a whole word in Latin script;
    a Japanese name wherever it appears (Japanese has no spaces around names)."""

    def __init__(self, names: Iterable[str] = (), *, keep: Iterable[str] = ()):
        kept = {name.strip().casefold() for name in keep if name and name.strip()}
        words = {
            part
            for name in names
            if name
            for part in {name.strip(), *name.split()}
            if len(part.strip()) >= 2 and part.strip().casefold() not in kept
        }
        patterns = [
            re.escape(word) if _WIDE.search(word) else rf"(?<!\w){re.escape(word)}(?!\w)"
            for word in sorted(words, key=len, reverse=True)
        ]
        self._names = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def text(self, value: str) -> str:
        if not value:
            return ""
        value = _LINK.sub(_("[link removed]"), value)
        value = _EMAIL.sub(_("[contact details removed]"), value)
        value = _PHONE.sub(_("[contact details removed]"), value)
        value = _CODE_LINE.sub(_("[code removed]"), value)
        if self._names is not None:
            value = self._names.sub(_("[someone else’s name removed]"), value)
        return value


# Building blocks ---------------------------------------------------------------------------------------------


def _value(value):
    """A value as JSON holds it: labels (lazy translations) as text, dates as ISO 8601."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _section(key: str, heading, fields, records: list[dict], note="") -> dict:
    return {
        "key": key,
        "heading": str(heading),
        "note": str(note),
        "fields": [{"key": name, "label": str(label), "type": kind} for name, label, kind in fields],
        "records": [{name: _value(row.get(name)) for name, _label, _kind in fields} for row in records],
    }


def _copy(kind: str, sections: list[dict]) -> dict:
    return {
        "kind": kind,
        "made_at": _value(timezone.now()),
        "language": get_language() or "en",
        "sections": sections,
    }


def _labels(values: Iterable[str], choices) -> list[str]:
    labels = dict(choices)
    return [str(labels.get(value, value)) for value in values or []]


def _allergens(codes: Iterable[str]) -> list[str]:
    language = get_language() or "en"
    return [allergen_table.BY_CODE[code].name(language) if code in allergen_table.BY_CODE else code for code in codes]


def _ref(prefix: str, pk) -> str:
    """A reference to one of the person's records, so rows of different sections can be matched up."""
    return f"{prefix}{pk}" if pk else ""


def _ids(queryset: QuerySet) -> QuerySet:
    """The primary keys of `queryset` as text, to compare with AuditEntry.object_id in the same query."""
    return queryset.annotate(text_pk=Cast("pk", output_field=CharField())).values("text_pk")


def _about(model, queryset: QuerySet) -> Q:
    return Q(object_type=model._meta.label_lower, object_id__in=_ids(queryset))


def _staff_names(area_id) -> list[str]:
    """The names of the area's coordinators, who write most of the free text a copy holds (one query)."""
    return list(User.objects.filter(coordinator_memberships__area_id=area_id).values_list("full_name", flat=True))


def _role(actor: User | None, *, you: int | None, acting_for: set[int], cooks: set[int]) -> str:
    """Who did something, as the person's copy names them: by role, never by name."""
    if actor is None:
        return _("The service, automatically")
    if actor.pk == you:
        return _("You")
    if actor.is_coordinator or actor.is_staff:
        return _("A coordinator")
    if actor.pk in acting_for:
        return _("Someone acting for you")
    if actor.pk in cooks or actor.is_cook:
        return _("A cook")
    return _("Someone else")


AUDIT_FIELDS = (
    ("when", gettext_lazy("When"), DATETIME),
    ("what", gettext_lazy("What happened"), TEXT),
    ("who", gettext_lazy("Who"), TEXT),
    ("channel", gettext_lazy("How"), TEXT),
)


def _audit_section(where: Q, *, you=None, acting_for=frozenset(), cooks=frozenset()) -> dict:
    """Who looked at or changed the person's records, oldest first (one query). The entries' free-text
    labels, IP addresses and details are left out: they can name other people."""
    entries = AuditEntry.objects.filter(where).select_related("actor").order_by("created_at", "pk")
    rows = []
    for entry in entries:
        if entry.actor is None and entry.action == audit.Action.SIGN_IN_FAILED:
            who = _("Someone trying to sign in with your email address")
        else:
            who = _role(entry.actor, you=you, acting_for=set(acting_for), cooks=set(cooks))
        rows.append(
            {
                "when": entry.created_at,
                "what": audit.label(entry.action),
                "who": who,
                "channel": entry.get_channel_display(),
            }
        )
    return _section(
        "audit",
        gettext_lazy("Who looked at or changed these records"),
        AUDIT_FIELDS,
        rows,
        gettext_lazy("People are named by their role. Internet addresses and notes are left out."),
    )


EMAIL_FIELDS = (
    ("queued_at", gettext_lazy("Written"), DATETIME),
    ("sent_at", gettext_lazy("Sent"), DATETIME),
    ("status", gettext_lazy("Status"), TEXT),
    ("subject", gettext_lazy("Subject"), TEXT),
    ("body", gettext_lazy("Message"), TEXT),
)


def _email_section(user: User, redactor: Redactor) -> dict:
    emails = OutboundEmail.objects.filter(to__iexact=user.email).order_by("created_at", "pk")
    rows = [
        {
            "queued_at": email.created_at,
            "sent_at": email.sent_at,
            "status": email.get_status_display(),
            "subject": redactor.text(email.subject),
            "body": redactor.text(email.body),
        }
        for email in emails
    ]
    return _section(
        "emails",
        gettext_lazy("Emails we sent you"),
        EMAIL_FIELDS,
        rows,
        gettext_lazy(
            "Links and codes are removed: they were for signing in or confirming and must not be kept. "
            "Other people’s names and contact details are removed too."
        ),
    )


def _account_section(user: User) -> dict:
    roles = [
        str(label)
        for label, has in (
            (gettext_lazy("Cook"), user.is_cook),
            (gettext_lazy("Requests meals for someone (referrer)"), user.is_referrer),
            (gettext_lazy("Coordinator"), user.is_coordinator),
        )
        if has
    ]
    row = {
        "full_name": user.full_name,
        "name_reading": user.name_reading,
        "email": user.email,
        "phone": user.phone,
        "language": user.get_preferred_language_display(),
        "roles": roles,
        "area": user.home_area.name if user.home_area_id else "",
        "joined": user.date_joined,
        "active": user.is_active,
    }
    fields = (
        ("full_name", gettext_lazy("Name"), TEXT),
        ("name_reading", gettext_lazy("Reading of your name"), TEXT),
        ("email", gettext_lazy("Email address"), TEXT),
        ("phone", gettext_lazy("Phone number"), TEXT),
        ("language", gettext_lazy("Language for emails"), TEXT),
        ("roles", gettext_lazy("What you do on Casserole"), LIST),
        ("area", gettext_lazy("Area"), TEXT),
        ("joined", gettext_lazy("Account created"), DATETIME),
        ("active", gettext_lazy("Account open"), BOOL),
    )
    return _section(
        "account",
        gettext_lazy("Your account"),
        fields,
        [row],
        gettext_lazy("Your password and two-factor sign-in keys are stored only in a form nobody can read."),
    )


# A cook ------------------------------------------------------------------------------------------------------


def cook_copy(user: User) -> dict:
    """Everything we hold about a cook: their account, profile, identity-check outcomes, course attempts
    and certificates, matches, meals, visit records, their feedback and concerns, the emails we sent them
    and who looked at or changed their records (and, if they also ask for meals for someone, that too)."""
    return _account_copy(user, cook=True, referrer=user.is_referrer)


def referrer_copy(user: User) -> dict:
    """Everything we hold about a referrer: their account, the requests they made, the diners they may act
    for and what they may do, their feedback and concerns, emails, and who looked at or changed them."""
    return _account_copy(user, cook=user.is_cook, referrer=True)


def own_copy(user: User) -> dict:
    """The copy a signed-in person downloads from their account, for whichever roles they have."""
    return _account_copy(user, cook=user.is_cook, referrer=user.is_referrer)


def _account_copy(user: User, *, cook: bool, referrer: bool) -> dict:
    matches = list(Match.objects.filter(cook=user).select_related("diner").order_by("offered_at", "pk")) if cook else []
    referrals, accesses = [], []
    if referrer:
        referrals = list(_referrals_by(user).select_related("diner").order_by("submitted_at", "pk"))
        accesses = list(
            ProxyAccess.objects.filter(referrer=user)
            .select_related("diner", "meal_reminders")
            .order_by("granted_at", "pk")
        )
    meals = []
    if cook:
        meals = list(Meal.objects.filter(cook=user).select_related("match__diner").order_by("starts_at", "pk"))
    diners = [m.diner for m in matches] + [m.match.diner for m in meals] + [r.diner for r in referrals]
    diners += [a.diner for a in accesses]
    others = [
        name
        for diner in diners
        for name in (diner.full_name, diner.preferred_name, diner.name_reading, diner.emergency_name)
    ]
    if referrer:
        # The cooks of the diners they act for are named in the emails we sent them.
        cooks = User.objects.filter(matches__diner__in={diner.pk for diner in diners}).exclude(pk=user.pk)
        others += [name for name in cooks.values_list("full_name", flat=True).distinct()]
    others += _staff_names(user.home_area_id)
    redactor = Redactor(others, keep=[user.full_name, *user.full_name.split()])
    sections = [_account_section(user)]
    where = Q(object_type=User._meta.label_lower, object_id=str(user.pk)) | Q(
        action=audit.Action.SIGN_IN_FAILED, object_id="", actor_label__iexact=user.email
    )
    if cook:
        profile = CookProfile.objects.filter(user=user).first()
        sections += [
            _cook_profile_section(profile),
            _moves_section(profile),
            _identity_section(user),
            *_training_sections(user),
            _cook_matches_section(matches, redactor),
            _cook_meals_section(meals, redactor),
            _cook_visits_section(user, redactor),
        ]
        where |= (
            _about(CookProfile, CookProfile.objects.filter(user=user))
            | _about(IdentityCheck, IdentityCheck.objects.filter(cook=user))
            | _about(Attempt, Attempt.objects.filter(user=user))
            | _about(Certificate, Certificate.objects.filter(user=user))
            | _about(Match, Match.objects.filter(cook=user))
            | _about(Meal, Meal.objects.filter(cook=user))
            | _about(CalendarFeed, CalendarFeed.objects.filter(cook=user))
        )
    if referrer:
        sections += [_referrals_section(referrals, redactor, own=True), _accesses_section(accesses)]
        where |= _about(ProxyAccess, ProxyAccess.objects.filter(referrer=user)) | _about(Referral, _referrals_by(user))
    sections += [_own_feedback_section(user, redactor), _own_concerns_section(user, redactor)]
    if cook:
        sections.append(_calendar_section(user))
    sections += [_email_section(user, redactor), _audit_section(where, you=user.pk)]
    return _copy(COOK if cook else REFERRER, sections)


def _referrals_by(user: User) -> QuerySet:
    return Referral.objects.filter(Q(referrer=user) | Q(created_by=user))


def _cook_profile_section(profile: CookProfile | None) -> dict:
    fields = (
        ("country", gettext_lazy("Country"), TEXT),
        ("address_line1", gettext_lazy("Address line 1"), TEXT),
        ("address_line2", gettext_lazy("Address line 2"), TEXT),
        ("town", gettext_lazy("Town or city"), TEXT),
        ("postcode", gettext_lazy("Postcode"), TEXT),
        ("neighbourhood", gettext_lazy("Neighbourhood"), TEXT),
        ("latitude", gettext_lazy("Latitude"), NUMBER),
        ("longitude", gettext_lazy("Longitude"), NUMBER),
        ("travel", gettext_lazy("How far you will travel"), TEXT),
        ("frequency", gettext_lazy("How often you can cook"), TEXT),
        ("cooking_likes", gettext_lazy("What you like to cook"), TEXT),
        ("note_for_diners", gettext_lazy("A note for diners"), TEXT),
        ("status", gettext_lazy("Status"), TEXT),
        ("status_reason", gettext_lazy("Reason"), TEXT),
        ("completed_at", gettext_lazy("Profile completed"), DATETIME),
    )
    rows = []
    if profile is not None:
        rows.append(
            {
                "country": profile.get_country_display(),
                "address_line1": profile.address_line1,
                "address_line2": profile.address_line2,
                "town": profile.town,
                "postcode": profile.postcode,
                "neighbourhood": profile.neighbourhood,
                "latitude": profile.latitude,
                "longitude": profile.longitude,
                "travel": f"{profile.travel_distance} {profile.get_travel_unit_display()}",
                "frequency": profile.get_frequency_display(),
                "cooking_likes": profile.cooking_likes,
                "note_for_diners": profile.note_for_diners,
                "status": profile.get_status_display(),
                "status_reason": profile.status_reason,
                "completed_at": profile.completed_at,
            }
        )
    return _section("cook_profile", gettext_lazy("Your cook profile"), fields, rows)


def _moves_section(profile: CookProfile | None) -> dict:
    moves = CookMove.objects.filter(profile=profile).order_by("requested_at", "pk") if profile else []
    fields = (
        ("requested_at", gettext_lazy("Asked"), DATETIME),
        ("address", gettext_lazy("New address"), TEXT),
        ("postcode", gettext_lazy("Postcode"), TEXT),
        ("outcome", gettext_lazy("Outcome"), TEXT),
        ("decided_at", gettext_lazy("Decided"), DATETIME),
    )
    rows = [
        {
            "requested_at": move.requested_at,
            "address": ", ".join(part for part in (move.address_line1, move.address_line2, move.town) if part),
            "postcode": move.postcode,
            "outcome": move.get_outcome_display(),
            "decided_at": move.decided_at,
        }
        for move in moves
    ]
    return _section("moves", gettext_lazy("Moves to a new address"), fields, rows)


def _identity_section(user: User) -> dict:
    fields = (
        ("started_at", gettext_lazy("Started"), DATETIME),
        ("method", gettext_lazy("How"), TEXT),
        ("document_type", gettext_lazy("Document"), TEXT),
        ("outcome", gettext_lazy("Outcome"), TEXT),
        ("decided_at", gettext_lazy("Decided"), DATETIME),
        ("reason", gettext_lazy("Reason"), TEXT),
        ("image_deleted_at", gettext_lazy("Photo deleted"), DATETIME),
    )
    rows = [
        {
            "started_at": check.created_at,
            "method": check.get_method_display(),
            "document_type": check.get_document_type_display() if check.document_type else "",
            "outcome": check.get_status_display(),
            "decided_at": check.decided_at,
            "reason": check.reason,
            "image_deleted_at": check.image_deleted_at,
        }
        for check in IdentityCheck.objects.filter(cook=user).order_by("created_at", "pk")
    ]
    return _section(
        "identity_checks",
        gettext_lazy("Identity checks"),
        fields,
        rows,
        gettext_lazy(
            "Only the outcome of each check is kept: photos of documents are deleted once a coordinator decides."
        ),
    )


def _training_sections(user: User) -> list[dict]:
    english = (get_language() or "en") != "ja"
    attempts = Attempt.objects.filter(user=user).select_related("course").order_by("started_at", "pk")
    attempt_fields = (
        ("reference", gettext_lazy("Reference"), TEXT),
        ("course", gettext_lazy("Course"), TEXT),
        ("started_at", gettext_lazy("Started"), DATETIME),
        ("submitted_at", gettext_lazy("Answers sent"), DATETIME),
        ("score", gettext_lazy("Right answers"), NUMBER),
        ("total", gettext_lazy("Questions"), NUMBER),
        ("passed", gettext_lazy("Passed"), BOOL),
    )
    attempt_rows = [
        {
            "reference": _ref("A", attempt.pk),
            "course": attempt.course.title_en if english else attempt.course.title_ja,
            "started_at": attempt.started_at,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "total": attempt.total,
            "passed": attempt.passed,
        }
        for attempt in attempts
    ]
    certificates = Certificate.objects.filter(user=user).select_related("course").order_by("issued_at", "pk")
    certificate_fields = (
        ("attempt", gettext_lazy("From attempt"), TEXT),
        ("course", gettext_lazy("Course"), TEXT),
        ("code", gettext_lazy("Verification code"), TEXT),
        ("issued_at", gettext_lazy("Issued"), DATETIME),
        ("expires_at", gettext_lazy("Expires"), DATETIME),
        ("revoked_at", gettext_lazy("Withdrawn"), DATETIME),
    )
    certificate_rows = [
        {
            "attempt": _ref("A", certificate.attempt_id),
            "course": certificate.course.title_en if english else certificate.course.title_ja,
            "code": certificate.code,
            "issued_at": certificate.issued_at,
            "expires_at": certificate.expires_at,
            "revoked_at": certificate.revoked_at,
        }
        for certificate in certificates
    ]
    return [
        _section("course_attempts", gettext_lazy("Food-safety course attempts"), attempt_fields, attempt_rows),
        _section("certificates", gettext_lazy("Food-safety certificates"), certificate_fields, certificate_rows),
    ]


MATCH_FIELDS = (
    ("reference", gettext_lazy("Reference"), TEXT),
    ("status", gettext_lazy("Status"), TEXT),
    ("offered_at", gettext_lazy("Offered"), DATETIME),
    ("decided_at", gettext_lazy("Decided"), DATETIME),
    ("introduction", gettext_lazy("Introduction"), TEXT),
    ("introduction_at", gettext_lazy("First visit"), DATETIME),
    ("active_since", gettext_lazy("Active since"), DATETIME),
    ("ended_at", gettext_lazy("Ended"), DATETIME),
    ("reason", gettext_lazy("Reason for the last change"), TEXT),
)


def _match_row(match: Match, redactor: Redactor) -> dict:
    return {
        "reference": _ref("M", match.pk),
        "status": match.get_status_display(),
        "offered_at": match.offered_at,
        "decided_at": match.decided_at,
        "introduction": match.get_introduction_method_display() if match.introduction_method else "",
        "introduction_at": match.introduction_at,
        "active_since": match.active_since,
        "ended_at": match.ended_at,
        "reason": redactor.text(match.reason),
        "message": redactor.text(match.message),
    }


def _cook_matches_section(matches: list[Match], redactor: Redactor) -> dict:
    fields = (*MATCH_FIELDS, ("message", gettext_lazy("Your message to the coordinator"), TEXT))
    return _section(
        "matches",
        gettext_lazy("Your matches"),
        fields,
        [_match_row(match, redactor) for match in matches],
        gettext_lazy("The people you cook for are not named here: each match has a reference instead."),
    )


MEAL_FIELDS = (
    ("match", gettext_lazy("Match"), TEXT),
    ("starts_at", gettext_lazy("Starts"), DATETIME),
    ("ends_at", gettext_lazy("Ends"), DATETIME),
    ("dish", gettext_lazy("Dish"), TEXT),
    ("portion", gettext_lazy("Portion size"), TEXT),
    ("allergens", gettext_lazy("Allergens in the dish"), LIST),
    ("status", gettext_lazy("Status"), TEXT),
    ("cancel_reason", gettext_lazy("Why it was cancelled"), TEXT),
    ("cancel_note", gettext_lazy("Note about the cancellation"), TEXT),
)


def _meal_row(meal: Meal, redactor: Redactor) -> dict:
    return {
        "match": _ref("M", meal.match_id),
        "starts_at": meal.starts_at,
        "ends_at": meal.ends_at,
        "dish": meal.dish,
        "portion": meal.get_portion_display(),
        "allergens": _allergens(meal.allergens),
        "status": meal.get_status_display(),
        "cancel_reason": meal.get_cancel_reason_display() if meal.cancel_reason else "",
        "cancel_note": redactor.text(meal.cancel_note),
    }


def _cook_meals_section(meals: list[Meal], redactor: Redactor) -> dict:
    return _section(
        "meals", gettext_lazy("Meals you brought or planned"), MEAL_FIELDS, [_meal_row(m, redactor) for m in meals]
    )


def _cook_visits_section(user: User, redactor: Redactor) -> dict:
    visits = (
        Visit.objects.filter(Q(recorded_by=user) | Q(meal__cook=user))
        .select_related("meal")
        .order_by("recorded_at", "pk")
    )
    fields = (
        ("match", gettext_lazy("Match"), TEXT),
        ("meal_at", gettext_lazy("Meal"), DATETIME),
        ("recorded_at", gettext_lazy("Recorded"), DATETIME),
        ("outcome", gettext_lazy("Outcome"), TEXT),
        ("minutes_stayed", gettext_lazy("Minutes you stayed"), NUMBER),
        ("note", gettext_lazy("Your note"), TEXT),
    )
    rows = [
        {
            "match": _ref("M", visit.match_id),
            "meal_at": visit.meal.starts_at,
            "recorded_at": visit.recorded_at,
            "outcome": visit.get_outcome_display(),
            "minutes_stayed": visit.minutes_stayed,
            "note": redactor.text(visit.note),
        }
        for visit in visits
    ]
    return _section(
        "visits",
        gettext_lazy("Your visit records"),
        fields,
        rows,
        gettext_lazy(
            "How the person you visited seemed is their own health information: it is in their copy, not yours."
        ),
    )


FEEDBACK_FIELDS = (
    ("match", gettext_lazy("Match"), TEXT),
    ("given_at", gettext_lazy("Given"), DATETIME),
    ("occasion", gettext_lazy("Occasion"), TEXT),
    ("channel", gettext_lazy("How"), TEXT),
    ("enjoyed", gettext_lazy("Enjoyed it"), TEXT),
    ("friend", gettext_lazy("Considers them a friend"), TEXT),
    ("less_contact_without", gettext_lazy("Would have less contact with people without it"), TEXT),
    ("wants_different_cook", gettext_lazy("Would like a different cook"), BOOL),
    ("changes", gettext_lazy("Anything to change, or how it is going"), TEXT),
)


def _feedback_row(item: Feedback, redactor: Redactor, **extra) -> dict:
    return {
        "match": _ref("M", item.match_id),
        "given_at": item.given_at,
        "occasion": feedback_rules.occasion_label(item.occasion),
        "channel": item.get_channel_display(),
        "enjoyed": item.get_enjoyed_display() if item.enjoyed else "",
        "friend": item.get_friend_display() if item.friend else "",
        "less_contact_without": item.get_less_contact_without_display() if item.less_contact_without else "",
        "wants_different_cook": item.wants_different_cook,
        "changes": redactor.text(item.changes),
        **extra,
    }


def _own_feedback_section(user: User, redactor: Redactor) -> dict:
    items = Feedback.objects.filter(given_by=user).order_by("given_at", "pk")
    return _section(
        "feedback",
        gettext_lazy("Feedback you gave"),
        FEEDBACK_FIELDS,
        [_feedback_row(item, redactor) for item in items],
    )


CONCERN_FIELDS = (
    ("raised_at", gettext_lazy("Raised"), DATETIME),
    ("level", gettext_lazy("How serious"), TEXT),
    ("channel", gettext_lazy("How"), TEXT),
    ("text", gettext_lazy("What the concern is"), TEXT),
    ("status", gettext_lazy("Status"), TEXT),
    ("acknowledged_at", gettext_lazy("Looked at"), DATETIME),
    ("closed_at", gettext_lazy("Closed"), DATETIME),
)


def _concern_row(concern: Concern, redactor: Redactor, **extra) -> dict:
    return {
        "raised_at": concern.raised_at,
        "level": concern.get_level_display(),
        "channel": concern.get_channel_display(),
        "text": redactor.text(concern.text),
        "status": concern.get_status_display(),
        "acknowledged_at": concern.acknowledged_at,
        "closed_at": concern.closed_at,
        **extra,
    }


def _own_concerns_section(user: User, redactor: Redactor) -> dict:
    concerns = Concern.objects.filter(raised_by=user).order_by("raised_at", "pk")
    return _section(
        "concerns",
        gettext_lazy("Concerns you raised"),
        CONCERN_FIELDS,
        [_concern_row(concern, redactor) for concern in concerns],
        gettext_lazy("The person a concern is about is not named, and the coordinator’s notes on it are theirs."),
    )


def _calendar_section(user: User) -> dict:
    feed = CalendarFeed.objects.filter(cook=user).first()
    fields = (("created_at", gettext_lazy("Calendar address made"), DATETIME),)
    return _section(
        "calendar_feed",
        gettext_lazy("Calendar address"),
        fields,
        [{"created_at": feed.created_at}] if feed else [],
        gettext_lazy("The address itself is left out: anyone who has it can read your meals."),
    )


# A referrer --------------------------------------------------------------------------------------------------


def _referrals_section(referrals: list[Referral], redactor: Redactor, *, own: bool) -> dict:
    fields = (
        ("reference", gettext_lazy("Reference"), TEXT),
        ("submitted_at", gettext_lazy("Sent"), DATETIME),
        ("relationship", gettext_lazy("Relationship"), TEXT),
        ("channel", gettext_lazy("How"), TEXT),
        ("status", gettext_lazy("Status"), TEXT),
        ("decided_at", gettext_lazy("Decided"), DATETIME),
        ("message", gettext_lazy("Coordinator’s message"), TEXT),
    )
    rows = [
        {
            "reference": _ref("R", referral.pk),
            "submitted_at": referral.submitted_at,
            "relationship": referral.get_relationship_display(),
            "channel": referral.get_channel_display(),
            "status": referral.get_status_display(),
            "decided_at": referral.decided_at,
            "message": redactor.text(referral.message),
        }
        for referral in referrals
    ]
    if own:
        heading, note = (
            gettext_lazy("Requests for meals you made"),
            gettext_lazy("The details of the person each request is for are theirs: they are in their own copy."),
        )
    else:
        heading, note = (
            gettext_lazy("Requests for meals for you"),
            gettext_lazy("Who made each request is not named: their relationship to you is shown."),
        )
    return _section("referrals", heading, fields, rows, note)


ACCESS_FIELDS = (
    ("granted_at", gettext_lazy("Allowed from"), DATETIME),
    ("revoked_at", gettext_lazy("Stopped"), DATETIME),
    ("scopes", gettext_lazy("What they may do"), LIST),
)


def _scopes(access: ProxyAccess) -> list[str]:
    names = ("can_view_schedule", "can_confirm_meals", "can_give_feedback", "can_edit_details")
    return [str(ProxyAccess._meta.get_field(name).verbose_name) for name in names if getattr(access, name)]


def _access_row(access: ProxyAccess, **extra) -> dict:
    return {"granted_at": access.granted_at, "revoked_at": access.revoked_at, "scopes": _scopes(access), **extra}


def _accesses_section(accesses: list[ProxyAccess]) -> dict:
    fields = (
        ("reference", gettext_lazy("Reference"), TEXT),
        *ACCESS_FIELDS,
        ("reminders", gettext_lazy("Meal reminders by email"), BOOL),
    )
    rows = [
        _access_row(access, reference=_ref("P", access.pk), reminders=_has_reminders(access)) for access in accesses
    ]
    return _section(
        "acting_for",
        gettext_lazy("People you may act for"),
        fields,
        rows,
        gettext_lazy("The people you act for are not named: each has a reference instead."),
    )


def _has_reminders(access: ProxyAccess) -> bool:
    try:
        return access.meal_reminders is not None
    except MealRemindersConsent.DoesNotExist:
        return False


# A diner -----------------------------------------------------------------------------------------------------


def diner_copy(diner: Diner) -> dict:
    """Everything we hold about a diner (fetched through an access helper, `area` joined): their details
    and agreements, requests, who may act for them, matches, meals, visit records, feedback, concerns
    about them, loneliness answers, texts sent to them and who looked at or changed their record."""
    referrals = list(Referral.objects.filter(diner=diner).select_related("referrer").order_by("submitted_at", "pk"))
    accesses = list(ProxyAccess.objects.filter(diner=diner).select_related("referrer").order_by("granted_at", "pk"))
    matches = list(Match.objects.filter(diner=diner).select_related("cook").order_by("offered_at", "pk"))
    watchers = list(WatchRecipient.objects.filter(diner=diner).order_by("added_at", "pk"))
    concerns = list(
        Concern.objects.filter(diner=diner)
        .select_related("raised_by", "acknowledged_by", "closed_by")
        .order_by("raised_at", "pk")
    )
    acting_for = {r.referrer_id for r in referrals if r.referrer_id} | {a.referrer_id for a in accesses}
    cooks = {match.cook_id for match in matches}
    people = [
        *(r.referrer for r in referrals if r.referrer_id),
        *(a.referrer for a in accesses),
        *(m.cook for m in matches),
        *(person for c in concerns for person in (c.raised_by, c.acknowledged_by, c.closed_by) if person),
    ]
    others = [
        diner.emergency_name,
        *(r.referrer_name for r in referrals),
        *(w.name for w in watchers),
        *(person.full_name for person in people),
        *_staff_names(diner.area_id),
    ]
    redactor = Redactor(
        others, keep=[diner.full_name, diner.preferred_name, diner.name_reading, *diner.full_name.split()]
    )
    roles = {"you": None, "acting_for": acting_for, "cooks": cooks}
    sections = [
        _diner_details_section(diner),
        _diner_agreements_section(diner, watchers),
        _referrals_section(referrals, redactor, own=False),
        _section(
            "acting_for",
            gettext_lazy("People who may act for you"),
            ACCESS_FIELDS,
            [_access_row(access) for access in accesses],
            gettext_lazy("They are not named here: ask your coordinator who they are."),
        ),
        _section(
            "matches",
            gettext_lazy("Your cooks"),
            MATCH_FIELDS,
            [_match_row(match, redactor) for match in matches],
            gettext_lazy("Your cooks are not named here: each match has a reference instead."),
        ),
        _section(
            "meals",
            gettext_lazy("Your meals"),
            MEAL_FIELDS,
            [_meal_row(meal, redactor) for meal in Meal.objects.filter(match__diner=diner).order_by("starts_at", "pk")],
        ),
        _diner_visits_section(diner, redactor),
        _diner_feedback_section(diner, redactor, roles),
        _diner_concerns_section(concerns, redactor, roles),
        _loneliness_section(diner, roles),
        _texts_section(diner, redactor),
    ]
    match_ids = Match.objects.filter(diner=diner)
    where = (
        Q(object_type=Diner._meta.label_lower, object_id=str(diner.pk))
        | _about(Referral, Referral.objects.filter(diner=diner))
        | _about(ProxyAccess, ProxyAccess.objects.filter(diner=diner))
        | _about(Match, match_ids)
        | _about(Meal, Meal.objects.filter(match__diner=diner))
        | _about(MealSeries, MealSeries.objects.filter(match__diner=diner))
        | _about(Visit, Visit.objects.filter(match__diner=diner))
        | _about(Concern, Concern.objects.filter(diner=diner))
        | _about(DoorCase, DoorCase.objects.filter(diner=diner))
    )
    sections.append(_audit_section(where, **roles))
    return _copy(DINER, sections)


def _diner_details_section(diner: Diner) -> dict:
    fields = (
        ("full_name", gettext_lazy("Full name"), TEXT),
        ("name_reading", gettext_lazy("Reading of the name"), TEXT),
        ("preferred_name", gettext_lazy("What you like to be called"), TEXT),
        ("language", gettext_lazy("Language"), TEXT),
        ("country", gettext_lazy("Country"), TEXT),
        ("address_line1", gettext_lazy("Address line 1"), TEXT),
        ("address_line2", gettext_lazy("Address line 2"), TEXT),
        ("town", gettext_lazy("Town or city"), TEXT),
        ("postcode", gettext_lazy("Postcode"), TEXT),
        ("neighbourhood", gettext_lazy("Neighbourhood"), TEXT),
        ("area", gettext_lazy("Area"), TEXT),
        ("phone", gettext_lazy("Phone number"), TEXT),
        ("access_notes", gettext_lazy("How to get in"), TEXT),
        ("door_notes", gettext_lazy("At the door"), TEXT),
        ("dietary_needs", gettext_lazy("Dietary needs"), TEXT),
        ("allergens", gettext_lazy("Allergies"), LIST),
        ("allergy_notes", gettext_lazy("Other allergies"), TEXT),
        ("texture", gettext_lazy("Texture of food"), TEXT),
        ("likes", gettext_lazy("Likes"), TEXT),
        ("dislikes", gettext_lazy("Dislikes"), TEXT),
        ("frequency", gettext_lazy("How often"), TEXT),
        ("days", gettext_lazy("Days that suit"), LIST),
        ("days_unsuitable", gettext_lazy("Days that do not suit"), LIST),
        ("best_time", gettext_lazy("Best time"), TEXT),
        ("portion", gettext_lazy("Portion size"), TEXT),
        ("visit_style", gettext_lazy("Visits"), TEXT),
        ("emergency_contact", gettext_lazy("Emergency contact"), TEXT),
        ("status", gettext_lazy("Status"), TEXT),
        ("status_reason", gettext_lazy("Reason"), TEXT),
        ("created_at", gettext_lazy("Record made"), DATETIME),
    )
    given = diner.emergency_name or diner.emergency_phone
    emergency = (diner.emergency_relationship or _("Given")) if given else ""
    row = {
        "full_name": diner.full_name,
        "name_reading": diner.name_reading,
        "preferred_name": diner.preferred_name,
        "language": diner.get_preferred_language_display(),
        "country": diner.get_country_display(),
        "address_line1": diner.address_line1,
        "address_line2": diner.address_line2,
        "town": diner.town,
        "postcode": diner.postcode,
        "neighbourhood": diner.neighbourhood,
        "area": diner.area.name if diner.area_id else "",
        "phone": diner.phone,
        "access_notes": diner.access_notes,
        "door_notes": diner.door_notes,
        "dietary_needs": diner.dietary_needs,
        "allergens": _allergens(diner.allergens),
        "allergy_notes": diner.allergy_notes,
        "texture": diner.get_texture_display(),
        "likes": diner.likes,
        "dislikes": diner.dislikes,
        "frequency": diner.get_frequency_display(),
        "days": _labels(diner.days, Weekday.choices),
        "days_unsuitable": _labels(diner.days_unsuitable, Weekday.choices),
        "best_time": diner.get_best_time_display(),
        "portion": diner.get_portion_display(),
        "visit_style": diner.get_visit_style_display(),
        "emergency_contact": emergency,
        "status": diner.get_status_display(),
        "status_reason": diner.status_reason,
        "created_at": diner.created_at,
    }
    return _section(
        "details",
        gettext_lazy("Your details"),
        fields,
        [row],
        gettext_lazy(
            "Your emergency contact’s name and phone number are theirs: only their relationship to you is shown."
        ),
    )


def _diner_agreements_section(diner: Diner, watchers: list[WatchRecipient]) -> dict:
    fields = (
        ("what", gettext_lazy("Agreement"), TEXT),
        ("answer", gettext_lazy("Answer"), TEXT),
        ("how", gettext_lazy("How"), TEXT),
        ("when", gettext_lazy("When"), DATETIME),
        ("until", gettext_lazy("Until"), DATETIME),
    )
    yes, no = _("Yes"), _("No")
    rows = [
        {
            "what": _("Casserole keeping your details"),
            "answer": yes,
            "how": diner.get_consent_method_display(),
            "when": diner.consent_given_on,
        },
        {"what": _("What the cook may see"), "answer": ", ".join(_labels(diner.share_with_cook, Diner.Share.choices))},
        {
            "what": _("Concerns told to the person who asked for meals"),
            "answer": yes if diner.concerns_to_referrer else no,
        },
        {
            "what": _("Concerns told to the emergency contact"),
            "answer": yes if diner.concerns_to_emergency_contact else no,
        },
    ]
    measure = MeasureConsent.objects.filter(diner=diner).first()
    if measure is not None:
        rows.append(
            {
                "what": _("The loneliness questions"),
                "answer": yes if measure.given else no,
                "how": measure.get_channel_display(),
                "when": measure.recorded_at,
            }
        )
    for watcher in watchers:
        rows.append(
            {
                "what": _("Reports about your meals sent to: %(relationship)s")
                % {"relationship": watcher.relationship or _("someone you chose")},
                "answer": watcher.get_frequency_display(),
                "how": watcher.get_approved_channel_display(),
                "when": watcher.added_at,
                "until": watcher.stopped_at,
            }
        )
    for withdrawal in ConsentWithdrawal.objects.filter(diner=diner).order_by("withdrawn_at", "pk"):
        rows.append(
            {
                "what": withdrawal.get_purpose_display(),
                "answer": _("Withdrawn"),
                "how": withdrawal.get_channel_display(),
                "when": withdrawal.withdrawn_at,
            }
        )
    return _section(
        "agreements",
        gettext_lazy("What you agreed to"),
        fields,
        rows,
        gettext_lazy("The people who get reports about your meals are not named: their relationship to you is shown."),
    )


def _wellbeing(visit: Visit) -> list[str]:
    labels = dict(Wellbeing.choices)
    lines = []
    for key, label in WELLBEING_ITEMS:
        if key in visit.wellbeing:
            line = f"{label}: {labels.get(visit.wellbeing[key], visit.wellbeing[key])}"
            note = (visit.wellbeing_notes or {}).get(key)
            lines.append(f"{line} ({note})" if note else line)
    return lines


def _diner_visits_section(diner: Diner, redactor: Redactor) -> dict:
    visits = Visit.objects.filter(match__diner=diner).select_related("meal").order_by("recorded_at", "pk")
    fields = (
        ("match", gettext_lazy("Match"), TEXT),
        ("meal_at", gettext_lazy("Meal"), DATETIME),
        ("recorded_at", gettext_lazy("Recorded"), DATETIME),
        ("outcome", gettext_lazy("Outcome"), TEXT),
        ("minutes_stayed", gettext_lazy("Minutes the cook stayed"), NUMBER),
        ("wellbeing", gettext_lazy("How you seemed"), LIST),
        ("note", gettext_lazy("The cook’s note"), TEXT),
    )
    rows = []
    for visit in visits:
        rows.append(
            {
                "match": _ref("M", visit.match_id),
                "meal_at": visit.meal.starts_at,
                "recorded_at": visit.recorded_at,
                "outcome": visit.get_outcome_display(),
                "minutes_stayed": visit.minutes_stayed,
                "wellbeing": [redactor.text(line) for line in _wellbeing(visit)],
                "note": redactor.text(visit.note),
            }
        )
    return _section("visits", gettext_lazy("Visit records"), fields, rows)


def _diner_feedback_section(diner: Diner, redactor: Redactor, roles: dict) -> dict:
    items = (
        Feedback.objects.filter(match__diner=diner, side=Feedback.Side.DINER)
        .select_related("given_by")
        .order_by("given_at", "pk")
    )
    fields = (*FEEDBACK_FIELDS, ("given_by", gettext_lazy("Given by"), TEXT))
    rows = [_feedback_row(item, redactor, given_by=_diner_side_role(item.given_by, roles)) for item in items]
    return _section("feedback", gettext_lazy("Your feedback"), fields, rows)


def _diner_side_role(actor: User | None, roles: dict) -> str:
    """Who gave feedback or raised a concern about the diner: an account since closed is "someone else"."""
    if actor is None:
        return _("Someone else")
    return _role(actor, **roles)


def _diner_concerns_section(concerns: list[Concern], redactor: Redactor, roles: dict) -> dict:
    fields = (
        *CONCERN_FIELDS,
        ("raised_by", gettext_lazy("Raised by"), TEXT),
        ("closing_notes", gettext_lazy("What was done"), TEXT),
    )
    rows = [
        _concern_row(
            concern,
            redactor,
            raised_by=_diner_side_role(concern.raised_by, roles),
            closing_notes=redactor.text(concern.closing_notes),
        )
        for concern in concerns
    ]
    return _section(
        "concerns",
        gettext_lazy("Concerns about you"),
        fields,
        rows,
        gettext_lazy(
            "Who raised each concern is shown by their role. Other people’s names and contact details are "
            "removed from what was written."
        ),
    )


def _loneliness_section(diner: Diner, roles: dict) -> dict:
    language = get_language() or "en"
    measures = LonelinessMeasure.objects.filter(diner=diner).select_related("recorded_by").order_by("taken_on", "pk")
    fields = (
        ("taken_on", gettext_lazy("Asked on"), DATE),
        ("scale", gettext_lazy("Questions"), TEXT),
        ("intake", gettext_lazy("First time"), BOOL),
        ("channel", gettext_lazy("How"), TEXT),
        ("asked_by", gettext_lazy("Asked by"), TEXT),
        ("answers", gettext_lazy("Answers"), LIST),
        ("score", gettext_lazy("Score"), NUMBER),
    )
    rows = []
    for measure in measures:
        scale = SCALES.get(measure.scale)
        answers = []
        given = measure.answers or {}
        # In the order the questions are asked (a JSON object's keys come back in any order: jsonb sorts them).
        order = [question.key for question in scale.questions] if scale else []
        for key in sorted(given, key=lambda key: (order.index(key) if key in order else len(order), key)):
            chosen = given[key]
            question = scale.question(key) if scale else None
            option = question.option(chosen) if question else None
            if question is None or option is None:
                answers.append(f"{key}: {chosen}")
                continue
            own = scale.language == language
            answers.append(f"{question.text if own else question.gloss} – {option.text if own else option.gloss}")
        rows.append(
            {
                "taken_on": measure.taken_on,
                "scale": measure.get_scale_display(),
                "intake": measure.intake,
                "channel": measure.get_channel_display(),
                "asked_by": _role(measure.recorded_by, **roles),
                "answers": answers,
                "score": measure.score,
            }
        )
    return _section("loneliness", gettext_lazy("Your answers to the loneliness questions"), fields, rows)


def _texts_section(diner: Diner, redactor: Redactor) -> dict:
    texts = OutboundText.objects.filter(to=diner.phone or "-").order_by("created_at", "pk")
    fields = (
        ("queued_at", gettext_lazy("Written"), DATETIME),
        ("sent_at", gettext_lazy("Sent"), DATETIME),
        ("status", gettext_lazy("Status"), TEXT),
        ("body", gettext_lazy("Message"), TEXT),
    )
    rows = [
        {
            "queued_at": text.created_at,
            "sent_at": text.sent_at,
            "status": text.get_status_display(),
            "body": redactor.text(text.body),
        }
        for text in texts
    ]
    return _section(
        "texts",
        gettext_lazy("Text messages sent to your phone"),
        fields,
        rows,
        gettext_lazy("We do not email you: messages about your meals go to the people you chose."),
    )


# Recording that a copy was made -------------------------------------------------------------------------------


def record_copy_made(*, by: User, subject: User | Diner, file_format: str, request=None) -> None:
    """Every copy is audited: the person's own download, and a copy someone made for them."""
    if isinstance(subject, User) and subject.pk == by.pk:
        action, area = audit.Action.DATA_COPY_DOWNLOADED, subject.home_area
    else:
        action = audit.Action.DATA_COPY_PRODUCED
        area = subject.area if isinstance(subject, Diner) else subject.home_area
    audit.record(action=action, actor=by, obj=subject, area=area, request=request, detail={"file": file_format})
