"""Data rights: a diner's withdrawals of consent (each with its channel), and erasure requests with the
date the law gives us to carry them out.

A withdrawal takes effect through the rows each purpose already reads (meals.rights.consents); the row
here is the record of it, shown on the diner's consents page. An erasure request is carried out by
meals.rights.erasure; the row keeps when it came, when it is due, and who carried it out.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casserole.models import Channel
from meals.diners.models import Diner


class Purpose(models.TextChoices):
    """What a diner may withdraw their consent to. The values are stored: never rename one."""

    WATCH_REPORTS = "watch_reports", _("Watch reports to family")
    PHONE_CALLS = "phone_calls", _("Phone calls and text messages")
    LONELINESS = "loneliness", _("The loneliness questions")
    REFERRER_CONTACT = "referrer_contact", _("Contact with the person who referred them")


class ConsentWithdrawal(models.Model):
    """The diner withdrew their consent to one purpose: who recorded it, when, and how the diner said so."""

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="consent_withdrawals")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-withdrawn_at", "-pk"]

    def __str__(self) -> str:
        return f"Consent to {self.purpose} withdrawn for diner {self.diner_id}"


class ErasureRequest(models.Model):
    """Someone asked for a diner's record, or a person's account, to be erased. Due ERASURE_DUE_DAYS after
    it was received; while a safeguarding record is under review (an open concern or door case) it
    cannot be carried out, and the coordinator sees why."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("erasure request status", "To do")
        DONE = "done", pgettext_lazy("erasure request status", "Carried out")

    diner = models.ForeignKey(Diner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField()
    due_by = models.DateTimeField()
    channel = models.CharField(max_length=16, choices=Channel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_by", "pk"]
        constraints = [
            # An open request is about someone; once carried out, the row may outlive them (SET_NULL).
            models.CheckConstraint(
                condition=Q(status="done") | Q(diner__isnull=False) | Q(user__isnull=False),
                name="erasure_request_about_someone",
            ),
            models.CheckConstraint(
                condition=Q(status="open", carried_out_at__isnull=True)
                | Q(status="done", carried_out_at__isnull=False),
                name="erasure_request_done_when_carried_out",
            ),
            models.UniqueConstraint(
                fields=["diner"], condition=Q(status="open"), name="one_open_erasure_request_per_diner"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="open"), name="one_open_erasure_request_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
