"""Diners and the requests that bring them to the service, and who may act for them.

A diner is a record, not a user: most never have an account. Everything a diner needs can be done
for them by a referrer with the right scope or by a coordinator (assisted digital), and the channel
(web, phone, in person) is stored with each action in the audit log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area
from casserole import allergens as allergen_table
from casserole import names
from casserole.addresses import PostalAddress
from casserole.cells import cell_latitude_expression, cell_longitude_expression
from casserole.geocoding import GeocodeSource


def _allergen_label(row: allergen_table.Allergen):
    # The name in the page's language, from the table itself: no second copy in the catalogue.
    return lazy(lambda: row.name(get_language()), str)()


# The choices of a diner's allergy list are the rows of the one allergen table
# (casserole/allergens.py), which the food-safety course is tested against: the UK's 14, Japan's
# 特定原材料 and its recommended items. Where Japan names one food of a UK group (wheat, shrimp,
# walnut...) it is its own choice, because a diner may react to that one food only. The values
# are the table's codes, stored in Diner.allergens: the table never renames or drops one.
Allergen = models.TextChoices(
    "Allergen",
    [(row.code.upper(), (row.code, _allergen_label(row))) for row in allergen_table.ALLERGENS],
    module=__name__,
)

# What the diet form asks about first, by the diner's country: the UK's 14, or Japan's 特定原材料
# including one decided but not yet in force (cashew), which labels may not show yet.
UK_ALLERGENS = tuple(Allergen(row.code) for row in allergen_table.mandatory_in(allergen_table.GB, decided=True))
JP_ALLERGENS = tuple(Allergen(row.code) for row in allergen_table.mandatory_in(allergen_table.JP, decided=True))
# Then, in Japan, the items labels are recommended to show (特定原材料に準ずるもの), minus any decided as
# mandatory above.
JP_RECOMMENDED_ALLERGENS = tuple(
    Allergen(row.code)
    for row in allergen_table.recommended_in(allergen_table.JP, decided=True)
    if Allergen(row.code) not in JP_ALLERGENS
)


# A texture's Universal Design Food category (ユニバーサルデザインフード, 日本介護食品協議会): its number
# and name as Japanese care managers and packs write them. Japanese labels come from here, not the
# catalogue, so the words are exactly the category's.
UDF_CATEGORIES = {
    "easy": (1, "容易にかめる"),
    "soft": (2, "歯ぐきでつぶせる"),
    "minced": (3, "舌でつぶせる"),
    "pureed": (4, "かまなくてよい"),
}


def _udf_label(code: str, english) -> str:
    if get_language() == "ja":
        number, name = UDF_CATEGORIES[code]
        return f"{name}（区分{number}）"
    return str(english)


def _texture_label(code: str, english):
    return lazy(lambda: _udf_label(code, english), str)()


class Weekday(models.TextChoices):
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")
    SATURDAY = "sat", _("Saturday")
    SUNDAY = "sun", _("Sunday")


class Portion(models.TextChoices):
    SMALL = "small", _("A small portion")
    REGULAR = "regular", _("A regular portion")
    LARGE = "large", _("A large portion")


class BestTime(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning")
    LUNCHTIME = "lunchtime", _("Lunchtime")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Early evening")


class VisitStyle(models.TextChoices):
    CHAT = "chat", _("Stay for a chat")
    DOOR = "door", _("Leave the meal at the door")
    EITHER = "either", _("Either is fine")


class FormOfAddress(models.TextChoices):
    """The honorific Japanese output adds after a diner's name, with no space (casserole.names)."""

    SAN = names.SAN, pgettext_lazy("form of address", "さん (everyday)")
    SAMA = names.SAMA, pgettext_lazy("form of address", "様 (formal)")


class Diner(PostalAddress):
    """An older person who would like meals. Personal, health and allergy data: only their area's
    coordinators, referrers with a scope for them and (from the matching issue) a matched cook may see
    it, each through an access helper, and viewing the full record is audited."""

    class Status(models.TextChoices):
        # A diner becomes a record when a request is submitted; "active" once a coordinator accepts.
        REFERRED = "referred", _("Referred")
        ACTIVE = "active", pgettext_lazy("diner status", "Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    class Texture(models.TextChoices):
        # Japanese pages name each texture by the Universal Design Food category care managers use
        # (UDF_CATEGORIES): the same four steps, from easy to chew to no chewing needed.
        NORMAL = "normal", _("No special texture")
        EASY = "easy", _texture_label("easy", _("Easy to chew"))
        SOFT = "soft", _texture_label("soft", _("Soft and bite-sized"))
        MINCED = "minced", _texture_label("minced", _("Minced and moist"))
        PUREED = "pureed", _texture_label("pureed", _("Puréed"))

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("About once a week")
        FORTNIGHTLY = "fortnightly", _("About once a fortnight")
        MONTHLY = "monthly", _("About once a month")

    class ConsentMethod(models.TextChoices):
        IN_PERSON = "in_person", _("They told me in person")
        PHONE = "phone", _("They told me on the phone")
        WRITING = "writing", _("They agreed in writing")
        THEMSELVES = "themselves", _("The diner is making this request themselves")

    class Share(models.TextChoices):
        """What a matched cook may see, beyond the first name, neighbourhood, needs and days that every
        nearby cook sees. Address and phone are needed to bring a meal, so consent covers them."""

        ADDRESS = "address", _("Their address")
        PHONE = "phone", _("Their phone number")
        ACCESS = "access", _("How to get in")
        LIKES = "likes", _("What they like and dislike")

    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="diners")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    status_reason = models.CharField(max_length=500, blank=True)
    # Who they are.
    full_name = models.CharField(_("full name"), max_length=150)
    name_reading = models.CharField(_("reading of the name"), max_length=150, blank=True)
    preferred_name = models.CharField(_("what they like to be called"), max_length=80)
    # How Japanese pages and letters address them after the name (casserole.names): さん unless they
    # prefer 様. Blank means さん. English output never adds one.
    form_of_address = models.CharField(
        _("form of address"), max_length=4, choices=FormOfAddress.choices, blank=True, default=""
    )
    preferred_language = models.CharField(max_length=2, choices=settings.LANGUAGES, default="en")
    # Where they live: the PostalAddress fields and these (private: coordinators, scoped referrers and
    # a matched cook with consent only).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_source = models.CharField(max_length=20, choices=GeocodeSource.choices, blank=True)
    # The centre of the fixed cell holding the diner (casserole.cells): what a cook who is not matched
    # is measured from, so searching from many places narrows a diner down to the cell and no further.
    # Computed by the database, so every way the location is written keeps it in step.
    cell_latitude = models.GeneratedField(
        expression=cell_latitude_expression(), output_field=models.FloatField(null=True), db_persist=True
    )
    cell_longitude = models.GeneratedField(
        expression=cell_longitude_expression(), output_field=models.FloatField(null=True), db_persist=True
    )
    neighbourhood = models.CharField(max_length=100, blank=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)  # E.164; a landline is fine
    access_notes = models.TextField(_("how to get in"), max_length=1000, blank=True)
    # Needs.
    dietary_needs = models.TextField(_("dietary needs"), max_length=1000, blank=True)
    allergens = models.JSONField(default=list, blank=True)  # Allergen values
    allergy_notes = models.TextField(_("other allergies"), max_length=1000, blank=True)
    texture = models.CharField(max_length=10, choices=Texture.choices, default=Texture.NORMAL)
    likes = models.TextField(_("likes"), max_length=1000, blank=True)
    dislikes = models.TextField(_("dislikes"), max_length=1000, blank=True)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    days = models.JSONField(default=list, blank=True)  # Weekday values: days that suit
    # How they like their meals (meals.schedule shows these to the cook on every meal).
    days_unsuitable = models.JSONField(default=list, blank=True)  # Weekday values: days that don't
    best_time = models.CharField(_("best time"), max_length=10, choices=BestTime.choices, default=BestTime.ANY)
    portion = models.CharField(_("portion size"), max_length=8, choices=Portion.choices, default=Portion.REGULAR)
    visit_style = models.CharField(
        _("chat or door"), max_length=8, choices=VisitStyle.choices, default=VisitStyle.EITHER
    )
    door_notes = models.TextField(_("at the door"), max_length=500, blank=True)  # "ring twice, side gate"
    # Someone to call in an emergency.
    emergency_name = models.CharField(_("emergency contact's name"), max_length=150, blank=True)
    emergency_phone = models.CharField(_("emergency contact's phone"), max_length=32, blank=True)
    emergency_relationship = models.CharField(_("emergency contact's relationship"), max_length=80, blank=True)
    # Consent: without it there is no request (the service refuses to create one).
    consent_method = models.CharField(max_length=12, choices=ConsentMethod.choices)
    consent_given_on = models.DateField()
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_with_cook = models.JSONField(default=list, blank=True)  # Share values
    concerns_to_referrer = models.BooleanField(default=False)
    concerns_to_emergency_contact = models.BooleanField(default=False)
    # Set when the diner withdrew their consent to phone calls and texts (meals.rights.consents): nobody
    # from the service phones them for feedback. Cleared when they agree again.
    phone_calls_withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["area", "status"], name="diner_area_status"),
            # Every impact figure narrows to the areas' diners: their ids from the index alone (a covering
            # index), not a scan of the whole table (docs/performance.md).
            models.Index(fields=["area", "id"], name="diner_area_id"),
            # The nearby search (meals.matching.nearby) narrows active diners by a bounding box on their
            # cells and picks the nearest ids from the index alone, without reading the table (status is
            # there for SQLite, which otherwise reads each row to check it): see docs/performance.md.
            models.Index(
                fields=["cell_latitude", "cell_longitude", "id", "status"],
                condition=Q(status="active"),
                name="diner_active_location",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="diner_valid_location",
            ),
        ]

    def __str__(self) -> str:
        return self.preferred_name or self.full_name

    @property
    def needs_placing(self) -> bool:
        return self.latitude is None or self.longitude is None

    @property
    def addressed(self) -> names.AddressedName:
        """What they like to be called, with their honorific on Japanese output (花子さん / Edie):
        the one way a message names the diner."""
        return names.AddressedName(self.preferred_name, form=self.form_of_address)

    @property
    def addressed_in_full(self) -> names.AddressedName:
        """The full name (family name first, as written) with their honorific: 山田 花子さん."""
        return names.AddressedName(self.full_name, form=self.form_of_address)

    @property
    def addressed_formally(self) -> names.AddressedName:
        """As a letter or a printed card addresses them: in full with 様 in Japanese (山田 花子様), and
        by the name they like in English (Edie), as English cards always have."""
        return names.AddressedName(self.preferred_name, formal=True, full_name=self.full_name)


class ProxyAccess(models.Model):
    """A referrer may act for a diner within the scope a coordinator chose. Revoking sets
    `revoked_at`; access helpers read it on every request, so it works on the next one."""

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="proxies")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proxy_accesses")
    can_view_schedule = models.BooleanField(_("see the meal schedule"), default=True)
    can_confirm_meals = models.BooleanField(_("confirm meals"), default=False)
    can_give_feedback = models.BooleanField(_("give feedback"), default=False)
    can_edit_details = models.BooleanField(_("update their details and needs"), default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["diner", "referrer"], condition=Q(revoked_at__isnull=True), name="one_live_proxy_per_referrer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referrer} for {self.diner}"
