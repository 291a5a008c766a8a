"""Watch reports to family, with the diner's consent: the diner chooses who may get a short report after
visits, how often, and which wellbeing answers that person may see; they approve each person (through a
coordinator on the phone, or a referrer acting for them who records that they agreed) and can stop any
of them at any time.

A report says whether the meal was shared, on which day, how long the cook stayed, and only the
wellbeing answers in the recipient's `shared_items` ("as usual" / "not as usual"). It NEVER carries a
note (Visit.note, wellbeing_notes), a concern or the cook's name: build its context only through
`_visit_lines`, which reads nothing else. One report per (recipient, period) is a unique row, so the job
can run twice, or twice at once, and send each report once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.people.models import User
from casserole import audit
from casserole.email_addresses import validate_email_address
from casserole.mail import queue_templated_email
from casserole.models import OutboundEmail
from meals.diners.models import Diner
from meals.relationships.errors import RelationshipError
from meals.relationships.models import WELLBEING_ITEMS, WELLBEING_KEYS, Visit, WatchRecipient, WatchReport, Wellbeing
from meals.schedule import rules

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
# A weekly or monthly report waits this long after its period ends, so a meal at the end of it that its
# cook records within the time they have (VISIT_RECORD_HOURS) is in the report.
REPORT_GRACE = timedelta(hours=settings.VISIT_RECORD_HOURS)
# A report after each visit goes out with the next run; one the job could not send for this long (it was
# down) is not sent late, which also keeps each run's reads to recent visits.
EACH_VISIT_LOOK_BACK = timedelta(days=7)


def _zone(diner: Diner) -> str:
    return diner.area.time_zone if diner.area_id else settings.TIME_ZONE


# Access and reads -----------------------------------------------------------------------------------------


def get_recipient(diner: Diner, pk) -> WatchRecipient:
    """One of this diner's live recipients (found through a diner the caller may already act for), or 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    recipient = WatchRecipient.objects.filter(diner=diner, pk=pk, stopped_at__isnull=True).first()
    if recipient is None:
        raise Http404
    return recipient


def recipients_for_diner(diner: Diner) -> dict:
    """Who gets reports now, and who did before (newest stop first), in one query."""
    rows = list(
        WatchRecipient.objects.filter(diner=diner).select_related("added_by", "stopped_by").order_by("added_at", "pk")
    )
    live = [row for row in rows if row.stopped_at is None]
    stopped = sorted((row for row in rows if row.stopped_at is not None), key=lambda row: row.stopped_at, reverse=True)
    return {"recipients": live, "stopped_recipients": stopped}


def shared_labels(recipient: WatchRecipient) -> list[str]:
    """The wellbeing questions this person may see the answers to, in the checklist's order and the
    current language."""
    return [str(label) for key, label in WELLBEING_ITEMS if key in (recipient.shared_items or [])]


# Writes -------------------------------------------------------------------------------------------------


def add_watch_recipient(
    *,
    by: User,
    diner: Diner,
    name: str,
    email: str,
    relationship: str = "",
    language: str = "en",
    frequency: str = WatchRecipient.Frequency.WEEKLY,
    shared_items: list[str] = (),
    agreed: bool,
    channel: str,
    request=None,
) -> WatchRecipient:
    """Someone the diner chose gets reports from now on. Refused unless the person recording it says the
    diner agreed (`agreed`); `channel` is how the diner said yes. The new recipient is told by email
    what they will get and how to stop it."""
    if not agreed:
        raise RelationshipError(
            _("Reports go only to people %(name)s has agreed to. Check with them first.") % {"name": diner.addressed}
        )
    if diner.status == Diner.Status.CLOSED:
        raise RelationshipError(_("This diner’s record is closed, so nobody can be added to get reports."))
    name, email, relationship = (name or "").strip(), (email or "").strip(), (relationship or "").strip()
    if not name:
        raise RelationshipError(_("Enter the name of the person who will get the reports."))
    try:
        validate_email_address(email)
    except ValidationError:
        raise RelationshipError(_("Enter an email address in the correct format, like name@example.com")) from None
    if language not in LANGUAGE_CODES or frequency not in WatchRecipient.Frequency.values:
        raise RelationshipError(_("Choose a language and how often they get reports from the list."))
    if any(key not in WELLBEING_KEYS for key in shared_items):
        raise RelationshipError(_("Choose what they may see from the list."))
    shared = [key for key in WELLBEING_KEYS if key in shared_items]
    taken = _("%(email)s already gets reports about %(diner)s.") % {"email": email, "diner": diner.addressed}
    if WatchRecipient.objects.filter(diner=diner, email__iexact=email, stopped_at__isnull=True).exists():
        raise RelationshipError(taken)
    try:
        with transaction.atomic():
            recipient = WatchRecipient.objects.create(
                diner=diner,
                name=name,
                email=email,
                relationship=relationship,
                language=language,
                frequency=frequency,
                shared_items=shared,
                approved_channel=channel,
                added_by=by,
            )
            audit.record(
                action=audit.Action.WATCH_RECIPIENT_ADDED,
                actor=by,
                obj=diner,
                area=diner.area,
                request=request,
                channel=channel,
                detail={"recipient": recipient.pk, "frequency": frequency, "shared_items": shared},
            )
            _email_welcome(recipient)
    except IntegrityError:  # the same address added a moment ago, by someone else or a double click
        raise RelationshipError(taken) from None
    return recipient


def stop_watch_recipient(*, by: User, recipient: WatchRecipient, channel: str, request=None) -> WatchRecipient:
    """No more reports to this person, from now. Stopping one already stopped changes nothing."""
    with transaction.atomic():
        locked = (
            WatchRecipient.objects.select_for_update(of=("self",))
            .select_related("diner", "diner__area")
            .get(pk=recipient.pk)
        )
        if locked.stopped_at is not None:
            return locked
        locked.stopped_at = timezone.now()
        locked.stopped_by = by
        locked.save(update_fields=["stopped_at", "stopped_by"])
        audit.record(
            action=audit.Action.WATCH_RECIPIENT_STOPPED,
            actor=by,
            obj=locked.diner,
            area=locked.diner.area,
            request=request,
            channel=channel,
            detail={"recipient": locked.pk},
        )
    return locked


def _help(diner: Diner, language: str) -> dict:
    area = diner.area
    if area is None:
        return {"club": _("Casserole"), "help_phone": "", "help_hours": ""}
    return {
        "club": area.display_name(language),
        "help_phone": area.help_phone,
        "help_hours": area.help_hours_ja if language == "ja" and area.help_hours_ja else area.help_hours,
    }


def _email_welcome(recipient: WatchRecipient) -> OutboundEmail:
    diner, language = recipient.diner, recipient.language
    with translation.override(language):
        context = {
            "name": recipient.name,
            "diner_name": diner.addressed,
            "frequency": str(recipient.get_frequency_display()),
            "shared": shared_labels(recipient),
            **_help(diner, language),
        }
    return queue_templated_email(
        to=recipient.email, template="meals/relationships/email/watch_added", context=context, language=language
    )


# The reports ------------------------------------------------------------------------------------------


@dataclass
class Period:
    key: str  # WatchReport.period: "visit-<pk>", "week-2026-W09", "month-2026-02"
    kind: str  # "visit", "week", "month"
    start: datetime | None = None  # weeks and months: [start, end) in the area's zone
    end: datetime | None = None
    first_day: date | None = None  # the period's first and last days, as the report names them
    last_day: date | None = None
    visits: list[Visit] = field(default_factory=list)


def last_week(now: datetime, zone: str) -> Period:
    """The last ISO week (Monday to Sunday in the area's zone) that ended at least REPORT_GRACE ago."""
    day = rules.local(now - REPORT_GRACE, zone).date()
    monday = day - timedelta(days=day.weekday())
    first_day = monday - timedelta(days=7)
    year, week, _weekday = first_day.isocalendar()
    return Period(
        key=f"week-{year}-W{week:02d}",
        kind="week",
        start=rules.at(first_day, time.min, zone),
        end=rules.at(monday, time.min, zone),
        first_day=first_day,
        last_day=monday - timedelta(days=1),
    )


def last_month(now: datetime, zone: str) -> Period:
    """The last calendar month in the area's zone that ended at least REPORT_GRACE ago."""
    next_first = rules.local(now - REPORT_GRACE, zone).date().replace(day=1)
    last_day = next_first - timedelta(days=1)
    first_day = last_day.replace(day=1)
    return Period(
        key=f"month-{first_day:%Y-%m}",
        kind="month",
        start=rules.at(first_day, time.min, zone),
        end=rules.at(next_first, time.min, zone),
        first_day=first_day,
        last_day=last_day,
    )


def _period_for(recipient: WatchRecipient, now: datetime) -> Period | None:
    """The one finished period this weekly or monthly recipient is due a report for, if it ended after
    they were added (a new recipient gets nothing about the time before)."""
    zone = _zone(recipient.diner)
    period = last_week(now, zone) if recipient.frequency == WatchRecipient.Frequency.WEEKLY else last_month(now, zone)
    return period if period.end > recipient.added_at else None


def send_watch_reports(*, now: datetime | None = None) -> dict[str, int]:
    """Queue every report due and not sent yet: after each visit recorded since the recipient was added
    (within EACH_VISIT_LOOK_BACK), or for the last finished week or month that had a visit. Three queries
    to read whatever the number of recipients and visits (recipients, visits, reports already written),
    then a few writes per report. Safe to run twice, or twice at once."""
    now = now or timezone.now()
    counts = {"reports": 0, "already_sent": 0}
    recipients = list(
        WatchRecipient.objects.filter(stopped_at__isnull=True)
        .exclude(diner__status=Diner.Status.CLOSED)
        .select_related("diner", "diner__area")
        .order_by("pk")
    )
    if not recipients:
        return counts
    periods = {recipient.pk: _period_for(recipient, now) for recipient in recipients}
    each_visit = [r for r in recipients if r.frequency == WatchRecipient.Frequency.EACH_VISIT]
    windows = [period for period in periods.values() if period is not None]
    wanted = Q(pk__in=[])
    since = {r.pk: max(r.added_at, now - EACH_VISIT_LOOK_BACK) for r in each_visit}
    if each_visit:
        wanted |= Q(recorded_at__gte=min(since.values()), recorded_at__lte=now)
    if windows:
        wanted |= Q(meal__starts_at__gte=min(p.start for p in windows), meal__starts_at__lt=max(p.end for p in windows))
    visits: dict[int, list[Visit]] = {}
    for visit in (
        Visit.objects.filter(wanted, match__diner_id__in={r.diner_id for r in recipients})
        .select_related("meal", "match")
        .order_by("meal__starts_at", "pk")
    ):
        visits.setdefault(visit.match.diner_id, []).append(visit)
    due: list[tuple[WatchRecipient, Period]] = []
    for recipient in recipients:
        mine = visits.get(recipient.diner_id, [])
        if recipient.frequency == WatchRecipient.Frequency.EACH_VISIT:
            due += [
                (recipient, Period(key=f"visit-{visit.pk}", kind="visit", visits=[visit]))
                for visit in mine
                if since[recipient.pk] <= visit.recorded_at <= now
            ]
            continue
        period = periods[recipient.pk]
        if period is not None:
            period.visits = [visit for visit in mine if period.start <= visit.meal.starts_at < period.end]
            if period.visits:  # nothing planned, nothing to say
                due.append((recipient, period))
    if not due:
        return counts
    sent = set(
        WatchReport.objects.filter(
            recipient__in=[recipient for recipient, _period in due], period__in={period.key for _r, period in due}
        ).values_list("recipient_id", "period")
    )
    for recipient, period in due:
        if (recipient.pk, period.key) in sent or not _report(recipient, period, now=now):
            counts["already_sent"] += 1
        else:
            counts["reports"] += 1
    return counts


def _report(recipient: WatchRecipient, period: Period, *, now: datetime) -> bool:
    """Write one report and queue its email together; False when another run wrote it first."""
    try:
        with transaction.atomic():
            email = _email_report(recipient, period)
            WatchReport.objects.create(
                recipient=recipient, period=period.key, sent_at=now, visits=len(period.visits), email=email
            )
    except IntegrityError:
        return False
    return True


@dataclass
class VisitLine:
    day: datetime  # the meal's start: shown as a day in the area's zone
    shared: bool
    minutes: int | None
    wellbeing: list[tuple[str, str]]  # (question, answer), only the items shared with this recipient


def _visit_lines(recipient: WatchRecipient, visits: list[Visit]) -> list[VisitLine]:
    """What a report may say about each visit, in the current language: the outcome as shared or not,
    the time stayed, and the shared wellbeing answers that were asked. Never a note: this reads none."""
    answers = {Wellbeing.USUAL: str(Wellbeing.USUAL.label), Wellbeing.NOT_USUAL: str(Wellbeing.NOT_USUAL.label)}
    shared_items = set(recipient.shared_items or [])
    lines = []
    for visit in visits:
        delivered = visit.outcome == Visit.Outcome.DELIVERED
        wellbeing = visit.wellbeing or {}
        lines.append(
            VisitLine(
                day=visit.meal.starts_at,
                shared=delivered,
                minutes=visit.minutes_stayed if delivered else None,
                wellbeing=[
                    (str(label), answers[wellbeing[key]])
                    for key, label in WELLBEING_ITEMS
                    if delivered and key in shared_items and wellbeing.get(key) in answers
                ],
            )
        )
    return lines


def _email_report(recipient: WatchRecipient, period: Period) -> OutboundEmail:
    diner, language = recipient.diner, recipient.language
    with translation.override(language), timezone.override(_zone(diner)):
        lines = _visit_lines(recipient, period.visits)
        context = {
            "name": recipient.name,
            "diner_name": diner.addressed,
            "kind": period.kind,
            "first_day": period.first_day,
            "last_day": period.last_day,
            "visits": lines,
            "any_shared": any(line.shared for line in lines),
            **_help(diner, language),
        }
        return queue_templated_email(
            to=recipient.email, template="meals/relationships/email/watch_report", context=context, language=language
        )
