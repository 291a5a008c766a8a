"""The cook's private calendar address (shown, and reset on request) and the feed it serves."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casserole.access import cook_required
from meals.schedule import calendar as feeds


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def settings(request):
    if request.method == "POST":
        had_one = feeds.feed_for_cook(request.user) is not None
        feeds.reset_calendar_feed(cook=request.user, request=request)
        if had_one:
            messages.success(request, _("Your calendar has a new address. The old address no longer works."))
        else:
            messages.success(request, _("Your calendar address is ready."))
        return redirect("meals:cook_calendar")
    feed = feeds.feed_for_cook(request.user)
    return render(
        request,
        "meals/schedule/calendar/settings.html",
        {"feed": feed, "feed_url": feeds.feed_url(feed) if feed is not None else ""},
    )


# Public: the long random token in the address is the only key (a calendar app cannot sign in), and
# what the feed holds is chosen so that a leaked address leaks nothing sensitive.
@never_cache
@require_GET
def feed(request, token: str):
    cook = feeds.cook_for_token(token)
    if cook is None:
        raise Http404
    response = HttpResponse(feeds.build_feed(cook), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="casserole-meals.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
