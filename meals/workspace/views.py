"""The coordinator's workspace: the home with every queue of their areas, the waiting list, and the search
across their areas' cooks and diners. A coordinator of several areas can show one (?area=<id>); any other
area's id is a 404 (meals.workspace.access)."""

import secrets
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.people.access import areas_for_coordinator
from casserole import audit
from casserole.access import coordinator_required
from meals.workspace import selectors
from meals.workspace.access import chosen_areas
from meals.workspace.forms import SearchForm

# A search for a person is personal data: it is posted, kept here in the session under a random key, and
# the results are shown at ?search=<key>, so no name or number reaches an access log (as the diner list's
# name search does). The last few are kept for back and forward.
SEARCHES_SESSION_KEY = "people_searches"
KEPT_SEARCHES = 10


@coordinator_required
@never_cache
@require_GET
def coordinator_home(request):
    now = timezone.now()
    areas = selectors.home_areas(areas_for_coordinator(request.user), now=now)
    chosen = chosen_areas(areas, request.GET.get("area"))
    context = selectors.coordinator_home(areas, chosen, now=now, show_admin=request.user.is_staff)
    context["search_form"] = SearchForm()
    return render(request, "meals/workspace/home.html", context)


@coordinator_required
@never_cache
@require_GET
def waiting_list(request):
    areas = selectors.user_areas(areas_for_coordinator(request.user))
    chosen = chosen_areas(areas, request.GET.get("area"))
    context = selectors.waiting_list(chosen, now=timezone.now())
    context.update(areas=areas, area_filter=_area_filter(areas, chosen))
    return render(request, "meals/workspace/waiting.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def search(request):
    areas = selectors.user_areas(areas_for_coordinator(request.user))
    data = request.POST if request.method == "POST" else None
    chosen = chosen_areas(areas, (data or request.GET).get("area"))
    form, found = SearchForm(data), None
    if data is not None and form.is_valid():
        text = form.cleaned_data["q"]
        found = selectors.search_people(chosen, text)
        # Who searched and how many people they found, never what they typed (a name, a phone number).
        audit.record(
            action=audit.Action.PEOPLE_SEARCHED,
            actor=request.user,
            area=chosen[0] if len(chosen) == 1 else None,
            request=request,
            detail={"results": found.count},
        )
        query = {"search": _remember_search(request, text), "area": _area_filter(areas, chosen) or ""}
        return redirect(f"{reverse('coordinator:search')}?{urlencode({k: v for k, v in query.items() if v})}")
    if data is None:
        text = request.session.get(SEARCHES_SESSION_KEY, {}).get(request.GET.get("search", ""), "")
        form = SearchForm(initial={"q": text})
        found = selectors.search_people(chosen, text) if text else None
    context = {"form": form, "found": found, "areas": areas, "area_filter": _area_filter(areas, chosen)}
    context["search_key"] = request.GET.get("search", "") if found is not None else ""
    return render(request, "meals/workspace/search.html", context)


def _area_filter(areas: list, chosen: list) -> int | None:
    """The id of the one area shown, or None when the page shows all the user's areas."""
    return chosen[0].pk if len(chosen) < len(areas) else None


def _remember_search(request, text: str) -> str:
    """Keep `text` in the session and return its key."""
    key = secrets.token_urlsafe(6)
    searches = request.session.get(SEARCHES_SESSION_KEY, {})
    request.session[SEARCHES_SESSION_KEY] = dict(list(searches.items())[-(KEPT_SEARCHES - 1) :]) | {key: text}
    return key
