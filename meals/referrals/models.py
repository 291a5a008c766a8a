"""Diners and the requests that bring them to the service, and who may act for them.

A diner is a record, not a user: most never have an account. Everything a diner needs can be done
for them by a referrer with the right scope or by a coordinator (assisted digital), and the channel
(web, phone, in person) is stored with each action in the audit log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area
from casserole.models import Channel
from meals.diners.models import Diner


class Referral(models.Model):
    """A request for meals for a diner, and the coordinator's triage of it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for a coordinator")
        MORE_INFO = "more_info", _("More information needed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Relationship(models.TextChoices):
        SELF = "self", _("I am the diner")
        FAMILY = "family", _("Family member")
        FRIEND = "friend", _("Friend or neighbour")
        CARER = "carer", _("Carer")
        SOCIAL_WORKER = "social_worker", _("Social worker or care manager")
        # Who refers older people in Japan (offered on requests for a diner in Japan only: JAPAN_ONLY).
        MINSEI_IIN = "minsei_iin", _("Minsei-iin (community welfare volunteer)")
        CARE_CENTRE = "care_centre", _("Community general support centre (地域包括支援センター)")
        WELFARE_COUNCIL = "welfare_council", _("Social welfare council (社会福祉協議会)")
        HEALTH = "health", _("Health professional")
        COUNCIL = "council", _("Council or charity staff")
        COORDINATOR = "coordinator", _("Casserole coordinator (phone call)")

    OPEN_STATUSES = (Status.SUBMITTED, Status.MORE_INFO)
    # The referrer types only Japanese welfare practice has: not offered for a diner in the UK.
    JAPAN_ONLY_RELATIONSHIPS = (Relationship.MINSEI_IIN, Relationship.CARE_CENTRE, Relationship.WELFARE_COUNCIL)

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="referrals")
    # The signed-in person who made the request; null when a coordinator took it by phone, or the
    # diner asked without an account (their contact is the diner's own phone).
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    referrer_name = models.CharField(max_length=150, blank=True)  # a caller without an account
    referrer_phone = models.CharField(max_length=32, blank=True)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    # One submission, one request: the form carries this key, so a double click creates nothing more.
    submission_key = models.UUIDField(unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=2000, blank=True)  # the coordinator's question or reason
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="referral_queue")]

    def __str__(self) -> str:
        return f"Referral {self.pk} for {self.diner}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReferralDraft(models.Model):
    """A request being written, saved at every page so nothing is lost: keyed by the signed-in
    person, or by a random key kept in the session for someone without an account."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="referral_drafts"
    )
    session_key = models.CharField(max_length=64, blank=True)
    # A coordinator's phone referral or a referrer's answer to "more information needed".
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts")
    data = models.JSONField(default=dict)
    submission_key = models.UUIDField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Draft {self.pk}"


class AreaWaitlistEntry(models.Model):
    """Someone outside every area who left their details to hear when a club opens near them."""

    name = models.CharField(_("name"), max_length=150)
    contact = models.CharField(_("phone number or email address"), max_length=254)
    country = models.CharField(max_length=2, choices=Area.Country.choices)
    postcode = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "area waitlist entries"

    def __str__(self) -> str:
        return f"{self.name} ({self.postcode})"
