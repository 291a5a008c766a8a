from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area, User
from casserole.addresses import PostalAddress
from casserole.geocoding import KM_PER_MILE, GeocodeSource


class CookProfile(PostalAddress):
    """What a cook tells us about themselves, where they live, and where they are in onboarding.
    The address and exact coordinates are private: only the cook and their area's coordinators see
    them; other people see the neighbourhood name and a rounded distance at most."""

    class Status(models.TextChoices):
        # Only accounts.onboarding and accounts.review services change the status, through the
        # activation gate (accounts.onboarding.eligibility).
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("About once a week")
        FORTNIGHTLY = "fortnightly", _("About once a fortnight")
        MONTHLY = "monthly", _("About once a month")
        OCCASIONALLY = "occasionally", _("Now and then")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="cook_profile")
    # Where they live: the PostalAddress fields and these.
    # Null means "needs placing": the geocoder could not place the cook, a coordinator sets a pin.
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_source = models.CharField(max_length=20, choices=GeocodeSource.choices, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    travel_distance = models.DecimalField(_("how far you will travel"), max_digits=4, decimal_places=1)
    travel_unit = models.CharField(max_length=2, choices=Area.DistanceUnit.choices, default=Area.DistanceUnit.KM)
    frequency = models.CharField(_("how often you can cook"), max_length=20, choices=Frequency.choices)
    cooking_likes = models.TextField(_("what you like to cook"), max_length=1000)
    note_for_diners = models.TextField(_("a note for diners"), max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When the cook's point last changed while they were active (a small move they made, or a move a
    # coordinator confirmed): accounts.onboarding.services.save_cook_profile limits how often.
    located_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            # The nearby search narrows by a bounding box on these before measuring distances.
            models.Index(fields=["latitude", "longitude"], name="cook_profile_location"),
            models.Index(fields=["status"], name="cook_profile_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(travel_distance__gt=0), name="cook_profile_travel_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="cook_profile_valid_location",
            ),
        ]

    def __str__(self) -> str:
        return f"Cook profile of {self.user}"

    @property
    def needs_placing(self) -> bool:
        return self.latitude is None or self.longitude is None

    @property
    def travel_km(self) -> float:
        distance = float(self.travel_distance)
        return distance * KM_PER_MILE if self.travel_unit == Area.DistanceUnit.MILES else distance


class CookMove(PostalAddress):
    """A new address an active cook saved that moves them further than a small step, or again too soon:
    held until a coordinator of their area confirms it. Until then the cook stays where they were, so
    nobody can walk their point around to triangulate a diner from the rounded distances."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("Waiting for a coordinator")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Not confirmed")

    profile = models.ForeignKey(CookProfile, on_delete=models.CASCADE, related_name="moves")
    latitude = models.FloatField()
    longitude = models.FloatField()
    location_source = models.CharField(max_length=20, choices=GeocodeSource.choices)
    neighbourhood = models.CharField(max_length=100, blank=True)
    distance_km = models.FloatField()  # from where the cook was when they asked
    requested_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.WAITING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(outcome="waiting"), name="cook_move_one_waiting_per_profile"
            ),
        ]

    def __str__(self) -> str:
        return f"Move of {self.profile}"


class IdentityCheck(models.Model):
    """One attempt to prove who a cook is, by any of the three routes. It never holds document data:
    only the method, the document type, the outcome, who decided and when. A photo lives in private
    storage until a coordinator decides (or for 7 days at most); `image_name` points at it meanwhile."""

    class Method(models.TextChoices):
        STRIPE = "stripe", _("Online check with Stripe")
        PHOTO = "photo", _("Photo of a document")
        IN_PERSON = "in_person", _("Document seen in person")

    class DocumentType(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        DRIVING_LICENCE = "driving_licence", _("Driving licence")
        RESIDENCE_CARD = "residence_card", _("Residence card")
        MY_NUMBER_CARD = "my_number_card", _("My Number Card (front only)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a check")
        NEEDS_INPUT = "needs_input", _("Needs something from you")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PENDING, Status.NEEDS_INPUT)

    cook = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identity_checks")
    method = models.CharField(max_length=10, choices=Method.choices)
    document_type = models.CharField(max_length=20, choices=DocumentType.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The photo in private storage (random name), until the decision or the 7-day purge.
    image_name = models.CharField(max_length=100, blank=True)
    image_deleted_at = models.DateTimeField(null=True, blank=True)
    # Stripe's ids and outcome code only, never anything Stripe read from the document.
    stripe_session_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    stripe_error_code = models.CharField(max_length=100, blank=True)
    stripe_event_created = models.BigIntegerField(null=True, blank=True)  # of the last event applied
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)  # shown to the cook

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="identity_check_queue")]
        constraints = [
            # A cook has at most one check in progress: a second upload or Stripe session waits.
            models.UniqueConstraint(
                fields=["cook"], condition=Q(status__in=["pending", "needs_input"]), name="one_open_identity_check"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} for {self.cook} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class StripeEvent(models.Model):
    """Every Stripe webhook event applied, by id, so a redelivery (even a concurrent one) is a no-op."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    created = models.BigIntegerField()  # Stripe's timestamp for the event
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.event_id
