"""Email goes through OutboundEmail and a background task: nothing is lost while the mail server is
down, each message is delivered once, and a hopeless one stops after EMAIL_MAX_ATTEMPTS."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from accounts.people.models import User
from casserole.mail import queue_email
from casserole.models import OutboundEmail
from casserole.tasks import deliver_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    return monkeypatch


def test_sign_up_succeeds_while_the_mail_server_is_down(client, mail_server_down, django_capture_on_commit_callbacks):
    password = "a good long password for mail"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/signup/",
            {
                "full_name": "Mo Mail",
                "email": "mo@example.org",
                "password1": password,
                "password2": password,
                "roles": ["referrer"],
            },
        )

    assert response.status_code == 302
    assert User.objects.filter(email="mo@example.org", is_referrer=True).exists()
    message = OutboundEmail.objects.get(to="mo@example.org")
    assert message.status == OutboundEmail.Status.QUEUED
    assert message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")
    assert mail.outbox == []


def test_retry_emails_delivers_each_waiting_message_exactly_once(mail_server_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_email(to="one@example.org", subject="One", body="First message")
        second = queue_email(to="two@example.org", subject="Two", body="Second message")
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).count() == 2

    mail_server_down.undo()  # the server is back
    call_command("retry_emails", stdout=_Null())
    call_command("retry_emails", stdout=_Null())

    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == OutboundEmail.Status.SENT
        assert message.attempts == 2
        assert message.sent_at is not None
        assert message.last_error == ""


def test_delivering_the_same_message_twice_sends_it_once():
    message = queue_email(to="once@example.org", subject="Once", body="Only once")
    assert deliver_email.call(message.pk) == "sent"
    assert deliver_email.call(message.pk) == "skipped"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Once"
    assert mail.outbox[0].body == "Only once"


def test_html_alternative_is_sent_with_the_text():
    message = queue_email(to="html@example.org", subject="Hi", body="Plain", html_body="<p>Rich</p>")
    deliver_email.call(message.pk)
    assert mail.outbox[0].alternatives[0].content == "<p>Rich</p>"


def test_a_message_that_keeps_failing_is_marked_failed_after_the_maximum_attempts(settings, mail_server_down):
    settings.EMAIL_MAX_ATTEMPTS = 3
    message = queue_email(to="bounce@example.org", subject="Never", body="Never arrives")

    outcomes = [deliver_email.call(message.pk) for _ in range(4)]

    assert outcomes == ["retry", "retry", "failed", "skipped"]
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.FAILED
    assert message.attempts == 3
    assert "Connection refused" in message.last_error
    # retry_emails leaves a failed message alone unless staff ask for it.
    mail_server_down.undo()
    call_command("retry_emails", stdout=_Null())
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.FAILED
    assert mail.outbox == []


def test_staff_see_failed_messages_in_the_admin(login_as, admin_user):
    OutboundEmail.objects.create(
        to="bounce@example.org", subject="Never", body="secret link", status="failed", attempts=6, last_error="550"
    )
    response = login_as(admin_user).get("/admin/casserole/outboundemail/?status__exact=failed")
    assert response.status_code == 200
    html = response.content.decode()
    assert "bounce@example.org" in html
    assert "secret link" not in html


def test_a_message_queued_in_a_transaction_that_rolls_back_is_never_sent(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue_email(to="ghost@example.org", subject="Ghost", body="Rolled back")
                raise RuntimeError("later step failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
