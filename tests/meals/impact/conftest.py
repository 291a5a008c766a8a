"""A small club in area A whose every impact figure is worked out by hand (the numbers in the comments are
the ones tests/meals/impact/test_figures.py expects), and a little of area B that must never count for A.

The period is the first half of 2025 in London: PERIOD's first instant is 2025-01-01 00:00 GMT and its end
2025-07-01 00:00 BST. Rows are made directly with the dates a figure needs (services refuse the past); a
delivered visit is counted in meals.schedule.rollup as the visit service counts it."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.onboarding.models import CookProfile
from casserole.models import AuditEntry
from meals.diners.models import Diner
from meals.impact.selectors import Period
from meals.matching.models import Match
from meals.referrals.models import Referral
from meals.relationships.feedback import link_answers
from meals.relationships.loneliness import link_measure
from meals.relationships.models import Concern, Feedback, LonelinessMeasure, Visit
from meals.schedule import rollup
from meals.schedule.models import Meal
from tests.factories import CookProfileFactory, DinerFactory, MatchFactory, ReferralFactory, UserFactory
from tests.training.conftest import certify

LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
PERIOD = Period(date(2025, 1, 1), date(2025, 6, 30), LONDON)
# The query string for PERIOD on the page and the CSV links.
PERIOD_QUERY = (
    "first_day_day=1&first_day_month=1&first_day_year=2025&last_day_day=30&last_day_month=6&last_day_year=2025"
)


def at(year, month, day, hour=12, minute=30, zone=LONDON) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def make_cook(area, course, name: str, *, status=CookProfile.Status.ACTIVE, approved=None, audit=True, **cert):
    """A cook living in `area` with a profile in `status`, a certificate (valid unless `cert` says), and
    an approval on `approved` (an audit entry, as accounts.review.services writes; or, with audit=False,
    only the profile's status_changed_at, as data from before the audit log)."""
    user = UserFactory(full_name=name, is_cook=True, home_area=area)
    profile = CookProfileFactory(user=user, status=status)
    certify(user, course, **cert)
    if approved is not None:
        if audit:
            entry = AuditEntry.objects.create(
                action="cook_approved", object_type="accounts.cookprofile", object_id=str(profile.pk)
            )
            AuditEntry.objects.filter(pk=entry.pk).update(created_at=approved)  # auto_now_add
        else:
            CookProfile.objects.filter(pk=profile.pk).update(status_changed_at=approved)
    return user


def make_diner(area, name: str, *, status=Diner.Status.ACTIVE, language="en", referred=None):
    diner = DinerFactory(area=area, full_name=name, status=status, preferred_language=language)
    if referred is not None:
        ReferralFactory(diner=diner, status=Referral.Status.ACCEPTED, submitted_at=referred)
    return diner


def meal(match, starts_at, *, outcome=None, minutes=None, **fields) -> Meal:
    """A meal of the match at `starts_at` (an hour long), with a visit record when `outcome` is given."""
    fields.setdefault("status", Meal.Status.CONFIRMED)
    fields.setdefault("cook", match.cook)
    made = Meal.objects.create(
        match=match, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1), dish="Fish pie", **fields
    )
    if outcome is not None:
        Visit.objects.create(meal=made, match=match, outcome=outcome, minutes_stayed=minutes)
        if outcome == Visit.Outcome.DELIVERED:
            rollup.count_shared_meal(meal=made, minutes=minutes)  # as meals.relationships.visits.record_visit
    return made


def delivered(match, starts_at, minutes=None) -> Meal:
    return meal(match, starts_at, outcome=Visit.Outcome.DELIVERED, minutes=minutes)


def feedback(match, given_at, *, side=Feedback.Side.DINER, friend="", less_contact="") -> Feedback:
    answer = Feedback.objects.create(
        match=match,
        side=side,
        occasion=f"at-{given_at:%Y%m%d}",
        given_at=given_at,
        friend=friend,
        less_contact_without=less_contact,
    )
    link_answers(answer)  # as meals.relationships.feedback.give_feedback
    return answer


def measure(diner, taken_on: date, score: int, *, scale=LonelinessMeasure.Scale.ONS) -> LonelinessMeasure:
    made = LonelinessMeasure.objects.create(diner=diner, scale=scale, score=score, taken_on=taken_on)
    link_measure(made)  # as meals.relationships.loneliness.record_loneliness
    return made


def concern(diner, raised_at, closed_at=None) -> Concern:
    return Concern.objects.create(
        diner=diner,
        level=Concern.Level.WORRIED,
        text="Seemed low",
        raised_at=raised_at,
        status=Concern.Status.CLOSED if closed_at else Concern.Status.OPEN,
        closed_at=closed_at,
    )


@dataclass
class Club:
    cooks: dict = field(default_factory=dict)
    diners: dict = field(default_factory=dict)
    matches: dict = field(default_factory=dict)


def build_club(area, course) -> Club:
    """Area A's club. Every figure for PERIOD, by hand:

    Now: active cooks 5 (c1 c2 c3 c6 c7); active diners 10 (d1–d7, d9–d11; d8 is paused); active matches
    5 (m1–m4, m6); diners waiting 5 (d5, whose match ended, d7, d9, whose offer was declined, d10, d11).
    Meals shared 20 in 6 matches: m1 10, m2 3, m3 2, m4 1, m5 3, m6 1 (on 30 June at 23:30 BST; the meals
    at 00:30 BST on 1 July and 23:30 GMT on 31 December are outside). Per month: January 3 meals in 2
    matches, February 4 in 3, March 6 in 5 (the only month shown), April 4 in 3, May 2 in 1, June 1 in 1.
    Repeat: at least 3 — m1 m2 m5, 3 of 6 = 50 %; at least 10 — m1, 1 of 6. Minutes: 680 over 17 timed
    visits = 40, in 6 matches. Called off: 5 (m1 m2 m3 m4 m6; the one cancelled as the match ended and the
    declined one do not count), 2 covered.
    Friend (latest diner answer per match in the period): m1 yes, m2 yes, m3 no, m4 not yet, m5 yes —
    60 % yes, 20 % not yet, 20 % no, of 5. Less contact: m1 yes, m2 no, m3 yes, m4 yes, m5 yes — 80 % of 5.
    Loneliness (ONS): d1 −3, d2 0, d3 +2, d4 −2, d5 −1 (d6 has only an intake; d7 changed scale) — 5
    diners, median −1, 3 of 5 less lonely; the Japanese scale: d10 −2, one diner (hidden).
    Waits to a first shared meal in the period: d2 30, d3 40, d4 10, d5 60, d6 20 days (d1 had a meal in
    December) — median 30, of 5.
    Retention: approved by 1 January (6 months): c1–c5, of whom c1 c2 c3 active now, 3 of 5; by 1 April
    (3 months): c1–c6, 4 of 6.
    Concerns raised: 7 about 6 diners; closed in 6, 48, 3, 2, 24 and 10 hours (5 diners) — median 8 hours.
    """
    club = Club()
    cook = lambda key, **kw: club.cooks.setdefault(key, make_cook(area, course, f"Cook {key.upper()}", **kw))  # noqa: E731
    cook("c1", approved=at(2024, 6, 1))
    cook("c2", approved=at(2024, 9, 1), audit=False)  # approved before the audit log: the profile's date
    cook("c3", approved=at(2024, 10, 1))
    cook("c4", approved=at(2024, 11, 1), status=CookProfile.Status.SUSPENDED)
    cook("c5", approved=at(2024, 12, 1), issued_at=at(2021, 11, 1), expires_at=at(2024, 11, 1))  # expired
    cook("c6", approved=at(2025, 2, 1))
    cook("c7", approved=at(2025, 5, 1))
    cook("c8", status=CookProfile.Status.PENDING)
    c = club.cooks

    diner = lambda key, **kw: club.diners.setdefault(key, make_diner(area, f"Diner {key.upper()} Jones", **kw))  # noqa: E731
    diner("d1", referred=at(2024, 10, 1))
    diner("d2", referred=at(2025, 1, 2))
    diner("d3", referred=at(2025, 1, 24))
    diner("d4", referred=at(2025, 3, 10))
    diner("d5", referred=at(2024, 11, 16))
    diner("d6", referred=at(2025, 6, 10))
    ReferralFactory(diner=club.diners["d6"], status=Referral.Status.DECLINED, submitted_at=at(2024, 1, 1))
    diner("d7")
    diner("d8", status=Diner.Status.PAUSED)
    diner("d9")
    diner("d10", language="ja")
    diner("d11")
    d = club.diners

    def match(key, cook_key, diner_key, since, status=Match.Status.ACTIVE, **fields):
        club.matches[key] = MatchFactory(
            cook=c[cook_key], diner=d[diner_key], status=status, active_since=since, **fields
        )
        return club.matches[key]

    m1 = match("m1", "c1", "d1", at(2024, 11, 1))
    m2 = match("m2", "c2", "d2", at(2025, 1, 10))
    m3 = match("m3", "c3", "d3", at(2025, 2, 1))
    m4 = match("m4", "c4", "d4", at(2025, 3, 1))
    m5 = match("m5", "c5", "d5", at(2024, 12, 1), status=Match.Status.ENDED, ended_at=at(2025, 5, 31))
    m6 = match("m6", "c1", "d6", at(2025, 1, 5))
    MatchFactory(cook=c["c6"], diner=d["d9"], status=Match.Status.DECLINED)

    # Shared meals. m1: 10 in the period (2 a month, January to May), 8 timed at 30 minutes; one before.
    delivered(m1, at(2024, 12, 10), minutes=30)
    for month in range(1, 6):
        delivered(m1, at(2025, month, 6), minutes=30)
        delivered(m1, at(2025, month, 20), minutes=None if month in (4, 5) else 30)
    delivered(m2, at(2025, 2, 1), minutes=60)
    delivered(m2, at(2025, 3, 1), minutes=40)
    delivered(m2, at(2025, 4, 1))
    meal(m2, at(2025, 4, 15), outcome=Visit.Outcome.NO_ANSWER)  # not shared
    delivered(m3, at(2025, 3, 5), minutes=20)
    delivered(m3, at(2025, 4, 5), minutes=40)
    delivered(m4, at(2025, 3, 20), minutes=90)
    for month in (1, 2, 3):
        delivered(m5, at(2025, month, 15), minutes=30)
    delivered(m6, at(2025, 6, 30, 23, 30), minutes=100)  # 22:30 UTC on 30 June: in the period
    delivered(m6, at(2025, 7, 1, 0, 30))  # 23:30 UTC on 30 June, but 1 July in London: outside
    delivered(m1, at(2024, 12, 31, 23, 30), minutes=30)  # 23:30 GMT on New Year's Eve: outside

    # Meals called off in the period.
    cancelled = {"status": Meal.Status.CANCELLED, "cancelled_at": at(2024, 12, 1)}
    meal(m2, at(2025, 1, 10), cancel_reason=Meal.CancelReason.COOK_CANNOT, **cancelled)
    meal(
        m3,
        at(2025, 2, 10),
        cancel_reason=Meal.CancelReason.COOK_CANNOT,
        cancelled_at=at(2025, 2, 1),
        covered_for=c["c3"],
        cook=c["c6"],
    )
    meal(m4, at(2025, 4, 10), cancel_reason=Meal.CancelReason.DINER_AWAY, **cancelled)
    meal(
        m1,
        at(2025, 6, 1),
        cancel_reason=Meal.CancelReason.COOK_CANNOT,
        cancelled_at=at(2025, 5, 30),
        covered_for=c["c1"],
        cook=c["c2"],
    )
    meal(m6, at(2025, 5, 1), cancel_reason=Meal.CancelReason.OTHER, **cancelled)
    meal(m5, at(2025, 6, 5), cancel_reason=Meal.CancelReason.MATCH_ENDED, **cancelled)  # not counted
    meal(m2, at(2025, 3, 10), status=Meal.Status.DECLINED)  # not called off
    meal(m4, at(2025, 8, 1), cancel_reason=Meal.CancelReason.COOK_CANNOT, **cancelled)  # after the period

    # What the diners said.
    feedback(m1, at(2024, 12, 11), friend="not_yet")  # before the period
    feedback(m1, at(2025, 2, 1), friend="yes", less_contact="yes")
    feedback(m2, at(2025, 2, 5), friend="not_yet", less_contact="no")
    feedback(m2, at(2025, 4, 5), friend="yes")  # no answer to the other question: m2's stays "no"
    feedback(m3, at(2025, 3, 10), friend="no", less_contact="yes")
    feedback(m4, at(2025, 3, 25), friend="not_yet", less_contact="yes")
    feedback(m4, at(2025, 3, 26), side=Feedback.Side.COOK, friend="yes")  # the cook's: not counted
    feedback(m5, at(2025, 2, 20), friend="yes", less_contact="yes")
    feedback(m5, at(2025, 7, 2), friend="no", less_contact="no")  # after the period

    # Loneliness.
    measure(d["d1"], date(2024, 11, 1), 8)
    measure(d["d1"], date(2025, 2, 1), 6)
    measure(d["d1"], date(2025, 5, 1), 5)
    measure(d["d2"], date(2025, 1, 5), 6)
    measure(d["d2"], date(2025, 4, 5), 6)
    measure(d["d3"], date(2025, 2, 1), 5)
    measure(d["d3"], date(2025, 5, 1), 7)
    measure(d["d4"], date(2024, 12, 1), 9)
    measure(d["d4"], date(2025, 3, 1), 7)
    measure(d["d4"], date(2025, 8, 1), 3)  # after the period
    measure(d["d5"], date(2024, 10, 1), 7)
    measure(d["d5"], date(2025, 6, 30), 6)
    measure(d["d6"], date(2025, 3, 1), 6)  # only the intake
    measure(d["d7"], date(2024, 10, 1), 7)
    measure(d["d7"], date(2025, 3, 1), 9, scale=LonelinessMeasure.Scale.JP_NATIONAL)  # another scale
    measure(d["d10"], date(2025, 1, 10), 10, scale=LonelinessMeasure.Scale.JP_NATIONAL)
    measure(d["d10"], date(2025, 4, 10), 8, scale=LonelinessMeasure.Scale.JP_NATIONAL)

    # Concerns.
    concern(d["d1"], at(2025, 2, 1, 10, 0), at(2025, 2, 1, 16, 0))  # 6 hours
    concern(d["d2"], at(2025, 3, 1, 10, 0), at(2025, 3, 3, 10, 0))  # 48
    concern(d["d3"], at(2025, 4, 1, 10, 0), at(2025, 4, 1, 13, 0))  # 3
    concern(d["d4"], at(2025, 5, 1, 10, 0), at(2025, 5, 1, 12, 0))  # 2
    concern(d["d5"], at(2025, 6, 1, 10, 0), at(2025, 6, 2, 10, 0))  # 24
    concern(d["d1"], at(2025, 6, 15, 10, 0), at(2025, 6, 15, 20, 0))  # 10
    concern(d["d6"], at(2025, 6, 20, 10, 0))  # open
    concern(d["d2"], at(2024, 12, 20, 10, 0), at(2024, 12, 21, 10, 0))  # before the period
    return club


def build_other_area(area, course) -> Club:
    """Area B (Tokyo): a little of everything, enough to change any of A's figures if it leaked in."""
    club = Club()
    for n in range(6):
        cook = make_cook(area, course, f"Tokyo Cook {n}", approved=at(2024, 1, 1))
        diner = make_diner(area, f"Tokyo Diner {n}", language="ja", referred=at(2024, 12, 1))
        match = MatchFactory(cook=cook, diner=diner, status=Match.Status.ACTIVE, active_since=at(2024, 12, 15))
        for day in range(1, 12):
            delivered(match, at(2025, 3, day, zone=TOKYO), minutes=45)
        feedback(match, at(2025, 3, 20), friend="no", less_contact="no")
        measure(diner, date(2024, 12, 1), 12, scale=LonelinessMeasure.Scale.JP_NATIONAL)
        measure(diner, date(2025, 4, 1), 3, scale=LonelinessMeasure.Scale.JP_NATIONAL)
        concern(diner, at(2025, 3, 1, 10, 0), at(2025, 3, 1, 11, 0))
        meal(match, at(2025, 3, 25), status=Meal.Status.CANCELLED, cancelled_at=at(2025, 3, 1), cancel_reason="other")
        club.matches[n] = match
    for n in range(6):
        make_diner(area, f"Tokyo Waiting {n}")
    return club


@pytest.fixture
def club(area_a, course):
    return build_club(area_a, course)


@pytest.fixture
def other_club(area_b, course):
    return build_other_area(area_b, course)
