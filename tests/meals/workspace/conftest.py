"""Items in every queue of the coordinator's home, with known ages.

`fill_queues(area, course, n)` puts `n` items in each queue of `area`; the first of each is the oldest (or
the soonest, for what is coming), AGES[queue] days or hours away from now, and the others are a few minutes
younger. Made with factories and plain rows: how each item came to be is for the tests of its capability."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.onboarding.models import CookProfile, IdentityCheck
from casserole.models import Channel, OutboundEmail
from meals.callbacks.models import CallbackRequest
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.referrals.models import Referral
from meals.relationships.models import Concern, DoorCase, Feedback, MeasureConsent, Visit
from meals.schedule import rollup
from meals.schedule.models import Meal
from tests.factories import (
    E8_CENTRE,
    CookProfileFactory,
    DinerFactory,
    IdentityCheckFactory,
    MatchFactory,
    ReferralFactory,
    UserFactory,
)
from tests.training.conftest import certify

# How old the oldest item of each queue is, in days ("_hours": hours, for what is coming).
AGES = {
    "identity": 3,
    "cooks_ready": 4,
    "certificates": 20,  # the first certificate runs out in 20 days
    "cooks_to_place": 2,
    "diners_to_place": 8,
    "referrals": 5,
    "waiting": 12,
    "callbacks": 7,
    "loneliness": 15,
    "offers": 1,
    "introductions": 9,
    "different_cook": 11,
    "feedback_by_phone": 6,
    "meals_unconfirmed_hours": 5,  # the first unconfirmed meal starts in 5 hours
    "meals_uncovered": 3,  # the first meal to cover is in 3 days
    "visits_overdue": 2,
    "concerns": 6,
    "failed_emails": 13,
}
# A little more than the whole days or hours, so "now" on the page (a moment later) floors to the same figure.
MARGIN = timedelta(minutes=30)


def _meal(match, starts_at, **fields) -> Meal:
    return Meal.objects.create(
        match=match, cook=match.cook, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), dish="Stew", **fields
    )


def fill_queues(area, course, n: int, *, tag: str = "") -> dict:
    """`n` items in every queue of the area's home; returns some of them by queue (the first of each)."""
    now = timezone.now()

    def ago(key: str, k: int) -> timedelta:
        # The first item is the oldest; each next one is k minutes younger.
        return now - timedelta(days=AGES[key]) - MARGIN + timedelta(minutes=k)

    def days_ago_at_noon(key: str, k: int) -> datetime:
        # For a queue whose age counts days on the calendar (the loneliness questions fall due on a day): noon
        # of the day AGES[key] days ago, so the age is the same whatever the time of day the test runs.
        day = timezone.localdate(now) - timedelta(days=AGES[key])
        return timezone.make_aware(datetime.combine(day, time(12))) + timedelta(minutes=k)

    def ahead(delta: timedelta, k: int) -> timedelta:
        return now + delta + MARGIN + timedelta(minutes=k)

    first = {}
    for k in range(n):
        name = f"{tag}{k:02d}"
        cook = UserFactory(full_name=f"Cook {name}", is_cook=True, home_area=area)
        check = IdentityCheck.objects.create(
            cook=cook, method=IdentityCheck.Method.PHOTO, status=IdentityCheck.Status.PENDING
        )
        IdentityCheck.objects.filter(pk=check.pk).update(created_at=ago("identity", k))

        ready = UserFactory(full_name=f"Ready {name}", is_cook=True, home_area=area)
        CookProfileFactory(user=ready, completed_at=now - timedelta(days=30))
        IdentityCheckFactory(cook=ready, decided_at=now - timedelta(days=10))
        certify(ready, course, issued_at=ago("cooks_ready", k))

        expiring = UserFactory(full_name=f"Expiring {name}", is_cook=True, home_area=area)
        CookProfileFactory(user=expiring, status=CookProfile.Status.ACTIVE)
        certify(
            expiring,
            course,
            issued_at=now - timedelta(days=1000),
            expires_at=ahead(timedelta(days=AGES["certificates"]), k),
        )

        CookProfileFactory(
            user=UserFactory(full_name=f"Unplaced {name}", is_cook=True, home_area=area),
            unplaced=True,
            completed_at=ago("cooks_to_place", k),
        )

        unplaced = DinerFactory(area=area, full_name=f"Unplaced Diner {name}", created_at=ago("diners_to_place", k))
        ReferralFactory(diner=unplaced, submitted_at=ago("referrals", k))

        waiting = DinerFactory(area=area, full_name=f"Waiting Diner {name}", status=Diner.Status.ACTIVE, **E8_CENTRE)
        ReferralFactory(diner=waiting, status=Referral.Status.ACCEPTED, decided_at=ago("waiting", k))

        CallbackRequest.objects.create(
            area=area,
            name=f"Caller {name}",
            phone=f"+4420712340{k:02d}",
            for_whom=CallbackRequest.ForWhom.SELF,
            country=area.country,
            postcode="E8 1DY",
            best_time=CallbackRequest.BestTime.MORNINGS,
            language="en",
            created_at=ago("callbacks", k),
        )

        def active_diner(label: str) -> Diner:
            return DinerFactory(area=area, full_name=f"{label} {name}", status=Diner.Status.ACTIVE, **E8_CENTRE)

        MatchFactory(diner=active_diner("Offered"), cook=cook, offered_at=ago("offers", k))
        MatchFactory(
            diner=active_diner("Approved"), cook=cook, status=Match.Status.APPROVED, decided_at=ago("introductions", k)
        )

        matched = active_diner("Matched")
        match = MatchFactory(diner=matched, cook=expiring, status=Match.Status.ACTIVE, active_since=now)
        _meal(match, ahead(timedelta(hours=AGES["meals_unconfirmed_hours"]), k))
        _meal(
            match,
            ahead(timedelta(days=AGES["meals_uncovered"]), k),
            status=Meal.Status.CANCELLED,
            cancel_reason=Meal.CancelReason.COOK_CANNOT,
        )
        _meal(match, ago("visits_overdue", k) - timedelta(hours=1), status=Meal.Status.CONFIRMED)
        delivered = _meal(match, ago("feedback_by_phone", k), status=Meal.Status.CONFIRMED)
        Visit.objects.create(meal=delivered, match=match, outcome=Visit.Outcome.DELIVERED)
        rollup.count_shared_meal(meal=delivered, minutes=None)  # as meals.relationships.visits.record_visit
        nobody = _meal(match, now - timedelta(hours=3), status=Meal.Status.CONFIRMED)
        door = Visit.objects.create(meal=nobody, match=match, outcome=Visit.Outcome.NO_ANSWER)
        DoorCase.objects.create(visit=door, diner=matched, opened_at=now - timedelta(hours=2))
        Feedback.objects.create(
            match=match,
            side=Feedback.Side.DINER,
            occasion="extra-2026-01-01",
            enjoyed=Feedback.Enjoyed.NO,
            wants_different_cook=True,
            given_at=ago("different_cook", k),
        )
        Concern.objects.create(
            diner=matched, level=Concern.Level.WORRIED, text="Thinner than last week", raised_at=ago("concerns", k)
        )
        MeasureConsent.objects.create(
            diner=matched, given=True, channel=Channel.PHONE, recorded_at=days_ago_at_noon("loneliness", k)
        )

        email = OutboundEmail.objects.create(
            to=ready.email, subject=f"About your certificate {name}", body="…", status=OutboundEmail.Status.FAILED
        )
        OutboundEmail.objects.filter(pk=email.pk).update(created_at=ago("failed_emails", k))
        if k == 0:
            first.update(identity=check, waiting=waiting, unplaced=unplaced, matched=matched, match=match, email=email)
    return first
