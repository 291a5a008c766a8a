"""Meals: what a cook brings to the diner of an active match, one-off or as a repeating series.

A series stores its repeat as an RFC 5545 RRULE and its time as wall-clock time in the area's time
zone (DTSTART = `starts_on` at `start_time`), so a meal at 12:30 stays at 12:30 across a daylight-saving
change. The daily job (meals.schedule.services.schedule_meals) makes the concrete meals a few weeks ahead;
each meal remembers the occurrence it was made for, and (series, occurrence) is unique, so running the
job twice, or two at once, makes each meal once. A meal the cook moves or edits on its own is
`detached`: changing or ending the series leaves it alone, and past meals are never touched.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casserole.models import Channel, OutboundEmail
from meals.diners.models import Portion, ProxyAccess
from meals.matching.models import Match


class Repeat(models.TextChoices):
    NEVER = "", _("Just this once")
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Once a month, on the same weekday")


class MealSeries(models.Model):
    """A repeating meal: the rule, the time window and what the cook plans to cook."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meal_series")
    repeat = models.CharField(max_length=12, choices=Repeat.choices)
    rule = models.CharField(max_length=200)  # RRULE value, e.g. "FREQ=WEEKLY;INTERVAL=2"
    starts_on = models.DateField()  # the first occurrence, in the area's time zone
    start_time = models.TimeField()
    end_time = models.TimeField()
    dish = models.CharField(max_length=200)
    portion = models.CharField(max_length=8, choices=Portion.choices, default=Portion.REGULAR)
    allergens = models.JSONField(default=list, blank=True)  # casserole.allergens codes the dish contains
    # Set when the cook ends the series (or changes the rest, which ends this one and starts another):
    # no occurrence after this day is made.
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: a double submit finds the series the first one made.
    submission = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="series_window_positive"),
        ]

    def __str__(self) -> str:
        return f"Series {self.pk} ({self.rule}) for match {self.match_id}"


class Meal(models.Model):
    """One meal on one day. `cook` is who brings it: the match's cook, or another who covers it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting to be confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Not wanted")
        CANCELLED = "cancelled", _("Cancelled")

    class CancelReason(models.TextChoices):
        COOK_CANNOT = "cook_cannot", _("The cook can’t come")
        DINER_AWAY = "diner_away", _("The diner is away")
        SERIES_ENDED = "series_ended", _("The repeating meals were ended")
        MATCH_PAUSED = "match_paused", _("The match is paused")
        MATCH_ENDED = "match_ended", _("The match has ended")
        OTHER = "other", _("Another reason")

    # Meals in these states are going ahead (or may): they count for overlaps and reminders.
    HAPPENING = (Status.PROPOSED, Status.CONFIRMED)

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meals")
    series = models.ForeignKey(MealSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meals")
    occurrence = models.DateTimeField(null=True, blank=True)  # the series' start this meal was made for
    detached = models.BooleanField(default=False)  # moved or changed on its own: the series leaves it
    cook = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meals_to_bring")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    dish = models.CharField(max_length=200)
    portion = models.CharField(max_length=8, choices=Portion.choices, default=Portion.REGULAR)
    allergens = models.JSONField(default=list, blank=True)  # casserole.allergens codes the dish contains
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # The diner's side: who confirmed or declined, when, and how (a coordinator after a phone call...).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)  # kept through a cancellation and cover
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=16, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(max_length=500, blank=True)
    # When another cook covers a meal the first cook could not bring.
    covered_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cover_arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cover_arranged_at = models.DateTimeField(null=True, blank=True)
    submission = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["cook", "starts_at"], name="meal_cook_time"),
            models.Index(fields=["match", "starts_at"], name="meal_match_time"),
            models.Index(fields=["status", "starts_at"], name="meal_status_time"),
            # The impact figures: the meals near a month's boundary (meals.impact.selectors._meals),
            # and the few meals called off among a period's many.
            models.Index(fields=["starts_at"], name="meal_time"),
            models.Index(fields=["starts_at"], condition=Q(cancelled_at__isnull=False), name="meal_called_off_time"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "occurrence"], name="one_meal_per_occurrence"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meal_window_positive"),
        ]

    def __str__(self) -> str:
        return f"Meal {self.pk} on {self.starts_at:%Y-%m-%d %H:%M} for match {self.match_id}"

    @property
    def is_happening(self) -> bool:
        return self.status in self.HAPPENING

    @property
    def needs_cover(self) -> bool:
        return self.status == self.Status.CANCELLED and self.cancel_reason == self.CancelReason.COOK_CANNOT


class MealReminder(models.Model):
    """One reminder to one person for one meal at one time: unique, so the reminder run can be repeated
    (or overlap itself) and nobody is reminded twice. A moved meal is reminded again for its new time."""

    class Kind(models.TextChoices):
        COOK = "cook", _("The cook")
        PROXY = "proxy", _("Someone acting for the diner")

    meal = models.ForeignKey(Meal, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    starts_at = models.DateTimeField()  # the meal's time when reminded
    email = models.ForeignKey(OutboundEmail, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meal", "recipient", "starts_at"], name="one_reminder_per_meal_time"),
        ]

    def __str__(self) -> str:
        return f"Reminder for meal {self.meal_id} to {self.recipient_id}"


class CalendarFeed(models.Model):
    """A cook's private calendar address. The token is the only key, so it is long and random, and the
    cook can reset it (the old address stops at once). The feed holds first names and neighbourhoods
    only, never an address, so a leaked address leaks nothing sensitive."""

    cook = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.cook_id}"


class MealRemindersConsent(models.Model):
    """A referrer acting for a diner chose to be reminded of the diner's meals the day before."""

    proxy = models.OneToOneField(ProxyAccess, on_delete=models.CASCADE, related_name="meal_reminders")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Meal reminders for {self.proxy_id}"
