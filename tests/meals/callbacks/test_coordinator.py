"""The coordinator's call-back pages: the queue of area A's requests and the outcome of each call.
Coordinator B looks after area B (Japan) and must never learn that area A's call-backs exist."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from casserole.models import AuditEntry
from meals.callbacks.models import CallbackRequest
from meals.referrals.models import ReferralDraft
from tests.conftest import page_body
from tests.meals.callbacks.conftest import make_callback

pytestmark = pytest.mark.django_db

# The call-back queue, whatever the number of requests:
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. the waiting call-backs with their areas (one select_related query)
#  6. the area for the "Need help?" block (context processor)
QUEUE_QUERIES = 6


def text(response) -> str:
    return unescape(response.content.decode())


# The queue -----------------------------------------------------------------------------------------


def test_the_queue_shows_the_areas_waiting_call_backs_oldest_first(login_as, coordinator_a, area_a, area_b):
    newest = make_callback(area_a, name="Newest Nell", phone="+442071230001")
    oldest = make_callback(
        area_a, name="Oldest Olive", phone="+442071230002", created_at=timezone.now() - timedelta(days=3)
    )
    make_callback(area_a, name="Done Doris", phone="+442071230003", outcome="not_needed", handled_at=timezone.now())
    make_callback(area_b, name="山田 花子", phone="+81334123456")

    html = text(login_as(coordinator_a).get("/en/coordinator/call-backs/"))

    assert html.index("Oldest Olive") < html.index("Newest Nell")
    assert "Done Doris" not in html and "山田" not in html
    assert '<dd class="govuk-summary-list__value" id="waiting-count">2</dd>' in html
    assert (
        f'href="/en/coordinator/call-backs/{oldest.pk}/"' in html
        and f'href="/en/coordinator/call-backs/{newest.pk}/"' in html
    )
    assert 'href="tel:+442071230001">020 7123 0001</a>' in html  # dialled as at home, called with one tap
    assert "E8 1DY" in html and "Mornings" in html and "Not on Tuesdays" in html
    assert "For <bdi>Edith O’Brien</bdi>" in html
    assert "3\xa0days ago" in html  # how long the oldest has waited (timesince joins with a no-break space)


def test_the_queue_of_area_b_shows_only_area_b(login_as, coordinator_b, area_a, area_b):
    make_callback(area_a, name="Nina Neighbour")
    make_callback(area_b, name="山田 花子", phone="+81334123456")
    html = text(login_as(coordinator_b).get("/ja/coordinator/call-backs/"))
    assert "山田 花子" in html and "03-3412-3456" in html
    assert "Nina" not in html


@pytest.mark.parametrize("count", [1, 20])
def test_the_queue_takes_the_same_queries_for_one_or_twenty(
    login_as, coordinator_a, area_a, count, django_assert_num_queries
):
    for n in range(count):
        make_callback(area_a, name=f"Caller {n}", phone=f"+4420712340{n:02d}")
    client = login_as(coordinator_a)

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get("/en/coordinator/call-backs/")

    assert text(response).count('href="/en/coordinator/call-backs/') == count


def test_the_coordinator_home_counts_the_call_backs_waiting(login_as, coordinator_a, area_a):
    make_callback(area_a, phone="+442071230001")
    make_callback(area_a, phone="+442071230002")
    make_callback(area_a, phone="+442071230003", outcome="unreachable", handled_at=timezone.now())
    html = text(login_as(coordinator_a).get("/en/coordinator/"))
    assert 'href="/en/coordinator/call-backs/"' in html
    assert 'id="callbacks-waiting">2 people waiting for a call</span>' in html


# One call-back --------------------------------------------------------------------------------------


def test_the_call_back_page_shows_what_they_told_us(login_as, coordinator_a, area_a):
    callback = make_callback(area_a, best_time_note="Let it ring")
    html = text(login_as(coordinator_a).get(f"/en/coordinator/call-backs/{callback.pk}/"))
    for shown in (
        "Nina Neighbour",
        "020 7123 4567",
        "Edith O’Brien",
        "E8 1DY",
        "12 Mare Street",
        "Mornings",
        "Let it ring",
    ):
        assert shown in html
    assert 'name="outcome"' in html


def test_another_areas_call_back_looks_exactly_like_a_missing_one(login_as, coordinator_b, area_a, area_b):
    callback = make_callback(area_a)
    client = login_as(coordinator_b)
    theirs_path, missing_path = f"/coordinator/call-backs/{callback.pk}/", "/coordinator/call-backs/987654/"
    for method in ("get", "post"):
        theirs = getattr(client, method)("/en" + theirs_path, {"outcome": "not_needed"})
        missing = getattr(client, method)("/en" + missing_path, {"outcome": "not_needed"})
        assert theirs.status_code == missing.status_code == 404
        # The pages differ only in the path they echo (in the language switch).
        assert page_body(theirs).replace(theirs_path, "PATH") == page_body(missing).replace(missing_path, "PATH")
    callback.refresh_from_db()
    assert callback.is_open


def test_recording_that_meals_are_not_needed_closes_the_call_back(login_as, coordinator_a, area_a):
    callback = make_callback(area_a)
    client = login_as(coordinator_a)

    response = client.post(
        f"/en/coordinator/call-backs/{callback.pk}/",
        {"outcome": "not_needed", "note": "Her son cooks now", "handled_by": "1", "area": "99"},
    )

    assert response.status_code == 302 and response["Location"] == "/en/coordinator/call-backs/"
    callback.refresh_from_db()
    assert (callback.outcome, callback.note, callback.handled_by, callback.area) == (
        "not_needed",
        "Her son cooks now",
        coordinator_a,
        area_a,
    )
    assert AuditEntry.objects.get(action="callback_handled").detail == {"outcome": "not_needed"}
    assert "You recorded the call with Nina Neighbour." in text(client.get(response["Location"]))


def test_wanting_meals_goes_on_to_a_phone_request_with_what_they_told_us(login_as, coordinator_a, area_a):
    callback = make_callback(area_a)
    client = login_as(coordinator_a)

    response = client.post(f"/en/coordinator/call-backs/{callback.pk}/", {"outcome": "referral"})

    assert response.status_code == 302 and response["Location"] == "/en/request/relationship/"
    draft = ReferralDraft.objects.get(owner=coordinator_a)
    assert draft.channel == "phone" and draft.data["full_name"] == "Edith O’Brien"
    html = text(client.get("/en/request/relationship/"))
    assert 'value="Nina Neighbour"' in html and 'value="020 7123 4567"' in html  # the caller, filled in
    assert "Now make their request for meals" in html


def test_an_outcome_must_be_chosen(login_as, coordinator_a, area_a):
    callback = make_callback(area_a)
    response = login_as(coordinator_a).post(f"/en/coordinator/call-backs/{callback.pk}/", {"note": "Tried twice"})
    html = text(response)
    assert response.status_code == 200 and "<title>Error:" in html
    assert '<a href="#id_outcome_0">Select what happened</a>' in html
    assert "Tried twice</textarea>" in html


def test_a_call_back_dealt_with_shows_its_outcome_and_cannot_be_changed(login_as, coordinator_a, area_a):
    callback = make_callback(area_a, outcome="unreachable", note="Three tries", handled_at=timezone.now())
    CallbackRequest.objects.filter(pk=callback.pk).update(handled_by=coordinator_a)
    client = login_as(coordinator_a)

    html = text(client.get(f"/en/coordinator/call-backs/{callback.pk}/"))
    assert "Could not reach them after trying" in html and "Three tries" in html and coordinator_a.full_name in html
    assert 'name="outcome"' not in html

    response = client.post(f"/en/coordinator/call-backs/{callback.pk}/", {"outcome": "not_needed"})
    assert response.status_code == 200
    assert "This call-back has already been dealt with." in text(response)
    callback.refresh_from_db()
    assert callback.outcome == "unreachable"
