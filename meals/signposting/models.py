"""Beyond the meal: a directory of other support (a lunch club, a befriending call, a benefits adviser, a
helpline) that each area's coordinators keep, and the onward referrals they record for a diner.

An entry belongs to one area, or to no area: a national entry (a helpline) shared by every area of its
country, which only an admin changes. Entries are written in both languages (at least a name in one of
them) and carry the date someone last checked them: older than STALE_AFTER_MONTHS, they show as stale.

An onward referral is what a coordinator did about one entry for one diner: told them about it, or
referred them to it (with the diner's consent when the entry says a referral needs it), and later
whether it took place. The diner may choose up to CARD_LIMIT of them to go on their printed card.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area
from casserole.models import Channel, Country
from meals.diners.models import Diner
from meals.matching.models import Match

STALE_AFTER_MONTHS = 12
CARD_LIMIT = 3  # services on the diner's printed card
# Categories and "who it suits" are stored as one text of keys between separators ("|company|talk|"),
# so that a filter by one key is a plain LIKE that SQLite and PostgreSQL both run, in the same query
# as the words (see meals.signposting.selectors.search). Never rename a key: rows hold them.
SEPARATOR = "|"


class Category(models.TextChoices):
    COMPANY = "company", _("Company and activities")
    MEALS = "meals", _("Meals and shopping")
    HEALTH = "health", _("Health and care")
    MONEY = "money", _("Money and housing")
    TALK = "talk", _("Someone to talk to")


class Suits(models.TextChoices):
    ANYONE = "anyone", _("Any older person")
    MEN = "men", _("Men")
    WOMEN = "women", _("Women")
    DEMENTIA = "dementia", _("People with dementia and their families")
    CARERS = "carers", _("Carers")
    DISABILITY = "disability", _("Disabled people and people who find it hard to get out")
    BEREAVED = "bereaved", _("People who have lost someone")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    DONATION = "donation", _("Free, donations welcome")
    CHARGE = "charge", _("There is a charge")


def _language() -> str:
    return "ja" if (get_language() or "en").startswith("ja") else "en"


def stale_cutoff(today=None):
    """An entry checked on or before this day is stale: STALE_AFTER_MONTHS ago."""
    return (today or timezone.localdate()) - relativedelta(months=STALE_AFTER_MONTHS)


def join_keys(keys) -> str:
    """Keys as stored: "|a|b|" (empty: "")."""
    keys = [key for key in keys if key]
    return f"{SEPARATOR}{SEPARATOR.join(keys)}{SEPARATOR}" if keys else ""


def split_keys(stored: str) -> list[str]:
    return [key for key in (stored or "").split(SEPARATOR) if key]


class SupportService(models.Model):
    """One entry of the directory: a service a diner could be told about or referred to."""

    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="support_services")
    country = models.CharField(max_length=2, choices=Country.choices)  # the area's, or a national entry's
    name = models.CharField(max_length=150, blank=True)
    name_ja = models.CharField(max_length=150, blank=True)
    description = models.TextField(max_length=1000, blank=True)
    description_ja = models.TextField(max_length=1000, blank=True)
    categories = models.CharField(max_length=120)  # join_keys(Category)
    suits = models.CharField(max_length=200)  # join_keys(Suits)
    phone = models.CharField(max_length=32, blank=True)  # E.164
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    website = models.URLField(max_length=300, blank=True)
    opening_hours = models.CharField(max_length=200, blank=True)
    opening_hours_ja = models.CharField(max_length=200, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    cost = models.CharField(max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_details = models.CharField(max_length=200, blank=True)
    needs_consent = models.BooleanField(default=True)  # a referral needs the person's consent
    latitude = models.FloatField(null=True, blank=True)  # from the postcode, for "nearest first"
    longitude = models.FloatField(null=True, blank=True)
    checked_on = models.DateField(default=timezone.localdate)
    # Both languages' name and description (and the address), NFKC-normalised and case-folded by
    # meals.signposting.services.search_text: what a search looks in, with a search's words folded alike.
    search_text = models.TextField(editable=False, blank=True)
    running = models.BooleanField(default=True)  # False: closed, kept for the referrals that name it
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "name_ja", "pk"]
        indexes = [models.Index(fields=["country", "area", "running"], name="support_service_scope")]
        constraints = [
            models.CheckConstraint(condition=~Q(name="") | ~Q(name_ja=""), name="support_service_named"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="support_service_valid_location",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.name_ja

    @property
    def is_national(self) -> bool:
        return self.area_id is None

    def display_name(self, language: str) -> str:
        return (self.name_ja or self.name) if language == "ja" else (self.name or self.name_ja)

    def display_description(self, language: str) -> str:
        return (
            (self.description_ja or self.description) if language == "ja" else (self.description or self.description_ja)
        )

    def display_hours(self, language: str) -> str:
        return (
            (self.opening_hours_ja or self.opening_hours)
            if language == "ja"
            else (self.opening_hours or self.opening_hours_ja)
        )

    # In the active language (a page, or a side of the printed card under {% language %}).
    @property
    def local_name(self) -> str:
        return self.display_name(_language())

    @property
    def other_name(self) -> str:
        """The name in the other language, when it has one that differs."""
        other = self.name if _language() == "ja" else self.name_ja
        return other if other and other != self.local_name else ""

    @property
    def local_description(self) -> str:
        return self.display_description(_language())

    @property
    def local_hours(self) -> str:
        return self.display_hours(_language())

    @property
    def category_list(self) -> list[str]:
        return split_keys(self.categories)

    @property
    def suits_list(self) -> list[str]:
        return split_keys(self.suits)

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(key).label) for key in self.category_list if key in Category.values]

    @property
    def suits_labels(self) -> list[str]:
        return [str(Suits(key).label) for key in self.suits_list if key in Suits.values]

    def is_stale(self, today=None) -> bool:
        """Checked on or before stale_cutoff(today): the Python form of the selectors' filter (tested to agree)."""
        return self.checked_on <= stale_cutoff(today)

    @property
    def stale(self) -> bool:
        return self.is_stale()


class OnwardReferral(models.Model):
    """A coordinator told a diner about a service, or referred them to it, and later what came of it."""

    class Kind(models.TextChoices):
        TOLD = "told", _("Told them about it")
        REFERRED = "referred", _("Referred them to it")

    class Outcome(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("onward referral outcome", "Not known yet")
        TOOK_PLACE = "took_place", _("It took place")
        DID_NOT = "did_not", _("It did not take place")

    class Reason(models.TextChoices):
        CONCERN = "concern", _("A concern was raised")
        LONELINESS = "loneliness", _("Their loneliness answers")
        LESS_CONTACT = "less_contact", _("They would see fewer people without the visits")
        OTHER = "other", _("Something else")

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="onward_referrals")
    # The match going on when it was recorded, for its timeline (none: every match of the diner's shows it).
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    service = models.ForeignKey(SupportService, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=14, choices=Reason.choices, default=Reason.OTHER)
    consent = models.BooleanField(default=False)  # the diner agreed to be referred
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PHONE)
    note = models.TextField(max_length=1000, blank=True)
    on_card = models.BooleanField(default=False)  # the diner chose to have it on their printed card
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["diner", "made_at"], name="onward_referral_diner")]
        constraints = [
            # One open referral per diner and service: a double submit makes one.
            models.UniqueConstraint(
                fields=["diner", "service"], condition=Q(outcome="waiting"), name="one_open_onward_referral"
            ),
        ]

    def __str__(self) -> str:
        return f"Onward referral of diner {self.diner_id} to service {self.service_id}"
