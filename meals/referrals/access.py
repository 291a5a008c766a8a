"""Who may see and do what with diners. Views fetch diners and requests only through these helpers:
another area's diner, or a diner a referrer does not act for, is a 404 exactly like a missing id."""

from django.http import Http404

from accounts.people.access import areas_for_coordinator
from meals.referrals.models import Referral


def get_referral_for_coordinator(user, pk: int) -> Referral:
    referral = (
        Referral.objects.select_related("diner", "diner__area", "referrer", "decided_by")
        .filter(pk=pk, diner__area__in=areas_for_coordinator(user))
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def get_referral_for_referrer(user, pk: int) -> Referral:
    """A request the user made themselves, or 404."""
    referral = Referral.objects.select_related("diner", "diner__area").filter(pk=pk, referrer=user).first()
    if referral is None:
        raise Http404
    return referral
