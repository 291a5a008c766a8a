"""The cook's meal pages: their meals, proposing a meal (the allergen step, a double submit), one meal,
moving, cancelling, changing and ending a series; and that another cook gets 404 everywhere.

The services run on the real clock here (the views do), so meals are planned a few days from now."""

import re
import uuid
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from casserole.models import AuditEntry
from meals.diners.models import Allergen
from meals.matching.models import Match
from meals.schedule.models import Meal, MealSeries
from tests.meals.conftest import make_active_cook
from tests.meals.schedule.conftest import plan

pytestmark = pytest.mark.django_db


def soon(days: int = 3) -> date:
    return timezone.localdate() + timedelta(days=days)


def planned(match, *, days: int = 3, **changes):
    """A meal (or a series) a few days from now, planned through the service."""
    return plan(match, day=soon(days), now=timezone.now(), **changes)


def form_data(day: date, **changes) -> dict:
    """A complete, valid propose form: a one-off fish pie at lunchtime, allergens checked."""
    data = {
        "day_day": str(day.day),
        "day_month": str(day.month),
        "day_year": str(day.year),
        "start_time": "12:30",
        "end_time": "13:30",
        "dish": "Fish pie",
        "portion": "regular",
        "repeat": "once",
        "allergens": ["fish", "milk"],
        "allergens_checked": "on",
        "submission": str(uuid.uuid4()),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def propose_path(match, lang="en") -> str:
    return f"/{lang}/cook/matches/{match.pk}/meals/new/"


# Every page, both languages ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_cook_meal_page_renders_in_both_languages(login_as, active_match, lang):
    meal = planned(active_match, repeat="weekly")
    client = login_as(active_match.cook)
    paths = [
        "/cook/meals/",
        f"/cook/matches/{active_match.pk}/meals/new/",
        f"/cook/meals/{meal.pk}/",
        f"/cook/meals/{meal.pk}/change/",
        f"/cook/meals/{meal.pk}/cancel/",
        f"/cook/series/{meal.series_id}/change/",
        f"/cook/series/{meal.series_id}/end/",
    ]
    for path in paths:
        response = client.get(f"/{lang}{path}")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert html.count("<h1") == 1, path
        assert f'<html lang="{"ja" if lang == "ja" else "en-GB"}"' in html
        assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_japanese_propose_page_is_in_japanese(login_as, active_match):
    html = login_as(active_match.cook).get(propose_path(active_match, "ja")).content.decode()
    assert "<bdi>Edieさん</bdi>のお食事を予定する</h1>" in html and "<bdi>Edieさん</bdi>が食べられないもの" in html
    assert "例：2026年11月27日" in html  # the date hint, year first like the boxes
    assert "年" in html and "月" in html


# The propose page ------------------------------------------------------------------------------------------


def test_the_propose_page_shows_the_diners_allergens_texture_and_preferences(login_as, active_match):
    html = login_as(active_match.cook).get(propose_path(active_match)).content.decode()
    needs = html[html.index('id="diner-needs"') : html.index("</section>", html.index('id="diner-needs"'))]
    assert "govuk-warning-text" in needs
    assert "Peanuts" in needs and "Sesame" in needs and "Kiwi fruit" in needs
    assert "Soft and bite-sized" in needs
    assert 'id="diner-preferences"' in html and "Portion size" in html
    # Every allergen of the UK's 14 and Japan's lists can be ticked; the UK's come first for Edie.
    assert html.count('name="allergens"') == len(Allergen.choices)
    assert html.index("The 14 allergens UK food law names") < html.index("What food labels in Japan must show")
    assert "I have checked every ingredient: the dish contains only the allergens ticked above" in html
    # The diner's own allergens are marked where the cook ticks.
    assert html.count("The diner can’t eat this") == 2
    # The one-time key of the form, and the portion the diner likes already chosen.
    assert re.search(r'name="submission" value="[0-9a-f-]{36}"', html)
    assert re.search(r'value="regular"[^>]*checked', html)


def test_a_cook_proposes_a_one_off_meal(login_as, active_match):
    response = login_as(active_match.cook).post(propose_path(active_match), form_data(soon()))
    meal = Meal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/cook/meals/{meal.pk}/"
    assert meal.series is None and meal.dish == "Fish pie" and meal.allergens == ["fish", "milk"]
    local = timezone.localtime(meal.starts_at)  # London, the area's zone
    assert (local.date(), local.time()) == (soon(), time(12, 30))
    assert meal.status == Meal.Status.PROPOSED


def test_a_cook_proposes_a_weekly_series(login_as, active_match):
    client = login_as(active_match.cook)
    response = client.post(propose_path(active_match), form_data(soon(), repeat="weekly"))
    series = MealSeries.objects.get()
    first = series.meals.order_by("starts_at").first()
    assert response["Location"] == f"/en/cook/meals/{first.pk}/"
    assert series.repeat == "weekly" and series.meals.count() > 1
    page = client.get(response["Location"]).content.decode()
    assert "Every week" in page and "Your repeating meals for Edie are planned" in page


def test_a_dish_with_the_diners_allergen_is_refused_naming_it_and_keeps_what_was_typed(login_as, active_match):
    data = form_data(soon(), dish="Satay chicken", allergens=["peanuts"])
    response = login_as(active_match.cook).post(propose_path(active_match), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "<title>Error:" in html
    assert "Edie can’t eat Peanuts" in html
    assert 'value="Satay chicken"' in html and f'value="{data["submission"]}"' in html
    assert re.search(r'value="peanuts"[^>]*checked', html)
    assert not Meal.objects.exists()


def test_the_allergen_clash_is_named_in_japanese_too(login_as, active_match):
    data = form_data(soon(), dish="Satay chicken", allergens=["peanuts"])
    html = login_as(active_match.cook).post(propose_path(active_match, "ja"), data).content.decode()
    assert "落花生" in html and "<title>エラー：" in html


def test_without_the_allergen_confirmation_nothing_is_planned(login_as, active_match):
    data = form_data(soon(), allergens_checked=None)
    response = login_as(active_match.cook).post(propose_path(active_match), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Confirm that you have checked every ingredient for allergens" in html
    assert 'href="#id_allergens_checked"' in html and 'value="Fish pie"' in html
    assert not Meal.objects.exists()


def test_a_double_submit_makes_one_meal(login_as, active_match):
    client = login_as(active_match.cook)
    data = form_data(soon())
    first, second = client.post(propose_path(active_match), data), client.post(propose_path(active_match), data)
    assert Meal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_double_submit_of_a_series_makes_one_series(login_as, active_match):
    client = login_as(active_match.cook)
    data = form_data(soon(), repeat="fortnightly")
    client.post(propose_path(active_match), data)
    meals = Meal.objects.count()
    client.post(propose_path(active_match), data)
    assert MealSeries.objects.count() == 1 and Meal.objects.count() == meals


def test_a_day_in_the_past_is_refused(login_as, active_match):
    response = login_as(active_match.cook).post(propose_path(active_match), form_data(soon(-2)))
    assert response.status_code == 200 and "Choose a time in the future." in response.content.decode()
    assert not Meal.objects.exists()


def test_bad_times_are_refused_and_kept(login_as, active_match):
    html = (
        login_as(active_match.cook)
        .post(propose_path(active_match), form_data(soon(), start_time="14:00", end_time="13:00"))
        .content.decode()
    )
    assert "The end time must be after the start time" in html and 'value="14:00"' in html
    html = login_as(active_match.cook).post(propose_path(active_match), form_data(soon(), start_time="lunch")).content
    assert "Enter a real time, for example 14:30" in html.decode()
    assert not Meal.objects.exists()


def test_a_paused_match_says_why_no_meal_can_be_planned(login_as, active_match):
    Match.objects.filter(pk=active_match.pk).update(status=Match.Status.PAUSED)
    client = login_as(active_match.cook)
    html = client.get(propose_path(active_match)).content.decode()
    assert 'id="why-not"' in html and "This match is paused" in html and 'name="dish"' not in html
    response = client.post(propose_path(active_match), form_data(soon()))
    assert response.status_code == 200 and not Meal.objects.exists()


def test_the_match_page_offers_to_plan_a_meal_only_while_active(login_as, active_match):
    client = login_as(active_match.cook)
    assert (
        f'href="/en/cook/matches/{active_match.pk}/meals/new/"'
        in client.get(f"/en/cook/matches/{active_match.pk}/").content.decode()
    )
    Match.objects.filter(pk=active_match.pk).update(status=Match.Status.PAUSED)
    assert "/meals/new/" not in client.get(f"/en/cook/matches/{active_match.pk}/").content.decode()


def test_the_cooks_checklist_links_to_their_meals(login_as, active_cook):
    assert 'href="/en/cook/meals/"' in login_as(active_cook).get("/en/account/cook/").content.decode()


# One meal ------------------------------------------------------------------------------------------------


def test_the_meal_page_shows_the_meal_the_diners_needs_and_shared_details(login_as, active_match):
    meal = planned(active_match)
    html = login_as(active_match.cook).get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert "Fish pie" in html and "Fish, Milk" in html and "Waiting to be confirmed" in html
    assert "12:30pm to 1:30pm" in html
    assert "Peanuts" in html and "Soft and bite-sized" in html and 'id="diner-preferences"' in html
    assert "12 Mare Street" in html and "Key safe by the door" in html
    for path in ("label", "change", "cancel"):
        assert f'href="/en/cook/meals/{meal.pk}/{path}/"' in html
    assert "/cook/series/" not in html
    assert AuditEntry.objects.filter(action="diner_record_viewed", actor=active_match.cook).count() == 1


def test_a_series_meal_links_to_changing_and_stopping_the_series(login_as, active_match):
    meal = planned(active_match, repeat="weekly")
    html = login_as(active_match.cook).get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert f'href="/en/cook/series/{meal.series_id}/change/"' in html
    assert f'href="/en/cook/series/{meal.series_id}/end/"' in html


def test_after_the_match_ends_the_meal_page_shows_no_address(login_as, active_match):
    meal = planned(active_match)
    Match.objects.filter(pk=active_match.pk).update(status=Match.Status.ENDED)
    html = login_as(active_match.cook).get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert "12 Mare Street" not in html and 'id="shared-details"' not in html
    assert "Peanuts" in html  # the allergens stay: they are about the meal


def test_the_meal_page_says_who_confirmed_and_how(login_as, active_match, coordinator_a):
    from meals.schedule import services

    meal = planned(active_match)
    services.decide_meal(by=coordinator_a, meal=meal, confirm=True, channel="phone")
    html = login_as(active_match.cook).get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert "Confirmed" in html and "A coordinator, by phone" in html


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_meal_page_shows_the_time_in_the_areas_zone(login_as, active_match, lang):
    meal = planned(active_match)
    html = login_as(active_match.cook).get(f"/{lang}/cook/meals/{meal.pk}/").content.decode()
    assert ("12:30pm to 1:30pm" if lang == "en" else "12:30〜13:30") in html


def covered(active_match, second_cook, coordinator_a, course):
    """A meal the match's cook called off and the second cook covers."""
    from meals.schedule import services

    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    meal = planned(active_match)
    services.cancel_meal(by=active_match.cook, meal=meal, reason="cook_cannot")
    return services.arrange_cover(by=coordinator_a, meal=meal, cook=second_cook)


def test_a_cover_cook_sees_the_meal_and_the_address_until_it_has_passed(
    login_as, active_match, second_cook, coordinator_a, course
):
    meal = covered(active_match, second_cook, coordinator_a, course)
    client = login_as(second_cook)
    html = client.get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert "instead of <bdi>Cathy</bdi>" in html and "12 Mare Street" in html and "Peanuts" in html
    assert f'href="/en/cook/meals/{meal.pk}/change/"' not in html  # moving it is the match's cook's to do
    assert f'href="/en/cook/meals/{meal.pk}/cancel/"' in html
    assert "Covering for <bdi>Cathy</bdi>" in client.get("/en/cook/meals/").content.decode()
    # Once the meal has passed, the address is gone again.
    Meal.objects.filter(pk=meal.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=2)
    )
    html = client.get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert "12 Mare Street" not in html and "Peanuts" in html


def test_the_cook_who_called_off_sees_who_brings_it_instead(login_as, active_match, second_cook, coordinator_a, course):
    meal = covered(active_match, second_cook, coordinator_a, course)
    html = login_as(active_match.cook).get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert 'id="covered-by"' in html and f'href="/en/cook/meals/{meal.pk}/cancel/"' not in html


# Changing, cancelling, series ----------------------------------------------------------------------------


def test_the_change_page_is_filled_in_and_moves_the_meal(login_as, active_match):
    meal = planned(active_match)
    client = login_as(active_match.cook)
    html = client.get(f"/en/cook/meals/{meal.pk}/change/").content.decode()
    assert 'value="Fish pie"' in html and 'value="12:30"' in html and f'value="{soon().day}"' in html
    new_day = soon(4)
    data = form_data(new_day, start_time="17:00", end_time="18:00", dish="Shepherd’s pie", allergens=["celery"])
    response = client.post(f"/en/cook/meals/{meal.pk}/change/", data)
    assert response["Location"] == f"/en/cook/meals/{meal.pk}/"
    meal.refresh_from_db()
    assert timezone.localtime(meal.starts_at).date() == new_day and meal.dish == "Shepherd’s pie"
    assert meal.allergens == ["celery"]


def test_a_change_with_the_diners_allergen_is_refused_and_keeps_the_input(login_as, active_match):
    meal = planned(active_match)
    data = form_data(soon(), dish="Sesame noodles", allergens=["sesame"])
    html = login_as(active_match.cook).post(f"/en/cook/meals/{meal.pk}/change/", data).content.decode()
    assert "Edie can’t eat Sesame" in html and 'value="Sesame noodles"' in html
    meal.refresh_from_db()
    assert meal.dish == "Fish pie"


def test_cancelling_says_the_coordinator_is_told_and_cancels(login_as, active_match):
    meal = planned(active_match)
    client = login_as(active_match.cook)
    html = client.get(f"/en/cook/meals/{meal.pk}/cancel/").content.decode()
    assert "we tell the coordinator at once" in html and "find another cook" in html
    assert "I can’t come" in html and "The diner told me they are away" in html
    assert "Select why the meal can’t go ahead" in client.post(f"/en/cook/meals/{meal.pk}/cancel/", {}).content.decode()
    response = client.post(f"/en/cook/meals/{meal.pk}/cancel/", {"reason": "cook_cannot", "note": "Flu"})
    assert response["Location"] == f"/en/cook/meals/{meal.pk}/"
    meal.refresh_from_db()
    assert meal.status == Meal.Status.CANCELLED and meal.cancel_reason == "cook_cannot" and meal.cancel_note == "Flu"


def test_changing_the_rest_of_a_series(login_as, active_match):
    meal = planned(active_match, repeat="weekly")
    client = login_as(active_match.cook)
    html = client.get(f"/en/cook/series/{meal.series_id}/change/").content.decode()
    assert 'value="Fish pie"' in html and re.search(r'value="weekly"[^>]*checked', html)
    assert f'name="from_day_day" value="{soon().day}"' in html  # the series' next meal
    from_day = soon(3 + 7)
    data = form_data(from_day, repeat="fortnightly", dish="Cottage pie", allergens=["celery"])
    data.update({"from_day_day": data.pop("day_day"), "from_day_month": data.pop("day_month")})
    data["from_day_year"] = data.pop("day_year")
    response = client.post(f"/en/cook/series/{meal.series_id}/change/", data)
    assert response.status_code == 302
    new = MealSeries.objects.exclude(pk=meal.series_id).get()
    assert new.repeat == "fortnightly" and new.dish == "Cottage pie" and new.starts_on == from_day
    meal.refresh_from_db()
    assert meal.is_happening and meal.dish == "Fish pie"  # before from_day: unchanged


def test_stopping_a_series(login_as, active_match):
    meal = planned(active_match, repeat="weekly")
    client = login_as(active_match.cook)
    assert (
        "There will be no more of these meals after today"
        in client.get(f"/en/cook/series/{meal.series_id}/end/").content.decode()
    )
    response = client.post(f"/en/cook/series/{meal.series_id}/end/")
    assert response["Location"] == "/en/cook/meals/"
    assert not Meal.objects.filter(series_id=meal.series_id, status__in=Meal.HAPPENING).exists()


# Access ----------------------------------------------------------------------------------------------------


def test_another_cook_gets_404_on_every_meal_url(login_as, active_match, second_cook):
    meal = planned(active_match, repeat="weekly")
    client = login_as(second_cook)
    paths = [
        f"/en/cook/matches/{active_match.pk}/meals/new/",
        f"/en/cook/meals/{meal.pk}/",
        f"/en/cook/meals/{meal.pk}/change/",
        f"/en/cook/meals/{meal.pk}/cancel/",
        f"/en/cook/series/{meal.series_id}/change/",
        f"/en/cook/series/{meal.series_id}/end/",
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
        if path != f"/en/cook/meals/{meal.pk}/":  # GET only: a POST is 405 before anything is looked up
            assert client.post(path, form_data(soon(), reason="other")).status_code == 404, path
    meal.refresh_from_db()
    assert meal.is_happening and MealSeries.objects.get().ends_on is None
    assert "Fish pie" not in client.get("/en/cook/meals/").content.decode()


def test_someone_who_does_not_cook_is_refused(login_as, active_match, referrer):
    meal = planned(active_match)
    assert login_as(referrer).get(f"/en/cook/meals/{meal.pk}/").status_code == 403


# The list ----------------------------------------------------------------------------------------------------


def test_the_meals_page_lists_upcoming_meals_and_links_to_the_calendar(login_as, active_match):
    meal = planned(active_match)
    html = login_as(active_match.cook).get("/en/cook/meals/").content.decode()
    assert f'href="/en/cook/meals/{meal.pk}/"' in html and "Edie" in html and "Fish pie" in html
    assert "Waiting to be confirmed" in html and 'href="/en/cook/calendar/"' in html
    assert 'id="past-meals"' not in html


def test_the_meals_page_with_no_meals_says_how_to_plan_one(login_as, active_cook):
    html = login_as(active_cook).get("/ja/cook/meals/").content.decode()
    assert 'id="no-upcoming-meals"' in html


# The meals page: 1. the session  2. the user  3.–4. django-otp's devices  5. the meals to come and
# 6. the past ones, each with match, diner, area, cook and series (select_related)  7. the cook's area for
# the "Need help?" block.
MEALS_QUERIES = 7


@pytest.mark.parametrize("count", [1, 20])
def test_the_meals_page_costs_the_same_queries_with_1_or_20_meals(
    login_as, active_match, count, django_assert_num_queries
):
    for n in range(count):
        planned(active_match, days=3 + n)
    client = login_as(active_match.cook)

    with django_assert_num_queries(MEALS_QUERIES):
        response = client.get("/en/cook/meals/")

    assert response.content.decode().count('href="/en/cook/meals/') == count
