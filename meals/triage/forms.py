"""Forms for the coordinator's diner pages: triage decisions, proxy scopes, pause/resume/close, placing
a diner on the map, and how the coordinator is recording an action (web, phone, in person).

They check the shape of the input; meals.diners.services checks the rules and its refusals come back as
form errors. Only the fields declared here are read, so extra POST fields (status, area, latitude,
consent_recorded_by...) change nothing. The diner's own details are edited with the question forms
of meals.referrals.forms (SECTIONS), shared with the request and the proxy's pages.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.channels import ChannelForm
from casserole.text import TextField
from meals.diners.forms import REASON_MAX_LENGTH, ScopesForm
from meals.diners.services import SCOPES

MESSAGE_MAX_LENGTH = 2000  # Referral.message


class AcceptForm(ScopesForm, ChannelForm):
    """Accept a request. The scopes are only shown when the person who asked has an account."""

    field_order = ["scopes", "channel"]

    def __init__(self, *args, with_scopes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_scopes:
            del self.fields["scopes"]

    def scope_values(self) -> dict[str, bool]:
        if "scopes" not in self.fields:
            return dict.fromkeys(SCOPES, False)
        return super().scope_values()


class MoreInformationForm(ChannelForm):
    message = TextField(
        label=_("What do you need to know?"),
        help_text=_(
            "We will email this to the person who asked. They answer by changing the request and sending it again."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Enter what you need to know"),
            "max_length": _("Your question must be %(limit_value)d characters or fewer"),
        },
    )
    field_order = ["message", "channel"]


class DeclineForm(ChannelForm):
    reason = TextField(
        label=_("Why are you declining this request?"),
        help_text=_("We will email this to the person who asked. Say kindly why, and where else they could get help."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Enter the reason, so the person who asked knows why"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )
    field_order = ["reason", "channel"]


# The three decisions on a referral page, by the value of the `decision` field each form posts.
DECISIONS = {"accept": AcceptForm, "more_info": MoreInformationForm, "decline": DeclineForm}
