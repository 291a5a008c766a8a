"""Concerns: a worry about a diner, raised by their cook from a visit record, by someone who acts for
them, or by a coordinator who heard it (on the phone, in person), with a level (information / worried /
urgent). Who may do what, the reads the pages need, and the writes.

Who reads what:
- The area's coordinators read everything; each look at a concern's text is audited (CONCERN_VIEWED).
- A referrer with live access to the diner always sees the concerns they raised themselves (level,
  status and their own text: they wrote it). Where the diner consented (`concerns_to_referrer`) they
  also see the level, status and date of every other concern about the diner, never its text: what
  someone else told us stays with the coordinators. Nothing they see was written by someone else, so
  their page is not audited as a read of sensitive text.
- The cook who raised one from a visit sees it only as "sent": their page is the visit.

Who is told, at once, and what: every coordinator of the area (an email that names the level and the
diner's first name, never the text: "sign in to read it"); where the diner consented, the referrers
acting for them (the same, linking to their page) and the emergency contact (a text with no details:
a coordinator will call). The person who raised it is never emailed their own concern back. An open
concern nobody has acknowledged is escalated once to every coordinator of the area (escalate_concerns).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.people.access import areas_for_coordinator, can_manage_area
from accounts.people.models import Area, User
from accounts.people.selectors import coordinators_of
from casserole import audit, names
from casserole.mail import absolute_url, queue_templated_email
from casserole.models import Channel, Country
from casserole.phones import phone_for_display
from casserole.texts import queue_text
from meals.diners.access import live_proxy
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.relationships.errors import RelationshipError
from meals.relationships.models import WELLBEING_ITEMS, Concern, Visit
from meals.relationships.visits import not_usual

# Who to call when someone is in danger now, by the area's country.
EMERGENCY_NUMBERS = {Country.GB: "999", Country.JP: "119"}
OPEN_STATUSES = (Concern.Status.OPEN, Concern.Status.ACKNOWLEDGED)
# A second identical concern from the same person this soon is the same one sent twice (a double click,
# a resubmitted form): it is neither stored nor sent again.
REPEAT_WINDOW = timedelta(minutes=10)
# Who raised it, as the queue says it (see raised_as()).
RAISED_BY_COOK, RAISED_BY_COORDINATOR, RAISED_BY_REFERRER = "cook", "coordinator", "referrer"


def emergency_number(area: Area | None) -> str:
    """The number to call when someone is in danger now: 999 in the UK, 119 in Japan."""
    country = area.country if area is not None else Country.GB
    return EMERGENCY_NUMBERS.get(country, EMERGENCY_NUMBERS[Country.GB])


def zone_of(diner: Diner) -> str:
    return diner.area.time_zone if diner.area_id else settings.TIME_ZONE


# Access ------------------------------------------------------------------------------------------------

_CONCERN_RELATED = ("diner", "diner__area", "raised_by", "acknowledged_by", "closed_by", "visit", "visit__meal")


def get_concern_for_coordinator(user, pk: int) -> Concern:
    """A concern about a diner in one of the coordinator's areas, or 404 as if it did not exist."""
    concern = (
        Concern.objects.select_related(*_CONCERN_RELATED)
        .filter(pk=pk, diner__area__in=areas_for_coordinator(user))
        .first()
    )
    if concern is None:
        raise Http404
    return concern


def _may_raise(user: User, diner: Diner, visit: Visit | None) -> bool:
    if visit is not None:
        return visit.meal.cook_id == user.pk and visit.match.diner_id == diner.pk
    if diner.area is not None and can_manage_area(user, diner.area):
        return True
    return live_proxy(user, diner.pk) is not None


# Reads -------------------------------------------------------------------------------------------------


def raised_as(concern: Concern) -> str:
    """Who raised it: the cook (from a visit record), a coordinator, or someone acting for the diner.
    A person who is both a coordinator and a referrer counts as a coordinator."""
    if concern.visit_id is not None:
        return RAISED_BY_COOK
    if concern.raised_by is not None and concern.raised_by.is_coordinator:
        return RAISED_BY_COORDINATOR
    return RAISED_BY_REFERRER


def _level_rank():
    return Case(
        *(When(level=level, then=Value(rank)) for level, rank in Concern.LEVEL_ORDER.items()),
        default=Value(len(Concern.LEVEL_ORDER)),
        output_field=IntegerField(),
    )


def concern_queue(areas) -> list[Concern]:
    """Open and acknowledged concerns about diners in these areas, urgent first, then worried, then for
    information, oldest first within each. One query whatever their number."""
    concerns = list(
        Concern.objects.filter(status__in=OPEN_STATUSES, diner__area__in=areas)
        .select_related("diner", "diner__area", "raised_by", "acknowledged_by")
        .annotate(rank=_level_rank())
        .order_by("rank", "raised_at", "pk")
    )
    for concern in concerns:
        concern.role = raised_as(concern)
        concern.zone = zone_of(concern.diner)
    return concerns


def open_concern_counts() -> dict:
    """Annotations for a queryset of areas: how many concerns are open or acknowledged in each, and how
    many of those are urgent (subqueries on the areas' own query: no extra query). For the
    coordinator's home, which must make an urgent concern impossible to miss."""
    in_area = Concern.objects.filter(diner__area=OuterRef("pk"), status__in=OPEN_STATUSES)

    def _count(queryset):
        return Coalesce(
            Subquery(queryset.order_by().values("diner__area").annotate(n=Count("pk")).values("n")), Value(0)
        )

    return {
        "concerns_open": _count(in_area),
        "concerns_urgent": _count(in_area.filter(level=Concern.Level.URGENT)),
    }


def concerns_for_referrer(access: ProxyAccess) -> list[Concern]:
    """What a referrer sees of the concerns about the diner they act for, newest first: their own (with
    their text) always; the others' level, status and date only where the diner consented. Each row has
    `own` set: the page shows the text of a concern only when it is True."""
    diner = access.diner
    concerns = Concern.objects.filter(diner=diner)
    if not diner.concerns_to_referrer:
        concerns = concerns.filter(raised_by=access.referrer_id)
    rows = list(concerns.order_by("-raised_at", "-pk"))
    for concern in rows:
        concern.own = concern.raised_by_id == access.referrer_id
    return rows


def not_as_usual_text(visit: Visit) -> str:
    """A starting text for a concern raised from a visit: each wellbeing item recorded "not as usual",
    with the cook's note on it, one per line (the cook edits it before sending)."""
    labels, lines = dict(WELLBEING_ITEMS), []
    for key in not_usual(visit):
        label = labels[key]
        note = (visit.wellbeing_notes or {}).get(key, "").strip()
        line = _("%(item)s: not as usual") % {"item": label}
        lines.append(f"{line} – {note}" if note else line)
    if visit.note.strip():
        lines.append(visit.note.strip())
    return "\n".join(lines)


def _current_match(diner: Diner) -> Match | None:
    """The diner's one match that is going on, for the timeline; none when there are two cooks (which
    one the worry is about is for the coordinator to say)."""
    matches = list(Match.objects.filter(diner=diner, status__in=Match.SHARING_STATUSES)[:2])
    return matches[0] if len(matches) == 1 else None


# Writes ------------------------------------------------------------------------------------------------


def raise_concern(
    *,
    by: User,
    diner: Diner,
    level: str,
    text: str,
    match: Match | None = None,
    visit: Visit | None = None,
    channel: str = Channel.WEB,
    request=None,
) -> Concern:
    """Record a worry about a diner and tell, at once, the area's coordinators and (where the diner
    consented) the referrers acting for them and the emergency contact — none of them the text. The
    cook of a visit's meal, a coordinator of the diner's area, or a referrer with live access may
    raise one. The same concern sent twice in a row is stored once."""
    text = (text or "").strip()
    if level not in Concern.Level.values:
        raise RelationshipError(_("Select how worried you are"))
    if not text:
        raise RelationshipError(_("Say what is worrying you"))
    if len(text) > Concern._meta.get_field("text").max_length:
        raise RelationshipError(_("What is worrying you must be 2000 characters or fewer"))
    if channel not in Channel.values:
        raise RelationshipError(_("Select how you heard about it"))
    with transaction.atomic():
        diner = Diner.objects.select_related("area").select_for_update(of=("self",)).get(pk=diner.pk)
        if diner.status == Diner.Status.CLOSED:
            raise RelationshipError(_("This diner’s record is closed. Call the coordinator instead."))
        if not _may_raise(by, diner, visit):
            raise RelationshipError(_("You can’t raise a concern about this person."))
        repeat = (
            Concern.objects.filter(
                diner=diner, raised_by=by, level=level, text=text, raised_at__gte=timezone.now() - REPEAT_WINDOW
            )
            .order_by("-raised_at")
            .first()
        )
        if repeat is not None:
            return repeat
        if visit is not None:
            match = visit.match
        elif match is None:
            match = _current_match(diner)
        concern = Concern.objects.create(
            diner=diner, match=match, visit=visit, level=level, text=text, raised_by=by, channel=channel
        )
        audit.record(
            action=audit.Action.CONCERN_RAISED,
            actor=by,
            obj=concern,
            area=diner.area,
            request=request,
            channel=channel,
            detail={"diner": diner.pk, "level": level, "visit": visit.pk if visit else None},
        )
        _tell_coordinators(concern, template="meals/relationships/email/concern_raised", exclude=by)
        if diner.concerns_to_referrer:
            _tell_referrers(concern, exclude=by)
        if diner.concerns_to_emergency_contact and diner.emergency_phone:
            _text_emergency_contact(concern)
    return concern


def acknowledge_concern(*, by: User, concern: Concern, request=None) -> Concern:
    """A coordinator of the diner's area says they are dealing with an open concern: it stops
    escalating, and the queue shows who has it."""
    with transaction.atomic():
        concern = _locked(by, concern)
        if concern.status == Concern.Status.CLOSED:
            raise RelationshipError(_("This concern has been closed."))
        if concern.status == Concern.Status.ACKNOWLEDGED:
            name = (
                names.addressed(concern.acknowledged_by.full_name)
                if concern.acknowledged_by
                else _("another coordinator")
            )
            raise RelationshipError(_("%(name)s is already looking at this concern.") % {"name": name})
        concern.status, concern.acknowledged_by, concern.acknowledged_at = (
            Concern.Status.ACKNOWLEDGED,
            by,
            timezone.now(),
        )
        concern.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        audit.record(
            action=audit.Action.CONCERN_ACKNOWLEDGED, actor=by, obj=concern, area=concern.diner.area, request=request
        )
    return concern


def close_concern(*, by: User, concern: Concern, notes: str, request=None) -> Concern:
    """A coordinator of the diner's area closes a concern with what was done (notes required). One
    nobody acknowledged counts as acknowledged by them at the same moment."""
    notes = (notes or "").strip()
    if not notes:
        raise RelationshipError(_("Say what was done before you close the concern"))
    with transaction.atomic():
        concern = _locked(by, concern)
        if concern.status == Concern.Status.CLOSED:
            raise RelationshipError(_("This concern has been closed."))
        now = timezone.now()
        fields = ["status", "closed_by", "closed_at", "closing_notes"]
        if concern.acknowledged_at is None:
            concern.acknowledged_by, concern.acknowledged_at = by, now
            fields += ["acknowledged_by", "acknowledged_at"]
        concern.status, concern.closed_by, concern.closed_at, concern.closing_notes = (
            Concern.Status.CLOSED,
            by,
            now,
            notes,
        )
        concern.save(update_fields=fields)
        audit.record(
            action=audit.Action.CONCERN_CLOSED, actor=by, obj=concern, area=concern.diner.area, request=request
        )
    return concern


def record_concern_viewed(*, by: User, concern: Concern, request=None) -> None:
    """A coordinator read the concern's text: "who looked at this?" must be answerable."""
    audit.record(action=audit.Action.CONCERN_VIEWED, actor=by, obj=concern, area=concern.diner.area, request=request)


def _locked(by: User, concern: Concern) -> Concern:
    locked = Concern.objects.select_for_update(of=("self",)).select_related(*_CONCERN_RELATED).get(pk=concern.pk)
    if locked.diner.area is None or not can_manage_area(by, locked.diner.area):
        raise RelationshipError(_("Only a coordinator of the diner’s area can do this."))
    return locked


def escalate_concerns(*, now: datetime | None = None) -> int:
    """Email every coordinator of the area again about each open concern nobody has acknowledged
    after CONCERN_ESCALATE_URGENT_MINUTES (urgent) or CONCERN_ESCALATE_HOURS (the others). Once per
    concern: `escalated_at` is set in the same transaction, so running this twice escalates nothing
    twice. Returns how many were escalated."""
    now = now or timezone.now()
    urgent_before = now - timedelta(minutes=settings.CONCERN_ESCALATE_URGENT_MINUTES)
    others_before = now - timedelta(hours=settings.CONCERN_ESCALATE_HOURS)
    due = Concern.objects.filter(status=Concern.Status.OPEN, escalated_at__isnull=True).filter(
        Q(level=Concern.Level.URGENT, raised_at__lte=urgent_before)
        | (~Q(level=Concern.Level.URGENT) & Q(raised_at__lte=others_before))
    )
    escalated = 0
    with transaction.atomic():
        for concern in due.select_related("diner", "diner__area").order_by("raised_at", "pk"):
            # Claim it: a run that started at the same time finds it already escalated.
            claimed = Concern.objects.filter(
                pk=concern.pk, status=Concern.Status.OPEN, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            concern.escalated_at = now
            _tell_coordinators(concern, template="meals/relationships/email/concern_escalated")
            audit.record(
                action=audit.Action.CONCERN_ESCALATED,
                actor_label="relationship_jobs",
                obj=concern,
                area=concern.diner.area,
                detail={"level": concern.level},
            )
            escalated += 1
    return escalated


# Who is told -------------------------------------------------------------------------------------------


def _tell_coordinators(concern: Concern, *, template: str, exclude: User | None = None) -> int:
    """Every active coordinator of the diner's area, in their language, but not whoever raised it: the
    level and the diner's first name, never the text."""
    diner = concern.diner
    coordinators = [c for c in coordinators_of([diner.area_id]) if exclude is None or c.pk != exclude.pk]
    with timezone.override(zone_of(diner)):
        for coordinator in coordinators:
            language = coordinator.preferred_language
            queue_templated_email(
                to=coordinator.email,
                template=template,
                context={
                    "diner_name": diner.addressed,
                    "level": concern.level,
                    "level_label": Concern.Level(concern.level).label,
                    "raised_at": concern.raised_at,
                    "urgent_minutes": settings.CONCERN_ESCALATE_URGENT_MINUTES,
                    "other_hours": settings.CONCERN_ESCALATE_HOURS,
                    "url": absolute_url("meals:coordinator_concern", language, pk=concern.pk),
                },
                language=language,
            )
    return len(coordinators)


def _tell_referrers(concern: Concern, *, exclude: User | None = None) -> int:
    """The referrers acting for the diner (the diner consented): that a concern was raised and its
    level, with a link to the page where they can see it; never the text."""
    diner = concern.diner
    accesses = [
        access
        for access in ProxyAccess.objects.filter(diner=diner, revoked_at__isnull=True).select_related("referrer")
        if access.referrer.is_active and (exclude is None or access.referrer_id != exclude.pk)
    ]
    for access in accesses:
        referrer = access.referrer
        language = referrer.preferred_language
        queue_templated_email(
            to=referrer.email,
            template="meals/relationships/email/concern_referrer",
            context={
                "name": referrer.given_name or referrer.full_name,
                "diner_name": diner.addressed,
                "level_label": Concern.Level(concern.level).label,
                "url": absolute_url("meals:proxy_concern", language, pk=diner.pk) + "#concerns",
            },
            language=language,
        )
    return len(accesses)


def _text_emergency_contact(concern: Concern) -> None:
    """A text with no details, in the diner's language (the diner consented): a coordinator will call."""
    diner = concern.diner
    area = diner.area
    with translation.override(diner.preferred_language):
        body = _("%(club)s: we have a concern about %(name)s. A coordinator will call you. %(phone)s") % {
            "club": area.display_name(diner.preferred_language) if area else _("Casserole"),
            "name": diner.addressed,
            "phone": phone_for_display(area.help_phone) if area else "",
        }
    queue_text(to=diner.emergency_phone, body=body.strip())
