"""The coordinator's pages of the directory of other support, and recording an onward referral for a
diner and what came of it.

Entries come through meals.signposting.access (another area's entry is a 404 like a missing id; a
national entry is changed by an admin only), diners through meals.diners.access. Every write goes
through meals.signposting.services; its refusals come back as form errors.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.people.access import areas_for_coordinator
from casserole.access import coordinator_required
from meals.diners.access import get_diner_for_coordinator
from meals.signposting import selectors, services
from meals.signposting.access import get_referral_for_coordinator, get_service_for_diner, get_service_for_edit
from meals.signposting.forms import EditServiceForm, NewServiceForm, OutcomeForm, ReferralForm, SearchForm
from meals.signposting.models import OnwardReferral


def _diner_support_url(diner) -> str:
    # The record itself, not its #support fragment: after a save, a keyboard user starts from the skip link.
    return reverse("meals:coordinator_diner", kwargs={"pk": diner.pk})


def _diner_asked_for(request):
    raw = request.GET.get("diner", "")
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise Http404
    return get_diner_for_coordinator(request.user, int(raw))


@coordinator_required
@never_cache
@require_GET
def directory(request):
    # With ?diner=<id>, the search is of what that diner's area can offer, and each entry can be recorded
    # for them; the diner comes through the access helper like on every other page.
    diner = _diner_asked_for(request)
    form = SearchForm(request.GET or None)
    query = selectors.Search()
    if form.is_valid():
        query = selectors.Search(
            **{name: form.cleaned_data[name] or "" for name in ("category", "suits")},
            words=form.cleaned_data["q"] or "",
        )
    areas = [diner.area] if diner else areas_for_coordinator(request.user)
    context = {
        "form": form,
        "diner": diner,
        "page": selectors.search(areas, query, page_number=request.GET.get("page")),
        "searched": bool(query.folded_words or query.category or query.suits),
        "stale": selectors.stale_count(areas),
    }
    return render(request, "meals/signposting/directory.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def new(request):
    areas = list(areas_for_coordinator(request.user).order_by("name", "pk"))
    form = NewServiceForm(
        request.POST if request.method == "POST" else None,
        areas=areas,
        national=request.user.is_superuser,
        language=get_language(),
    )
    if request.method == "POST" and form.is_valid():
        area, country = form.place()
        try:
            service = services.add_service(
                by=request.user, area=area, country=country, values=form.values(), request=request
            )
        except services.SignpostingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s has been added to the directory.") % {"name": service})
            return redirect("meals:coordinator_support")
    return render(request, "meals/signposting/service_form.html", {"form": form, "service": None})


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    service = get_service_for_edit(request.user, pk)
    initial = EditServiceForm.initial_for(service) | {"running": "yes" if service.running else "no"}
    form = EditServiceForm(request.POST if request.method == "POST" else None, initial=initial, country=service.country)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(
                by=request.user,
                service=service,
                values=form.values(),
                checked=form.cleaned_data["checked"],
                running=form.cleaned_data["running"] == "yes",
                request=request,
            )
        except services.SignpostingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s has been changed.") % {"name": service})
            return redirect("meals:coordinator_support")
    return render(request, "meals/signposting/service_form.html", {"form": form, "service": service})


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def refer(request, pk: int, service_pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    service = get_service_for_diner(request.user, diner, service_pk)
    reason = request.GET.get("reason")
    initial = {"reason": reason if reason in OnwardReferral.Reason.values else OnwardReferral.Reason.OTHER}
    form = ReferralForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = services.ReferralChoice(
            kind=data["kind"],
            consent=form.consent_given,
            channel=data["channel"],
            reason=data["reason"],
            on_card=data["on_card"],
            note=data["note"] or "",
        )
        try:
            services.record_onward_referral(
                by=request.user, diner=diner, service=service, choice=choice, request=request
            )
        except services.SignpostingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Recorded for %(name)s.") % {"name": diner.addressed})
            return redirect(_diner_support_url(diner))
    return render(request, "meals/signposting/refer.html", {"form": form, "diner": diner, "service": service})


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def outcome(request, pk: int):
    referral = get_referral_for_coordinator(request.user, pk)
    initial = {"outcome": referral.outcome, "on_card": referral.on_card}
    form = OutcomeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_referral_outcome(
                by=request.user,
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                on_card=form.cleaned_data["on_card"],
                request=request,
            )
        except services.SignpostingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your answer has been saved."))
            return redirect(_diner_support_url(referral.diner))
    return render(
        request, "meals/signposting/outcome.html", {"form": form, "referral": referral, "diner": referral.diner}
    )
