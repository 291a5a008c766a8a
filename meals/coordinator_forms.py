"""Forms for the coordinator's diner pages: triage decisions, proxy scopes, pause/resume/close, placing
a diner on the map, and how the coordinator is recording an action (web, phone, in person).

They check the shape of the input; meals.services checks the rules and its refusals come back as
form errors. Only the fields declared here are read, so extra POST fields (status, area, latitude,
consent_recorded_by...) change nothing. The diner's own details are edited with the question forms
of meals.forms (SECTIONS), shared with the request and the proxy's pages.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.review_forms import PlaceCookForm
from casserole.models import Channel
from meals.models import Diner, ProxyAccess
from meals.services import SCOPES

MESSAGE_MAX_LENGTH = 2000  # Referral.message
REASON_MAX_LENGTH = 500  # Diner.status_reason (a decline's reason is stored there too)
CHANNEL_FIELD = "recording_channel"


def channel_field(default: str = Channel.WEB) -> forms.ChoiceField:
    """How the coordinator is doing this: on the web for themselves, or on the diner's behalf during a
    phone call or a visit (assisted digital). Stored with the audit entry."""
    return forms.ChoiceField(
        label=_("How are you recording this?"),
        help_text=_("If you are doing this for the diner during a phone call or a visit, say so."),
        choices=[(Channel.WEB, _("Online")), (Channel.PHONE, _("On the phone")), (Channel.IN_PERSON, _("In person"))],
        initial=default,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you are recording this"),
            "invalid_choice": _("Select how you are recording this"),
        },
    )


def add_channel_field(form: forms.Form, default: str = Channel.PHONE) -> forms.Form:
    """Add the channel question to one of meals.forms' question forms (shared with the request and the
    proxy's pages, which do not ask it), so the page has one form, one error summary."""
    form.fields[CHANNEL_FIELD] = channel_field(default)
    return form


class ChannelForm(forms.Form):
    channel = channel_field()


class ScopesForm(forms.Form):
    """What a referrer may do for a diner. Nothing ticked is allowed: they keep seeing their request
    but cannot act for the diner."""

    scopes = forms.MultipleChoiceField(
        label=_("What may the person who asked do for the diner?"),
        help_text=_("Select all that apply."),
        # capfirst keeps the model's lazy labels lazy, so they follow the page's language.
        choices=[(name, capfirst(ProxyAccess._meta.get_field(name).verbose_name)) for name in SCOPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select only the choices shown")},
    )

    def scope_values(self) -> dict[str, bool]:
        chosen = set(self.cleaned_data["scopes"])
        return {name: name in chosen for name in SCOPES}

    @staticmethod
    def initial_for(access: ProxyAccess | None = None) -> dict:
        if access is None:
            return {"scopes": ["can_view_schedule"]}
        return {"scopes": [name for name in SCOPES if getattr(access, name)]}


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
    message = forms.CharField(
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
    reason = forms.CharField(
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


class StatusReasonForm(ChannelForm):
    """Pause, resume or close a diner: the reason is required and kept on the record."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter the reason"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )
    field_order = ["reason", "channel"]

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class PlaceDinerForm(PlaceCookForm):
    """The cook placing form, with the neighbourhood hint for a diner."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].help_text = _(
            "A neighbourhood or district, never a street. Cooks near the diner will see this name."
        )

    @staticmethod
    def initial_for(diner: Diner) -> dict:
        return {"latitude": diner.latitude, "longitude": diner.longitude, "neighbourhood": diner.neighbourhood}
