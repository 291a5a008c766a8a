"""An introduction cannot be marked done before the day it is arranged for, in the diner's area's time
zone: otherwise the cook's page would read "cooking for Edie since Wednesday" beside "Introduction:
Friday". The service refuses it; the coordinator's match page says why, in both languages, and says in
advance from which day it can be done. Literal URLs, so a renamed route is caught."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone, translation

from casserole.models import AuditEntry, OutboundEmail
from meals.matching import services as matching
from meals.matching.models import Match
from meals.matching.services import IntroductionNotDue

pytestmark = pytest.mark.django_db

# 20 November 2026, 16:00 in London, and already 21 November (01:00) in Tokyo.
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def clock(monkeypatch):
    """Stops the clock at NOW: today is the 20th in London and the 21st in Tokyo."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def approved(active_cook, diner, coordinator_a):
    return matching.approve_match(by=coordinator_a, match=matching.offer_to_cook(cook=active_cook, diner=diner))


def arrange(match, coordinator, day, at=time(14, 30)) -> Match:
    """The introduction on `day` at `at`, as the clocks show it in the diner's area."""
    when = datetime.combine(day, at, tzinfo=ZoneInfo(match.diner.area.time_zone))
    return matching.record_introduction(by=coordinator, match=match, method="with_coordinator", when=when)


def in_area(area, time_zone: str):
    area.time_zone = time_zone
    area.save(update_fields=["time_zone"])


def today_in(match) -> date:
    return timezone.localdate(timezone=ZoneInfo(match.diner.area.time_zone))


# The service -----------------------------------------------------------------------------------------------


def test_marking_done_before_the_introductions_day_is_refused_and_changes_nothing(approved, coordinator_a):
    match = arrange(approved, coordinator_a, today_in(approved) + timedelta(days=2))
    emails_before = OutboundEmail.objects.count()

    with pytest.raises(IntroductionNotDue, match="cannot be marked as done yet"):
        matching.mark_introduced(by=coordinator_a, match=match)

    match.refresh_from_db()
    assert (match.status, match.active_since) == (Match.Status.INTRODUCED, None)
    assert not AuditEntry.objects.filter(action="match_active").exists()
    assert OutboundEmail.objects.count() == emails_before  # the cook is not told they are matched


def test_the_refusal_names_the_day_the_introduction_is_arranged_for(approved, coordinator_a):
    day = today_in(approved) + timedelta(days=2)
    match = arrange(approved, coordinator_a, day)

    with pytest.raises(IntroductionNotDue) as refused:
        matching.mark_introduced(by=coordinator_a, match=match)

    assert formats.date_format(day, "DATE_FORMAT") in str(refused.value)
    assert "change the date of the introduction to today" in str(refused.value)


def test_on_the_day_it_can_be_marked_done_even_before_the_arranged_time(approved, coordinator_a, clock):
    # 16:00 in London; the introduction was arranged for 23:30 today: they may have met earlier.
    match = arrange(approved, coordinator_a, today_in(approved), at=time(23, 30))

    match = matching.mark_introduced(by=coordinator_a, match=match)

    assert match.status == Match.Status.ACTIVE and match.active_since == NOW
    entry = AuditEntry.objects.get(action="match_active")
    assert (entry.actor, entry.object_id) == (coordinator_a, str(match.pk))


def test_after_the_day_it_can_be_marked_done(approved, coordinator_a):
    match = arrange(approved, coordinator_a, today_in(approved))
    Match.objects.filter(pk=match.pk).update(introduction_at=match.introduction_at - timedelta(days=3))

    assert matching.mark_introduced(by=coordinator_a, match=match).status == Match.Status.ACTIVE


def test_an_approved_match_with_no_introduction_arranged_can_be_marked_done(approved, coordinator_a):
    assert matching.mark_introduced(by=coordinator_a, match=approved).status == Match.Status.ACTIVE


def test_the_day_is_the_diners_areas_day_not_the_servers(approved, coordinator_a, area_a, clock):
    # The 21st 10:00 in Tokyo: already today there, though the server (London) is still on the 20th.
    in_area(area_a, "Asia/Tokyo")
    match = arrange(approved, coordinator_a, NOW.astimezone(ZoneInfo("Asia/Tokyo")).date(), at=time(10, 0))
    assert timezone.localdate(timezone=ZoneInfo("Europe/London")) < today_in(match)

    assert matching.mark_introduced(by=coordinator_a, match=match).status == Match.Status.ACTIVE


def test_in_london_the_21st_is_still_to_come_at_the_same_moment(approved, coordinator_a, clock):
    match = arrange(approved, coordinator_a, NOW.astimezone(ZoneInfo("Asia/Tokyo")).date(), at=time(10, 0))

    with pytest.raises(IntroductionNotDue):
        matching.mark_introduced(by=coordinator_a, match=match)


def test_moving_the_introduction_to_today_lets_it_be_marked_done(approved, coordinator_a):
    match = arrange(approved, coordinator_a, today_in(approved) + timedelta(days=5))
    with pytest.raises(IntroductionNotDue):
        matching.mark_introduced(by=coordinator_a, match=match)

    match = arrange(match, coordinator_a, today_in(match), at=time(0, 0))
    match = matching.mark_introduced(by=coordinator_a, match=match)

    assert match.status == Match.Status.ACTIVE
    assert timezone.localdate(match.introduction_at, timezone=ZoneInfo(match.diner.area.time_zone)) <= (
        timezone.localdate(match.active_since, timezone=ZoneInfo(match.diner.area.time_zone))
    )


# The coordinator's match page ------------------------------------------------------------------------------


def test_the_match_page_says_from_which_day_it_can_be_marked_done(login_as, approved, coordinator_a):
    day = today_in(approved) + timedelta(days=2)
    arrange(approved, coordinator_a, day)

    html = login_as(coordinator_a).get(f"/en/coordinator/matches/{approved.pk}/").content.decode()

    hint = html[html.index('id="introduction-not-due"') : html.index("</p>", html.index('id="introduction-not-due"'))]
    assert f"You can do this from {formats.date_format(day, 'DATE_FORMAT')}" in hint
    assert 'aria-describedby="introduction-not-due">Mark the introduction as done' in html
    assert "The first meal delivered also does this" not in html  # meals are not delivered on Casserole yet


def test_on_the_day_the_match_page_has_no_such_hint(login_as, approved, coordinator_a):
    arrange(approved, coordinator_a, today_in(approved))

    html = login_as(coordinator_a).get(f"/en/coordinator/matches/{approved.pk}/").content.decode()

    assert 'id="introduction-not-due"' not in html
    assert "Mark the introduction as done" in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_marking_done_too_early_on_the_page_shows_the_refusal_in_the_error_summary(
    login_as, approved, coordinator_a, language
):
    day = today_in(approved) + timedelta(days=2)
    arrange(approved, coordinator_a, day)

    response = login_as(coordinator_a).post(f"/{language}/coordinator/matches/{approved.pk}/", {"action": "introduced"})

    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(language):
        expected = translation.gettext(
            "The introduction is arranged for %(date)s, so it cannot be marked as done yet. If they have already "
            "met, change the date of the introduction to today first."
        ) % {"date": formats.date_format(day, "DATE_FORMAT")}
        title_prefix = translation.gettext("Error:")
    assert expected in html
    assert 'href="#form-non-field-errors"' in html and 'id="form-non-field-errors"' in html
    assert f"<title>{title_prefix}" in html
    approved.refresh_from_db()
    assert approved.status == Match.Status.INTRODUCED and approved.active_since is None


def test_the_introduction_page_button_leads_to_the_same_refusal(login_as, approved, coordinator_a):
    arrange(approved, coordinator_a, today_in(approved) + timedelta(days=1))
    client = login_as(coordinator_a)
    page = client.get(f"/en/coordinator/matches/{approved.pk}/introduction/").content.decode()
    assert f'action="/en/coordinator/matches/{approved.pk}/"' in page

    html = client.post(f"/en/coordinator/matches/{approved.pk}/", {"action": "introduced"}).content.decode()

    assert "cannot be marked as done yet" in html


def test_the_offers_page_no_longer_promises_meals_that_mark_it_done(login_as, coordinator_a):
    html = login_as(coordinator_a).get("/en/coordinator/offers/").content.decode()

    assert "The first meal delivered also does this" not in html
    assert "mark it as done (from the day it is arranged for)" in html
