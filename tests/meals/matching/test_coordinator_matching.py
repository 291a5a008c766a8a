"""The coordinator's side of matching: the offers queue, a match's page (approve, decline, mark the
introduction done), arranging the introduction in the area's time zone, pausing/resuming/ending, and
adding a second cook. Literal URLs, so a renamed route is caught."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from casserole.models import AuditEntry, OutboundEmail
from meals.diners import services
from meals.matching import services as matching
from meals.matching.forms import parse_time
from meals.matching.models import Match, MatchChangeRequest
from meals.referrals import services as referrals_services
from tests.conftest import page_body
from tests.factories import UserFactory
from tests.meals.conftest import make_active_cook, submit

pytestmark = pytest.mark.django_db


def another_diner(referrer, coordinator, **changes):
    """One more accepted diner in area A (E8), unmatched."""
    referral = submit(by=referrer, **changes)
    referrals_services.accept_referral(by=coordinator, referral=referral, scopes={"can_view_schedule": True})
    return referral.diner


@pytest.fixture
def offer(active_cook, diner):
    return matching.offer_to_cook(cook=active_cook, diner=diner, message="I live round the corner & love fish pie")


@pytest.fixture
def approved(offer, coordinator_a):
    return matching.approve_match(by=coordinator_a, match=offer)


@pytest.fixture
def live(approved, coordinator_a):
    return matching.mark_introduced(by=coordinator_a, match=approved)


@pytest.fixture
def coordinator(login_as, coordinator_a):
    return login_as(coordinator_a)


def next_year() -> int:
    return timezone.localdate().year + 1


# The offers queue ---------------------------------------------------------------------------------------


def test_queue_lists_offers_oldest_first_with_name_cook_distance_and_time(
    coordinator, active_cook, diner, referrer, coordinator_a
):
    other = another_diner(referrer, coordinator_a, full_name="Arthur Jones", preferred_name="Art")
    newer = matching.offer_to_cook(cook=active_cook, diner=diner)
    older = matching.offer_to_cook(cook=active_cook, diner=other)
    Match.objects.filter(pk=older.pk).update(offered_at=timezone.now() - timedelta(days=2))

    html = coordinator.get("/en/coordinator/offers/").content.decode()

    offers = html[html.index('id="offers"') : html.index("</table>", html.index('id="offers"'))]
    assert offers.index("Art") < offers.index("Edie")  # the longest wait first
    assert f'href="/en/coordinator/matches/{older.pk}/"' in offers
    assert f'href="/en/coordinator/matches/{newer.pk}/"' in offers
    assert offers.count("Cathy Cook") == 2
    assert "0.5 km" in offers  # the same postcode centre: rounded up to one step, never 0
    assert '<dd class="govuk-summary-list__value" id="offers-count">2</dd>' in html
    # The queue shows what the coordinator needs to decide, not the diner's private details.
    assert "O&#x27;Brien" not in html and "Mare Street" not in html


def test_queue_shows_distances_in_the_areas_unit(coordinator, offer, area_a):
    area_a.distance_unit = "mi"
    area_a.save(update_fields=["distance_unit"])
    assert "0.25 miles" in coordinator.get("/en/coordinator/offers/").content.decode()


def test_queue_lists_change_requests_and_introductions_to_arrange_with_counts(
    coordinator, approved, active_cook, referrer, coordinator_a
):
    matching.request_change(by=referrer, match=approved, kind="pause", reason="Mum is in hospital")

    html = coordinator.get("/en/coordinator/offers/").content.decode()

    changes = html[html.index('id="changes"') : html.index("</table>", html.index('id="changes"'))]
    assert "Edie" in changes and "Pause" in changes and "<bdi>Rita Referrer</bdi>, for the diner" in changes
    to_introduce = html[html.index('id="to-introduce"') : html.index("</table>", html.index('id="to-introduce"'))]
    assert f'href="/en/coordinator/matches/{approved.pk}/"' in to_introduce
    assert 'id="offers-count">0<' in html and 'id="changes-count">1<' in html
    assert 'id="to-introduce-count">1<' in html and 'id="introductions-count">0<' in html
    assert "No offers are waiting for a decision." in html


def test_queue_is_scoped_to_the_coordinators_areas(login_as, offer, coordinator_b, admin_user):
    html = login_as(coordinator_b).get("/en/coordinator/offers/").content.decode()
    assert "Edie" not in html and 'id="offers-count">0<' in html
    assert "Edie" in login_as(admin_user).get("/en/coordinator/offers/").content.decode()


# The offers queue, whatever the number of rows:
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. offers waiting, with diners, areas and cooks (one select_related query)
#  6. approved matches whose introduction is not arranged
#  7. introductions arranged
#  8. open requests to pause or end, with their matches, diners, areas, cooks and who asked
#  9. the four counts (one aggregate)
# 10. the area for the "Need help?" block (context processor)
QUEUE_QUERIES = 10


@pytest.mark.parametrize("count", [1, 20])
def test_queue_query_count_is_constant(
    login_as, active_cook, referrer, coordinator_a, count, django_assert_num_queries
):
    for n in range(count):
        proposed = another_diner(referrer, coordinator_a, preferred_name=f"Offered {n}")
        matching.offer_to_cook(cook=active_cook, diner=proposed)
        asked = another_diner(referrer, coordinator_a, preferred_name=f"Asked {n}")
        match = matching.approve_match(by=coordinator_a, match=matching.offer_to_cook(cook=active_cook, diner=asked))
        matching.request_change(by=active_cook, match=match, kind="end", reason="Moving away")
        introduced = another_diner(referrer, coordinator_a, preferred_name=f"Introduced {n}")
        match = matching.approve_match(
            by=coordinator_a, match=matching.offer_to_cook(cook=active_cook, diner=introduced)
        )
        matching.record_introduction(
            by=coordinator_a, match=match, method="by_phone", when=timezone.now() + timedelta(days=1)
        )
    client = login_as(coordinator_a)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get("/en/coordinator/offers/")
    html = response.content.decode()
    # Each list holds `count` rows: the "asked" matches are both a request and an introduction to arrange.
    assert len(set(html.split('href="/en/coordinator/matches/')[1:])) >= 3 * count
    assert f'id="changes-count">{count}<' in html and f'id="introductions-count">{count}<' in html


def test_queue_is_get_only(coordinator):
    assert coordinator.post("/en/coordinator/offers/").status_code == 405


# A match's page ---------------------------------------------------------------------------------------------


def test_match_page_shows_the_diner_the_cooks_standing_the_offer_and_the_history(coordinator, offer, diner):
    html = coordinator.get(f"/en/coordinator/matches/{offer.pk}/").content.decode()
    assert "Edie" in html and "Hackney" in html and "E8" in html
    assert f'href="/en/coordinator/diners/{diner.pk}/"' in html
    assert "Mare Street" not in html  # the full record is one click away, and audited there
    assert "Document seen in person: approved" in html
    assert "Valid until" in html and "Yes, active" in html
    cook_others = html[
        html.index('id="cook-other-matches"') : html.index("</dd>", html.index('id="cook-other-matches"'))
    ]
    assert "None" in cook_others
    assert "0.5 km" in html and "I live round the corner &amp; love fish pie" in html
    assert "The cook offered" in html  # the history
    assert "Approve this offer" in html and "Do not approve this offer" in html
    assert f'href="/en/coordinator/cooks/{offer.cook_id}/"' in html


def test_match_page_flags_an_expiring_certificate_and_other_matches(
    coordinator, offer, active_cook, referrer, coordinator_a
):
    other = another_diner(referrer, coordinator_a, preferred_name="Art")
    matching.offer_to_cook(cook=active_cook, diner=other)
    active_cook.certificates.update(expires_at=timezone.now() + timedelta(days=10))
    html = coordinator.get(f"/en/coordinator/matches/{offer.pk}/").content.decode()
    assert "Expires soon" in html
    others = html[html.index('id="cook-other-matches"') : html.index("</dd>", html.index('id="cook-other-matches"'))]
    assert "1 other match at the moment" in others and "Art" in others


def test_match_page_flags_an_expired_certificate_and_approval_is_refused(coordinator, offer, active_cook):
    active_cook.certificates.update(expires_at=timezone.now() - timedelta(days=1))
    url = f"/en/coordinator/matches/{offer.pk}/"
    html = coordinator.get(url).content.decode()
    assert "Expired" in html and "No, not active" in html

    response = coordinator.post(url, {"action": "approve"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html and "There is a problem" in html and "not active any more" in html
    assert html.count('id="form-non-field-errors"') == 1 and 'href="#form-non-field-errors"' in html
    offer.refresh_from_db()
    assert offer.status == "proposed"


def test_match_page_shows_an_open_change_request_with_who_asked_and_why(coordinator, live, active_cook):
    matching.request_change(by=active_cook, match=live, kind="end", reason="I am moving to Leeds")
    html = coordinator.get(f"/en/coordinator/matches/{live.pk}/").content.decode()
    request = html[html.index('id="change-request"') : html.index("</div>", html.index('id="change-request"'))]
    assert "Asked to end this match" in request and "<bdi>Cathy Cook</bdi> (the cook) asked" in request
    assert "I am moving to Leeds" in request
    for action in ("pause", "end"):
        assert f'href="/en/coordinator/matches/{live.pk}/status/{action}/"' in html
    assert f'href="/en/coordinator/matches/{live.pk}/status/resume/"' not in html


# The match page, whatever the cook's other matches and the length of the history:
#  1-4. session, user, authenticator, coordinated areas (as above)
#  5. the match with its diner, area, cook and who decided (meals.diners.access)
#  6. the cook's identity checks
#  7. the cook's latest certificate
#  8. the cook's other live matches with their diners
#  9. an open request to pause or end, with who asked
# 10. the match's history with who did each thing
# 11-12. is the cook active: their profile's status, a valid certificate (accounts.onboarding.eligibility)
# 13. the area for the "Need help?" block
MATCH_PAGE_QUERIES = 13


@pytest.mark.parametrize("count", [1, 5])
def test_match_page_query_count_is_constant(
    login_as, live, active_cook, referrer, coordinator_a, count, django_assert_num_queries
):
    for n in range(1, count):
        other = another_diner(referrer, coordinator_a, preferred_name=f"Other {n}")
        matching.offer_to_cook(cook=active_cook, diner=other)
        matching.change_match(by=coordinator_a, match=live, action="pause", reason=f"Away {n}")
        matching.change_match(by=coordinator_a, match=live, action="resume", reason="Back")
    client = login_as(coordinator_a)
    with django_assert_num_queries(MATCH_PAGE_QUERIES):
        response = client.get(f"/en/coordinator/matches/{live.pk}/")
    assert len(re.findall(r">Other [0-9]+<", response.content.decode())) == count - 1


def test_approving_emails_the_cook_and_the_referrer_with_the_cooks_first_name(coordinator, offer, referrer):
    response = coordinator.post(f"/en/coordinator/matches/{offer.pk}/", {"action": "approve"})

    assert response.status_code == 302 and response["Location"] == f"/en/coordinator/matches/{offer.pk}/"
    offer.refresh_from_db()
    assert offer.status == "approved" and offer.shares_details
    assert OutboundEmail.objects.filter(to="cook@example.org", subject__contains="you can cook for Edie").exists()
    to_referrer = OutboundEmail.objects.get(to=referrer.email, subject__contains="found a cook")
    assert "Cathy" in to_referrer.body and "Cathy Cook" not in to_referrer.body
    html = coordinator.get(response["Location"]).content.decode()
    assert "You approved Cathy Cook to cook for Edie." in html
    assert "Arrange the introduction" in html


def test_declining_needs_a_reason_and_keeps_what_was_typed(coordinator, offer):
    url = f"/en/coordinator/matches/{offer.pk}/"
    response = coordinator.post(url, {"action": "decline", "reason": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html and "Enter the reason, so the cook knows why" in html
    assert 'href="#id_reason"' in html
    offer.refresh_from_db()
    assert offer.status == "proposed"

    response = coordinator.post(url, {"action": "decline", "reason": "Let us talk first", "status": "active"})

    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.reason) == ("declined", "Let us talk first")
    assert OutboundEmail.objects.filter(to="cook@example.org", subject__contains="about your offer").exists()


def test_an_unknown_action_changes_nothing(coordinator, offer):
    response = coordinator.post(f"/en/coordinator/matches/{offer.pk}/", {"action": "end"}, follow=True)
    assert "Choose what to do with this match" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == "proposed"


def test_a_coordinator_cannot_approve_their_own_offer_on_the_page(login_as, offer, coordinator_a, active_cook):
    # A coordinator who also cooks: the page hides the decision (the cook pages are another helper's).
    active_cook.is_coordinator = True
    active_cook.save(update_fields=["is_coordinator"])
    from accounts.people.models import CoordinatorMembership
    from tests.factories import add_totp

    CoordinatorMembership.objects.create(user=active_cook, area=coordinator_a.coordinator_memberships.get().area)
    add_totp(active_cook)
    html = login_as(active_cook).get(f"/en/coordinator/matches/{offer.pk}/").content.decode()
    assert "This is your own offer" in html and "Approve this offer" not in html


# The introduction ------------------------------------------------------------------------------------------


def introduction_data(*, year, month=7, day=1, at="14:30", method="with_coordinator"):
    return {
        "method": method,
        "date_day": str(day),
        "date_month": str(month),
        "date_year": str(year),
        "time": at,
    }


def test_introduction_is_stored_in_the_areas_time_zone(coordinator, approved, referrer):
    url = f"/en/coordinator/matches/{approved.pk}/introduction/"
    page = coordinator.get(url).content.decode()
    assert "The coordinator goes with the cook" in page and 'name="date_day"' in page and 'name="time"' in page

    response = coordinator.post(url, introduction_data(year=next_year()))

    assert response.status_code == 302 and response["Location"] == f"/en/coordinator/matches/{approved.pk}/"
    approved.refresh_from_db()
    expected = datetime(next_year(), 7, 1, 14, 30, tzinfo=ZoneInfo("Europe/London"))
    assert (approved.status, approved.introduction_method) == ("introduced", "with_coordinator")
    assert approved.introduction_at == expected and approved.introduction_at.utcoffset() is not None
    assert OutboundEmail.objects.filter(to="cook@example.org", subject__contains="first visit").exists()
    assert OutboundEmail.objects.filter(to=referrer.email, subject__contains="first visit").exists()
    html = coordinator.get(response["Location"]).content.decode()
    assert "Introduction arranged." in html and f"1 July {next_year()}, 2:30pm" in html


def test_a_japanese_area_keeps_tokyo_time_and_full_width_digits_are_fine(coordinator, approved, area_a):
    area_a.time_zone = "Asia/Tokyo"
    area_a.save(update_fields=["time_zone"])
    data = introduction_data(year=next_year(), at="１４：３０")
    data["date_day"], data["date_month"] = "１", "７"

    response = coordinator.post(f"/en/coordinator/matches/{approved.pk}/introduction/", data)

    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.introduction_at == datetime(next_year(), 7, 1, 14, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert approved.introduction_at.astimezone(ZoneInfo("UTC")).hour == 5
    # Shown back in the area's own time, not the server's.
    html = coordinator.get(f"/en/coordinator/matches/{approved.pk}/").content.decode()
    when = html[html.index('id="introduction-when"') : html.index("</dd>", html.index('id="introduction-when"'))]
    assert "2:30pm" in when
    form = coordinator.get(f"/en/coordinator/matches/{approved.pk}/introduction/").content.decode()
    assert 'value="14:30"' in form and "as the clocks show them in Area A" in form


def test_introduction_errors_keep_what_was_typed(coordinator, approved):
    url = f"/en/coordinator/matches/{approved.pk}/introduction/"
    response = coordinator.post(url, introduction_data(year=next_year(), at="25:99", method=""))
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in html
    assert "Select how the introduction will happen" in html and "Enter a real time, for example 14:30" in html
    assert 'value="25:99"' in html and f'value="{next_year()}"' in html

    past = introduction_data(year=timezone.localdate().year - 1)
    html = coordinator.post(url, past).content.decode()
    assert "The introduction must be today or later" in html
    html = coordinator.post(url, introduction_data(year=next_year(), month=2, day=30)).content.decode()
    assert "Enter a real date" in html
    approved.refresh_from_db()
    assert approved.status == "approved" and approved.introduction_at is None


def test_introduction_page_of_a_proposed_match_sends_back_to_the_match(coordinator, offer):
    response = coordinator.get(f"/en/coordinator/matches/{offer.pk}/introduction/")
    assert response.status_code == 302 and response["Location"] == f"/en/coordinator/matches/{offer.pk}/"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", time(14, 30)),
        ("9.05", time(9, 5)),
        ("1430", time(14, 30)),
        ("14", time(14, 0)),
        ("2:30pm", time(14, 30)),
        ("2 PM", time(14, 0)),
        ("12am", time(0, 0)),
        ("12:15 p.m.", time(12, 15)),
        ("１４：３０", time(14, 30)),
        ("14時30分", time(14, 30)),
        ("午後2時半", time(14, 30)),
        ("午前９時", time(9, 0)),
        ("24:00", None),
        ("13pm", None),
        ("noon", None),
        ("", None),
    ],
)
def test_times_are_read_as_people_type_them(typed, expected):
    assert parse_time(typed) == expected


def test_marking_the_introduction_done_makes_the_match_active(coordinator, approved):
    matching.record_introduction(
        by=approved.decided_by, match=approved, method="by_phone", when=timezone.now() - timedelta(hours=2)
    )
    response = coordinator.post(f"/en/coordinator/matches/{approved.pk}/", {"action": "introduced"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == "active" and approved.active_since is not None
    html = coordinator.get(response["Location"]).content.decode()
    assert "The introduction is done" in html and "Pause this match" in html


def test_marking_done_twice_is_a_friendly_error(coordinator, live):
    response = coordinator.post(f"/en/coordinator/matches/{live.pk}/", {"action": "introduced"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This match has changed since you opened it" in html
    assert 'href="#form-non-field-errors"' in html and 'id="form-non-field-errors"' in html


# Pause, resume, end ---------------------------------------------------------------------------------------


def test_pause_resume_and_end_each_need_a_reason(coordinator, live, active_cook, referrer):
    base = f"/en/coordinator/matches/{live.pk}/status"
    matching.request_change(by=referrer, match=live, kind="pause", reason="Mum is in hospital")
    page = coordinator.get(f"{base}/pause/").content.decode()
    assert "<bdi>Rita Referrer</bdi>, who acts for the diner, asked to pause this match." in page

    html = coordinator.post(f"{base}/pause/", {"reason": "", "channel": "web"}).content.decode()
    assert "<title>Error:" in html and "Enter the reason" in html

    assert coordinator.post(f"{base}/pause/", {"reason": "In hospital", "channel": "phone"}).status_code == 302
    live.refresh_from_db()
    assert (live.status, live.reason) == ("paused", "In hospital") and live.shares_details
    assert MatchChangeRequest.objects.get().resolved_at is not None
    assert AuditEntry.objects.get(action="match_paused").channel == "phone"

    assert coordinator.post(f"{base}/resume/", {"reason": "Home again", "channel": "web"}).status_code == 302
    live.refresh_from_db()
    assert live.status == "active"

    page = coordinator.get(f"{base}/end/").content.decode()
    assert "will no longer see <bdi>Edie</bdi>’s address" in page and "govuk-button--warning" in page
    assert coordinator.post(f"{base}/end/", {"reason": "Moving away", "channel": "web"}).status_code == 302
    live.refresh_from_db()
    assert live.status == "ended" and not live.shares_details and live.ended_at is not None
    assert OutboundEmail.objects.filter(to="cook@example.org", subject__contains="has ended").exists()
    history = coordinator.get(f"/en/coordinator/matches/{live.pk}/").content.decode()
    assert "Moving away" in history and "Ended" in history


def test_a_change_not_allowed_now_sends_back_with_a_message(coordinator, offer):
    response = coordinator.get(f"/en/coordinator/matches/{offer.pk}/status/resume/", follow=True)
    assert "This match cannot be changed that way now." in response.content.decode()
    assert coordinator.post(f"/en/coordinator/matches/{offer.pk}/status/end/", {"reason": "x"}).status_code == 302
    offer.refresh_from_db()
    assert offer.status == "proposed"


def test_an_unknown_change_is_not_found(coordinator, live):
    assert coordinator.get(f"/en/coordinator/matches/{live.pk}/status/delete/").status_code == 404


# Another area's match or diner ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/en/coordinator/matches/{match}/",
        "/en/coordinator/matches/{match}/introduction/",
        "/en/coordinator/matches/{match}/status/end/",
        "/en/coordinator/diners/{diner}/second-cook/",
    ],
)
def test_another_areas_match_looks_like_one_that_does_not_exist(login_as, approved, coordinator_b, path):
    client = login_as(coordinator_b)
    theirs_path, missing_path = (
        path.format(match=approved.pk, diner=approved.diner_id),
        path.format(match=987654, diner=987654),
    )
    theirs, missing = client.get(theirs_path), client.get(missing_path)
    assert theirs.status_code == missing.status_code == 404
    # The pages differ only by their own address (in the language switcher).
    assert page_body(theirs).replace(theirs_path[3:], "PATH") == page_body(missing).replace(missing_path[3:], "PATH")
    posted = client.post(path.format(match=approved.pk, diner=approved.diner_id), {"action": "decline", "reason": "x"})
    assert posted.status_code == 404
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_pages_refuse_other_methods(coordinator, offer, diner):
    assert coordinator.put(f"/en/coordinator/matches/{offer.pk}/").status_code == 405
    assert coordinator.delete(f"/en/coordinator/matches/{offer.pk}/status/end/").status_code == 405
    assert coordinator.put(f"/en/coordinator/diners/{diner.pk}/second-cook/").status_code == 405


def test_cooks_and_referrers_cannot_reach_the_pages(login_as, offer, active_cook, referrer, client):
    for user in (active_cook, referrer):
        assert login_as(user).get(f"/en/coordinator/matches/{offer.pk}/").status_code == 403
    assert client.get("/en/coordinator/offers/").status_code == 302


# A second cook --------------------------------------------------------------------------------------------


def test_a_second_cook_can_be_added_for_a_diner_who_has_one(
    coordinator, live, diner, second_cook, coordinator_a, course
):
    make_active_cook(second_cook, coordinator=coordinator_a, course=course)
    url = f"/en/coordinator/diners/{diner.pk}/second-cook/"
    page = coordinator.get(url).content.decode()
    current = page[page.index('id="current-cooks"') : page.index("</ul>", page.index('id="current-cooks"'))]
    assert "Cathy Cook" in current
    assert "Colin Cook (0.5 km)" in page  # the cook already matched is not offered again

    response = coordinator.post(url, {"cook": str(second_cook.pk), "additional": "false", "status": "proposed"})

    added = Match.objects.get(diner=diner, cook=second_cook)
    assert response.status_code == 302 and response["Location"] == f"/en/coordinator/matches/{added.pk}/"
    assert (added.status, added.additional, added.decided_by) == ("approved", True, coordinator_a)
    assert OutboundEmail.objects.filter(to=second_cook.email, subject__contains="you can cook for Edie").exists()
    html = coordinator.get(response["Location"]).content.decode()
    assert "Colin Cook will also cook for Edie." in html and "Second cook" in html


def test_a_cook_who_is_not_active_cannot_be_added(coordinator, live, diner, second_cook, coordinator_a, course):
    from tests.onboarding import make_profile

    make_profile(second_cook)  # nearby, but not approved as a cook
    url = f"/en/coordinator/diners/{diner.pk}/second-cook/"
    assert "Colin Cook" not in coordinator.get(url).content.decode()
    cora = UserFactory(full_name="Cora Cook", email="cook3@example.org", is_cook=True, home_area=second_cook.home_area)
    third = make_active_cook(cora, coordinator=coordinator_a, course=course)
    assert "Cora Cook" in coordinator.get(url).content.decode()
    response = coordinator.post(url, {"cook": str(second_cook.pk)})

    assert response.status_code == 200
    assert "Select one of the cooks shown" in response.content.decode()
    assert not Match.objects.filter(cook=second_cook).exists()
    # One whose certificate ran out since the page was shown is refused too.
    third.certificates.update(expires_at=timezone.now() - timedelta(days=1))
    assert coordinator.post(url, {"cook": str(third.pk)}).status_code == 200
    assert not Match.objects.filter(cook=third).exists()


def test_second_cook_page_for_a_diner_without_a_cook_explains_and_adds_the_first(coordinator, diner, active_cook):
    url = f"/en/coordinator/diners/{diner.pk}/second-cook/"
    assert "<bdi>Edie</bdi> has no cook yet." in coordinator.get(url).content.decode()
    assert coordinator.post(url, {"cook": str(active_cook.pk)}).status_code == 302
    assert Match.objects.get(diner=diner).additional is False


def test_no_cook_can_be_added_for_a_paused_diner(coordinator, diner, active_cook, coordinator_a):
    services.change_diner_status(by=coordinator_a, diner=diner, action="pause", reason="In hospital")
    url = f"/en/coordinator/diners/{diner.pk}/second-cook/"
    assert "cooks can only be added for an active diner" in coordinator.get(url).content.decode()
    assert coordinator.post(url, {"cook": str(active_cook.pk)}).status_code == 200
    assert not Match.objects.exists()


# The coordinator's home ------------------------------------------------------------------------------------


def test_home_links_to_the_offers_queue_with_the_number_waiting(coordinator, offer):
    html = coordinator.get("/en/coordinator/").content.decode()
    assert 'href="/en/coordinator/offers/"' in html and "1 offer waiting for a decision" in html


def test_the_date_helper_is_not_confused_by_the_field_name():
    # The introduction form's date field is "date": its boxes are date_day, date_month, date_year.
    from meals.matching.forms import IntroductionForm

    form = IntroductionForm(introduction_data(year=next_year()), time_zone="Europe/London")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == date(next_year(), 7, 1)


# Who may reach what (the rows recommended for tests/test_access_matrix.py) ---------------------------------

OK, FOUND, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
PERSONAS = ("anonymous", "referrer", "cook", "coordinator_a", "coordinator_b", "admin_user")


def expect(default, **overrides):
    return dict.fromkeys(PERSONAS, default) | overrides


AREA_A_PAGE = expect(OK, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND)
AREA_A_REDIRECT = expect(FOUND, referrer=FORBIDDEN, cook=FORBIDDEN, coordinator_b=NOT_FOUND)
AREA_A_NOT_FOUND = expect(NOT_FOUND, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN)
MATRIX = [
    ("GET", "/en/coordinator/offers/", {}, expect(OK, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN)),
    ("POST", "/en/coordinator/offers/", {}, expect(NOT_ALLOWED, anonymous=FOUND, referrer=FORBIDDEN, cook=FORBIDDEN)),
    ("GET", "/en/coordinator/matches/{match_a}/", {}, AREA_A_PAGE),
    ("GET", "/en/coordinator/matches/987654/", {}, AREA_A_NOT_FOUND),
    ("POST", "/en/coordinator/matches/{match_a}/", {"action": "decline", "reason": ""}, AREA_A_PAGE),
    ("POST", "/en/coordinator/matches/{match_a}/", {"action": "approve"}, AREA_A_REDIRECT),
    ("GET", "/en/coordinator/matches/{match_a}/introduction/", {}, AREA_A_REDIRECT),  # not approved yet
    ("GET", "/en/coordinator/matches/{approved_match_a}/introduction/", {}, AREA_A_PAGE),
    ("POST", "/en/coordinator/matches/{approved_match_a}/introduction/", {"method": ""}, AREA_A_PAGE),
    ("GET", "/en/coordinator/matches/{approved_match_a}/status/end/", {}, AREA_A_PAGE),
    ("POST", "/en/coordinator/matches/{approved_match_a}/status/end/", {"reason": ""}, AREA_A_PAGE),
    ("GET", "/en/coordinator/matches/{match_a}/status/end/", {}, AREA_A_REDIRECT),  # an offer cannot end
    ("GET", "/en/coordinator/matches/{approved_match_a}/status/delete/", {}, AREA_A_NOT_FOUND),
    ("GET", "/en/coordinator/diners/{diner_a}/second-cook/", {}, AREA_A_PAGE),
    ("POST", "/en/coordinator/diners/{diner_a}/second-cook/", {"cook": "987654"}, AREA_A_PAGE),
]


@pytest.fixture
def matrix_clients(client, login_as, referrer, second_cook, coordinator_a, coordinator_b, admin_user):
    users = {
        "referrer": referrer,
        "cook": second_cook,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "admin_user": admin_user,
    }
    return {"anonymous": client} | {name: login_as(user) for name, user in users.items()}


def test_who_may_reach_the_matching_pages(matrix_clients, offer, active_cook, referrer, coordinator_a):
    from django.db import transaction

    other = another_diner(referrer, coordinator_a, preferred_name="Art")
    approved_other = matching.approve_match(
        by=coordinator_a, match=matching.offer_to_cook(cook=active_cook, diner=other)
    )
    objects = {"match_a": offer.pk, "approved_match_a": approved_other.pk, "diner_a": offer.diner_id}
    failures = []
    for method, path, data, expected in MATRIX:
        url = path.format(**objects)
        for name, persona_client in matrix_clients.items():
            with transaction.atomic():
                response = persona_client.generic(method, url) if not data else persona_client.post(url, data)
                transaction.set_rollback(True)
            if response.status_code != expected[name]:
                failures.append((method, path, name, response.status_code, expected[name]))
    assert failures == []
