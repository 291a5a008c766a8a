"""Closing an account: Cathy (an active cook in area A) closes hers. Her match with Edie is handed to Ada,
area A's coordinator, who is told; her offer to another diner is withdrawn; the meals still to come are
called off; she cannot sign in again and her open session stops. Rita (a referrer) closing hers stops
her acting for Edie. Coordinators' accounts are closed by an administrator."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.people.models import User
from casserole.models import AuditEntry, Channel
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match, MatchChangeRequest
from meals.rights import closing
from meals.rights.errors import RightsError
from meals.schedule.models import Meal
from tests.conftest import is_signed_in, sign_in
from tests.factories import DinerFactory, MatchFactory
from tests.meals.schedule.conftest import make_active_match

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def meal(match, *, days: float, cook=None) -> Meal:
    start = timezone.now() + timedelta(days=days)
    return Meal.objects.create(
        match=match,
        cook=cook or match.cook,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        dish="Fish pie",
        status=Meal.Status.CONFIRMED,
    )


@pytest.fixture
def matched(active_cook, diner, area_a):
    """Cathy cooks for Edie (active, a meal tomorrow and one last week) and has offered to cook for Bert."""
    match = make_active_match(active_cook, diner)
    match.tomorrow, match.last_week = meal(match, days=1), meal(match, days=-7)
    offer = MatchFactory(
        cook=active_cook, diner=DinerFactory(area=area_a, status=Diner.Status.ACTIVE, full_name="Bert X")
    )
    return match, offer


def test_closing_hands_the_cooks_matches_to_the_coordinator_and_calls_off_the_meals(
    matched, active_cook, coordinator_a, django_capture_on_commit_callbacks
):
    match, offer = matched
    MatchChangeRequest.objects.create(match=match, kind="pause", requested_by=active_cook, reason="Busy")

    with django_capture_on_commit_callbacks(execute=True):
        closing.close_account(user=active_cook, by=active_cook, reason="Moving away")

    match.refresh_from_db()
    offer.refresh_from_db()
    assert (match.status, match.reason, match.ended_at is not None) == (Match.Status.ENDED, "Moving away", True)
    assert offer.status == Match.Status.WITHDRAWN
    assert not MatchChangeRequest.objects.filter(resolved_at__isnull=True).exists()
    match.tomorrow.refresh_from_db()
    match.last_week.refresh_from_db()
    assert (match.tomorrow.status, match.tomorrow.cancel_reason) == (Meal.Status.CANCELLED, "match_ended")
    assert match.last_week.status == Meal.Status.CONFIRMED  # the past stays as it was
    user = User.objects.get(pk=active_cook.pk)
    assert user.closed_at is not None and user.is_active is False
    [told] = [message for message in mail.outbox if coordinator_a.email in message.to]
    assert "Cathy Cook has closed their account" in told.subject
    assert "Edie" in told.body and f"/en/coordinator/matches/{match.pk}/" in told.body
    assert "Bert" in told.body and "the offer was withdrawn" in told.body
    closed = AuditEntry.objects.get(action="account_closed")
    assert closed.detail["matches_ended"] == [match.pk, offer.pk] and closed.detail["reason"] == "Moving away"
    assert AuditEntry.objects.filter(action="match_ended", object_id=str(match.pk)).count() == 1
    assert AuditEntry.objects.filter(action="match_withdrawn", object_id=str(offer.pk)).count() == 1


def test_a_meal_the_cook_covers_for_another_cook_is_called_off_too(matched, active_cook, second_cook, area_a):
    other = make_active_match(second_cook, DinerFactory(area=area_a, status=Diner.Status.ACTIVE))
    covered = meal(other, days=2, cook=active_cook)

    closing.close_account(user=active_cook, by=active_cook)

    covered.refresh_from_db()
    assert (covered.status, covered.cancel_reason) == (Meal.Status.CANCELLED, "cook_cannot")
    other.refresh_from_db()
    assert other.status == Match.Status.ACTIVE


def test_a_closed_account_cannot_sign_in_and_its_session_stops(client, active_cook, login_as):
    active_cook.set_password(PASSWORD)
    active_cook.save(update_fields=["password"])
    open_session = login_as(active_cook)
    assert open_session.get("/en/account/").status_code == 200

    closing.close_account(user=active_cook, by=active_cook)

    assert open_session.get("/en/account/").status_code == 302  # signed out: to the sign-in page
    response = sign_in(client, active_cook.email, PASSWORD)
    assert not is_signed_in(client)
    assert response.status_code == 302 and response.url.endswith("/accounts/inactive/")


def test_a_referrer_closing_stops_acting_for_the_diner_and_the_coordinator_is_told(
    diner, referrer, coordinator_a, login_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        closing.close_account(user=referrer, by=referrer)

    access = ProxyAccess.objects.get(diner=diner, referrer=referrer)
    assert access.revoked_at is not None and access.revoked_by == referrer
    [told] = [message for message in mail.outbox if coordinator_a.email in message.to]
    assert "Edie" in told.body and f"/en/coordinator/diners/{diner.pk}/" in told.body
    assert AuditEntry.objects.filter(action="proxy_revoked", object_id=str(diner.pk)).count() == 1


def test_a_coordinator_of_the_area_can_close_it_for_them_with_the_channel(active_cook, coordinator_a):
    closing.close_account(user=active_cook, by=coordinator_a, reason="Asked on the phone", channel=Channel.PHONE)

    entry = AuditEntry.objects.get(action="account_closed")
    assert (entry.actor, entry.channel) == (coordinator_a, "phone")


def test_another_areas_coordinator_cannot_close_it(active_cook, coordinator_b):
    with pytest.raises(RightsError):
        closing.close_account(user=active_cook, by=coordinator_b)
    assert User.objects.get(pk=active_cook.pk).closed_at is None


def test_a_coordinators_account_is_closed_by_an_administrator_only(coordinator_a):
    with pytest.raises(RightsError, match="administrator"):
        closing.close_account(user=coordinator_a, by=coordinator_a)


def test_closing_twice_is_refused(cook):
    closing.close_account(user=cook, by=cook)
    with pytest.raises(RightsError, match="already closed"):
        closing.close_account(user=cook, by=cook)
    assert AuditEntry.objects.filter(action="account_closed").count() == 1


@pytest.mark.parametrize("offers", [1, 3])
def test_closing_reads_and_writes_a_fixed_number_of_queries_plus_one_audit_entry_per_match(
    active_cook, area_a, offers, django_assert_num_queries
):
    for _n in range(offers):
        MatchFactory(cook=active_cook, diner=DinerFactory(area=area_a, status=Diner.Status.ACTIVE))
    user = User.objects.get(pk=active_cook.pk)
    # savepoint, lock the user, lock the live matches (with their diners, areas and cook), withdraw the
    # offers (none shares the diner's details, so nothing is ended and no meal of theirs called off), resolve
    # their change requests, call off meals the cook was to bring, one audit entry per match, the cook's
    # accesses to act for diners, save the user, its home area, the audit entry, the coordinators to tell,
    # their areas, one queued email, release the savepoint
    with django_assert_num_queries(14 + offers):
        closing.close_account(user=user, by=user)


# The pages --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_says_what_happens_and_links_to_the_download(matched, active_cook, login_as, lang):
    html = login_as(active_cook).get(f"/{lang}/my-account/close/").content.decode()

    assert f'href="/{lang}/my-data/"' in html
    assert 'id="matches"' in html and "Edie" in html and "Bert" in html


def test_the_account_page_links_to_closing(cook, coordinator_a, login_as):
    assert 'id="close-account-link"' in login_as(cook).get("/en/account/").content.decode()
    assert 'id="close-account-link"' not in login_as(coordinator_a).get("/en/account/").content.decode()


def test_closing_needs_the_confirmation_and_keeps_the_reason(cook, login_as):
    response = login_as(cook).post("/en/my-account/close/", {"reason": "Too busy"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Confirm that you understand you will not be able to sign in again" in html
    assert "Too busy</textarea>" in html
    assert User.objects.get(pk=cook.pk).closed_at is None


def test_closing_signs_out_and_shows_the_closed_page(cook, login_as):
    client = login_as(cook)
    response = client.post("/en/my-account/close/", {"reason": "", "confirm": "on", "is_active": "on"})

    assert response.status_code == 302 and response.url == "/en/my-account/closed/"
    assert not is_signed_in(client)
    assert "Your account is closed" in client.get(response.url).content.decode()
    assert User.objects.get(pk=cook.pk).is_active is False


def test_a_coordinator_is_told_to_ask_an_administrator(coordinator_a, login_as):
    client = login_as(coordinator_a)
    assert 'id="not-allowed"' in client.get("/en/my-account/close/").content.decode()
    client.post("/en/my-account/close/", {"confirm": "on"})
    assert User.objects.get(pk=coordinator_a.pk).closed_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/en/my-account/close/").status_code == 302


# The coordinator's page: closing a cook's account for them ---------------------------------------------------


def close_url(cook, lang: str = "en") -> str:
    return f"/{lang}/coordinator/cooks/{cook.pk}/close/"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_cooks_page_links_to_closing_and_the_page_lists_their_matches(
    matched, active_cook, coordinator_a, login_as, lang
):
    client = login_as(coordinator_a)
    detail = client.get(f"/{lang}/coordinator/cooks/{active_cook.pk}/").content.decode()
    assert f'id="close-account-link" href="{close_url(active_cook, lang)}"' in detail

    html = client.get(close_url(active_cook, lang)).content.decode()
    assert 'id="matches"' in html and "Edie" in html and "Bert X" not in html  # Bert's offer: his preferred name
    assert html.count("<li><bdi>") == 2  # Edie's match and Bert's offer
    assert 'name="channel" value="phone"' in html and 'id="not-allowed"' not in html
    if lang == "ja":
        assert "Edieさん" in html


def test_closing_needs_the_confirmation_and_keeps_what_was_typed(active_cook, coordinator_a, login_as):
    response = login_as(coordinator_a).post(close_url(active_cook), {"channel": "in_person", "reason": "Too busy"})
    html = response.content.decode()

    assert response.status_code == 200 and "There is a problem" in html
    assert "Confirm that they asked for this and know they will not be able to sign in" in html
    assert "Too busy</textarea>" in html and re.search(r'value="in_person"[^>]*checked', html)
    assert User.objects.get(pk=active_cook.pk).closed_at is None


def test_a_coordinator_closes_a_cooks_account_on_the_phone(
    matched, active_cook, coordinator_a, login_as, django_capture_on_commit_callbacks
):
    match, offer = matched
    client = login_as(coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(close_url(active_cook), {"channel": "phone", "reason": "Moving away", "confirm": "on"})

    assert response.status_code == 302 and response.url == f"/en/coordinator/cooks/{active_cook.pk}/"
    user = User.objects.get(pk=active_cook.pk)
    assert user.closed_at is not None and user.is_active is False
    match.refresh_from_db()
    offer.refresh_from_db()
    assert (match.status, match.reason, offer.status) == (Match.Status.ENDED, "Moving away", Match.Status.WITHDRAWN)
    closed = AuditEntry.objects.get(action="account_closed")
    assert (closed.actor, closed.channel, closed.detail["reason"]) == (coordinator_a, Channel.PHONE, "Moving away")
    assert any(coordinator_a.email in message.to for message in mail.outbox)

    page = client.get(response.url).content.decode()
    assert "Cathy Cook’s account is closed." in page and 'id="account-closed"' in page
    assert 'id="close-account-link"' not in page
    # Closing again: the page says when it was closed, and a second post changes nothing.
    again = client.get(close_url(active_cook)).content.decode()
    assert 'id="not-allowed"' in again and 'name="confirm"' not in again
    client.post(close_url(active_cook), {"channel": "phone", "confirm": "on"})
    assert AuditEntry.objects.filter(action="account_closed").count() == 1


def test_another_areas_coordinator_gets_not_found(active_cook, coordinator_b, login_as):
    client = login_as(coordinator_b)
    assert client.get(close_url(active_cook)).status_code == 404
    assert client.post(close_url(active_cook), {"channel": "phone", "confirm": "on"}).status_code == 404
    assert User.objects.get(pk=active_cook.pk).closed_at is None


def test_a_cook_who_is_also_a_coordinator_is_closed_by_an_administrator(active_cook, coordinator_a, login_as):
    User.objects.filter(pk=active_cook.pk).update(is_coordinator=True)
    client = login_as(coordinator_a)
    assert 'id="not-allowed"' in client.get(close_url(active_cook)).content.decode()
    client.post(close_url(active_cook), {"channel": "phone", "confirm": "on"})
    assert User.objects.get(pk=active_cook.pk).closed_at is None


def test_only_coordinators_may_open_it(active_cook, cook, login_as, client):
    assert login_as(cook).get(close_url(active_cook)).status_code in (302, 403, 404)
    assert client.get(close_url(active_cook)).status_code == 302
