import unicodedata
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casserole.distances import DistanceUnit
from casserole.email_addresses import EMAIL_MAX_LENGTH
from casserole.models import Country


class Area(models.Model):
    """A local club: its coordinators look after the cooks and diners who live in it."""

    # casserole's, kept here too so that code about areas can say Area.Country.JP.
    Country = Country
    DistanceUnit = DistanceUnit

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
    # covers, separated by spaces: how a person's postcode finds their area (accounts.people.selectors).
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

    email = models.EmailField(_("email address"), max_length=EMAIL_MAX_LENGTH, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    name_reading = models.CharField(_("reading of your name (furigana)"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    is_cook = models.BooleanField(_("cook"), default=False)
    is_referrer = models.BooleanField(_("referrer"), default=False)
    # Which link brought the person to sign up ("Sign up to cook", "Start a request for meals"), so that
    # after confirming the email address they sign in to the next step of that journey.
    signed_up_as = models.CharField(
        _("signed up as"),
        max_length=8,
        choices=[("cook", _("cook")), ("referrer", _("referrer"))],
        blank=True,
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    home_area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents", verbose_name=_("area")
    )
    is_staff = models.BooleanField(_("admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the person closed their account (meals.rights.closing): they can no longer sign in (is_active is
    # off too), and the retention job erases what is left once the retention period has passed.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

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
    def journey(self) -> str:
        """The journey a new account goes on to after its first sign-in: the one the person came for,
        if they kept that role; otherwise cooking before requesting meals; "" with neither role."""
        roles = [role for role, has in (("cook", self.is_cook), ("referrer", self.is_referrer)) if has]
        if self.signed_up_as in roles:
            return self.signed_up_as
        return roles[0] if roles else ""

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

    email = models.EmailField(_("email address"), max_length=EMAIL_MAX_LENGTH)
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
