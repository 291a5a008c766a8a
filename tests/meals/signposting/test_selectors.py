"""Reads of the directory: search in either language, what an area can offer, staleness, suggestions
nearest first, and their fixed query counts."""

from datetime import date

import pytest

from meals.signposting import selectors, services
from meals.signposting.models import SupportService, stale_cutoff
from meals.signposting.selectors import Need, Search
from meals.signposting.services import ReferralChoice
from tests.meals.signposting.conftest import BEFRIENDING, BENEFITS, add

pytestmark = pytest.mark.django_db


def names(page) -> list[str]:
    return [service.name for service in page.object_list]


@pytest.mark.parametrize("words", ["lunch", "LUNCH", "ｌｕｎｃｈ", "ランチ", "教会", "tuesday hall", "club lunch"])
def test_a_search_finds_words_in_either_language_and_any_width(coordinator_a, covered_area_a, lunch_club, words):
    add(coordinator_a, covered_area_a, BENEFITS)
    assert names(selectors.search([covered_area_a], Search(words=words))) == [lunch_club.name]


def test_every_word_must_match(coordinator_a, covered_area_a, lunch_club):
    assert names(selectors.search([covered_area_a], Search(words="lunch helpline"))) == []


def test_a_search_by_category_and_who_it_suits(coordinator_a, covered_area_a, lunch_club):
    befriending = add(coordinator_a, covered_area_a, BEFRIENDING)
    assert names(selectors.search([covered_area_a], Search(category="talk"))) == [befriending.name]
    assert names(selectors.search([covered_area_a], Search(category="meals"))) == [lunch_club.name]
    # "Carers": those for carers, and those for any older person.
    assert set(names(selectors.search([covered_area_a], Search(suits="carers")))) == {lunch_club.name, befriending.name}
    SupportService.objects.filter(pk=lunch_club.pk).update(suits="|men|")
    assert names(selectors.search([covered_area_a], Search(suits="carers"))) == [befriending.name]


def test_an_area_sees_its_own_and_its_countrys_national_entries_only(
    coordinator_a, coordinator_b, admin_user, covered_area_a, area_b, lunch_club, helpline
):
    theirs = add(coordinator_b, area_b, name="世田谷サロン", phone="", website="https://example.jp/")
    japanese_line = services.add_service(
        by=admin_user,
        area=None,
        country="JP",
        values={
            "name": "よりそいホットライン",
            "categories": ["talk"],
            "suits": ["anyone"],
            "phone": "",
            "website": "https://www.since2011.net/yorisoi/",
            "cost": "free",
        },
    )
    assert set(names(selectors.search([covered_area_a], Search()))) == {lunch_club.name, helpline.name}
    assert set(names(selectors.search([area_b], Search()))) == {theirs.name, japanese_line.name}
    # The SQL rule and the Python rule agree, for every entry and both areas' diners.
    for area in (covered_area_a, area_b):
        reachable = set(selectors.services_for_areas([area]).values_list("pk", flat=True))
        diner = type("D", (), {"area": area})()
        assert reachable == {s.pk for s in SupportService.objects.all() if services.service_reaches(s, diner)}


def test_own_areas_entries_come_before_national_ones(covered_area_a, lunch_club, helpline):
    assert names(selectors.search([covered_area_a], Search())) == [lunch_club.name, helpline.name]


@pytest.mark.parametrize("rows", [1, 20])
def test_a_search_is_two_queries_whatever_the_size(coordinator_a, covered_area_a, django_assert_num_queries, rows):
    for n in range(rows):
        add(coordinator_a, covered_area_a, name=f"Lunch club {n}")
    # 1. the count, 2. the page's entries with their areas.
    with django_assert_num_queries(2):
        page = selectors.search([covered_area_a], Search(words="lunch", category="company", suits="men"))
        [service.area for service in page.object_list]
    assert len(page.object_list) == rows


@pytest.mark.parametrize("checked_on", [date(2025, 2, 28), date(2024, 2, 29), date(2025, 3, 1), date(2025, 2, 27)])
@pytest.mark.parametrize("today", [date(2026, 2, 28), date(2026, 3, 1), date(2025, 2, 28)])
def test_the_stale_rule_in_python_and_sql_agree(coordinator_a, lunch_club, checked_on, today):
    SupportService.objects.filter(pk=lunch_club.pk).update(checked_on=checked_on)
    lunch_club.refresh_from_db()
    in_sql = SupportService.objects.filter(pk=lunch_club.pk, checked_on__lte=stale_cutoff(today)).exists()
    assert lunch_club.is_stale(today) == in_sql
    assert lunch_club.is_stale(today) == in_sql


def test_an_entry_is_stale_12_months_after_it_was_checked(lunch_club):
    lunch_club.checked_on = date(2025, 3, 1)
    assert not lunch_club.is_stale(date(2026, 2, 28))
    assert lunch_club.is_stale(date(2026, 3, 1))


def test_stale_entries_are_counted(coordinator_a, covered_area_a, lunch_club):
    old = add(coordinator_a, covered_area_a, BENEFITS)
    SupportService.objects.filter(pk=old.pk).update(checked_on=stale_cutoff())
    assert selectors.stale_count([covered_area_a]) == 1


def test_no_need_suggests_nothing_and_reads_nothing(diner, lunch_club, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.suggestions_for(diner, []) == []


def test_loneliness_suggests_company_and_someone_to_talk_to_nearest_first(
    coordinator_a, diner, covered_area_a, lunch_club, helpline, django_assert_num_queries
):
    befriending = add(coordinator_a, covered_area_a, BEFRIENDING)  # in E1, further from the diner
    add(coordinator_a, covered_area_a, BENEFITS)  # money: not for loneliness
    with django_assert_num_queries(1):
        suggestions = selectors.suggestions_for(diner, [Need.LONELINESS])
    assert [s.service for s in suggestions] == [lunch_club, befriending, helpline]  # the helpline has no place
    assert suggestions[0].reasons == [Need.LONELINESS]


def test_a_concern_also_suggests_money_advice(coordinator_a, diner, covered_area_a, lunch_club):
    benefits = add(coordinator_a, covered_area_a, BENEFITS)
    assert [s.service for s in selectors.suggestions_for(diner, [Need.CONCERN])] == [benefits]


def test_a_service_the_diner_is_waiting_to_hear_from_is_not_suggested_again(coordinator_a, diner, lunch_club):
    services.record_onward_referral(
        by=coordinator_a,
        diner=diner,
        service=lunch_club,
        choice=ReferralChoice(kind="told", consent=False, channel="phone"),
    )
    assert selectors.suggestions_for(diner, [Need.LESS_CONTACT]) == []


def test_the_card_lists_the_chosen_services_in_one_query(
    coordinator_a, diner, lunch_club, helpline, django_assert_num_queries
):
    choice = ReferralChoice(kind="told", consent=False, channel="phone", on_card=True)
    services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=choice)
    services.record_onward_referral(
        by=coordinator_a,
        diner=diner,
        service=helpline,
        choice=ReferralChoice(kind="told", consent=False, channel="phone"),
    )
    with django_assert_num_queries(1):
        assert selectors.card_services(diner) == [lunch_club]
