"""What each loneliness measure and each diner's answer carries so that the impact figures read a period's
rows alone (loneliness.link_measure, feedback.link_answers): the diner's intake and the day of their next measure;
when a match's next answer to each question was given. Kept however the rows are written, in order (as the
services write them) or not, and filled for rows already there by the migrations."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps

from meals.impact import selectors
from meals.impact.selectors import Period
from meals.relationships.feedback import link_all_answers
from meals.relationships.loneliness import link_all_measures
from meals.relationships.models import Feedback, LonelinessMeasure
from tests.factories import MatchFactory
from tests.meals.impact.conftest import LONDON, at, feedback, make_diner, measure

pytestmark = pytest.mark.django_db


def links(diner) -> list[tuple]:
    return list(
        LonelinessMeasure.objects.filter(diner=diner)
        .order_by("taken_on")
        .values_list("taken_on", "intake", "intake_scale", "intake_score", "next_taken_on")
    )


EXPECTED = [
    (date(2026, 1, 10), True, "ons", 8, date(2026, 4, 10)),
    (date(2026, 4, 10), False, "ons", 8, date(2026, 7, 10)),
    (date(2026, 7, 10), False, "ons", 8, None),
]


def test_each_measure_carries_the_intake_and_the_day_of_the_next(area_a):
    diner = make_diner(area_a, "In order")
    for day, score in ((date(2026, 1, 10), 8), (date(2026, 4, 10), 7), (date(2026, 7, 10), 5)):
        measure(diner, day, score)
    assert links(diner) == EXPECTED


def test_a_measure_written_between_two_others_is_linked_both_ways(area_a):
    diner = make_diner(area_a, "Out of order")
    measure(diner, date(2026, 1, 10), 8)
    measure(diner, date(2026, 7, 10), 5)
    measure(diner, date(2026, 4, 10), 7)
    assert links(diner) == EXPECTED


def replaced(match) -> list[tuple]:
    return list(
        Feedback.objects.filter(match=match)
        .order_by("given_at")
        .values_list("side", "friend", "friend_replaced_at", "less_contact_without", "less_contact_replaced_at")
    )


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (2, 0, 3, 1)])
def test_each_answer_says_when_the_next_answer_to_the_same_question_replaced_it(area_a, active_cook, order):
    match = MatchFactory(cook=active_cook, diner=make_diner(area_a, "Answers"))
    times = [at(2026, 3, day) for day in (1, 5, 9, 12)]
    answers = [
        {"friend": "not_yet", "less_contact": "yes"},
        {"friend": "", "less_contact": "no"},  # leaves the first question unanswered: replaces nothing of it
        {"friend": "yes", "less_contact": ""},
        {"side": Feedback.Side.COOK},  # the cook's side is never linked
    ]
    for index in order:
        feedback(match, times[index], **answers[index])
    assert replaced(match) == [
        ("diner", "not_yet", times[2], "yes", times[1]),
        ("diner", "", None, "no", None),
        ("diner", "yes", None, "", None),
        ("cook", "", None, "", None),
    ]


def test_the_latest_answer_in_a_period_is_the_last_given_in_it(area_a, active_cook):
    match = MatchFactory(cook=active_cook, diner=make_diner(area_a, "Periods"))
    feedback(match, at(2026, 3, 1), friend="not_yet")
    feedback(match, at(2026, 5, 1), friend="yes")
    march = Period(date(2026, 3, 1), date(2026, 3, 31), LONDON)
    spring = Period(date(2026, 3, 1), date(2026, 5, 31), LONDON)
    assert selectors._answer_counts([area_a.pk], march, ["friend"]) == {"friend": {"not_yet": 1}}
    assert selectors._answer_counts([area_a.pk], spring, ["friend"]) == {"friend": {"yes": 1}}


def three_of_each(area, cook):
    """A diner with three measures, and their match with three answers (one without `friend`), all linked."""
    diner = make_diner(area, "Linked")
    for day, score in ((date(2026, 1, 10), 8), (date(2026, 4, 10), 7), (date(2026, 7, 10), 5)):
        measure(diner, day, score)
    match = MatchFactory(cook=cook, diner=diner)
    for day, answer in ((1, "not_yet"), (5, ""), (9, "yes")):
        feedback(match, at(2026, 3, day), friend=answer, less_contact="yes")
    return diner, match


def test_the_migrations_fill_the_links_of_rows_already_there(area_a, active_cook):
    diner, match = three_of_each(area_a, active_cook)
    measures, answers = links(diner), replaced(match)
    LonelinessMeasure.objects.update(intake_scale="", intake_score=None, next_taken_on=None)
    Feedback.objects.update(friend_replaced_at=None, less_contact_replaced_at=None)

    import_module("meals.migrations.0013_loneliness_links_and_diner_area").link_measures(apps, None)
    import_module("meals.migrations.0014_feedback_links").link_feedback(apps, None)

    assert links(diner) == measures
    assert replaced(match) == answers
    assert (replaced(match)[0][2], replaced(match)[0][4]) == (at(2026, 3, 9), at(2026, 3, 5))


def test_linking_everything_at_once_gives_the_links_the_services_keep(area_a, active_cook):
    """After rows are written in bulk (bench/impact.py), link_all_measures and link_all_answers give each
    row what link_measure and link_answers give it one at a time."""
    diner, match = three_of_each(area_a, active_cook)
    measures, answers = links(diner), replaced(match)
    LonelinessMeasure.objects.update(intake=False, intake_scale="", intake_score=None, next_taken_on=None)
    Feedback.objects.update(friend_replaced_at=None, less_contact_replaced_at=None)

    assert link_all_measures() == 3 and link_all_answers() == 5  # 3 measures; 2 + 3 answers

    assert links(diner) == measures
    assert replaced(match) == answers
    assert list(LonelinessMeasure.objects.order_by("taken_on").values_list("intake", flat=True)) == [True, False, False]
