"""Reads for a diner's record: their requests, who may act for them, the history and who looked.

Built in a fixed number of queries whatever the number of rows (tests/meals/records/test_coordinator.py
counts them).
"""

from django.db.models import Exists, OuterRef, Subquery

from casserole import audit
from casserole.models import AuditEntry
from meals.diners.models import Diner, ProxyAccess
from meals.diners.selectors import diner_labels
from meals.referrals.models import Referral
from meals.relationships.concerns import OPEN_STATUSES
from meals.relationships.models import Concern, Feedback, LonelinessMeasure
from meals.signposting import selectors as signposting
from meals.signposting.models import OnwardReferral

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


# A loneliness score at or above this, on its scale, suggests other support: on the ONS three items
# (3–9), 6 or more is answering "some of the time" on average, the usual cut for "lonely" (Hughes et al.
# 2004); on the Japanese survey's three items (3–12), 7 or more is the survey's own "時々ある" band and above
# (its report groups 3 / 4–6 / 7–9 / 10–12). A later score higher than the one before also suggests it.
HIGH_LONELINESS = {LonelinessMeasure.Scale.ONS: 6, LonelinessMeasure.Scale.JP_NATIONAL: 7}


def support_needs(diner: Diner) -> list[str]:
    """Why the diner might need more than a meal (meals.signposting.selectors.Need): a concern still open,
    a loneliness score that is high or worse than the one before (same scale only), or their latest
    answer that they would see fewer people without the visits. One query."""
    measures = LonelinessMeasure.objects.filter(diner=OuterRef("pk")).order_by("-taken_on", "-pk")
    contact = (
        Feedback.objects.filter(match__diner=OuterRef("pk"), side=Feedback.Side.DINER)
        .exclude(less_contact_without="")
        .order_by("-given_at", "-pk")
    )
    row = (
        Diner.objects.filter(pk=diner.pk)
        .annotate(
            concern_open=Exists(Concern.objects.filter(diner=OuterRef("pk"), status__in=OPEN_STATUSES)),
            latest_score=Subquery(measures.values("score")[:1]),
            latest_scale=Subquery(measures.values("scale")[:1]),
            previous_score=Subquery(measures.values("score")[1:2]),
            previous_scale=Subquery(measures.values("scale")[1:2]),
            less_contact=Subquery(contact.values("less_contact_without")[:1]),
        )
        .values("concern_open", "latest_score", "latest_scale", "previous_score", "previous_scale", "less_contact")
        .get()
    )
    needs = []
    if row["concern_open"]:
        needs.append(signposting.Need.CONCERN)
    latest, previous = row["latest_score"], row["previous_score"]
    if latest is not None and (
        latest >= HIGH_LONELINESS.get(row["latest_scale"], latest + 1)
        or (previous is not None and row["previous_scale"] == row["latest_scale"] and latest > previous)
    ):
        needs.append(signposting.Need.LONELINESS)
    if row["less_contact"] == Feedback.YesNo.YES:
        needs.append(signposting.Need.LESS_CONTACT)
    return needs


def diner_support(diner: Diner) -> dict:
    """The "other support" section of the diner's record: why to suggest, the suggestions (nothing is
    sent) and the onward referrals recorded. Three queries (two without a reason to suggest)."""
    needs = support_needs(diner)
    return {
        "needs": needs,
        "need_labels": [str(OnwardReferral.Reason(need).label) for need in needs],
        "suggestions": signposting.suggestions_for(diner, needs),
        "referrals": signposting.referrals_for_diner(diner),
    }
