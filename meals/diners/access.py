"""Who may see and do what with diners. Views fetch diners and requests only through these helpers:
another area's diner, or a diner a referrer does not act for, is a 404 exactly like a missing id."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.people.access import areas_for_coordinator
from meals.diners.models import Diner, ProxyAccess


def referrer_required(view):
    """A signed-in person who asks for meals for others (anyone else signed in: 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_referrer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def diners_for_coordinator(user):
    return Diner.objects.filter(area__in=areas_for_coordinator(user))


def get_diner_for_coordinator(user, pk: int) -> Diner:
    """A diner in one of the coordinator's areas, or 404 as if they did not exist."""
    diner = diners_for_coordinator(user).select_related("area").filter(pk=pk).first()
    if diner is None:
        raise Http404
    return diner


def get_proxy_for_coordinator(user, diner: Diner, pk: int) -> ProxyAccess:
    access = ProxyAccess.objects.select_related("referrer", "diner", "diner__area").filter(pk=pk, diner=diner).first()
    if access is None:
        raise Http404
    return access


def live_proxy(user, diner_pk: int) -> ProxyAccess | None:
    return (
        ProxyAccess.objects.select_related("diner", "diner__area")
        .filter(diner_id=diner_pk, referrer=user, revoked_at__isnull=True)
        .exclude(diner__status=Diner.Status.CLOSED)
        .first()
    )


def get_proxy_for_referrer(user, diner_pk: int, scope: str | None = None) -> ProxyAccess:
    """The user's live access to act for this diner (read on every request, so a revocation works on
    the next one). No access: 404, as if the diner did not exist. Access without `scope`: 403."""
    access = live_proxy(user, diner_pk)
    if access is None:
        raise Http404
    if scope is not None and not getattr(access, scope):
        raise PermissionDenied
    return access
