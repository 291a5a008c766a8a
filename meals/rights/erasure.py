"""Erasing a person: a cook's or referrer's account (`erase_user`) or the record of a person who receives
meals (`erase_diner`). Called by the retention job (meals.rights.retention_job) once the schedule's period
has run out, and by meals.rights.closing for an erasure request.

What goes: names, contact details, addresses, notes and every free text written about them — on their own
rows, on the rows about them (matches, meals, visits, feedback, concerns, door cases, watch recipients,
emails, texts, audit labels), and wherever the text of an email, a text or an audit entry names them.
What stays: counts, dates, statuses, answers and the links between rows, so the impact figures
(meals.impact.selectors) are the same before and after.

The safeguarding exception (casserole.retention.SAFEGUARDING_EXCEPTION): a concern or door case still open
or being looked at keeps its words; it is counted as held back, and erased by a later run once closed.

Both are idempotent: a second call changes nothing and writes no audit entry, and the counts they return
are the rows this call changed.
"""

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.onboarding import identity_images
from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck
from accounts.people.models import CoordinatorMembership, Invitation, User
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, OutboundText
from casserole.retention import ERASED, ErasureReason, erased_email, is_erased_email
from meals.callbacks.models import CallbackRequest
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match, MatchChangeRequest
from meals.referrals.models import AreaWaitlistEntry, Referral, ReferralDraft
from meals.relationships.models import (
    Concern,
    DoorCase,
    DoorCaseStep,
    Feedback,
    LonelinessMeasure,
    MatchNote,
    Visit,
    WatchRecipient,
)
from meals.schedule.models import CalendarFeed, Meal, MealSeries
from meals.signposting.models import OnwardReferral
from training.models import Attempt, Certificate, LessonProgress

# What a queued email or text says in the admin once it is cancelled because its words named an erased person.
CANCELLED = "Cancelled: it named someone whose details were erased."
# Strings of a code in an audit entry's detail ("delivered", "week-2026-w49"): kept when an entry is
# anonymised. Anything else (a reason, a path, a name) goes.
_CODE = re.compile(r"^[a-z0-9_.:\-]{0,64}$")


@dataclass
class Erasure:
    """What one erasure did: rows changed or deleted, by kind of the schedule (casserole.retention), and
    how many open concerns or door cases it held back."""

    counts: Counter = field(default_factory=Counter)
    held_back: int = 0
    already: bool = False

    @property
    def changed(self) -> int:
        return sum(self.counts.values())

    def add(self, key: str, count: int) -> None:
        if count:
            self.counts[key] += count


# Finding a person's words --------------------------------------------------------------------------------


def identifiers(*values: str | None) -> list[str]:
    """The strings that identify someone, without blanks or placeholders, each once."""
    seen: dict[str, None] = {}
    for value in values:
        value = (value or "").strip()
        if len(value) >= 2 and value != ERASED and value.lower() not in (v.lower() for v in seen):
            seen[value] = None
    return list(seen)


def _patterns(names: Iterable[str]) -> list[re.Pattern]:
    # A name counts where it is not part of a longer word: "Al" is not in "Referral". Japanese has no
    # spaces, so only Latin letters and digits next to it make it part of a word.
    return [re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", re.IGNORECASE) for name in names]


def _mentions(value, patterns: list[re.Pattern]) -> bool:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return isinstance(value, str) and any(pattern.search(value) for pattern in patterns)


def _text_query(fields: Iterable[str], names: list[str], *, json_fields: Iterable[str] = ()) -> Q:
    """Rows whose text (or JSON, stored with or without \\u escapes) contains one of `names`: the database
    narrows, `_mentions` decides."""
    query = Q(pk__in=[])
    for name in names:
        for name_field in fields:
            query |= Q(**{f"{name_field}__icontains": name})
        for json_field in json_fields:
            for written in {name, json.dumps(name)[1:-1]}:
                query |= Q(**{f"{json_field}__icontains": written})
    return query


def codes_only(detail):
    """An audit entry's detail with only numbers, yes/no and codes kept: no free text survives."""
    if isinstance(detail, dict):
        return {key: codes_only(value) for key, value in detail.items() if _keeps(value)}
    if isinstance(detail, list):
        return [codes_only(value) for value in detail if _keeps(value)]
    return detail


def _keeps(value) -> bool:
    if isinstance(value, str):
        return bool(_CODE.match(value))
    return True


# The rows every erasure scrubs ---------------------------------------------------------------------------


def _scrub_messages(erasure: Erasure, *, names: list[str], emails: list[str], phones: list[str]) -> None:
    """Emails and texts to the person, or whose words name them: addresses and words blanked; one still
    queued is cancelled, so nothing naming them goes out."""
    patterns = _patterns(names)
    to_them = Q(pk__in=[])
    for email in emails:
        to_them |= Q(to__iexact=email)
    candidates = OutboundEmail.objects.filter(to_them | _text_query(("to", "subject", "body", "html_body"), names))
    changed = [
        message.pk
        for message in candidates.only("pk", "to", "subject", "body", "html_body")
        if message.to.lower() in {email.lower() for email in emails}
        or any(_mentions(getattr(message, name), patterns) for name in ("to", "subject", "body", "html_body"))
    ]
    OutboundEmail.objects.filter(pk__in=changed, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.FAILED, last_error=CANCELLED
    )
    erasure.add(
        "messages", OutboundEmail.objects.filter(pk__in=changed).update(to="", subject="", body="", html_body="")
    )
    texts = OutboundText.objects.filter(Q(to__in=phones) | _text_query(("body",), names))
    changed = [
        text.pk for text in texts.only("pk", "to", "body") if text.to in phones or _mentions(text.body, patterns)
    ]
    OutboundText.objects.filter(pk__in=changed, status=OutboundText.Status.QUEUED).update(
        status=OutboundText.Status.FAILED, last_error=CANCELLED
    )
    erasure.add("messages", OutboundText.objects.filter(pk__in=changed).update(to="", body=""))


def _scrub_audit(erasure: Erasure, *, names: list[str], objects: dict[str, list], actor: User | None = None) -> None:
    """Audit entries by the person, about their rows, or naming them: labels replaced, IP address and
    free text dropped. The action, object type and id, area and time stay (the impact figures read them)."""
    patterns = _patterns(names)
    about = Q(pk__in=[])
    for label, pks in objects.items():
        if pks:
            about |= Q(object_type=label, object_id__in=[str(pk) for pk in pks])
    by_them = Q(actor=actor) if actor is not None else Q(pk__in=[])
    naming = _text_query(("actor_label", "object_label"), names, json_fields=("detail",))
    about_keys = {(label, str(pk)) for label, pks in objects.items() for pk in pks}
    changed = []
    for entry in AuditEntry.objects.filter(about | by_them | naming).only(
        "pk", "actor_id", "actor_label", "object_type", "object_id", "object_label", "ip", "detail"
    ):
        is_about = (entry.object_type, entry.object_id) in about_keys
        is_by = actor is not None and entry.actor_id == actor.pk
        before = (entry.actor_label, entry.ip, entry.object_label, entry.detail)
        if (is_by or _mentions(entry.actor_label, patterns)) and entry.actor_label:
            entry.actor_label = ERASED
        if is_by:
            entry.ip = None
        if (is_about or _mentions(entry.object_label, patterns)) and entry.object_label:
            entry.object_label = ERASED
        if is_about or _mentions(entry.detail, patterns):
            entry.detail = codes_only(entry.detail)
        if (entry.actor_label, entry.ip, entry.object_label, entry.detail) != before:
            changed.append(entry)
    # One UPDATE per batch, however many entries: a diner with years of meals has thousands.
    AuditEntry.objects.bulk_update(changed, ["actor_label", "ip", "object_label", "detail"], batch_size=500)
    admin_entries = LogEntry.objects.filter(_text_query(("object_repr", "change_message"), names))
    naming_admin = [
        entry.pk
        for entry in admin_entries.only("pk", "object_repr", "change_message")
        if _mentions(entry.object_repr, patterns) or _mentions(entry.change_message, patterns)
    ]
    LogEntry.objects.filter(pk__in=naming_admin).update(object_repr=ERASED, change_message="")
    erasure.add("audit", len(changed) + len(naming_admin))


def _pks(queryset) -> list:
    return list(queryset.values_list("pk", flat=True))


def _record(erasure: Erasure, *, action: audit.Action, by: User | None, obj: models.Model, area, reason: str):
    detail = {
        "reason": reason if reason in ErasureReason.values else "other",
        "counts": dict(sorted(erasure.counts.items())),
        "held_back": erasure.held_back,
    }
    audit.record(action=action, actor=by, obj=obj, area=area, actor_label="" if by else "system", detail=detail)
    if erasure.held_back:
        audit.record(
            action=audit.Action.ERASURE_HELD_BACK,
            actor=by,
            obj=obj,
            area=area,
            actor_label="" if by else "system",
            detail={"held_back": erasure.held_back},
        )


# A person with an account ---------------------------------------------------------------------------------


def erase_user(*, user: User, by: User | None, reason: str, now: datetime | None = None) -> Erasure:
    """Erase a cook's or referrer's account (`by` None: the retention job). The row stays, so what they did
    still counts, but it can never sign in again and its email address is free for a new sign-up. Returns
    what was done; an account already erased is left alone (`already`)."""
    now = now or timezone.now()
    erasure = Erasure()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_erased_email(user.email):
            erasure.already = True
            return erasure
        profile = CookProfile.objects.filter(user=user).first()
        moves = list(CookMove.objects.filter(profile=profile)) if profile else []
        addresses = [profile, *moves] if profile else []
        names = identifiers(
            user.full_name,
            user.name_reading,
            user.email,
            user.phone,
            *(value for place in addresses for value in (place.address_line1, place.address_line2, place.postcode)),
        )
        phones = [user.phone] if user.phone else []
        objects = {
            "accounts.user": [user.pk],
            "accounts.cookprofile": [profile.pk] if profile else [],
            "accounts.cookmove": [move.pk for move in moves],
            "accounts.identitycheck": _pks(IdentityCheck.objects.filter(cook=user)),
            "training.attempt": _pks(Attempt.objects.filter(user=user)),
            "training.certificate": _pks(Certificate.objects.filter(user=user)),
            "training.lessonprogress": _pks(LessonProgress.objects.filter(user=user)),
            "meals.match": _pks(Match.objects.filter(cook=user)),
            "accounts.invitation": _pks(Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user))),
        }

        # How they signed in: gone, so nobody can sign in as them, even with a session open somewhere.
        erasure.add("account", EmailAddress.objects.filter(user=user).delete()[0])
        erasure.add("account", TOTPDevice.objects.filter(user=user).delete()[0])
        erasure.add("account", StaticDevice.objects.filter(user=user).delete()[0])
        erasure.add("account", _delete_sessions(user, now=now))
        erasure.add("account", CalendarFeed.objects.filter(cook=user).delete()[0])
        erasure.add("account", CoordinatorMembership.objects.filter(user=user).delete()[0])
        erasure.add("account", Invitation.objects.filter(pk__in=objects["accounts.invitation"]).delete()[0])
        erasure.add("drafts", ReferralDraft.objects.filter(owner=user).delete()[0])
        user.groups.clear()
        user.user_permissions.clear()

        # Where they live and what they wrote about themselves.
        if profile is not None:
            erasure.add(
                "account",
                CookProfile.objects.filter(pk=profile.pk).update(
                    address_line1="",
                    address_line2="",
                    town="",
                    postcode="",
                    latitude=None,
                    longitude=None,
                    location_source="",
                    neighbourhood="",
                    cooking_likes="",
                    note_for_diners="",
                    status_reason="",
                ),
            )
            erasure.add("account", CookMove.objects.filter(profile=profile).delete()[0])

        # Identity checks keep only their outcome; a photo still stored goes when this commits.
        for name in IdentityCheck.objects.filter(cook=user).exclude(image_name="").values_list("image_name", flat=True):
            transaction.on_commit(lambda name=name: identity_images.delete_private_image(name))
        erasure.add(
            "identity_checks",
            IdentityCheck.objects.filter(cook=user)
            .exclude(reason="", image_name="", stripe_session_id=None)
            .update(
                reason="",
                image_name="",
                image_deleted_at=Coalesce("image_deleted_at", Value(now)),
                stripe_session_id=None,
            ),
        )
        # A certificate of someone erased vouches for nobody: the public check says it is no longer valid.
        erasure.add("training", Certificate.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now))

        # What they wrote on matches, meals and feedback.
        erasure.add(
            "matches_and_meals",
            Match.objects.filter(cook=user).exclude(message="", reason="").update(message="", reason=""),
        )
        erasure.add(
            "matches_and_meals",
            MatchChangeRequest.objects.filter(requested_by=user).exclude(reason="").update(reason=""),
        )
        erasure.add("matches_and_meals", Meal.objects.filter(cook=user).exclude(cancel_note="").update(cancel_note=""))
        erasure.add("feedback", Feedback.objects.filter(given_by=user).exclude(changes="").update(changes=""))

        # Their details left elsewhere: a waiting-list entry, a request to be phoned, watch reports.
        left = Q(contact__iexact=user.email) | (Q(contact__in=phones) if phones else Q(pk__in=[]))
        erasure.add("waitlist", AreaWaitlistEntry.objects.filter(left).delete()[0])
        if phones:
            erasure.add("callbacks", CallbackRequest.objects.filter(phone__in=phones).delete()[0])
        erasure.add(
            "watch_recipients", _erase_watch_recipients(WatchRecipient.objects.filter(email__iexact=user.email), now)
        )

        _scrub_messages(erasure, names=names, emails=[user.email], phones=phones)
        _scrub_audit(erasure, names=names, objects=objects, actor=user)

        # Last, the account itself: unusable password, placeholder email (the real one is free again).
        user.email = erased_email(user.pk)
        user.full_name = ERASED
        user.name_reading = ""
        user.phone = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        if user.closed_at is None:
            user.closed_at = now
        user.save(
            update_fields=[
                "email",
                "full_name",
                "name_reading",
                "phone",
                "is_active",
                "is_staff",
                "is_superuser",
                "password",
                "closed_at",
            ]
        )
        erasure.add("account", 1)
        _record(erasure, action=audit.Action.USER_ERASED, by=by, obj=user, area=user.home_area, reason=reason)
    return erasure


def _delete_sessions(user: User, *, now: datetime) -> int:
    """Their open sessions (the session table is keyed by a random key, so each live one is read)."""
    mine = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    return Session.objects.filter(session_key__in=mine).delete()[0]


def _erase_watch_recipients(recipients, now: datetime) -> int:
    """Stopped, and their name, email address and relationship gone; what was sent stays counted."""
    return recipients.exclude(name="", email="").update(
        name="", email="", relationship="", stopped_at=Coalesce("stopped_at", Value(now))
    )


# A person who receives meals -----------------------------------------------------------------------------

DINER_ERASED_FIELDS = {
    "full_name": ERASED,
    "preferred_name": ERASED,
    "name_reading": "",
    "address_line1": "",
    "address_line2": "",
    "town": "",
    "postcode": "",
    "latitude": None,
    "longitude": None,
    "location_source": "",
    "neighbourhood": "",
    "phone": "",
    "access_notes": "",
    "dietary_needs": "",
    "allergens": [],
    "allergy_notes": "",
    "texture": Diner.Texture.NORMAL,
    "likes": "",
    "dislikes": "",
    "door_notes": "",
    "emergency_name": "",
    "emergency_phone": "",
    "emergency_relationship": "",
    "status_reason": "",
}

OPEN_CONCERN = (Concern.Status.OPEN, Concern.Status.ACKNOWLEDGED)


def is_erased(diner: Diner) -> bool:
    return diner.full_name == ERASED


def erase_diner(*, diner: Diner, by: User | None, reason: str, now: datetime | None = None) -> Erasure:
    """Erase the record of a person who receives meals (`by` None: the retention job), and every word
    written about them, except in a concern or door case still open (held back). Counts, dates, statuses,
    answers and match links stay. Calling it again erases what was held back and has since closed."""
    now = now or timezone.now()
    erasure = Erasure()
    with transaction.atomic():
        diner = Diner.objects.select_for_update().get(pk=diner.pk)
        first_time = not is_erased(diner)
        recipients = WatchRecipient.objects.filter(diner=diner)
        watchers = list(recipients.values_list("name", "email"))
        names = identifiers(
            diner.full_name,
            diner.preferred_name,
            diner.name_reading,
            diner.phone,
            diner.address_line1,
            diner.address_line2,
            diner.postcode,
            diner.emergency_name,
            diner.emergency_phone,
            *(value for watcher in watchers for value in watcher),
        )
        phones = [phone for phone in (diner.phone, diner.emergency_phone) if phone]
        matches = Match.objects.filter(diner=diner)
        meals = Meal.objects.filter(match__diner=diner)
        visits = Visit.objects.filter(match__diner=diner)
        concerns = Concern.objects.filter(diner=diner)
        cases = DoorCase.objects.filter(diner=diner)
        objects = {
            "meals.diner": [diner.pk],
            "meals.referral": _pks(Referral.objects.filter(diner=diner)),
            "meals.onwardreferral": _pks(OnwardReferral.objects.filter(diner=diner)),
            "meals.proxyaccess": _pks(ProxyAccess.objects.filter(diner=diner)),
            "meals.match": _pks(matches),
            "meals.meal": _pks(meals),
            "meals.mealseries": _pks(MealSeries.objects.filter(match__diner=diner)),
            "meals.visit": _pks(visits),
            "meals.concern": _pks(concerns),
            "meals.doorcase": _pks(cases),
            "meals.watchrecipient": _pks(recipients),
            "meals.feedback": _pks(Feedback.objects.filter(match__diner=diner)),
            "meals.lonelinessmeasure": _pks(LonelinessMeasure.objects.filter(diner=diner)),
            "meals.matchnote": _pks(MatchNote.objects.filter(match__diner=diner)),
        }

        # Safeguarding first: what is still open keeps its words.
        open_concerns = concerns.filter(status__in=OPEN_CONCERN)
        open_cases = cases.filter(closed_at__isnull=True)
        erasure.held_back = open_concerns.count() + open_cases.count()
        erasure.add(
            "concerns",
            concerns.exclude(status__in=OPEN_CONCERN)
            .exclude(text="", closing_notes="")
            .update(text="", closing_notes=""),
        )
        erasure.add("concerns", cases.filter(closed_at__isnull=False).exclude(outcome_note="").update(outcome_note=""))
        erasure.add(
            "concerns",
            DoorCaseStep.objects.filter(case__diner=diner, case__closed_at__isnull=False)
            .exclude(note="")
            .update(note=""),
        )

        if first_time:
            erasure.add("diner", Diner.objects.filter(pk=diner.pk).update(**DINER_ERASED_FIELDS))
        erasure.add(
            "referrals",
            Referral.objects.filter(diner=diner)
            .exclude(referrer_name="", referrer_phone="", message="")
            .update(referrer_name="", referrer_phone="", message=""),
        )
        patterns = _patterns(names)
        drafts = [
            draft.pk
            for draft in ReferralDraft.objects.filter(
                Q(referral__diner=diner) | _text_query((), names, json_fields=("data",))
            ).only("pk", "referral_id", "data")
            if draft.referral_id in objects["meals.referral"] or _mentions(draft.data, patterns)
        ]
        erasure.add("referrals", ReferralDraft.objects.filter(pk__in=drafts).delete()[0])
        erasure.add("referrals", OnwardReferral.objects.filter(diner=diner).exclude(note="").update(note=""))
        erasure.add("proxies", ProxyAccess.objects.filter(diner=diner).delete()[0])
        erasure.add("matches_and_meals", matches.exclude(message="", reason="").update(message="", reason=""))
        erasure.add(
            "matches_and_meals",
            MatchChangeRequest.objects.filter(match__diner=diner).exclude(reason="").update(reason=""),
        )
        erasure.add("matches_and_meals", meals.exclude(cancel_note="").update(cancel_note=""))
        erasure.add("visit_notes", visits.exclude(note="", wellbeing_notes={}).update(note="", wellbeing_notes={}))
        erasure.add("feedback", Feedback.objects.filter(match__diner=diner).exclude(changes="").update(changes=""))
        erasure.add("match_notes", MatchNote.objects.filter(match__diner=diner).delete()[0])
        erasure.add("loneliness", LonelinessMeasure.objects.filter(diner=diner).exclude(answers={}).update(answers={}))
        erasure.add("watch_recipients", _erase_watch_recipients(recipients, now))
        if names:
            texts = ("name", "diner_name", "address", "note", "best_time_note")
            callbacks = [
                callback.pk
                for callback in CallbackRequest.objects.filter(Q(phone__in=phones) | _text_query(texts, names))
                if callback.phone in phones or any(_mentions(getattr(callback, text), patterns) for text in texts)
            ]
            erasure.add("callbacks", CallbackRequest.objects.filter(pk__in=callbacks).delete()[0])
            _scrub_messages(erasure, names=names, emails=[email for _name, email in watchers if email], phones=phones)
        _scrub_audit(erasure, names=names, objects=objects)

        if first_time or erasure.changed:
            diner.refresh_from_db()
            _record(erasure, action=audit.Action.DINER_ERASED, by=by, obj=diner, area=diner.area, reason=reason)
    return erasure
