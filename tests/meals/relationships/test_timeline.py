"""Each match's timeline: every kind of event, newest first and paginated, the summary, what each of the
coordinator, the cook and the diner's side may see, the coordinator's notes, and a query count that does
not grow with the history."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from casserole import audit
from casserole.models import AuditEntry
from meals.diners.models import ProxyAccess
from meals.matching.models import MatchChangeRequest
from meals.relationships import timeline
from meals.relationships.errors import RelationshipError
from meals.relationships.models import Concern, DoorCase, Feedback, LonelinessMeasure, MatchNote, Visit
from tests.factories import DinerFactory, MatchFactory, ProxyAccessFactory
from tests.meals.relationships.conftest import past_meal

pytestmark = pytest.mark.django_db

KINDS = ("status", "request", "meal", "feedback", "concern", "door", "note")


def coordinator_url(match, language="en") -> str:
    return f"/{language}/coordinator/matches/{match.pk}/timeline/"


def cook_url(match, language="en") -> str:
    return f"/{language}/cook/matches/{match.pk}/timeline/"


def proxy_url(match, language="en") -> str:
    return f"/{language}/diners/{match.diner_id}/matches/{match.pk}/timeline/"


def history(match, count: int, *, referrer, coordinator) -> None:
    """`count` of each kind of event on the match, one week apart going back, each carrying private
    words (SECRET-…) that only the coordinator may read."""
    cook, diner = match.cook, match.diner
    for n in range(count):
        week = n + 1
        meal = past_meal(match, hours_ago=24 * 7 * week)
        Visit.objects.create(
            meal=meal,
            match=match,
            recorded_by=cook,
            outcome=Visit.Outcome.DELIVERED,
            minutes_stayed=45,
            wellbeing={"sleep": "not_usual", "eating": "usual"},
            wellbeing_notes={"sleep": "SECRET-WELLBEING-NOTE"},
            note="SECRET-VISIT-NOTE",
        )
        unanswered = past_meal(match, hours_ago=24 * 7 * week + 48)
        door_visit = Visit.objects.create(
            meal=unanswered, match=match, recorded_by=cook, outcome=Visit.Outcome.NO_ANSWER
        )
        at = unanswered.starts_at + timedelta(hours=1)
        DoorCase.objects.create(visit=door_visit, diner=diner, opened_at=at)
        Feedback.objects.create(
            match=match, side="diner", occasion=f"t-{n}", friend="not_yet", changes="DINER-SIDE-SAYS", given_at=at
        )
        Feedback.objects.create(match=match, side="cook", occasion=f"t-{n}", changes="COOK-SIDE-SAYS", given_at=at)
        Concern.objects.create(diner=diner, match=match, level="worried", text="SECRET-COOK-CONCERN", raised_by=cook)
        Concern.objects.create(diner=diner, level="urgent", text="SECRET-REFERRER-CONCERN", raised_by=referrer)
        Concern.objects.create(
            diner=diner, match=match, level="information", text="SECRET-COORDINATOR-CONCERN", raised_by=coordinator
        )
        MatchNote.objects.create(match=match, text="SECRET-NOTE", written_by=coordinator, written_at=at)
        MatchChangeRequest.objects.create(
            match=match, kind="pause", requested_by=cook, reason="COOK-REASON", resolved_at=at, resolved_by=coordinator
        )
        audit.record(
            action=audit.Action.MATCH_PAUSED,
            actor=coordinator,
            obj=match,
            area=diner.area,
            detail={"reason": "SECRET-PAUSE"},
        )


def kinds_shown(html: str) -> set[str]:
    return set(re.findall(r'data-kind="([a-z]+)"', html))


# Who may see it -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path", "expected"),
    [
        ("coordinator_a", "coordinator", 200),
        ("coordinator_b", "coordinator", 404),
        ("cook", "coordinator", 403),
        ("cook", "cook", 200),
        ("second_cook", "cook", 404),
        ("referrer", "cook", 403),
        ("referrer", "proxy", 200),
        ("second_cook", "proxy", 404),
    ],
)
def test_who_may_see_a_timeline(
    login_as, visited_match, coordinator_a, coordinator_b, second_cook, who, path, expected
):
    people = {
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "cook": visited_match.cook,
        "second_cook": second_cook,
        "referrer": visited_match.diner.proxies.get().referrer,
    }
    second_cook.is_cook = True
    second_cook.save(update_fields=["is_cook"])
    url = {"coordinator": coordinator_url, "cook": cook_url, "proxy": proxy_url}[path](visited_match)
    assert login_as(people[who]).get(url).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, visited_match):
    for url in (coordinator_url(visited_match), cook_url(visited_match), proxy_url(visited_match)):
        assert client.get(url).status_code == 302


def test_a_proxy_needs_the_schedule_scope(login_as, visited_match, referrer):
    ProxyAccess.objects.filter(referrer=referrer).update(can_view_schedule=False)
    assert login_as(referrer).get(proxy_url(visited_match)).status_code == 403


def test_a_proxy_cannot_see_another_diners_match_through_their_own_diner(login_as, visited_match, referrer, area_a):
    other = MatchFactory(diner=DinerFactory(area=area_a), cook=visited_match.cook, status="ended")
    url = f"/en/diners/{visited_match.diner_id}/matches/{other.pk}/timeline/"
    assert login_as(referrer).get(url).status_code == 404


def test_a_revoked_proxy_gets_404(login_as, visited_match, referrer):
    ProxyAccess.objects.filter(referrer=referrer).update(revoked_at=timezone.now())
    assert login_as(referrer).get(proxy_url(visited_match)).status_code == 404


# What each sees -------------------------------------------------------------------------------------------------


def test_the_coordinator_sees_every_kind_and_viewing_is_audited(login_as, visited_match, referrer, coordinator_a):
    history(visited_match, 1, referrer=referrer, coordinator=coordinator_a)

    html = login_as(coordinator_a).get(coordinator_url(visited_match)).content.decode()

    assert kinds_shown(html) >= {*KINDS, "offered", "active"}
    for secret in ("SECRET-WELLBEING-NOTE", "SECRET-VISIT-NOTE", "SECRET-NOTE", "SECRET-PAUSE", "SECRET-COOK-CONCERN"):
        assert secret in html
    assert "SECRET-REFERRER-CONCERN" in html  # about the diner, not naming a match: on each of their timelines
    assert "Not as usual" in html and "COOK-SIDE-SAYS" in html and "DINER-SIDE-SAYS" in html
    entry = AuditEntry.objects.get(action=audit.Action.TIMELINE_VIEWED)
    assert (entry.actor, entry.object_id) == (coordinator_a, str(visited_match.pk))


def test_the_cook_sees_their_meals_visits_feedback_and_own_concerns_only(
    login_as, visited_match, referrer, coordinator_a
):
    history(visited_match, 1, referrer=referrer, coordinator=coordinator_a)
    cook = visited_match.cook

    html = login_as(cook).get(cook_url(visited_match)).content.decode()

    assert kinds_shown(html) == {"offered", "active", "status", "request", "meal", "feedback", "concern"}
    assert "Stayed 45 minutes" in html and "COOK-SIDE-SAYS" in html and "COOK-REASON" in html
    assert f'href="/en/cook/meals/{visited_match.past_meal.pk}/visit/"' in html  # still to record
    # Their own concern: level and status, never others' (nor any concern's words).
    assert len(re.findall(r'data-kind="concern"', html)) == 1 and 'data-level="worried"' in html
    for hidden in (
        "SECRET",  # notes, wellbeing notes, visit notes, concern texts, pause reasons
        "Not as usual",  # wellbeing answers
        "DINER-SIDE-SAYS",
        "Loneliness",
        "Do they see their cook as a friend?",
    ):
        assert hidden not in html


def test_the_cook_does_not_see_a_cover_cooks_visit(login_as, visited_match, second_cook):
    meal = past_meal(visited_match, hours_ago=30, cook=second_cook, covered_for=visited_match.cook)
    Visit.objects.create(
        meal=meal, match=visited_match, recorded_by=second_cook, outcome="delivered", minutes_stayed=20
    )

    html = login_as(visited_match.cook).get(cook_url(visited_match)).content.decode()

    assert "<bdi>Colin</bdi> covered this meal" in html
    assert "Stayed 20 minutes" not in html


def test_the_diners_side_sees_meals_visits_their_feedback_and_own_concerns(
    login_as, visited_match, referrer, coordinator_a
):
    history(visited_match, 1, referrer=referrer, coordinator=coordinator_a)

    html = login_as(referrer).get(proxy_url(visited_match)).content.decode()

    assert kinds_shown(html) == {"offered", "active", "status", "meal", "feedback", "concern"}
    assert "Stayed 45 minutes" in html and "DINER-SIDE-SAYS" in html
    assert len(re.findall(r'data-kind="concern"', html)) == 1 and 'data-level="urgent"' in html
    assert "Not yet" in html  # the latest friendship answer
    for hidden in ("SECRET", "Not as usual", "COOK-SIDE-SAYS", "COOK-REASON", "Loneliness"):
        assert hidden not in html
    assert "You are acting for" in html


def test_private_columns_are_not_even_read_for_the_cook(visited_match, referrer, coordinator_a):
    history(visited_match, 1, referrer=referrer, coordinator=coordinator_a)
    context = timeline.timeline_page(visited_match, timeline.COOK, visited_match.cook)
    concerns = [event.obj for event in context["events"] if event.kind == "concern"]
    visits = [event.visit for event in context["events"] if event.visit is not None]
    assert concerns and visits
    assert all({"text", "closing_notes"} <= concern.get_deferred_fields() for concern in concerns)
    assert all({"wellbeing", "wellbeing_notes", "note"} <= visit.get_deferred_fields() for visit in visits)


# Order, pagination, summary -------------------------------------------------------------------------------------


def test_events_are_newest_first(login_as, visited_match, coordinator_a):
    old = MatchNote.objects.create(match=visited_match, text="OLD", written_at=timezone.now() - timedelta(days=3))
    new = MatchNote.objects.create(match=visited_match, text="NEW", written_at=timezone.now() - timedelta(minutes=5))

    html = login_as(coordinator_a).get(coordinator_url(visited_match)).content.decode()

    order = re.findall(r'<li id="event-([a-z]+)-(\d+)"', html)
    assert order.index(("note", str(new.pk))) < order.index(("meal", str(visited_match.past_meal.pk)))
    assert order.index(("meal", str(visited_match.past_meal.pk))) < order.index(("note", str(old.pk)))
    assert order[-1] == ("active", str(visited_match.pk)) or order[-1] == ("offered", str(visited_match.pk))


def test_the_timeline_is_paginated(login_as, visited_match, coordinator_a):
    start = timezone.now() - timedelta(days=1)
    notes = [
        MatchNote.objects.create(match=visited_match, text=f"Note {n}", written_at=start - timedelta(hours=n))
        for n in range(30)
    ]
    client = login_as(coordinator_a)

    first = client.get(coordinator_url(visited_match)).content.decode()
    second = client.get(coordinator_url(visited_match) + "?page=2").content.decode()

    assert first.count('<li id="event-') == timeline.PER_PAGE
    assert second.count('<li id="event-') == 30 + 3 - timeline.PER_PAGE  # + the meal, offered, active
    assert f'id="event-note-{notes[0].pk}"' in first and f'id="event-note-{notes[-1].pk}"' in second
    assert "Older events" in first and "Newer events" in second and "Page 2 of 2" in second


def test_the_summary(login_as, visited_match, coordinator_a):
    match = visited_match
    now = timezone.now()
    # Three weeks in a row with a delivered visit (this week's meal not yet), then a gap, then one more.
    for weeks_ago, minutes in ((1, 40), (2, 50), (3, 30), (6, 60)):
        meal = past_meal(match, hours_ago=24 * 7 * weeks_ago)
        Visit.objects.create(meal=meal, match=match, outcome="delivered", minutes_stayed=minutes)
    undelivered = past_meal(match, hours_ago=24 * 7 * 4)
    Visit.objects.create(meal=undelivered, match=match, outcome="diner_away")
    Feedback.objects.create(
        match=match, side="diner", occasion="meal-1", friend="not_yet", given_at=now - timedelta(days=20)
    )
    Feedback.objects.create(
        match=match, side="diner", occasion="meal-2", friend="yes", given_at=now - timedelta(days=6)
    )
    LonelinessMeasure.objects.create(diner=match.diner, scale="ons", score=8, intake=True, taken_on=date(2025, 1, 1))
    LonelinessMeasure.objects.create(diner=match.diner, scale="ons", score=6, taken_on=date(2025, 4, 2))

    summary = timeline.summary(match, timeline.COORDINATOR, zone="Europe/London", now=now)

    assert summary.meals_shared == 4
    assert summary.minutes_together == 180 and summary.time_together == "3 hours"
    assert summary.weeks_together == 2  # active for 14 days
    assert summary.latest_friend.friend == "yes"
    assert summary.loneliness.change == -2
    html = login_as(coordinator_a).get(coordinator_url(match)).content.decode()
    assert re.search(r'id="summary-meals">4<', html)
    assert "2 points lower: less lonely." in html


def test_weeks_in_a_row_count_back_from_this_week_or_last():
    monday = date(2026, 3, 2)
    assert timeline.weeks_in_a_row([monday, monday - timedelta(days=6), monday - timedelta(days=14)], today=monday) == 3
    # This week's meal has not happened yet: the run still counts from last week.
    assert timeline.weeks_in_a_row([monday - timedelta(days=3), monday - timedelta(days=10)], today=monday) == 2
    assert timeline.weeks_in_a_row([monday - timedelta(days=14)], today=monday) == 0
    assert timeline.weeks_in_a_row([], today=monday) == 0


def test_time_together_in_words():
    assert timeline.duration(0) == "0 minutes"
    assert timeline.duration(61) == "1 hour 1 minute"
    assert timeline.duration(200) == "3 hours 20 minutes"


# Notes ----------------------------------------------------------------------------------------------------------


def test_a_coordinator_writes_a_note(login_as, visited_match, coordinator_a):
    client = login_as(coordinator_a)

    response = client.post(coordinator_url(visited_match), {"note-text": "  Phoned Edie: all well.  "})

    assert response.status_code == 302 and response["Location"] == coordinator_url(visited_match)
    note = MatchNote.objects.get(match=visited_match)
    assert (note.text, note.written_by) == ("Phoned Edie: all well.", coordinator_a)
    entry = AuditEntry.objects.get(action=audit.Action.MATCH_NOTE_WRITTEN)
    assert entry.object_id == str(visited_match.pk) and entry.detail == {}
    assert "Phoned Edie: all well." in client.get(coordinator_url(visited_match)).content.decode()


def test_a_blank_or_long_note_is_refused_and_what_was_typed_is_kept(login_as, visited_match, coordinator_a):
    client = login_as(coordinator_a)

    blank = client.post(coordinator_url(visited_match), {"note-text": "   "}).content.decode()
    long = client.post(coordinator_url(visited_match), {"note-text": "x" * 2001}).content.decode()

    assert "<title>Error:" in blank and "Write the note" in blank
    assert "The note must be 2000 characters or fewer" in long and "x" * 2001 in long
    assert not MatchNote.objects.exists()


def test_only_the_areas_coordinators_write_notes(visited_match, coordinator_b):
    with pytest.raises(RelationshipError):
        timeline.write_match_note(by=coordinator_b, match=visited_match, text="Hello")


def test_notes_cannot_be_written_by_get_or_by_the_cook(login_as, visited_match):
    response = login_as(visited_match.cook).post(cook_url(visited_match), {"note-text": "Hello"})
    assert response.status_code == 405
    assert not MatchNote.objects.exists()


# Queries --------------------------------------------------------------------------------------------------------

# The coordinator's timeline, however long the history: 1. the session, 2. the user, 3–4. their
# authenticators, 5. the match with diner, area, cook and profile, 6. the audit entry for viewing it,
# 7. the number of events, 8. the page's (kind, id, time), 9.–16. the page's pauses, requests, meals with
# their visits, feedback, concerns, door cases, notes and onward referrals, 17. the delivered visits
# (summary), 18. the latest friendship answer, 19. the intake and latest loneliness scores, 20. the area for
# the "Need help?" block.
COORDINATOR_QUERIES = 20
# The cook's: 1.–4. session, user and their authenticators, 5. the match with diner and area, 6. the number
# of events, 7. the page's events, 8.–12. the page's pauses, requests, meals with their visits, feedback
# and concerns, 13. the delivered visits, 14. the area for the "Need help?" block.
COOK_QUERIES = 14
# The diner's side: 1.–4. session, user and their authenticators, 5. their live access, 6. the match,
# 7. their access again with its scope, 8.–9. the number of events and the page's, 10.–14. the page's
# rows by kind, 15. the delivered visits, 16. the latest friendship answer, 17. the area for the
# "Need help?" block.
PROXY_QUERIES = 17


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(
    ("persona", "queries"), [("coordinator", COORDINATOR_QUERIES), ("cook", COOK_QUERIES), ("proxy", PROXY_QUERIES)]
)
def test_the_query_count_does_not_grow_with_the_history(
    login_as, visited_match, referrer, coordinator_a, count, persona, queries, django_assert_num_queries
):
    history(visited_match, count, referrer=referrer, coordinator=coordinator_a)
    person = {"coordinator": coordinator_a, "cook": visited_match.cook, "proxy": referrer}[persona]
    url = {"coordinator": coordinator_url, "cook": cook_url, "proxy": proxy_url}[persona](visited_match)
    client = login_as(person)

    with django_assert_num_queries(queries):
        html = client.get(url).content.decode()

    assert 0 < html.count('<li id="event-') <= timeline.PER_PAGE
    if count == 30:
        with django_assert_num_queries(queries):
            html = client.get(url + "?page=3").content.decode()
        assert html.count('<li id="event-') == timeline.PER_PAGE


# Both languages and the links -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_timeline_in_both_languages(login_as, visited_match, referrer, coordinator_a, language):
    history(visited_match, 1, referrer=referrer, coordinator=coordinator_a)
    pages = (
        (coordinator_a, coordinator_url(visited_match, language)),
        (visited_match.cook, cook_url(visited_match, language)),
        (referrer, proxy_url(visited_match, language)),
    )
    for person, url in pages:
        response = login_as(person).get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{"ja" if language == "ja" else "en-GB"}"' in html
        assert html.count("<h1") == 1
        assert response["Cache-Control"].startswith("max-age=0")


def test_the_match_pages_link_to_the_timelines(login_as, visited_match, referrer, coordinator_a):
    coordinator_html = login_as(coordinator_a).get(f"/en/coordinator/matches/{visited_match.pk}/").content.decode()
    cook_html = login_as(visited_match.cook).get(f"/en/cook/matches/{visited_match.pk}/").content.decode()
    proxy_html = login_as(referrer).get(f"/en/diners/{visited_match.diner_id}/").content.decode()

    assert f'href="{coordinator_url(visited_match)}"' in coordinator_html
    assert f'href="{cook_url(visited_match)}"' in cook_html
    assert f'href="{proxy_url(visited_match)}"' in proxy_html


def test_the_proxys_diner_page_leaves_out_the_link_without_the_schedule_scope(login_as, visited_match, referrer):
    ProxyAccess.objects.filter(referrer=referrer).update(can_view_schedule=False)
    html = login_as(referrer).get(f"/en/diners/{visited_match.diner_id}/").content.decode()
    assert proxy_url(visited_match) not in html


def test_another_proxy_of_the_same_diner_does_not_see_the_referrers_concerns(login_as, visited_match, coordinator_a):
    other = ProxyAccessFactory(diner=visited_match.diner, can_view_schedule=True).referrer
    Concern.objects.create(diner=visited_match.diner, level="urgent", text="X", raised_by=visited_match.cook)

    html = login_as(other).get(proxy_url(visited_match)).content.decode()

    assert 'data-kind="concern"' not in html
