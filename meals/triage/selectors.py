"""Reads for the coordinator's diner pages: the referral queue, the diner list and a diner's record.

Each page is built in a fixed number of queries whatever the number of rows (tests/meals/
test_coordinator.py counts them). Every read starts from meals.diners.access, so another area's diners and
requests never appear.
"""

from django.db.models import Count, Q

from accounts.people.access import areas_for_coordinator
from meals.diners.selectors import postcode_district
from meals.referrals.models import Referral


def _referrals_for_coordinator(user):
    return Referral.objects.filter(diner__area__in=areas_for_coordinator(user))


def referral_queue(user) -> dict:
    """Requests waiting for a coordinator of the user's areas, oldest first (the longest wait is
    dealt with first), and how many are waiting or back with the person who asked."""
    referrals = list(
        _referrals_for_coordinator(user)
        .filter(status=Referral.Status.SUBMITTED)
        .select_related("diner", "diner__area", "referrer")
        .order_by("submitted_at", "pk")
    )
    for referral in referrals:
        referral.diner.district = postcode_district(referral.diner.country, referral.diner.postcode)
    counts = _referrals_for_coordinator(user).aggregate(
        more_info=Count("pk", filter=Q(status=Referral.Status.MORE_INFO)),
    )
    return {"referrals": referrals, "waiting_count": len(referrals), "more_info_count": counts["more_info"]}
