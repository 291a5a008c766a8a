"""How long diners waited from their request for meals to a first meal: the one home of that rule. A
referrer is told the recent wait on their list of requests (meals.proxy), a coordinator sees it
(meals.workspace), and the impact figures report it over a chosen period (meals.impact), all from
`first_meal_waits`.

The wait is counted from the request for meals to the first meal:
- the first meal is the diner's earliest meal, in any of their matches, that counts (FirstMeal):
  - HAPPENED (the referrer's and the coordinator's wait): a meal that went ahead — proposed or confirmed
    (Meal.HAPPENING), never declined or cancelled — and whose start has passed. A cook who cannot come
    cancels the meal, so a meal still going ahead after its start is one that was brought. The visit
    record is not read: it is often written days later, while a referrer should hear about the wait as
    soon as the meal has happened;
  - SHARED (the impact figures): a meal whose visit record says "delivered", as every impact figure
    counts a shared meal. It is read from meals.schedule.rollup.FirstSharedMeal, kept by the visit
    service in meals.relationships (a layer above, which this one never imports).
  Once every meal that went ahead has its visit recorded as delivered, the two agree
  (tests/meals/impact/test_waits.py);
- the request is the diner's latest accepted request sent before that meal (`Referral.submitted_at`):
  the one that led to it, even when an earlier one was declined.
A wait is the number of days on the area's calendar from the request to the meal (sent on a Monday, a
first meal on Thursday: 3 days, whatever the hours or a clock change). The referrer's figure counts the
diners whose first meal fell within the last WAIT_WINDOW and is the median of their waits. It is hidden
(None) when fewer than FEWEST_DINERS diners count, so no one diner can be picked out of it (the
small-number rule of the impact figures).
"""

import math
import statistics
import zoneinfo
from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from accounts.people.models import Area
from meals.diners.models import Diner
from meals.referrals.models import Referral
from meals.schedule.models import Meal

WAIT_WINDOW = timedelta(days=90)
FEWEST_DINERS = 5


class FirstMeal:
    """Which meal counts as a diner's first (see the module's docstring)."""

    HAPPENED = "happened"  # went ahead and started: the referrer's and the coordinator's wait
    SHARED = "shared"  # its visit record says delivered: the impact figures


def first_meal_waits(
    area_ids,
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime | None = None,
    first: str = FirstMeal.HAPPENED,
) -> dict[int, list[int]]:
    """For each of these areas, the waits in days (on the area's calendar) of the diners whose first meal
    (of the kind `first`) was in [starts_at, ends_at) and by `now` (default: the clock): one query,
    whatever the number of areas or diners."""
    area_ids, cutoff = list(area_ids), min(ends_at, now or timezone.now())
    within = {"first_meal_at__gte": starts_at, "first_meal_at__lt": ends_at}
    if first == FirstMeal.SHARED:
        # Kept as each delivered visit is recorded: an indexed range, not a search through every meal.
        first_meal, within["first_meal_at__lte"] = F("first_shared_meal__starts_at"), cutoff
    else:
        first_meal = Subquery(
            Meal.objects.filter(match__diner=OuterRef("pk"), status__in=Meal.HAPPENING, starts_at__lte=cutoff)
            .order_by("starts_at", "pk")
            .values("starts_at")[:1]
        )
    referred = (
        Referral.objects.filter(
            diner=OuterRef("pk"), status=Referral.Status.ACCEPTED, submitted_at__lte=OuterRef("first_meal_at")
        )
        .order_by("-submitted_at", "-pk")
        .values("submitted_at")[:1]
    )
    rows = (
        Diner.objects.filter(area_id__in=area_ids)
        .annotate(first_meal_at=first_meal)
        .filter(**within)
        .annotate(referred_at=Subquery(referred))
        .filter(referred_at__isnull=False)
        .order_by()
        .values_list("area_id", "area__time_zone", "referred_at", "first_meal_at")
    )
    waits: dict[int, list[int]] = {area_id: [] for area_id in area_ids}
    for area_id, zone_name, referred_at, first_meal_at in rows:
        zone = zoneinfo.ZoneInfo(zone_name)
        waits[area_id].append((first_meal_at.astimezone(zone).date() - referred_at.astimezone(zone).date()).days)
    return waits


def recent_waits(area_ids, *, now: datetime | None = None) -> dict[int, list[int]]:
    """first_meal_waits over the last WAIT_WINDOW (up to and including `now`)."""
    now = now or timezone.now()
    return first_meal_waits(area_ids, starts_at=now - WAIT_WINDOW, ends_at=now + timedelta(microseconds=1), now=now)


def median_of(waits: list[int]) -> tuple[int | None, int]:
    """(the median wait in whole days, halves rounded up; or None below FEWEST_DINERS, how many diners)."""
    if len(waits) < FEWEST_DINERS:
        return None, len(waits)
    return math.floor(statistics.median(waits) + 0.5), len(waits)


def median_waits(area_ids, *, now: datetime | None = None) -> dict[int, tuple[int | None, int]]:
    """`median_wait_days` for several areas in one query: {area id: (median or None, diners counted)}."""
    return {area_id: median_of(waits) for area_id, waits in recent_waits(area_ids, now=now).items()}


def median_wait_days(area: Area, *, now: datetime | None = None) -> tuple[int | None, int]:
    """How many days diners of the area recently waited from their request to a first meal (the median
    over the last WAIT_WINDOW), and how many diners that is based on; the median is None below
    FEWEST_DINERS. One query."""
    return median_waits([area.pk], now=now)[area.pk]
