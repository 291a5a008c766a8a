"""Reads for the coordinator's diner pages: the referral queue, the diner list and a diner's record.

Each page is built in a fixed number of queries whatever the number of rows (tests/meals/
test_coordinator.py counts them). Every read starts from meals.access, so another area's diners and
requests never appear.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.access import areas_for_coordinator
from casserole import audit
from casserole.models import AuditEntry
from meals.access import diners_for_coordinator
from meals.models import Allergen, Diner, ProxyAccess, Referral, Weekday

DINER_LIST_PAGE_SIZE = 50
HISTORY_ENTRIES = 50
VIEWED_ENTRIES = 20
RECORD_VIEWED = "diner_record_viewed"

# What the history on a diner's record says; any other action shows its code.
AUDIT_LABELS = {
    "referral_submitted": _("Request for meals sent"),
    "referral_updated": _("Request changed and sent again"),
    "referral_accepted": _("Request accepted"),
    "referral_more_info": _("More information asked for"),
    "referral_declined": _("Request declined"),
    "proxy_granted": _("Someone was allowed to act for the diner"),
    "proxy_scope_changed": _("What someone may do for the diner was changed"),
    "proxy_revoked": _("Someone’s access to act for the diner was removed"),
    "diner_updated": _("Details changed"),
    "diner_consent_recorded": _("Consent recorded"),
    "diner_placed_by_hand": _("Placed on the map by a coordinator"),
    "diner_paused": _("Paused"),
    "diner_resumed": _("Resumed"),
    "diner_closed": _("Closed"),
    RECORD_VIEWED: _("Record looked at"),
}


def postcode_district(country: str, postcode: str) -> str:
    """The district of a canonical postcode ("E8 1DY" → "E8", "154-0004" → "154"): enough to say
    roughly where someone lives without their street."""
    if country == "JP":
        return postcode[:3]
    return postcode.split(" ", 1)[0]


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


def diner_list(
    user, *, status: str | None = None, search: str = "", page_number=None, per_page: int = DINER_LIST_PAGE_SIZE
) -> dict:
    """One page of the diners in the user's areas, optionally of one status or matching a name, and
    how many diners have each status (for the filter)."""
    diners = diners_for_coordinator(user).select_related("area")
    if status not in Diner.Status.values:
        status = None
    if status:
        diners = diners.filter(status=status)
    search = (search or "").strip()[:100]
    if search:
        diners = diners.filter(
            Q(full_name__icontains=search) | Q(preferred_name__icontains=search) | Q(name_reading__icontains=search)
        )
    page: Page = Paginator(diners.order_by("full_name", "pk"), per_page).get_page(page_number)
    for diner in page.object_list:
        diner.district = postcode_district(diner.country, diner.postcode)
    counts = diners_for_coordinator(user).aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in Diner.Status.values}
    )
    return {
        "page": page,
        "diners": page.object_list,
        "status": status,
        "search": search,
        "statuses": [
            {"value": value, "label": label, "count": counts[value], "current": value == status}
            for value, label in Diner.Status.choices
        ],
        "total": sum(counts.values()),
    }


def _labelled(entries) -> list[AuditEntry]:
    entries = list(entries)
    for entry in entries:
        entry.label = AUDIT_LABELS.get(entry.action, entry.action)
    return entries


def diner_record(diner: Diner) -> dict:
    """Everything a coordinator sees about one diner (already fetched through the access helper):
    their requests, who may act for them, what happened to the record and who looked at it."""
    referrals = list(
        Referral.objects.filter(diner=diner)
        .select_related("referrer", "decided_by", "created_by")
        .order_by("-submitted_at", "-pk")
    )
    proxies = list(
        ProxyAccess.objects.filter(diner=diner)
        .select_related("referrer", "granted_by", "revoked_by")
        .order_by("revoked_at", "-granted_at", "-pk")  # live ones (no revoked_at) first
    )
    # The diner's own entries and those of their requests, newest first.
    history = audit.entries_for_object(diner) | AuditEntry.objects.filter(
        object_type=Referral._meta.label_lower, object_id__in=[str(referral.pk) for referral in referrals]
    )
    history = history.select_related("actor").order_by("-created_at", "-pk")
    return diner_labels(diner) | {
        "referrals": referrals,
        "proxies": [access for access in proxies if access.revoked_at is None],
        "revoked_proxies": [access for access in proxies if access.revoked_at is not None],
        "history": _labelled(history.exclude(action=RECORD_VIEWED)[:HISTORY_ENTRIES]),
        "viewed": _labelled(history.filter(action=RECORD_VIEWED)[:VIEWED_ENTRIES]),
    }


def diner_labels(diner: Diner) -> dict:
    """The diner's list answers (allergens, days, what may be shared) as labels, their district, and
    who recorded their consent (read here, so the template triggers no query)."""
    allergen_labels = dict(Allergen.choices)
    day_labels = dict(Weekday.choices)
    share_labels = dict(Diner.Share.choices)
    return {
        "allergens": [allergen_labels.get(value, value) for value in diner.allergens],
        "days": [day_labels.get(value, value) for value in diner.days],
        "shared": [share_labels.get(value, value) for value in diner.share_with_cook],
        "district": postcode_district(diner.country, diner.postcode),
        "consent_recorded_by": diner.consent_recorded_by if diner.consent_recorded_by_id else None,
    }
