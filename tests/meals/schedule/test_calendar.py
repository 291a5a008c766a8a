"""The cook's private calendar feed: the page that shows and resets its address, and the feed itself,
read back with icalendar's own parser. A leaked address must leak nothing sensitive: first name and
neighbourhood only, never the address, postcode, phone, access notes or surname."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from casserole.models import AuditEntry
from meals.matching.models import Match
from meals.schedule import services
from meals.schedule.calendar import reset_calendar_feed
from meals.schedule.models import CalendarFeed, Meal
from tests.meals.schedule.conftest import plan

pytestmark = pytest.mark.django_db

SITE = "https://casserole.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def upcoming(match, days: int, **changes) -> Meal:
    """A meal `days` days from today at 12:30 London time, planned today."""
    return plan(match, day=timezone.localdate() + timedelta(days=days), now=timezone.now(), **changes)


def events(response) -> dict:
    """The feed's events by UID, parsed as a calendar app would."""
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Casserole" in str(calendar["PRODID"])
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def feed_path(feed: CalendarFeed) -> str:
    return f"/en/calendar/{feed.token}.ics"


# The page with the address --------------------------------------------------------------------------


def test_a_cook_without_an_address_is_offered_one_and_nothing_is_made_by_looking(login_as, active_cook):
    response = login_as(active_cook).get("/en/cook/calendar/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Make my calendar address" in html
    assert "Anyone who has it can see the times of your meals" in html
    assert not CalendarFeed.objects.exists()
    assert "no-store" in response["Cache-Control"]


def test_making_the_address_shows_a_private_https_address_and_is_audited(login_as, active_cook):
    client = login_as(active_cook)

    response = client.post("/en/cook/calendar/")

    assert response.status_code == 302 and response["Location"] == "/en/cook/calendar/"
    feed = CalendarFeed.objects.get(cook=active_cook)
    assert len(feed.token) >= 43  # 32 random bytes
    html = client.get("/en/cook/calendar/").content.decode()
    assert f'value="{SITE}/en/calendar/{feed.token}.ics"' in html
    assert "Make a new address" in html
    entry = AuditEntry.objects.get(action="calendar_feed_reset")
    assert entry.actor == active_cook
    assert feed.token not in str(entry.detail)


def test_making_a_new_address_stops_the_old_one_at_once(login_as, client, active_cook, active_match):
    upcoming(active_match, 2)
    old = reset_calendar_feed(cook=active_cook).token
    assert client.get(f"/en/calendar/{old}.ics").status_code == 200

    login_as(active_cook).post("/en/cook/calendar/")

    new = CalendarFeed.objects.get(cook=active_cook).token
    assert new != old
    assert client.get(f"/en/calendar/{old}.ics").status_code == 404
    assert client.get(f"/en/calendar/{new}.ics").status_code == 200
    assert AuditEntry.objects.filter(action="calendar_feed_reset", actor=active_cook).count() == 2


def test_the_page_is_in_japanese_too(login_as, active_cook):
    reset_calendar_feed(cook=active_cook)

    html = login_as(active_cook).get("/ja/cook/calendar/").content.decode()

    assert '<html lang="ja"' in html
    assert "新しいアドレスを作る" in html


@pytest.mark.parametrize(("who", "expected"), [("referrer", 403), ("coordinator_a", 403)])
def test_only_cooks_have_a_calendar_page(request, login_as, who, expected):
    response = login_as(request.getfixturevalue(who)).get("/en/cook/calendar/")

    assert response.status_code == expected


def test_the_calendar_page_needs_sign_in(client):
    response = client.get("/en/cook/calendar/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


# The feed --------------------------------------------------------------------------------------------


def test_the_feed_needs_no_sign_in_and_is_never_cached(client, active_cook, active_match):
    upcoming(active_match, 2)
    feed = reset_calendar_feed(cook=active_cook)

    response = client.get(feed_path(feed))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_token_is_not_found(client, active_cook):
    reset_calendar_feed(cook=active_cook)

    assert client.get("/en/calendar/not-a-real-token-0123456789.ics").status_code == 404


def test_a_feed_whose_cook_no_longer_cooks_is_not_found(client, active_cook):
    feed = reset_calendar_feed(cook=active_cook)
    active_cook.is_active = False
    active_cook.save(update_fields=["is_active"])

    assert client.get(feed_path(feed)).status_code == 404


def test_the_feed_refuses_writes(client, active_cook):
    feed = reset_calendar_feed(cook=active_cook)

    assert client.post(feed_path(feed)).status_code == 405


def test_each_meal_is_one_event_with_a_stable_uid_and_utc_times(client, active_cook, active_match, coordinator_a):
    first = upcoming(active_match, 2)
    second = upcoming(active_match, 3, dish="Shepherd's pie", allergens=["celery"])
    services.decide_meal(by=coordinator_a, meal=second, confirm=True, channel="phone")
    feed = reset_calendar_feed(cook=active_cook)

    found = events(client.get(feed_path(feed)))

    assert set(found) == {f"meal-{first.pk}@casserole.example", f"meal-{second.pk}@casserole.example"}
    event = found[f"meal-{first.pk}@casserole.example"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == first.starts_at and end == first.ends_at
    assert start.utcoffset() == timedelta(0) and start.tzinfo is not None
    assert "DTSTART:" in client.get(feed_path(feed)).content.decode()  # UTC form, no TZID
    assert str(event["SUMMARY"]) == "Meal for Edie (Hackney)"
    assert "Fish pie" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(found[f"meal-{second.pk}@casserole.example"]["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == f"{SITE}/en/cook/meals/{first.pk}/"


def test_a_moved_meal_keeps_its_uid(client, active_cook, active_match):
    meal = upcoming(active_match, 2)
    feed = reset_calendar_feed(cook=active_cook)
    before = events(client.get(feed_path(feed)))
    Meal.objects.filter(pk=meal.pk).update(
        starts_at=meal.starts_at + timedelta(days=1), ends_at=meal.ends_at + timedelta(days=1)
    )

    after = events(client.get(feed_path(feed)))

    assert set(after) == set(before)
    assert next(iter(after.values())).decoded("DTSTART") == meal.starts_at + timedelta(days=1)


def test_cancelled_meals_and_meals_of_a_paused_match_are_cancelled_events(client, active_cook, active_match):
    cancelled = upcoming(active_match, 2)
    services.cancel_meal(by=active_cook, meal=cancelled, reason=Meal.CancelReason.COOK_CANNOT)
    later = upcoming(active_match, 4)
    feed = reset_calendar_feed(cook=active_cook)

    assert str(events(client.get(feed_path(feed)))[f"meal-{cancelled.pk}@casserole.example"]["STATUS"]) == "CANCELLED"
    Match.objects.filter(pk=active_match.pk).update(status=Match.Status.PAUSED)
    assert str(events(client.get(feed_path(feed)))[f"meal-{later.pk}@casserole.example"]["STATUS"]) == "CANCELLED"


def test_a_meal_another_cook_now_brings_is_cancelled_in_the_first_cooks_feed(
    client, active_cook, second_cook, active_match
):
    meal = upcoming(active_match, 2)
    Meal.objects.filter(pk=meal.pk).update(cook=second_cook, covered_for=active_cook)
    feed = reset_calendar_feed(cook=active_cook)

    event = events(client.get(feed_path(feed)))[f"meal-{meal.pk}@casserole.example"]

    assert str(event["STATUS"]) == "CANCELLED"
    assert "Another cook is bringing this meal." in str(event["DESCRIPTION"])


def test_the_feed_holds_the_last_30_days_and_what_is_to_come(client, active_cook, active_match):
    now = timezone.now()
    recent = plan(active_match, day=timezone.localdate() - timedelta(days=10), now=now - timedelta(days=12))
    old = plan(active_match, day=timezone.localdate() - timedelta(days=40), now=now - timedelta(days=42))
    coming = upcoming(active_match, 2)
    feed = reset_calendar_feed(cook=active_cook)

    uids = set(events(client.get(feed_path(feed))))

    assert f"meal-{recent.pk}@casserole.example" in uids
    assert f"meal-{coming.pk}@casserole.example" in uids
    assert f"meal-{old.pk}@casserole.example" not in uids


def test_the_feed_holds_only_the_cooks_own_meals(client, active_cook, second_cook, active_match):
    upcoming(active_match, 2)
    feed = reset_calendar_feed(cook=second_cook)

    assert events(client.get(feed_path(feed))) == {}


def test_a_leaked_feed_leaks_nothing_sensitive(client, active_cook, active_match):
    diner = active_match.diner
    diner.door_notes = "Side gate, ring twice"
    diner.save(update_fields=["door_notes"])
    upcoming(active_match, 2)
    feed = reset_calendar_feed(cook=active_cook)

    text = client.get(feed_path(feed)).content.decode()
    unfolded = text.replace("\r\n ", "")  # iCalendar folds long lines

    assert "Edie" in unfolded and "Hackney" in unfolded
    for secret in (
        "12 Mare Street",
        "Mare St",
        "E8 1DY",
        "E81DY",
        "+442071234567",
        "020 7123 4567",
        "Key safe",
        "1234",
        "Side gate",
        "O'Brien",
        "O\\'Brien",
        "Edith",
        "Sarah Bennett",
        "Kiwi",
        "Diabetic",
    ):
        assert secret not in unfolded, secret


def test_the_feed_is_in_the_cooks_language(client, active_cook, active_match):
    active_cook.preferred_language = "ja"
    active_cook.save(update_fields=["preferred_language"])
    meal = upcoming(active_match, 2)
    feed = reset_calendar_feed(cook=active_cook)

    event = events(client.get(f"/en/calendar/{feed.token}.ics"))[f"meal-{meal.pk}@casserole.example"]

    assert str(event["SUMMARY"]) == "Edieさんのお食事（Hackney）"
    assert str(event["URL"]) == f"{SITE}/ja/cook/meals/{meal.pk}/"


@pytest.mark.parametrize("count", [1, 20])
def test_the_feed_takes_the_same_queries_for_1_and_20_meals(
    client, active_cook, active_match, django_assert_num_queries, count
):
    for days in range(1, count + 1):
        upcoming(active_match, days)
    feed = reset_calendar_feed(cook=active_cook)

    # 1. the feed by its token, with its cook; 2. the cook's meals with their match and diner.
    with django_assert_num_queries(2):
        response = client.get(feed_path(feed))

    assert len(events(response)) == count
