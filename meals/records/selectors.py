"""Reads for a diner's record: their requests, who may act for them, the history and who looked.

Built in a fixed number of queries whatever the number of rows (tests/meals/records/test_coordinator.py
counts them).
"""

from casserole import audit
from casserole.models import AuditEntry
from meals.diners.models import Diner, ProxyAccess
from meals.diners.selectors import diner_labels
from meals.referrals.models import Referral

HISTORY_ENTRIES = 50
VIEWED_ENTRIES = 20


def _labelled(entries) -> list[AuditEntry]:
    entries = list(entries)
    for entry in entries:
        entry.label = audit.label(entry.action)
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
        "history": _labelled(history.exclude(action=audit.Action.DINER_RECORD_VIEWED)[:HISTORY_ENTRIES]),
        "viewed": _labelled(history.filter(action=audit.Action.DINER_RECORD_VIEWED)[:VIEWED_ENTRIES]),
    }
