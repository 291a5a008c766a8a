"""Asking to be phoned, the outcome of the call and forgetting: meals.callbacks.services. Area A covers
E8; the visitor has no account."""

import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from casserole.models import AuditEntry, OutboundEmail
from meals.callbacks import services
from meals.callbacks.models import CallbackRequest
from meals.referrals.models import Referral, ReferralDraft
from tests.meals.callbacks.conftest import details, human_started, make_callback, post_request

pytestmark = pytest.mark.django_db


def ask(*, request=None, started=None, honeypot="", **changes):
    return services.request_callback(
        details=details(**changes),
        honeypot=honeypot,
        started=human_started() if started is None else started,
        request=post_request() if request is None else request,
    )


# Asking ----------------------------------------------------------------------------------------------


def test_a_request_in_an_area_is_stored_with_its_area_and_audited(covered_area_a):
    received = ask()

    assert received.area == covered_area_a
    callback = CallbackRequest.objects.get()
    assert (callback.area, callback.name, callback.phone, callback.postcode) == (
        covered_area_a,
        "Nina Neighbour",
        "+442071234567",
        "E8 1DY",
    )
    assert (callback.for_whom, callback.diner_name, callback.language) == ("someone_else", "Edith O’Brien", "en")
    assert callback.is_open
    entry = AuditEntry.objects.get(action="callback_requested")
    assert (entry.object_id, entry.area, entry.actor, entry.ip) == (
        str(callback.pk),
        covered_area_a,
        None,
        "203.0.113.5",
    )
    assert "Nina" not in entry.object_label and "Edith" not in entry.object_label


def test_the_areas_coordinators_are_emailed_a_link_and_no_personal_details(
    covered_area_a, coordinator_a, coordinator_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask()

    callback = CallbackRequest.objects.get()
    assert [message.to for message in mail.outbox] == [[coordinator_a.email]]
    message = mail.outbox[0]
    assert message.subject == "Casserole: a call-back request in Area A"
    assert f"/en/coordinator/call-backs/{callback.pk}/" in message.body
    for personal in ("Nina", "Edith", "7123", "E8", "Mare Street", "Tuesdays"):
        assert personal not in message.body + message.subject


def test_the_request_of_someone_asking_for_themselves_keeps_no_other_name(covered_area_a):
    ask(for_whom="self", diner_name="Leftover Name", diner_agrees=False)
    assert CallbackRequest.objects.get().diner_name == ""


def test_a_postcode_outside_every_area_stores_nothing(covered_area_a, coordinator_a):
    received = ask(postcode="SW1A 1AA")

    assert received.area is None
    assert not CallbackRequest.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": False}, "Tick the box to agree that we may phone you and keep these details"),
        ({"diner_agrees": False}, "We can only phone about someone else’s meals if they know and agree"),
        ({"diner_name": ""}, "We can only phone about someone else’s meals if they know and agree"),
        ({"best_time": "midnight"}, "Answer every question on the page"),
    ],
)
def test_a_request_without_agreement_or_an_answer_is_refused(covered_area_a, changes, message):
    with pytest.raises(services.CallbackError, match=message):
        ask(**changes)
    assert not CallbackRequest.objects.exists()


def test_asking_again_for_a_number_that_waits_for_a_call_adds_nothing(
    covered_area_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask()
        again = ask(name="Nina N", request=post_request("198.51.100.7"))

    assert again.area == covered_area_a
    assert CallbackRequest.objects.get().name == "Nina Neighbour"
    assert len(mail.outbox) == 1  # the coordinators are not told twice


def test_a_number_whose_call_was_dealt_with_may_ask_again(covered_area_a, coordinator_a):
    ask()
    services.record_callback_outcome(
        by=coordinator_a, callback=CallbackRequest.objects.get(), outcome=CallbackRequest.Outcome.UNREACHABLE
    )
    ask()
    assert CallbackRequest.objects.count() == 2


# Looking automated ----------------------------------------------------------------------------------


def test_a_filled_honeypot_stores_nothing_and_is_audited_with_the_reason_only(
    covered_area_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        received = ask(honeypot="https://spam.example")

    assert received.area == covered_area_a  # told exactly what a person is told
    assert not CallbackRequest.objects.exists()
    assert mail.outbox == []
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.detail, entry.area) == ("callback_ignored", {"reason": "honeypot"}, covered_area_a)
    assert "Nina" not in str(entry.detail) and "7123" not in str(entry.detail)


def test_a_form_sent_sooner_than_the_minimum_time_stores_nothing(covered_area_a, settings):
    settings.CALLBACK_MIN_SECONDS = 3
    received = ask(started=services.form_started_token(now=time.time() - 1))

    assert received.area == covered_area_a
    assert not CallbackRequest.objects.exists()
    assert AuditEntry.objects.get().detail == {"reason": "too_fast"}


def test_a_form_sent_after_the_minimum_time_is_kept(covered_area_a, settings):
    settings.CALLBACK_MIN_SECONDS = 3
    ask(started=services.form_started_token(now=time.time() - 4))
    assert CallbackRequest.objects.exists()


@pytest.mark.parametrize(
    "started",
    [
        "",
        "not-a-token",
        signing.dumps(0.0, salt="another.form"),  # signed for something else
        signing.dumps("yesterday", salt="meals.callbacks.form-started"),  # not a time
    ],
    ids=["missing", "garbage", "other-salt", "not-a-time"],
)
def test_a_missing_or_forged_start_time_stores_nothing(covered_area_a, started):
    ask(started=started)
    assert not CallbackRequest.objects.exists()
    assert AuditEntry.objects.get().detail == {"reason": "bad_token"}


def test_a_request_that_looks_automated_outside_every_area_is_told_there_is_no_club(covered_area_a):
    assert ask(honeypot="x", postcode="SW1A 1AA").area is None
    assert not CallbackRequest.objects.exists()


# Rate limits ----------------------------------------------------------------------------------------


def test_the_sixth_request_within_an_hour_from_one_address_is_refused(covered_area_a):
    for n in range(5):
        ask(phone=f"+44207123450{n}")
    with pytest.raises(services.TooManyRequests, match="in the last hour"):
        ask(phone="+442071234509")

    assert CallbackRequest.objects.count() == 5
    ask(phone="+442071234509", request=post_request("198.51.100.7"))  # another address is not held up
    assert CallbackRequest.objects.count() == 6


def test_the_fourth_request_within_a_day_for_one_number_is_refused(covered_area_a):
    for n in range(3):
        ask(request=post_request(f"198.51.100.{n + 1}"))
    with pytest.raises(services.TooManyRequests, match="this number today"):
        ask(request=post_request("198.51.100.9"))
    ask(phone="+442071234999", request=post_request("198.51.100.9"))  # another number is not held up


def test_requests_that_look_automated_count_towards_the_limit(covered_area_a):
    for n in range(5):
        ask(phone=f"+44207123450{n}", honeypot="spam")
    with pytest.raises(services.TooManyRequests):
        ask(phone="+442071234509", honeypot="spam")
    assert AuditEntry.objects.filter(action="callback_ignored").count() == 5  # the audit log is not flooded


# The call ------------------------------------------------------------------------------------------


def test_a_coordinator_of_the_area_records_the_outcome_audited_without_the_note(covered_area_a, coordinator_a):
    callback = make_callback(covered_area_a)

    draft = services.record_callback_outcome(
        by=coordinator_a, callback=callback, outcome="not_needed", note="Her son cooks for her now"
    )

    assert draft is None
    callback.refresh_from_db()
    assert (callback.outcome, callback.handled_by, callback.note) == (
        "not_needed",
        coordinator_a,
        "Her son cooks for her now",
    )
    assert not callback.is_open
    entry = AuditEntry.objects.get(action="callback_handled")
    assert (entry.actor, entry.channel, entry.detail) == (coordinator_a, "phone", {"outcome": "not_needed"})


def test_a_coordinator_of_another_area_cannot_record_the_outcome(covered_area_a, coordinator_b):
    callback = make_callback(covered_area_a)
    with pytest.raises(services.CallbackError, match="your own areas"):
        services.record_callback_outcome(by=coordinator_b, callback=callback, outcome="not_needed")
    callback.refresh_from_db()
    assert callback.is_open


def test_an_outcome_is_recorded_once(covered_area_a, coordinator_a):
    callback = make_callback(covered_area_a)
    services.record_callback_outcome(by=coordinator_a, callback=callback, outcome="unreachable")
    with pytest.raises(services.CallbackError, match="already been dealt with"):
        services.record_callback_outcome(by=coordinator_a, callback=callback, outcome="not_needed")
    callback.refresh_from_db()
    assert callback.outcome == "unreachable"


def test_an_unknown_outcome_is_refused(covered_area_a, coordinator_a):
    with pytest.raises(services.CallbackError):
        services.record_callback_outcome(by=coordinator_a, callback=make_callback(covered_area_a), outcome="gone")


def test_wanting_meals_starts_a_phone_request_with_what_the_neighbour_told_us(covered_area_a, coordinator_a):
    callback = make_callback(covered_area_a)

    draft = services.record_callback_outcome(by=coordinator_a, callback=callback, outcome="referral")

    assert isinstance(draft, ReferralDraft)
    assert (draft.owner, draft.channel) == (coordinator_a, "phone")
    assert draft.data == {
        "country": "GB",
        "postcode": "E8 1DY",
        "preferred_language": "en",
        "full_name": "Edith O’Brien",
        "referrer_name": "Nina Neighbour",
        "referrer_phone": "+442071234567",
    }


def test_wanting_meals_for_oneself_starts_a_request_with_their_own_name_and_phone(covered_area_b, coordinator_b):
    callback = make_callback(covered_area_b, for_whom="self", diner_name="", name="鈴木 トメ", phone="+81334123456")

    draft = services.record_callback_outcome(by=coordinator_b, callback=callback, outcome="referral")

    assert draft.data == {
        "country": "JP",
        "postcode": "154-0004",
        "preferred_language": "ja",
        "relationship": Referral.Relationship.SELF,
        "full_name": "鈴木 トメ",
        "phone": "+81334123456",
    }


# Forgetting ----------------------------------------------------------------------------------------


def test_the_purge_deletes_requests_dealt_with_longer_ago_than_the_retention_period(
    covered_area_a, coordinator_a, settings
):
    settings.CALLBACK_RETENTION_DAYS = 90
    now = timezone.now()
    old = make_callback(
        covered_area_a, phone="+442071230001", outcome="not_needed", handled_at=now - timedelta(days=91)
    )
    recent = make_callback(
        covered_area_a, phone="+442071230002", outcome="referral", handled_at=now - timedelta(days=89)
    )
    waiting = make_callback(covered_area_a, phone="+442071230003", created_at=now - timedelta(days=400))

    assert services.purge_callbacks(now=now) == 1

    assert set(CallbackRequest.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    entry = AuditEntry.objects.get(action="callback_purged")
    assert (entry.object_id, entry.actor_label, entry.area) == (str(old.pk), "system", covered_area_a)
    assert services.purge_callbacks(now=now + timedelta(days=2)) == 1  # the recent one, in its turn


def test_the_daily_command_purges(covered_area_a, capsys):
    make_callback(covered_area_a, outcome="unreachable", handled_at=timezone.now() - timedelta(days=365))
    call_command("purge_callbacks")
    assert not CallbackRequest.objects.exists()
    assert "Call-back requests deleted: 1" in capsys.readouterr().out
