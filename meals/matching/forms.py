"""Forms for the cook's side of matching (an offer, a request to pause or end) and the referrer's request
to pause or end. The coordinator's matching forms are further down; pausing, resuming and ending a
match ask with casserole.status.StatusReasonForm.

They check the shape of the input; meals.matching.services checks the rules, and its refusals come back as form
errors. Only the fields declared here are read, so extra POST fields (status, cook, diner, additional...)
change nothing.
"""

import re
import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casserole.fields import SplitDateField
from casserole.text import TextField
from meals.matching.models import Match, MatchChangeRequest

MESSAGE_MAX_LENGTH = 1000  # Match.message


CHANGE_REASON_MAX_LENGTH = 1000  # MatchChangeRequest.reason


class OfferForm(forms.Form):
    message = TextField(
        label=_("Message to the coordinator (optional)"),
        help_text=_(
            "For example, which days you could cook or anything you would like them to know. "
            "Only the coordinator reads this."
        ),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Your message must be %(limit_value)d characters or fewer")},
    )


class ChangeRequestForm(forms.Form):
    """Ask the coordinator to pause or end a match. A paused match can only be asked to end, so the
    question is not asked then (one option is no choice)."""

    kind = forms.ChoiceField(
        label=_("What would you like to ask for?"),
        choices=[
            (MatchChangeRequest.Kind.PAUSE, _("Pause it for a while")),
            (MatchChangeRequest.Kind.END, _("End it")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether to pause or end"),
            "invalid_choice": _("Select whether to pause or end"),
        },
    )
    reason = TextField(
        label=_("Tell the coordinator why"),
        help_text=_("The coordinator reads this before they decide. They may call you to talk it over."),
        max_length=CHANGE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Tell the coordinator why"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, **kwargs)
        if match.status == Match.Status.PAUSED:
            del self.fields["kind"]

    def chosen_kind(self) -> str:
        if "kind" not in self.fields:
            return MatchChangeRequest.Kind.END
        return self.cleaned_data["kind"]


REASON_MAX_LENGTH = 500  # Match.reason


def _reason_field(label, *, help_text="", required_message=None) -> forms.CharField:
    return TextField(
        label=label,
        help_text=help_text,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message or _("Enter the reason"),
            "max_length": _("The reason must be 500 characters or fewer"),
        },
    )


class ApproveForm(forms.Form):
    """No fields: it carries the service's refusal (as a form error) back to the page."""


class DeclineForm(forms.Form):
    reason = _reason_field(
        _("Why are you not approving this offer?"),
        help_text=_("We will email this to the cook, so write it for them."),
        required_message=_("Enter the reason, so the cook knows why"),
    )


class IntroductionDateField(SplitDateField):
    """casserole.fields.SplitDateField (three boxes, full-width digits) for a date that may be in the future."""

    default_error_messages = {
        "required": _("Enter the date of the introduction"),
        "incomplete": _("Enter the day, the month and the year of the introduction"),
        "invalid": _("Enter a real date, for example 27 11 2026"),
    }

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            if error.code != "future":
                raise
        # Everything but "not in the future" was checked: the parts are a real date.
        day, month, year = (int(unicodedata.normalize("NFKC", part).strip()) for part in data_list)
        return date(year, month, day)


_TIME_24 = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?$")


_TIME_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)$")


_TIME_JA = re.compile(r"^(午前|午後)?(\d{1,2})時(?:(\d{1,2})分|半)?$")


def parse_time(text: str) -> time | None:
    """A time as people type it: "14:30", "14.30", "1430", "2:30pm", "2pm", "14時30分", "午後2時半",
    full-width digits and colon included. None when it is not a real time."""
    value = unicodedata.normalize("NFKC", text or "").strip().lower()
    value = re.sub(r"\s+", "", value).replace("a.m.", "am").replace("p.m.", "pm")
    hour = minute = None
    if match := _TIME_24.match(value):
        hour, minute = int(match[1]), int(match[2] or 0)
    elif match := _TIME_12.match(value):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
    elif match := _TIME_JA.match(value):
        hour = int(match[2])
        minute = 30 if value.endswith("半") else int(match[3] or 0)
        if match[1]:
            if hour > 12:
                return None
            hour = hour % 12 + (12 if match[1] == "午後" else 0)
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


class IntroductionForm(forms.Form):
    """How and when the cook first meets the diner. The date and time are the area's local time
    (Area.time_zone); `when` is the timezone-aware moment, set by clean()."""

    method = forms.ChoiceField(
        label=_("How will the introduction happen?"),
        choices=Match.Introduction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how the introduction will happen"),
            "invalid_choice": _("Select how the introduction will happen"),
        },
    )
    date = IntroductionDateField(label=_("Date of the introduction"), help_text=_("For example, 27 11 2026"))
    time = forms.CharField(
        label=_("Time of the introduction"),
        help_text=_("For example, 14:30 or 2:30pm"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the time of the introduction")},
    )

    def __init__(self, *args, time_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = ZoneInfo(time_zone)

    @classmethod
    def initial_for(cls, match: Match, time_zone: str) -> dict:
        if match.introduction_at is None:
            return {"method": match.introduction_method or None}
        local = match.introduction_at.astimezone(ZoneInfo(time_zone))
        return {"method": match.introduction_method, "date": local.date(), "time": local.strftime("%H:%M")}

    def clean_time(self):
        value = parse_time(self.cleaned_data["time"])
        if value is None:
            raise forms.ValidationError(_("Enter a real time, for example 14:30"), code="invalid")
        return value

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("date"), cleaned.get("time")
        if day is not None and day < timezone.localdate(timezone=self.time_zone):
            self.add_error("date", _("The introduction must be today or later"))
        elif day is not None and at is not None:
            cleaned["when"] = datetime.combine(day, at, tzinfo=self.time_zone)
        return cleaned


class SecondCookForm(forms.Form):
    """Choose one of the cooks meals.matching.selectors.second_cook_candidates found: any other id is
    refused here, and meals.matching.services checks again that the cook is active."""

    cook = forms.TypedChoiceField(
        label=_("Which cook?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a cook"),
            "invalid_choice": _("Select one of the cooks shown"),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.cook.pk: candidate for candidate in candidates}
        self.fields["cook"].choices = [
            (candidate.cook.pk, f"{candidate.cook.full_name} ({candidate.distance})") for candidate in candidates
        ]

    def chosen(self):
        return self.candidates[self.cleaned_data["cook"]].cook
