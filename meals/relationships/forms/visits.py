"""The visit record form, made to be filled in under a minute on a phone: what happened (radios), how long
the cook stayed (radios, shown under "Delivered"), the wellbeing check (three radios a row, "Didn't ask"
chosen already, an optional note each) and a note.

It checks the shape of the input; meals.relationships.visits.record_visit checks the rules (the cook's
meal, started, not recorded yet). Only the fields declared here are read.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.text import TextField
from meals.relationships.models import WELLBEING_ITEMS, Visit, Wellbeing
from meals.relationships.visits import ITEM_NOTE_MAX_LENGTH, NOTE_MAX_LENGTH

# How long the cook stayed, as the minutes stored (Visit.minutes_stayed).
STAYED = [
    ("15", _("Under 15 minutes")),
    ("30", _("About half an hour")),
    ("60", _("About an hour")),
    ("90", _("Longer than an hour")),
]


class OutcomeRadios(forms.RadioSelect):
    """Radios whose "Delivered" option reveals the question about minutes stayed (GOV.UK conditional
    reveal: without JavaScript the question is simply shown)."""

    reveals = {Visit.Outcome.DELIVERED: "conditional-delivered"}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value in self.reveals:
            option["attrs"]["data-aria-controls"] = self.reveals[value]
            option["reveals"] = self.reveals[value]
        return option


def _note_field(item) -> TextField:
    # The page shows "Anything to add (optional)" with the item's name for screen readers (its legend).
    return TextField(
        label=item,
        required=False,
        max_length=ITEM_NOTE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("The note must be %(limit_value)d characters or fewer")},
    )


class VisitForm(forms.Form):
    WELLBEING_FIELDS = [name for key, _label in WELLBEING_ITEMS for name in (f"wellbeing_{key}", f"note_{key}")]

    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=Visit.Outcome.choices,
        widget=OutcomeRadios(attrs={"class": "govuk-radios__input"}),  # a widget_type casserole.forms doesn't know
        error_messages={"required": _("Select what happened"), "invalid_choice": _("Select what happened")},
    )
    minutes = forms.TypedChoiceField(
        label=_("How long did you stay?"),
        choices=STAYED,
        coerce=int,
        empty_value=None,
        required=False,  # only when delivered (clean)
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select how long you stayed")},
    )
    note = TextField(
        label=_("Anything else the coordinator should know (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The note must be %(limit_value)d characters or fewer")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in WELLBEING_ITEMS:
            # Not required: an item left unanswered is "didn't ask" (the service fills it in).
            self.fields[f"wellbeing_{key}"] = forms.ChoiceField(
                label=label,
                choices=Wellbeing.choices,
                initial=Wellbeing.NOT_ASKED,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Select an answer for %(item)s") % {"item": label}},
            )
            self.fields[f"note_{key}"] = _note_field(label)
        self.order_fields(["outcome", "minutes", *self.WELLBEING_FIELDS, "note"])

    def wellbeing_rows(self) -> list[tuple]:
        """(answer, note) bound fields of each wellbeing item, in the check's order, for the page."""
        return [(self[f"wellbeing_{key}"], self[f"note_{key}"]) for key, _label in WELLBEING_ITEMS]

    def clean(self):
        data = super().clean()
        delivered = data.get("outcome") == Visit.Outcome.DELIVERED
        if delivered and data.get("minutes") is None and "minutes" not in self.errors:
            self.add_error("minutes", _("Select how long you stayed"))
        return data

    def values(self) -> dict:
        """The service's arguments."""
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "minutes": data.get("minutes"),
            "wellbeing": {key: data.get(f"wellbeing_{key}") for key, _label in WELLBEING_ITEMS},
            "notes": {key: data.get(f"note_{key}") or "" for key, _label in WELLBEING_ITEMS},
            "note": data.get("note") or "",
        }
