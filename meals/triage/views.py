"""The coordinator's queue of requests for meals and the decision on each (accept, ask for more
information, decline).

Every request comes through meals.referrals.access, so another area's request is the same 404 as an id
that does not exist. Every write goes through meals.referrals.services; its refusals come back as form
errors or an error message.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casserole.access import coordinator_required
from meals.diners import selectors as diners_selectors
from meals.diners import services as diners_services
from meals.diners.forms import ScopesForm
from meals.diners.selectors import phones_for_page
from meals.diners.services import ReferralError
from meals.referrals import services
from meals.referrals.access import get_referral_for_coordinator
from meals.referrals.models import Referral
from meals.triage import selectors
from meals.triage.forms import DECISIONS, AcceptForm, DeclineForm, MoreInformationForm


@coordinator_required
@never_cache
@require_GET
def referrals(request):
    return render(request, "meals/triage/referrals.html", selectors.referral_queue(request.user))


def _decision_forms(referral: Referral, data=None, decision: str | None = None) -> dict:
    with_scopes = referral.referrer_id is not None
    return {
        "accept": AcceptForm(
            data if decision == "accept" else None,
            prefix="accept",
            with_scopes=with_scopes,
            initial=ScopesForm.initial_for(),
        ),
        "more_info": MoreInformationForm(data if decision == "more_info" else None, prefix="more_info"),
        "decline": DeclineForm(data if decision == "decline" else None, prefix="decline"),
    }


def _decide(request, referral: Referral, decision: str, form) -> str:
    """Call the service for one decision and say what happened."""
    channel = form.cleaned_data["channel"]
    common = {"by": request.user, "referral": referral, "channel": channel, "request": request}
    name = referral.diner.addressed
    if decision == "accept":
        services.accept_referral(scopes=form.scope_values(), **common)
        if referral.referrer_id:
            return _("You accepted the request for %(name)s. We have emailed the person who asked.") % {"name": name}
        return _("You accepted the request for %(name)s.") % {"name": name}
    if decision == "more_info":
        services.ask_for_more_information(message=form.cleaned_data["message"], **common)
        return _("We have emailed your question about %(name)s to the person who asked.") % {"name": name}
    services.decline_referral(reason=form.cleaned_data["reason"], **common)
    if referral.referrer_id:
        return _("You declined the request for %(name)s. We have emailed the reason to the person who asked.") % {
            "name": name
        }
    return _("You declined the request for %(name)s.") % {"name": name}


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def referral(request, pk: int):
    referral = get_referral_for_coordinator(request.user, pk)
    decision = request.POST.get("decision") if request.method == "POST" else None
    if request.method == "POST" and decision not in DECISIONS:
        decision = None
        messages.error(request, _("Choose what to do with this request"))
    decision_forms = _decision_forms(referral, request.POST, decision)
    form = decision_forms.get(decision)
    if form is not None and form.is_valid():
        try:
            done = _decide(request, referral, decision, form)
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("meals:coordinator_referrals")
    # The page shows the whole request (health and allergy data): looking at it is audited.
    diners_services.record_diner_viewed(by=request.user, diner=referral.diner, request=request)
    context = diners_selectors.diner_labels(referral.diner) | {
        **phones_for_page(referral.diner, referral),
        "referral": referral,
        "diner": referral.diner,
        "accept_form": decision_forms["accept"],
        "more_info_form": decision_forms["more_info"],
        "decline_form": decision_forms["decline"],
        "form": form,  # the submitted one: its errors go in the summary and the page title
    }
    return render(request, "meals/triage/referral.html", context)
