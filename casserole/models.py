from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casserole.email_addresses import EMAIL_MAX_LENGTH


class Country(models.TextChoices):
    """The countries Casserole runs in: areas, addresses and postcodes each belong to one."""

    GB = "GB", _("United Kingdom")
    JP = "JP", _("Japan")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")


class AuditEntry(models.Model):
    """One row per thing someone did or looked at. Written only through casserole.audit.record()."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the entry still says who when the account is gone or the sign-in failed.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    area = models.ForeignKey("accounts.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action}"


class OutboundEmail(models.Model):
    """Every email the service sends, so none is lost while the mail server is down and each is
    delivered once. Staff see failures in the admin."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(auto_now_add=True)
    to = models.EmailField(max_length=EMAIL_MAX_LENGTH)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class OutboundText(models.Model):
    """Every text message (SMS) the service sends, like OutboundEmail: kept until delivered, retried
    with back-off, failures shown. The body is cleared once sent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(auto_now_add=True)
    to = models.CharField(max_length=32)  # E.164
    body = models.TextField(max_length=1600)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)  # the provider's message id (Twilio SID)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"text to {self.to} ({self.status})"


class PostcodeCentroid(models.Model):
    """The approximate centre of a postcode district ("E8") or a Japanese 3-digit postcode area
    ("154"): the offline geocoder, loaded by `manage.py load_postcode_centroids`."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    # Canonical form only (upper case outward code, or three ASCII digits): the loader normalises it.
    prefix = models.CharField(_("postcode prefix"), max_length=4)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    place_name = models.CharField(_("place name"), max_length=100, blank=True)
    place_name_ja = models.CharField(_("place name in Japanese"), max_length=100, blank=True)

    class Meta:
        ordering = ["country", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["country", "prefix"], name="postcode_centroid_unique_prefix"),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="postcode_centroid_valid_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.prefix} {self.place_name or self.place_name_ja}".strip()

    def display_name(self, language: str = "en") -> str:
        if language == "ja":
            return self.place_name_ja or self.place_name
        return self.place_name or self.place_name_ja
