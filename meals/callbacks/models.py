"""A "please call me" request: someone without an account asks a coordinator to phone them about meals.

It is the shortest way in for a person who is online but will not make an account, or for a
neighbour asking on someone's behalf. It holds personal data (a name, a phone number, a postcode and
perhaps an address) and nothing about health: the coordinator asks the rest on the phone and, if
meals would help, makes the full request with them (meals.referrals, channel "phone").

Data minimisation: a row exists only while a coordinator has still to call, and for
CALLBACK_RETENTION_DAYS after they record the outcome (meals.callbacks.services.purge_callbacks, daily).
Nothing is stored for a postcode outside every area, nor for a request that looks automated.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area


class CallbackRequest(models.Model):
    """Someone asked to be phoned about meals; a coordinator of the area calls and records the outcome.

    Only coordinators of `area` (and admins) may see a row (meals.callbacks.access). `__str__` names no
    one: it is what audit entries keep as the object's label."""

    class ForWhom(models.TextChoices):
        SELF = "self", _("Me")
        SOMEONE_ELSE = "someone_else", _("Someone else")

    class BestTime(models.TextChoices):
        MORNINGS = "mornings", _("Mornings")
        AFTERNOONS = "afternoons", _("Afternoons")
        EVENINGS = "evenings", _("Evenings")
        ANY = "any", _("Any time")

    class Outcome(models.TextChoices):
        REFERRAL = "referral", _("Called: they would like meals, so I am making a request with them")
        NOT_NEEDED = "not_needed", _("Called: meals are not needed")
        UNREACHABLE = "unreachable", _("Could not reach them after trying")

    class Language(models.TextChoices):
        EN = "en", "English"
        JA = "ja", "日本語"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="callback_requests")
    # The person to phone: the one who needs meals, or a neighbour or relative asking for them.
    name = models.CharField(max_length=150)
    phone = models.CharField(max_length=32)  # E.164 (casserole.phones)
    for_whom = models.CharField(max_length=12, choices=ForWhom.choices)
    diner_name = models.CharField(max_length=150, blank=True)  # when someone else needs the meals
    country = models.CharField(max_length=2, choices=Area.Country.choices)
    postcode = models.CharField(max_length=10)  # canonical form (casserole.postcodes)
    address = models.TextField(max_length=300, blank=True)
    best_time = models.CharField(max_length=10, choices=BestTime.choices)
    best_time_note = models.CharField(max_length=200, blank=True)
    # The language of the page they asked on: the language to call them in.
    language = models.CharField(max_length=2, choices=Language.choices)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    note = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["area", "handled_at", "created_at"], name="callback_queue")]
        constraints = [
            # One open request per number in an area: asking again adds nothing for the coordinator.
            models.UniqueConstraint(
                fields=["area", "phone"], condition=Q(handled_at__isnull=True), name="callback_one_open_per_phone"
            ),
            # Handled means an outcome was recorded, and the other way round.
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True, outcome="") | (Q(handled_at__isnull=False) & ~Q(outcome="")),
                name="callback_outcome_when_handled",
            ),
            models.CheckConstraint(
                condition=Q(for_whom="self", diner_name="") | (Q(for_whom="someone_else") & ~Q(diner_name="")),
                name="callback_diner_name_for_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"Call-back {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.handled_at is None

    @property
    def for_someone_else(self) -> bool:
        return self.for_whom == self.ForWhom.SOMEONE_ELSE
