"""The coordinator's page of a diner's erasure requests: record one (when and how they asked), see when
it is due and what holds it back (a safeguarding record under review, a record not yet closed), and carry
it out. The writes are meals.rights.erasure_requests'; their refusals come back as form errors."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casserole.access import coordinator_required
from meals.diners.access import get_diner_for_coordinator
from meals.rights import erasure, erasure_requests
from meals.rights.errors import RightsError
from meals.rights.forms import ErasureRequestForm
from meals.rights.models import ErasureRequest


def _page(request, diner, form, carry_out_error: str = ""):
    found = erasure_requests.exceptions_for(diner)
    rows = erasure_requests.requests_for(diner)
    open_request = next((row for row in rows if row.is_open), None)
    context = {
        "diner": diner,
        "form": form,
        "requests": rows,
        "open_request": open_request,
        "exceptions": found,
        "blocked": any(exception.blocks for exception in found),
        "overdue": open_request is not None and open_request.due_by < timezone.now(),
        "carry_out_error": carry_out_error,
        "due_days": settings.ERASURE_DUE_DAYS,
        "erased": erasure.is_erased(diner),
    }
    return render(request, "meals/rights/erasure/diner.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def diner_erasure(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    form = ErasureRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            erasure_requests.record_erasure_request(
                diner=diner,
                by=request.user,
                received_on=form.cleaned_data["received_on"],
                channel=form.cleaned_data["channel"],
                request=request,
            )
        except RightsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Erasure request recorded for %(name)s.") % {"name": diner.addressed})
            return redirect("meals:coordinator_diner_erasure", pk=diner.pk)
    return _page(request, diner, form)


@coordinator_required
@never_cache
@require_POST
def carry_out(request, pk: int, request_pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    erasure_request = ErasureRequest.objects.filter(pk=request_pk, diner=diner).first()
    if erasure_request is None:
        raise Http404
    try:
        done = erasure_requests.carry_out_erasure_request(
            erasure_request=erasure_request, by=request.user, request=request
        )
    except RightsError as error:
        return _page(request, diner, ErasureRequestForm(), carry_out_error=str(error))
    if done.held_back:
        messages.success(
            request,
            ngettext(
                "The record has been erased, except %(count)s safeguarding record under review: it is kept until "
                "it is closed.",
                "The record has been erased, except %(count)s safeguarding records under review: they are kept "
                "until they are closed.",
                done.held_back,
            )
            % {"count": done.held_back},
        )
    else:
        messages.success(request, _("The record has been erased."))
    return redirect("meals:coordinator_diner_erasure", pk=diner.pk)
