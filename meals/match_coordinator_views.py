"""The coordinator's side of matching: the offers queue, a match's page (approve or decline an offer,
mark the introduction done), arranging the introduction, pausing/resuming/ending a match, and adding a
second cook for a diner.

Matches come through meals.access.get_match_for_coordinator and diners through
get_diner_for_coordinator, so another area's match or diner is the same 404 as an id that does not
exist. Every write goes through meals.matching; its refusals come back as form errors.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import coordinator_required
from meals import match_selectors, matching
from meals.access import get_diner_for_coordinator, get_match_for_coordinator
from meals.match_coordinator_forms import (
    ApproveForm,
    ChangeMatchForm,
    DeclineForm,
    IntroductionForm,
    SecondCookForm,
)
from meals.matching import MatchError
from meals.models import Diner, Match

ARRANGING = (Match.Status.APPROVED, Match.Status.INTRODUCED)


@coordinator_required
@never_cache
@require_GET
def offers(request):
    return render(request, "meals/coordinator/offers.html", match_selectors.offers_queue(request.user))


def _decide(request, match: Match, action: str, data) -> tuple[str | None, object]:
    """Run one of the match page's actions: (success message, None) or (None, the form with the error)."""
    form = DeclineForm(data) if action == "decline" else ApproveForm(data)
    if not form.is_valid():
        return None, form
    names = {"cook": match.cook.full_name, "diner": match.diner.preferred_name}
    try:
        if action == "approve":
            matching.approve_match(by=request.user, match=match, request=request)
            return _("You approved %(cook)s to cook for %(diner)s. We have emailed the cook.") % names, None
        if action == "decline":
            matching.decline_match(by=request.user, match=match, reason=form.cleaned_data["reason"], request=request)
            return _("You did not approve the offer. We have emailed %(cook)s the reason.") % names, None
        matching.mark_introduced(by=request.user, match=match, request=request)
        return _("The introduction is done: %(cook)s and %(diner)s are matched.") % names, None
    except MatchError as error:
        form.add_error(None, str(error))
        return None, form


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def match(request, pk: int):
    match = get_match_for_coordinator(request.user, pk)
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("approve", "decline", "introduced"):
            messages.error(request, _("Choose what to do with this match"))
            return redirect("meals:coordinator_match", pk=match.pk)
        done, form = _decide(request, match, action, request.POST)
        if done:
            messages.success(request, done)
            return redirect("meals:coordinator_match", pk=match.pk)
    context = match_selectors.match_page(match, request.user)
    context.update(
        form=form,  # the submitted one: its errors go in the summary and the page title
        decline_form=form if isinstance(form, DeclineForm) else DeclineForm(),
    )
    return render(request, "meals/coordinator/match.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def introduction(request, pk: int):
    match = get_match_for_coordinator(request.user, pk)
    if match.status not in ARRANGING:
        messages.error(request, _("An introduction can only be arranged for an approved match."))
        return redirect("meals:coordinator_match", pk=match.pk)
    time_zone = match.diner.area.time_zone
    data = request.POST if request.method == "POST" else None
    form = IntroductionForm(data, time_zone=time_zone, initial=IntroductionForm.initial_for(match, time_zone))
    if data is not None and form.is_valid():
        try:
            matching.record_introduction(
                by=request.user,
                match=match,
                method=form.cleaned_data["method"],
                when=form.cleaned_data["when"],
                request=request,
            )
        except MatchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Introduction arranged. We have emailed %(cook)s and the people acting for %(diner)s.")
                % {"cook": match.cook.full_name, "diner": match.diner.preferred_name},
            )
            return redirect("meals:coordinator_match", pk=match.pk)
    context = {"match": match, "diner": match.diner, "area": match.diner.area, "form": form}
    return render(request, "meals/coordinator/match_introduction.html", context)


# What each lifecycle change asks and says. meals.matching decides whether it is allowed now.
CHANGES = {
    "pause": {
        "title": gettext_lazy("Pause the match of %(cook)s and %(diner)s"),
        "label": gettext_lazy("Why are you pausing this match?"),
        "help": gettext_lazy("For example “The cook is away for two weeks”. We email this to the cook."),
        "button": gettext_lazy("Pause the match"),
        "done": gettext_lazy("The match is paused. We have emailed the cook."),
    },
    "resume": {
        "title": gettext_lazy("Resume the match of %(cook)s and %(diner)s"),
        "label": gettext_lazy("Why are you resuming this match?"),
        "help": gettext_lazy("We email this to the cook."),
        "button": gettext_lazy("Resume the match"),
        "done": gettext_lazy("The match is active again. We have emailed the cook."),
    },
    "end": {
        "title": gettext_lazy("End the match of %(cook)s and %(diner)s"),
        "label": gettext_lazy("Why are you ending this match?"),
        "help": gettext_lazy("For example “The diner has moved into a care home”. We email this to the cook."),
        "button": gettext_lazy("End the match"),
        "done": gettext_lazy("The match has ended. The cook can no longer see the diner’s details."),
    },
}


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def change_status(request, pk: int, action: str):
    match = get_match_for_coordinator(request.user, pk)
    texts = CHANGES.get(action)
    if texts is None:
        raise Http404
    names = {"cook": match.cook.full_name, "diner": match.diner.preferred_name}
    if action not in match_selectors.allowed_changes(match):
        messages.error(request, _("This match cannot be changed that way now."))
        return redirect("meals:coordinator_match", pk=match.pk)
    data = request.POST if request.method == "POST" else None
    form = ChangeMatchForm(data, label=texts["label"], help_text=texts["help"])
    if data is not None and form.is_valid():
        try:
            matching.change_match(
                by=request.user,
                match=match,
                action=action,
                reason=form.cleaned_data["reason"],
                channel=form.cleaned_data["channel"],
                request=request,
            )
        except MatchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, texts["done"])
            return redirect("meals:coordinator_match", pk=match.pk)
    context = {
        "match": match,
        "diner": match.diner,
        "form": form,
        "action": action,
        "title": texts["title"] % names,
        "button": texts["button"],
        "change_request": match_selectors.open_change_request(match),
    }
    return render(request, "meals/coordinator/match_status.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_cook(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    candidates = match_selectors.second_cook_candidates(diner)
    # Without a cook to choose (or for a diner who is not active) the page only explains why.
    can_add = bool(candidates) and diner.status == Diner.Status.ACTIVE
    data = request.POST if request.method == "POST" and can_add else None
    form = SecondCookForm(data, candidates=candidates)
    if data is not None and form.is_valid():
        cook = form.chosen()
        try:
            added = matching.add_second_cook(by=request.user, diner=diner, cook=cook, request=request)
        except MatchError as error:
            form.add_error(None, str(error))
        else:
            names = {"cook": cook.full_name, "diner": diner.preferred_name}
            if added.additional:
                done = _("%(cook)s will also cook for %(diner)s. We have emailed the cook.") % names
            else:
                done = _("%(cook)s will cook for %(diner)s. We have emailed the cook.") % names
            messages.success(request, done)
            return redirect("meals:coordinator_match", pk=added.pk)
    context = {
        "diner": diner,
        "form": form,
        "candidates": candidates,
        "can_add": can_add,
        "current": match_selectors.current_cooks(diner),
    }
    return render(request, "meals/coordinator/match_second_cook.html", context)
