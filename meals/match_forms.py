"""Forms for the cook's side of matching (an offer, a request to pause or end) and the referrer's request
to pause or end. The coordinator's matching forms live in meals.match_coordinator_forms.

They check the shape of the input; meals.matching checks the rules, and its refusals come back as form
errors. Only the fields declared here are read, so extra POST fields (status, cook, diner, additional...)
change nothing.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from meals.models import Match, MatchChangeRequest

MESSAGE_MAX_LENGTH = 1000  # Match.message
REASON_MAX_LENGTH = 1000  # MatchChangeRequest.reason


class OfferForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinator (optional)"),
        help_text=_(
            "For example, which days you could cook or anything you would like them to know. "
            "Only the coordinator reads this."
        ),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Your message must be %(limit_value)d characters or fewer")},
    )


class ChangeRequestForm(forms.Form):
    """Ask the coordinator to pause or end a match. A paused match can only be asked to end, so the
    question is not asked then (one option is no choice)."""

    kind = forms.ChoiceField(
        label=_("What would you like to ask for?"),
        choices=[
            (MatchChangeRequest.Kind.PAUSE, _("Pause it for a while")),
            (MatchChangeRequest.Kind.END, _("End it")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether to pause or end"),
            "invalid_choice": _("Select whether to pause or end"),
        },
    )
    reason = forms.CharField(
        label=_("Tell the coordinator why"),
        help_text=_("The coordinator reads this before they decide. They may call you to talk it over."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Tell the coordinator why"),
            "max_length": _("The reason must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, **kwargs)
        if match.status == Match.Status.PAUSED:
            del self.fields["kind"]

    def chosen_kind(self) -> str:
        if "kind" not in self.fields:
            return MatchChangeRequest.Kind.END
        return self.cleaned_data["kind"]
