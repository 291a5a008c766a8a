"""A meal's printable label: the dish, its allergens highlighted, the food-safety lines of
casserole.food_safety, who cooked it and for whom, in the diner's language (or the other on request).
Only the cook of the meal may print it."""

from datetime import date, timedelta

import pytest
from django.utils import formats, timezone, translation

from meals.schedule import services
from meals.schedule.models import Meal
from tests.meals.schedule.conftest import plan

pytestmark = pytest.mark.django_db


def label_path(meal, language="en", query="") -> str:
    return f"/{language}/cook/meals/{meal.pk}/label/{query}"


def made_on(day: date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def the_label(html: str) -> str:
    """The printed part of the page: the label's <section>."""
    start = html.index('<section class="casserole-label"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def meal(active_match) -> Meal:
    return plan(active_match, day=timezone.localdate() + timedelta(days=2), now=timezone.now())


def test_the_label_in_english_says_what_the_course_teaches(login_as, active_cook, meal):
    response = login_as(active_cook).get(label_path(meal))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    label = the_label(response.content.decode())
    assert 'lang="en-GB"' in label
    assert "This meal is for <bdi>Edie</bdi>" in label
    assert "Fish pie" in label
    day = made_on(timezone.localdate() + timedelta(days=2), "en")
    assert f"Made on {day} — eat within 24 hours" in label
    assert "Keep in the fridge below 5 °C" in label
    assert "Reheat until steaming hot, once only" in label
    assert "Cooked by <bdi>Cathy</bdi>" in label


def test_the_allergens_the_dish_contains_are_highlighted(login_as, active_cook, meal):
    label = the_label(login_as(active_cook).get(label_path(meal)).content.decode())

    allergens = label[label.index('class="casserole-label__allergens"') :]
    assert "<li><strong>Fish</strong></li>" in allergens
    assert "<li><strong>Milk</strong></li>" in allergens
    assert "No allergens from the list" not in label


def test_a_dish_with_no_allergens_says_so(login_as, active_cook, active_match):
    meal = plan(
        active_match, day=timezone.localdate() + timedelta(days=2), now=timezone.now(), dish="Soup", allergens=[]
    )

    label = the_label(login_as(active_cook).get(label_path(meal)).content.decode())

    assert "No allergens from the list" in label
    assert "<strong>" not in label


def test_the_label_is_in_the_diners_language_whatever_the_pages_language(login_as, active_cook, meal):
    diner = meal.match.diner
    diner.preferred_language = "ja"
    diner.save(update_fields=["preferred_language"])

    html = login_as(active_cook).get(label_path(meal)).content.decode()

    assert '<html lang="en-GB"' in html  # the page around the label stays in the reader's language
    label = the_label(html)
    assert 'lang="ja"' in label
    assert "<li><strong>魚</strong></li>" in label
    assert "<li><strong>乳（牛乳・乳製品）</strong></li>" in label
    day = made_on(timezone.localdate() + timedelta(days=2), "ja")
    assert f"{day}に作りました。24時間以内に食べてください" in label
    assert "冷蔵庫（5℃以下）で保存してください" in label
    assert "中まで熱くなるまで温めてください。温め直しは1回だけです" in label
    assert "<bdi>Edieさん</bdi>のお食事です" in label  # the honorific comes with the name (casserole.names)
    assert "作った人：<bdi>Cathyさん</bdi>" in label  # the cook too: the label addresses them
    assert 'href="?lang=en"' in html


def test_the_cook_can_print_it_in_the_other_language_too(login_as, active_cook, meal):
    client = login_as(active_cook)

    english = client.get(label_path(meal)).content.decode()
    japanese = client.get(label_path(meal, query="?lang=ja")).content.decode()

    assert 'href="?lang=ja"' in english and "Show the label in Japanese" in english
    assert 'lang="ja"' in the_label(japanese)
    assert "24時間以内" in the_label(japanese)
    assert 'href="?lang=en"' in japanese and "Show the label in English" in japanese


def test_an_unknown_language_falls_back_to_the_diners(login_as, active_cook, meal):
    html = login_as(active_cook).get(label_path(meal, query="?lang=fr")).content.decode()

    assert 'lang="en-GB"' in the_label(html)


def test_the_japanese_page_around_an_english_label(login_as, active_cook, meal):
    html = login_as(active_cook).get(label_path(meal, "ja")).content.decode()

    assert '<html lang="ja"' in html
    assert "このラベルは英語です。" in html
    assert "Keep in the fridge below 5 °C" in the_label(html)


def test_the_page_has_one_h1_and_the_label_sits_in_main(login_as, active_cook, meal):
    html = login_as(active_cook).get(label_path(meal)).content.decode()

    assert html.count("<h1") == 1
    main = html[html.index("<main") : html.index("</main>")]
    assert '<section class="casserole-label"' in main
    assert "data-casserole-print hidden" in html  # the print button appears only where scripts run
    assert "use your browser’s Print command" in html


def test_a_cancelled_meal_says_it_needs_no_label(login_as, active_cook, meal):
    services.cancel_meal(by=active_cook, meal=meal, reason=Meal.CancelReason.DINER_AWAY)

    html = login_as(active_cook).get(label_path(meal)).content.decode()

    assert "This meal is not going ahead, so it does not need a label." in html


def test_another_cooks_meal_is_not_found(login_as, second_cook, meal):
    second_cook.is_cook = True
    second_cook.save(update_fields=["is_cook"])

    assert login_as(second_cook).get(label_path(meal)).status_code == 404


def test_a_missing_meal_is_not_found(login_as, active_cook):
    assert login_as(active_cook).get("/en/cook/meals/999999/label/").status_code == 404


@pytest.mark.parametrize("who", ["referrer", "coordinator_a"])
def test_people_who_do_not_cook_are_refused(request, login_as, meal, who):
    assert login_as(request.getfixturevalue(who)).get(label_path(meal)).status_code == 403


def test_the_label_needs_sign_in(client, meal):
    response = client.get(label_path(meal))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_the_label_page_refuses_writes(login_as, active_cook, meal):
    assert login_as(active_cook).post(label_path(meal)).status_code == 405
