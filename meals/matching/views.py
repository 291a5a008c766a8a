"""The cook's side of matching: find diners nearby, offer, follow the offer and the match, withdraw, ask to
pause or end. And the referrer's "ask to pause or end" for a diner they act for.

What a cook sees of a diner is decided in two places only:
- before a match is approved (the nearby list, the offer page, a proposed, declined or withdrawn match),
  the public summary of meals.matching.nearby.NearbyDiner — no surname, address, phone, emergency contact or
  access notes;
- while the match shares details (approved, introduced, active, paused), `match_selectors.shared_details`
  adds what the diner consented to share (Diner.share_with_cook), read from the match's status on every
  request, so ending a match takes the details away at once.
Templates get these two dicts and never read the diner's record themselves.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.onboarding.eligibility import is_active_cook
from accounts.onboarding.selectors import cook_status
from accounts.people.models import Area, User
from casserole import status
from casserole.access import cook_required, coordinator_required
from casserole.distances import format_distance
from casserole.geocoding import round_distance
from casserole.names import addressed
from meals.diners import services
from meals.diners.access import get_diner_for_coordinator
from meals.diners.models import Allergen, Diner, Weekday
from meals.matching import selectors as match_selectors
from meals.matching import services as matching
from meals.matching.access import (
    get_diner_for_offer,
    get_match_for_cook,
    get_match_for_coordinator,
    get_match_for_proxy,
)
from meals.matching.forms import (
    ApproveForm,
    ChangeRequestForm,
    DeclineForm,
    IntroductionForm,
    OfferForm,
    SecondCookForm,
)
from meals.matching.models import Match
from meals.matching.nearby import NEARBY_LIMIT, NearbyDiner, nearby_diners
from meals.matching.services import MatchError

ALLERGEN_LABELS = dict(Allergen.choices)


DAY_LABELS = dict(Weekday.choices)


def _unit(cook: User) -> str:
    """Distances are shown in the unit of the cook's area (miles in the UK clubs, km in Japan)."""
    return cook.home_area.distance_unit if cook.home_area_id else Area.DistanceUnit.KM


def _distance_text(distance: float, unit: str) -> str:
    # Rounded by round_distance to a half kilometre or a quarter mile, so only ever approximate.
    return _("about %(distance)s") % {"distance": format_distance(distance, unit)}


def _card(diner: NearbyDiner) -> dict:
    """The public summary as the templates show it (labels, not stored values)."""
    return {
        "diner": diner,
        "distance": _distance_text(diner.distance, diner.unit) if diner.distance_km is not None else "",
        "allergens": [ALLERGEN_LABELS.get(value, value) for value in diner.allergens],
        "days": [DAY_LABELS.get(value, value) for value in diner.days],
    }


def _summary(diner: Diner, km: float | None, unit: str) -> NearbyDiner:
    """The same public summary as the nearby list, for a diner the cook has a match with."""
    return NearbyDiner(
        pk=diner.pk,
        preferred_name=diner.preferred_name,
        form_of_address=diner.form_of_address,
        neighbourhood=diner.neighbourhood,
        distance_km=km,
        distance=round_distance(km, unit) if km is not None else 0,
        unit=unit,
        dietary_needs=diner.dietary_needs,
        allergens=list(diner.allergens or []),
        allergy_notes=diner.allergy_notes,
        texture=diner.texture,
        texture_label=diner.get_texture_display(),
        frequency_label=diner.get_frequency_display(),
        days=list(diner.days or []),
    )


@cook_required
@never_cache
@require_GET
def nearby(request):
    cook = request.user
    if not is_active_cook(cook):
        # Why not, and what to do next: the checklist's own reading of the gate.
        return render(request, "meals/matching/cook/nearby.html", {"active": False, **cook_status(cook)})
    profile = match_selectors.profile_for_matching(cook)
    if profile.needs_placing:
        return render(request, "meals/matching/cook/nearby.html", {"active": True, "needs_placing": True})
    diners = nearby_diners(profile, unit=_unit(cook))
    return render(
        request,
        "meals/matching/cook/nearby.html",
        {
            "active": True,
            "cards": [_card(diner) for diner in diners],
            "travel": format_distance(profile.travel_distance, profile.travel_unit),  # as typed, not rounded
            "at_limit": len(diners) >= NEARBY_LIMIT,
        },
    )


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def offer(request, pk: int):
    cook = request.user
    if not is_active_cook(cook):
        return redirect("meals:nearby")  # which says why
    profile = match_selectors.profile_for_matching(cook)
    form = OfferForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        own = match_selectors.live_match_with(cook, pk)
        if own is not None:
            return redirect("meals:cook_match", pk=own.pk)  # the back button after offering
    elif form.is_valid():
        diner = get_diner_for_offer(profile, pk)
        try:
            # A double click reaches here twice: the service returns the first offer.
            match = matching.offer_to_cook(
                cook=cook, diner=diner, message=form.cleaned_data["message"], request=request
            )
        except matching.AlreadyTaken as error:
            messages.error(request, str(error))
            return redirect("meals:nearby")
        except matching.MatchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Thank you. A coordinator will look at your offer. We will email you when they have decided."),
            )
            return redirect("meals:cook_match", pk=match.pk)
    found = next(iter(nearby_diners(profile, unit=_unit(cook), only_pk=pk)), None)
    if found is None:
        # From a list opened before another cook offered: say so, as the offer itself would. A diner
        # out of reach or not accepted stays a 404 (nothing is revealed that an offer would not tell).
        diner = get_diner_for_offer(profile, pk)
        if not matching.unmatched_diner(diner):
            messages.error(request, str(matching.taken(diner)))
            return redirect("meals:nearby")
        raise Http404
    return render(request, "meals/matching/cook/offer.html", {"card": _card(found), "form": form})


@cook_required
@never_cache
@require_GET
def cook_matches(request):
    return render(request, "meals/matching/cook/matches.html", match_selectors.cook_matches(request.user))


@cook_required
@never_cache
@require_GET
def cook_match(request, pk: int):
    cook = request.user
    match = get_match_for_cook(cook, pk)
    diner = match.diner
    context = {
        "match": match,
        "card": _card(_summary(diner, match.distance_km, _unit(cook))),
        "open_request": match_selectors.open_change_request(match),
        "shared": None,
    }
    if match.shares_details:
        context["shared"] = match_selectors.shared_details(diner)
        # The cook now sees private details: audited like any view of the diner's record.
        services.record_diner_viewed(by=cook, diner=diner, request=request)
    return render(request, "meals/matching/cook/match.html", context)


@cook_required
@require_POST
def withdraw(request, pk: int):
    match = get_match_for_cook(request.user, pk)
    try:
        matching.withdraw_offer(cook=request.user, match=match, request=request)
    except matching.MatchError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You have withdrawn your offer to cook for %(name)s.") % {"name": match.diner.addressed}
        )
    return redirect("meals:cook_match", pk=match.pk)


def _ask_for_change(request, match: Match, *, done: str, template: str, context: dict):
    """The form both sides share: the cook, and a referrer acting for the diner. `done` is where to go
    after (or instead, when the match cannot be changed now)."""
    if not match.shares_details:
        messages.info(request, _("This match cannot be changed now."))
        return redirect(done)
    if request.method == "GET" and match_selectors.has_open_change_request(match):
        messages.info(request, _("There is already a request waiting for the coordinator."))
        return redirect(done)
    form = ChangeRequestForm(request.POST if request.method == "POST" else None, match=match)
    if request.method == "POST" and form.is_valid():
        try:
            matching.request_change(
                by=request.user,
                match=match,
                kind=form.chosen_kind(),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except matching.MatchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your request has been sent. The coordinator will look at it and get in touch with you.")
            )
            return redirect(done)
    return render(request, template, {"form": form, "match": match, "done": done, **context})


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def change(request, pk: int):
    match = get_match_for_cook(request.user, pk)
    return _ask_for_change(
        request,
        match,
        done=reverse("meals:cook_match", kwargs={"pk": match.pk}),
        template="meals/matching/cook/change.html",
        context={"diner_name": match.diner.addressed},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def proxy_change(request, pk: int, match_pk: int):
    # Like every page acting for a diner: a live access (any scope) or 404, read on every request.
    match = get_match_for_proxy(request.user, pk, match_pk)
    return _ask_for_change(
        request,
        match,
        done=reverse("meals:proxy_diner", kwargs={"pk": match.diner_id}),
        template="meals/matching/cook/proxy_change.html",
        context={"diner": match.diner, "cook_name": match.cook.given_name},
    )


ARRANGING = (Match.Status.APPROVED, Match.Status.INTRODUCED)


@coordinator_required
@never_cache
@require_GET
def offers(request):
    return render(request, "meals/matching/coordinator/offers.html", match_selectors.offers_queue(request.user))


def _decide(request, match: Match, action: str, data) -> tuple[str | None, object]:
    """Run one of the match page's actions: (success message, None) or (None, the form with the error)."""
    form = DeclineForm(data) if action == "decline" else ApproveForm(data)
    if not form.is_valid():
        return None, form
    names = {"cook": addressed(match.cook.full_name), "diner": match.diner.addressed}
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
    return render(request, "meals/matching/coordinator/match.html", context)


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
                % {"cook": addressed(match.cook.full_name), "diner": match.diner.addressed},
            )
            return redirect("meals:coordinator_match", pk=match.pk)
    context = {"match": match, "diner": match.diner, "area": match.diner.area, "form": form}
    return render(request, "meals/matching/coordinator/match_introduction.html", context)


# What each lifecycle change asks and says. meals.matching.services decides whether it is allowed now.
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
    names = {"cook": addressed(match.cook.full_name), "diner": match.diner.addressed}
    if action not in match_selectors.allowed_changes(match):
        messages.error(request, _("This match cannot be changed that way now."))
        return redirect("meals:coordinator_match", pk=match.pk)
    return status.status_change_page(
        request,
        transition=matching.LIFECYCLE[action],
        change=partial(matching.change_match, by=request.user, match=match, action=action, request=request),
        template="meals/matching/coordinator/match_status.html",
        context=lambda: {
            "match": match,
            "diner": match.diner,
            "action": action,
            "title": texts["title"] % names,
            "button": texts["button"],
            "change_request": match_selectors.open_change_request(match),
        },
        label=texts["label"],
        help_text=texts["help"],
        ask_channel=True,
        done=texts["done"],
        success_url=reverse("meals:coordinator_match", kwargs={"pk": match.pk}),
    )


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
            names = {"cook": addressed(cook.full_name), "diner": diner.addressed}
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
    return render(request, "meals/matching/coordinator/match_second_cook.html", context)
