"""The diner's side of meals, for a referrer acting for the diner: confirm or decline a meal, say how
the diner likes their meals, and turn the day-before reminder emails on or off. The schedule itself is
meals.proxy.views.schedule, which links here.

Every page reads the referrer's live access first (meals.diners.access / meals.schedule.access): no
access, or another diner's meal, is a 404; access without the page's scope is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casserole.models import Channel
from casserole.names import addressed
from meals.diners.access import get_proxy_for_referrer
from meals.diners.models import ProxyAccess
from meals.schedule import consents, services
from meals.schedule import preferences as meal_preferences
from meals.schedule.access import get_meal_for_proxy
from meals.schedule.forms.diner_side import DecideForm, RemindersForm


def _back(access: ProxyAccess):
    # The schedule when they may see it; a referrer who may only edit details goes back to the diner.
    if access.can_view_schedule:
        return redirect("meals:proxy_schedule", pk=access.diner_id)
    return redirect("meals:proxy_diner", pk=access.diner_id)


@login_required
@never_cache
@require_POST
def decide(request, pk: int, meal_pk: int):
    meal = get_meal_for_proxy(request.user, pk, meal_pk, "can_confirm_meals")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to confirm the meal"))
        return redirect("meals:proxy_schedule", pk=pk)
    try:
        services.decide_meal(by=request.user, meal=meal, confirm=form.confirm, channel=Channel.WEB, request=request)
    except services.MealError as error:
        messages.error(request, str(error))
    else:
        names = {"cook": addressed(meal.cook.given_name) or _("their cook"), "diner": meal.match.diner.addressed}
        messages.success(
            request,
            _("Meal confirmed. We have told %(cook)s.") % names
            if form.confirm
            else _("We have told %(cook)s that %(diner)s can’t have this meal.") % names,
        )
    return redirect("meals:proxy_schedule", pk=pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, pk: int):
    access = get_proxy_for_referrer(request.user, pk, "can_edit_details")
    diner = access.diner
    form = meal_preferences.PreferencesForm(
        request.POST if request.method == "POST" else None, initial=meal_preferences.initial(diner)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meal_preferences.set_meal_preferences(
                by=request.user, diner=diner, values=form.cleaned_data, channel=Channel.WEB, request=request
            )
        except services.MealError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes have been saved."))
            return _back(access)
    return render(
        request, "meals/schedule/diner_side/preferences.html", {"access": access, "diner": diner, "form": form}
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reminders(request, pk: int):
    # GET is the page the reminder emails link to ("stop these emails"); the schedule page posts here too.
    access = get_proxy_for_referrer(request.user, pk, "can_view_schedule")
    if request.method == "GET":
        context = {"access": access, "diner": access.diner, "reminders_on": consents.reminders_on(access)}
        return render(request, "meals/schedule/diner_side/reminders.html", context)
    form = RemindersForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to get reminders"))
        return redirect("meals:proxy_reminders", pk=pk)
    try:
        consents.set_meal_reminders(by=request.user, access=access, on=form.on, request=request)
    except services.MealError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("We will email you the day before each meal.")
            if form.on
            else _("We will not email you before each meal any more."),
        )
    return redirect("meals:proxy_schedule", pk=pk)
