"""The coordinator's queues in SQL: the waiting list's rule, and for a query of areas (where OuterRef("pk")
is the area) how many items each queue holds and when its oldest (or soonest) item is, as subqueries of
that one query. Each queue's own rule stays in its capability (unconfirmed_soon, overdue_meals,
due_diners, with_stage, unmatched...): this module only counts and dates what they select."""

from datetime import datetime

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import User
from accounts.review.selectors import Stage, with_stage
from meals.callbacks.models import CallbackRequest
from meals.callbacks.selectors import open_callbacks_count
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.matching.nearby import unmatched
from meals.referrals.models import Referral
from meals.relationships.concerns import OPEN_STATUSES as CONCERN_OPEN_STATUSES
from meals.relationships.concerns import open_concern_counts
from meals.relationships.loneliness import due_diners, loneliness_due_count
from meals.relationships.models import Concern, LonelinessMeasure
from meals.relationships.visits import overdue_visit_counts
from meals.schedule.models import Meal
from meals.schedule.selectors import unconfirmed_soon
from training.models import Certificate
from training.selectors import EXPIRING_SOON

# The waiting list ------------------------------------------------------------------------------------------


def waiting_diners(diners: QuerySet) -> QuerySet:
    """Accepted (active) diners with no live match, each with `waiting_since`: when their request was
    accepted (when their record was made, for a diner without one), or when their last match ended if
    that is later — a diner whose cook stopped is waiting again from that day."""
    accepted = (
        Referral.objects.filter(diner=OuterRef("pk"), status=Referral.Status.ACCEPTED, decided_at__isnull=False)
        .order_by("-decided_at", "-pk")
        .values("decided_at")[:1]
    )
    ended = (
        Match.objects.filter(diner=OuterRef("pk"), additional=False, ended_at__isnull=False)
        .order_by("-ended_at", "-pk")
        .values("ended_at")[:1]
    )
    start = Coalesce(Subquery(accepted), F("created_at"), output_field=DateTimeField())
    return unmatched(diners.filter(status=Diner.Status.ACTIVE)).annotate(
        waiting_since=Greatest(start, Coalesce(Subquery(ended), start), output_field=DateTimeField())
    )


def uncovered_meals(meals: QuerySet, *, now: datetime) -> QuerySet:
    """Meal.needs_cover, in SQL, for meals still to come in an active match (tested to agree)."""
    return meals.filter(
        status=Meal.Status.CANCELLED,
        cancel_reason=Meal.CancelReason.COOK_CANNOT,
        starts_at__gt=now,
        match__status=Match.Status.ACTIVE,
    )


# Queues of the coordinator's home -------------------------------------------------------------------------


def _count(items: QuerySet, area: str) -> Coalesce:
    grouped = items.order_by().values(area).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(grouped), Value(0), output_field=IntegerField())


def _earliest(items: QuerySet, area: str, field) -> Subquery:
    return Subquery(items.order_by().values(area).annotate(m=Min(field)).values("m"))


def _cooks(stage: str) -> QuerySet:
    """The area's cooks at this stage of accounts.review's cook list (its rule, not a copy)."""
    return with_stage(User.objects.filter(is_cook=True, home_area=OuterRef("pk"))).filter(stage=stage)


def _ready_since():
    """When a cook ready for approval became ready: the last of their profile being completed, their
    identity being approved and their certificate being issued (a confirmed email has no date)."""
    approved = (
        IdentityCheck.objects.filter(cook=OuterRef("pk"), status=IdentityCheck.Status.APPROVED)
        .order_by("decided_at", "pk")
        .values("decided_at")[:1]
    )
    certified = Certificate.objects.filter(user=OuterRef("pk")).valid().order_by("issued_at").values("issued_at")[:1]
    joined = F("date_joined")
    return Greatest(
        Coalesce("cook_profile__completed_at", joined),
        Coalesce(Subquery(approved), joined),
        Coalesce(Subquery(certified), joined),
        output_field=DateTimeField(),
    )


def queue_annotations(*, now: datetime) -> dict:
    """For a query of areas: each queue's count (`<queue>_count`, or the name its capability's own count
    has) and the date of its oldest item, or for what is coming its soonest (`<queue>_date`)."""
    identity = IdentityCheck.objects.filter(
        cook__home_area=OuterRef("pk"),
        cook__is_cook=True,
        method=IdentityCheck.Method.PHOTO,
        status=IdentityCheck.Status.PENDING,
    )
    cooks_ready = _cooks(Stage.READY).annotate(ready_since=_ready_since())
    cooks_to_place = _cooks(Stage.NEEDS_PLACING)
    latest_certificate = (
        Certificate.objects.filter(user=OuterRef("pk")).valid(now).order_by("-expires_at").values("expires_at")[:1]
    )
    # Approved cooks whose newest certificate runs out within EXPIRING_SOON (training's "expiring").
    certificates = (
        User.objects.filter(is_cook=True, home_area=OuterRef("pk"), cook_profile__status=CookProfile.Status.ACTIVE)
        .annotate(expires_at=Subquery(latest_certificate))
        .filter(expires_at__lte=now + EXPIRING_SOON)
    )
    diners_to_place = Diner.objects.filter(area=OuterRef("pk")).exclude(status=Diner.Status.CLOSED)
    diners_to_place = diners_to_place.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
    referrals = Referral.objects.filter(diner__area=OuterRef("pk"), status=Referral.Status.SUBMITTED)
    waiting = waiting_diners(Diner.objects.filter(area=OuterRef("pk")))
    offers = Match.objects.filter(diner__area=OuterRef("pk"), status=Match.Status.PROPOSED)
    introductions = Match.objects.filter(diner__area=OuterRef("pk"), status=Match.Status.APPROVED)
    area_meals = Meal.objects.filter(match__diner__area=OuterRef("pk"))
    unconfirmed = unconfirmed_soon(area_meals, now=now)
    uncovered = uncovered_meals(area_meals, now=now)
    concerns = Concern.objects.filter(diner__area=OuterRef("pk"), status__in=CONCERN_OPEN_STATUSES)
    callbacks = CallbackRequest.objects.filter(area=OuterRef("pk"), handled_at__isnull=True)
    # The loneliness questions fall due at consent (never asked yet) or LONELINESS_EVERY_DAYS after the
    # last answers: the earliest of each, to which the selector adds the interval.
    measured = LonelinessMeasure.objects.filter(diner=OuterRef("pk"))
    due = due_diners(today=timezone.localdate(now)).filter(area=OuterRef("pk"))
    last_measured = Subquery(measured.order_by("-taken_on", "-pk").values("taken_on")[:1])
    return {
        "identity_count": _count(identity, "cook__home_area"),
        "identity_date": _earliest(identity, "cook__home_area", "created_at"),
        "cooks_ready_count": _count(cooks_ready, "home_area"),
        "cooks_ready_date": _earliest(cooks_ready, "home_area", "ready_since"),
        "certificates_count": _count(certificates, "home_area"),
        "certificates_date": _earliest(certificates, "home_area", "expires_at"),
        "cooks_to_place_count": _count(cooks_to_place, "home_area"),
        "cooks_to_place_date": _earliest(
            cooks_to_place, "home_area", Coalesce("cook_profile__completed_at", "date_joined")
        ),
        "diners_to_place_count": _count(diners_to_place, "area"),
        "diners_to_place_date": _earliest(diners_to_place, "area", "created_at"),
        "referrals_count": _count(referrals, "diner__area"),
        "referrals_date": _earliest(referrals, "diner__area", "submitted_at"),
        "waiting_count": _count(waiting, "area"),
        "waiting_date": _earliest(waiting, "area", "waiting_since"),
        "offers_count": _count(offers, "diner__area"),
        "offers_date": _earliest(offers, "diner__area", "offered_at"),
        "introductions_count": _count(introductions, "diner__area"),
        "introductions_date": _earliest(introductions, "diner__area", Coalesce("decided_at", "offered_at")),
        "meals_unconfirmed_count": _count(unconfirmed, "match__diner__area"),
        "meals_unconfirmed_date": _earliest(unconfirmed, "match__diner__area", "starts_at"),
        "meals_uncovered_count": _count(uncovered, "match__diner__area"),
        "meals_uncovered_date": _earliest(uncovered, "match__diner__area", "starts_at"),
        **overdue_visit_counts(now=now),  # visits_overdue: not recorded VISIT_RECORD_HOURS after the meal
        **open_concern_counts(),  # concerns_open and concerns_urgent
        "concerns_date": _earliest(concerns, "diner__area", "raised_at"),
        "callbacks_count": open_callbacks_count(),
        "callbacks_date": _earliest(callbacks, "area", "created_at"),
        "loneliness_count": loneliness_due_count(today=timezone.localdate(now)),
        "loneliness_first_date": _earliest(due.filter(~Exists(measured)), "area", "measure_consent__recorded_at"),
        "loneliness_last_measured": _earliest(
            due.filter(Exists(measured)).annotate(last_measured=last_measured), "area", "last_measured"
        ),
    }
