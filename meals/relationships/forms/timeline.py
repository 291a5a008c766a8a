"""The coordinator's note on a match's timeline. It checks the shape of the input;
meals.relationships.timeline.write_match_note checks the rules and its refusals come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.text import TextField
from meals.relationships.timeline import NOTE_MAX_LENGTH


class MatchNoteForm(forms.Form):
    text = TextField(
        label=_("Add a note"),
        help_text=_("A phone call, a visit, anything worth keeping. Only the area’s coordinators read notes."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write the note"),
            "max_length": _("The note must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "note")
        super().__init__(*args, **kwargs)
