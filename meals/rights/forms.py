"""Forms for the data-rights pages: closing one's account, a diner's withdrawal of consent, an erasure
request. They check the shape of the input; meals.rights' services check the rules, and their refusals
come back as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.channels import channel_field
from casserole.fields import SplitDateField
from casserole.models import Channel
from casserole.text import TextField
from meals.rights.closing import REASON_MAX_LENGTH
from meals.rights.consents import PurposeState


class _ClosingForm(forms.Form):
    """Why the person is leaving (optional; kept with the matches that end) and the confirmation that they
    will not be able to sign in again, worded by each form for whoever answers."""

    reason = TextField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The reason must be %(limit_value)d characters or fewer")},
    )
    confirm = forms.BooleanField()
    words: dict = {}  # reason, reason_help, confirm, confirm_error

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label, self.fields["reason"].help_text = self.words["reason"], self.words["reason_help"]
        self.fields["confirm"].label = self.words["confirm"]
        self.fields["confirm"].error_messages = {"required": self.words["confirm_error"]}


class CloseAccountForm(_ClosingForm):
    words = {
        "reason": _("Why are you leaving? (optional)"),
        "reason_help": _("This helps your coordinator. You do not have to say."),
        "confirm": _("I understand that I will not be able to sign in again"),
        "confirm_error": _("Confirm that you understand you will not be able to sign in again"),
    }


class CloseForPersonForm(_ClosingForm):
    """A coordinator closes a cook's account because the cook asked them to (on the phone, say)."""

    field_order = ["channel", "reason", "confirm"]
    channel = channel_field(
        Channel.PHONE, help_text=_("How the cook asked you: on the phone, in person, or in writing online.")
    )
    words = {
        "reason": _("Why are they leaving? (optional)"),
        "reason_help": _("Recorded with each match that ends."),
        "confirm": _("They asked us to close their account, and know they will not be able to sign in again"),
        "confirm_error": _("Confirm that they asked for this and know they will not be able to sign in"),
    }


class WithdrawConsentForm(forms.Form):
    """Which purpose the diner no longer agrees to: only those they agree to now are offered."""

    purpose = forms.ChoiceField(
        label=_("What do they no longer agree to?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what they no longer agree to"),
            "invalid_choice": _("Select what they no longer agree to"),
        },
    )
    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, states: list[PurposeState], **kwargs):
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [
            (state.info.purpose.value, state.info.purpose.label) for state in states if state.given
        ]
        self.fields["purpose"].legend_size = "m"


class AgreeAgainForm(forms.Form):
    channel = channel_field(Channel.PHONE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "again")
        super().__init__(*args, **kwargs)


class ErasureRequestForm(forms.Form):
    received_on = SplitDateField(
        label=_("When did they ask?"),
        help_text=_("For example, 20 11 2026"),
        error_messages={
            "required": _("Enter the date they asked"),
            "incomplete": _("The date they asked must include a day, a month and a year"),
            "invalid": _("The date they asked must be a real date"),
            "future": _("The date they asked must be today or in the past"),
        },
    )
    channel = forms.ChoiceField(
        label=_("How did they ask?"),
        choices=[
            (Channel.PHONE, _("On the phone")),
            (Channel.IN_PERSON, _("In person")),
            (Channel.WEB, _("In writing or by email")),
        ],
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how they asked"), "invalid_choice": _("Select how they asked")},
    )
