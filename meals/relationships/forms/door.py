"""The coordinator's door case page: a note, and closing the case with what had happened. ("I'm dealing
with it" is a button with no fields.) The rules (open, not yet acknowledged) are meals.relationships.door's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.text import TextField
from meals.relationships.door import NOTE_MAX_LENGTH
from meals.relationships.models import DoorCase

ACKNOWLEDGE, NOTE, CLOSE = "acknowledge", "note", "close"


def _text(label, help_text, required_message) -> TextField:
    return TextField(
        label=label,
        help_text=help_text,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message,
            "max_length": _("The note must be %(limit_value)d characters or fewer"),
        },
    )


class DoorNoteForm(forms.Form):
    prefix = NOTE

    text = _text(
        _("Your note"),
        _("For example: who you phoned, who went round, what they found."),
        _("Write the note"),
    )


class CloseDoorCaseForm(forms.Form):
    prefix = CLOSE

    outcome = forms.ChoiceField(
        label=_("What had happened?"),
        choices=DoorCase.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what had happened"), "invalid_choice": _("Select what had happened")},
    )
    note = _text(
        _("What happened and what was done"),
        _("It is kept with the case, for the other coordinators."),
        _("Write what happened and what was done"),
    )
