"""Text messages: queued in the caller's transaction, sent once after commit, retried while the provider
is down, failed after TEXT_MAX_ATTEMPTS, never kept once sent; the Twilio backend is called with our
number and the message (the network edge is faked)."""

import pytest
from django.db import transaction

from casserole import texts
from casserole.models import OutboundText

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_text_is_sent_once_after_commit_and_not_kept():
    with transaction.atomic():
        message = texts.queue_text(to="+447911123456", body="Edie did not answer the door.")
        assert texts.outbox == []  # nothing before the commit
    message.refresh_from_db()
    assert texts.outbox == [{"to": "+447911123456", "body": "Edie did not answer the door."}]
    assert message.status == OutboundText.Status.SENT and message.body == "" and message.attempts == 1
    assert texts.deliver_text.call(message.pk) == "skipped"
    assert len(texts.outbox) == 1


def test_a_text_is_retried_while_the_provider_is_down_then_marked_failed(settings):
    settings.TEXT_LOCMEM_FAIL = True
    settings.TEXT_MAX_ATTEMPTS = 3
    message = texts.queue_text(to="+447911123456", body="hello")
    assert texts.deliver_text.call(message.pk) == "retry"
    assert texts.deliver_text.call(message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboundText.Status.FAILED and message.attempts == 3
    assert "down" in message.last_error and texts.outbox == []


def test_when_the_provider_returns_a_queued_text_goes_exactly_once(settings):
    settings.TEXT_LOCMEM_FAIL = True
    message = texts.queue_text(to="+819012345678", body="こんにちは")
    settings.TEXT_LOCMEM_FAIL = False
    assert texts.deliver_text.call(message.pk) == "sent"
    assert texts.deliver_text.call(message.pk) == "skipped"
    assert texts.outbox == [{"to": "+819012345678", "body": "こんにちは"}]


def test_the_twilio_backend_sends_from_our_number(settings, monkeypatch):
    sent = []

    class FakeMessages:
        def create(self, *, to, from_, body):
            sent.append((to, from_, body))
            return type("Message", (), {"sid": "SM123"})()

    class FakeClient:
        def __init__(self, sid, token):
            assert (sid, token) == ("AC1", "secret")
            self.messages = FakeMessages()

    monkeypatch.setattr(texts, "Client", FakeClient)
    settings.TEXT_BACKEND, settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "twilio", "AC1", "secret"
    settings.TWILIO_FROM_NUMBER = "+442071234000"
    message = texts.queue_text(to="+447911123456", body="hello")
    message.refresh_from_db()
    assert sent == [("+447911123456", "+442071234000", "hello")]
    assert message.provider_id == "SM123"


def test_a_twilio_error_is_retried(settings, monkeypatch):
    class FailingClient:
        def __init__(self, sid, token):
            self.messages = self

        def create(self, **kwargs):
            raise texts.TwilioException("503 Service Unavailable")

    monkeypatch.setattr(texts, "Client", FailingClient)
    settings.TEXT_BACKEND = "twilio"
    message = texts.queue_text(to="+447911123456", body="hello")
    message.refresh_from_db()
    assert message.status == OutboundText.Status.QUEUED and "503" in message.last_error
