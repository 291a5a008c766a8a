"""The referrer's side of proxy access: their requests, the diners they act for, and the pages that act
for one diner within the scope a coordinator chose.

Every page about a diner fetches them through meals.diners.access.get_proxy_for_referrer, which reads the
live access on every request: no access (never had, revoked, someone else's diner, a closed diner) is
a 404 exactly like a missing id; access without the page's scope is a 403. Writes go through
meals.diners.services; its refusals come back as form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casserole.models import Channel
from meals.diners import services
from meals.diners.access import get_proxy_for_referrer
from meals.diners.models import Diner, ProxyAccess
from meals.proxy import selectors
from meals.referrals.forms import SECTIONS
from meals.schedule import consents
from meals.schedule import preferences as meal_preferences
from meals.schedule import selectors as schedule_selectors
from meals.signposting import selectors as signposting

# The wizard's sections that edit only the diner's own record (relationship and consent are the
# request's and the coordinator's business), with the heading each has on the diner's page.
DINER_SECTIONS = {
    "name": gettext_lazy("Name"),
    "address": gettext_lazy("Address"),
    "phone": gettext_lazy("Phone number"),
    "access": gettext_lazy("How to get in"),
    "diet": gettext_lazy("Dietary needs and allergies"),
    "texture": gettext_lazy("Texture of food"),
    "likes": gettext_lazy("Likes and dislikes"),
    "days": gettext_lazy("How often and which days"),
    "emergency": gettext_lazy("Emergency contact"),
}


def _diner_values(diner: Diner) -> dict:
    return {name: getattr(diner, name) for name in services.DINER_FIELDS}


def _sections(diner: Diner) -> list[dict]:
    """The diner's details as the request's "Check your answers" shows them, one card per section."""
    values = _diner_values(diner)
    return [
        {"slug": slug, "heading": heading, "rows": SECTIONS[slug](country=diner.country).summary(values)}
        for slug, heading in DINER_SECTIONS.items()
    ]


def _scopes(access: ProxyAccess) -> list[str]:
    """What the coordinator lets this referrer do, in plain words ("see the meal schedule")."""
    return [str(ProxyAccess._meta.get_field(name).verbose_name) for name in services.SCOPES if getattr(access, name)]


@login_required
@never_cache
@require_GET
def my_diners(request):
    # Anyone signed in may have asked for meals (the wizard does not need the referrer role), so this
    # page needs only a sign-in: it lists that person's own requests and live accesses, nothing else.
    return render(request, "meals/proxy/my_diners.html", selectors.my_diners(request.user))


@login_required
@never_cache
@require_GET
def diner(request, pk: int):
    access = get_proxy_for_referrer(request.user, pk)
    diner = access.diner
    # Their cook's first name only; the pause/end request goes to the coordinator.
    context = {
        "access": access,
        "diner": diner,
        "scopes": _scopes(access),
        "on_diner_page": True,
        "matches": selectors.cooks_for_diner(diner),
    }
    if access.can_view_schedule:
        # The other support recorded for them (what was done and whether it took place; never the note).
        context["support"] = signposting.referrals_for_proxy(diner)
    if access.can_edit_details:
        # The full record (address, health and allergy data): its viewing is audited.
        services.record_diner_viewed(by=request.user, diner=diner, request=request)
        context["sections"] = _sections(diner)
    return render(request, "meals/proxy/diner.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, pk: int, section: str):
    access = get_proxy_for_referrer(request.user, pk, "can_edit_details")
    if section not in DINER_SECTIONS:
        raise Http404
    diner, form_class = access.diner, SECTIONS[section]
    initial = form_class.initial_from(_diner_values(diner))
    form = form_class(request.POST if request.method == "POST" else None, initial=initial, country=diner.country)
    if request.method == "POST" and form.is_valid():
        # Only this section's own diner fields: a posted "status", "area" or another section's field
        # never reaches the service.
        fields = set(form_class.fields_for_diner) & set(services.DINER_FIELDS)
        values = {name: value for name, value in form.answers().items() if name in fields}
        try:
            services.update_diner(by=request.user, diner=diner, values=values, channel=Channel.WEB, request=request)
        except services.ReferralError as error:
            # The one refusal is an address outside the diner's area: shown at the postcode.
            form.add_error("postcode" if "postcode" in form.fields else None, str(error))
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("meals:proxy_diner", pk=diner.pk)
    return render(
        request,
        "meals/proxy/edit.html",
        {"access": access, "diner": diner, "form": form, "title": form_class.title, "heading": DINER_SECTIONS[section]},
    )


@login_required
@never_cache
@require_GET
def schedule(request, pk: int):
    access = get_proxy_for_referrer(request.user, pk, "can_view_schedule")
    diner, now = access.diner, timezone.now()
    # Who cooks (first names), the next four weeks of meals with the buttons the access allows, how the
    # diner likes their meals, and the referrer's own reminder choice.
    context = {
        "access": access,
        "diner": diner,
        "matches": selectors.cooks_for_diner(diner),
        "meals": schedule_selectors.diner_schedule(diner, now=now),
        "preferences": meal_preferences.summary(diner),
        "reminders_on": consents.reminders_on(access),
        "now": now,
    }
    return render(request, "meals/proxy/schedule.html", context)


@login_required
@never_cache
@require_GET
def card(request, pk: int):
    access = get_proxy_for_referrer(request.user, pk, "can_view_schedule")
    diner = access.diner
    return render(
        request,
        "meals/diners/card.html",
        {
            "access": access,
            "diner": diner,
            "area": diner.area,
            "language": diner.preferred_language,
            "cooks": selectors.cooks_for_diner(diner),
            "meals": schedule_selectors.diner_schedule(diner, weeks=4),
            "support_services": signposting.card_services(diner),
            "back_url": reverse("meals:proxy_diner", args=[diner.pk]),
            "back_label": _("Back to %(name)s’s page") % {"name": diner.addressed},
        },
    )
