"""Forms for concerns: raising one (the cook from a visit, a referrer, a coordinator who also says how
they heard), and closing one with what was done. They check the shape of the input;
meals.relationships.concerns checks the rules and its refusals come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.channels import channel_field
from casserole.models import Channel
from casserole.text import TextField
from meals.referrals.forms.base import RadiosWithHints
from meals.relationships.models import Concern

# Each level in plain words, under its radio.
LEVEL_HINTS = {
    Concern.Level.INFORMATION: _("Something we should know. Nobody needs to do anything straight away."),
    Concern.Level.WORRIED: _("You think someone should check on them in the next few days."),
    Concern.Level.URGENT: _("You think they need help today."),
}
TEXT_LIMIT = 2000


class ConcernForm(forms.Form):
    level = forms.ChoiceField(
        label=_("How worried are you?"),
        choices=Concern.Level.choices,
        widget=RadiosWithHints(hints={str(key): value for key, value in LEVEL_HINTS.items()}),
        template_name="meals/relationships/concerns/_level_radios.html",
        error_messages={
            "required": _("Select how worried you are"),
            "invalid_choice": _("Select how worried you are"),
        },
    )
    text = TextField(
        label=_("What is worrying you?"),
        help_text=_("Say what you saw or heard, and when. Only the area’s coordinators read this."),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Say what is worrying you"),
            "max_length": _("What is worrying you must be %(limit_value)d characters or fewer"),
        },
    )


class CoordinatorConcernForm(ConcernForm):
    """A coordinator records a worry they heard about: how they heard it is kept with it."""

    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        channel.label = _("How did you hear about it?")
        channel.help_text = _("On the phone or in person if someone told you; online if you read it in a message.")
        channel.error_messages = {
            "required": _("Select how you heard about it"),
            "invalid_choice": _("Select how you heard about it"),
        }


class CloseConcernForm(forms.Form):
    notes = TextField(
        label=_("What was done"),
        help_text=_(
            "Say what you did and how things stand now. For example: “Phoned her daughter, who visited today.”"
        ),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Say what was done before you close the concern"),
            "max_length": _("What was done must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
