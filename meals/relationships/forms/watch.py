"""Forms for watch reports: who gets them (name, email, relationship, language), how often, which wellbeing
answers they may see, and the confirmation that the diner agreed to this person — required, so nothing
is sent to anyone the diner did not choose. The coordinator's form also asks how they are recording it.

They check the shape of the input; meals.relationships.watch checks the rules.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from casserole.channels import channel_field
from casserole.email_addresses import EmailAddressField
from casserole.models import Channel
from casserole.text import TextField
from meals.relationships.models import WELLBEING_ITEMS, WatchRecipient


class WatchRecipientForm(forms.Form):
    name = TextField(
        label=_("Their name"),
        max_length=150,
        # Someone else's name and address: the browser must not fill in the person typing's own.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the name of the person who will get the reports"),
            "max_length": _("The name must be %(limit_value)d characters or fewer"),
        },
    )
    email = EmailAddressField(
        label=_("Their email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    relationship = TextField(
        label=_("How they know them (optional)"),
        help_text=_("For example: daughter, neighbour."),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("This must be %(limit_value)d characters or fewer")},
    )
    language = forms.ChoiceField(
        label=_("Which language should the reports be in?"),
        choices=settings.LANGUAGES,
        initial="en",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language"), "invalid_choice": _("Choose a language")},
    )
    frequency = forms.ChoiceField(
        label=_("How often?"),
        choices=WatchRecipient.Frequency.choices,
        initial=WatchRecipient.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often"), "invalid_choice": _("Choose how often")},
    )
    shared_items = forms.MultipleChoiceField(
        label=_("Which answers from the cook’s wellbeing check may they see?"),
        help_text=_(
            "Each report says whether the meal was shared and how long the cook stayed. Tick only what the diner "
            "agreed to share: “as usual” or “not as usual” for each. Notes and concerns are never sent."
        ),
        choices=WELLBEING_ITEMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the list")},
    )
    agreed = forms.BooleanField(
        error_messages={"required": _("Reports go only to people the diner has agreed to. Check with them first.")},
    )

    def __init__(self, *args, diner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed"].label = _("%(name)s agreed to this person receiving these reports") % {
            "name": diner.addressed
        }
        self.fields["agreed"].error_messages["required"] = _(
            "Reports go only to people %(name)s has agreed to. Check with them first."
        ) % {"name": diner.addressed}

    def recipient_values(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("name", "email", "relationship", "language", "frequency", "shared_items", "agreed")
        }


class CoordinatorWatchRecipientForm(WatchRecipientForm):
    channel = channel_field(Channel.PHONE)


class StopWatchForm(forms.Form):
    """The stop button of one recipient on the coordinator's page (its own prefix per recipient)."""

    channel = channel_field(Channel.PHONE)
