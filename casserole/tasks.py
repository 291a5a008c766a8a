import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from casserole.models import OutboundEmail

logger = logging.getLogger(__name__)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 240))


@task
def deliver_email(email_id: int) -> str:
    """Send one queued email. A sent message is never sent again; a failing one is retried with
    back-off up to EMAIL_MAX_ATTEMPTS, then marked failed for staff to see."""
    with transaction.atomic():
        message = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if message is None or message.status != OutboundEmail.Status.QUEUED:
            return "skipped"
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to]
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        message.attempts += 1
        try:
            email.send()
        except Exception as error:  # any transport failure is retried
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                message.status = OutboundEmail.Status.FAILED
                logger.warning("email %s failed permanently after %s attempts", message.pk, message.attempts)
            message.save(update_fields=["attempts", "last_error", "status"])
            if message.status == OutboundEmail.Status.QUEUED:
                _enqueue_retry(message)
            return "retry" if message.status == OutboundEmail.Status.QUEUED else "failed"
        message.status = OutboundEmail.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        # Once delivered, the body (which may hold a one-time link) is not kept.
        message.body = message.html_body = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error", "body", "html_body"])
        return "sent"


def _enqueue_retry(message: OutboundEmail) -> None:
    backend = deliver_email.get_backend()
    if backend.supports_defer:
        retry = deliver_email.using(run_after=timezone.now() + _retry_delay(message.attempts))
        transaction.on_commit(lambda: retry.enqueue(message.pk))
    # Backends without deferral (the immediate backend in tests) leave the retry to
    # `manage.py retry_emails`, which re-queues every queued message.
