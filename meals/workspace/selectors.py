"""Reads for the coordinator's workspace: the home with every queue of their areas, the waiting list and
the search across their areas' cooks and diners. Each page is built in a fixed number of queries
whatever the number of rows (tests/meals/workspace count them); templates run none."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.utils import timezone

from accounts.onboarding.eligibility import active_cooks
from accounts.people.models import Area, CoordinatorMembership, Invitation, User
from casserole.models import OutboundEmail
from casserole.phones import normalise_phone
from meals.diners.models import Diner
from meals.diners.selectors import postcode_district
from meals.matching.nearby import distance_to
from meals.relationships.door import open_door_cases
from meals.relationships.feedback import different_cook_requests, feedback_due_by_phone
from meals.relationships.loneliness import loneliness_due
from meals.relationships.visits import OVERDUE_SHOWN, overdue_visits
from meals.schedule.models import Meal
from meals.schedule.selectors import unconfirmed_soon
from meals.schedule.waits import FEWEST_DINERS, WAIT_WINDOW, median_waits
from meals.workspace.queues import queue_annotations, uncovered_meals, waiting_diners
from training.selectors import EXPIRING_SOON

# Failed emails to the areas' people are shown for this long (then the admin still has them).
FAILED_EMAIL_DAYS = 30
WAITING_SHOWN = 200  # the waiting list's longest waits; its count is exact
SEARCH_SHOWN = 50  # cooks, and diners, found by one search


def user_areas(areas: QuerySet) -> list[Area]:
    """The areas a workspace page may show (areas_for_coordinator), by name, for its area filter: one query."""
    return list(areas.order_by("name", "pk"))


# The home ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    """One queue of the home, over the areas shown: how many items, and how old the oldest is (or, for
    what is coming, how soon the first is), in whole days or hours; None when the queue is empty."""

    count: int
    days_old: int | None = None
    days_until: int | None = None
    hours_until: int | None = None


def home_areas(areas: QuerySet, *, now: datetime) -> list[Area]:
    """The coordinator's areas (areas_for_coordinator) with who coordinates each, their open invitations,
    and every queue counted and dated in each: three queries (the queues are subqueries of the areas'
    own query: see meals.workspace.queues)."""
    return list(
        areas.order_by("name", "pk")
        .annotate(**queue_annotations(now=now))
        .prefetch_related(
            Prefetch(
                "coordinator_memberships",
                queryset=CoordinatorMembership.objects.select_related("user").order_by("user__full_name"),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.pending().order_by("-created_at"),
                to_attr="open_invitations",
            ),
        )
    )


def coordinator_home(areas: list[Area], chosen: list[Area], *, now: datetime, show_admin: bool = False) -> dict:
    """Everything the home shows about the `chosen` areas (all of `areas`, from home_areas, or the one the
    filter names): each queue with its count and the age of its oldest item, and the first few items of
    the queues listed on the page (a query each)."""
    today = timezone.localdate(now)

    def total(name: str) -> int:
        return sum(getattr(area, name) for area in chosen)

    def earliest(name: str):
        found = [getattr(area, name) for area in chosen if getattr(area, name) is not None]
        return min(found) if found else None

    def old(count: int, since) -> Queue:
        return Queue(count, days_old=_days_since(since, now) if count and since is not None else None)

    def soon(count: int, at, *, hours: bool = False) -> Queue:
        if not count or at is None:
            return Queue(count)
        left = max(at - now, timedelta(0))
        if hours:
            return Queue(count, hours_until=int(left.total_seconds() // 3600))
        return Queue(count, days_until=left.days)

    door_cases = open_door_cases(chosen)  # first on the page: one query
    visits_overdue_list = overdue_visits(chosen, now=now)  # the oldest OVERDUE_SHOWN: one query
    # The soonest OVERDUE_SHOWN meals to confirm and to cover, each linking to its page: a query each.
    chosen_meals = Meal.objects.filter(match__diner__area__in=chosen).select_related("match__diner__area", "cook")
    unconfirmed_list = list(unconfirmed_soon(chosen_meals, now=now).order_by("starts_at", "pk")[:OVERDUE_SHOWN])
    uncovered_list = list(uncovered_meals(chosen_meals, now=now).order_by("starts_at", "pk")[:OVERDUE_SHOWN])
    # The diners due (the first OVERDUE_SHOWN, oldest records first), each linking to their questions: one query.
    loneliness_due_list = list(
        loneliness_due(chosen, today=today).select_related("area").order_by("created_at", "pk")[:OVERDUE_SHOWN]
    )
    # Feedback: diners asking for a different cook, and those due whom nobody can ask online (a query each).
    different_cook = different_cook_requests(chosen)
    by_phone = feedback_due_by_phone(chosen, now=now)
    diners_to_place = _diners_to_place(chosen)  # one query
    failed, failed_count = failed_emails(chosen, now=now)  # one query
    queues = {
        "concerns": old(total("concerns_open"), earliest("concerns_date")),
        "identity": old(total("identity_count"), earliest("identity_date")),
        "cooks_ready": old(total("cooks_ready_count"), earliest("cooks_ready_date")),
        "certificates": soon(total("certificates_count"), earliest("certificates_date")),
        "cooks_to_place": old(total("cooks_to_place_count"), earliest("cooks_to_place_date")),
        "diners_to_place": old(total("diners_to_place_count"), earliest("diners_to_place_date")),
        "referrals": old(total("referrals_count"), earliest("referrals_date")),
        "waiting": old(total("waiting_count"), earliest("waiting_date")),
        "callbacks": old(total("callbacks_count"), earliest("callbacks_date")),
        "loneliness": old(total("loneliness_count"), _loneliness_due_since(chosen)),
        "offers": old(total("offers_count"), earliest("offers_date")),
        "introductions": old(total("introductions_count"), earliest("introductions_date")),
        "different_cook": old(len(different_cook), different_cook[0].asked_at if different_cook else None),
        "feedback_by_phone": old(len(by_phone), min((m.last_delivered_at for m in by_phone), default=None)),
        "meals_unconfirmed": soon(total("meals_unconfirmed_count"), earliest("meals_unconfirmed_date"), hours=True),
        "meals_uncovered": soon(total("meals_uncovered_count"), earliest("meals_uncovered_date")),
        "visits_overdue": old(total("visits_overdue"), visits_overdue_list[0].ends_at if visits_overdue_list else None),
        "failed_emails": old(failed_count, failed[0].created_at if failed else None),
    }
    return {
        "areas": areas,
        "chosen_areas": chosen,
        "area_filter": chosen[0].pk if len(chosen) < len(areas) else None,
        "queues": queues,
        "door_cases": door_cases,
        "concerns_urgent": total("concerns_urgent"),
        "visits_overdue_list": visits_overdue_list,
        "meals_unconfirmed_list": unconfirmed_list,
        "meals_uncovered_list": uncovered_list,
        "visits_overdue_shown": OVERDUE_SHOWN,
        "visit_record_hours": settings.VISIT_RECORD_HOURS,
        "loneliness_due_list": loneliness_due_list,
        "different_cook": different_cook,
        "feedback_due_by_phone": by_phone,
        "diners_to_place": diners_to_place,
        "failed_emails": failed,
        "failed_email_days": FAILED_EMAIL_DAYS,
        "failed_emails_admin": show_admin,
        "meals_confirm_hours": settings.MEAL_CONFIRM_HOURS,
        "certificate_days": EXPIRING_SOON.days,
    }


def _days_since(since, now: datetime) -> int:
    if isinstance(since, datetime):
        return max((now - since).days, 0)
    return max((timezone.localdate(now) - since).days, 0)


def _loneliness_due_since(areas: list[Area]) -> date | None:
    """The day the longest-due diner fell due: their consent, for a diner never asked, or
    LONELINESS_EVERY_DAYS after the last answers."""
    every = timedelta(days=settings.LONELINESS_EVERY_DAYS)
    days = [timezone.localdate(area.loneliness_first_date) for area in areas if area.loneliness_first_date]
    days += [area.loneliness_last_measured + every for area in areas if area.loneliness_last_measured]
    return min(days, default=None)


def _diners_to_place(areas: list[Area]) -> list[Diner]:
    """The first OVERDUE_SHOWN diners (not closed) that nobody has placed on the map yet, oldest record first."""
    return list(
        Diner.objects.filter(area__in=areas)
        .exclude(status=Diner.Status.CLOSED)
        .filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
        .select_related("area")
        .order_by("created_at", "pk")[:OVERDUE_SHOWN]
    )


def failed_emails(areas: list[Area], *, now: datetime, limit: int = OVERDUE_SHOWN) -> tuple[list[OutboundEmail], int]:
    """Emails that could not be delivered in the last FAILED_EMAIL_DAYS to the areas' people — their cooks
    and referrers (who live there), the referrers of their diners, and their coordinators — oldest first
    (the first `limit`), and how many there are in all: one query."""
    residents = User.objects.filter(home_area__in=areas).values("email")
    coordinators = User.objects.filter(coordinator_memberships__area__in=areas).values("email")
    referrers = User.objects.filter(referrals__diner__area__in=areas).values("email")
    emails = list(
        OutboundEmail.objects.filter(
            Q(to__in=residents) | Q(to__in=coordinators) | Q(to__in=referrers),
            status=OutboundEmail.Status.FAILED,
            created_at__gte=now - timedelta(days=FAILED_EMAIL_DAYS),
        )
        .annotate(total=Window(Count("pk")))
        .order_by("created_at", "pk")
        .only("to", "subject", "created_at")[:limit]
    )
    return emails, (emails[0].total if emails else 0)


# The waiting list -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    diner: Diner
    waiting_since: datetime
    days_waiting: int
    district: str
    cooks_in_reach: int | None  # None: the diner is not on the map yet


def waiting_list(areas: list[Area], *, now: datetime, limit: int = WAITING_SHOWN) -> dict:
    """Accepted diners of these areas without a cook, longest wait first (the first `limit`; the count is
    exact), each with the number of active cooks of their area who would travel as far as them (the
    nearby rules, measured to the diner's cell), and how long each area's diners recently waited for a
    first meal (meals.schedule.waits). Three queries: the diners, the areas' active cooks (hundreds at
    most, measured here as meals.matching.selectors.second_cook_candidates does) and the recent waits."""
    diners = list(
        waiting_diners(Diner.objects.filter(area__in=areas))
        .select_related("area")
        .annotate(total=Window(Count("pk")))
        .order_by("waiting_since", "pk")[:limit]
    )
    cooks = active_cooks(
        User.objects.filter(
            home_area__in=areas, cook_profile__latitude__isnull=False, cook_profile__longitude__isnull=False
        )
    ).select_related("cook_profile")
    by_area = defaultdict(list)
    for cook in cooks:
        by_area[cook.home_area_id].append(cook.cook_profile)
    rows = []
    for diner in diners:
        reach = None
        if not diner.needs_placing:
            reach = sum(1 for profile in by_area[diner.area_id] if distance_to(profile, diner) <= profile.travel_km)
        rows.append(
            Waiting(
                diner=diner,
                waiting_since=diner.waiting_since,
                days_waiting=_days_since(diner.waiting_since, now),
                district=postcode_district(diner.country, diner.postcode),
                cooks_in_reach=reach,
            )
        )
    # How long each area's diners recently waited for a first meal, as their referrers are told: one query.
    waits = median_waits([area.pk for area in areas], now=now)
    recent = [{"area": area, "days": waits[area.pk][0], "diners": waits[area.pk][1]} for area in areas]
    return {
        "waiting": rows,
        "total": diners[0].total if diners else 0,
        "limit": limit,
        "recent_waits": recent,
        "window_days": WAIT_WINDOW.days,
        "fewest_diners": FEWEST_DINERS,
    }


# Search -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    cooks: list[User]
    diners: list[Diner]
    limit: int

    @property
    def count(self) -> int:
        return len(self.cooks) + len(self.diners)


def search_people(areas: list[Area], text: str, *, limit: int = SEARCH_SHOWN) -> Found:
    """The cooks and diners of these areas whose name contains `text` or whose phone number is `text`
    written any way (020 7123 4567, +44 20 7123 4567, ０３－１２３４－５６７８: read as a number of each
    area's country): two queries, at most `limit` of each."""
    text = (text or "").strip()
    if not text:
        return Found([], [], limit)
    phones = {normalise_phone(text, country=country) for country in {area.country for area in areas}} - {None}
    cooks = list(
        User.objects.filter(is_cook=True, home_area__in=areas)
        .filter(Q(full_name__icontains=text) | Q(name_reading__icontains=text) | Q(phone__in=phones))
        .select_related("home_area")
        .order_by("full_name", "pk")[:limit]
    )
    diners = list(
        Diner.objects.filter(area__in=areas)
        .filter(
            Q(full_name__icontains=text)
            | Q(preferred_name__icontains=text)
            | Q(name_reading__icontains=text)
            | Q(phone__in=phones)
        )
        .select_related("area")
        .order_by("full_name", "pk")[:limit]
    )
    return Found(cooks, diners, limit)
