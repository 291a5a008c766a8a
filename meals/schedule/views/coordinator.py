"""The coordinator's meal pages: this week's meals in their areas with what needs them flagged, one meal
(confirm or decline after a phone call, cancel for the diner, find a cook to cover), and a diner's meals
and how they like them.

Objects come only through the access helpers (meals.schedule.access, meals.diners.access): another
area's meal or diner is a 404, as if it did not exist. Writes go through meals.schedule.services and
meals.schedule.preferences, with the channel the coordinator chose (phone by default); their refusals
come back as form errors.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.people.access import areas_for_coordinator
from casserole import allergens as allergen_table
from casserole import audit
from casserole.access import coordinator_required
from casserole.models import Channel
from casserole.names import addressed
from meals.diners.access import get_diner_for_coordinator
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.schedule import preferences as meal_preferences
from meals.schedule import rules, selectors, services
from meals.schedule.access import get_meal_for_coordinator
from meals.schedule.forms.coordinator import (
    CancelForDinerForm,
    CoordinatorPreferencesForm,
    CoverForm,
    PhoneDecisionForm,
    WeekFilterForm,
)
from meals.schedule.models import Meal
from meals.schedule.reminders import failed_reminders

WEEK_DAYS = 7  # today and the six days after it, in each area's own time zone
PAST_WEEKS = 4  # how far back a diner's page shows past meals
PAST_SHOWN = 20
HISTORY_ENTRIES = 50

FLAG_UNCONFIRMED = gettext_lazy("Not confirmed – phone the diner")
FLAG_NO_COVER = gettext_lazy("Cancelled – no cover yet")
FLAG_MISSED = gettext_lazy("Missed")


def _names(codes) -> list[str]:
    language = get_language()
    return [allergen_table.BY_CODE[code].name(language) for code in codes or [] if code in allergen_table.BY_CODE]


def _zone(meal: Meal) -> str:
    area = meal.match.diner.area
    return area.time_zone if area is not None else settings.TIME_ZONE


def _often(count: int) -> bool:
    return count >= settings.MEAL_CANCELLATIONS_OFTEN


# This week ---------------------------------------------------------------------------------------------


@dataclass
class WeekMeal:
    meal: Meal
    zone: str
    flags: list[tuple[str, str]]  # (key, label): "unconfirmed", "no_cover", "missed"
    cook_cancellations: int
    cook_cancels_often: bool


@dataclass
class WeekDay:
    day: date
    rows: list[WeekMeal] = field(default_factory=list)


def _flags(meal: Meal, *, now: datetime, unconfirmed: set[int]) -> list[tuple[str, str]]:
    flags = []
    if meal.pk in unconfirmed:
        flags.append(("unconfirmed", str(FLAG_UNCONFIRMED)))
    if meal.needs_cover and meal.starts_at > now:
        flags.append(("no_cover", str(FLAG_NO_COVER)))
    if meal.starts_at <= now and (meal.status == Meal.Status.PROPOSED or meal.needs_cover):
        flags.append(("missed", str(FLAG_MISSED)))
    return flags


def _week(user, areas, *, now: datetime) -> dict:
    """This week's meals in the chosen areas, grouped by day in each area's time zone, flagged, and the
    past week's missed ones. Four queries whatever the number of meals: the meals, which of them are
    unconfirmed too near their day, the cooks' recent cancellations, the failed reminder emails."""
    if not areas:
        return {"days": [], "missed": [], "failed": [], "counts": {}}
    window, today = Q(), {}
    for area in areas:
        today[area.pk] = rules.local(now, area.time_zone).date()
        midnight = rules.at(today[area.pk], time.min, area.time_zone)
        window |= Q(
            match__diner__area=area,
            starts_at__gte=midnight - timedelta(days=WEEK_DAYS),
            starts_at__lt=midnight + timedelta(days=WEEK_DAYS),
        )
    # Only active matches: a paused or ended match's meals are not going ahead, whatever their status.
    week = selectors.meals_for_coordinator(user).filter(window, match__status=Match.Status.ACTIVE)
    meals = list(week.select_related(*selectors.MEAL_RELATED).order_by("starts_at", "pk"))
    unconfirmed = set(selectors.unconfirmed_soon(week, now=now).values_list("pk", flat=True))
    cancellations = selectors.recent_cancellations({meal.cook_id for meal in meals}, now=now)
    days: dict[date, WeekDay] = {}
    missed, by_pk = [], {}
    for meal in meals:
        zone = _zone(meal)
        count = cancellations.get(meal.cook_id, 0)
        row = WeekMeal(meal, zone, _flags(meal, now=now, unconfirmed=unconfirmed), count, _often(count))
        by_pk[meal.pk] = row
        local_day = rules.local(meal.starts_at, zone).date()
        if local_day >= today[meal.match.diner.area_id]:
            days.setdefault(local_day, WeekDay(local_day)).rows.append(row)
        elif any(key == "missed" for key, _label in row.flags):
            missed.append(row)
    rows = list(by_pk.values())
    failed = [(reminder, by_pk[reminder.meal_id]) for reminder in failed_reminders(week) if reminder.meal_id in by_pk]
    return {
        "days": sorted(days.values(), key=lambda group: group.day),
        "missed": missed,
        "failed": failed,
        "counts": {
            key: sum(1 for row in rows if any(flag == key for flag, _label in row.flags))
            for key in ("unconfirmed", "no_cover", "missed")
        },
    }


@coordinator_required
@never_cache
@require_GET
def week(request):
    areas = list(areas_for_coordinator(request.user).order_by("name", "pk"))
    form = WeekFilterForm(request.GET, areas=areas, language=get_language())
    if not form.is_valid():
        raise Http404  # an area that is not theirs is as unknown as one that does not exist
    chosen = [area for area in areas if area.pk == form.cleaned_data["area"]] or areas
    context = _week(request.user, chosen, now=timezone.now())
    context.update(filter_form=form if len(areas) > 1 else None, areas=areas, chosen=chosen)
    return render(request, "meals/schedule/coordinator/week.html", context)


# One meal ----------------------------------------------------------------------------------------------


def _can_decide(meal: Meal, now: datetime) -> bool:
    return (
        meal.starts_at > now
        and meal.match.status == Match.Status.ACTIVE
        and meal.status in (Meal.Status.PROPOSED, Meal.Status.CONFIRMED)
    )


def _can_cover(meal: Meal, now: datetime) -> bool:
    return meal.needs_cover and meal.starts_at > now and meal.match.status == Match.Status.ACTIVE


def _act(request, meal: Meal, action: str, candidates) -> tuple[str | None, object]:
    """Run one of the meal page's actions: (success message, None) or (None, the form with its errors)."""
    data, user = request.POST, request.user
    if action == "decide":
        form = PhoneDecisionForm(data, confirmed=meal.status == Meal.Status.CONFIRMED)
    elif action == "cancel":
        form = CancelForDinerForm(data)
    else:
        form = CoverForm(data, candidates=candidates)
    if not form.is_valid():
        return None, form
    channel = form.cleaned_data["channel"]
    names = {"diner": meal.match.diner.addressed, "cook": addressed(meal.cook.full_name)}
    try:
        if action == "decide":
            services.decide_meal(by=user, meal=meal, confirm=form.confirm, channel=channel, request=request)
            if form.confirm:
                return _("Meal confirmed for %(diner)s. We have emailed %(cook)s.") % names, None
            return _("Meal declined for %(diner)s. We have emailed %(cook)s.") % names, None
        if action == "cancel":
            services.cancel_meal(
                by=user,
                meal=meal,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                channel=channel,
                request=request,
            )
            return _("Meal cancelled. We have emailed %(cook)s.") % names, None
        cover = form.cleaned_data["cook"]
        services.arrange_cover(by=user, meal=meal, cook=cover, channel=channel, request=request)
        return (
            _("%(cover)s will bring %(diner)s’s meal. We have emailed them and the people acting for %(diner)s.")
            % {**names, "cover": addressed(cover.full_name)},
            None,
        )
    except services.MealError as error:
        form.add_error(None, str(error))
        return None, form


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def meal(request, pk: int):
    meal = get_meal_for_coordinator(request.user, pk)
    now = timezone.now()
    candidates = selectors.cover_candidates(meal) if _can_cover(meal, now) else []
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("decide", "cancel", "cover"):
            messages.error(request, _("Choose what to do with this meal"))
            return redirect("meals:coordinator_meal", pk=meal.pk)
        if not (_can_cover(meal, now) if action == "cover" else _can_decide(meal, now)):
            # The page was opened before the meal changed (covered, cancelled, past): show it as it is now.
            messages.error(request, _("This meal has changed since you opened it. Look at it again."))
            return redirect("meals:coordinator_meal", pk=meal.pk)
        done, form = _act(request, meal, action, candidates)
        if done:
            messages.success(request, done)
            return redirect("meals:coordinator_meal", pk=meal.pk)
    return render(request, "meals/schedule/coordinator/meal.html", _meal_page(meal, now, candidates, form))


def _history(meal: Meal) -> list:
    """What happened to the meal, oldest first: who proposed, confirmed (and how), cancelled, covered."""
    entries = list(audit.entries_for_object(meal).order_by("created_at", "pk")[:HISTORY_ENTRIES])
    for entry in entries:
        entry.label = audit.label(entry.action)
    return entries


def _meal_page(meal: Meal, now: datetime, candidates, form) -> dict:
    diner = meal.match.diner
    # Who called the meal off counts their cancellation even once another cook covers it.
    original = meal.covered_for if meal.covered_for_id else meal.cook
    cancellations = selectors.recent_cancellations([original.pk, *(c.cook.pk for c in candidates)], now=now)

    def _form(kind, make):
        return form if isinstance(form, kind) else make()

    return {
        "meal": meal,
        "diner": diner,
        "zone": _zone(meal),
        "original_cook": original,
        "original_cancellations": cancellations.get(original.pk, 0),
        "original_cancels_often": _often(cancellations.get(original.pk, 0)),
        "cancellations_days": settings.MEAL_CANCELLATIONS_DAYS,
        "diner_allergens": _names(diner.allergens),
        "dish_allergens": _names(meal.allergens),
        "texture": diner.get_texture_display() if diner.texture != Diner.Texture.NORMAL else "",
        "history": _history(meal),
        "unconfirmed": selectors.unconfirmed_soon(Meal.objects.filter(pk=meal.pk), now=now).exists(),
        "past": meal.starts_at <= now,
        "form": form,  # the submitted one: its errors go in the summary and the page title
        "decide_form": _form(PhoneDecisionForm, lambda: PhoneDecisionForm(confirmed=meal.status == "confirmed"))
        if _can_decide(meal, now)
        else None,
        "cancel_form": _form(CancelForDinerForm, CancelForDinerForm) if _can_decide(meal, now) else None,
        "cover_form": _form(CoverForm, lambda: CoverForm(candidates=candidates)) if _can_cover(meal, now) else None,
        "candidates": [
            {
                "candidate": c,
                "cancellations": cancellations.get(c.cook.pk, 0),
                "often": _often(cancellations.get(c.cook.pk, 0)),
            }
            for c in candidates
        ],
    }


# A diner's meals and how they like them --------------------------------------------------------------------


@coordinator_required
@never_cache
@require_GET
def diner_meals(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    now = timezone.now()
    theirs = Meal.objects.filter(match__diner=diner)
    past = list(
        theirs.filter(ends_at__lte=now, starts_at__gte=now - timedelta(weeks=PAST_WEEKS))
        .select_related(*selectors.MEAL_RELATED)
        .order_by("-starts_at", "-pk")[:PAST_SHOWN]
    )
    context = {
        "diner": diner,
        "upcoming": selectors.diner_schedule(diner, now=now),
        "past": past,
        "unconfirmed": set(selectors.unconfirmed_soon(theirs, now=now).values_list("pk", flat=True)),
        "preferences": meal_preferences.summary(diner),
        "diner_allergens": _names(diner.allergens),
        "now": now,
    }
    return render(request, "meals/schedule/coordinator/diner_meals.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    form = CoordinatorPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={**meal_preferences.initial(diner), "channel": Channel.PHONE},
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in meal_preferences.FIELDS}
        try:
            meal_preferences.set_meal_preferences(
                by=request.user, diner=diner, values=values, channel=form.cleaned_data["channel"], request=request
            )
        except services.MealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("meals:coordinator_diner_meals", pk=diner.pk)
    return render(request, "meals/schedule/coordinator/preferences.html", {"diner": diner, "form": form})
