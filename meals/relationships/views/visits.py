"""The cook's visit record (after a meal: what happened, how long they stayed, the wellbeing check) and,
when nobody answered the door, the page that says what to do now.

Only the meal's cook reaches these pages (meals.relationships.visits' access helpers: anyone else's meal
or visit is a 404 like a missing one). The diner's phone number shows on the no-answer page only to the
match's cook, while the match shares details and the diner agreed to share it, and that view is audited
like any view of the diner's details.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casserole.access import cook_required
from casserole.templatetags.casserole_tags import when
from meals.diners.services import record_diner_viewed
from meals.matching.selectors import shared_details
from meals.relationships import door, visits
from meals.relationships.errors import RelationshipError
from meals.relationships.forms.visits import STAYED, VisitForm
from meals.relationships.models import WELLBEING_ITEMS, DoorCaseStep, Visit
from meals.schedule.models import Meal

ITEM_LABELS = dict(WELLBEING_ITEMS)
STAYED_LABELS = {int(value): label for value, label in STAYED}


def _zone(meal: Meal) -> str:
    area = meal.match.diner.area
    return area.time_zone if area is not None else settings.TIME_ZONE


def _when(meal: Meal) -> str:
    with timezone.override(_zone(meal)):
        return when(meal.starts_at)


def _context(meal: Meal) -> dict:
    return {"meal": meal, "diner": meal.match.diner, "when": _when(meal)}


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def record(request, pk: int):
    cook = request.user
    meal = visits.get_meal_for_visit(cook, pk)
    visit = visits.visit_of(meal)
    if visit is not None:
        if request.method == "POST":
            # A second record (a double tap, an old tab): show what was recorded instead.
            messages.info(request, _("This visit is already recorded. This is what you recorded."))
            return redirect("meals:cook_visit", pk=meal.pk)
        return _recorded(request, meal, visit)
    refusal = visits.refusal(cook, meal)
    if refusal:
        return render(request, "meals/relationships/visits/record.html", {**_context(meal), "refusal": refusal})
    form = VisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visits.record_visit(cook=cook, meal=meal, request=request, **form.values())
        except RelationshipError as error:
            if Visit.objects.filter(meal=meal).exists():
                return redirect("meals:cook_visit", pk=meal.pk)  # recorded meanwhile: show it
            form.add_error(None, str(error))
        else:
            if visit.outcome == Visit.Outcome.NO_ANSWER:
                return redirect("meals:cook_no_answer", pk=visit.pk)
            messages.success(request, _("Thank you. Your visit is recorded."))
            return redirect("meals:cook_visit", pk=meal.pk)
    return render(request, "meals/relationships/visits/record.html", {**_context(meal), "form": form})


def _recorded(request, meal: Meal, visit: Visit):
    """What the cook recorded, and what to do next: raise a concern if anything was not as usual."""
    minutes = visit.minutes_stayed
    context = {
        **_context(meal),
        "visit": visit,
        "stayed": STAYED_LABELS.get(minutes, "") if minutes is not None else "",
        "not_usual": [ITEM_LABELS[key] for key in visits.not_usual(visit)],
    }
    return render(request, "meals/relationships/visits/recorded.html", context)


@cook_required
@never_cache
@require_GET
def no_answer(request, pk: int):
    cook = request.user
    visit = visits.get_visit_for_cook(cook, pk)
    case = visits.door_case_of(visit)
    if case is None:
        return redirect("meals:cook_visit", pk=visit.meal_id)
    meal = visit.meal
    match, diner = meal.match, meal.match.diner
    phone = {}
    if match.cook_id == cook.pk and match.shares_details:
        shared = shared_details(diner)
        if "phone" in shared:
            phone = {"number": shared["phone"], "display": shared["phone_display"]}
            record_diner_viewed(by=cook, diner=diner, request=request)
    # The cook sees what has been done, not the coordinators' notes.
    steps = [step for step in door.case_steps(case) if step.kind != DoorCaseStep.Kind.NOTE]
    area = diner.area
    context = {
        **_context(meal),
        "visit": visit,
        "case": case,
        "steps": steps,
        "phone": phone,
        "emergency_number": door.emergency_number(area),
        "help_phone": area.help_phone if area else "",
        "zone": _zone(meal),
    }
    return render(request, "meals/relationships/visits/no_answer.html", context)
