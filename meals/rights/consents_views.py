"""The coordinator's page of a diner's consents: what they agree to now, what withdrawing each would stop,
the form to record a withdrawal (with how the diner said so), and every withdrawal recorded before.

The diner comes through meals.diners.access (another area's diner is a 404); the writes are
meals.rights.consents', whose refusals come back as form errors."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casserole.access import coordinator_required
from meals.diners.access import get_diner_for_coordinator
from meals.rights import consents
from meals.rights.errors import RightsError
from meals.rights.forms import AgreeAgainForm, WithdrawConsentForm
from meals.rights.models import Purpose


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def diner_consents(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    states = consents.purpose_states(diner)
    action = request.POST.get("action") if request.method == "POST" else None
    withdraw_form = WithdrawConsentForm(request.POST if action == "withdraw" else None, states=states)
    again_form = AgreeAgainForm(request.POST if action == "phone_calls_again" else None)
    form = withdraw_form if action == "withdraw" else again_form if action == "phone_calls_again" else None
    if form is not None and form.is_valid():
        try:
            if form is withdraw_form:
                withdrawal = consents.withdraw_consent(
                    diner=diner,
                    purpose=form.cleaned_data["purpose"],
                    by=request.user,
                    channel=form.cleaned_data["channel"],
                    request=request,
                )
                done = _("Saved: %(name)s no longer agrees to %(purpose)s.") % {
                    "name": diner.addressed,
                    "purpose": withdrawal.get_purpose_display().lower(),
                }
            else:
                consents.agree_to_phone_calls(
                    diner=diner, by=request.user, channel=form.cleaned_data["channel"], request=request
                )
                done = _("Saved: %(name)s agrees to phone calls again.") % {"name": diner.addressed}
        except RightsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("meals:coordinator_diner_consents", pk=diner.pk)
    context = {
        "diner": diner,
        "states": states,
        "form": form,  # the submitted one: its errors go in the summary and the page title
        "withdraw_form": withdraw_form,
        "again_form": again_form,
        "any_given": any(state.given for state in states),
        "phone_calls_withdrawn": diner.phone_calls_withdrawn_at is not None,
        "withdrawals": consents.withdrawals(diner),
        "PHONE_CALLS": Purpose.PHONE_CALLS,
    }
    return render(request, "meals/rights/consents/diner.html", context)
