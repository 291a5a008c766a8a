"""The visit record: Cathy records what happened at her meal for Edie (delivered, no answer, away, or she
couldn't go), how long she stayed and how Edie seemed, once, once the meal has started; nobody else can.
A record still missing 48 hours after the meal reminds her once, then shows on the coordinator's home."""

import re

import pytest
from django.utils import timezone, translation

from accounts.people.access import areas_for_coordinator
from accounts.people.models import Area
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail
from meals.relationships import visits
from meals.relationships.errors import RelationshipError
from meals.relationships.models import WELLBEING_KEYS, Visit, VisitReminder
from meals.schedule.models import Meal
from tests.meals.conftest import make_active_cook
from tests.meals.relationships.conftest import past_meal

pytestmark = pytest.mark.django_db


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def url(meal, language="en") -> str:
    return f"/{language}/cook/meals/{meal.pk}/visit/"


def answers(**changes) -> dict:
    """A delivered visit, half an hour, Edie eating less than usual."""
    data = {"outcome": "delivered", "minutes": "30", "note": "We talked about her garden."}
    data |= {f"wellbeing_{key}": "not_asked" for key in WELLBEING_KEYS}
    data |= {"wellbeing_health": "usual", "wellbeing_eating": "not_usual", "note_eating": "Left most of it"}
    return data | changes


def checked(html: str, name: str) -> str | None:
    """The value of the checked radio called `name`, or None."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and "checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


@pytest.fixture
def meal(visited_match):
    return visited_match.past_meal


@pytest.fixture
def cover_cook(second_cook, coordinator_a, course, covered_area_a):
    return make_active_cook(second_cook, coordinator=coordinator_a, course=course)


# Recording -----------------------------------------------------------------------------------------------


def test_the_cook_records_a_delivered_visit_with_the_wellbeing_check(login_as, meal):
    client = login_as(meal.cook)
    page = client.get(url(meal)).content.decode()
    assert checked(page, "wellbeing_sleep") == "not_asked"  # "Didn't ask" already chosen
    assert 'data-aria-controls="conditional-delivered"' in page

    response = client.post(url(meal), answers())

    assert response.status_code == 302 and response["Location"] == url(meal)
    visit = Visit.objects.get(meal=meal)
    assert (visit.outcome, visit.minutes_stayed, visit.recorded_by, visit.match) == (
        "delivered",
        30,
        meal.cook,
        meal.match,
    )
    assert visit.wellbeing == {key: "not_asked" for key in WELLBEING_KEYS} | {
        "health": "usual",
        "eating": "not_usual",
    }
    assert visit.wellbeing_notes == {"eating": "Left most of it"}
    assert visit.note == "We talked about her garden."
    meal.refresh_from_db()
    assert meal.status == Meal.Status.CONFIRMED  # the meal stays as it is
    entry = AuditEntry.objects.get(action=audit.Action.VISIT_RECORDED)
    assert entry.actor == meal.cook and entry.detail == {"meal": meal.pk, "outcome": "delivered"}


def test_something_not_as_usual_offers_to_raise_a_concern(login_as, meal):
    client = login_as(meal.cook)
    html = client.post(url(meal), answers(), follow=True).content.decode()
    visit = Visit.objects.get(meal=meal)

    assert 'id="raise-concern"' in html
    assert f'href="/en/cook/visits/{visit.pk}/concern/"' in html
    assert "Eating" in html and "About half an hour" in html
    assert "Left most of it" not in html  # the notes are for the coordinators


def test_a_visit_with_everything_as_usual_offers_no_concern(login_as, meal):
    html = login_as(meal.cook).post(url(meal), answers(wellbeing_eating="usual"), follow=True).content.decode()
    assert 'id="raise-concern"' not in html
    assert t("en", "Thank you. Your visit is recorded.") in html


def test_the_cook_records_a_visit_in_japanese(login_as, meal):
    client = login_as(meal.cook)
    page = client.get(url(meal, "ja")).content.decode()
    assert '<html lang="ja"' in page
    assert t("ja", "What happened?") in page

    response = client.post(url(meal, "ja"), answers(outcome="diner_away", minutes=""))

    assert response["Location"] == url(meal, "ja")
    visit = Visit.objects.get(meal=meal)
    # Not delivered: no minutes and no wellbeing check kept, whatever the form sent.
    assert (visit.outcome, visit.minutes_stayed, visit.wellbeing, visit.wellbeing_notes) == (
        "diner_away",
        None,
        {},
        {},
    )
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="ja"' in html
    with translation.override("ja"):
        assert str(Visit.Outcome.DINER_AWAY.label) in html


def test_delivered_without_minutes_keeps_what_was_typed(login_as, meal):
    response = login_as(meal.cook).post(url(meal), answers(minutes=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html and "There is a problem" in html
    assert 'href="#id_minutes_0"' in html  # the summary links to the question
    assert "Select how long you stayed" in html
    assert checked(html, "outcome") == "delivered"
    assert checked(html, "wellbeing_eating") == "not_usual"
    assert "Left most of it" in html and "We talked about her garden." in html
    # The question stays in view under "Delivered", not hidden.
    assert 'class="govuk-radios__conditional" id="conditional-delivered"' in html
    assert not Visit.objects.exists()


def test_the_outcome_is_required_in_japanese(login_as, meal):
    response = login_as(meal.cook).post(url(meal, "ja"), answers(outcome=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert t("ja", "Select what happened") in html
    assert not Visit.objects.exists()


def test_no_visit_before_the_meal_has_started(login_as, visited_match):
    later = past_meal(visited_match, hours_ago=-3)  # starts in three hours
    client = login_as(visited_match.cook)

    html = client.get(url(later)).content.decode()
    assert 'id="refusal"' in html and "once the meal has started" in html
    assert 'id="visit-form"' not in html

    response = client.post(url(later), answers())
    assert response.status_code == 200 and not Visit.objects.exists()
    with pytest.raises(RelationshipError):
        visits.record_visit(cook=later.cook, meal=later, **_service_answers())


def test_a_cancelled_meal_has_no_visit_to_record(login_as, visited_match):
    cancelled = past_meal(visited_match, hours_ago=26, status=Meal.Status.CANCELLED)
    html = login_as(visited_match.cook).get(url(cancelled)).content.decode()
    assert "did not go ahead" in html
    login_as(visited_match.cook).post(url(cancelled), answers())
    assert not Visit.objects.exists()


def test_another_cooks_meal_is_not_found(login_as, meal, cover_cook):
    client = login_as(cover_cook)
    assert client.get(url(meal)).status_code == 404
    assert client.post(url(meal), answers()).status_code == 404
    assert not Visit.objects.exists()


def test_a_covered_meal_is_recorded_by_the_cover_cook_only(login_as, visited_match, cover_cook):
    covered = past_meal(visited_match, cook=cover_cook, covered_for=visited_match.cook)
    assert login_as(visited_match.cook).get(url(covered)).status_code == 404
    response = login_as(cover_cook).post(url(covered), answers())
    assert response.status_code == 302
    assert Visit.objects.get().recorded_by == cover_cook


def test_someone_who_is_not_a_cook_is_refused(login_as, meal, coordinator_a):
    assert login_as(coordinator_a).get(url(meal)).status_code == 403


def test_a_visit_is_recorded_once(login_as, meal):
    client = login_as(meal.cook)
    client.post(url(meal), answers())

    response = client.post(url(meal), answers(outcome="cook_could_not"))

    assert response.status_code == 302 and response["Location"] == url(meal)
    assert Visit.objects.get().outcome == "delivered"
    html = client.get(url(meal)).content.decode()
    assert 'id="visit-summary"' in html and 'id="visit-form"' not in html
    with pytest.raises(RelationshipError, match="already recorded"):
        visits.record_visit(cook=meal.cook, meal=meal, **_service_answers())


def _service_answers(**changes) -> dict:
    values = {"outcome": "delivered", "minutes": 30, "wellbeing": {}, "notes": {}, "note": ""}
    return values | changes


def test_the_service_checks_minutes_and_answers(meal):
    with pytest.raises(RelationshipError):
        visits.record_visit(cook=meal.cook, meal=meal, **_service_answers(minutes=None))
    with pytest.raises(RelationshipError):
        visits.record_visit(cook=meal.cook, meal=meal, **_service_answers(minutes=601))
    with pytest.raises(RelationshipError):
        visits.record_visit(cook=meal.cook, meal=meal, **_service_answers(wellbeing={"health": "grand"}))
    with pytest.raises(RelationshipError):
        visits.record_visit(cook=meal.cook, meal=meal, **_service_answers(outcome="lost"))
    assert not Visit.objects.exists()


def test_no_answer_takes_the_cook_to_what_to_do_now(login_as, meal):
    response = login_as(meal.cook).post(url(meal), answers(outcome="no_answer", minutes=""))
    visit = Visit.objects.get()
    assert response["Location"] == f"/en/cook/visits/{visit.pk}/no-answer/"


# The cook's meal pages ---------------------------------------------------------------------------------


def test_the_meal_page_offers_to_record_a_started_meal(login_as, meal):
    client = login_as(meal.cook)
    html = client.get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert 'id="record-visit"' in html and f'href="{url(meal)}"' in html

    client.post(url(meal), answers())
    html = client.get(f"/en/cook/meals/{meal.pk}/").content.decode()
    assert 'id="record-visit"' not in html and 'id="visit-recorded"' in html


def test_the_meals_page_marks_which_visits_to_record(login_as, visited_match):
    recorded = past_meal(visited_match, hours_ago=30)
    visits.record_visit(cook=visited_match.cook, meal=recorded, **_service_answers())
    html = login_as(visited_match.cook).get("/en/cook/meals/").content.decode()

    assert html.count('data-visit="record"') == 1 and f'href="{url(visited_match.past_meal)}"' in html
    assert html.count('data-visit="recorded"') == 1


# The meals page: 1. the session  2. the user  3.–4. django-otp's devices  5. the meals to come and
# 6. the past ones, each with its visit (select_related)  7. the cook's area for the "Need help?" block.
MEALS_QUERIES = 7


@pytest.mark.parametrize("count", [1, 20])
def test_the_meals_page_costs_the_same_queries_with_1_or_20_past_meals(
    login_as, visited_match, count, django_assert_num_queries
):
    for n in range(1, count):
        meal = past_meal(visited_match, hours_ago=2 + 24 * n)
        if n % 2:
            visits.record_visit(cook=visited_match.cook, meal=meal, **_service_answers())
    client = login_as(visited_match.cook)

    with django_assert_num_queries(MEALS_QUERIES):
        response = client.get("/en/cook/meals/")

    html = response.content.decode()
    assert html.count('data-visit="record"') + html.count('data-visit="recorded"') == count


# Overdue records ---------------------------------------------------------------------------------------


def test_an_overdue_visit_reminds_the_cook_once(visited_match):
    now = timezone.now()
    overdue = past_meal(visited_match, hours_ago=52)  # ended 51 hours ago
    past_meal(visited_match, hours_ago=48)  # ended 47 hours ago: not yet
    done = past_meal(visited_match, hours_ago=76)
    visits.record_visit(cook=visited_match.cook, meal=done, **_service_answers())
    past_meal(visited_match, hours_ago=100, status=Meal.Status.CANCELLED)

    assert visits.remind_overdue_visits(now=now) == 1
    assert visits.remind_overdue_visits(now=now) == 0  # run twice: once

    reminder = VisitReminder.objects.get()
    assert reminder.meal == overdue
    email = OutboundEmail.objects.get(pk=reminder.email_id)
    assert email.to == visited_match.cook.email
    assert f"/en/cook/meals/{overdue.pk}/visit/" in email.body
    assert "Edie" in email.subject


def test_the_reminder_is_in_the_cooks_language(visited_match):
    cook = visited_match.cook
    cook.preferred_language = "ja"
    cook.save(update_fields=["preferred_language"])
    overdue = past_meal(visited_match, hours_ago=52)

    visits.remind_overdue_visits()

    email = VisitReminder.objects.get(meal=overdue).email
    assert f"/ja/cook/meals/{overdue.pk}/visit/" in email.body


def test_overdue_visits_show_to_the_coordinators_of_the_area(visited_match, coordinator_a, coordinator_b):
    overdue = past_meal(visited_match, hours_ago=52)
    past_meal(visited_match, hours_ago=30)

    assert visits.overdue_visits(areas_for_coordinator(coordinator_a)) == [overdue]
    assert visits.overdue_visits_count(areas_for_coordinator(coordinator_a)) == 1
    assert visits.overdue_visits(areas_for_coordinator(coordinator_b)) == []

    visits.record_visit(cook=visited_match.cook, meal=overdue, **_service_answers())
    assert visits.overdue_visits(areas_for_coordinator(coordinator_a)) == []


def test_a_recorded_visit_is_not_overdue_even_late(login_as, visited_match):
    late = past_meal(visited_match, hours_ago=80)
    visits.remind_overdue_visits()
    response = login_as(visited_match.cook).post(url(late), answers())
    assert response.status_code == 302
    assert visits.overdue_visits_count(Area.objects.filter(pk=visited_match.diner.area_id)) == 0


def test_the_coordinators_home_counts_overdue_visits(login_as, visited_match, coordinator_a):
    overdue = past_meal(visited_match, hours_ago=52)

    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    line = html.split('id="visits-overdue">')[1].split("</li>\n")[0]
    assert "1 visit not recorded 48 hours after the meal" in " ".join(line.split())
    assert f'href="/en/coordinator/meals/{overdue.pk}/"' in line
