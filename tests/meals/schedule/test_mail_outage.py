"""A mail outage (issue 12): while the mail server is down every action on meals still succeeds and
every email waits in the outbox, retried with back-off; an address that keeps refusing stops after
EMAIL_MAX_ATTEMPTS and shows to the coordinator; when the server is back, each reminder is delivered
exactly once, and running the jobs again delivers nothing new.

Only the network edge is faked: the mail backend's send raises, as an SMTP connection would."""

import io
import smtplib
from collections import Counter
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casserole.models import Channel, OutboundEmail
from meals.schedule import services
from meals.schedule.models import Meal, MealReminder, MealRemindersConsent
from meals.schedule.reminders import failed_reminders, send_meal_reminders
from tests.factories import ProxyAccessFactory, UserFactory
from tests.meals.schedule.conftest import NOW, plan

pytestmark = pytest.mark.django_db

GONE = "gone@example.org"  # a proxy's address that no longer exists: refused every time


class MailServer:
    """The locmem backend with an on/off switch; GONE is refused even when the server is up."""

    def __init__(self, monkeypatch):
        self.up = False
        deliver = EmailBackend.send_messages

        def send_messages(backend, messages):
            if not self.up:
                raise ConnectionRefusedError(111, "Connection refused")
            for message in messages:
                if GONE in message.to:
                    raise smtplib.SMTPRecipientsRefused({GONE: (550, b"5.1.1 No such user")})
            return deliver(backend, messages)

        monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


@pytest.fixture
def mail_server(monkeypatch):
    return MailServer(monkeypatch)


def reminders_delivered() -> Counter:
    return Counter(m.to[0] for m in mail.outbox if m.subject.endswith("tomorrow"))


def quietly(command: str) -> None:
    call_command(command, stdout=io.StringIO())


def test_a_mail_outage_loses_no_action_and_delivers_each_reminder_exactly_once(
    settings, mail_server, active_match, diner, coordinator_a, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 3
    cook = active_match.cook
    # Edie's referrer confirms meals and asked for reminders; a second one asked too, from an address
    # that no longer exists.
    helper = diner.proxies.get()
    helper.can_confirm_meals = True
    helper.save(update_fields=["can_confirm_meals"])
    MealRemindersConsent.objects.create(proxy=helper)
    gone = ProxyAccessFactory(diner=diner, referrer=UserFactory(email=GONE, is_referrer=True))
    MealRemindersConsent.objects.create(proxy=gone)
    OutboundEmail.objects.all().delete()  # the fixtures' own emails (never sent: no commit in setup)
    now = timezone.now()
    tomorrow = timezone.localdate(now, ZoneInfo("Europe/London")) + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        # Every action on a meal succeeds while the server is down.
        meal = plan(active_match, day=tomorrow, now=now)
        confirmed = services.decide_meal(by=helper.referrer, meal=meal, confirm=True, now=now)
        other = plan(active_match, day=tomorrow, start=time(18), end=time(19), now=now)
        called_off = services.cancel_meal(by=cook, meal=other, reason="cook_cannot", note="My car broke down.", now=now)
        phoned = plan(active_match, day=tomorrow + timedelta(days=2), now=now)
        services.decide_meal(by=coordinator_a, meal=phoned, confirm=True, channel=Channel.PHONE, now=now)
        quietly("send_meal_reminders")

    assert confirmed.status == Meal.Status.CONFIRMED and called_off.status == Meal.Status.CANCELLED
    assert Meal.objects.get(pk=phoned.pk).decision_channel == Channel.PHONE
    assert mail.outbox == []
    queued = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED)
    assert queued.count() == OutboundEmail.objects.count() > 3
    assert set(queued.values_list("attempts", flat=True)) == {1}
    assert all(e.last_error.startswith("ConnectionRefusedError") for e in queued)
    reminders = MealReminder.objects.select_related("email")
    assert sorted(r.recipient.email for r in reminders) == sorted([cook.email, helper.referrer.email, GONE])
    assert all(r.meal == meal and r.email.status == OutboundEmail.Status.QUEUED for r in reminders)

    # Still down: the retry counts another attempt and keeps them queued (below EMAIL_MAX_ATTEMPTS).
    with django_capture_on_commit_callbacks(execute=True):
        quietly("retry_emails")
        quietly("send_meal_reminders")  # the hourly run again: nothing new to queue
    assert MealReminder.objects.count() == 3
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(OutboundEmail.Status.QUEUED, 2)}

    # The server is back: everything waiting is delivered; the dead address gives up at the third try.
    mail_server.up = True
    with django_capture_on_commit_callbacks(execute=True):
        quietly("retry_emails")
    assert reminders_delivered() == {cook.email: 1, helper.referrer.email: 1}
    [failed] = failed_reminders(Meal.objects.filter(match=active_match))
    assert (failed.recipient.email, failed.email.status, failed.email.attempts) == (GONE, "failed", 3)
    assert "No such user" in failed.email.last_error
    assert not OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).exists()
    delivered = len(mail.outbox)
    assert delivered == OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()

    # Running the jobs again delivers nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        quietly("send_meal_reminders")
        quietly("retry_emails")
        quietly("send_meal_reminders")
    assert len(mail.outbox) == delivered
    assert reminders_delivered() == {cook.email: 1, helper.referrer.email: 1}
    assert MealReminder.objects.count() == 3


def test_a_reminder_that_cannot_be_sent_is_retried_later_and_later(
    settings, mail_server, active_match, django_capture_on_commit_callbacks
):
    # With the worker's database queue (which can run a task later), each failed try schedules the next
    # one further away: 2, 4, 8... minutes (casserole.tasks).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from casserole.tasks import deliver_email

    plan(active_match)
    with django_capture_on_commit_callbacks(execute=True):
        send_meal_reminders(now=NOW)
    email = MealReminder.objects.get().email
    assert DBTaskResult.objects.count() == 1  # handed to the worker, not yet run

    delays = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            before = timezone.now()
            assert deliver_email.call(email.pk) == "retry"
        latest = DBTaskResult.objects.order_by("-enqueued_at").first()
        delays.append(round((latest.run_after - before).total_seconds() / 60))

    assert delays == [2, 4]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.QUEUED, 2)
