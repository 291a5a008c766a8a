"""Forms for the diner's side: a referrer confirms or declines one meal, and turns the day-before
reminder emails on or off. How the diner likes their meals is meals.schedule.preferences.PreferencesForm.

They check the shape of the input only; meals.schedule.services decides whether the meal may still be
confirmed, and its refusals come back as messages on the schedule page.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

CONFIRM, DECLINE = "confirm", "decline"


class DecideForm(forms.Form):
    """Sent by the schedule page's buttons ("Confirm", "Can't have it"): the button is the answer."""

    decision = forms.ChoiceField(
        choices=[(CONFIRM, _("Confirm")), (DECLINE, _("Can’t have it"))],
        error_messages={
            "required": _("Choose whether to confirm the meal"),
            "invalid_choice": _("Choose whether to confirm the meal"),
        },
    )

    @property
    def confirm(self) -> bool:
        return self.cleaned_data["decision"] == CONFIRM


class RemindersForm(forms.Form):
    """Sent by the schedule page's one button: turn the reminders on, or off."""

    reminders = forms.ChoiceField(
        choices=[("on", _("On")), ("off", _("Off"))],
        error_messages={
            "required": _("Choose whether to get reminders"),
            "invalid_choice": _("Choose whether to get reminders"),
        },
    )

    @property
    def on(self) -> bool:
        return self.cleaned_data["reminders"] == "on"
