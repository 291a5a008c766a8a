"""Every impact figure against the values worked out by hand for the club in conftest.build_club."""

from datetime import date

import pytest

from meals.impact import selectors
from meals.impact.selectors import Kind, Unit
from meals.relationships.loneliness import change_since_intake
from tests.meals.impact.conftest import PERIOD

pytestmark = pytest.mark.django_db


def shown(figure) -> tuple:
    """(value, based on), or "hidden"."""
    return "hidden" if figure.hidden else (figure.value, figure.based_on)


@pytest.fixture
def report(club, other_club, area_a):
    return selectors.impact_figures([area_a.pk], PERIOD)


def test_figures_of_today(report):
    assert shown(report.active_cooks) == (5, 5)  # c1 c2 c3 c6 c7
    assert shown(report.active_diners) == (10, 10)
    assert shown(report.active_matches) == (5, 5)
    assert shown(report.diners_waiting) == (5, 5)  # d5 d7 d9 d10 d11
    assert report.active_cooks.unit == Unit.COOKS and report.diners_waiting.unit == Unit.DINERS


def test_meals_shared_in_the_period_and_each_month(report):
    assert shown(report.meals_shared) == (20, 6)
    months = {month.month: shown(month.meals) for month in report.months}
    assert list(months) == [date(2025, month, 1) for month in range(1, 7)]
    # Only March is shared by 5 matches or more; every other month is hidden.
    assert months == {
        date(2025, 1, 1): "hidden",  # 3 meals, 2 matches
        date(2025, 2, 1): "hidden",  # 4 meals, 3 matches
        date(2025, 3, 1): (6, 5),
        date(2025, 4, 1): "hidden",
        date(2025, 5, 1): "hidden",
        date(2025, 6, 1): "hidden",  # m6 at 23:30 BST on 30 June: in June, not July
    }


def test_repeat_visits_minutes_and_meals_called_off(report):
    assert [shown(figure) for figure in report.repeat] == [(0.5, 6), (1 / 6, 6)]
    assert shown(report.average_minutes) == (40, 6)  # 680 minutes over 17 timed visits
    assert report.average_minutes.kind == Kind.MINUTES
    assert shown(report.meals_cancelled) == (5, 5)
    assert shown(report.meals_covered) == (2, 5)


def test_what_diners_say(report):
    assert {answer: shown(figure) for answer, figure in report.friend.items()} == {
        "yes": (0.6, 5),
        "not_yet": (0.2, 5),
        "no": (0.2, 5),
    }
    assert shown(report.less_contact) == (0.8, 5)


def test_loneliness_per_scale_never_mixed(report):
    scales = {scale.scale.code: scale for scale in report.loneliness}
    ons = scales["ons"]
    assert shown(ons.diners) == (5, 5)
    assert shown(ons.median_change) == (-1, 5)
    assert shown(ons.improved) == (0.6, 5)
    # One diner answered the Japanese questions twice in area A (area B's never count for A): hidden.
    japanese = scales["jp_national"]
    assert [japanese.diners.hidden, japanese.median_change.hidden, japanese.improved.hidden] == [True] * 3


def test_loneliness_changes_agree_with_each_diners_own_page(club):
    """The SQL form of "intake to latest" gives what the diner's loneliness page says, for the diners
    with no measure after the period."""
    expected = {"d1": -3, "d2": 0, "d3": 2, "d5": -1, "d6": 0, "d7": None}
    for key, change in expected.items():
        assert change_since_intake(club.diners[key]).change == change, key


def test_waiting_retention_and_concerns(report):
    assert shown(report.median_wait_days) == (30, 5)  # 10, 20, 30, 40 and 60 days
    assert [(months, shown(figure)) for months, figure in report.retention] == [(3, (4 / 6, 6)), (6, (0.6, 5))]
    assert shown(report.concerns_raised) == (7, 6)
    assert shown(report.concern_median_hours) == (8, 5)  # the median of 2, 3, 6, 10, 24 and 48 hours


def test_another_area_counts_for_none_of_it(club, other_club, area_b):
    """Area B's own figures hold none of area A's (and the other way round, above)."""
    report = selectors.impact_figures([area_b.pk], PERIOD)
    assert shown(report.meals_shared) == (66, 6)
    assert shown(report.active_diners) == (12, 12)
    assert shown(report.friend["no"]) == (1, 6)
    assert shown(report.less_contact) == (0, 6)
    assert report.concerns_raised.value == 6


def test_figures_of_both_areas_together(club, other_club, area_a, area_b):
    report = selectors.impact_figures([area_a.pk, area_b.pk], PERIOD)
    assert shown(report.meals_shared) == (86, 12)
    assert shown(report.active_cooks) == (11, 11)


def test_every_figure_has_a_distinct_name(report):
    keys = [figure.key for figure in report.figures()]
    assert len(keys) == len(set(keys))


def test_median_of_counts_is_the_median_of_the_values_written_out():
    assert selectors.median_of_counts([(-1, 2), (3, 1)]) == -1
    assert selectors.median_of_counts([(1, 1), (2, 1)]) == 1.5
    assert selectors.median_of_counts([(5, 3), (-2, 1), (0, 2)]) == 2.5  # -2 0 0 5 5 5
    assert selectors.median_of_counts([]) is None
