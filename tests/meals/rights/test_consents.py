"""Withdrawing consent: Edie (area A) tells her coordinator she no longer agrees to one purpose, and it
stops at once wherever that purpose is used — the watch-report job, the feedback-by-phone list, the texts
to her emergency contact and her phone number on her cook's page, the loneliness due list and answers, and
Rita's access to act for her (her pages, concern emails). Each withdrawal is recorded with its channel."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from casserole import texts
from casserole.models import AuditEntry, Channel
from meals.diners.models import Diner, ProxyAccess
from meals.relationships import concerns, feedback, loneliness, watch
from meals.relationships.errors import RelationshipError
from meals.relationships.models import Concern, MeasureConsent, Visit, WatchRecipient, WatchReport
from meals.rights import consents
from meals.rights.errors import RightsError
from meals.rights.models import ConsentWithdrawal, Purpose
from meals.schedule.models import Meal
from tests.factories import ProxyAccessFactory
from tests.meals.schedule.conftest import make_active_match

pytestmark = pytest.mark.django_db


def recipient(diner, email="sarah@example.org", **fields) -> WatchRecipient:
    return WatchRecipient.objects.create(
        diner=diner,
        name="Sarah Bennett",
        email=email,
        frequency=WatchRecipient.Frequency.EACH_VISIT,
        approved_channel=Channel.PHONE,
        added_at=timezone.now() - timedelta(days=3),
        shared_items=["health"],
        **fields,
    )


def visit(match, days_ago: float = 1) -> Visit:
    start = timezone.now() - timedelta(days=days_ago)
    meal = Meal.objects.create(
        match=match,
        cook=match.cook,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        dish="Fish pie",
        status=Meal.Status.CONFIRMED,
    )
    return Visit.objects.create(
        meal=meal,
        match=match,
        recorded_by=match.cook,
        recorded_at=start + timedelta(hours=2),
        outcome=Visit.Outcome.DELIVERED,
        minutes_stayed=30,
        wellbeing={"health": "usual"},
    )


def withdraw(diner, purpose, by, channel=Channel.PHONE):
    return consents.withdraw_consent(diner=diner, purpose=purpose, by=by, channel=channel)


# Each purpose stops at once ---------------------------------------------------------------------------------


def test_withdrawing_watch_reports_stops_every_recipient_and_the_job_sends_nothing(
    diner, active_cook, coordinator_a, django_capture_on_commit_callbacks
):
    first, second = recipient(diner), recipient(diner, email="tom@example.org")
    match = make_active_match(active_cook, diner)
    visit(match)

    withdrawal = withdraw(diner, Purpose.WATCH_REPORTS, coordinator_a)

    assert (withdrawal.purpose, withdrawal.channel, withdrawal.withdrawn_by) == (
        Purpose.WATCH_REPORTS,
        Channel.PHONE,
        coordinator_a,
    )
    for row in (first, second):
        row.refresh_from_db()
        assert row.stopped_at == withdrawal.withdrawn_at and row.stopped_by == coordinator_a
    with django_capture_on_commit_callbacks(execute=True):
        assert watch.send_watch_reports() == {"reports": 0, "already_sent": 0}
    assert not WatchReport.objects.exists() and mail.outbox == []
    entry = AuditEntry.objects.get(action="consent_withdrawn")
    assert (entry.channel, entry.detail) == ("phone", {"purpose": "watch_reports", "recipients_stopped": 2})


def test_withdrawing_phone_calls_takes_them_off_the_phone_list_the_texts_and_the_cooks_page(
    diner, active_cook, coordinator_a, area_a, login_as
):
    ProxyAccess.objects.filter(diner=diner).update(can_give_feedback=False)  # nobody gives it online
    Diner.objects.filter(pk=diner.pk).update(concerns_to_emergency_contact=True)
    diner.refresh_from_db()
    match = make_active_match(active_cook, diner)
    visit(match)
    assert feedback.feedback_due_by_phone([area_a]) == [match]
    assert "020 7123 4567" in login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()

    withdraw(diner, Purpose.PHONE_CALLS, coordinator_a, channel=Channel.IN_PERSON)

    assert feedback.feedback_due_by_phone([area_a]) == []
    diner.refresh_from_db()
    assert diner.phone_calls_withdrawn_at is not None
    assert diner.concerns_to_emergency_contact is False
    assert Diner.Share.PHONE not in diner.share_with_cook
    assert Diner.Share.ADDRESS in diner.share_with_cook  # only the phone goes
    assert "020 7123 4567" not in login_as(active_cook).get(f"/en/cook/matches/{match.pk}/").content.decode()


def test_after_withdrawing_phone_calls_a_concern_texts_nobody(diner, coordinator_a):
    Diner.objects.filter(pk=diner.pk).update(concerns_to_emergency_contact=True)
    diner.refresh_from_db()
    withdraw(diner, Purpose.PHONE_CALLS, coordinator_a)

    concerns.raise_concern(by=coordinator_a, diner=diner, level=Concern.Level.URGENT, text="Fell over")

    assert texts.outbox == []


def test_phone_calls_can_be_agreed_to_again(diner, active_cook, coordinator_a, area_a):
    ProxyAccess.objects.filter(diner=diner).update(can_give_feedback=False)
    match = make_active_match(active_cook, diner)
    visit(match)
    withdraw(diner, Purpose.PHONE_CALLS, coordinator_a)

    consents.agree_to_phone_calls(diner=diner, by=coordinator_a, channel=Channel.PHONE)

    assert feedback.feedback_due_by_phone([area_a]) == [match]
    assert AuditEntry.objects.filter(action="consent_given_again", channel="phone").count() == 1
    with pytest.raises(RightsError):
        consents.agree_to_phone_calls(diner=diner, by=coordinator_a, channel=Channel.PHONE)


def test_withdrawing_the_loneliness_questions_takes_them_off_the_due_list_and_refuses_answers(
    diner, coordinator_a, area_a
):
    loneliness.set_measure_consent(by=coordinator_a, diner=diner, given=True, channel=Channel.PHONE)
    assert list(loneliness.loneliness_due([area_a])) == [diner]

    withdraw(diner, Purpose.LONELINESS, coordinator_a)

    assert list(loneliness.loneliness_due([area_a])) == []
    consent = MeasureConsent.objects.get(diner=diner)
    assert (consent.given, consent.channel, consent.recorded_by) == (False, "phone", coordinator_a)
    with pytest.raises(RelationshipError):
        loneliness.record_loneliness(by=coordinator_a, diner=diner, answers={})


def test_withdrawing_contact_with_the_referrer_ends_their_access_and_their_emails(
    diner, referrer, coordinator_a, login_as, django_capture_on_commit_callbacks
):
    assert login_as(referrer).get(f"/en/diners/{diner.pk}/").status_code == 200

    withdraw(diner, Purpose.REFERRER_CONTACT, coordinator_a)

    assert login_as(referrer).get(f"/en/diners/{diner.pk}/").status_code == 404
    access = ProxyAccess.objects.get(diner=diner, referrer=referrer)
    assert access.revoked_by == coordinator_a and access.revoked_at is not None
    diner.refresh_from_db()
    assert diner.concerns_to_referrer is False
    with django_capture_on_commit_callbacks(execute=True):
        concerns.raise_concern(by=coordinator_a, diner=diner, level=Concern.Level.WORRIED, text="Seemed low")
    assert [message for message in mail.outbox if referrer.email in message.to] == []


# Refusals ---------------------------------------------------------------------------------------------------


def test_withdrawing_what_they_never_agreed_to_is_refused(diner, coordinator_a):
    with pytest.raises(RightsError, match="nothing to withdraw"):
        withdraw(diner, Purpose.WATCH_REPORTS, coordinator_a)
    with pytest.raises(RightsError, match="nothing to withdraw"):
        withdraw(diner, Purpose.LONELINESS, coordinator_a)
    assert not ConsentWithdrawal.objects.exists()


def test_another_areas_coordinator_cannot_withdraw(diner, coordinator_b):
    recipient(diner)
    with pytest.raises(RightsError):
        withdraw(diner, Purpose.WATCH_REPORTS, coordinator_b)
    assert WatchRecipient.objects.filter(stopped_at__isnull=True).count() == 1


def test_an_unknown_purpose_or_channel_is_refused(diner, coordinator_a):
    with pytest.raises(RightsError):
        withdraw(diner, "newsletters", coordinator_a)
    with pytest.raises(RightsError):
        withdraw(diner, Purpose.REFERRER_CONTACT, coordinator_a, channel="pigeon")


# Query counts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_withdrawing_watch_reports_takes_six_queries_whatever_the_number_of_recipients(
    diner, coordinator_a, count, django_assert_num_queries
):
    for n in range(count):
        recipient(diner, email=f"person{n}@example.org")
    diner = Diner.objects.select_related("area").get(pk=diner.pk)
    # savepoint, the coordinator's areas, lock the diner, stop the recipients, insert the withdrawal,
    # insert the audit entry, release the savepoint
    with django_assert_num_queries(7):
        withdraw(diner, Purpose.WATCH_REPORTS, coordinator_a)
    assert WatchRecipient.objects.filter(stopped_at__isnull=True).count() == 0


@pytest.mark.parametrize("count", [1, 20])
def test_withdrawing_referrer_contact_takes_the_same_queries_whatever_the_number_of_referrers(
    diner, coordinator_a, count, django_assert_num_queries
):
    for _n in range(count - 1):
        ProxyAccessFactory(diner=diner)
    diner = Diner.objects.select_related("area").get(pk=diner.pk)
    # savepoint, the coordinator's areas, lock the diner, revoke the accesses, save concerns_to_referrer,
    # insert the withdrawal, insert the audit entry, release the savepoint
    with django_assert_num_queries(8):
        withdraw(diner, Purpose.REFERRER_CONTACT, coordinator_a)
    assert ProxyAccess.objects.filter(revoked_at__isnull=True).count() == 0


# The page ---------------------------------------------------------------------------------------------------


URL = "/{lang}/coordinator/diners/{pk}/consents/"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_shows_each_purpose_and_offers_only_those_agreed_to(diner, coordinator_a, login_as, lang):
    recipient(diner)
    html = login_as(coordinator_a).get(URL.format(lang=lang, pk=diner.pk)).content.decode()

    assert 'id="purpose-watch_reports"' in html and 'id="purpose-loneliness"' in html
    assert 'value="watch_reports"' in html and 'value="referrer_contact"' in html
    assert 'value="phone_calls"' in html
    assert 'value="loneliness"' not in html  # never agreed to: nothing to withdraw
    assert 'id="no-withdrawals"' in html


def test_another_areas_coordinator_gets_404(diner, coordinator_b, login_as):
    assert login_as(coordinator_b).get(URL.format(lang="en", pk=diner.pk)).status_code == 404


def test_a_cook_or_referrer_gets_403(diner, referrer, cook, login_as):
    for user in (referrer, cook):
        assert login_as(user).get(URL.format(lang="en", pk=diner.pk)).status_code == 403


def test_posting_nothing_shows_the_error_summary(diner, coordinator_a, login_as):
    recipient(diner)
    response = login_as(coordinator_a).post(
        URL.format(lang="en", pk=diner.pk), {"action": "withdraw", "withdraw-channel": "in_person"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Select what they no longer agree to" in html
    assert html.count("<title>Error:") == 1
    assert re.search(r"value=\"in_person\"[^>]*checked", html), html[html.index("withdraw-channel") - 200 :][:1500]
    assert WatchRecipient.objects.filter(stopped_at__isnull=True).count() == 1


def test_posting_a_withdrawal_records_it_with_its_channel(diner, coordinator_a, login_as):
    recipient(diner)
    client = login_as(coordinator_a)
    response = client.post(
        URL.format(lang="en", pk=diner.pk),
        {"action": "withdraw", "withdraw-purpose": "watch_reports", "withdraw-channel": "phone"},
    )
    assert response.status_code == 302 and response.url == f"/en/coordinator/diners/{diner.pk}/consents/"
    assert ConsentWithdrawal.objects.get().channel == "phone"
    html = client.get(response.url).content.decode()
    assert 'id="withdrawals"' in html and "Watch reports to family" in html and "Ada Coordinator" in html


def test_posting_extra_fields_changes_nothing_else(diner, coordinator_a, login_as):
    recipient(diner)
    login_as(coordinator_a).post(
        URL.format(lang="en", pk=diner.pk),
        {
            "action": "withdraw",
            "withdraw-purpose": "watch_reports",
            "withdraw-channel": "phone",
            "status": "closed",
            "withdrawn_by": "1",
        },
    )
    diner.refresh_from_db()
    assert diner.status == Diner.Status.ACTIVE
    assert ConsentWithdrawal.objects.get().withdrawn_by == coordinator_a


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_reads_in_the_same_queries_whatever_the_number_of_withdrawals(
    diner, coordinator_a, login_as, count, django_assert_num_queries
):
    for _n in range(count):
        ConsentWithdrawal.objects.create(
            diner=diner, purpose=Purpose.LONELINESS, channel="phone", withdrawn_by=coordinator_a
        )
    client = login_as(coordinator_a)
    # session, user, the second factor's device, the coordinator's areas, the diner, live watch recipients,
    # the loneliness consent, live proxies, the withdrawals with who recorded them, the coordinator's first
    # area (the page's "Need help?" block)
    with django_assert_num_queries(10):
        assert client.get(URL.format(lang="en", pk=diner.pk)).status_code == 200
