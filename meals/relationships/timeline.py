"""Each match's timeline: everything that happened between a cook and a diner, newest first and paginated,
under a summary (meals shared, weeks together, the current run of weeks with a visit, time together,
the latest friendship answer, the loneliness change since intake) — and coordinators' notes.

Who sees what is decided here, as querysets, before anything is read (`sources`):
- the area's coordinators: everything — wellbeing answers, reasons, concern and note texts (audited);
- the cook: the match's milestones and meals, the visits they made, their own feedback and requests, and
  the concerns they raised (level and status only); no notes, no wellbeing answers, no loneliness;
- someone acting for the diner (with the schedule scope): the milestones, meals and visits (delivered or
  not, time stayed; no wellbeing answers), the diner's side's feedback, their own requests and the
  concerns they raised; no notes, no loneliness.
Sensitive columns a persona may not see are not even loaded (`defer`).

The page is a fixed number of queries however long the history (`timeline_page`): one UNION of
(kind, id, time) over every source, ordered by time, counted and sliced to the page; then one query per
kind for the rows of the page (the rows of that kind dated within the page's first and last times);
then the summary's few.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import CharField, F, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts.people.access import can_manage_area
from accounts.people.models import User
from casserole import audit
from casserole.models import AuditEntry
from meals.diners.access import get_proxy_for_referrer
from meals.diners.models import ProxyAccess
from meals.matching.access import get_match_for_proxy
from meals.matching.models import Match, MatchChangeRequest
from meals.relationships.errors import RelationshipError
from meals.relationships.loneliness import LonelinessChange, change_since_intake
from meals.relationships.models import (
    WELLBEING_ITEMS,
    Concern,
    DoorCase,
    Feedback,
    MatchNote,
    Visit,
    Wellbeing,
)
from meals.schedule.models import Meal
from meals.signposting.models import OnwardReferral

PER_PAGE = 25
NOTE_MAX_LENGTH = 2000  # MatchNote.text

COORDINATOR, COOK, PROXY = "coordinator", "cook", "proxy"

# The kinds of event. The first five are the match's own milestones, read from its row.
OFFERED, DECIDED, INTRODUCTION, ACTIVE, ENDED = "offered", "decided", "introduction", "active", "ended"
STATUS, REQUEST, MEAL, FEEDBACK, CONCERN, DOOR, NOTE = (
    "status",
    "request",
    "meal",
    "feedback",
    "concern",
    "door",
    "note",
)
REFERRAL = "referral"  # onward referrals to other support (meals.signposting): coordinators only
MILESTONES = {
    OFFERED: "offered_at",
    DECIDED: "decided_at",
    INTRODUCTION: "introduction_at",
    ACTIVE: "active_since",
    ENDED: "ended_at",
}
# Pauses and resumptions live only in the audit log; the match's row keeps the rest (ended_at included).
STATUS_ACTIONS = (audit.Action.MATCH_PAUSED, audit.Action.MATCH_RESUMED)


# Access ----------------------------------------------------------------------------------------------------


def get_match_for_proxy_timeline(user: User, diner_pk: int, pk: int) -> tuple[Match, ProxyAccess]:
    """A match of a diner the user acts for (any live access, else 404) and their access, which must
    include seeing the schedule (else 403)."""
    match = get_match_for_proxy(user, diner_pk, pk)
    access = get_proxy_for_referrer(user, diner_pk, "can_view_schedule")
    return match, access


# The note service ------------------------------------------------------------------------------------------


@transaction.atomic
def write_match_note(*, by: User, match: Match, text: str, request=None) -> MatchNote:
    """A coordinator of the diner's area writes a note on the match's timeline (only coordinators read
    notes). The audit entry says a note was written, never what it says."""
    area = match.diner.area
    if area is None or not can_manage_area(by, area):
        raise RelationshipError(_("You can only write notes on matches in your own areas."))
    text = (text or "").strip()
    if not text:
        raise RelationshipError(_("Write the note"))
    if len(text) > NOTE_MAX_LENGTH:
        raise RelationshipError(_("The note must be %(limit)d characters or fewer") % {"limit": NOTE_MAX_LENGTH})
    note = MatchNote.objects.create(match=match, text=text, written_by=by)
    audit.record(action=audit.Action.MATCH_NOTE_WRITTEN, actor=by, obj=match, area=area, request=request)
    return note


def record_timeline_viewed(*, by: User, match: Match, request=None) -> None:
    """A coordinator looked at the timeline (wellbeing answers, concern texts, notes): audited."""
    audit.record(action=audit.Action.TIMELINE_VIEWED, actor=by, obj=match, area=match.diner.area, request=request)


# The sources of events -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    kind: str
    rows: QuerySet  # what this persona may see of this kind, for this match
    at: str  # the field that dates the event
    related: tuple[str, ...] = ()
    deferred: tuple[str, ...] = ()


def sources(match: Match, persona: str, user: User, *, now: datetime) -> list[Source]:
    """Every kind of event this persona may see on this match's timeline, as querysets (nothing is read).
    The rules of what each sees are here and nowhere else."""
    milestones = [
        Source(kind, Match.objects.filter(pk=match.pk, **{f"{at}__isnull": False}), at)
        for kind, at in MILESTONES.items()
    ]
    statuses = AuditEntry.objects.filter(
        object_type=Match._meta.label_lower, object_id=str(match.pk), action__in=STATUS_ACTIONS
    )
    requests = MatchChangeRequest.objects.filter(match=match)
    # A timeline is what happened: meals to come are on the schedule.
    meals = Meal.objects.filter(match=match, starts_at__lte=now)
    feedback = Feedback.objects.filter(match=match)
    # A concern raised about the diner without naming a match (by a referrer, say) belongs to each of theirs.
    concerns = Concern.objects.filter(Q(match=match) | Q(match__isnull=True, diner_id=match.diner_id))
    meal_related = ("cook", "covered_for", "visit")
    if persona == COORDINATOR:
        return [
            *milestones,
            Source(STATUS, statuses, "created_at", ("actor",)),
            Source(REQUEST, requests, "created_at", ("requested_by", "resolved_by")),
            Source(MEAL, meals, "starts_at", (*meal_related, "visit__recorded_by")),
            Source(FEEDBACK, feedback, "given_at", ("given_by",)),
            Source(CONCERN, concerns, "raised_at", ("raised_by", "acknowledged_by", "closed_by")),
            Source(DOOR, DoorCase.objects.filter(visit__match=match), "opened_at", ("closed_by", "acknowledged_by")),
            Source(NOTE, MatchNote.objects.filter(match=match), "written_at", ("written_by",)),
            # Recorded with no match (two cooks at the time): on each of the diner's timelines.
            Source(
                REFERRAL,
                OnwardReferral.objects.filter(Q(match=match) | Q(match__isnull=True, diner_id=match.diner_id)),
                "made_at",
                ("service", "made_by", "outcome_by"),
            ),
        ]
    private_visit = ("visit__wellbeing", "visit__wellbeing_notes", "visit__note")
    side = Feedback.Side.COOK if persona == COOK else Feedback.Side.DINER
    return [
        *milestones,
        Source(STATUS, statuses, "created_at", deferred=("detail", "ip", "actor_label")),
        Source(REQUEST, requests.filter(requested_by=user), "created_at"),
        Source(MEAL, meals, "starts_at", meal_related, private_visit),
        Source(FEEDBACK, feedback.filter(side=side), "given_at"),
        Source(CONCERN, concerns.filter(raised_by=user), "raised_at", deferred=("text", "closing_notes")),
    ]


def _events_query(all_sources: list[Source]) -> QuerySet:
    """One UNION ALL of (id, kind, time) over the sources, newest first."""
    parts = [
        source.rows.order_by()
        .annotate(event_kind=Value(source.kind, output_field=CharField()), event_at=F(source.at))
        .values_list("pk", "event_kind", "event_at")
        for source in all_sources
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-event_at", "event_kind", "-pk")


# The page --------------------------------------------------------------------------------------------------


@dataclass
class Event:
    kind: str
    at: datetime
    obj: Any  # the row: the Match for a milestone, else the event's own
    visit: Visit | None = None  # a meal's visit, when this persona may see it
    wellbeing: list = field(default_factory=list)  # (item, answer label, note): coordinators only
    awaiting_visit: bool = False  # a meal going ahead whose visit is not recorded yet


def _visit_of(meal: Meal) -> Visit | None:
    try:
        return meal.visit
    except Visit.DoesNotExist:
        return None


def _wellbeing(visit: Visit) -> list[tuple[str, str, str]]:
    """The wellbeing check in the order the cook asked it, answered items only."""
    rows = []
    for key, label in WELLBEING_ITEMS:
        answer = (visit.wellbeing or {}).get(key)
        if answer in Wellbeing.values:
            rows.append((str(label), Wellbeing(answer).label, (visit.wellbeing_notes or {}).get(key, "")))
    return rows


def _event(kind: str, at: datetime, obj, persona: str, user: User) -> Event:
    event = Event(kind, at, obj)
    if kind == MEAL:
        visit = _visit_of(obj)
        # The cook sees the visits they made, not a cover cook's; the diner's side sees every one.
        if persona == COOK and obj.cook_id != user.pk:
            return event
        if visit is not None:
            event.visit = visit
            if persona == COORDINATOR:
                event.wellbeing = _wellbeing(visit)
        else:
            event.awaiting_visit = obj.is_happening
    return event


def _page_events(match: Match, page: Page, all_sources: list[Source], persona: str, user: User) -> list[Event]:
    """The page's events with their rows: one query per kind that is not a milestone, whether or not the
    page holds one of that kind (so the count never depends on the history)."""
    keys = [(kind, pk, at) for pk, kind, at in page.object_list]
    if keys:
        earliest, latest = min(at for _kind, _pk, at in keys), max(at for _kind, _pk, at in keys)
    else:  # nothing at all: the same queries, finding nothing
        earliest = latest = timezone.now()
    rows: dict[tuple[str, int], Any] = {}
    for source in all_sources:
        if source.kind in MILESTONES:
            rows[(source.kind, match.pk)] = match
            continue
        found = source.rows.filter(**{f"{source.at}__gte": earliest, f"{source.at}__lte": latest}).order_by()
        if source.related:
            found = found.select_related(*source.related)
        if source.deferred:
            found = found.defer(*source.deferred)
        rows.update(((source.kind, row.pk), row) for row in found)
    return [_event(kind, at, rows[(kind, pk)], persona, user) for kind, pk, at in keys if (kind, pk) in rows]


# The summary -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    meals_shared: int  # delivered visits
    weeks_together: int | None  # since the match became active (None: not yet)
    weeks_in_a_row: int  # the current run of weeks with a delivered visit
    minutes_together: int
    latest_friend: Feedback | None  # the diner's latest answer to "is your cook a friend?"
    loneliness: LonelinessChange | None  # coordinators only

    @property
    def time_together(self) -> str:
        return duration(self.minutes_together)


def duration(minutes: int) -> str:
    """Minutes as people say them: "3 hours 20 minutes" / "3時間20分"."""
    hours, rest = divmod(minutes or 0, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return ("" if (get_language() or "en").startswith("ja") else " ").join(parts)


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_in_a_row(visit_days: list[date], *, today: date) -> int:
    """How many weeks (Monday to Sunday) in a row, up to this one, had a delivered visit. A week that has
    not had its meal yet does not break the run: it counts from last week then."""
    weeks = {_week_of(day) for day in visit_days}
    week = _week_of(today)
    if week not in weeks:
        week -= timedelta(days=7)
    run = 0
    while week in weeks:
        run += 1
        week -= timedelta(days=7)
    return run


def summary(match: Match, persona: str, *, zone: str, now: datetime) -> Summary:
    """The top of the timeline: one query for the delivered visits (count, time, weeks), one for the
    latest friendship answer (not for the cook: it is the diner's to give), one for the loneliness
    change (coordinators only)."""
    tz = ZoneInfo(zone)
    delivered = list(
        Visit.objects.filter(match=match, outcome=Visit.Outcome.DELIVERED)
        .order_by()
        .values_list("meal__starts_at", "minutes_stayed")
    )
    days = [timezone.localtime(starts_at, tz).date() for starts_at, _minutes in delivered]
    weeks_together = None
    if match.active_since is not None:
        weeks_together = max(((match.ended_at or now) - match.active_since).days // 7, 0)
    latest_friend = None
    if persona != COOK:
        latest_friend = (
            Feedback.objects.filter(match=match, side=Feedback.Side.DINER)
            .exclude(friend="")
            .only("pk", "friend", "given_at")
            .order_by("-given_at", "-pk")
            .first()
        )
    return Summary(
        meals_shared=len(delivered),
        weeks_together=weeks_together,
        weeks_in_a_row=weeks_in_a_row(days, today=timezone.localtime(now, tz).date()),
        minutes_together=sum(minutes or 0 for _starts_at, minutes in delivered),
        latest_friend=latest_friend,
        loneliness=change_since_intake(match.diner) if persona == COORDINATOR else None,
    )


def timeline_page(match: Match, persona: str, user: User, *, page_number=None, zone: str | None = None) -> dict:
    """Everything a timeline page shows. Queries, whatever the length of the history: 1. the number of
    events, 2. the page's (kind, id, time), 3.–(2+k). one per kind of row the persona may see (k = 8 for
    a coordinator: pauses, requests, meals with their visits, feedback, concerns, door cases, notes, onward
    referrals; 5 for
    the cook and the diner's side), then the summary (the cook: 1, the diner's side: 2, coordinators: 3)."""
    now = timezone.now()
    zone = zone or (match.diner.area.time_zone if match.diner.area_id else settings.TIME_ZONE)
    all_sources = sources(match, persona, user, now=now)
    page = Paginator(_events_query(all_sources), PER_PAGE).get_page(page_number)
    return {
        "match": match,
        "persona": persona,
        "zone": zone,
        "page": page,
        "events": _page_events(match, page, all_sources, persona, user),
        "summary": summary(match, persona, zone=zone, now=now),
    }
