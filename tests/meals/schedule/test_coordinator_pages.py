"""The coordinator's meal pages: this week in their areas with what needs them flagged, one meal (confirm
by phone, cancel for the diner, find a cook to cover), a diner's meals and how they like them, and the
counts on the coordinator's home.

Ada coordinates area A, where Edie lives and Cathy cooks for her; Ben coordinates area B and must not
know any of it exists. Meals are on the real clock, since the pages read the time themselves."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from casserole import audit
from casserole.models import AuditEntry, OutboundEmail
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.schedule import services
from meals.schedule.models import Meal, MealReminder
from tests.factories import CoordinatorFactory, DinerFactory, MatchFactory, add_totp
from tests.meals.conftest import make_active_cook
from tests.meals.schedule.conftest import make_active_match, plan

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEEK = "/en/coordinator/meals/"


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def ahead(days: int) -> date:
    return timezone.localdate(timezone=LONDON) + timedelta(days=days)


def plan_soon(match, days=3, **changes) -> Meal:
    return plan(match, day=ahead(days), now=timezone.now(), **changes)


def meal_at(match, start, *, hours=1, **fields) -> Meal:
    """A meal made directly, for times the services refuse (the past, the next hour)."""
    return Meal.objects.create(
        match=match,
        cook=match.cook,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        dish="Fish pie",
        allergens=["fish"],
        **fields,
    )


def row(html: str, meal: Meal) -> str:
    start = html.index(f'id="meal-{meal.pk}"')
    return html[start : html.index("</tr>", start)]


def flags(html: str, meal: Meal) -> list[str]:
    return re.findall(r'data-flag="(\w+)"', row(html, meal))


@pytest.fixture
def cover_cook(second_cook, coordinator_a, course, covered_area_a):
    """Colin, a second active cook in E8, near enough to Edie to cover a meal."""
    return make_active_cook(second_cook, coordinator=coordinator_a, course=course)


# This week -------------------------------------------------------------------------------------------------


def test_the_week_flags_unconfirmed_uncovered_and_missed_meals(login_as, coordinator_a, active_match):
    now = timezone.now()
    soon = meal_at(active_match, now + timedelta(hours=5))  # proposed, within 24 hours
    later = plan_soon(active_match, days=3)  # proposed, days away
    confirmed = plan_soon(active_match, days=4)
    services.decide_meal(by=coordinator_a, meal=confirmed, confirm=True, channel="phone")
    dropped = plan_soon(active_match, days=5)
    services.cancel_meal(by=active_match.cook, meal=dropped, reason=Meal.CancelReason.COOK_CANNOT)
    missed = meal_at(active_match, now - timedelta(days=2))  # past, nobody confirmed
    eaten = meal_at(active_match, now - timedelta(days=3), status=Meal.Status.CONFIRMED)

    html = login_as(coordinator_a).get(WEEK).content.decode()

    assert flags(html, soon) == ["unconfirmed"]
    assert flags(html, later) == [] and flags(html, confirmed) == []
    assert flags(html, dropped) == ["no_cover"]
    assert flags(html, missed) == ["missed"]
    missed_section = html[html.index('id="missed"') :]
    assert f'id="meal-{missed.pk}"' in missed_section
    assert f'id="meal-{eaten.pk}"' not in html  # past and fine: not this week's business
    assert 'id="unconfirmed-count">1<' in html
    assert 'id="no-cover-count">1<' in html
    assert 'id="missed-count">1<' in html
    assert f'href="/en/coordinator/meals/{soon.pk}/"' in html


def test_a_cook_who_cancels_often_is_marked(login_as, coordinator_a, active_match, settings):
    now = timezone.now()
    for days in (10, 20, 30):
        meal_at(
            active_match,
            now - timedelta(days=days),
            status=Meal.Status.CANCELLED,
            cancel_reason=Meal.CancelReason.COOK_CANNOT,
            cancelled_at=now - timedelta(days=days + 1),
        )
    meal = plan_soon(active_match)

    html = login_as(coordinator_a).get(WEEK).content.decode()
    assert "Cancels often" in row(html, meal)
    assert "cancelled 3 meals recently" in row(html, meal)

    settings.MEAL_CANCELLATIONS_OFTEN = 4
    html = login_as(coordinator_a).get(WEEK).content.decode()
    assert "Cancels often" not in row(html, meal)


def test_meals_of_a_paused_match_are_not_on_the_week(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)
    Match.objects.filter(pk=active_match.pk).update(status=Match.Status.PAUSED)

    html = login_as(coordinator_a).get(WEEK).content.decode()

    assert f'id="meal-{meal.pk}"' not in html
    assert "No meals are planned this week." in html


def test_another_areas_coordinator_sees_none_of_it(login_as, coordinator_b, active_match):
    meal = plan_soon(active_match)

    html = login_as(coordinator_b).get(WEEK).content.decode()

    assert f'id="meal-{meal.pk}"' not in html and "Edith" not in html


@pytest.fixture
def coordinator_ab(area_a, area_b):
    user = CoordinatorFactory(full_name="Abe Both", email="coord-ab@example.org", areas=[area_a, area_b])
    add_totp(user)
    return user


def test_a_coordinator_of_several_areas_can_show_one(login_as, coordinator_ab, coordinator_a, area_b, active_match):
    meal = plan_soon(active_match)
    client = login_as(coordinator_ab)

    everything = client.get(WEEK).content.decode()
    only_b = client.get(f"{WEEK}?area={area_b.pk}").content.decode()
    only_a = client.get(f"{WEEK}?area={active_match.diner.area_id}").content.decode()

    assert 'name="area"' in everything
    assert f'id="meal-{meal.pk}"' in everything and f'id="meal-{meal.pk}"' in only_a
    assert f'id="meal-{meal.pk}"' not in only_b
    # One area only: nothing to choose.
    assert 'name="area"' not in login_as(coordinator_a).get(WEEK).content.decode()


@pytest.mark.parametrize("area", ["b", "999999", "nonsense"])
def test_an_area_that_is_not_theirs_is_404(login_as, coordinator_a, area_b, area):
    value = area_b.pk if area == "b" else area

    assert login_as(coordinator_a).get(f"{WEEK}?area={value}").status_code == 404


@pytest.mark.parametrize(("who", "expected"), [("referrer", 403), ("cook", 403), ("anonymous", 302)])
def test_the_week_is_for_coordinators(client, login_as, referrer, cook, who, expected):
    browser = client if who == "anonymous" else login_as({"referrer": referrer, "cook": cook}[who])

    assert browser.get(WEEK).status_code == expected


def test_failed_reminder_emails_show_on_the_week(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match, days=1)
    email = OutboundEmail.objects.create(
        to=active_match.cook.email, subject="Reminder", body="...", status=OutboundEmail.Status.FAILED, attempts=8
    )
    MealReminder.objects.create(
        meal=meal, recipient=active_match.cook, kind=MealReminder.Kind.COOK, starts_at=meal.starts_at, email=email
    )

    html = login_as(coordinator_a).get(WEEK).content.decode()

    failed = html[html.index('id="failed-reminders"') : html.index("</section>", html.index('id="failed-reminders"'))]
    assert "Cathy Cook" in failed and active_match.cook.email in failed


# The week page, whatever the number of meals:
#  1. the session, 2. the user, 3–4. their authenticators (django-otp: TOTP, static),
#  5. the coordinator's areas, 6. the week's meals with match, diner, area, cook and series,
#  7. which of them are unconfirmed too near their day, 8. their cooks' recent cancellations,
#  9. the failed reminder emails, 10. the area for the "Need help?" block (context processor).
WEEK_QUERIES = 10


@pytest.mark.parametrize("count", [1, 20])
def test_the_week_is_ten_queries_whatever_the_number_of_meals(
    login_as, coordinator_a, active_match, count, django_assert_num_queries
):
    now = timezone.now()
    for n in range(count):
        meal_at(active_match, now + timedelta(hours=2 + n * 7))  # every one within the week
    client = login_as(coordinator_a)

    with django_assert_num_queries(WEEK_QUERIES):
        html = client.get(WEEK).content.decode()

    assert html.count('<tr class="govuk-table__row" id="meal-') == count


# One meal ----------------------------------------------------------------------------------------------------


def meal_url(meal: Meal) -> str:
    return f"/en/coordinator/meals/{meal.pk}/"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("coordinator_a", 200), ("coordinator_b", 404), ("referrer", 403), ("cook", 403), ("anonymous", 302)],
)
def test_who_may_see_a_meal(client, login_as, coordinator_a, coordinator_b, referrer, active_match, who, expected):
    meal = plan_soon(active_match)
    people = {"coordinator_a": coordinator_a, "coordinator_b": coordinator_b, "referrer": referrer}
    people["cook"] = active_match.cook
    browser = client if who == "anonymous" else login_as(people[who])

    assert browser.get(meal_url(meal)).status_code == expected


def test_another_areas_coordinator_cannot_act_on_a_meal(login_as, coordinator_b, active_match):
    meal = plan_soon(active_match)

    response = login_as(coordinator_b).post(
        meal_url(meal), {"action": "decide", "decide-decision": "confirm", "decide-channel": "phone"}
    )

    assert response.status_code == 404
    meal.refresh_from_db()
    assert meal.status == Meal.Status.PROPOSED


def test_the_meal_page_shows_the_diners_allergens_and_the_dish(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)

    html = login_as(coordinator_a).get(meal_url(meal)).content.decode()

    allergens = html[html.index('id="diner-allergens"') : html.index("</dd>", html.index('id="diner-allergens"'))]
    assert "Peanuts" in allergens and "Sesame" in allergens and "Kiwi fruit" in allergens
    assert "Fish pie" in html
    assert "<bdi>Cathy Cook</bdi> cancelled 0 meals in the last 90 days" in html


def test_a_coordinator_confirms_by_phone_and_the_channel_is_recorded(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)
    client = login_as(coordinator_a)

    html = client.get(meal_url(meal)).content.decode()
    assert re.search(r'<input type="radio" name="decide-channel" value="phone"[^>]*checked>', html)

    response = client.post(
        meal_url(meal), {"action": "decide", "decide-decision": "confirm", "decide-channel": "phone"}
    )

    assert response.status_code == 302 and response["Location"] == meal_url(meal)
    meal.refresh_from_db()
    assert (meal.status, meal.decided_by, meal.decision_channel) == (Meal.Status.CONFIRMED, coordinator_a, "phone")
    entry = AuditEntry.objects.get(action=audit.Action.MEAL_CONFIRMED, object_id=str(meal.pk))
    assert (entry.actor, entry.channel) == (coordinator_a, "phone")
    history = client.get(meal_url(meal)).content.decode()
    history = history[history.index('id="history-list"') :]
    assert "Meal confirmed" in history and "Ada Coordinator" in history and "(phone)" in history


def test_a_confirmed_meal_can_only_be_declined(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)
    services.decide_meal(by=coordinator_a, meal=meal, confirm=True, channel="phone")
    client = login_as(coordinator_a)

    html = client.get(meal_url(meal)).content.decode()
    assert 'name="decide-decision" value="confirm"' not in html

    client.post(meal_url(meal), {"action": "decide", "decide-decision": "decline", "decide-channel": "in_person"})

    meal.refresh_from_db()
    assert (meal.status, meal.decision_channel) == (Meal.Status.DECLINED, "in_person")


def test_a_decision_without_an_answer_is_an_error_and_changes_nothing(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)

    response = login_as(coordinator_a).post(meal_url(meal), {"action": "decide", "decide-channel": "in_person"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "Select what the diner said" in html
    assert 'href="#id_decide-decision_0"' in html  # the summary links to the field
    assert re.search(r'<input type="radio" name="decide-channel" value="in_person"[^>]*checked>', html)
    meal.refresh_from_db()
    assert meal.status == Meal.Status.PROPOSED


def test_a_coordinator_cancels_for_the_diner(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)

    response = login_as(coordinator_a).post(
        meal_url(meal),
        {"action": "cancel", "cancel-reason": "diner_away", "cancel-note": "In hospital", "cancel-channel": "phone"},
    )

    assert response.status_code == 302
    meal.refresh_from_db()
    assert (meal.status, meal.cancel_reason, meal.cancel_note) == ("cancelled", "diner_away", "In hospital")
    entry = AuditEntry.objects.get(action=audit.Action.MEAL_CANCELLED)
    assert (entry.actor, entry.channel) == (coordinator_a, "phone")
    assert not meal.needs_cover


def test_another_reason_needs_a_note_and_keeps_what_was_chosen(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)

    response = login_as(coordinator_a).post(
        meal_url(meal), {"action": "cancel", "cancel-reason": "other", "cancel-note": "  ", "cancel-channel": "web"}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "Say why the meal is cancelled" in html
    assert re.search(r'<input type="radio" name="cancel-reason" value="other"[^>]*checked>', html)
    assert re.search(r'<input type="radio" name="cancel-channel" value="web"[^>]*checked>', html)
    meal.refresh_from_db()
    assert meal.status == Meal.Status.PROPOSED


def test_an_unknown_action_changes_nothing(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)

    response = login_as(coordinator_a).post(meal_url(meal), {"action": "delete"})

    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.status == Meal.Status.PROPOSED


# Cover ---------------------------------------------------------------------------------------------------------


def test_cover_end_to_end(login_as, coordinator_a, active_match, cover_cook):
    cathy = active_match.cook
    meal = plan_soon(active_match)
    services.cancel_meal(by=cathy, meal=meal, reason=Meal.CancelReason.COOK_CANNOT, note="Flu")
    OutboundEmail.objects.all().delete()
    client = login_as(coordinator_a)

    # The coordinator sees the meal flagged on the week, and Colin among the cooks who could cover it.
    assert flags(client.get(WEEK).content.decode(), meal) == ["no_cover"]
    html = client.get(meal_url(meal)).content.decode()
    assert 'id="flag-no-cover"' in html
    assert "<bdi>Cathy Cook</bdi> cancelled 1 meal in the last 90 days" in html
    card = html[html.index(f'id="candidate-{cover_cook.pk}"') :]
    assert "Colin Cook" in card and "Cancelled 0 meals in the last 90 days" in card
    assert f'name="cover-cook" value="{cover_cook.pk}"' in card
    assert "<bdi>Colin Cook</bdi> will cover it" in card

    response = client.post(meal_url(meal), {"action": "cover", "cover-cook": cover_cook.pk, "cover-channel": "phone"})

    assert response.status_code == 302
    meal.refresh_from_db()
    assert (meal.cook, meal.covered_for, meal.cover_arranged_by) == (cover_cook, cathy, coordinator_a)
    assert meal.status == Meal.Status.PROPOSED
    entry = AuditEntry.objects.get(action=audit.Action.MEAL_COVER_ARRANGED)
    assert (entry.channel, entry.detail["cook"]) == ("phone", cover_cook.pk)
    assert OutboundEmail.objects.filter(to=cover_cook.email).count() == 1  # the cover cook is told
    html = client.get(meal_url(meal)).content.decode()
    assert "Covering for <bdi>Cathy Cook</bdi>" in html and 'id="cover"' not in html
    assert flags(client.get(WEEK).content.decode(), meal) == []


def test_a_cook_who_already_cooks_for_the_diner_is_offered_first(login_as, coordinator_a, active_match, cover_cook):
    MatchFactory(cook=cover_cook, diner=active_match.diner, status=Match.Status.ACTIVE, additional=True)
    meal = plan_soon(active_match)
    services.cancel_meal(by=active_match.cook, meal=meal, reason=Meal.CancelReason.COOK_CANNOT)

    html = login_as(coordinator_a).get(meal_url(meal)).content.decode()

    card = html[html.index(f'id="candidate-{cover_cook.pk}"') :]
    assert "Already cooks for them" in card


def test_cover_by_a_cook_not_on_the_list_is_refused(login_as, coordinator_a, active_match, cover_cook, coordinator_b):
    meal = plan_soon(active_match)
    services.cancel_meal(by=active_match.cook, meal=meal, reason=Meal.CancelReason.COOK_CANNOT)

    response = login_as(coordinator_a).post(
        meal_url(meal), {"action": "cover", "cover-cook": coordinator_b.pk, "cover-channel": "phone"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "Choose a cook from the list to cover the meal." in html
    meal.refresh_from_db()
    assert meal.cook == active_match.cook and meal.status == Meal.Status.CANCELLED


def test_with_nobody_near_enough_the_page_says_so(login_as, coordinator_a, active_match):
    meal = plan_soon(active_match)
    services.cancel_meal(by=active_match.cook, meal=meal, reason=Meal.CancelReason.COOK_CANNOT)

    html = login_as(coordinator_a).get(meal_url(meal)).content.decode()

    assert 'id="no-candidates"' in html


# A diner's meals and how they like them -------------------------------------------------------------------------


def diner_meals_url(diner) -> str:
    return f"/en/coordinator/diners/{diner.pk}/meals/"


def test_the_diners_meals_list_what_is_to_come_and_what_was(login_as, coordinator_a, active_match):
    upcoming = plan_soon(active_match)
    past = meal_at(active_match, timezone.now() - timedelta(days=3), status=Meal.Status.CONFIRMED)
    soon = meal_at(active_match, timezone.now() + timedelta(hours=3))

    html = login_as(coordinator_a).get(diner_meals_url(active_match.diner)).content.decode()

    assert "Confirm by phone" in row(html, upcoming)
    assert f'href="/en/coordinator/meals/{upcoming.pk}/"' in row(html, upcoming)
    assert f'id="meal-{past.pk}"' in html[html.index('id="past"') :]
    assert "Not confirmed – phone the diner" in row(html, soon)
    assert f'href="/en/coordinator/diners/{active_match.diner.pk}/preferences/"' in html


@pytest.mark.parametrize("path", ["meals/", "preferences/"])
def test_another_areas_coordinator_gets_404_for_a_diner(login_as, coordinator_b, diner, path):
    assert login_as(coordinator_b).get(f"/en/coordinator/diners/{diner.pk}/{path}").status_code == 404


# A diner's meals: 1. the session, 2. the user, 3–4. their authenticators, 5. the diner with their area,
# 6. the past meals, 7. the meals to come, 8. which are unconfirmed too near their day, 9. the area for
# the "Need help?" block.
DINER_MEALS_QUERIES = 9


@pytest.mark.parametrize("count", [1, 20])
def test_the_diners_meals_are_nine_queries_whatever_the_number(
    login_as, coordinator_a, active_match, count, django_assert_num_queries
):
    now = timezone.now()
    for n in range(count):
        meal_at(active_match, now + timedelta(hours=2 + n * 7))
        meal_at(active_match, now - timedelta(hours=2 + n * 7))
    client = login_as(coordinator_a)

    with django_assert_num_queries(DINER_MEALS_QUERIES):
        html = client.get(diner_meals_url(active_match.diner)).content.decode()

    assert html.count('<tr class="govuk-table__row" id="meal-') == 2 * count


PREFERENCES = {
    "days": ["mon"],
    "days_unsuitable": ["fri"],
    "best_time": "evening",
    "portion": "large",
    "visit_style": "chat",
    "door_notes": "Knock loudly",
}


@pytest.mark.parametrize("channel", ["phone", "in_person"])
def test_a_coordinator_changes_preferences_with_the_channel(login_as, coordinator_a, diner, channel):
    client = login_as(coordinator_a)
    html = client.get(f"/en/coordinator/diners/{diner.pk}/preferences/").content.decode()
    assert re.search(r'<input type="radio" name="channel" value="phone"[^>]*checked>', html)

    response = client.post(f"/en/coordinator/diners/{diner.pk}/preferences/", {**PREFERENCES, "channel": channel})

    assert response["Location"] == diner_meals_url(diner)
    diner.refresh_from_db()
    assert (diner.best_time, diner.portion, diner.door_notes) == ("evening", "large", "Knock loudly")
    entry = AuditEntry.objects.get(action=audit.Action.MEAL_PREFERENCES_CHANGED)
    assert (entry.actor, entry.channel) == (coordinator_a, channel)


def test_bad_preferences_keep_what_the_coordinator_typed(login_as, coordinator_a, diner):
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/preferences/", {**PREFERENCES, "best_time": "", "channel": "in_person"}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html
    assert "Knock loudly" in html
    assert re.search(r'<input type="radio" name="channel" value="in_person"[^>]*checked>', html)
    assert Diner.objects.get(pk=diner.pk).door_notes != "Knock loudly"


def test_the_diners_record_links_to_their_meals_and_preferences(login_as, coordinator_a, diner):
    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{diner.pk}/").content.decode()

    assert f'href="{diner_meals_url(diner)}"' in html
    assert f'href="/en/coordinator/diners/{diner.pk}/preferences/"' in html


# The coordinator's home ----------------------------------------------------------------------------------------


def test_the_home_counts_meals_to_phone_about_and_to_cover(login_as, coordinator_a, active_match):
    meal_at(active_match, timezone.now() + timedelta(hours=5))
    dropped = plan_soon(active_match, days=3)
    services.cancel_meal(by=active_match.cook, meal=dropped, reason=Meal.CancelReason.COOK_CANNOT)

    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    assert 'href="/en/coordinator/meals/"' in html
    assert "1 meal not confirmed in the next 24 hours" in html
    assert "1 meal cancelled with no cover" in html


def test_the_homes_count_of_meals_to_cover_agrees_with_needs_cover(
    login_as, coordinator_a, active_match, referrer, covered_area_a, cover_cook
):
    """The home counts Meal.needs_cover in SQL: the two must agree, meal by meal."""
    now = timezone.now()
    reasons = [Meal.CancelReason.COOK_CANNOT, Meal.CancelReason.DINER_AWAY, Meal.CancelReason.OTHER]
    for n, reason in enumerate(reasons):
        meal_at(active_match, now + timedelta(days=1 + n), status="cancelled", cancel_reason=reason)
    meal_at(active_match, now - timedelta(days=1), status="cancelled", cancel_reason=Meal.CancelReason.COOK_CANNOT)
    meal_at(active_match, now + timedelta(days=5), status="proposed")
    other = DinerFactory(area=covered_area_a, status="active")
    paused = make_active_match(cover_cook, other)
    meal_at(paused, now + timedelta(days=2), status="cancelled", cancel_reason=Meal.CancelReason.COOK_CANNOT)
    Match.objects.filter(pk=paused.pk).update(status=Match.Status.PAUSED)

    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    expected = sum(
        1
        for meal in Meal.objects.select_related("match")
        if meal.needs_cover and meal.starts_at > now and meal.match.status == Match.Status.ACTIVE
    )
    assert expected == 1
    assert "1 meal cancelled with no cover" in html


# Both languages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_coordinators_meal_pages_render_in_both_languages(login_as, coordinator_a, active_match, language):
    meal = plan_soon(active_match)
    client = login_as(coordinator_a)
    diner = active_match.diner

    for path, heading in [
        ("coordinator/meals/", "This week’s meals in your areas"),
        (f"coordinator/meals/{meal.pk}/", "Confirm or decline it for the diner"),
        (f"coordinator/diners/{diner.pk}/meals/", "The next four weeks"),
        (f"coordinator/diners/{diner.pk}/preferences/", "How they like their meals"),
    ]:
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200
        html = response.content.decode()
        assert t(language, heading) in html
        assert f'<html lang="{"ja" if language == "ja" else "en-GB"}"' in html


def test_acting_on_a_meal_that_changed_meanwhile_shows_it_as_it_is_now(
    login_as, coordinator_a, active_match, cover_cook
):
    meal = plan_soon(active_match)
    client = login_as(coordinator_a)

    # Covering a meal nobody cancelled, and cancelling one already cancelled: refused with a message.
    response = client.post(meal_url(meal), {"action": "cover", "cover-cook": cover_cook.pk, "cover-channel": "phone"})
    assert response.status_code == 302
    services.cancel_meal(by=active_match.cook, meal=meal, reason=Meal.CancelReason.COOK_CANNOT)
    response = client.post(
        meal_url(meal), {"action": "cancel", "cancel-reason": "diner_away", "cancel-channel": "phone"}, follow=True
    )

    assert "This meal has changed since you opened it. Look at it again." in response.content.decode()
    meal.refresh_from_db()
    assert (meal.cook, meal.cancel_reason) == (active_match.cook, Meal.CancelReason.COOK_CANNOT)
