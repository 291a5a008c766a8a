"""Meals in a real browser (issue 12), in both languages: the cook plans a weekly series (refused first
for a dish with the diner's allergen, keeping what was typed), prints a label; the referrer confirms
one meal online; the coordinator confirms another on the phone; the cook cancels a third; the
coordinator sees it waiting for cover and hands it to a second cook nearby, who is emailed. And the
cook's calendar address, and the referrer's preferences page keeping what was typed on an error.
Every page of ours on the way is audited (axe + the extra checks).

A tab is one language and width, so each persona has its own width: the cook a phone (390 px), the
referrer a desktop (1280 px), the coordinator a small laptop (1024 px). English runs in area A (UK,
London time) and Japanese in area B (Japan, Tokyo time), each with its own coordinator and referrer
(tests/browser/test_matching.py's world, cooks and diner)."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone, translation

from accounts.people.models import User
from casserole import allergens as allergen_table
from casserole.models import Channel
from casserole.names import addressed
from meals.diners import services as diner_services
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.referrals import services as referrals_services
from meals.schedule import calendar as feeds
from meals.schedule.models import Meal, Repeat
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import (
    World,
    banner,
    click,
    fill_date,
    last_email_to,
    link_in,
    submit_main_form,
    summary_links,
    switch_user,
    t,
    url_path,
)
from tests.browser.test_matching import COOKS, _world
from tests.factories import UserFactory, loaded_course
from tests.meals.conftest import make_active_cook, submit
from tests.meals.schedule.conftest import make_active_match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COOK_WIDTH, REFERRER_WIDTH, COORDINATOR_WIDTH = 390, 1280, 1024

# What the diner can't eat (the first is what the cook ticks by mistake), what the cook plans, and
# the times as each types them (full-width digits on a Japanese keyboard).
AVOIDS = {"en": ["peanuts", "sesame"], "ja": ["peanuts", "buckwheat"]}
DISH = {"en": "Fish pie with peas", "ja": "肉じゃがとご飯"}
TIMES = {"en": ("12:30pm", "1:30pm"), "ja": ("１２：３０", "１３：３０")}
CANCEL_NOTE = {"en": "I have a hospital appointment that day.", "ja": "その日は病院の予約があります。"}
DOOR_NOTES = {"en": "Ring twice and wait.", "ja": "2回鳴らして、少し待ってください。"}
WEEKS = 4  # the series' meals made at once: the horizon (settings.MEAL_HORIZON_WEEKS)


def _diner(world: World) -> Diner:
    """An accepted diner who avoids peanuts, referred by the world's referrer, who may see the
    schedule, confirm meals and change the details; pinned a short walk from the cooks."""
    referral = submit(by=world.referrer, **{**world.data["answers"], "allergens": AVOIDS[world.lang]})
    referrals_services.accept_referral(
        by=world.coordinator,
        referral=referral,
        scopes={"can_view_schedule": True, "can_confirm_meals": True, "can_edit_details": True},
    )
    latitude, longitude, neighbourhood = world.data["place"]
    diner = Diner.objects.get(pk=referral.diner_id)
    return diner_services.place_diner(
        by=world.coordinator, diner=diner, latitude=latitude, longitude=longitude, neighbourhood=neighbourhood
    )


def _cooks(world: World, how_many: int) -> list[User]:
    """The world's first `how_many` cooks, active (one course for all), living near the diner."""
    course = loaded_course()
    cooks = []
    for person in COOKS[world.lang][:how_many]:
        user = UserFactory(
            full_name=person["full_name"],
            name_reading=person.get("name_reading", ""),
            email=person["email"],
            is_cook=True,
            preferred_language=world.lang,
        )
        cooks.append(make_active_cook(user, coordinator=world.coordinator, course=course, **person["profile"]))
    return cooks


def _local(meal: Meal, zone: str):
    return meal.starts_at.astimezone(ZoneInfo(zone))


def _allergen(lang: str, code: str) -> str:
    return allergen_table.BY_CODE[code].name(lang)


def _date(lang: str, day: date) -> str:
    """A day as the label writes it in `lang` ("3 March 2026", "2026年3月3日")."""
    with translation.override(lang):
        return formats.date_format(day, "DATE_FORMAT")


def _counted(lang: str, singular: str, plural: str, count: int) -> str:
    with translation.override(lang):
        return translation.ngettext(singular, plural, count) % {"counter": count}


def _press(page, action: str):
    """Press the submit button of the coordinator's meal page form for `action` (decide, cancel)."""
    click(page, f'main form:has(input[name="action"][value="{action}"]) button[type=submit]')


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_weekly_series_is_confirmed_labelled_cancelled_once_and_covered(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    cook, cover = _cooks(world, 2)
    match = make_active_match(cook, diner, since=timezone.now() - timedelta(days=7))
    # As the pages name the diner: Japanese adds their honorific (issue 19).
    name, zone = diner.preferred_name + ("さん" if lang == "ja" else ""), diner.area.time_zone
    first_day = timezone.localdate(timezone=ZoneInfo(zone)) + timedelta(days=3)

    # 1. The cook, on a phone: from the match page to "Plan a meal".
    page, console = open_page(lang=lang, width=COOK_WIDTH, user=cook)
    page.goto(world.url(f"/cook/matches/{match.pk}/"))
    audit(page, lang=lang, console=console)
    click(page, "#plan-meal")
    propose = world.path(f"/cook/matches/{match.pk}/meals/new/")
    assert url_path(page) == propose
    # The diner's allergens are marked where the cook ticks.
    peanuts = page.locator('input[name="allergens"][value="peanuts"]')
    assert (
        t(lang, "The diner can’t eat this") in page.locator(f'label[for="{peanuts.get_attribute("id")}"]').inner_text()
    )
    audit(page, lang=lang, console=console)

    # A dish with peanuts in it: refused, naming them; everything typed is kept.
    fill_date(page, "day", first_day, full_width=lang == "ja")
    start, end = TIMES[lang]
    page.fill("#id_start_time", start)
    page.fill("#id_end_time", end)
    page.fill("#id_dish", DISH[lang])
    page.check(f'input[name="repeat"][value="{Repeat.WEEKLY}"]')
    peanuts.check()
    page.check('input[name="allergens"][value="milk"]')
    page.check("#id_allergens_checked")
    submit_main_form(page)
    assert url_path(page) == propose
    problems = error_summary_problems(page, lang)
    refusal = t(
        lang,
        "%(name)s can’t eat %(allergens)s. Choose a dish without it, or talk to your coordinator.",
        name=name,
        allergens=_allergen(lang, "peanuts"),
    )
    assert refusal in page.locator(".govuk-error-summary").inner_text()
    assert summary_links(page) == {"#form-non-field-errors"}
    assert page.input_value("#id_dish") == DISH[lang]
    assert (page.input_value("#id_start_time"), page.input_value("#id_end_time")) == (start, end)
    assert page.is_checked(f'input[name="repeat"][value="{Repeat.WEEKLY}"]')
    assert page.is_checked('input[name="allergens"][value="peanuts"]')
    assert page.is_checked('input[name="allergens"][value="milk"]')
    assert not Meal.objects.filter(match=match).exists()
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    # Without the peanuts: every week from three days ahead, four meals made at once.
    page.uncheck('input[name="allergens"][value="peanuts"]')
    page.check("#id_allergens_checked")
    submit_main_form(page)
    meals = list(Meal.objects.filter(match=match).order_by("starts_at"))
    assert len(meals) == WEEKS
    first, second, third = meals[:3]
    assert url_path(page) == world.path(f"/cook/meals/{first.pk}/")
    done = "Your repeating meals for %(name)s are planned. We have asked for each one to be confirmed."
    assert t(lang, done, name=name) in banner(page)
    assert {meal.series_id for meal in meals} == {first.series_id} and first.series.repeat == Repeat.WEEKLY
    assert [_local(meal, zone).date() for meal in meals] == [first_day + timedelta(weeks=i) for i in range(WEEKS)]
    assert {
        (_local(meal, zone).strftime("%H:%M"), meal.ends_at.astimezone(ZoneInfo(zone)).strftime("%H:%M"))
        for meal in meals
    } == {("12:30", "13:30")}
    assert all(meal.dish == DISH[lang] and meal.allergens == ["milk"] for meal in meals)
    assert all(meal.status == Meal.Status.PROPOSED for meal in meals)
    assert _allergen(lang, "milk") in page.locator("#dish-allergens").inner_text()
    audit(page, lang=lang, console=console)

    # 2. The label for the first meal: the dish, "eat within 24 hours", in the diner's language.
    click(page, f'#meal-actions a[href="{world.path(f"/cook/meals/{first.pk}/label/")}"]')
    label = page.locator(".casserole-label")
    assert label.locator(".casserole-label__dish").inner_text().strip() == DISH[lang]
    eat_within = t(lang, "Made on %(day)s — eat within %(hours)s hours", day=_date(lang, first_day), hours=24)
    assert eat_within in label.inner_text()
    assert _allergen(lang, "milk") in label.locator(".casserole-label__allergen-list").inner_text()
    audit(page, lang=lang, console=console)

    # 3. The referrer, at a desk: confirms the first meal on the diner's schedule.
    referrer_page, referrer_console = open_page(lang=lang, width=REFERRER_WIDTH, user=world.referrer)
    schedule = world.path(f"/diners/{diner.pk}/schedule/")
    referrer_page.goto(world.url(f"/diners/{diner.pk}/schedule/"))
    assert referrer_page.locator("#meal-list tbody tr").count() == WEEKS
    assert DISH[lang] in referrer_page.locator(f"#meal-{first.pk}").inner_text()
    audit(referrer_page, lang=lang, console=referrer_console)
    click(referrer_page, f'#meal-{first.pk} form:has(input[value="confirm"]) button[type=submit]')
    assert url_path(referrer_page) == schedule
    told = addressed(cook.given_name, language=lang)
    assert t(lang, "Meal confirmed. We have told %(cook)s.", cook=told) in banner(referrer_page)
    first.refresh_from_db()
    assert (first.status, first.decision_channel, first.decided_by) == (
        Meal.Status.CONFIRMED,
        Channel.WEB,
        world.referrer,
    )
    assert referrer_page.locator(f'#meal-{first.pk} input[value="confirm"]').count() == 0
    audit(referrer_page, lang=lang, console=referrer_console)

    # 4. The coordinator: the diner's meals, the second one confirmed on the phone.
    other, other_console = open_page(lang=lang, width=COORDINATOR_WIDTH, user=world.coordinator)
    diner_meals = world.path(f"/coordinator/diners/{diner.pk}/meals/")
    other.goto(world.url(f"/coordinator/diners/{diner.pk}/meals/"))
    assert other.locator("#upcoming tbody tr").count() == WEEKS
    audit(other, lang=lang, console=other_console)
    click(other, f'#meal-{second.pk} a[href="{world.path(f"/coordinator/meals/{second.pk}/")}"]')
    assert url_path(other) == world.path(f"/coordinator/meals/{second.pk}/")
    assert other.is_checked(f'input[name="decide-channel"][value="{Channel.PHONE}"]'), "phone is the default"
    audit(other, lang=lang, console=other_console)
    other.check('input[name="decide-decision"][value="confirm"]')
    other.check(f'input[name="decide-channel"][value="{Channel.PHONE}"]')
    _press(other, "decide")
    assert url_path(other) == world.path(f"/coordinator/meals/{second.pk}/")
    emailed = addressed(cook.full_name, language=lang)
    confirmed = t(lang, "Meal confirmed for %(diner)s. We have emailed %(cook)s.", diner=name, cook=emailed)
    assert confirmed in banner(other)
    second.refresh_from_db()
    assert (second.status, second.decision_channel, second.decided_by) == (
        Meal.Status.CONFIRMED,
        Channel.PHONE,
        world.coordinator,
    )
    audit(other, lang=lang, console=other_console)

    # 5. The cook can't come to the third meal.
    page.goto(world.url(f"/cook/meals/{third.pk}/"))
    audit(page, lang=lang, console=console)
    cancel = world.path(f"/cook/meals/{third.pk}/cancel/")
    click(page, f'#meal-actions a[href="{cancel}"]')
    assert url_path(page) == cancel
    audit(page, lang=lang, console=console)
    page.check(f'input[name="reason"][value="{Meal.CancelReason.COOK_CANNOT}"]')
    page.fill("#id_note", CANCEL_NOTE[lang])
    submit_main_form(page)
    assert url_path(page) == world.path(f"/cook/meals/{third.pk}/")
    cancelled = "The meal is cancelled. We have told the coordinator and the people acting for %(name)s."
    assert t(lang, cancelled, name=name) in banner(page)
    third.refresh_from_db()
    assert (third.status, third.cancel_reason, third.cancel_note) == (
        Meal.Status.CANCELLED,
        Meal.CancelReason.COOK_CANNOT,
        CANCEL_NOTE[lang],
    )
    assert Meal.objects.filter(match=match, status=Meal.Status.CANCELLED).count() == 1
    audit(page, lang=lang, console=console)
    # The coordinators are told at once, with a link to the meal.
    link_in(last_email_to(world.coordinator.email), rf"/coordinator/meals/{third.pk}/")

    # 6. The coordinator: the count on their home, the flag on the diner's meals, a cover cook.
    other.goto(world.url("/coordinator/"))
    uncovered = _counted(
        lang, "%(counter)s meal cancelled with no cover", "%(counter)s meals cancelled with no cover", 1
    )
    # The count, then when the first of them is ("(the first in 16 days)").
    assert other.locator("#meals-uncovered").inner_text().strip().startswith(uncovered)
    audit(other, lang=lang, console=other_console)
    click(other, f'main a[href="{world.path("/coordinator/meals/")}"]')
    assert other.locator(f"#meal-{first.pk}").count() == 1, "the first meal is this week"
    audit(other, lang=lang, console=other_console)
    other.goto(world.url(f"/coordinator/diners/{diner.pk}/meals/"))
    assert url_path(other) == diner_meals
    assert t(lang, "Cancelled – no cover yet") in other.locator(f"#meal-{third.pk}").inner_text()
    audit(other, lang=lang, console=other_console)
    click(other, f'#meal-{third.pk} a[href="{world.path(f"/coordinator/meals/{third.pk}/")}"]')
    assert other.locator("#flag-no-cover").is_visible()
    candidates = other.locator("#cover .govuk-summary-card")
    assert candidates.count() == 1
    assert cover.full_name in other.locator(f"#candidate-{cover.pk}").inner_text()
    audit(other, lang=lang, console=other_console)
    click(other, f"#candidate-{cover.pk} button[type=submit]")
    assert url_path(other) == world.path(f"/coordinator/meals/{third.pk}/")
    covered = "%(cover)s will bring %(diner)s’s meal. We have emailed them and the people acting for %(diner)s."
    assert t(lang, covered, cover=addressed(cover.full_name, language=lang), diner=name) in banner(other)
    third.refresh_from_db()
    assert (third.cook, third.covered_for, third.status) == (cover, cook, Meal.Status.PROPOSED)
    assert other.locator("#flag-no-cover").count() == 0
    audit(other, lang=lang, console=other_console)
    link_in(last_email_to(cover.email), rf"/{lang}/cook/meals/{third.pk}/")
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACTIVE


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_cook_makes_a_calendar_address_and_the_referrer_keeps_what_they_typed(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    (cook,) = _cooks(world, 1)
    live_server = request.getfixturevalue("live_server")
    days_before = set(diner.days)

    # The cook's private calendar address, made on request.
    page, console = open_page(lang=lang, width=COOK_WIDTH, user=cook)
    calendar = world.path("/cook/calendar/")
    page.goto(world.url("/cook/calendar/"))
    assert page.locator("#feed-url").count() == 0
    audit(page, lang=lang, console=console)
    submit_main_form(page)
    assert url_path(page) == calendar
    assert t(lang, "Your calendar address is ready.") in banner(page)
    address = page.input_value("#feed-url")
    feed = feeds.feed_for_cook(cook)
    assert feed is not None and address == feeds.feed_url(feed)
    assert f"/{lang}/calendar/" in address and address.endswith(".ics")
    audit(page, lang=lang, console=console)

    # The referrer, on the same phone: a day ticked as both suiting and not suiting is refused, and
    # everything typed is kept; untick it and the preferences are saved.
    switch_user(page, live_server.url, world.referrer)
    preferences = world.path(f"/diners/{diner.pk}/preferences/")
    page.goto(world.url(f"/diners/{diner.pk}/preferences/"))
    audit(page, lang=lang, console=console)
    page.check('input[name="days"][value="tue"]')
    page.check('input[name="days"][value="fri"]')
    page.check('input[name="days_unsuitable"][value="tue"]')
    page.fill("#id_door_notes", DOOR_NOTES[lang])
    submit_main_form(page)
    assert url_path(page) == preferences
    problems = error_summary_problems(page, lang)
    both = t(lang, "A day can’t both suit and not suit: untick it in one of the lists.")
    assert both in page.locator(".govuk-error-summary").inner_text()
    for field, day in (("days", "tue"), ("days", "fri"), ("days_unsuitable", "tue")):
        assert page.is_checked(f'input[name="{field}"][value="{day}"]'), (field, day)
    assert page.input_value("#id_door_notes") == DOOR_NOTES[lang]
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    page.uncheck('input[name="days_unsuitable"][value="tue"]')
    submit_main_form(page)
    assert url_path(page) == world.path(f"/diners/{diner.pk}/schedule/")
    assert t(lang, "Your changes have been saved.") in banner(page)
    diner.refresh_from_db()
    assert (set(diner.days), diner.days_unsuitable, diner.door_notes) == (
        days_before | {"tue", "fri"},
        [],
        DOOR_NOTES[lang],
    )
    audit(page, lang=lang, console=console)
