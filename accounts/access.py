"""Who may see and do what with accounts. Views fetch objects only through these helpers."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Area, CookProfile, CoordinatorMembership, IdentityCheck, Invitation, User


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


def areas_for_coordinator(user):
    """The areas this person looks after (every area for an admin)."""
    if user.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(pk__in=user.coordinated_area_ids)


def get_membership_for_management(user, pk: int) -> CoordinatorMembership:
    """A coordinator membership in one of the user's areas, or 404 as if it did not exist."""
    membership = (
        CoordinatorMembership.objects.select_related("user", "area")
        .filter(pk=pk, area__in=areas_for_coordinator(user))
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def get_invitation_for_management(user, pk: int) -> Invitation:
    """An invitation to one of the user's areas, or 404 as if it did not exist."""
    invitation = Invitation.objects.select_related("area").filter(pk=pk, area__in=areas_for_coordinator(user)).first()
    if invitation is None:
        raise Http404
    return invitation


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


def cooks_for_coordinator(user):
    """Cooks living in the user's areas: the only cooks a coordinator may know exist."""
    return User.objects.filter(is_cook=True, home_area__in=areas_for_coordinator(user))


def get_cook_for_coordinator(user, pk: int) -> User:
    """A cook in one of the user's areas (profile joined), or 404 as if they did not exist."""
    cook = cooks_for_coordinator(user).select_related("home_area", "cook_profile").filter(pk=pk).first()
    if cook is None:
        raise Http404
    return cook


def get_cook_profile_for_coordinator(user, pk: int) -> CookProfile:
    """The profile of a cook in one of the user's areas, or 404 (also when there is no profile yet)."""
    profile = (
        CookProfile.objects.select_related("user", "user__home_area")
        .filter(user_id=pk, user__in=cooks_for_coordinator(user))
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def get_identity_check_for_coordinator(user, cook_pk: int, check_pk: int) -> IdentityCheck:
    """One of a cook's identity checks, for a coordinator of the cook's area; 404 otherwise."""
    check = (
        IdentityCheck.objects.select_related("cook", "cook__home_area", "cook__cook_profile", "decided_by")
        .filter(pk=check_pk, cook_id=cook_pk, cook__in=cooks_for_coordinator(user))
        .first()
    )
    if check is None:
        raise Http404
    return check
