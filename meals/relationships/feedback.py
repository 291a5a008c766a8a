"""Settling in, then feedback and friendship: after a match's 1st, 2nd and 4th delivered meals, then once
a month while the match is active, each side is asked how it is going — the cook by email, the diner
through a referrer who may give feedback for them, or by a coordinator on the phone when nobody can be
emailed (their home shows who is due). Either side can also give feedback at any other time.

Occasions: "meal-1", "meal-2", "meal-4" (the count of delivered visits), then "month-YYYY-MM" for each
later month (in the area's zone) with a delivered visit; an occasion is due while the match is active,
a meal was shared in the last FEEDBACK_DUE_DAYS days and that side has not answered it. Only the latest
occasion is ever due: one missed is not asked again once a later one arrives. Feedback given when
nothing is due is an "extra-YYYY-MM-DD" occasion ("extra-YYYYMMDD-2" and on for more the same day).
(match, side, occasion) is unique: see give_feedback.

"I'd like a different cook" reaches the area's coordinators at once (email, and their home shows the
match until it ends or the diner's next feedback no longer asks for it).
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.people.models import User
from accounts.people.notices import notify_coordinators
from casserole import audit, names
from casserole.mail import absolute_url, queue_templated_email
from casserole.models import Channel, OutboundEmail
from meals.diners.access import get_proxy_for_referrer
from meals.diners.models import ProxyAccess
from meals.matching.models import Match
from meals.relationships.errors import RelationshipError
from meals.relationships.models import Feedback, FeedbackAsk, Visit
from meals.schedule import rules

FEEDBACK_DUE_DAYS = 30
SETTLING_IN = ((1, "meal-1"), (2, "meal-2"), (4, "meal-4"))  # (delivered meals, occasion), in order
# Feedback can be given on these matches; it is asked for only on active ones.
OPEN_STATUSES = (Match.Status.ACTIVE, Match.Status.PAUSED)
OCCASION_FORMAT = re.compile(r"^(meal-[124]|month-\d{4}-\d{2}|extra-\d{4}-\d{2}-\d{2}|extra-\d{8}-[2-9])$")
EXTRA_PREFIX = "extra-"


def _zone(match: Match) -> str:
    return match.diner.area.time_zone if match.diner.area_id else settings.TIME_ZONE


def _name(user: User | None) -> str:
    return (user.given_name or user.full_name) if user is not None else ""


# The occasions: one rule, for one match or a whole queue -------------------------------------------------


def with_occasion_facts(matches: QuerySet, *, now: datetime) -> QuerySet:
    """Annotate each match with what its due occasion depends on, in the same query: how many meals were
    delivered so far, when the 4th and the latest were, and each side's latest answered occasion."""
    delivered = Visit.objects.filter(match=OuterRef("pk"), outcome=Visit.Outcome.DELIVERED, meal__starts_at__lte=now)
    in_order = delivered.order_by("meal__starts_at", "pk").values("meal__starts_at")

    def answered(side: str):
        given = Feedback.objects.filter(match=OuterRef("pk"), side=side).exclude(occasion__startswith=EXTRA_PREFIX)
        return Subquery(given.order_by("-given_at", "-pk").values("occasion")[:1])

    return matches.annotate(
        delivered_count=Coalesce(
            Subquery(delivered.order_by().values("match").annotate(n=Count("pk")).values("n")),
            Value(0),
            output_field=IntegerField(),
        ),
        fourth_delivered_at=Subquery(in_order[3:4]),
        last_delivered_at=Subquery(delivered.order_by("-meal__starts_at", "-pk").values("meal__starts_at")[:1]),
        diner_answered=answered(Feedback.Side.DINER),
        cook_answered=answered(Feedback.Side.COOK),
    )


def occasion_for(match: Match, *, now: datetime) -> str | None:
    """The match's latest occasion, from with_occasion_facts' annotations, or None when nothing is
    due to anyone (not active, no meal shared lately)."""
    if match.status != Match.Status.ACTIVE or not match.delivered_count or match.last_delivered_at is None:
        return None
    if match.last_delivered_at < now - timedelta(days=FEEDBACK_DUE_DAYS):
        return None
    if match.delivered_count < 4:
        return "meal-1" if match.delivered_count < 2 else "meal-2"
    zone = _zone(match)
    fourth, last = rules.local(match.fourth_delivered_at, zone), rules.local(match.last_delivered_at, zone)
    if (last.year, last.month) > (fourth.year, fourth.month):
        return f"month-{last:%Y-%m}"
    return "meal-4"


def _due(match: Match, side: str, *, now: datetime) -> str | None:
    occasion = occasion_for(match, now=now)
    answered = match.diner_answered if side == Feedback.Side.DINER else match.cook_answered
    return occasion if occasion is not None and occasion != answered else None


def due_feedback(match: Match, side: str, *, now: datetime | None = None) -> str | None:
    """The occasion this side of the match is due to give feedback for, or None. One query."""
    now = now or timezone.now()
    facts = with_occasion_facts(Match.objects.filter(pk=match.pk), now=now).select_related("diner__area").first()
    return _due(facts, side, now=now) if facts is not None else None


def extra_occasion(match: Match, *, now: datetime) -> str:
    """Today's extra feedback (nothing due), as a page shows it before anything is given."""
    return extra_occasions(match, now=now)[0]


def extra_occasions(match: Match, *, now: datetime) -> list[str]:
    """The occasions for extra feedback on one day, in turn: "extra-2026-03-02", then (the occasion has 16
    characters at most) "extra-20260302-2" to "-9" for more on the same day, from another person."""
    day = rules.local(now, _zone(match)).date()
    return [f"{EXTRA_PREFIX}{day:%Y-%m-%d}"] + [f"{EXTRA_PREFIX}{day:%Y%m%d}-{n}" for n in range(2, 10)]


def occasion_label(occasion: str) -> str:
    """The occasion as a page names it: "After the first meal", "For March 2026", "Extra feedback"."""
    labels = {
        "meal-1": _("After the first meal"),
        "meal-2": _("After the second meal"),
        "meal-4": _("After the fourth meal"),
    }
    if occasion in labels:
        return labels[occasion]
    if occasion.startswith("month-"):
        year, month = occasion.removeprefix("month-").split("-")
        month_name = date_format(datetime(int(year), int(month), 1), "YEAR_MONTH_FORMAT")
        return _("For %(month)s") % {"month": month_name}
    return _("Extra feedback")


# Reads for pages --------------------------------------------------------------------------------------


def get_match_for_feedback_proxy(user: User, diner_pk: int, match_pk: int) -> tuple[ProxyAccess, Match]:
    """A match of a diner the user may give feedback for: 404 without live access or for another
    diner's match, 403 with access but not the can_give_feedback scope."""
    access = get_proxy_for_referrer(user, diner_pk, "can_give_feedback")
    match = (
        Match.objects.select_related("diner", "diner__area", "cook")
        .filter(pk=match_pk, diner_id=access.diner_id)
        .first()
    )
    if match is None:
        raise Http404
    return access, match


def feedback_for_match(match: Match) -> list[Feedback]:
    """Every feedback given on the match, newest first, with who gave it: one query."""
    return list(Feedback.objects.filter(match=match).select_related("given_by").order_by("-given_at", "-pk"))


def feedback_due_by_phone(areas, *, now: datetime | None = None) -> list[Match]:
    """Active matches in these areas whose diner is due to give feedback and has nobody who may give it
    for them online: a coordinator phones — unless they withdrew their consent to phone calls
    (meals.rights.consents). Each has `due_occasion`. One query."""
    now = now or timezone.now()
    online = ProxyAccess.objects.filter(diner=OuterRef("diner"), revoked_at__isnull=True, can_give_feedback=True)
    candidates = with_occasion_facts(
        Match.objects.filter(
            diner__area__in=areas, status=Match.Status.ACTIVE, diner__phone_calls_withdrawn_at__isnull=True
        ),
        now=now,
    ).filter(~Exists(online), last_delivered_at__gte=now - timedelta(days=FEEDBACK_DUE_DAYS))
    due = []
    for match in candidates.select_related("diner", "diner__area", "cook").order_by("diner__preferred_name", "pk"):
        match.due_occasion = _due(match, Feedback.Side.DINER, now=now)
        if match.due_occasion is not None:
            due.append(match)
    return due


def different_cook_requests(areas) -> list[Match]:
    """Live matches in these areas whose diner's latest feedback asks for a different cook, oldest ask
    first: each shows until the match ends or the diner's next feedback no longer asks. One query."""
    latest = Feedback.objects.filter(match=OuterRef("pk"), side=Feedback.Side.DINER).order_by("-given_at", "-pk")
    return list(
        Match.objects.filter(diner__area__in=areas, status__in=Match.LIVE_STATUSES)
        .annotate(
            wants_other=Subquery(latest.values("wants_different_cook")[:1]),
            asked_at=Subquery(latest.values("given_at")[:1]),
        )
        .filter(wants_other=True)
        .select_related("diner", "cook")
        .order_by("asked_at", "pk")
    )


# Giving feedback --------------------------------------------------------------------------------------


def give_feedback(
    *,
    by: User,
    match: Match,
    side: str,
    occasion: str = "",
    enjoyed: str,
    friend: str = "",
    less_contact_without: str = "",
    changes: str = "",
    wants_different_cook: bool = False,
    channel: str = Channel.WEB,
    request=None,
    now: datetime | None = None,
) -> Feedback:
    """Store one side's feedback. `occasion` is the one the page showed: stored when it is the one due
    now; the same person sending the same answers for it again gets the feedback the first stored (a
    double click makes one row); anything else is stored against the occasion due now, or as the day's
    next extra feedback — never refused for being a second word on the same day. The cook's side
    answers only `enjoyed` and `changes`."""
    now = now or timezone.now()
    if match.status not in OPEN_STATUSES:
        raise RelationshipError(_("This match has ended, so feedback on it can’t be given here. Call us instead."))
    if side == Feedback.Side.COOK:
        if match.cook_id != by.pk:
            raise RelationshipError(_("Only the match’s cook can give the cook’s feedback."))
        friend, less_contact_without, wants_different_cook = "", "", False
    elif side != Feedback.Side.DINER:
        raise RelationshipError(_("Choose whose feedback this is."))
    if enjoyed not in Feedback.Enjoyed.values:
        raise RelationshipError(_("Say whether they enjoyed the meals."))
    if (friend and friend not in Feedback.Friend.values) or less_contact_without not in ("", *Feedback.YesNo.values):
        raise RelationshipError(_("Choose answers from the list."))
    answers = {
        "enjoyed": enjoyed,
        "friend": friend,
        "less_contact_without": less_contact_without,
        "wants_different_cook": wants_different_cook,
        "changes": (changes or "").strip(),
    }
    occasion = occasion if OCCASION_FORMAT.match(occasion or "") else ""
    with transaction.atomic():
        Match.objects.select_for_update().filter(pk=match.pk).values_list("pk", flat=True).first()
        chosen = _occasion_to_store(match, side, occasion, by=by, answers=answers, now=now)
        if isinstance(chosen, Feedback):
            return chosen  # the same person's second submit of the same page
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    match=match, side=side, occasion=chosen, given_by=by, channel=channel, given_at=now, **answers
                )
        except IntegrityError:  # only when the lock above could not serialise two at once
            raise RelationshipError(
                _("Someone gave feedback on this match a moment ago. Please send yours again.")
            ) from None
        link_answers(feedback)
        audit.record(
            action=audit.Action.FEEDBACK_GIVEN,
            actor=by,
            obj=match,
            area=match.diner.area,
            request=request,
            channel=channel,
            detail={"side": side, "occasion": chosen, "wants_different_cook": wants_different_cook},
        )
        if wants_different_cook:
            _tell_coordinators_different_cook(match)
    return feedback


def link_answers(answer: Feedback) -> None:
    """Keep what the impact figures read off each diner's answer (meals.impact.selectors): when the match's
    next answer to each question (Feedback.LINKED) replaced it, if one was given later (only ever when
    feedback is written out of order, as tests do); and the answer before it to each question it answers
    is now replaced by it. The cook's side is not linked. Called as each feedback is given, and by whatever
    writes feedback otherwise (tests). One query, and one more per question answered."""
    if answer.side != Feedback.Side.DINER:
        return
    theirs = Feedback.objects.filter(match_id=answer.match_id, side=answer.side).exclude(pk=answer.pk)
    when = answer.given_at
    later = theirs.filter(Q(given_at__gt=when) | Q(given_at=when, pk__gt=answer.pk))
    earlier = theirs.filter(Q(given_at__lt=when) | Q(given_at=when, pk__lt=answer.pk))
    found = later.aggregate(
        **{
            replaced_at: Min("given_at", filter=~Q(**{question: ""}))
            for question, replaced_at in Feedback.LINKED.items()
        }
    )
    changed = {}
    for question, replaced_at in Feedback.LINKED.items():
        if getattr(answer, question):
            earlier.exclude(**{question: ""}).filter(
                Q(**{f"{replaced_at}__isnull": True}) | Q(**{f"{replaced_at}__gt": when})
            ).update(**{replaced_at: when})
            if found[replaced_at] is not None:
                changed[replaced_at] = found[replaced_at]
    if changed:
        Feedback.objects.filter(pk=answer.pk).update(**changed)
        for replaced_at, at in changed.items():
            setattr(answer, replaced_at, at)


def link_all_answers() -> int:
    """`link_answers` for every diner's answer at once, after feedback is written in bulk without the
    service (bench/impact.py): one UPDATE per question, whatever their number. Returns how many answers
    were linked."""
    linked = 0
    for question, replaced_at in Feedback.LINKED.items():
        answers = Feedback.objects.filter(side=Feedback.Side.DINER).exclude(**{question: ""})
        later = answers.filter(match=OuterRef("match")).filter(
            Q(given_at__gt=OuterRef("given_at")) | Q(given_at=OuterRef("given_at"), pk__gt=OuterRef("pk"))
        )
        linked += answers.update(**{replaced_at: Subquery(later.order_by("given_at", "pk").values("given_at")[:1])})
    return linked


def _occasion_to_store(
    match: Match, side: str, posted: str, *, by: User, answers: dict, now: datetime
) -> str | Feedback:
    """The occasion to store this feedback under, or the Feedback a double submit already stored (the
    same person, the same occasion, the same answers)."""
    due = due_feedback(match, side, now=now)
    if posted and posted == due:
        return due
    if posted:
        earlier = Feedback.objects.filter(match=match, side=side, occasion=posted).first()
        if (
            earlier is not None
            and earlier.given_by_id == by.pk
            and all(getattr(earlier, key) == value for key, value in answers.items())
        ):
            return earlier
    if due is not None:
        return due
    # Nothing due (or the occasion shown was answered meanwhile by someone else): today's extra feedback.
    taken = set(
        Feedback.objects.filter(match=match, side=side, occasion__startswith=EXTRA_PREFIX).values_list(
            "occasion", flat=True
        )
    )
    for candidate in extra_occasions(match, now=now):
        if candidate not in taken:
            return candidate
    raise RelationshipError(_("A lot of feedback was given on this match today. If there is more to say, call us."))


def _tell_coordinators_different_cook(match: Match) -> None:
    diner = match.diner
    notify_coordinators(
        area_ids=[diner.area_id],
        template="meals/relationships/email/feedback_different_cook",
        url_name="meals:coordinator_feedback",
        url_kwargs={"pk": match.pk},
        context={"diner_name": diner.addressed, "cook_name": match.cook.full_name},
    )


# Asking for it ----------------------------------------------------------------------------------------


def ask_for_feedback(*, now: datetime | None = None) -> dict[str, int]:
    """Email each side of an active match due to give feedback, once per occasion: the cook, and each
    referrer who may give feedback for the diner (a diner with nobody is in feedback_due_by_phone).
    Three queries to read whatever the number of matches (matches, proxies, asks already made), then a
    few writes per email. Safe to run twice, or twice at once."""
    now = now or timezone.now()
    counts = {"cooks": 0, "proxies": 0, "already_asked": 0}
    matches = list(
        with_occasion_facts(Match.objects.filter(status=Match.Status.ACTIVE), now=now)
        .filter(last_delivered_at__gte=now - timedelta(days=FEEDBACK_DUE_DAYS))
        .select_related("diner", "diner__area", "cook")
        .order_by("pk")
    )
    wanted: list[tuple[Match, str, str]] = []  # (match, side, occasion)
    for match in matches:
        for side in (Feedback.Side.COOK, Feedback.Side.DINER):
            occasion = _due(match, side, now=now)
            if occasion is not None:
                wanted.append((match, side, occasion))
    if not wanted:
        return counts
    diner_ids = {match.diner_id for match, side, _occasion in wanted if side == Feedback.Side.DINER}
    proxies: dict[int, list[ProxyAccess]] = {}
    if diner_ids:
        for access in (
            ProxyAccess.objects.filter(diner_id__in=diner_ids, revoked_at__isnull=True, can_give_feedback=True)
            .select_related("referrer")
            .order_by("pk")
        ):
            proxies.setdefault(access.diner_id, []).append(access)
    asked = set(
        FeedbackAsk.objects.filter(
            Q(match__in={match for match, _side, _occasion in wanted}),
            occasion__in={occasion for _match, _side, occasion in wanted},
        ).values_list("match_id", "side", "occasion", "recipient_id")
    )
    for match, side, occasion in wanted:
        recipients = (
            [match.cook] if side == Feedback.Side.COOK else [a.referrer for a in proxies.get(match.diner_id, [])]
        )
        for recipient in recipients:
            if (match.pk, side, occasion, recipient.pk) in asked or not _ask(match, side, occasion, recipient, now=now):
                counts["already_asked"] += 1
            else:
                counts["cooks" if side == Feedback.Side.COOK else "proxies"] += 1
    return counts


def _ask(match: Match, side: str, occasion: str, recipient: User, *, now: datetime) -> bool:
    """Write one ask and queue its email together; False when another run wrote it first."""
    try:
        with transaction.atomic():
            email = _email_ask(match, side, recipient)
            FeedbackAsk.objects.create(
                match=match, side=side, occasion=occasion, recipient=recipient, asked_at=now, email=email
            )
    except IntegrityError:
        return False
    return True


def _email_ask(match: Match, side: str, recipient: User) -> OutboundEmail:
    language = recipient.preferred_language
    diner = match.diner
    if side == Feedback.Side.COOK:
        template, url = (
            "meals/relationships/email/feedback_ask_cook",
            absolute_url("meals:cook_feedback", language, pk=match.pk),
        )
    else:
        template, url = (
            "meals/relationships/email/feedback_ask_proxy",
            absolute_url("meals:proxy_feedback", language, pk=diner.pk, match_pk=match.pk),
        )
    with translation.override(language):
        cook_name = names.addressed(_name(match.cook)) or _("their cook")
    return queue_templated_email(
        to=recipient.email,
        template=template,
        context={"name": _name(recipient), "diner_name": diner.addressed, "cook_name": cook_name, "url": url},
        language=language,
    )
