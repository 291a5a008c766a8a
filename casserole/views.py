from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casserole import audit, rate_limits
from casserole.retention import SCHEDULE, kind


@require_GET
def home(request):
    return render(request, "pages/home.html")


@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_GET
def privacy(request):
    # How long each kind of data is kept comes from the schedule the retention job applies, never a copy.
    context = {"retention": SCHEDULE, "identity_photo_days": kind("identity_photos").days}
    return render(request, "pages/privacy.html", context)


@require_GET
def healthz(request):
    """For the load balancer: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    audit.record(action=audit.Action.ACCESS_DENIED, actor=user, request=request, detail={"path": request.path[:200]})
    return render(request, "pages/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "pages/404.html", status=404)


def too_many_requests(request, exception=None):
    kind, minutes = rate_limits.limited_page(request)
    context = {"kind": kind, "heading": rate_limits.HEADINGS[kind], "minutes": minutes}
    return render(request, "429.html", context, status=429)
