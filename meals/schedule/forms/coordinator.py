"""Forms for the coordinator's meal pages: confirm or decline after a phone call, cancel for the diner,
choose a cook to cover, and change how the diner likes their meals. Each asks how the coordinator is
recording it (phone by default: they are usually on the phone with the diner).

They check the shape of the input; meals.schedule.services checks the rules and its refusals come back
as form errors. Each form on the meal page has its own prefix, so their fields' ids never clash.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casserole.channels import channel_field
from casserole.models import Channel
from casserole.text import TextField
from meals.schedule.forms.diner_side import CONFIRM, DECLINE
from meals.schedule.models import Meal
from meals.schedule.preferences import PreferencesForm
from meals.schedule.selectors import CoverCandidate


class PhoneDecisionForm(forms.Form):
    """What the diner said about a meal. A confirmed meal can only be declined now (the service says
    the same), so the question then offers only that."""

    decision = forms.ChoiceField(
        label=_("What did the diner say?"),
        choices=[(CONFIRM, _("They want this meal")), (DECLINE, _("They can’t have this meal"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what the diner said"),
            "invalid_choice": _("Select what the diner said"),
        },
    )
    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, confirmed: bool = False, **kwargs):
        kwargs.setdefault("prefix", "decide")
        super().__init__(*args, **kwargs)
        if confirmed:
            self.fields["decision"].choices = [(DECLINE, _("They can’t have this meal"))]

    @property
    def confirm(self) -> bool:
        return self.cleaned_data["decision"] == CONFIRM


class CancelForDinerForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the meal cancelled?"),
        choices=[
            (Meal.CancelReason.DINER_AWAY, Meal.CancelReason.DINER_AWAY.label),
            (Meal.CancelReason.OTHER, Meal.CancelReason.OTHER.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select why the meal is cancelled"),
            "invalid_choice": _("Select why the meal is cancelled"),
        },
    )
    note = TextField(
        label=_("Note for the cook (optional)"),
        help_text=_("For example: “She is in hospital until Friday”."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The note must be %(limit_value)d characters or fewer")},
    )
    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "cancel")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("reason") == Meal.CancelReason.OTHER and not data.get("note"):
            self.add_error("note", _("Say why the meal is cancelled"))
        return data


class CoverForm(forms.Form):
    """The page lists the cover candidates, each with its own button carrying the cook's id; the cook
    must be one of the candidates shown (the service checks again)."""

    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, candidates: list[CoverCandidate] = (), **kwargs):
        kwargs.setdefault("prefix", "cover")
        super().__init__(*args, **kwargs)
        self.candidates = {candidate.cook.pk: candidate for candidate in candidates}

    def clean(self):
        data = super().clean()
        try:
            pk = int(self.data.get(self.add_prefix("cook"), ""))
        except ValueError:
            pk = None
        if pk not in self.candidates:
            raise ValidationError(_("Choose a cook from the list to cover the meal."))
        data["cook"] = self.candidates[pk].cook
        return data


class CoordinatorPreferencesForm(PreferencesForm):
    channel = channel_field(Channel.PHONE)


class WeekFilterForm(forms.Form):
    """?area=<id> on the week page, among the coordinator's own areas."""

    area = forms.TypedChoiceField(label=_("Area"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, areas=(), language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All your areas"))] + [
            (area.pk, area.name_ja if language == "ja" and area.name_ja else area.name) for area in areas
        ]
