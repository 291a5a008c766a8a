"""Diners and the requests that bring them to the service, and who may act for them.

A diner is a record, not a user: most never have an account. Everything a diner needs can be done
for them by a referrer with the right scope or by a coordinator (assisted digital), and the channel
(web, phone, in person) is stored with each action in the audit log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meals.diners.models import Diner


class Match(models.Model):
    """A cook and a diner brought together. The cook offers (proposed); the coordinator of the diner's
    area approves, records how the introduction will happen, and the match becomes active at the
    first meal or when the coordinator marks the introduction done. Only while a match is approved,
    introduced, active or paused does the cook see the diner's address, phone and access notes."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Offered, waiting for a coordinator")
        APPROVED = "approved", _("Approved, introduction to arrange")
        INTRODUCED = "introduced", _("Introduction arranged")
        ACTIVE = "active", pgettext_lazy("match status", "Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")
        DECLINED = "declined", _("Not approved")
        WITHDRAWN = "withdrawn", _("Withdrawn by the cook")

    class Introduction(models.TextChoices):
        WITH_COORDINATOR = "with_coordinator", _("The coordinator goes with the cook")
        BY_PHONE = "by_phone", _("The coordinator introduces them by phone first")
        COOK_ALONE = "cook_alone", _("The cook visits alone")

    # A diner has at most one match in these states, unless a coordinator adds a second cook.
    LIVE_STATUSES = (Status.PROPOSED, Status.APPROVED, Status.INTRODUCED, Status.ACTIVE, Status.PAUSED)
    # The cook may see the diner's private details (within the diner's consent) only in these.
    SHARING_STATUSES = (Status.APPROVED, Status.INTRODUCED, Status.ACTIVE, Status.PAUSED)

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="matches")
    cook = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matches")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    # A second cook for a diner who already has one: only a coordinator can set this.
    additional = models.BooleanField(default=False)
    message = models.TextField(_("message to the coordinator"), max_length=1000, blank=True)
    distance_km = models.FloatField(null=True, blank=True)  # at the time of the offer
    offered_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)  # of the last change (decline, pause, end)
    introduction_method = models.CharField(max_length=20, choices=Introduction.choices, blank=True)
    introduction_at = models.DateTimeField(null=True, blank=True)
    active_since = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-offered_at", "-pk"]
        indexes = [models.Index(fields=["status", "offered_at"], name="match_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["diner"],
                condition=Q(status__in=["proposed", "approved", "introduced", "active", "paused"], additional=False),
                name="one_live_match_per_diner",
            ),
            # A cook offers once per diner at a time (a double click makes one offer).
            models.UniqueConstraint(
                fields=["diner", "cook"],
                condition=Q(status__in=["proposed", "approved", "introduced", "active", "paused"]),
                name="one_live_match_per_cook_and_diner",
            ),
        ]

    def __str__(self) -> str:
        return f"Match {self.pk}: {self.cook} → {self.diner}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @property
    def shares_details(self) -> bool:
        return self.status in self.SHARING_STATUSES


class MatchChangeRequest(models.Model):
    """Either side (the cook, or a referrer for the diner) asks to pause or end a match; the
    coordinator decides."""

    class Kind(models.TextChoices):
        PAUSE = "pause", _("Pause")
        END = "end", _("End")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["match"], condition=Q(resolved_at__isnull=True), name="one_open_change_request_per_match"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request for {self.match}"
