import unicodedata
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casserole.geocoding import GeocodeSource


class Area(models.Model):
    """A local club: its coordinators look after the cooks and diners who live in it."""

    class Country(models.TextChoices):
        GB = "GB", _("United Kingdom")
        JP = "JP", _("Japan")

    class DistanceUnit(models.TextChoices):
        KM = "km", _("kilometres")
        MILES = "mi", _("miles")

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_ja = models.CharField(_("name in Japanese"), max_length=100, blank=True)
    slug = models.SlugField(unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    help_phone = models.CharField(_("help line phone"), max_length=32)
    help_hours = models.CharField(_("help line hours"), max_length=120)
    help_hours_ja = models.CharField(_("help line hours in Japanese"), max_length=120, blank=True)
    distance_unit = models.CharField(max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.KM)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    # The postcode districts ("E8 E9 N16") or Japanese 3-digit postcode areas ("154 155") the club
    # covers, separated by spaces: how a person's postcode finds their area (accounts.selectors).
    postcode_prefixes = models.TextField(_("postcode areas covered"), blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str) -> str:
        return self.name_ja if language == "ja" and self.name_ja else self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in. Diners are records (later issues), not necessarily users."""

    class Language(models.TextChoices):
        EN = "en", _("English")
        JA = "ja", _("Japanese")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    name_reading = models.CharField(_("reading of your name (furigana)"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    is_cook = models.BooleanField(_("cook"), default=False)
    is_referrer = models.BooleanField(_("referrer"), default=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    home_area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents", verbose_name=_("area")
    )
    is_staff = models.BooleanField(_("admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def given_name(self) -> str:
        """The given name alone, for pages others can see (never the family name or the email).
        Japanese names are written family name first, so the given name is the last part; a
        Japanese name written without a space cannot be split, so nothing is shown."""
        parts = self.full_name.split()
        if any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in self.full_name):
            return parts[-1] if len(parts) > 1 else ""
        return parts[0] if parts else ""

    @property
    def needs_second_factor(self) -> bool:
        """Coordinators and admins must pass a second factor before any page of theirs."""
        return self.is_coordinator or self.is_staff or self.is_superuser

    @cached_property
    def coordinated_area_ids(self) -> frozenset[int]:
        # Read fresh on every request (the user object is rebuilt per request), so removing an area
        # takes effect on the next request.
        if not self.is_coordinator or not self.is_active:
            return frozenset()
        return frozenset(self.coordinator_memberships.values_list("area_id", flat=True))

    @cached_property
    def help_area(self) -> Area | None:
        if self.home_area_id:
            return self.home_area
        if self.is_coordinator:
            membership = self.coordinator_memberships.select_related("area").first()
            return membership.area if membership else None
        return None


class CoordinatorMembership(models.Model):
    """A coordinator looks after an area. Removing the row removes their access on the next request."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coordinator_memberships")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="coordinator_memberships")
    added_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="unique_coordinator_area")]

    def __str__(self) -> str:
        return f"{self.user} → {self.area}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An expiring link that makes someone a coordinator of one area. Only the token's hash is stored."""

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=150)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "area"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email_area",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.area})"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


def default_language_for(area: Area | None) -> str:
    return "ja" if area is not None and area.country == Area.Country.JP else settings.LANGUAGE_CODE


class CookProfile(models.Model):
    """What a cook tells us about themselves, where they live, and where they are in onboarding.
    The address and exact coordinates are private: only the cook and their area's coordinators see
    them; other people see the neighbourhood name and a rounded distance at most."""

    class Status(models.TextChoices):
        # Only accounts.cook_services changes the status: the activation gate lives there.
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("About once a week")
        FORTNIGHTLY = "fortnightly", _("About once a fortnight")
        MONTHLY = "monthly", _("About once a month")
        OCCASIONALLY = "occasionally", _("Now and then")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="cook_profile")
    country = models.CharField(_("country"), max_length=2, choices=Area.Country.choices)
    address_line1 = models.CharField(_("address line 1"), max_length=150)
    address_line2 = models.CharField(_("address line 2"), max_length=150, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)  # canonical form (casserole.postcodes)
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
        from casserole.geocoding import KM_PER_MILE

        distance = float(self.travel_distance)
        return distance * KM_PER_MILE if self.travel_unit == Area.DistanceUnit.MILES else distance


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
