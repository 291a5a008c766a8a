"""Forms for feedback and friendship: the diner's (through a referrer, or a coordinator on the phone, who
also says how they are recording it) and the cook's. The occasion the page was shown for travels in a
hidden field, so a double submit stores one row (meals.relationships.feedback.give_feedback).

They check the shape of the input; meals.relationships.feedback checks the rules.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.channels import channel_field
from casserole.models import Channel
from casserole.text import TextField
from meals.relationships.models import Feedback

CHANGES_MAX_LENGTH = 2000


def _radios(label, choices, message) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class _FeedbackForm(forms.Form):
    occasion = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)

    def feedback_values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name not in ("channel",)}


class DinerFeedbackForm(_FeedbackForm):
    enjoyed = _radios(
        _("Did you enjoy your meals?"), Feedback.Enjoyed.choices, _("Select whether you enjoyed your meals")
    )
    friend = _radios(
        _("Do you consider your cook a friend?"),
        Feedback.Friend.choices,
        _("Select whether you consider your cook a friend"),
    )
    less_contact_without = _radios(
        _("Without these visits, would you see or speak to people less?"),
        Feedback.YesNo.choices,
        _("Select whether you would see or speak to people less"),
    )
    changes = TextField(
        label=_("Is there anything you’d like changed? (optional)"),
        required=False,
        max_length=CHANGES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("This must be %(limit_value)d characters or fewer")},
    )
    wants_different_cook = forms.BooleanField(label=_("I’d like a different cook"), required=False)

    def __init__(self, *args, cook_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if cook_name:
            self.fields["enjoyed"].label = _("Did you enjoy your meals with %(cook)s?") % {"cook": cook_name}
            self.fields["friend"].label = _("Do you consider %(cook)s a friend?") % {"cook": cook_name}
        self.fields["wants_different_cook"].help_text = _("If you tick this, a coordinator will get in touch.")


class CoordinatorFeedbackForm(DinerFeedbackForm):
    channel = channel_field(Channel.PHONE)


class CookFeedbackForm(_FeedbackForm):
    enjoyed = _radios(
        _("Are you enjoying the meals together?"),
        Feedback.Enjoyed.choices,
        _("Select whether you are enjoying the meals together"),
    )
    changes = TextField(
        label=_("How is it going? (optional)"),
        help_text=_("Anything you’d like us to know. Only the coordinators read this."),
        required=False,
        max_length=CHANGES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("This must be %(limit_value)d characters or fewer")},
    )

    def __init__(self, *args, diner_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if diner_name:
            self.fields["enjoyed"].label = _("Are you enjoying the meals with %(name)s?") % {"name": diner_name}
