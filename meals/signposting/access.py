"""Who may see and change directory entries and onward referrals. Views fetch them only through these.

- An entry of another area's directory is a 404 to a coordinator, exactly like an id that does not exist.
- A national entry is seen by the coordinators of every area of its country; only an admin changes it
  (anyone else: 403, they may see it but not act).
- An onward referral is its diner's: only the coordinators of the diner's area reach it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.people.access import areas_for_coordinator, can_manage_area
from meals.diners.models import Diner
from meals.signposting.models import OnwardReferral, SupportService
from meals.signposting.selectors import services_for_areas
from meals.signposting.services import service_reaches


def get_service_for_edit(user, pk: int) -> SupportService:
    """An entry the coordinator may change: one of their areas' (else 404), or a national one of their
    countries for an admin (a coordinator: 403)."""
    service = services_for_areas(areas_for_coordinator(user)).select_related("area").filter(pk=pk).first()
    if service is None:
        raise Http404
    if service.area is None:
        if not user.is_superuser:
            raise PermissionDenied
    elif not can_manage_area(user, service.area):
        raise Http404
    return service


def get_service_for_diner(user, diner: Diner, pk: int) -> SupportService:
    """An entry the diner's area can offer (its own or a national one of its country), for a coordinator
    who already reached the diner through meals.diners.access; any other is a 404."""
    service = SupportService.objects.select_related("area").filter(pk=pk).first()
    if service is None or not service_reaches(service, diner):
        raise Http404
    return service


def get_referral_for_coordinator(user, pk: int) -> OnwardReferral:
    """An onward referral of a diner in one of the coordinator's areas, or 404 as if it did not exist."""
    referral = (
        OnwardReferral.objects.select_related("diner", "diner__area", "service", "made_by")
        .filter(pk=pk, diner__area__in=areas_for_coordinator(user))
        .first()
    )
    if referral is None:
        raise Http404
    return referral
