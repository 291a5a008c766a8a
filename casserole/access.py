"""Role guards for views, shared by every capability. They read only what the signed-in user carries
(`is_cook`, `coordinated_area_ids`, the second factor), so they sit in the lowest layer; each
capability's own access.py fetches its objects within what the user may see."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def coordinator_required(view):
    """A signed-in coordinator with at least one area, past the second factor (the middleware sends
    an unverified session to the two-factor pages first; this refuses anything that slips by)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_verified() or not (user.is_superuser or user.coordinated_area_ids):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def cook_required(view):
    """A signed-in person who signed up to cook (anyone else signed in: 403)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_cook:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
