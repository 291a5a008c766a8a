"""Who may see and do what with accounts. Views fetch objects only through these helpers."""

from django.http import Http404

from accounts.people.models import Area, CoordinatorMembership, Invitation, User


def can_manage_area(user: User, area: Area) -> bool:
    """Whether the user may act for this area: an admin for every area, a coordinator for their own.
    Services check it before any coordinator's write; the scoped querysets below are its SQL form."""
    return user.is_superuser or area.pk in user.coordinated_area_ids


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
