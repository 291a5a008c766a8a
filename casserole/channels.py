"""How a coordinator recorded an action on someone's behalf (web, phone, in person): the field and a
mixin that adds it to any form, shared by the diner, match and cook pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.models import Channel

CHANNEL_FIELD = "recording_channel"


def channel_field(default: str = Channel.WEB, *, help_text=None) -> forms.ChoiceField:
    """How the coordinator is doing this: on the web for themselves, or on the diner's behalf during a
    phone call or a visit (assisted digital). Stored with the audit entry. `help_text` for a person
    other than a diner."""
    return forms.ChoiceField(
        label=_("How are you recording this?"),
        help_text=help_text or _("If you are doing this for the diner during a phone call or a visit, say so."),
        choices=[(Channel.WEB, _("Online")), (Channel.PHONE, _("On the phone")), (Channel.IN_PERSON, _("In person"))],
        initial=default,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you are recording this"),
            "invalid_choice": _("Select how you are recording this"),
        },
    )


def add_channel_field(form: forms.Form, default: str = Channel.PHONE) -> forms.Form:
    """Add the channel question to one of meals.referrals.forms' question forms (shared with the request and the
    proxy's pages, which do not ask it), so the page has one form, one error summary."""
    form.fields[CHANNEL_FIELD] = channel_field(default)
    return form


class ChannelForm(forms.Form):
    channel = channel_field()
