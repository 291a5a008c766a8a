"""Forms for the coordinator's cook pages. They check the shape of the input; accounts.review.services
checks the rules (whose cook, which check, the activation gate) and its refusals come back as form
errors. Only the fields declared here are read, so extra POST fields (status, area...) change nothing.
Suspending and reactivating ask with casserole.status.StatusReasonForm."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.onboarding.models import IdentityCheck
from casserole.models import Channel
from casserole.text import TextField

REASON_MAX_LENGTH = 500  # CookProfile.status_reason and IdentityCheck.reason


class DecideIdentityForm(forms.Form):
    """Approve or reject a photo check. The page has two forms posting here: an Approve button and a
    Reject form with the reason the cook will see; each sends its own hidden `decision`."""

    APPROVE, REJECT = "approve", "reject"

    decision = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = TextField(
        label=_("Why are you not approving it?"),
        help_text=_(
            "The cook will see this. Say what is wrong and what to do next, for example "
            "“The photo is blurred – take it again in good light”."
        ),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The reason must be %(limit_value)d characters or fewer")},
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision not in (self.APPROVE, self.REJECT):
            raise ValidationError(_("Choose whether to approve the document or not"))
        if decision == self.REJECT and not cleaned.get("reason") and "reason" not in self.errors:
            self.add_error("reason", _("Enter the reason, so the cook knows what to do next"))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class SeenInPersonForm(forms.Form):
    document_type = forms.ChoiceField(
        label=_("Which document did you see?"),
        choices=IdentityCheck.DocumentType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the type of document you saw"),
            "invalid_choice": _("Select the type of document you saw"),
        },
    )
    channel = forms.ChoiceField(
        label=_("How did you see it?"),
        choices=[(Channel.IN_PERSON, _("In person")), (Channel.WEB, _("On a video call"))],
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you saw the document"),
            "invalid_choice": _("Select how you saw the document"),
        },
    )
    confirmed = forms.BooleanField(
        label=_("I have seen this document and it matches the cook’s profile"),
        error_messages={"required": _("Confirm that you have seen the document and it matches the cook’s profile")},
    )
