"""Feedback and friendship: after the 1st, 2nd and 4th meals Cathy shares with Edie, then monthly, each
side is asked once how it is going — Cathy by email, Edie through Rita when Rita may give feedback for
her, or by a coordinator on the phone when nobody can be emailed. "I'd like a different cook" reaches the
coordinators at once."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation

from casserole.models import AuditEntry
from casserole.names import addressed
from meals.diners.models import ProxyAccess
from meals.matching.models import Match
from meals.relationships import feedback
from meals.relationships.errors import RelationshipError
from meals.relationships.models import Feedback, FeedbackAsk, Visit
from meals.schedule.models import Meal
from tests.factories import DinerFactory, ProxyAccessFactory, UserFactory
from tests.meals.schedule.conftest import make_active_match

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
COOK, DINER = Feedback.Side.COOK, Feedback.Side.DINER


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def visit(match, starts_at: datetime, *, outcome=Visit.Outcome.DELIVERED) -> Visit:
    meal = Meal.objects.create(
        match=match,
        cook=match.cook,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        dish="Fish pie",
        status=Meal.Status.CONFIRMED,
    )
    return Visit.objects.create(
        meal=meal, match=match, recorded_at=starts_at + timedelta(hours=2), outcome=outcome, minutes_stayed=30
    )


def visits(match, count: int, *, first: datetime, every=timedelta(days=7)) -> None:
    for n in range(count):
        visit(match, first + n * every)


@pytest.fixture
def match(active_cook, diner):
    return make_active_match(active_cook, diner, since=london(2026, 1, 5, 12))


@pytest.fixture
def giving(diner, referrer):
    """Rita may give feedback for Edie."""
    ProxyAccess.objects.filter(diner=diner, referrer=referrer).update(can_give_feedback=True)
    return referrer


def answers(**changes) -> dict:
    data = {"enjoyed": "yes", "friend": "not_yet", "less_contact_without": "yes", "changes": "Less salt please"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def recent(days_ago: float) -> datetime:
    return timezone.now() - timedelta(days=days_ago)


# The occasions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delivered", "occasion"),
    [(0, None), (1, "meal-1"), (2, "meal-2"), (3, "meal-2"), (4, "meal-4")],
)
def test_after_the_first_second_and_fourth_meals(match, delivered, occasion):
    # Four meals a week apart in February: all in one month.
    visits(match, delivered, first=london(2026, 2, 2, 12))
    now = london(2026, 2, 27, 12)

    assert feedback.due_feedback(match, COOK, now=now) == occasion
    assert feedback.due_feedback(match, DINER, now=now) == occasion


def test_meals_not_shared_do_not_count(match):
    visit(match, london(2026, 2, 2, 12))
    visit(match, london(2026, 2, 9, 12), outcome=Visit.Outcome.NO_ANSWER)
    visit(match, london(2026, 2, 16, 12), outcome=Visit.Outcome.COOK_COULD_NOT)

    assert feedback.due_feedback(match, DINER, now=london(2026, 2, 20, 12)) == "meal-1"


def test_then_monthly_once_a_meal_is_shared_in_a_later_month(match):
    visits(match, 5, first=london(2026, 2, 2, 12))  # the 4th on 23 February, the 5th on 2 March

    assert feedback.due_feedback(match, DINER, now=london(2026, 3, 3, 12)) == "month-2026-03"
    # Within the month, it stays the same occasion; answered, nothing is due until next month's meal.
    Feedback.objects.create(match=match, side=DINER, occasion="month-2026-03", enjoyed="yes")
    visit(match, london(2026, 3, 9, 12))
    assert feedback.due_feedback(match, DINER, now=london(2026, 3, 10, 12)) is None
    assert feedback.due_feedback(match, COOK, now=london(2026, 3, 10, 12)) == "month-2026-03"
    visit(match, london(2026, 4, 6, 12))
    assert feedback.due_feedback(match, DINER, now=london(2026, 4, 7, 12)) == "month-2026-04"


def test_an_answered_occasion_is_not_due_for_that_side_only(match):
    visits(match, 2, first=london(2026, 2, 2, 12))
    Feedback.objects.create(match=match, side=COOK, occasion="meal-2", enjoyed="yes")
    Feedback.objects.create(match=match, side=DINER, occasion="extra-2026-02-10", enjoyed="yes")

    now = london(2026, 2, 12, 12)
    assert feedback.due_feedback(match, COOK, now=now) is None
    assert feedback.due_feedback(match, DINER, now=now) == "meal-2"  # extra feedback answers no occasion


def test_nothing_is_due_when_the_match_is_paused_or_no_meal_was_shared_lately(match):
    visit(match, london(2026, 2, 2, 12))
    assert feedback.due_feedback(match, DINER, now=london(2026, 3, 10, 12)) is None  # over 30 days ago
    Match.objects.filter(pk=match.pk).update(status=Match.Status.PAUSED)
    assert feedback.due_feedback(match, DINER, now=london(2026, 2, 3, 12)) is None


# Asking --------------------------------------------------------------------------------------------------


def test_the_cook_and_a_referrer_who_may_give_feedback_are_asked_once(
    match, giving, diner, django_capture_on_commit_callbacks
):
    ProxyAccessFactory(diner=diner, referrer=UserFactory(email="viewer@example.org"))  # may not give feedback
    visit(match, london(2026, 2, 2, 12))
    now = london(2026, 2, 3, 9)

    with django_capture_on_commit_callbacks(execute=True):
        assert feedback.ask_for_feedback(now=now) == {"cooks": 1, "proxies": 1, "already_asked": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback.ask_for_feedback(now=now + timedelta(hours=1)) == {
            "cooks": 0,
            "proxies": 0,
            "already_asked": 2,
        }

    [to_cook] = [m for m in mail.outbox if m.to == [match.cook.email]]
    assert to_cook.subject == "How is it going with Edie?"
    assert f"/en/cook/matches/{match.pk}/feedback/" in to_cook.body
    [to_rita] = [m for m in mail.outbox if m.to == [giving.email]]
    assert f"/en/diners/{diner.pk}/matches/{match.pk}/feedback/" in to_rita.body
    assert not [m for m in mail.outbox if m.to == ["viewer@example.org"]]
    assert set(FeedbackAsk.objects.values_list("side", "occasion", "recipient")) == {
        ("cook", "meal-1", match.cook.pk),
        ("diner", "meal-1", giving.pk),
    }


def test_the_next_occasion_is_asked_again(match, giving, django_capture_on_commit_callbacks):
    visit(match, london(2026, 2, 2, 12))
    feedback.ask_for_feedback(now=london(2026, 2, 3, 9))
    visit(match, london(2026, 2, 9, 12))

    with django_capture_on_commit_callbacks(execute=True):
        assert feedback.ask_for_feedback(now=london(2026, 2, 10, 9)) == {"cooks": 1, "proxies": 1, "already_asked": 0}
    assert FeedbackAsk.objects.filter(occasion="meal-2").count() == 2


@pytest.mark.parametrize("matches", [1, 20])
def test_asking_reads_in_three_queries_whatever_the_number_of_matches(
    match, giving, active_cook, area_a, matches, django_assert_num_queries
):
    visit(match, london(2026, 2, 2, 12))
    for n in range(matches - 1):
        other = make_active_match(active_cook, DinerFactory(area=area_a, status="active"))
        visit(other, london(2026, 2, 2, 13) + timedelta(minutes=n))
    asks = matches + 1  # every cook, and Rita for Edie

    # 1 matches with their occasion facts (diner, area, cook), 2 proxies who may give feedback (with the
    # referrer), 3 asks already made; then per ask: savepoint, email, ask, release.
    with django_assert_num_queries(3 + 4 * asks):
        feedback.ask_for_feedback(now=london(2026, 2, 3, 9))
    with django_assert_num_queries(3):
        assert feedback.ask_for_feedback(now=london(2026, 2, 3, 10))["already_asked"] == asks


def test_a_diner_nobody_can_email_for_is_due_by_phone(match, diner, giving, area_a):
    visit(match, recent(2))
    assert feedback.feedback_due_by_phone([area_a]) == []  # Rita will be asked

    ProxyAccess.objects.filter(diner=diner).update(can_give_feedback=False)
    [due] = feedback.feedback_due_by_phone([area_a])
    assert (due, due.due_occasion) == (match, "meal-1")

    Feedback.objects.create(match=match, side=DINER, occasion="meal-1", enjoyed="yes")
    assert feedback.feedback_due_by_phone([area_a]) == []


# The referrer's page -----------------------------------------------------------------------------------------


def test_a_referrer_without_the_feedback_scope_gets_403(login_as, referrer, diner, match):
    assert login_as(referrer).get(f"/en/diners/{diner.pk}/matches/{match.pk}/feedback/").status_code == 403


def test_another_diners_match_is_404(login_as, giving, diner, active_cook, area_a):
    other = make_active_match(active_cook, DinerFactory(area=area_a, status="active"))
    assert login_as(giving).get(f"/en/diners/{diner.pk}/matches/{other.pk}/feedback/").status_code == 404


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_referrer_gives_edies_feedback(login_as, giving, diner, match, language):
    visit(match, recent(2))
    url = f"/{language}/diners/{diner.pk}/matches/{match.pk}/feedback/"
    client = login_as(giving)

    html = client.get(url).content.decode()
    assert html.count("<h1") == 1
    assert (
        t(language, "How are %(name)s’s meals going?", name=f"<bdi>{addressed('Edie', language=language)}</bdi>")
        in html
    )
    assert t(language, "After the first meal") in html
    assert t(language, "Do you consider %(cook)s a friend?", cook=addressed("Cathy", language=language)) in html
    assert f'href="/{language}/diners/{diner.pk}/matches/{match.pk}/change/"' in html
    assert 'name="occasion" value="meal-1"' in html

    response = client.post(url, answers(occasion="meal-1"))

    assert response.status_code == 302
    assert response["Location"] == f"/{language}/diners/{diner.pk}/"
    given = Feedback.objects.get()
    assert (given.side, given.occasion, given.channel, given.given_by) == ("diner", "meal-1", "web", giving)
    assert (given.enjoyed, given.friend, given.less_contact_without) == ("yes", "not_yet", "yes")
    assert given.changes == "Less salt please" and not given.wants_different_cook
    entry = AuditEntry.objects.get(action="feedback_given")
    assert (entry.actor, entry.object_id, entry.channel) == (giving, str(match.pk), "web")
    assert "Less salt" not in str(entry.detail)


def test_bad_input_keeps_what_was_typed(login_as, giving, diner, match):
    response = login_as(giving).post(
        f"/en/diners/{diner.pk}/matches/{match.pk}/feedback/", answers(enjoyed=None, changes="Earlier visits")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html and "Select whether you enjoyed your meals" in html
    assert "Earlier visits</textarea>" in html
    assert re.search(r'<input[^>]*name="friend"[^>]*value="not_yet"[^>]*checked', html)
    assert Feedback.objects.count() == 0


def test_a_double_submit_stores_one_feedback(login_as, giving, diner, match):
    visit(match, recent(2))
    client = login_as(giving)
    url = f"/en/diners/{diner.pk}/matches/{match.pk}/feedback/"

    assert client.post(url, answers(occasion="meal-1")).status_code == 302
    assert client.post(url, answers(occasion="meal-1")).status_code == 302

    assert Feedback.objects.count() == 1


def test_with_nothing_due_the_feedback_is_extra(login_as, giving, diner, match):
    client = login_as(giving)
    url = f"/en/diners/{diner.pk}/matches/{match.pk}/feedback/"
    today = timezone.localtime(timezone.now(), LONDON).date()

    assert "Extra feedback" in client.get(url).content.decode()
    client.post(url, answers(occasion=f"extra-{today:%Y-%m-%d}"))

    assert Feedback.objects.get().occasion == f"extra-{today:%Y-%m-%d}"
    # The same answers again are a double submit; different ones the same day are kept too.
    client.post(url, answers(occasion=f"extra-{today:%Y-%m-%d}"))
    assert Feedback.objects.count() == 1
    client.post(url, answers(occasion=f"extra-{today:%Y-%m-%d}", changes="Another thing"))
    assert Feedback.objects.get(changes="Another thing").occasion == f"extra-{today:%Y%m%d}-2"


def test_a_forged_occasion_is_not_stored(giving, match):
    visit(match, recent(2))
    given = feedback.give_feedback(by=giving, match=match, side=DINER, occasion="meal-4", enjoyed="yes")
    assert given.occasion == "meal-1"


def test_a_different_cook_reaches_the_coordinators_at_once(
    login_as, giving, diner, match, coordinator_a, coordinator_b, area_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login_as(giving).post(
            f"/en/diners/{diner.pk}/matches/{match.pk}/feedback/", answers(wants_different_cook="on", enjoyed="no")
        )

    [to_coordinator] = [m for m in mail.outbox if m.to == [coordinator_a.email]]
    assert to_coordinator.subject == "Casserole: Edie would like a different cook"
    assert f"/en/coordinator/matches/{match.pk}/feedback/" in to_coordinator.body
    assert "Less salt" not in to_coordinator.body
    assert not [m for m in mail.outbox if m.to in ([coordinator_b.email], [match.cook.email])]
    assert feedback.different_cook_requests([area_a]) == [match]
    # The diner's next feedback (the same day, by phone) no longer asks: the request leaves the home.
    later = feedback.give_feedback(by=coordinator_a, match=match, side=DINER, enjoyed="yes", channel="phone")
    assert later.occasion.endswith("-2")
    assert feedback.different_cook_requests([area_a]) == []


def test_an_ended_match_takes_no_feedback(login_as, giving, diner, match):
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    client = login_as(giving)
    url = f"/en/diners/{diner.pk}/matches/{match.pk}/feedback/"

    assert 'id="cannot-give"' in client.get(url).content.decode()
    assert client.post(url, answers()).status_code == 200
    assert Feedback.objects.count() == 0


# The coordinator, on the phone ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_coordinator_records_edies_feedback_by_phone(login_as, coordinator_a, match, language):
    visit(match, recent(2))
    url = f"/{language}/coordinator/matches/{match.pk}/feedback/"
    client = login_as(coordinator_a)

    html = client.get(url).content.decode()
    assert (
        t(language, "Feedback from %(name)s", name=f"<bdi>{addressed('Edith O&#x27;Brien', language=language)}</bdi>")
        in html
    )
    assert re.search(r'<input[^>]*name="channel"[^>]*value="phone"[^>]*checked', html)

    response = client.post(url, answers(channel="phone", occasion="meal-1"))

    assert response.status_code == 302
    given = Feedback.objects.get()
    assert (given.channel, given.side, given.given_by, given.occasion) == ("phone", "diner", coordinator_a, "meal-1")
    assert AuditEntry.objects.get(action="feedback_given").channel == "phone"
    assert "Less salt please" in client.get(url).content.decode()  # now in "Feedback so far"


def test_another_areas_coordinator_gets_404(login_as, coordinator_b, match):
    assert login_as(coordinator_b).get(f"/en/coordinator/matches/{match.pk}/feedback/").status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_coordinators_page_reads_in_a_fixed_number_of_queries(
    login_as, coordinator_a, match, rows, django_assert_num_queries
):
    for n in range(rows):
        Feedback.objects.create(
            match=match, side=DINER, occasion=f"extra-2026-01-{n + 1:02d}", enjoyed="yes", given_by=coordinator_a
        )
    client = login_as(coordinator_a)

    # 1 session, 2 user, 3 OTP device, 4 the coordinator's areas (access), 5 the match (diner, area, cook),
    # 6 its occasion facts (due feedback), 7 the feedback so far with who gave it, 8 the area for "Need help?".
    with django_assert_num_queries(8):
        assert client.get(f"/en/coordinator/matches/{match.pk}/feedback/").status_code == 200


# The cook ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_cook_says_how_it_is_going(login_as, match, language):
    visit(match, recent(2))
    url = f"/{language}/cook/matches/{match.pk}/feedback/"
    client = login_as(match.cook)

    html = client.get(url).content.decode()
    assert (
        t(language, "How is it going with %(name)s?", name=f"<bdi>{addressed('Edie', language=language)}</bdi>") in html
    )
    assert f'href="/{language}/cook/matches/{match.pk}/change/"' in html

    response = client.post(url, {"enjoyed": "partly", "changes": "She is lovely", "occasion": "meal-1"})

    assert response.status_code == 302
    assert response["Location"] == f"/{language}/cook/matches/{match.pk}/"
    given = Feedback.objects.get()
    assert (given.side, given.occasion, given.enjoyed, given.changes) == ("cook", "meal-1", "partly", "She is lovely")
    assert (given.friend, given.wants_different_cook) == ("", False)


def test_another_cooks_match_is_404(login_as, match, second_cook):
    assert login_as(second_cook).get(f"/en/cook/matches/{match.pk}/feedback/").status_code == 404


def test_only_the_matchs_cook_gives_the_cooks_feedback(match, giving):
    with pytest.raises(RelationshipError):
        feedback.give_feedback(by=giving, match=match, side=COOK, enjoyed="yes")


# Where the pages are linked from ------------------------------------------------------------------------


def test_the_cooks_match_page_asks_how_it_is_going(login_as, match):
    html = login_as(match.cook).get(f"/en/cook/matches/{match.pk}/").content.decode()
    assert f'href="/en/cook/matches/{match.pk}/feedback/"' in html


def test_the_diners_record_links_to_watch_reports_and_each_matchs_feedback(login_as, coordinator_a, diner, match):
    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{diner.pk}/").content.decode()
    assert f'href="/en/coordinator/diners/{diner.pk}/watch/"' in html
    assert f'href="/en/coordinator/matches/{match.pk}/feedback/"' in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_coordinators_home_counts_different_cooks_and_feedback_due_by_phone(
    login_as, coordinator_a, diner, match, language
):
    visit(match, recent(2))  # Edie is due (meal-1), and nobody may give feedback for her online
    Feedback.objects.create(
        match=match, side=DINER, occasion="extra-2026-01-02", enjoyed="no", wants_different_cook=True
    )

    html = login_as(coordinator_a).get(f"/{language}/coordinator/").content.decode()

    different = html[html.index('id="different-cook"') : html.index("</li>", html.index('id="different-cook"'))]
    with translation.override(language):
        one = translation.ngettext(
            "%(counter)s diner asking for a different cook", "%(counter)s diners asking for a different cook", 1
        )
        due = translation.ngettext(
            "%(counter)s diner due to give feedback by phone", "%(counter)s diners due to give feedback by phone", 1
        )
    assert one % {"counter": 1} in different
    assert f'href="/{language}/coordinator/matches/{match.pk}/feedback/"' in different
    by_phone = html[html.index('id="feedback-by-phone"') :]
    assert due % {"counter": 1} in by_phone
    assert f'href="/{language}/coordinator/matches/{match.pk}/feedback/"' in by_phone


@pytest.mark.parametrize("matches", [1, 20])
def test_the_coordinators_home_lists_them_in_a_fixed_number_of_queries(
    login_as, coordinator_a, active_cook, area_a, matches, django_assert_num_queries
):
    from tests.meals.workspace.test_coordinator_home import COORDINATOR_HOME_QUERIES

    for n in range(matches):
        match = make_active_match(active_cook, DinerFactory(area=area_a, status="active"))
        visit(match, recent(2) + timedelta(minutes=n))
        if n % 2:
            Feedback.objects.create(
                match=match, side=DINER, occasion="extra-2026-01-02", enjoyed="no", wants_different_cook=True
            )
    client = login_as(coordinator_a)

    with django_assert_num_queries(COORDINATOR_HOME_QUERIES):
        html = client.get("/en/coordinator/").content.decode()
    assert html.count("/feedback/") == matches + matches // 2
