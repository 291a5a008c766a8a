"""Asking to be phoned about meals (anyone, no account needed), and the coordinators' queue of those
requests with the outcome of each call.

The public pages never say whether a request was kept: one that looks automated gets the same
confirmation as a person's (meals.callbacks.services decides and audits). The coordinator pages fetch
requests only through meals.callbacks.access, so another area's request is the same 404 as an id that
does not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.people.help import help_for
from casserole import names
from casserole.access import coordinator_required
from meals.callbacks import selectors, services
from meals.callbacks.access import NO_CLUB_SESSION_KEY, SENT_SESSION_KEY, get_callback_for_coordinator
from meals.callbacks.forms import CallbackForm, OutcomeForm
from meals.referrals.access import DRAFT_SESSION_KEY
from meals.referrals.forms import SECTIONS

TOO_MANY_REQUESTS = 429


@never_cache
@require_http_methods(["GET", "POST"])
def request_callback(request):
    form = CallbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            received = services.request_callback(
                details=form.details(),
                honeypot=form.cleaned_data["website"],
                started=form.cleaned_data["started"],
                request=request,
            )
        except services.TooManyRequests as error:
            form.add_error(None, error.message)
            status = TOO_MANY_REQUESTS
        except services.UnrecognisedPostcode as error:
            form.add_error("postcode", error.message)
        except services.CallbackError as error:
            form.add_error(None, error.message)
        else:
            if received.area is None:
                # Shown once on the next page, then forgotten: nothing of this request is kept.
                request.session[NO_CLUB_SESSION_KEY] = form.cleaned_data["postcode"]
                return redirect("meals:callback_no_club")
            request.session[SENT_SESSION_KEY] = received.area.pk
            return redirect("meals:callback_sent")
    return render(request, "meals/callbacks/request.html", {"form": form}, status=status)


@never_cache
@require_GET
def sent(request):
    area = selectors.confirmation_area(request.session.get(SENT_SESSION_KEY))
    if area is None:
        return redirect("meals:callback_request")
    language = get_language()
    return render(
        request,
        "meals/callbacks/sent.html",
        {
            "area_name": area.display_name(language),
            "area_phone": area.help_phone,
            "area_hours": area.help_hours_ja if language == "ja" and area.help_hours_ja else area.help_hours,
            "days": settings.CALLBACK_WORKING_DAYS,
            "retention_days": settings.CALLBACK_RETENTION_DAYS,
        },
    )


@never_cache
@require_GET
def no_club(request):
    # The service's own line, or on Japanese pages the club in Japan (accounts.people.help).
    line = help_for(None, get_language())
    return render(
        request,
        "meals/callbacks/no_club.html",
        {
            "postcode": request.session.pop(NO_CLUB_SESSION_KEY, ""),
            "national_phone": line.phone,
            "national_hours": line.hours,
        },
    )


@coordinator_required
@never_cache
@require_GET
def queue(request):
    context = selectors.callback_queue(request.user) | {"days": settings.CALLBACK_WORKING_DAYS}
    return render(request, "meals/callbacks/queue.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def callback(request, pk: int):
    callback = get_callback_for_coordinator(request.user, pk)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.record_callback_outcome(
                by=request.user,
                callback=callback,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.CallbackError as error:
            form.add_error(None, error.message)
        else:
            if draft is not None:
                request.session[DRAFT_SESSION_KEY] = draft.pk
                messages.success(
                    request,
                    _(
                        "You recorded the call with %(name)s. Now make their request for meals: what they "
                        "told us is filled in."
                    )
                    % {"name": names.addressed(callback.name)},
                )
                return redirect("meals:request_step", step=next(iter(SECTIONS)))
            messages.success(
                request, _("You recorded the call with %(name)s.") % {"name": names.addressed(callback.name)}
            )
            return redirect("coordinator:callbacks")
    return render(
        request,
        "meals/callbacks/callback.html",
        {"callback": callback, "form": form, "delete_on": services.deletion_date(callback)},
    )
