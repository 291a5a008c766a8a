"""Queueing email: the row is written in the caller's transaction, the send happens in a task."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from casserole.models import OutboundEmail
from casserole.text import strip_bidi_controls


def queue_email(*, to: str, subject: str, body: str, html_body: str = "") -> OutboundEmail:
    """Store one message and deliver it in the background once the transaction commits. The subject
    loses any direction control a name in it carried: mail clients list subjects with no isolation."""
    from casserole.tasks import deliver_email

    subject = strip_bidi_controls(subject)[:250]
    message = OutboundEmail.objects.create(to=to, subject=subject, body=body, html_body=html_body)
    transaction.on_commit(lambda: deliver_email.enqueue(message.pk))
    return message


def queue_templated_email(*, to: str, template: str, context: dict, language: str) -> OutboundEmail:
    """Render `<template>_subject.txt` and `<template>_message.txt` in the recipient's language."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_message.txt", context)
    return queue_email(to=to, subject=subject, body=body)


def absolute_url(name: str, language: str, **kwargs) -> str:
    """A link for an email, under the recipient's language prefix (emails are sent from no request)."""
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs or None)
