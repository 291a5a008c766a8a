"""No answer at the door: a door case, escalated step by step, every step recorded with its time.

When a cook records "no answer at the door", open_door_case (in record_visit's transaction) writes the
case and its first steps: opened; the emergency contact sent a text, only where the diner agreed
(Diner.concerns_to_emergency_contact) and a number exists, or why they were not; the area's
coordinators emailed. A case nobody acknowledged within DOOR_CASE_RERAISE_MINUTES is raised again to
every coordinator of the area, once (reraise_door_cases, a periodic job). A coordinator says "I'm dealing
with it", adds notes, and closes the case with what had happened.

The text to the emergency contact says only that nobody answered, when, and whom to call: never a
health detail. Emails to coordinators link to the case page, which only the area's coordinators see.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people.access import areas_for_coordinator
from accounts.people.models import User
from accounts.people.notices import notify_coordinators
from casserole import audit, names
from casserole.phones import normalise_phone
from casserole.templatetags.casserole_tags import time_of_day
from casserole.texts import queue_text
from meals.relationships.errors import RelationshipError
from meals.relationships.models import DoorCase, DoorCaseStep, Visit

Kind = DoorCaseStep.Kind

# Why the emergency contact was not told, stored as a key in the step's note so each reader sees it in
# their own language (NOT_TOLD_REASONS), and the consent or number can change later without rewriting it.
NO_CONSENT, NO_NUMBER = "no_consent", "no_number"
NOT_TOLD_REASONS = {
    NO_CONSENT: gettext_lazy("The diner has not agreed that their emergency contact is told."),
    NO_NUMBER: gettext_lazy("There is no phone number for the emergency contact."),
}
NOTE_MAX_LENGTH = 2000  # DoorCaseStep.note, DoorCase.outcome_note
EMERGENCY_NUMBERS = {"JP": "119"}  # an ambulance; everywhere else we work (the UK): 999
CASE_RELATED = (
    "diner",
    "diner__area",
    "visit",
    "visit__meal",
    "visit__meal__cook",
    "visit__match",
    "acknowledged_by",
    "closed_by",
)


def emergency_number(area) -> str:
    """The number to call for an ambulance where the diner lives: 119 in Japan, 999 in the UK."""
    return EMERGENCY_NUMBERS.get(area.country if area is not None else "", "999")


def _zone(case: DoorCase) -> str:
    area = case.diner.area
    return area.time_zone if area is not None else settings.TIME_ZONE


def _step(case: DoorCase, kind: str, *, at: datetime, by: User | None = None, note: str = "", text=None):
    return DoorCaseStep.objects.create(case=case, kind=kind, at=at, by=by, note=note, text=text)


# Access and reads --------------------------------------------------------------------------------------


def get_door_case_for_coordinator(user: User, pk: int) -> DoorCase:
    """A door case about a diner in one of the coordinator's areas, or 404 as if it did not exist."""
    case = (
        DoorCase.objects.select_related(*CASE_RELATED)
        .filter(pk=pk, diner__area__in=areas_for_coordinator(user))
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_steps(case: DoorCase) -> list[DoorCaseStep]:
    """The case's steps in order, with who took each and the text it sent: one query."""
    return list(case.steps.select_related("by", "text").order_by("at", "pk"))


def not_told_reason(step: DoorCaseStep) -> str:
    return str(NOT_TOLD_REASONS.get(step.note, step.note))


def open_door_cases(areas) -> list[DoorCase]:
    """Open cases about diners in these areas, oldest first, for the coordinator's home: one query."""
    return list(
        DoorCase.objects.filter(closed_at__isnull=True, diner__area__in=areas)
        .select_related("diner", "diner__area", "acknowledged_by")
        .order_by("opened_at", "pk")
    )


# Opening a case ----------------------------------------------------------------------------------------


def _text_body(case: DoorCase, *, at: datetime) -> str:
    """The text to the emergency contact, in the diner's language: who, when, that a coordinator is
    looking into it, and the club's number. Nothing about the diner's health."""
    diner, area = case.diner, case.diner.area
    language = diner.preferred_language
    with translation.override(language), timezone.override(_zone(case)):
        return _(
            "%(club)s: %(name)s’s cook found no answer at the door at %(time)s. A coordinator is looking into "
            "it. If you know where they are, call %(phone)s."
        ) % {
            "club": _("Casserole %(area)s") % {"area": area.display_name(language)} if area else _("Casserole"),
            "name": diner.addressed,
            "time": time_of_day(at),
            "phone": area.help_phone if area else "",
        }


def _tell_emergency_contact(case: DoorCase, *, at: datetime) -> DoorCaseStep:
    diner = case.diner
    if not diner.concerns_to_emergency_contact:
        return _step(case, Kind.EMERGENCY_CONTACT_NOT_TOLD, at=at, note=NO_CONSENT)
    number = diner.emergency_phone and normalise_phone(diner.emergency_phone, country=diner.country)
    if not number:
        return _step(case, Kind.EMERGENCY_CONTACT_NOT_TOLD, at=at, note=NO_NUMBER)
    text = queue_text(to=number, body=_text_body(case, at=at))
    return _step(case, Kind.EMERGENCY_CONTACT_TOLD, at=at, text=text)


def _email_coordinators(case: DoorCase, *, template: str, at: datetime, emergency_told: bool = False) -> list[User]:
    visit = case.visit
    with timezone.override(_zone(case)):
        return notify_coordinators(
            area_ids=[case.diner.area_id],
            template=template,
            url_name="meals:coordinator_door_case",
            url_kwargs={"pk": case.pk},
            context={
                "diner_name": case.diner.addressed_in_full,
                "cook_name": visit.meal.cook.full_name,
                "at": visit.recorded_at,
                "opened_at": case.opened_at,
                "now": at,
                "emergency_told": emergency_told,
                "minutes": settings.DOOR_CASE_RERAISE_MINUTES,
            },
        )


def open_door_case(*, visit: Visit, request=None, now: datetime | None = None) -> DoorCase:
    """Start the escalation for a visit with no answer at the door (called by record_visit, in its
    transaction): the case, then each step with its time — opened, the emergency contact texted or
    why not, the coordinators emailed."""
    now = now or timezone.now()
    meal = visit.meal
    diner = meal.match.diner
    case = DoorCase.objects.create(visit=visit, diner=diner, opened_at=now)
    _step(case, Kind.OPENED, at=now, by=visit.recorded_by)
    told = _tell_emergency_contact(case, at=now).kind == Kind.EMERGENCY_CONTACT_TOLD
    _email_coordinators(case, template="meals/relationships/email/door_opened", at=now, emergency_told=told)
    _step(case, Kind.COORDINATORS_TOLD, at=now)
    audit.record(
        action=audit.Action.DOOR_CASE_OPENED, actor=visit.recorded_by, obj=case, area=diner.area, request=request
    )
    return case


def reraise_door_cases(*, now: datetime | None = None) -> int:
    """Raise again, to every coordinator of the area, each case still open and not acknowledged
    DOOR_CASE_RERAISE_MINUTES after it opened: once per case (reraised_at, set under a row lock, so
    running this twice, or two at once, raises nothing twice). Returns how many were raised."""
    now = now or timezone.now()
    due = now - timedelta(minutes=settings.DOOR_CASE_RERAISE_MINUTES)
    waiting = DoorCase.objects.filter(
        acknowledged_at__isnull=True, closed_at__isnull=True, reraised_at__isnull=True, opened_at__lte=due
    )
    raised = 0
    for pk in waiting.order_by("opened_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            case = (
                DoorCase.objects.select_for_update(of=("self",))
                .select_related("diner", "diner__area", "visit", "visit__meal", "visit__meal__cook")
                .filter(pk=pk, acknowledged_at__isnull=True, closed_at__isnull=True, reraised_at__isnull=True)
                .first()
            )
            if case is None:
                continue  # acknowledged, closed or raised again since the list was read
            case.reraised_at = now
            case.save(update_fields=["reraised_at"])
            _email_coordinators(case, template="meals/relationships/email/door_reraised", at=now)
            _step(case, Kind.RERAISED, at=now)
            audit.record(
                action=audit.Action.DOOR_CASE_RERAISED,
                actor_label="relationship_jobs",
                obj=case,
                area=case.diner.area,
                detail={"minutes": settings.DOOR_CASE_RERAISE_MINUTES},
            )
            raised += 1
    return raised


# What a coordinator does -------------------------------------------------------------------------------


def _lock(case: DoorCase) -> DoorCase:
    return DoorCase.objects.select_for_update(of=("self",)).select_related("diner", "diner__area").get(pk=case.pk)


def acknowledge_door_case(*, by: User, case: DoorCase, request=None, now: datetime | None = None) -> DoorCase:
    """A coordinator says they are dealing with it: the case is not raised again."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        if not case.is_open:
            raise RelationshipError(_("This case is closed."))
        if case.acknowledged_at is not None:
            name = names.addressed(case.acknowledged_by.full_name) if case.acknowledged_by else _("Another coordinator")
            raise RelationshipError(_("%(name)s is already dealing with it.") % {"name": name})
        case.acknowledged_by, case.acknowledged_at = by, now
        case.save(update_fields=["acknowledged_by", "acknowledged_at"])
        _step(case, Kind.ACKNOWLEDGED, at=now, by=by)
        audit.record(
            action=audit.Action.DOOR_CASE_ACKNOWLEDGED, actor=by, obj=case, area=case.diner.area, request=request
        )
    return case


def add_door_case_note(*, by: User, case: DoorCase, note: str, request=None, now: datetime | None = None):
    """A coordinator's note on the case (a phone call made, someone sent round), with its time."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise RelationshipError(_("Write the note."))
    with transaction.atomic():
        case = _lock(case)
        step = _step(case, Kind.NOTE, at=now, by=by, note=note[:NOTE_MAX_LENGTH])
        audit.record(
            action=audit.Action.DOOR_CASE_NOTE_ADDED, actor=by, obj=case, area=case.diner.area, request=request
        )
        return step


def close_door_case(
    *, by: User, case: DoorCase, outcome: str, note: str, request=None, now: datetime | None = None
) -> DoorCase:
    """Close the case with what had happened (an outcome and a note): it leaves the coordinators' home."""
    now = now or timezone.now()
    note = (note or "").strip()
    if outcome not in DoorCase.Outcome.values:
        raise RelationshipError(_("Say what had happened."))
    if not note:
        raise RelationshipError(_("Write what happened and what was done."))
    with transaction.atomic():
        case = _lock(case)
        if not case.is_open:
            raise RelationshipError(_("This case is already closed."))
        case.closed_by, case.closed_at = by, now
        case.outcome, case.outcome_note = outcome, note[:NOTE_MAX_LENGTH]
        case.save(update_fields=["closed_by", "closed_at", "outcome", "outcome_note"])
        _step(case, Kind.CLOSED, at=now, by=by, note=case.outcome_note)
        audit.record(
            action=audit.Action.DOOR_CASE_CLOSED,
            actor=by,
            obj=case,
            area=case.diner.area,
            request=request,
            detail={"outcome": outcome},
        )
    return case
