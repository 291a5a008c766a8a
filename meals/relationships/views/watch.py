"""Watch reports to family: a coordinator, usually on the phone with the diner, adds someone the diner
chose or stops one; a referrer who may edit the diner's details sees who gets reports, stops one, or adds
one after recording that the diner agreed.

Diners come through the access helpers (another area's diner, or one the referrer does not act for, is
a 404; a referrer without the details scope gets a 403). Writes go through meals.relationships.watch;
its refusals come back as form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casserole import names
from casserole.access import coordinator_required
from casserole.models import Channel
from meals.diners.access import get_diner_for_coordinator, get_proxy_for_referrer
from meals.relationships import watch
from meals.relationships.errors import RelationshipError
from meals.relationships.forms.watch import CoordinatorWatchRecipientForm, StopWatchForm, WatchRecipientForm


def _stop_prefix(recipient) -> str:
    return f"stop-{recipient.pk}"


def _add(request, form, diner, channel: str) -> bool:
    try:
        recipient = watch.add_watch_recipient(
            by=request.user, diner=diner, **form.recipient_values(), channel=channel, request=request
        )
    except RelationshipError as error:
        form.add_error(None, str(error))
        return False
    messages.success(
        request,
        _("%(name)s will get reports about %(diner)s. We have emailed them to say so.")
        % {"name": names.addressed(recipient.name), "diner": diner.addressed},
    )
    return True


def _stopped(request, recipient) -> None:
    messages.success(request, _("%(name)s will not get any more reports.") % {"name": names.addressed(recipient.name)})


def _listed(diner) -> dict:
    listing = watch.recipients_for_diner(diner)
    for recipient in listing["recipients"]:
        recipient.shared = watch.shared_labels(recipient)
    return listing


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def coordinator(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    form = CoordinatorWatchRecipientForm(request.POST if request.method == "POST" else None, diner=diner)
    if request.method == "POST" and form.is_valid() and _add(request, form, diner, form.cleaned_data["channel"]):
        return redirect("meals:coordinator_watch", pk=diner.pk)
    listing = _listed(diner)
    for recipient in listing["recipients"]:
        recipient.stop_form = StopWatchForm(prefix=_stop_prefix(recipient))
    return render(request, "meals/relationships/watch/coordinator.html", {"diner": diner, "form": form, **listing})


@coordinator_required
@require_POST
def stop(request, pk: int, recipient_pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    recipient = watch.get_recipient(diner, recipient_pk)
    form = StopWatchForm(request.POST, prefix=_stop_prefix(recipient))
    if not form.is_valid():
        messages.error(request, _("Select how you are recording this"))
    else:
        watch.stop_watch_recipient(
            by=request.user, recipient=recipient, channel=form.cleaned_data["channel"], request=request
        )
        _stopped(request, recipient)
    return redirect("meals:coordinator_watch", pk=diner.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def proxy(request, pk: int):
    access = get_proxy_for_referrer(request.user, pk, "can_edit_details")
    diner = access.diner
    form = None
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            recipient = watch.get_recipient(diner, request.POST.get("recipient"))
            watch.stop_watch_recipient(by=request.user, recipient=recipient, channel=Channel.WEB, request=request)
            _stopped(request, recipient)
            return redirect("meals:proxy_watch", pk=diner.pk)
        form = WatchRecipientForm(request.POST, diner=diner)
        if form.is_valid() and _add(request, form, diner, Channel.WEB):
            return redirect("meals:proxy_watch", pk=diner.pk)
    context = {"access": access, "diner": diner, "form": form or WatchRecipientForm(diner=diner), **_listed(diner)}
    return render(request, "meals/relationships/watch/proxy.html", context)
