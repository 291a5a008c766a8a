"""The day-before reminders: to the cook with the allergen list, to a proxy who asked; only for meals
going ahead tomorrow in the area's own time zone; each sent once, however often the job runs."""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from casserole.models import Channel, OutboundEmail
from meals.matching.models import Match
from meals.schedule import services
from meals.schedule.models import Meal, MealReminder, MealRemindersConsent
from meals.schedule.reminders import failed_reminders, send_meal_reminders
from tests.factories import ProxyAccessFactory, UserFactory
from tests.meals.conftest import make_active_cook
from tests.meals.schedule.conftest import NOW, plan

pytestmark = pytest.mark.django_db

TOMORROW = date(2026, 3, 3)  # NOW is Monday 2 March 2026, 10:00 in London


def run(capture, now=NOW) -> dict:
    with capture(execute=True):
        return send_meal_reminders(now=now)


def to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def consenting(diner):
    """The referrer who acts for Edie asked to be reminded."""
    access = diner.proxies.get()
    MealRemindersConsent.objects.create(proxy=access)
    return access.referrer


def test_the_cook_is_reminded_of_tomorrows_meal_with_the_allergen_list(
    active_match, django_capture_on_commit_callbacks
):
    meal = plan(active_match)

    assert run(django_capture_on_commit_callbacks) == {"cooks": 1, "proxies": 0, "already_sent": 0}

    [message] = to(active_match.cook.email)
    assert message.subject == "Casserole: your meal for Edie tomorrow"
    body = message.body
    assert "Hello Cathy," in body
    assert "Edie (Hackney), Tuesday 3 March 2026, 12:30pm to 1:30pm" in body
    assert "What you are cooking: Fish pie" in body
    assert "Edie can't eat: Peanuts, Sesame" in body  # the diner's allergens, by name
    assert "Other allergies: Kiwi fruit" in body
    assert "Texture: Soft and bite-sized" in body
    assert "Your dish contains: Fish, Milk" in body
    assert f"/en/cook/meals/{meal.pk}/" in body
    assert "Mare Street" not in body and "E8 1DY" not in body  # never the address in an email
    reminder = MealReminder.objects.get()
    assert (reminder.meal, reminder.recipient, reminder.kind) == (meal, active_match.cook, "cook")
    assert reminder.starts_at == meal.starts_at
    assert reminder.email.status == OutboundEmail.Status.SENT


def test_a_japanese_cook_reads_the_allergens_and_the_time_in_japanese(active_match, django_capture_on_commit_callbacks):
    cook = active_match.cook
    cook.preferred_language = "ja"
    cook.save(update_fields=["preferred_language"])
    meal = plan(active_match)

    run(django_capture_on_commit_callbacks)

    body = to(cook.email)[0].body
    assert "落花生（ピーナッツ）、ごま" in body
    assert "魚、乳（牛乳・乳製品）" in body
    assert "2026年3月3日(火) 12:30" in body and "13:30" in body
    assert f"/ja/cook/meals/{meal.pk}/" in body
    assert "Peanuts" not in body


def test_a_dish_with_no_listed_allergen_and_a_diner_with_none_say_so(active_match, django_capture_on_commit_callbacks):
    diner = active_match.diner
    diner.allergens, diner.allergy_notes, diner.texture = [], "", "normal"
    diner.save(update_fields=["allergens", "allergy_notes", "texture"])
    plan(active_match, dish="Vegetable soup", allergens=[])

    run(django_capture_on_commit_callbacks)

    body = to(active_match.cook.email)[0].body
    assert "Edie has no allergens from the list." in body
    assert "Your dish contains none of the listed allergens." in body
    assert "Other allergies" not in body and "Texture" not in body


def test_a_proxy_who_asked_is_reminded_and_one_who_did_not_is_not(
    active_match, consenting, django_capture_on_commit_callbacks
):
    quiet = ProxyAccessFactory(diner=active_match.diner, referrer=UserFactory(is_referrer=True)).referrer
    meal = plan(active_match)

    assert run(django_capture_on_commit_callbacks) == {"cooks": 1, "proxies": 1, "already_sent": 0}

    [message] = to(consenting.email)
    assert message.subject == "Casserole: Edie's meal tomorrow"
    assert "tomorrow Cathy is bringing Edie a meal, Tuesday 3 March 2026, 12:30pm to 1:30pm: Fish pie." in message.body
    assert "This meal is not confirmed yet. A coordinator may phone to check." in message.body
    assert f"/en/diners/{meal.match.diner_id}/schedule/" in message.body
    assert f"/en/diners/{meal.match.diner_id}/reminders/" in message.body
    assert "Peanuts" not in message.body  # the proxy's reminder is about the visit, not the recipe
    assert to(quiet.email) == []
    assert MealReminder.objects.get(kind="proxy").recipient == consenting


@pytest.mark.parametrize(
    "change",
    [
        {"revoked_at": NOW - timedelta(days=1)},  # no longer acts for the diner
        {"can_view_schedule": False},  # may not see the schedule any more
    ],
)
def test_a_proxy_whose_access_ended_or_shrank_is_not_reminded(
    active_match, consenting, change, django_capture_on_commit_callbacks
):
    active_match.diner.proxies.filter(referrer=consenting).update(**change)
    plan(active_match)

    assert run(django_capture_on_commit_callbacks)["proxies"] == 0
    assert to(consenting.email) == []


def test_a_confirmed_meal_reminds_the_proxy_without_asking_to_confirm(
    active_match, consenting, coordinator_a, django_capture_on_commit_callbacks
):
    meal = plan(active_match)
    services.decide_meal(by=coordinator_a, meal=meal, confirm=True, channel=Channel.PHONE, now=NOW)
    mail.outbox.clear()

    run(django_capture_on_commit_callbacks)

    assert "not confirmed" not in to(consenting.email)[0].body
    assert "not confirmed" not in to(active_match.cook.email)[0].body


def _declined(match, coordinator):
    services.decide_meal(by=coordinator, meal=plan(match), confirm=False, channel=Channel.PHONE, now=NOW)


def _cancelled(match, coordinator):
    services.cancel_meal(by=match.cook, meal=plan(match), reason="cook_cannot", now=NOW)


def _paused(match, coordinator):
    plan(match)
    Match.objects.filter(pk=match.pk).update(status=Match.Status.PAUSED)


def _day_after_tomorrow(match, coordinator):
    plan(match, day=TOMORROW + timedelta(days=1))


def _later_today(match, coordinator):
    plan(match, day=NOW.date(), start=time(18, 0), end=time(19, 0))


@pytest.mark.parametrize("make", [_declined, _cancelled, _paused, _day_after_tomorrow, _later_today])
def test_no_reminder_for_a_meal_not_going_ahead_tomorrow(
    active_match, consenting, coordinator_a, make, django_capture_on_commit_callbacks
):
    make(active_match, coordinator_a)
    mail.outbox.clear()

    assert run(django_capture_on_commit_callbacks) == {"cooks": 0, "proxies": 0, "already_sent": 0}
    assert not MealReminder.objects.exists()
    assert mail.outbox == []


def test_running_twice_sends_each_reminder_once(active_match, consenting, django_capture_on_commit_callbacks):
    plan(active_match)
    run(django_capture_on_commit_callbacks)
    again = run(django_capture_on_commit_callbacks, now=NOW + timedelta(hours=5))

    assert again == {"cooks": 0, "proxies": 0, "already_sent": 2}
    assert len(to(active_match.cook.email)) == 1 and len(to(consenting.email)) == 1
    assert MealReminder.objects.count() == 2


def test_two_runs_at_once_send_one_reminder(active_match, monkeypatch, django_capture_on_commit_callbacks):
    meal = plan(active_match)
    # The other run wrote (and committed) its reminder and email just after this run read which
    # reminders exist: this run's read comes back empty, and its insert meets the unique constraint.
    run(django_capture_on_commit_callbacks)
    monkeypatch.setattr(MealReminder.objects, "filter", lambda *args, **kwargs: MealReminder.objects.none())

    assert run(django_capture_on_commit_callbacks) == {"cooks": 0, "proxies": 0, "already_sent": 1}
    assert MealReminder.objects.get().meal == meal
    # This run's email went with its savepoint: one email to the cook, delivered once.
    assert OutboundEmail.objects.filter(to=active_match.cook.email, subject__contains="tomorrow").count() == 1
    assert len(to(active_match.cook.email)) == 1


def test_a_meal_moved_after_its_reminder_is_reminded_again_for_its_new_time(
    active_match, django_capture_on_commit_callbacks
):
    meal = plan(active_match)
    run(django_capture_on_commit_callbacks)
    services.move_meal(
        cook=active_match.cook,
        meal=meal,
        day=TOMORROW,
        start_time=time(17, 0),
        end_time=time(18, 0),
        dish="Fish pie",
        allergens=["fish", "milk"],
        allergens_checked=True,
        now=NOW + timedelta(hours=1),
    )
    mail.outbox.clear()

    assert run(django_capture_on_commit_callbacks, now=NOW + timedelta(hours=2))["cooks"] == 1

    [message] = to(active_match.cook.email)
    assert "Tuesday 3 March 2026, 5pm to 6pm" in message.body
    assert sorted(r.starts_at.astimezone(ZoneInfo("Europe/London")).hour for r in MealReminder.objects.all()) == [
        12,
        17,
    ]


def test_a_meal_covered_by_another_cook_reminds_the_cook_who_brings_it(
    active_match, second_cook, coordinator_a, course, django_capture_on_commit_callbacks
):
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    meal = plan(active_match)
    run(django_capture_on_commit_callbacks)
    services.cancel_meal(by=active_match.cook, meal=meal, reason="cook_cannot", now=NOW)
    services.arrange_cover(by=coordinator_a, meal=meal, cook=second_cook, now=NOW)
    mail.outbox.clear()

    assert run(django_capture_on_commit_callbacks, now=NOW + timedelta(hours=1))["cooks"] == 1
    assert len(to(second_cook.email)) == 1 and to(active_match.cook.email) == []


@pytest.mark.parametrize(
    ("zone", "now", "day", "start", "reminded"),
    [
        # 10:00 in London is 19:00 in Tokyo: Tokyo's tomorrow is Tuesday 3 March, 08:00 JST there is
        # still Monday 23:00 in London (and in UTC).
        ("Asia/Tokyo", NOW, date(2026, 3, 3), time(8, 0), True),
        # Wednesday 08:00 in Tokyo is Tuesday 23:00 in London: the day after tomorrow in Tokyo.
        ("Asia/Tokyo", NOW, date(2026, 3, 4), time(8, 0), False),
        # Just before midnight in Tokyo (14:59 UTC) Tuesday is tomorrow; a minute after, it is today.
        ("Asia/Tokyo", timezone.make_aware(timezone.datetime(2026, 3, 2, 14, 59)), date(2026, 3, 3), time(20), True),
        ("Asia/Tokyo", timezone.make_aware(timezone.datetime(2026, 3, 2, 15, 1)), date(2026, 3, 3), time(20), False),
        # In London the same instants are Monday afternoon: Tuesday is tomorrow either way.
        ("Europe/London", timezone.make_aware(timezone.datetime(2026, 3, 2, 15, 1)), date(2026, 3, 3), time(8), True),
        ("Europe/London", NOW, date(2026, 3, 3), time(23, 0), True),
        ("Europe/London", NOW, date(2026, 3, 4), time(0, 30), False),
    ],
)
def test_tomorrow_is_tomorrow_in_the_areas_time_zone(
    active_match, zone, now, day, start, reminded, django_capture_on_commit_callbacks
):
    area = active_match.diner.area
    area.time_zone = zone
    area.save(update_fields=["time_zone"])
    end = (datetime.combine(day, start) + timedelta(minutes=30)).time()
    plan(active_match, day=day, start=start, end=end, now=now - timedelta(minutes=1))

    assert run(django_capture_on_commit_callbacks, now=now)["cooks"] == int(reminded)


def test_a_tokyo_meal_is_written_in_tokyo_time(active_match, django_capture_on_commit_callbacks):
    area = active_match.diner.area
    area.time_zone = "Asia/Tokyo"
    area.save(update_fields=["time_zone"])
    plan(active_match, start=time(11, 30), end=time(12, 30))

    run(django_capture_on_commit_callbacks)

    assert "Tuesday 3 March 2026, 11:30am to 12:30pm" in to(active_match.cook.email)[0].body


@pytest.mark.parametrize("meals", [1, 20])
def test_the_reminder_run_reads_in_three_queries_whatever_the_number_of_meals(
    active_match, consenting, meals, django_assert_num_queries
):
    for hour in range(meals):
        plan(active_match, start=time(hour, 0), end=time(hour, 30))

    # 1 meals going ahead tomorrow (with match, diner, area, cook), 2 consenting proxies (with the
    # referrer), 3 reminders already written; then per reminder: savepoint, email, reminder, release.
    with django_assert_num_queries(3 + 4 * 2 * meals):
        assert send_meal_reminders(now=NOW)["cooks"] == meals
    # Nothing left to send: the three reads only.
    with django_assert_num_queries(3):
        assert send_meal_reminders(now=NOW)["already_sent"] == 2 * meals


def test_with_nothing_tomorrow_the_run_is_one_query(active_match, django_assert_num_queries):
    plan(active_match, day=TOMORROW + timedelta(days=2))
    with django_assert_num_queries(1):
        assert send_meal_reminders(now=NOW) == {"cooks": 0, "proxies": 0, "already_sent": 0}


def test_failed_reminders_lists_those_whose_email_gave_up(active_match, consenting, django_capture_on_commit_callbacks):
    meal = plan(active_match)
    run(django_capture_on_commit_callbacks)
    OutboundEmail.objects.filter(to=consenting.email).update(status=OutboundEmail.Status.FAILED, attempts=6)

    [failed] = failed_reminders(Meal.objects.filter(pk=meal.pk))

    assert (failed.meal, failed.recipient, failed.kind) == (meal, consenting, "proxy")
    assert list(failed_reminders(Meal.objects.exclude(pk=meal.pk))) == []


# The daily jobs as commands (they run at the real time: the meals are planned from now) ----------------


def _tomorrow_in_london():
    return timezone.localdate(timezone.now(), ZoneInfo("Europe/London")) + timedelta(days=1)


def test_the_reminder_command_prints_what_it_sent_and_sends_nothing_twice(
    active_match, consenting, django_capture_on_commit_callbacks
):
    plan(active_match, day=_tomorrow_in_london(), start=time(12), end=time(13), now=timezone.now())
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_meal_reminders", stdout=out)
        outputs.append(out.getvalue().strip())

    assert outputs == [
        "Reminders to cooks: 1, to proxies: 1, already sent: 0",
        "Reminders to cooks: 0, to proxies: 0, already sent: 2",
    ]
    assert len(to(active_match.cook.email)) == 1 and len(to(consenting.email)) == 1


def test_the_schedule_command_makes_each_series_meal_once(active_match):
    plan(active_match, day=_tomorrow_in_london(), repeat="weekly", now=timezone.now())
    Meal.objects.filter(starts_at__gt=timezone.now() + timedelta(weeks=2)).delete()  # as if made two weeks ago
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("schedule_meals", stdout=out)
        outputs.append(out.getvalue().strip())

    assert outputs[0] == "Meals made: 2, meals called off: 0"  # the third and fourth weeks' meals
    assert outputs[1] == "Meals made: 0, meals called off: 0"
