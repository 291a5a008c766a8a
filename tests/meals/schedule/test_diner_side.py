"""The diner's side of meals, for Rita Referrer acting for Edie: the schedule lists the next four weeks of
meals in the area's time with the buttons her access allows, she confirms or declines a meal (recorded
as "web"), changes how Edie likes her meals, and turns the day-before reminder emails on or off.

Meals are planned on the real clock (a few days ahead), since the pages read the time themselves."""

import re
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from casserole import audit
from casserole.models import AuditEntry, OutboundEmail
from casserole.templatetags.casserole_tags import day
from meals.diners.models import Diner, ProxyAccess
from meals.schedule import services
from meals.schedule.models import Meal, MealRemindersConsent
from tests.factories import DinerFactory, ProxyAccessFactory
from tests.meals.schedule.conftest import make_active_match, plan

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def ahead(days: int) -> date:
    return timezone.localdate(timezone=LONDON) + timedelta(days=days)


def plan_soon(match, days=3, **changes) -> Meal:
    return plan(match, day=ahead(days), now=timezone.now(), **changes)


@pytest.fixture
def access(diner, referrer) -> ProxyAccess:
    """Rita's access to Edie: the schedule and her details (the `diner` fixture), not confirming."""
    return ProxyAccess.objects.get(diner=diner, referrer=referrer)


def allow(access: ProxyAccess, **scopes) -> ProxyAccess:
    ProxyAccess.objects.filter(pk=access.pk).update(**scopes)
    access.refresh_from_db()
    return access


@pytest.fixture
def can_confirm(access) -> ProxyAccess:
    return allow(access, can_confirm_meals=True)


def page(client, diner, language="en") -> str:
    response = client.get(f"/{language}/diners/{diner.pk}/schedule/")
    assert response.status_code == 200
    return response.content.decode()


def decide(client, diner, meal, decision="confirm"):
    return client.post(f"/en/diners/{diner.pk}/meals/{meal.pk}/decide/", {"decision": decision})


# The schedule ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "window"),
    [("en", ("12:30pm", "1:30pm")), ("ja", ("12:30", "13:30"))],
)
def test_the_schedule_lists_each_meal_in_the_areas_time_with_the_cooks_first_name(
    login_as, referrer, diner, active_match, language, window
):
    meal = plan_soon(active_match)

    html = page(login_as(referrer), diner, language)

    row = html[html.index(f'id="meal-{meal.pk}"') : html.index("</tr>", html.index(f'id="meal-{meal.pk}"'))]
    with translation.override(language), timezone.override(LONDON):
        assert day(meal.starts_at) in row
    assert t(language, "%(start)s to %(end)s", start=window[0], end=window[1]) in row
    assert "<bdi>Cathy</bdi>" in row and "Cathy Cook" not in html  # the first name only
    assert "Fish pie" in row
    assert t(language, "Waiting to be confirmed") in row


def test_the_schedule_shows_four_weeks_and_no_more(login_as, referrer, diner, active_match):
    near = plan_soon(active_match, days=2)
    far = plan_soon(active_match, days=30)

    html = page(login_as(referrer), diner)

    assert f'id="meal-{near.pk}"' in html and f'id="meal-{far.pk}"' not in html


def test_with_an_active_match_and_no_meals_the_schedule_says_so(login_as, referrer, diner, active_match):
    html = page(login_as(referrer), diner)

    assert "There are no meals planned for <bdi>Edie</bdi> in the next four weeks." in html
    assert 'id="meal-list"' not in html


def test_the_schedule_says_whom_to_call_for_anything_else(login_as, referrer, diner, active_match):
    html = page(login_as(referrer), diner)

    how = html[html.index('id="schedule-how"') : html.index("</p>", html.index('id="schedule-how"'))]
    assert f"<strong>{diner.area.help_phone}</strong>" in how


def test_without_a_cook_the_schedule_keeps_saying_no_cook_yet(login_as, referrer, diner):
    html = page(login_as(referrer), diner)

    assert "No cook is matched with <bdi>Edie</bdi> yet." in html
    assert 'id="meals"' not in html


def test_without_the_confirm_scope_there_are_no_buttons(login_as, referrer, diner, active_match):
    plan_soon(active_match)

    html = page(login_as(referrer), diner)

    assert "/decide/" not in html


def test_with_the_confirm_scope_a_proposed_meal_has_both_buttons_and_a_confirmed_one_only_cant_have_it(
    login_as, referrer, diner, active_match, can_confirm
):
    proposed = plan_soon(active_match, days=2)
    confirmed = plan_soon(active_match, days=4)
    services.decide_meal(by=referrer, meal=confirmed, confirm=True)

    html = page(login_as(referrer), diner)

    def row(meal):
        start = html.index(f'id="meal-{meal.pk}"')
        return html[start : html.index("</tr>", start)]

    assert 'value="confirm"' in row(proposed) and 'value="decline"' in row(proposed)
    assert 'value="confirm"' not in row(confirmed) and 'value="decline"' in row(confirmed)
    assert f'action="/en/diners/{diner.pk}/meals/{proposed.pk}/decide/"' in row(proposed)


def test_a_meal_the_cook_cannot_bring_says_a_coordinator_is_looking_for_another(
    login_as, referrer, diner, active_match, can_confirm
):
    meal = plan_soon(active_match)
    services.cancel_meal(by=active_match.cook, meal=meal, reason=Meal.CancelReason.COOK_CANNOT)

    html = page(login_as(referrer), diner)

    row = html[html.index(f'id="meal-{meal.pk}"') : html.index("</tr>", html.index(f'id="meal-{meal.pk}"'))]
    assert "The cook can’t come. A coordinator is looking for another cook." in row
    assert "/decide/" not in row


def test_the_preferences_show_with_a_change_link_only_for_those_who_may_change_them(
    login_as, referrer, diner, access, active_match
):
    html = page(login_as(referrer), diner)
    assert 'id="preferences"' in html
    assert f'href="/en/diners/{diner.pk}/preferences/"' in html

    allow(access, can_edit_details=False)
    html = page(login_as(referrer), diner)
    assert 'id="preferences"' in html
    assert f'href="/en/diners/{diner.pk}/preferences/"' not in html


# The schedule page: 1. the session, 2. the user, 3–4. their authenticators (django-otp: TOTP, static),
# 5. the live access with the diner and area, 6. the diner's matches with their cooks, 7. the meals with
# match, diner, area, cook and series, 8. the referrer's reminder choice, 9. the referrer's area for the
# "Need help?" block (context processor).
SCHEDULE_QUERIES = 9


@pytest.mark.parametrize("count", [1, 20])
def test_the_schedule_is_nine_queries_whatever_the_number_of_meals(
    login_as, referrer, diner, active_match, can_confirm, count, django_assert_num_queries
):
    for n in range(count):
        plan_soon(active_match, days=1 + n)
    client = login_as(referrer)

    with django_assert_num_queries(SCHEDULE_QUERIES):
        html = page(client, diner)

    assert html.count('<tr class="govuk-table__row" id="meal-') == count


# Confirming and declining ---------------------------------------------------------------------------------


def test_confirming_records_the_referrer_and_the_web_and_tells_the_cook(
    login_as, referrer, diner, active_match, can_confirm
):
    meal = plan_soon(active_match)
    OutboundEmail.objects.all().delete()

    response = decide(login_as(referrer), diner, meal, "confirm")

    assert response.status_code == 302 and response["Location"] == f"/en/diners/{diner.pk}/schedule/"
    meal.refresh_from_db()
    assert (meal.status, meal.decided_by, meal.decision_channel) == (Meal.Status.CONFIRMED, referrer, "web")
    entry = AuditEntry.objects.get(action=audit.Action.MEAL_CONFIRMED, object_id=str(meal.pk))
    assert (entry.actor, entry.channel) == (referrer, "web")
    assert OutboundEmail.objects.filter(to=active_match.cook.email).count() == 1


def test_cant_have_it_declines_a_confirmed_meal(login_as, referrer, diner, active_match, can_confirm):
    meal = plan_soon(active_match)
    client = login_as(referrer)
    decide(client, diner, meal, "confirm")

    response = decide(client, diner, meal, "decline")

    assert response.status_code == 302
    meal.refresh_from_db()
    assert (meal.status, meal.decision_channel) == (Meal.Status.DECLINED, "web")
    assert AuditEntry.objects.filter(action=audit.Action.MEAL_DECLINED, channel="web").count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "We have told Cathy that Edie can’t have this meal." in html


def test_a_meal_that_changed_meanwhile_is_refused_with_a_message(login_as, referrer, diner, active_match, can_confirm):
    meal = plan_soon(active_match)
    client = login_as(referrer)
    decide(client, diner, meal, "decline")

    response = decide(client, diner, meal, "confirm")

    meal.refresh_from_db()
    assert meal.status == Meal.Status.DECLINED
    html = client.get(response["Location"]).content.decode()
    assert "This meal has changed since you opened it. Look at it again." in html


def test_a_decision_that_is_neither_is_refused(login_as, referrer, diner, active_match, can_confirm):
    meal = plan_soon(active_match)

    response = decide(login_as(referrer), diner, meal, "maybe")

    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.status == Meal.Status.PROPOSED


@pytest.fixture
def other_diner(referrer, coordinator_a, covered_area_a):
    """Another diner Rita acts for (with every scope), with their own match and meal."""
    other = DinerFactory(full_name="Olive Other", preferred_name="Olive", area=covered_area_a, status="active")
    ProxyAccessFactory(
        diner=other, referrer=referrer, can_view_schedule=True, can_confirm_meals=True, granted_by=coordinator_a
    )
    return other


@pytest.fixture
def stranger(covered_area_a, coordinator_a):
    """A diner Rita does not act for."""
    return DinerFactory(full_name="Sam Stranger", preferred_name="Sam", area=covered_area_a, status="active")


def test_decide_access_matrix(client, login_as, referrer, diner, access, active_match, other_diner, stranger):
    meal = plan_soon(active_match)
    stranger_match = make_active_match(active_match.cook, stranger)
    stranger_meal = plan_soon(stranger_match, days=5)
    url = f"/en/diners/{diner.pk}/meals/{meal.pk}/decide/"
    rita = login_as(referrer)

    # Not signed in: to the sign-in page.
    assert client.post(url, {"decision": "confirm"}).status_code == 302
    assert "/accounts/login/" in client.post(url, {"decision": "confirm"})["Location"]
    # Acting for Edie without the confirm scope: 403.
    assert rita.post(url, {"decision": "confirm"}).status_code == 403
    # Only POST.
    allow(access, can_confirm_meals=True)
    assert rita.get(url).status_code == 405
    # Edie's meal under another diner's address, and another diner's meal under Edie's: 404.
    assert rita.post(f"/en/diners/{other_diner.pk}/meals/{meal.pk}/decide/", {"decision": "confirm"}).status_code == 404
    assert (
        rita.post(f"/en/diners/{diner.pk}/meals/{stranger_meal.pk}/decide/", {"decision": "confirm"}).status_code == 404
    )
    # A diner Rita does not act for: 404, as if it did not exist.
    assert (
        rita.post(f"/en/diners/{stranger.pk}/meals/{stranger_meal.pk}/decide/", {"decision": "confirm"}).status_code
        == 404
    )
    # Revoked: 404.
    ProxyAccess.objects.filter(pk=access.pk).update(revoked_at=timezone.now())
    assert rita.post(url, {"decision": "confirm"}).status_code == 404
    meal.refresh_from_db()
    stranger_meal.refresh_from_db()
    assert meal.status == stranger_meal.status == Meal.Status.PROPOSED


@pytest.mark.parametrize(
    ("scopes", "path", "expected"),
    [
        ({"can_view_schedule": True}, "schedule/", 200),
        ({"can_view_schedule": False, "can_edit_details": True}, "schedule/", 403),
        ({"can_edit_details": True}, "preferences/", 200),
        ({"can_edit_details": False}, "preferences/", 403),
        ({"can_view_schedule": True}, "reminders/", 200),
        ({"can_view_schedule": False, "can_edit_details": True}, "reminders/", 403),
    ],
)
def test_pages_need_their_scope(login_as, referrer, diner, access, scopes, path, expected):
    allow(access, **scopes)

    assert login_as(referrer).get(f"/en/diners/{diner.pk}/{path}").status_code == expected


@pytest.mark.parametrize("path", ["schedule/", "preferences/", "reminders/"])
def test_pages_of_a_diner_they_do_not_act_for_are_404(login_as, referrer, stranger, path):
    assert login_as(referrer).get(f"/en/diners/{stranger.pk}/{path}").status_code == 404


# How the diner likes their meals ---------------------------------------------------------------------------


PREFERENCES = {
    "days": ["tue", "thu"],
    "days_unsuitable": ["sun"],
    "best_time": "lunchtime",
    "portion": "small",
    "visit_style": "door",
    "door_notes": "Ring twice, side gate",
}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_preferences_page_renders(login_as, referrer, diner, language):
    response = login_as(referrer).get(f"/{language}/diners/{diner.pk}/preferences/")

    html = response.content.decode()
    assert response.status_code == 200
    assert t(language, "How they like their meals") in html
    assert 'aria-labelledby="acting-for-title"' in html


def test_changing_preferences_saves_them_and_audits_the_web(login_as, referrer, diner, active_match):
    response = login_as(referrer).post(f"/en/diners/{diner.pk}/preferences/", PREFERENCES)

    assert response.status_code == 302 and response["Location"] == f"/en/diners/{diner.pk}/schedule/"
    diner.refresh_from_db()
    assert (diner.days, diner.days_unsuitable, diner.portion) == (["tue", "thu"], ["sun"], "small")
    assert diner.door_notes == "Ring twice, side gate"
    entry = AuditEntry.objects.get(action=audit.Action.MEAL_PREFERENCES_CHANGED)
    assert (entry.actor, entry.channel) == (referrer, "web")
    assert "door_notes" in entry.detail["fields"]


def test_bad_preferences_keep_what_was_typed(login_as, referrer, diner):
    before = Diner.objects.get(pk=diner.pk).door_notes

    response = login_as(referrer).post(
        f"/en/diners/{diner.pk}/preferences/", {**PREFERENCES, "days_unsuitable": ["tue"]}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "There is a problem" in html
    assert "A day can’t both suit and not suit" in html
    assert "Ring twice, side gate" in html  # what was typed
    assert re.search(r'<input type="radio" name="best_time" value="lunchtime"[^>]*checked>', html)
    assert re.search(r'<input type="radio" name="portion" value="small"[^>]*checked>', html)
    assert re.search(r'<input type="checkbox" name="days" value="thu"[^>]*checked>', html)
    assert Diner.objects.get(pk=diner.pk).door_notes == before
    assert not AuditEntry.objects.filter(action=audit.Action.MEAL_PREFERENCES_CHANGED).exists()


def test_a_referrer_who_may_only_edit_details_goes_back_to_the_diners_page(login_as, referrer, diner, access):
    allow(access, can_view_schedule=False)

    response = login_as(referrer).post(f"/en/diners/{diner.pk}/preferences/", PREFERENCES)

    assert response["Location"] == f"/en/diners/{diner.pk}/"


def test_the_diners_page_links_to_the_preferences(login_as, referrer, diner):
    html = login_as(referrer).get(f"/en/diners/{diner.pk}/").content.decode()

    assert f'href="/en/diners/{diner.pk}/preferences/"' in html


# Reminder emails ----------------------------------------------------------------------------------------------


def test_turning_reminders_on_and_off_is_recorded_and_audited(login_as, referrer, diner, access):
    client = login_as(referrer)
    url = f"/en/diners/{diner.pk}/reminders/"

    assert client.post(url, {"reminders": "on"}).status_code == 302
    assert client.post(url, {"reminders": "on"}).status_code == 302  # twice: one consent, one entry
    assert MealRemindersConsent.objects.filter(proxy=access).count() == 1
    html = page(client, diner)
    assert "Stop the reminder emails" in html

    client.post(url, {"reminders": "off"})

    assert not MealRemindersConsent.objects.filter(proxy=access).exists()
    entries = AuditEntry.objects.filter(action=audit.Action.MEAL_REMINDERS_CHANGED).order_by("pk")
    assert [(e.actor, e.detail["on"]) for e in entries] == [(referrer, True), (referrer, False)]
    assert "Email me the day before each meal" in page(client, diner)


def test_the_reminders_page_the_emails_link_to_offers_the_switch(login_as, referrer, diner, access):
    MealRemindersConsent.objects.create(proxy=access)

    html = login_as(referrer).get(f"/en/diners/{diner.pk}/reminders/").content.decode()

    assert "Stop the reminder emails" in html
    assert f'action="/en/diners/{diner.pk}/reminders/"' in html


def test_reminders_need_the_schedule_scope(login_as, referrer, diner, access):
    allow(access, can_view_schedule=False, can_edit_details=True)

    response = login_as(referrer).post(f"/en/diners/{diner.pk}/reminders/", {"reminders": "on"})

    assert response.status_code == 403
    assert not MealRemindersConsent.objects.exists()


# Both languages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_schedule_renders_in_both_languages_with_meals_and_buttons(
    login_as, referrer, diner, active_match, can_confirm, language
):
    plan_soon(active_match, start=time(17, 0), end=time(18, 0))

    html = page(login_as(referrer), diner, language)

    assert t(language, "Meals in the next four weeks") in html
    assert t(language, "Confirm") in html
    start, end = ("5pm", "6pm") if language == "en" else ("17:00", "18:00")
    assert t(language, "%(start)s to %(end)s", start=start, end=end) in html
