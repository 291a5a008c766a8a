"""The small-number rule: a figure based on fewer than 5 people or matches is hidden — on the page, in the
charts and in both CSV files — and nothing of it is kept, not even how many it was based on."""

import csv
import io
import re

import pytest

from meals.impact import selectors
from meals.impact.charts import based_on_text, figure_text
from meals.impact.selectors import SMALL_NUMBER, Kind, figure, share
from meals.matching.models import Match
from tests.factories import MatchFactory
from tests.meals.impact.conftest import PERIOD, PERIOD_QUERY, at, build_club, delivered, feedback, make_cook, make_diner

pytestmark = pytest.mark.django_db


def test_the_rule_hides_a_figure_based_on_fewer_than_five():
    assert SMALL_NUMBER == 5
    hidden = figure("meals_shared", 12, 4)
    assert hidden.hidden and hidden.value is None and hidden.based_on is None
    shown = figure("meals_shared", 12, 5)
    assert not shown.hidden and (shown.value, shown.based_on) == (12, 5)
    assert figure("active_cooks", 0, 0).hidden  # nobody at all is hidden too
    assert share("friend_yes", 4, 4).hidden
    assert share("friend_yes", 3, 5).value == 0.6


def test_a_hidden_figure_says_fewer_than_five_and_nothing_else():
    hidden = figure("average_minutes", 35.0, 3, kind=Kind.MINUTES)
    assert figure_text(hidden) == "Fewer than 5 – hidden so that nobody can be recognised"
    assert based_on_text(hidden) == ""


def small_club(area, course, *, matches: int):
    """`matches` matches in area A, each with 12 shared meals in March 2025 and a friendship answer."""
    for n in range(matches):
        cook = make_cook(area, course, f"Small Cook {n}", approved=at(2024, 1, 1))
        diner = make_diner(area, f"Small Diner {n}", referred=at(2025, 1, 1))
        match = MatchFactory(cook=cook, diner=diner, status=Match.Status.ACTIVE, active_since=at(2025, 2, 1))
        for day in range(1, 13):
            delivered(match, at(2025, 3, day), minutes=30)
        feedback(match, at(2025, 3, 20), friend="yes", less_contact="yes")


def test_four_matches_are_hidden_everywhere(login_as, coordinator_a, area_a, course):
    small_club(area_a, course, matches=4)
    client = login_as(coordinator_a)

    report = selectors.impact_figures([area_a.pk], PERIOD)
    assert report.meals_shared.hidden and report.friend["yes"].hidden and report.repeat[1].hidden

    html = client.get(f"/en/coordinator/impact/?{PERIOD_QUERY}").content.decode()
    assert "Fewer than 5 – hidden so that nobody can be recognised" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert not re.search(r"\b48\b", main)  # 4 × 12 meals, anywhere on the page
    assert 'id="chart-months-title"' not in html and 'id="chart-friend-title"' not in html  # no chart of hidden figures

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/en/coordinator/impact/figures.csv?{PERIOD_QUERY}").content.decode("utf-8-sig"))
        )
    )
    by_name = {row["figure"]: row for row in rows}
    assert by_name["meals_shared"] == {"figure": "meals_shared", "value": "", "based_on": "", "hidden": "true"}
    assert by_name["friend_yes"]["value"] == "" and by_name["meals_shared_2025_03"]["value"] == ""

    matches = client.get(f"/en/coordinator/impact/matches.csv?{PERIOD_QUERY}").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(matches)))[1:] == []  # an area of 4 matches gives no rows


def test_five_matches_are_shown(login_as, coordinator_a, area_a, course):
    small_club(area_a, course, matches=5)
    report = selectors.impact_figures([area_a.pk], PERIOD)
    assert (report.meals_shared.value, report.meals_shared.based_on) == (60, 5)
    assert report.friend["yes"].value == 1
    assert (report.repeat[1].value, report.months[2].meals.value) == (1, 60)

    rows, left_out = selectors.match_rows([area_a], PERIOD, language="en")
    assert (len(rows), left_out) == (5, 0)


def test_rows_of_a_small_area_are_left_out_and_counted(area_a, area_b, course):
    build_club(area_a, course)  # 6 matches shared a meal
    small_club(area_b, course, matches=3)

    rows, left_out = selectors.match_rows([area_a, area_b], PERIOD, language="en")

    assert {row.area for row in rows} == {"Area A"}
    assert (len(rows), left_out) == (6, 3)
