"""The relationship log: what happened at each meal (the visit record), worries (concerns), an unanswered
door (a door case, escalated step by step), the diner's chosen watch reports to family, feedback and
friendship, the loneliness measure, and coordinators' notes — the rows each match's timeline is made of.

Sensitive: concern text, wellbeing answers and notes, loneliness answers. Only the area's coordinators
(and a referrer where the diner consented) read them, each read is audited, and no email carries
them to anyone who could not read them on the site.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casserole.models import Channel, OutboundEmail, OutboundText
from meals.diners.models import Diner
from meals.matching.models import Match
from meals.schedule.models import Meal


class Wellbeing(models.TextChoices):
    USUAL = "usual", _("As usual")
    NOT_USUAL = "not_usual", _("Not as usual")
    NOT_ASKED = "not_asked", _("Didn’t ask")


# The wellbeing check, modelled on community watch visits (Japan Post's monthly visit asks about these):
# (key, the question as the cook reads it). Keys are stored in Visit.wellbeing: never rename one.
WELLBEING_ITEMS = (
    ("health", _("Health")),
    ("eating", _("Eating")),
    ("sleep", _("Sleep")),
    ("moving", _("Moving about")),
    ("going_out", _("Going out")),
    ("daily_life", _("Managing day to day")),
    ("worries", _("Worries")),
)
WELLBEING_KEYS = tuple(key for key, _label in WELLBEING_ITEMS)


class Visit(models.Model):
    """The cook's record of one meal: delivered or not, how long they stayed, and the wellbeing check."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        NO_ANSWER = "no_answer", _("No answer at the door")
        DINER_AWAY = "diner_away", _("The diner was away")
        COOK_COULD_NOT = "cook_could_not", _("I couldn’t go")

    meal = models.OneToOneField(Meal, on_delete=models.CASCADE, related_name="visit")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="visits")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    minutes_stayed = models.PositiveSmallIntegerField(null=True, blank=True)
    wellbeing = models.JSONField(default=dict, blank=True)  # {WELLBEING_KEYS: Wellbeing value}
    wellbeing_notes = models.JSONField(default=dict, blank=True)  # {WELLBEING_KEYS: note}: never in a report
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_stayed__isnull=True) | Q(minutes_stayed__lte=600), name="visit_minutes_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"Visit for meal {self.meal_id}: {self.outcome}"


class VisitReminder(models.Model):
    """A meal not recorded within 48 hours reminds its cook once (this row), then shows to the coordinator."""

    meal = models.OneToOneField(Meal, on_delete=models.CASCADE, related_name="visit_reminder")
    sent_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey(OutboundEmail, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Visit reminder for meal {self.meal_id}"


class Concern(models.Model):
    """A worry about a diner: from a visit record, or raised by a referrer or coordinator at any time."""

    class Level(models.TextChoices):
        INFORMATION = "information", _("For information")
        WORRIED = "worried", _("Worried")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("concern status", "Open")
        ACKNOWLEDGED = "acknowledged", _("Being looked at")
        CLOSED = "closed", pgettext_lazy("concern status", "Closed")

    LEVEL_ORDER = {Level.URGENT: 0, Level.WORRIED: 1, Level.INFORMATION: 2}

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="concerns")
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns")
    level = models.CharField(max_length=12, choices=Level.choices)
    text = models.TextField(max_length=2000)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)  # still open after the set time
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["status", "level", "raised_at"], name="concern_queue")]

    def __str__(self) -> str:
        return f"Concern {self.pk} ({self.level}) about diner {self.diner_id}"


class DoorCase(models.Model):
    """Nobody answered the door: an escalation every step of which is recorded with its time, open until
    a coordinator closes it with what had happened."""

    class Outcome(models.TextChoices):
        WAS_OUT = "was_out", _("They were out")
        DID_NOT_HEAR = "did_not_hear", _("They didn’t hear the door")
        IN_HOSPITAL = "in_hospital", _("They are in hospital")
        UNWELL_AT_HOME = "unwell_at_home", _("They were unwell at home and got help")
        OTHER = "other", _("Something else")

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="door_case")
    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="door_cases")
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reraised_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"Door case {self.pk} for diner {self.diner_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DoorCaseStep(models.Model):
    """One step of a door case, with its time: the case opened, who was told, raised again, acknowledged,
    a note, closed."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("The cook found no answer at the door")
        EMERGENCY_CONTACT_TOLD = "emergency_contact_told", _("Emergency contact sent a text")
        EMERGENCY_CONTACT_NOT_TOLD = (
            "emergency_contact_not_told",
            _("Emergency contact not told (no consent or no number)"),
        )
        COORDINATORS_TOLD = "coordinators_told", _("The area’s coordinators told")
        RERAISED = "reraised", _("Raised again to every coordinator of the area")
        ACKNOWLEDGED = "acknowledged", _("A coordinator is dealing with it")
        NOTE = "note", _("Note")
        CLOSED = "closed", _("Closed")

    case = models.ForeignKey(DoorCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(max_length=2000, blank=True)
    text = models.ForeignKey(OutboundText, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class WatchRecipient(models.Model):
    """Someone the diner chose to receive a short report after visits. The diner approves each (through
    a coordinator on the phone, or themselves) and can stop it at any time."""

    class Frequency(models.TextChoices):
        EACH_VISIT = "each_visit", _("After each visit")
        WEEKLY = "weekly", _("Once a week")
        MONTHLY = "monthly", _("Once a month")

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="watch_recipients")
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    relationship = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=2, choices=settings.LANGUAGES, default="en")
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    # Which wellbeing answers the diner agreed to share with this person (WELLBEING_KEYS); never notes.
    shared_items = models.JSONField(default=list, blank=True)
    approved_channel = models.CharField(max_length=16, choices=Channel.choices)  # how the diner said yes
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["diner", "email"], condition=Q(stopped_at__isnull=True), name="one_live_watch_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"Watch reports for diner {self.diner_id} to {self.name}"


class WatchReport(models.Model):
    """One report to one recipient for one period (or one visit): unique, so the job can run twice."""

    recipient = models.ForeignKey(WatchRecipient, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(max_length=32)  # "visit-<pk>", "week-2026-W49", "month-2026-12"
    sent_at = models.DateTimeField(default=timezone.now)
    visits = models.PositiveSmallIntegerField(default=0)
    email = models.ForeignKey(OutboundEmail, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "period"], name="one_watch_report_per_period")]

    def __str__(self) -> str:
        return f"Watch report {self.period} to {self.recipient_id}"


class Feedback(models.Model):
    """What a side said about the match at one occasion (after the 1st, 2nd and 4th meals, then monthly),
    through whichever channel they use."""

    class Side(models.TextChoices):
        DINER = "diner", _("The diner")
        COOK = "cook", _("The cook")

    class Enjoyed(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    class Friend(models.TextChoices):
        YES = "yes", _("Yes")
        NOT_YET = "not_yet", _("Not yet")
        NO = "no", _("No")

    class YesNo(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(max_length=5, choices=Side.choices)
    occasion = models.CharField(max_length=16)  # "meal-1", "meal-2", "meal-4", "month-2026-12"
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    given_at = models.DateTimeField(default=timezone.now)
    enjoyed = models.CharField(max_length=6, choices=Enjoyed.choices, blank=True)
    friend = models.CharField(max_length=8, choices=Friend.choices, blank=True)
    less_contact_without = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    wants_different_cook = models.BooleanField(default=False)
    changes = models.TextField(max_length=2000, blank=True)  # anything they'd like changed / how it's going
    # For the diner's answers to these two questions, when the match's next answer to the same question was
    # given (None while this is the latest): kept by meals.relationships.feedback.link_answers, so that the
    # impact figures find each match's latest answer in a period by reading the period's answers alone.
    friend_replaced_at = models.DateTimeField(null=True, blank=True)
    less_contact_replaced_at = models.DateTimeField(null=True, blank=True)

    # The questions whose latest answer the impact figures count, and the field saying when each was replaced.
    LINKED = {"friend": "friend_replaced_at", "less_contact_without": "less_contact_replaced_at"}

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["match", "side", "occasion"], name="one_feedback_per_occasion"),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.occasion} from the {self.side} on match {self.match_id}"


class FeedbackAsk(models.Model):
    """One side was asked for feedback at one occasion (by email to the cook or a proxy who may give
    it): unique, so the asking job can run twice. A diner with nobody to email is asked by a coordinator
    on the phone (their queue shows who is due)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="feedback_asks")
    side = models.CharField(max_length=5, choices=Feedback.Side.choices)
    occasion = models.CharField(max_length=16)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    email = models.ForeignKey(OutboundEmail, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "side", "occasion", "recipient"], name="one_feedback_ask"),
        ]

    def __str__(self) -> str:
        return f"Asked {self.recipient_id} for {self.occasion} feedback on match {self.match_id}"


class LonelinessMeasure(models.Model):
    """The diner's answers to the loneliness questions of their language's scale, with consent: at intake
    and every 3 months. The answers are stored, not only a score, and each scale is reported on its own."""

    class Scale(models.TextChoices):
        ONS = "ons", _("ONS harmonised loneliness questions (English)")
        JP_NATIONAL = "jp_national", _("National loneliness and isolation survey (Japanese)")

    diner = models.ForeignKey(Diner, on_delete=models.CASCADE, related_name="loneliness_measures")
    scale = models.CharField(max_length=12, choices=Scale.choices)
    answers = models.JSONField(default=dict)  # {question key: option key}, per meals.relationships.loneliness
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # the three-item total (3–9), same for both
    taken_on = models.DateField(default=timezone.localdate)
    intake = models.BooleanField(default=False)
    # Kept by meals.relationships.loneliness.link_measure, so that the impact figures find each diner's latest measure
    # in a period and compare it with their intake by reading the period's measures alone: the diner's
    # intake (their first measure), copied onto each measure (a measure is taken on the day it is
    # recorded, so the first never changes; the intake's own row holds its own), and the day of the
    # diner's next measure (None for their latest).
    intake_scale = models.CharField(max_length=12, choices=Scale.choices, blank=True)
    intake_score = models.PositiveSmallIntegerField(null=True, blank=True)
    next_taken_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PHONE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_on", "-pk"]
        indexes = [models.Index(fields=["taken_on"], name="loneliness_taken")]

    def __str__(self) -> str:
        return f"Loneliness measure ({self.scale}) for diner {self.diner_id} on {self.taken_on}"


class MeasureConsent(models.Model):
    """The diner agreed (or withdrew agreement) to be asked the loneliness questions every 3 months."""

    diner = models.OneToOneField(Diner, on_delete=models.CASCADE, related_name="measure_consent")
    given = models.BooleanField(default=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Loneliness measure consent for diner {self.diner_id}: {self.given}"


class MatchNote(models.Model):
    """A coordinator's note on a match's timeline (a phone call, a visit, anything worth keeping)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=2000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Note on match {self.match_id}"
