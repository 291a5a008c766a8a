"""Reads for the referrer's pages: their own requests and the diners they act for, in a fixed number of
queries whatever the number of rows (tests/meals/proxy/test_proxy.py counts them)."""

from accounts.people.models import User
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.referrals.models import Referral


def my_diners(user: User) -> dict:
    """The person's own requests and their live accesses to diners (never a closed diner's)."""
    referrals = list(Referral.objects.filter(referrer=user).select_related("diner"))
    accesses = list(
        ProxyAccess.objects.filter(referrer=user, revoked_at__isnull=True)
        .exclude(diner__status=Diner.Status.CLOSED)
        .select_related("diner")
        .order_by("diner__preferred_name", "pk")
    )
    return {"referrals": referrals, "accesses": accesses}


def cooks_for_diner(diner: Diner) -> list[Match]:
    """The diner's matches that share details, with their cook: the diner's page names each cook (by first
    name only) and offers to ask for a pause or an end."""
    return list(Match.objects.filter(diner=diner, status__in=Match.SHARING_STATUSES).select_related("cook"))
