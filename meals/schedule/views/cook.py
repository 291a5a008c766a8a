"""The cook's meal pages: their meals, proposing a meal in a match, one meal, moving or cancelling it,
changing or ending the rest of a repeating meal.

Every page that plans a meal shows the diner's allergens and texture at the top, and every meal page
shows how the diner likes their meals. The diner's private details (address, phone, how to get in) are
shown on a meal only while the match shares them, or to a cook covering the meal until it has passed,
through meals.matching.selectors.shared_details, and each such view is audited. Meals and series are
fetched only through meals.schedule.access: another cook's meal is a 404 like a missing one.
"""

from uuid import uuid4

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.people.models import User
from casserole.access import cook_required
from casserole.models import Channel
from casserole.templatetags.casserole_tags import time_of_day, when
from meals.diners.models import Allergen, Diner
from meals.diners.services import record_diner_viewed
from meals.matching import selectors as match_selectors
from meals.matching.access import get_match_for_cook
from meals.matching.models import Match
from meals.schedule import preferences, rules, selectors, services
from meals.schedule.access import get_meal_for_cook, get_series_for_cook
from meals.schedule.forms.cook import ONCE, CancelForm, EndSeriesForm, MoveForm, ProposeForm, SeriesForm
from meals.schedule.models import Meal, MealSeries
from meals.schedule.services import MealError

ALLERGEN_LABELS = dict(Allergen.choices)


def _zone(match: Match) -> str:
    return match.diner.area.time_zone if match.diner.area_id else settings.TIME_ZONE


def _window(meal: Meal) -> str:
    """ "Tuesday 3 March 2026, 12:30pm to 1:30pm" / "2026年3月3日(火) 12:30〜13:30", in the area's zone."""
    with timezone.override(_zone(meal.match)):
        start, end = when(meal.starts_at), timezone.localtime(meal.ends_at)
    return _("%(start)s to %(end)s") % {"start": start, "end": _time_text(end)}


def _labels(codes) -> list[str]:
    return [str(ALLERGEN_LABELS.get(code, code)) for code in codes or []]


def _diner_needs(diner: Diner) -> dict:
    """What the cook must see before they plan or cook: allergens, other allergies, texture, diet."""
    return {
        "allergens": _labels(diner.allergens),
        "allergy_notes": diner.allergy_notes,
        "texture": diner.get_texture_display(),
        "texture_special": diner.texture != Diner.Texture.NORMAL,
        "dietary_needs": diner.dietary_needs,
    }


def _diner_context(match: Match) -> dict:
    diner = match.diner
    return {
        "match": match,
        "diner": diner,
        "needs": _diner_needs(diner),
        "preferences": preferences.summary(diner),
    }


def _refusal(cook, match: Match) -> str:
    """Why no meal can be planned in this match now, in the service's words ("" when one can)."""
    try:
        services.check_can_plan(cook, match)
    except MealError as error:
        return str(error)
    return ""


def _cleaned_times(form) -> dict:
    data = form.cleaned_data
    return {"start_time": data["start_time"], "end_time": data["end_time"], "dish": data["dish"]}


def _allergen_step(form) -> dict:
    return {"allergens": form.cleaned_data["allergens"], "allergens_checked": form.cleaned_data["allergens_checked"]}


@cook_required
@never_cache
@require_GET
def meals(request):
    cook = request.user
    found = selectors.cook_meals(cook)
    rows, ahead = _rows(found["upcoming"] + found["past"], cook), len(found["upcoming"])
    return render(request, "meals/schedule/cook/meals.html", {"upcoming": rows[:ahead], "past": rows[ahead:]})


def _rows(meals: list[Meal], cook) -> list[dict]:
    # The cooks this one covers for, by name: one query, and only when there is a meal they cover.
    covered = {meal.covered_for_id for meal in meals if meal.covered_for_id and meal.cook_id == cook.pk}
    names = (
        {user.pk: user.given_name or user.full_name for user in User.objects.filter(pk__in=covered)} if covered else {}
    )
    return [
        {
            "meal": meal,
            "when": _window(meal),
            "covering_for": names.get(meal.covered_for_id, "") if meal.cook_id == cook.pk else "",
            "covered_by": (meal.cook.given_name or meal.cook.full_name) if meal.cook_id != cook.pk else "",
        }
        for meal in meals
    ]


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def propose(request, pk: int):
    cook = request.user
    match = get_match_for_cook(cook, pk)
    context = _diner_context(match)
    refusal = _refusal(cook, match)
    if refusal:
        # Nothing can be planned: say why instead of showing a form the service would refuse.
        return render(request, "meals/schedule/cook/propose.html", {**context, "refusal": refusal})
    initial = {"portion": match.diner.portion, "repeat": ONCE, "submission": uuid4()}
    data = request.POST if request.method == "POST" else None
    form = ProposeForm(data, diner=match.diner, initial=initial)
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            # A double submit carries the same `submission`: the service returns the first meal.
            meal = services.propose_meal(
                cook=cook,
                match=match,
                day=values["day"],
                portion=values["portion"],
                repeat=values["repeat"],
                submission=values["submission"],
                request=request,
                **_cleaned_times(form),
                **_allergen_step(form),
            )
        except MealError as error:
            form.add_error(None, str(error))
        else:
            names = {"name": match.diner.addressed}
            if values["repeat"]:
                done = _("Your repeating meals for %(name)s are planned. We have asked for each one to be confirmed.")
            else:
                done = _("Your meal for %(name)s is planned. We have asked for it to be confirmed.")
            messages.success(request, done % names)
            return redirect("meals:cook_meal", pk=meal.pk)
    return render(request, "meals/schedule/cook/propose.html", {**context, "form": form})


def _sees_details(cook, meal: Meal, now) -> bool:
    """The match's cook while the match shares details; a cook covering the meal until it has passed."""
    if not meal.match.shares_details:
        return False
    if meal.match.cook_id == cook.pk:
        return True
    return meal.cook_id == cook.pk and meal.covered_for_id is not None and meal.is_happening and meal.ends_at > now


def _actions(cook, meal: Meal, now) -> dict:
    """What this cook may do with the meal from its page (the services check again on submit)."""
    ahead = meal.starts_at > now and meal.is_happening and meal.match.status == Match.Status.ACTIVE
    series = meal.series
    series_live = (
        series is not None
        and meal.match.cook_id == cook.pk
        and meal.match.status == Match.Status.ACTIVE
        and (series.ends_on is None or series.ends_on >= rules.local(now, _zone(meal.match)).date())
    )
    return {
        "can_change": ahead and meal.cook_id == cook.pk and meal.covered_for_id is None,
        "can_cancel": ahead and meal.cook_id == cook.pk,
        "can_print": meal.cook_id == cook.pk and meal.status != Meal.Status.CANCELLED,
        "series_live": series_live,
    }


CHANNELS = {
    Channel.WEB: gettext_lazy("online"),
    Channel.PHONE: gettext_lazy("by phone"),
    Channel.IN_PERSON: gettext_lazy("in person"),
}


def _decision(meal: Meal) -> str:
    """Who confirmed or declined the meal, and how: a coordinator, or someone acting for the diner."""
    if meal.decided_by_id is None or meal.status not in (Meal.Status.CONFIRMED, Meal.Status.DECLINED):
        return ""
    by = meal.decided_by  # one query, on this page only
    names = {"name": meal.match.diner.addressed, "channel": CHANNELS.get(meal.decision_channel, "")}
    if by.is_coordinator:
        return _("A coordinator, %(channel)s") % names
    return _("Someone acting for %(name)s, %(channel)s") % names


def _series_text(series: MealSeries) -> str:
    """ "Every week, 12:30pm to 1:30pm" / "毎週、12:30〜13:30": the series' wall-clock window."""
    times = {"start": _time_text(series.start_time), "end": _time_text(series.end_time)}
    return _("%(repeat)s, %(window)s") % {
        "repeat": series.get_repeat_display(),
        "window": _("%(start)s to %(end)s") % times,
    }


def _time_text(value) -> str:
    return time_of_day(value)


@cook_required
@never_cache
@require_GET
def meal(request, pk: int):
    cook = request.user
    meal = get_meal_for_cook(cook, pk)
    now = timezone.now()
    shared = None
    if _sees_details(cook, meal, now):
        shared = match_selectors.shared_details(meal.match.diner)
        # The cook now sees private details: audited like any view of the diner's record.
        record_diner_viewed(by=cook, diner=meal.match.diner, request=request)
    context = {
        **_diner_context(meal.match),
        "meal": meal,
        "when": _window(meal),
        "dish_allergens": _labels(meal.allergens),
        "decision": _decision(meal),
        "shared": shared,
        "passed": meal.ends_at <= now,
        "series_text": _series_text(meal.series) if meal.series else "",
        **_rows([meal], cook)[0],
        **_actions(cook, meal, now),
    }
    return render(request, "meals/schedule/cook/meal.html", context)


def _local_start(meal: Meal):
    return rules.local(meal.starts_at, _zone(meal.match))


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def change(request, pk: int):
    cook = request.user
    meal = get_meal_for_cook(cook, pk)
    start, end = _local_start(meal), rules.local(meal.ends_at, _zone(meal.match))
    initial = {
        "day": start.date(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "dish": meal.dish,
        "allergens": meal.allergens,
    }
    data = request.POST if request.method == "POST" else None
    form = MoveForm(data, diner=meal.match.diner, initial=initial)
    if data is not None and form.is_valid():
        try:
            services.move_meal(
                cook=cook,
                meal=meal,
                day=form.cleaned_data["day"],
                request=request,
                **_cleaned_times(form),
                **_allergen_step(form),
            )
        except MealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The meal is changed. If you moved it, we have asked for it to be confirmed again.")
            )
            return redirect("meals:cook_meal", pk=meal.pk)
    context = {**_diner_context(meal.match), "meal": meal, "when": _window(meal), "form": form}
    return render(request, "meals/schedule/cook/change.html", context)


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    cook = request.user
    meal = get_meal_for_cook(cook, pk)
    data = request.POST if request.method == "POST" else None
    form = CancelForm(data)
    if data is not None and form.is_valid():
        try:
            services.cancel_meal(
                by=cook, meal=meal, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], request=request
            )
        except MealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The meal is cancelled. We have told the coordinator and the people acting for %(name)s.")
                % {"name": meal.match.diner.addressed},
            )
            return redirect("meals:cook_meal", pk=meal.pk)
    context = {"meal": meal, "diner": meal.match.diner, "when": _window(meal), "form": form}
    return render(request, "meals/schedule/cook/cancel.html", context)


def _series_initial(series: MealSeries, now) -> dict:
    """The series as it is, from the day of its next meal that still follows it."""
    following = series.meals.filter(detached=False, starts_at__gt=now).order_by("starts_at").first()
    return {
        "from_day": rules.local(following.starts_at, _zone(series.match)).date() if following else None,
        "repeat": series.repeat,
        "start_time": series.start_time.strftime("%H:%M"),
        "end_time": series.end_time.strftime("%H:%M"),
        "dish": series.dish,
        "portion": series.portion,
        "allergens": series.allergens,
    }


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def change_series(request, pk: int):
    cook = request.user
    series = get_series_for_cook(cook, pk)
    data = request.POST if request.method == "POST" else None
    form = SeriesForm(data, diner=series.match.diner, initial=_series_initial(series, timezone.now()))
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            changed = services.change_series(
                cook=cook,
                series=series,
                from_day=values["from_day"],
                repeat=values["repeat"],
                portion=values["portion"],
                request=request,
                **_cleaned_times(form),
                **_allergen_step(form),
            )
        except MealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The rest of the repeating meals is changed. We have asked for each one to be confirmed.")
            )
            first = changed.meals.order_by("starts_at", "pk").first()
            if first is None:
                return redirect("meals:cook_meals")
            return redirect("meals:cook_meal", pk=first.pk)
    context = {**_diner_context(series.match), "series": series, "series_text": _series_text(series), "form": form}
    return render(request, "meals/schedule/cook/series_change.html", context)


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def end_series(request, pk: int):
    cook = request.user
    series = get_series_for_cook(cook, pk)
    form = EndSeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_series(cook=cook, series=series, request=request)
        except MealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The repeating meals are stopped. Meals already past stay as they were."))
            return redirect("meals:cook_meals")
    context = {
        "series": series,
        "series_text": _series_text(series),
        "match": series.match,
        "diner": series.match.diner,
        "form": form,
    }
    return render(request, "meals/schedule/cook/series_end.html", context)
