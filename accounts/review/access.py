"""Who may see and do what with accounts. Views fetch objects only through these helpers."""

from django.http import Http404

from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck
from accounts.people.access import areas_for_coordinator
from accounts.people.models import User


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


def get_waiting_move_for_coordinator(user, cook_pk: int, move_pk: int) -> CookMove:
    """A waiting move of a cook in one of the user's areas, or 404."""
    profile = get_cook_profile_for_coordinator(user, cook_pk)
    move = CookMove.objects.filter(pk=move_pk, profile=profile, outcome=CookMove.Outcome.WAITING).first()
    if move is None:
        raise Http404
    return move
