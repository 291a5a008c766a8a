"""The diner's printable large-print schedule: their contact card (meals/diners/card.html) goes on with
"Your meals in the next four weeks", in the diner's language, with the cook's first name and the
coordinator's phone. The same page for the referrer acting for them and for their coordinator."""

from datetime import timedelta

import pytest
from django.utils import formats, timezone, translation

from meals.schedule import services
from meals.schedule.models import Meal
from tests.meals.schedule.conftest import plan

pytestmark = pytest.mark.django_db


def card_paths(diner, language="en") -> dict:
    return {
        "referrer": f"/{language}/diners/{diner.pk}/card/",
        "coordinator_a": f"/{language}/coordinator/diners/{diner.pk}/card/",
    }


def upcoming(match, days: int, **changes) -> Meal:
    return plan(match, day=timezone.localdate() + timedelta(days=days), now=timezone.now(), **changes)


def the_schedule(html: str) -> str:
    start = html.index('<div class="casserole-card casserole-card--schedule">')
    return html[start : html.index("</section>", start)]


def written_day(meal: Meal, language: str) -> str:
    with translation.override(language):
        return formats.date_format(meal.starts_at.astimezone(timezone.get_default_timezone()), "DATE_FORMAT")


@pytest.mark.parametrize("who", ["referrer", "coordinator_a"])
def test_the_card_goes_on_with_the_next_four_weeks_of_meals(request, login_as, active_match, who):
    first = upcoming(active_match, 2)
    upcoming(active_match, 5, dish="Shepherd's pie", allergens=["celery"])
    diner = active_match.diner

    response = login_as(request.getfixturevalue(who)).get(card_paths(diner)[who])

    assert response.status_code == 200
    schedule = the_schedule(response.content.decode())
    assert 'lang="en-GB"' in schedule
    assert "Your meals in the next four weeks" in schedule
    assert '<th scope="col">When</th>' in schedule
    assert written_day(first, "en") in schedule
    assert "12:30pm to 1:30pm" in schedule  # London time, whatever the server's clock says
    assert "<td>Cathy</td>" in schedule  # the cook's first name only
    assert "Cook</th>" in schedule and "Cathy Cook" not in schedule
    assert "Fish pie" in schedule and "Shepherd&#x27;s pie" in schedule
    assert "Waiting to be confirmed" in schedule
    assert diner.area.help_phone in schedule


def test_cancelled_meals_say_so(login_as, referrer, active_match, active_cook):
    meal = upcoming(active_match, 2)
    services.cancel_meal(by=active_cook, meal=meal, reason=Meal.CancelReason.COOK_CANNOT)

    schedule = the_schedule(login_as(referrer).get(card_paths(active_match.diner)["referrer"]).content.decode())

    assert '<strong class="casserole-card__cancelled">Cancelled</strong>' in schedule


def test_only_the_next_four_weeks_are_printed(login_as, referrer, active_match):
    soon = upcoming(active_match, 27)
    later = upcoming(active_match, 30, dish="Lamb hotpot")
    past = plan(
        active_match,
        day=timezone.localdate() - timedelta(days=3),
        now=timezone.now() - timedelta(days=5),
        dish="Old stew",
    )

    schedule = the_schedule(login_as(referrer).get(card_paths(active_match.diner)["referrer"]).content.decode())

    assert written_day(soon, "en") in schedule
    assert "Lamb hotpot" not in schedule and written_day(later, "en") not in schedule
    assert "Old stew" not in schedule and past.dish not in schedule


def test_no_meals_yet_is_said_plainly(login_as, referrer, diner):
    schedule = the_schedule(login_as(referrer).get(card_paths(diner)["referrer"]).content.decode())

    assert "No meals are planned for the next four weeks yet." in schedule
    assert "<table" not in schedule


def test_the_schedule_is_in_the_diners_language_on_any_page(login_as, coordinator_a, active_match):
    diner = active_match.diner
    diner.preferred_language = "ja"
    diner.save(update_fields=["preferred_language"])
    meal = upcoming(active_match, 2)

    html = login_as(coordinator_a).get(card_paths(diner)["coordinator_a"]).content.decode()

    assert '<html lang="en-GB"' in html
    schedule = the_schedule(html)
    assert 'lang="ja"' in schedule
    assert "これから4週間のお食事" in schedule
    assert '<th scope="col">日時</th>' in schedule
    assert written_day(meal, "ja") in schedule
    assert "12:30〜13:30" in schedule
    assert "お食事が届かないときや、困ったときは、お電話ください" in schedule
    assert "Your meals in the next four weeks" not in schedule


def test_an_english_diners_schedule_stays_english_on_the_japanese_page(login_as, referrer, active_match):
    upcoming(active_match, 2)

    html = login_as(referrer).get(card_paths(active_match.diner, "ja")["referrer"]).content.decode()

    assert '<html lang="ja"' in html
    assert "Your meals in the next four weeks" in the_schedule(html)


# Referrer: session, user, TOTP device, static device, the proxy access with its diner, the matches
# with their cooks, the meals (one query: match, diner, area, cook, series), the services the diner chose
# for their card (meals.signposting.selectors.card_services), the area's help line.
# Coordinator: session, user, TOTP device, their areas, the diner, the matches with their cooks, the
# meals, the services they chose, the areas they coordinate (the help line).
QUERIES = {"referrer": 9, "coordinator_a": 9}


@pytest.mark.parametrize("who", ["referrer", "coordinator_a"])
@pytest.mark.parametrize("count", [1, 20])
def test_the_card_takes_the_same_queries_for_1_and_20_meals(
    request, login_as, active_match, django_assert_num_queries, who, count
):
    client = login_as(request.getfixturevalue(who))
    path = card_paths(active_match.diner)[who]
    for days in range(1, count + 1):
        upcoming(active_match, days)

    with django_assert_num_queries(QUERIES[who]):
        html = client.get(path).content.decode()

    assert the_schedule(html).count("<tr>") == count + 1  # the header row and each meal
