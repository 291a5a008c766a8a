"""Days from the request for meals to the first meal have one home, meals.schedule.waits: the referrer's
wait counts the first meal that went ahead, the impact figures the first shared one (its visit record
says delivered). Where every meal that went ahead was recorded as delivered, the two agree."""

from datetime import date, timedelta

import pytest

from meals.impact.selectors import Period, impact_figures
from meals.referrals.models import Referral
from meals.relationships.models import Visit
from meals.schedule.models import Meal
from meals.schedule.waits import FirstMeal, first_meal_waits, median_waits
from tests.factories import MatchFactory, ReferralFactory
from tests.meals.impact.conftest import LONDON, at, delivered, make_cook, make_diner, meal

pytestmark = pytest.mark.django_db

PERIOD = Period(date(2025, 1, 1), date(2025, 6, 30), LONDON)
NOW = at(2025, 7, 1, 9)


@pytest.fixture
def waits_club(area_a, course):
    """Six diners of area A, each referred and then fed by their own cook: every meal that went ahead in
    2025 was recorded as delivered. Waits (days on London's calendar): 9, 16, 30, 45, 61, 120."""
    cook = make_cook(area_a, course, "Cook W", approved=at(2024, 1, 1))
    diners = []
    for n, (referred, first) in enumerate(
        [
            (at(2025, 1, 1, 23, 59), at(2025, 1, 10, 0, 30)),  # 9 days on the calendar, 8 by the hour
            (at(2025, 2, 1), at(2025, 2, 17)),
            (at(2025, 2, 1), at(2025, 3, 3)),  # 30
            (at(2025, 3, 1), at(2025, 4, 15)),  # 45
            (at(2025, 3, 1), at(2025, 5, 1)),  # 61
            (at(2024, 12, 31), at(2025, 4, 30)),  # 120
        ]
    ):
        diner = make_diner(area_a, f"Waiting {n}", referred=referred)
        # An earlier request declined: the wait runs from the accepted one that led to the meal.
        ReferralFactory(diner=diner, status=Referral.Status.DECLINED, submitted_at=referred - timedelta(days=200))
        match = MatchFactory(cook=cook, diner=diner, status="active", active_since=referred)
        meal(match, first - timedelta(days=3), status=Meal.Status.CANCELLED, cancelled_at=referred)  # not a meal
        delivered(match, first, minutes=30)
        delivered(match, first + timedelta(days=7), minutes=30)
        diners.append((diner, match))
    return diners


def both(area_a):
    kinds = (FirstMeal.HAPPENED, FirstMeal.SHARED)
    return [
        sorted(
            first_meal_waits([area_a.pk], starts_at=PERIOD.starts_at, ends_at=PERIOD.ends_at, now=NOW, first=kind)[
                area_a.pk
            ]
        )
        for kind in kinds
    ]


def test_the_referrer_s_wait_and_the_impact_wait_agree_when_every_meal_was_recorded(area_a, waits_club):
    happened, shared = both(area_a)
    assert happened == shared == [9, 16, 30, 45, 61, 120]
    # The impact figure is the median of the same waits.
    assert impact_figures([area_a.pk], PERIOD).median_wait_days.value == 37.5
    # And the referrer's figure over the last 90 days (to 1 July) counts the diners fed since 2 April.
    assert median_waits([area_a.pk], now=NOW)[area_a.pk] == (None, 3)


def test_a_meal_not_yet_recorded_counts_for_the_referrer_but_not_as_shared(area_a, waits_club):
    _diner, match = waits_club[0]
    meal(match, at(2025, 1, 5), status=Meal.Status.CONFIRMED)  # went ahead; no visit record yet
    happened, shared = both(area_a)
    assert happened == [4, 16, 30, 45, 61, 120]
    assert shared == [9, 16, 30, 45, 61, 120]


def test_a_meal_recorded_as_not_delivered_is_not_a_first_shared_meal(area_a, waits_club):
    _diner, match = waits_club[1]
    meal(match, at(2025, 2, 10), outcome=Visit.Outcome.NO_ANSWER)
    happened, shared = both(area_a)
    assert happened == [9, 9, 30, 45, 61, 120]
    assert shared == [9, 16, 30, 45, 61, 120]


def test_a_first_shared_meal_before_the_period_leaves_the_diner_out(area_a, waits_club):
    _diner, match = waits_club[5]
    delivered(match, at(2024, 12, 31, 23, 0), minutes=10)  # before the period: their first is then
    _happened, shared = both(area_a)
    assert shared == [9, 16, 30, 45, 61]
