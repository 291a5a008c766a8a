"""Reads about diners for the coordinator: the diner list, a diner's answers as labels, phones as dialled.

Each page is built in a fixed number of queries whatever the number of rows (tests/meals/
test_coordinator.py counts them). Every read starts from meals.diners.access, so another area's diners and
requests never appear.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from casserole.phones import phone_for_display
from meals.diners.access import diners_for_coordinator
from meals.diners.models import Allergen, Diner, Weekday

DINER_LIST_PAGE_SIZE = 50


def postcode_district(country: str, postcode: str) -> str:
    """The district of a canonical postcode ("E8 1DY" → "E8", "154-0004" → "154"): enough to say
    roughly where someone lives without their street."""
    if country == "JP":
        return postcode[:3]
    return postcode.split(" ", 1)[0]


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


def phone_shown(number: str) -> str:
    return phone_for_display(number) if number else ""


def phones_for_page(diner: Diner, referral=None) -> dict:
    """The phone numbers on the page as people dial them ("020 7946 0123", "03-3412-3456"), not as
    they are stored (E.164, "+442079460123")."""
    phones = {"diner": phone_shown(diner.phone), "emergency": phone_shown(diner.emergency_phone)}
    if referral is not None:
        phones["referrer"] = phone_shown(referral.referrer.phone if referral.referrer_id else referral.referrer_phone)
    return {"phones": phones}
