"""A coordinator's diner records: the diner list and a diner's record, assisted digital (changing
details and recording consent on the diner's behalf, with the channel), pause/resume/close, placing on
the map, proxy scopes and the printable card.

Every diner comes through meals.diners.access, so another area's diner is the same 404 as an id that
does not exist. Every write goes through meals.diners.services; its refusals come back as form errors or
an error message.
"""

import secrets
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casserole import status
from casserole.access import coordinator_required
from casserole.channels import CHANNEL_FIELD, add_channel_field
from casserole.models import Channel
from casserole.names import addressed
from meals.diners import selectors, services
from meals.diners.access import get_diner_for_coordinator, get_proxy_for_coordinator
from meals.diners.forms import PlaceDinerForm, ScopesForm
from meals.diners.models import Diner
from meals.diners.selectors import phone_shown, phones_for_page
from meals.diners.services import CONSENT_FIELDS, DINER_FIELDS, ReferralError, UnrecognisedPostcodeError
from meals.matching.selectors import current_cooks
from meals.records import selectors as record_selectors
from meals.referrals.forms import SECTIONS
from meals.schedule.selectors import diner_schedule
from meals.signposting.selectors import card_services

# A name search is personal data: it is posted, kept here in the session under a random key, and the list
# is shown at ?search=<key>, so no name reaches an access log. The last few are kept for back and forward.
DINER_SEARCHES_SESSION_KEY = "diner_searches"
KEPT_DINER_SEARCHES = 10


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def diners(request):
    if request.method == "POST":
        query = {"status": request.POST.get("status", ""), "search": _remember_search(request, request.POST.get("q"))}
        return redirect(f"{reverse('meals:coordinator_diners')}?{urlencode({k: v for k, v in query.items() if v})}")
    search_key = request.GET.get("search", "")
    context = selectors.diner_list(
        request.user,
        status=request.GET.get("status") or None,
        search=request.session.get(DINER_SEARCHES_SESSION_KEY, {}).get(search_key, ""),
        page_number=request.GET.get("page"),
    )
    context["search_key"] = search_key if context["search"] else ""
    return render(request, "meals/records/diners.html", context)


def _remember_search(request, text: str | None) -> str:
    """Keep `text` in the session and return its key ("" for an empty search, which shows everyone)."""
    text = (text or "").strip()[:100]
    if not text:
        return ""
    searches = request.session.get(DINER_SEARCHES_SESSION_KEY, {})
    key = secrets.token_urlsafe(6)
    searches = dict(list(searches.items())[-(KEPT_DINER_SEARCHES - 1) :]) | {key: text}
    request.session[DINER_SEARCHES_SESSION_KEY] = searches
    return key


@coordinator_required
@never_cache
@require_GET
def diner(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    # Audited before reading the history, so this visit is the first line of "who looked".
    services.record_diner_viewed(by=request.user, diner=diner, request=request)
    context = record_selectors.diner_record(diner)
    for access in context["proxies"]:
        access.scope_form = ScopesForm(prefix=f"proxy-{access.pk}", initial=ScopesForm.initial_for(access))
        access.phone_shown = phone_shown(access.referrer.phone)
    # Each detail's "Change" link goes to the question page that edits it.
    change = {
        name: reverse("meals:coordinator_diner_edit", kwargs={"pk": diner.pk, "section": slug})
        for slug, form_class in _editable_sections().items()
        for name in form_class.fields_for_diner
    }
    change["location"] = reverse("meals:coordinator_diner_location", kwargs={"pk": diner.pk})
    change["consent"] = reverse("meals:coordinator_diner_consent", kwargs={"pk": diner.pk})
    context.update(diner=diner, change=change, matches=current_cooks(diner), **phones_for_page(diner))
    context["support"] = record_selectors.diner_support(diner)
    return render(request, "meals/records/diner.html", context)


def _editable_sections() -> dict:
    """The question forms that edit only the diner's own details (not the relationship, not consent)."""
    return {
        slug: form_class
        for slug, form_class in SECTIONS.items()
        if form_class.fields_for_diner and set(form_class.fields_for_diner) <= set(DINER_FIELDS)
    }


def _diner_values(diner: Diner, names) -> dict:
    return {name: getattr(diner, name) for name in names}


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, pk: int, section: str):
    diner = get_diner_for_coordinator(request.user, pk)
    form_class = _editable_sections().get(section)
    if form_class is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    initial = form_class.initial_from(_diner_values(diner, DINER_FIELDS))
    form = add_channel_field(form_class(data, initial=initial, country=diner.country), Channel.PHONE)
    if data is not None and form.is_valid():
        answers = form.answers()
        values = {name: answers[name] for name in form_class.fields_for_diner if name in answers}
        try:
            services.update_diner(
                by=request.user, diner=diner, values=values, channel=form.cleaned_data[CHANNEL_FIELD], request=request
            )
        except UnrecognisedPostcodeError as error:
            form.add_error("postcode", str(error))
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s’s details have been changed.") % {"name": diner.addressed})
            return redirect("meals:coordinator_diner", pk=diner.pk)
    return render(request, "meals/records/edit.html", {"diner": diner, "form": form})


def _consent_form(diner: Diner, data):
    """The request's consent question, worded for a coordinator recording what the diner tells them.
    It starts from what the diner agreed to before, but "they agree", how and when are asked afresh."""
    form_class = SECTIONS["consent"]
    values = _diner_values(diner, CONSENT_FIELDS) | {
        "consent_given": False,
        "consent_method": Diner.ConsentMethod.PHONE,
        "consent_given_on": timezone.localdate().isoformat(),
    }
    form = form_class(data, initial=form_class.initial_from(values), country=diner.country)
    form.fields["consent_given"].label = _("Does the diner agree?")
    form.fields["consent_given"].help_text = _(
        "Ask the diner themselves. Tell them we keep their details safely and that only their coordinator and the "
        "cook who brings meals will see them."
    )
    form.fields["concerns_to"].choices = [
        ("referrer", _("The person who asked for meals for them")),
        ("emergency_contact", _("Their emergency contact")),
    ]
    return add_channel_field(form, Channel.PHONE)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def consent(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = _consent_form(diner, data)
    if data is not None and form.is_valid():
        if not form.answers().get("consent_given"):
            form.add_error("consent_given", _("Select yes if the diner has agreed"))
        else:
            try:
                services.record_consent(
                    by=request.user,
                    diner=diner,
                    values=form.consent_values(),
                    channel=form.cleaned_data[CHANNEL_FIELD],
                    request=request,
                )
            except ReferralError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Consent recorded for %(name)s.") % {"name": diner.addressed})
                return redirect("meals:coordinator_diner", pk=diner.pk)
    return render(request, "meals/records/consent.html", {"diner": diner, "form": form})


# What each status change asks and says. The service decides whether it is allowed from the current status.
STATUS_ACTIONS = {
    "pause": {
        "title": gettext_lazy("Pause meals for %(name)s"),
        "intro": gettext_lazy(
            "While paused, nobody will be matched with them. Their record and history stay as they are, and you "
            "can resume meals at any time."
        ),
        "label": gettext_lazy("Why are you pausing meals?"),
        "help": gettext_lazy("For example “In hospital until the end of the month”."),
        "button": gettext_lazy("Pause meals"),
        "done": gettext_lazy("Meals for %(name)s are paused."),
    },
    "resume": {
        "title": gettext_lazy("Resume meals for %(name)s"),
        "intro": gettext_lazy("They can be matched with a cook again."),
        "label": gettext_lazy("Why are you resuming meals?"),
        "help": "",
        "button": gettext_lazy("Resume meals"),
        "done": gettext_lazy("Meals for %(name)s have resumed."),
    },
    "close": {
        "title": gettext_lazy("Close the record of %(name)s"),
        "intro": gettext_lazy(
            "Nobody will be matched with them and anyone acting for them can no longer do so. The record and its "
            "history are kept, and you can still look at them."
        ),
        "label": gettext_lazy("Why are you closing this record?"),
        "help": gettext_lazy("For example “Moved into a care home”."),
        "button": gettext_lazy("Close this record"),
        "done": gettext_lazy("The record of %(name)s is closed. Its history is kept."),
    },
}


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def change_status(request, pk: int, action: str):
    diner = get_diner_for_coordinator(request.user, pk)
    texts = STATUS_ACTIONS.get(action)
    if texts is None:
        raise Http404
    return status.status_change_page(
        request,
        transition=services.DINER_STATUS[action],
        change=partial(services.change_diner_status, by=request.user, diner=diner, action=action, request=request),
        template="meals/records/status.html",
        context={
            "diner": diner,
            "action": action,
            "title": texts["title"] % {"name": diner.addressed},
            "intro": texts["intro"],
            "button": texts["button"],
        },
        label=texts["label"],
        help_text=texts["help"],
        ask_channel=True,
        done=texts["done"] % {"name": diner.addressed},
        success_url=reverse("meals:coordinator_diner", kwargs={"pk": diner.pk}),
    )


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def place(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    form = PlaceDinerForm(request.POST if request.method == "POST" else None, initial=PlaceDinerForm.initial_for(diner))
    if request.method == "POST" and form.is_valid():
        try:
            services.place_diner(by=request.user, diner=diner, request=request, **form.cleaned_data)
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s has been placed on the map.") % {"name": diner.addressed})
            return redirect("meals:coordinator_diner", pk=diner.pk)
    return render(request, "meals/records/place.html", {"diner": diner, "form": form})


@coordinator_required
@require_POST
def proxy_scope(request, pk: int, access_pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    access = get_proxy_for_coordinator(request.user, diner, access_pk)
    form = ScopesForm(request.POST, prefix=f"proxy-{access.pk}")
    if not form.is_valid():
        messages.error(request, _("Select only the choices shown"))
        return redirect("meals:coordinator_diner", pk=diner.pk)
    try:
        services.set_proxy_scopes(by=request.user, access=access, scopes=form.scope_values(), request=request)
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        name = addressed(access.referrer.full_name) or access.referrer.email
        messages.success(request, _("You changed what %(name)s may do for the diner.") % {"name": name})
    return redirect("meals:coordinator_diner", pk=diner.pk)


@coordinator_required
@require_POST
def proxy_revoke(request, pk: int, access_pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    access = get_proxy_for_coordinator(request.user, diner, access_pk)
    try:
        services.revoke_proxy(by=request.user, access=access, request=request)
    except ReferralError as error:
        messages.error(request, str(error))
    else:
        name = addressed(access.referrer.full_name) or access.referrer.email
        messages.success(request, _("%(name)s can no longer act for the diner.") % {"name": name})
    return redirect("meals:coordinator_diner", pk=diner.pk)


@coordinator_required
@never_cache
@require_GET
def card(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    context = {
        "diner": diner,
        "area": diner.area,
        "language": diner.preferred_language,
        # Only cooks the diner may know about: an offer not yet approved is not on the card.
        "cooks": [match for match in current_cooks(diner) if match.shares_details],
        "meals": diner_schedule(diner, weeks=4),
        "support_services": card_services(diner),
        "back_url": reverse("meals:coordinator_diner", kwargs={"pk": diner.pk}),
        "back_label": _("Back to the diner’s record"),
    }
    return render(request, "meals/diners/card.html", context)
