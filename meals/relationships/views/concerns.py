"""Concern pages: the cook raises one from a visit record, a referrer tells us about a worry (and sees
what they may of the concerns about the person they act for), a coordinator records one they heard
about; the coordinators' queue (urgent first) and one concern (read, acknowledge, close with notes).

Objects come only through access helpers: a visit the user did not bring, a diner they do not act for,
another area's diner or concern is a 404 as if it did not exist. Writes go through
meals.relationships.concerns; its refusals come back as form errors or messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.people.access import areas_for_coordinator
from casserole.access import cook_required, coordinator_required
from meals.diners.access import get_diner_for_coordinator, get_proxy_for_referrer
from meals.relationships import concerns
from meals.relationships.errors import RelationshipError
from meals.relationships.forms.concerns import CloseConcernForm, ConcernForm, CoordinatorConcernForm
from meals.relationships.models import Concern
from meals.relationships.visits import get_visit_for_cook
from meals.schedule.forms.coordinator import WeekFilterForm


def _raise(request, form, *, diner, **extra) -> Concern | None:
    """Raise the form's concern; a refusal becomes a form error (and None)."""
    try:
        return concerns.raise_concern(
            by=request.user,
            diner=diner,
            level=form.cleaned_data["level"],
            text=form.cleaned_data["text"],
            request=request,
            **extra,
        )
    except RelationshipError as error:
        form.add_error(None, str(error))
        return None


# Raising a concern -------------------------------------------------------------------------------------


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def from_visit(request, pk: int):
    visit = get_visit_for_cook(request.user, pk)
    diner = visit.meal.match.diner
    form = ConcernForm(
        request.POST if request.method == "POST" else None, initial={"text": concerns.not_as_usual_text(visit)}
    )
    if request.method == "POST" and form.is_valid() and _raise(request, form, diner=diner, visit=visit):
        messages.success(request, _("Thank you. We have told the coordinators of the area."))
        return redirect("meals:cook_meal", pk=visit.meal_id)
    context = {
        "visit": visit,
        "diner": diner,
        "form": form,
        "emergency": concerns.emergency_number(diner.area),
        "zone": concerns.zone_of(diner),
    }
    return render(request, "meals/relationships/concerns/cook.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def from_referrer(request, pk: int):
    access = get_proxy_for_referrer(request.user, pk)
    diner = access.diner
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _raise(request, form, diner=diner):
        messages.success(request, _("Thank you. We have told the coordinators of the area."))
        return redirect("meals:proxy_concern", pk=diner.pk)
    context = {
        "access": access,
        "diner": diner,
        "form": form,
        "concerns": concerns.concerns_for_referrer(access),
        "emergency": concerns.emergency_number(diner.area),
        "zone": concerns.zone_of(diner),
    }
    return render(request, "meals/relationships/concerns/proxy.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def from_coordinator(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    form = CoordinatorConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        concern = _raise(request, form, diner=diner, channel=form.cleaned_data["channel"])
        if concern is not None:
            messages.success(request, _("Concern recorded. We have told the other coordinators of the area."))
            return redirect("meals:coordinator_concern", pk=concern.pk)
    context = {"diner": diner, "form": form, "emergency": concerns.emergency_number(diner.area)}
    return render(request, "meals/relationships/concerns/coordinator_new.html", context)


# The coordinators' queue and one concern ---------------------------------------------------------------


@coordinator_required
@never_cache
@require_GET
def queue(request):
    areas = list(areas_for_coordinator(request.user).order_by("name", "pk"))
    form = WeekFilterForm(request.GET, areas=areas, language=get_language())
    if not form.is_valid():
        raise Http404  # an area that is not theirs is as unknown as one that does not exist
    chosen = [area for area in areas if area.pk == form.cleaned_data["area"]] or areas
    rows = concerns.concern_queue(chosen)
    context = {
        "concerns": rows,
        "urgent": sum(1 for row in rows if row.level == Concern.Level.URGENT),
        "filter_form": form if len(areas) > 1 else None,
        "several_areas": len(chosen) > 1,
        "now": timezone.now(),
    }
    return render(request, "meals/relationships/concerns/queue.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def concern(request, pk: int):
    concern = concerns.get_concern_for_coordinator(request.user, pk)
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "acknowledge":
            try:
                concerns.acknowledge_concern(by=request.user, concern=concern, request=request)
            except RelationshipError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("You are dealing with this concern. The queue shows it is yours."))
            return redirect("meals:coordinator_concern", pk=concern.pk)
        if action != "close":
            messages.error(request, _("Choose what to do with this concern"))
            return redirect("meals:coordinator_concern", pk=concern.pk)
        form = CloseConcernForm(request.POST)
        if form.is_valid():
            try:
                concerns.close_concern(
                    by=request.user, concern=concern, notes=form.cleaned_data["notes"], request=request
                )
            except RelationshipError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Concern closed."))
                return redirect("meals:coordinator_concerns")
    # Every showing of the text is a read of it, a page re-shown with an error too.
    concerns.record_concern_viewed(by=request.user, concern=concern, request=request)
    is_open = concern.status != Concern.Status.CLOSED
    context = {
        "concern": concern,
        "diner": concern.diner,
        "role": concerns.raised_as(concern),
        "zone": concerns.zone_of(concern.diner),
        "form": form,  # the submitted one: its errors go in the summary and the page title
        "close_form": (form or CloseConcernForm()) if is_open else None,
        "can_acknowledge": concern.status == Concern.Status.OPEN,
    }
    return render(request, "meals/relationships/concerns/concern.html", context)
