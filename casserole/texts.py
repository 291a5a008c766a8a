"""Text messages (SMS): queued like email (casserole.mail) — the row is written in the caller's
transaction, sent after commit by a background task, retried with back-off, and marked failed after
TEXT_MAX_ATTEMPTS. Sent through Twilio in production (TEXT_BACKEND=twilio); "console" logs them
(development, the demo); "locmem" keeps them in `outbox` (tests). Nothing else in the code knows which.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from casserole.models import OutboundText
from casserole.text import strip_bidi_controls

logger = logging.getLogger(__name__)

# Texts "sent" by the locmem backend, for tests (like django.core.mail.outbox).
outbox: list[dict] = []


class TextSendError(Exception):
    """The provider refused or could not be reached: the text is retried."""


def queue_text(*, to: str, body: str) -> OutboundText:
    """Store one text to an E.164 number and send it in the background once the transaction commits."""
    message = OutboundText.objects.create(to=to, body=strip_bidi_controls(body)[:1600])
    transaction.on_commit(lambda: deliver_text.enqueue(message.pk))
    return message


def _send(to: str, body: str) -> str:
    backend = settings.TEXT_BACKEND
    if backend == "locmem":
        if settings.TEXT_LOCMEM_FAIL:
            raise TextSendError("the test provider is down")
        outbox.append({"to": to, "body": body})
        return f"locmem-{len(outbox)}"
    if backend == "console":
        logger.info("text to %s: %s", to, body)
        return "console"
    client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
    try:
        message = client.messages.create(to=to, from_=settings.TWILIO_FROM_NUMBER, body=body)
    except TwilioException as error:
        raise TextSendError(str(error)) from error
    return message.sid or ""


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 60))


@task
def deliver_text(text_id: int) -> str:
    """Send one queued text. A sent text is never sent again; a failing one is retried with back-off up
    to TEXT_MAX_ATTEMPTS, then marked failed (the door case and concern pages show it)."""
    with transaction.atomic():
        message = OutboundText.objects.select_for_update().filter(pk=text_id).first()
        if message is None or message.status != OutboundText.Status.QUEUED:
            return "skipped"
        message.attempts += 1
        try:
            provider_id = _send(message.to, message.body)
        except Exception as error:  # any provider or network failure is retried
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= settings.TEXT_MAX_ATTEMPTS:
                message.status = OutboundText.Status.FAILED
                logger.warning("text %s failed permanently after %s attempts", message.pk, message.attempts)
            message.save(update_fields=["attempts", "last_error", "status"])
            if message.status == OutboundText.Status.QUEUED and deliver_text.get_backend().supports_defer:
                retry = deliver_text.using(run_after=timezone.now() + _retry_delay(message.attempts))
                transaction.on_commit(lambda: retry.enqueue(message.pk))
            return "retry" if message.status == OutboundText.Status.QUEUED else "failed"
        message.status, message.sent_at, message.provider_id, message.last_error = (
            OutboundText.Status.SENT,
            timezone.now(),
            provider_id[:64],
            "",
        )
        message.body = ""  # a text about a person is not kept once delivered
        message.save(update_fields=["attempts", "status", "sent_at", "provider_id", "last_error", "body"])
        return "sent"
