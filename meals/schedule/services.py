"""Writes for meals: the cook proposes one meal or a repeating series within an active match, moves or
cancels one meal, changes or ends the rest of a series; the diner's side confirms or declines; a
coordinator arranges another cook to cover a meal; the daily job makes each series' meals ahead.

Every refusal is a MealError whose message names what to fix. Rules checked here, never only in the
form: the match is the cook's and active; the meal is in the future and not before the match began;
it does not overlap the same cook's other meals; the cook said which allergens the dish contains and
none is one the diner avoids. Past meals are never changed.
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.onboarding.eligibility import is_active_cook
from accounts.people.access import can_manage_area
from accounts.people.models import User
from casserole import allergens as allergen_table
from casserole import audit
from casserole.errors import DomainError
from casserole.models import Channel
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.schedule import notices, rules
from meals.schedule.models import Meal, MealSeries, Repeat
from meals.schedule.selectors import cover_candidates


class MealError(DomainError):
    """Refused on a meal or a series."""


# Checks shared by proposing, moving and covering ------------------------------------------------------


def _zone(match: Match) -> str:
    return match.diner.area.time_zone if match.diner.area_id else settings.TIME_ZONE


def check_can_plan(cook: User, match: Match) -> None:
    """Refuses (MealError, saying why) unless the cook may plan meals in this match now: their own,
    active match, and they are an active cook. The propose page asks it to explain itself up front."""
    if match.cook_id != cook.pk:
        raise MealError(_("You can only plan meals for the people you cook for."))
    if match.status != Match.Status.ACTIVE:
        if match.status in (Match.Status.ENDED, Match.Status.DECLINED, Match.Status.WITHDRAWN):
            raise MealError(_("This match has ended, so no more meals can be planned in it."))
        if match.status == Match.Status.PAUSED:
            raise MealError(_("This match is paused: meals can be planned again when the coordinator restarts it."))
        raise MealError(_("Meals can be planned once the introduction has happened and the match is active."))
    if not is_active_cook(cook):
        raise MealError(_("You can plan meals while you are an active cook. Your checklist shows what is missing."))


def _check_allergens(diner: Diner, contains: list[str], checked: bool) -> list[str]:
    """The allergen step is part of every meal: refused unless the cook went through it, and refused
    when the dish contains something the diner avoids (named, in the reader's language)."""
    if not checked:
        raise MealError(_("Say which allergens the dish contains, or that it contains none of them."))
    unknown = [code for code in contains if code not in allergen_table.BY_CODE]
    if unknown:
        raise MealError(_("Choose allergens from the list."))
    hit = allergen_table.clashes(contains, diner.allergens or [])
    if hit:
        names = ", ".join(allergen_table.BY_CODE[code].name(get_language()) for code in hit)
        raise MealError(
            _("%(name)s can’t eat %(allergens)s. Choose a dish without it, or talk to your coordinator.")
            % {"name": diner.addressed, "allergens": names}
        )
    return sorted(set(contains), key=[a.code for a in allergen_table.ALLERGENS].index)


def _check_time(match: Match, start: datetime, end: datetime, *, now: datetime) -> None:
    if end <= start:
        raise MealError(_("The end of the time window must be after its start."))
    if start <= now:
        raise MealError(_("Choose a time in the future."))
    began = match.active_since or match.introduction_at
    if began is not None and start.date() < rules.local(began, _zone(match)).date():
        raise MealError(_("Choose a day after the match began."))


def _lock_cook(cook: User) -> None:
    """Serialise a cook's meal changes: two at once (two tabs, two matches) could each pass the overlap
    check alone. On SQLite writers are serialised anyway."""
    User.objects.select_for_update().filter(pk=cook.pk).values_list("pk", flat=True).first()


def _overlapping(cook: User, start: datetime, end: datetime, *, exclude: int | None = None) -> Meal | None:
    meals = Meal.objects.filter(cook=cook, status__in=Meal.HAPPENING, starts_at__lt=end, ends_at__gt=start)
    if exclude is not None:
        meals = meals.exclude(pk=exclude)
    return meals.order_by("starts_at").first()


def _refuse_overlap(clash: Meal, zone: str) -> None:
    when = rules.local(clash.starts_at, zone)
    raise MealError(
        _("You already have a meal to bring at that time (%(when)s). Choose another time.")
        % {"when": formats.date_format(when, "DATETIME_FORMAT")}
    )


# The cook proposes ------------------------------------------------------------------------------------


def propose_meal(
    *,
    cook: User,
    match: Match,
    day: date,
    start_time: time,
    end_time: time,
    dish: str,
    portion: str,
    allergens: list[str],
    allergens_checked: bool,
    repeat: str = Repeat.NEVER,
    submission: uuid.UUID | None = None,
    request=None,
    now: datetime | None = None,
) -> Meal:
    """One meal, or the first meal of a repeating series (the series' later meals are made now up to
    the horizon, then by the daily job). A second submit of the same form returns the first meal."""
    now = now or timezone.now()
    if submission is not None:
        earlier = _submitted(submission)
        if earlier is not None:
            return earlier
    dish = (dish or "").strip()
    if not dish:
        raise MealError(_("Say what you plan to cook."))
    try:
        with transaction.atomic():
            _lock_cook(cook)
            match = (
                Match.objects.select_for_update(of=("self",)).select_related("diner", "diner__area").get(pk=match.pk)
            )
            if submission is not None:
                # The same form sent again while the first was being saved: now that it is, return it.
                earlier = _submitted(submission)
                if earlier is not None:
                    return earlier
            check_can_plan(cook, match)
            contains = _check_allergens(match.diner, allergens, allergens_checked)
            zone = _zone(match)
            start, end = rules.at(day, start_time, zone), rules.at(day, end_time, zone)
            _check_time(match, start, end, now=now)
            values = {"dish": dish, "portion": portion, "allergens": contains}
            if repeat:
                series = MealSeries.objects.create(
                    match=match,
                    repeat=repeat,
                    rule=rules.rule_for(repeat, day),
                    starts_on=day,
                    start_time=start_time,
                    end_time=end_time,
                    created_by=cook,
                    submission=submission,
                    **values,
                )
                meals = _expand(series, now=now, check_overlaps=True)
                audit.record(
                    action=audit.Action.MEAL_SERIES_STARTED,
                    actor=cook,
                    obj=series,
                    area=match.diner.area,
                    request=request,
                    detail={"rule": series.rule},
                )
                meal = meals[0]
            else:
                clash = _overlapping(cook, start, end)
                if clash is not None:
                    _refuse_overlap(clash, zone)
                meal = Meal.objects.create(
                    match=match, cook=cook, starts_at=start, ends_at=end, submission=submission, **values
                )
                audit.record(
                    action=audit.Action.MEAL_PROPOSED, actor=cook, obj=meal, area=match.diner.area, request=request
                )
            notices.tell_diner_side(meal, "proposed", series=bool(repeat))
    except IntegrityError:
        # The same form submitted twice at once: the first one's meal.
        earlier = _submitted(submission) if submission is not None else None
        if earlier is None:
            raise
        return earlier
    return meal


def _submitted(submission: uuid.UUID) -> Meal | None:
    meal = Meal.objects.filter(submission=submission).first()
    if meal is not None:
        return meal
    series = MealSeries.objects.filter(submission=submission).first()
    return series.meals.order_by("starts_at").first() if series is not None else None


def _expand(series: MealSeries, *, now: datetime, check_overlaps: bool = False) -> list[Meal]:
    """Make the series' meals from now to the horizon that do not exist yet. Safe to run twice or at
    once: (series, occurrence) is unique and existing occurrences are skipped. A meal cancelled because
    the match was paused comes back when the series is expanded again after the restart."""
    match = series.match
    zone = _zone(match)
    until = now + timedelta(weeks=settings.MEAL_HORIZON_WEEKS)
    starts = rules.occurrences(
        rule=series.rule,
        starts_on=series.starts_on,
        start_time=series.start_time,
        zone=zone,
        after=now,
        until=until,
        ends_on=series.ends_on,
    )
    existing = {m.occurrence: m for m in Meal.objects.filter(series=series, occurrence__in=starts)}
    made = []
    for start in starts:
        _start, end = rules.window(start, series.start_time, series.end_time)
        earlier = existing.get(start)
        if earlier is not None:
            if earlier.status == Meal.Status.CANCELLED and earlier.cancel_reason == Meal.CancelReason.MATCH_PAUSED:
                earlier.status = Meal.Status.CONFIRMED if earlier.confirmed_at else Meal.Status.PROPOSED
                earlier.cancel_reason, earlier.cancelled_at = "", None
                earlier.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
            continue
        if check_overlaps:
            clash = _overlapping(match.cook, start, end)
            if clash is not None:
                _refuse_overlap(clash, zone)
        meal = Meal(
            match=match,
            series=series,
            occurrence=start,
            cook=match.cook,
            starts_at=start,
            ends_at=end,
            dish=series.dish,
            portion=series.portion,
            allergens=series.allergens,
        )
        made.append(meal)
    if check_overlaps:
        # Meals of the new series made above must not overlap each other either (a window longer than
        # the gap is impossible with these repeats, but the rule is the rule).
        for meal in made:
            meal.save()
        return made
    Meal.objects.bulk_create(made, ignore_conflicts=True)
    return made


def schedule_meals(*, now: datetime | None = None) -> dict[str, int]:
    """The daily job: make each live series' meals up to the horizon in active matches; in paused or
    ended matches, call off the meals still to come. Running it twice changes nothing the second time."""
    now = now or timezone.now()
    made = stopped = 0
    live = MealSeries.objects.filter(match__status=Match.Status.ACTIVE).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate(now))
    )
    for series in live.select_related("match", "match__diner", "match__diner__area", "match__cook"):
        with transaction.atomic():
            made += len(_expand(series, now=now))
    for status, reason in (
        (Match.Status.PAUSED, Meal.CancelReason.MATCH_PAUSED),
        (Match.Status.ENDED, Meal.CancelReason.MATCH_ENDED),
    ):
        stopped += Meal.objects.filter(match__status=status, status__in=Meal.HAPPENING, starts_at__gt=now).update(
            status=Meal.Status.CANCELLED, cancel_reason=reason, cancelled_at=now, updated_at=now
        )
    return {"made": made, "stopped": stopped}


# The cook changes one meal or the rest of a series ------------------------------------------------------


def _lock_meal(meal: Meal) -> Meal:
    return (
        Meal.objects.select_for_update(of=("self",))
        .select_related("match", "match__diner", "match__diner__area", "series")
        .get(pk=meal.pk)
    )


def _check_future(meal: Meal, now: datetime) -> None:
    if meal.starts_at <= now:
        raise MealError(_("This meal has already happened, so it can’t be changed."))


@transaction.atomic
def move_meal(
    *,
    cook: User,
    meal: Meal,
    day: date,
    start_time: time,
    end_time: time,
    dish: str,
    allergens: list[str],
    allergens_checked: bool,
    request=None,
    now: datetime | None = None,
) -> Meal:
    """Move or change one meal only (the series keeps its rule). The diner's side confirms it again."""
    now = now or timezone.now()
    _lock_cook(cook)
    meal = _lock_meal(meal)
    if meal.cook_id != cook.pk or meal.covered_for_id is not None:
        # A covering cook brings the meal as arranged; moving it is the match's cook's to do.
        raise MealError(_("You can only change meals you planned yourself."))
    check_can_plan(cook, meal.match)
    _check_future(meal, now)
    if not meal.is_happening:
        raise MealError(_("This meal is not going ahead, so it can’t be moved."))
    dish = (dish or "").strip()
    if not dish:
        raise MealError(_("Say what you plan to cook."))
    contains = _check_allergens(meal.match.diner, allergens, allergens_checked)
    zone = _zone(meal.match)
    start, end = rules.at(day, start_time, zone), rules.at(day, end_time, zone)
    _check_time(meal.match, start, end, now=now)
    clash = _overlapping(cook, start, end, exclude=meal.pk)
    if clash is not None:
        _refuse_overlap(clash, zone)
    moved = start != meal.starts_at or end != meal.ends_at
    meal.starts_at, meal.ends_at, meal.dish, meal.allergens, meal.detached = start, end, dish, contains, True
    fields = ["starts_at", "ends_at", "dish", "allergens", "detached", "updated_at"]
    if moved:
        meal.status, meal.decided_by, meal.decided_at, meal.decision_channel = Meal.Status.PROPOSED, None, None, ""
        meal.confirmed_at = None
        fields += ["status", "decided_by", "decided_at", "decision_channel", "confirmed_at"]
    meal.save(update_fields=fields)
    audit.record(action=audit.Action.MEAL_MOVED, actor=cook, obj=meal, area=meal.match.diner.area, request=request)
    if moved:
        notices.tell_diner_side(meal, "moved")
    return meal


def _check_cancel_rights(by: User, meal: Meal) -> None:
    if meal.cook_id == by.pk:
        return
    area = meal.match.diner.area
    if area is not None and can_manage_area(by, area):
        return
    raise MealError(_("Only the cook or a coordinator can cancel this meal."))


@transaction.atomic
def cancel_meal(
    *,
    by: User,
    meal: Meal,
    reason: str,
    note: str = "",
    channel: str = Channel.WEB,
    request=None,
    now: datetime | None = None,
) -> Meal:
    """Call off one meal, with a reason. When the cook can't come, the coordinators are told at once
    (to find a cover cook) and the diner's side is told in their channel."""
    now = now or timezone.now()
    meal = _lock_meal(meal)
    _check_cancel_rights(by, meal)
    _check_future(meal, now)
    if reason not in Meal.CancelReason.values:
        raise MealError(_("Choose why the meal is cancelled."))
    if not meal.is_happening:
        raise MealError(_("This meal is already cancelled or declined."))
    meal.status, meal.cancelled_by, meal.cancelled_at = Meal.Status.CANCELLED, by, now
    meal.cancel_reason, meal.cancel_note = reason, (note or "").strip()[:500]
    meal.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason", "cancel_note", "updated_at"])
    audit.record(
        action=audit.Action.MEAL_CANCELLED,
        actor=by,
        obj=meal,
        area=meal.match.diner.area,
        request=request,
        channel=channel,
        detail={"reason": reason},
    )
    if meal.needs_cover:
        notices.tell_coordinators_cook_cancelled(meal)
    notices.tell_diner_side(meal, "cancelled")
    return meal


def _lock_series(series: MealSeries, cook: User) -> MealSeries:
    series = (
        MealSeries.objects.select_for_update(of=("self",))
        .select_related("match", "match__diner", "match__diner__area")
        .get(pk=series.pk)
    )
    if series.match.cook_id != cook.pk:
        raise MealError(_("You can only change meals you are bringing."))
    return series


def _stop_series(series: MealSeries, *, last_day: date, now: datetime, by: User) -> int:
    """End the series after `last_day` and call off its meals from then on that the cook has not moved
    on their own. Meals already past, and detached ones, are left as they are."""
    series.ends_on = last_day
    series.save(update_fields=["ends_on"])
    return (
        Meal.objects.filter(series=series, detached=False, status__in=Meal.HAPPENING, starts_at__gt=now)
        .filter(starts_at__gte=rules.at(last_day + timedelta(days=1), time.min, _zone(series.match)))
        .update(
            status=Meal.Status.CANCELLED,
            cancel_reason=Meal.CancelReason.SERIES_ENDED,
            cancelled_by=by,
            cancelled_at=now,
            updated_at=now,
        )
    )


@transaction.atomic
def end_series(*, cook: User, series: MealSeries, request=None, now: datetime | None = None) -> MealSeries:
    """The cook stops the repeating meals: none after today (today's meal, if still to come, stays)."""
    now = now or timezone.now()
    series = _lock_series(series, cook)
    if series.ends_on is not None and series.ends_on < rules.local(now, _zone(series.match)).date():
        raise MealError(_("These repeating meals have already ended."))
    today = rules.local(now, _zone(series.match)).date()
    called_off = _stop_series(series, last_day=today, now=now, by=cook)
    audit.record(
        action=audit.Action.MEAL_SERIES_ENDED, actor=cook, obj=series, area=series.match.diner.area, request=request
    )
    if called_off:
        notices.tell_diner_side_series_ended(series)
    return series


def change_series(
    *,
    cook: User,
    series: MealSeries,
    from_day: date,
    repeat: str,
    start_time: time,
    end_time: time,
    dish: str,
    portion: str,
    allergens: list[str],
    allergens_checked: bool,
    request=None,
    now: datetime | None = None,
) -> MealSeries:
    """Change the rest of a series from `from_day`: the old series ends the day before, a new one starts
    on `from_day` with the new rule and details. Past meals, and meals moved on their own, stay."""
    now = now or timezone.now()
    with transaction.atomic():
        series = _lock_series(series, cook)
        match = series.match
        if series.ends_on is not None and series.ends_on < from_day:
            raise MealError(_("These repeating meals have already ended."))
        _stop_series(series, last_day=from_day - timedelta(days=1), now=now, by=cook)
        meal = propose_meal(
            cook=cook,
            match=match,
            day=from_day,
            start_time=start_time,
            end_time=end_time,
            dish=dish,
            portion=portion,
            allergens=allergens,
            allergens_checked=allergens_checked,
            repeat=repeat or series.repeat,
            request=request,
            now=now,
        )
        audit.record(
            action=audit.Action.MEAL_SERIES_CHANGED, actor=cook, obj=series, area=match.diner.area, request=request
        )
    return meal.series


# The diner's side confirms --------------------------------------------------------------------------------


def can_decide_for(user: User, diner: Diner) -> bool:
    """A referrer whose live access lets them confirm meals (the diner themselves, when they have an
    account, acts through the same access), or a coordinator of the diner's area."""
    if diner.area is not None and can_manage_area(user, diner.area):
        return True
    return ProxyAccess.objects.filter(
        diner=diner, referrer=user, revoked_at__isnull=True, can_confirm_meals=True
    ).exists()


@transaction.atomic
def decide_meal(
    *, by: User, meal: Meal, confirm: bool, channel: str = Channel.WEB, request=None, now: datetime | None = None
) -> Meal:
    """Confirm or decline one meal for the diner. A coordinator records how they heard (a phone call);
    a confirmed meal may still be declined later, a declined one is final."""
    now = now or timezone.now()
    meal = _lock_meal(meal)
    if not can_decide_for(by, meal.match.diner):
        raise MealError(_("You can’t confirm meals for this person."))
    _check_future(meal, now)
    allowed = (Meal.Status.PROPOSED,) if confirm else (Meal.Status.PROPOSED, Meal.Status.CONFIRMED)
    if meal.status not in allowed or meal.match.status != Match.Status.ACTIVE:
        raise MealError(_("This meal has changed since you opened it. Look at it again."))
    meal.status = Meal.Status.CONFIRMED if confirm else Meal.Status.DECLINED
    meal.decided_by, meal.decided_at, meal.decision_channel = by, now, channel
    meal.confirmed_at = now if confirm else None
    meal.save(update_fields=["status", "decided_by", "decided_at", "decision_channel", "confirmed_at", "updated_at"])
    audit.record(
        action=audit.Action.MEAL_CONFIRMED if confirm else audit.Action.MEAL_DECLINED,
        actor=by,
        obj=meal,
        area=meal.match.diner.area,
        request=request,
        channel=channel,
    )
    notices.tell_cook_decision(meal)
    return meal


# The coordinator arranges cover ------------------------------------------------------------------------------


@transaction.atomic
def arrange_cover(
    *, by: User, meal: Meal, cook: User, channel: str = Channel.PHONE, request=None, now: datetime | None = None
) -> Meal:
    """Another active cook of the diner's area, within reach (meals.schedule.selectors.cover_candidates),
    brings a meal its cook called off. They see the diner's shared details for this meal only."""
    now = now or timezone.now()
    meal = _lock_meal(meal)
    area = meal.match.diner.area
    if area is None or not can_manage_area(by, area):
        raise MealError(_("You can only look after meals in your own areas."))
    _check_future(meal, now)
    if not meal.needs_cover or meal.match.status != Match.Status.ACTIVE:
        raise MealError(_("This meal has changed since you opened it. Look at it again."))
    _lock_cook(cook)
    if cook.pk not in {candidate.cook.pk for candidate in cover_candidates(meal)}:
        raise MealError(_("This cook can’t cover the meal: choose one from the list."))
    clash = _overlapping(cook, meal.starts_at, meal.ends_at)
    if clash is not None:
        raise MealError(_("This cook already has a meal to bring at that time."))
    meal.covered_for, meal.cook = meal.cook, cook
    meal.cover_arranged_by, meal.cover_arranged_at = by, now
    # Going ahead again; who called it off and why stay on the meal (and count as their cancellation).
    meal.status = Meal.Status.CONFIRMED if meal.confirmed_at else Meal.Status.PROPOSED
    meal.save(update_fields=["covered_for", "cook", "cover_arranged_by", "cover_arranged_at", "status", "updated_at"])
    audit.record(
        action=audit.Action.MEAL_COVER_ARRANGED,
        actor=by,
        obj=meal,
        area=area,
        request=request,
        channel=channel,
        detail={"cook": cook.pk},
    )
    notices.tell_cover_cook(meal)
    notices.tell_diner_side(meal, "covered")
    return meal
