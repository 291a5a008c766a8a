"""The consent page, the "Send request" button and the waiting list outside every area."""

import unicodedata
from datetime import date

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area
from casserole.addresses import default_country
from casserole.email_addresses import validate_email_address
from casserole.fields import SplitDateField, year_first
from casserole.models import Channel
from casserole.phones import clean_phone
from casserole.text import TextField
from meals.diners.models import Diner
from meals.referrals.forms.base import (
    CONCERN_KEYS,
    NO,
    YES,
    SectionForm,
    _choice_label,
)


class ConsentForm(SectionForm):
    """That the diner agreed, how and when, what a matched cook may see and who may hear of concerns.

    A diner asking for themselves agrees by asking (on the web, or to the coordinator on the phone):
    the form then does not ask how or when. `consent_values()` gives the Diner's consent fields
    (meals.diners.services.CONSENT_FIELDS, with a `date`) for meals.diners.services.record_consent."""

    title = _("The diner’s agreement")
    title_self = _("Your agreement")
    consent_given = forms.ChoiceField(
        label=_("Has the diner agreed to this request?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if the diner has agreed"),
            "invalid_choice": _("Select yes if the diner has agreed"),
        },
    )
    consent_method = forms.ChoiceField(
        label=_("How did they agree?"),
        choices=[
            (value, label) for value, label in Diner.ConsentMethod.choices if value != Diner.ConsentMethod.THEMSELVES
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Select how they agreed")},
    )
    consent_given_on = SplitDateField(
        label=_("When did they agree?"),
        required=False,
        error_messages={
            "required": _("Enter the date they agreed"),
            "incomplete": _("The date they agreed must include a day, a month and a year"),
            "invalid": _("The date they agreed must be a real date"),
            "future": _("The date they agreed must be today or in the past"),
        },
    )
    share_with_cook = forms.MultipleChoiceField(
        label=_("What may we share with the cook who brings their meals?"),
        help_text=_(
            "Cooks nearby see only their first name, neighbourhood, needs and days. The cook who brings "
            "meals needs the address to find them."
        ),
        choices=Diner.Share.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select from the list")},
    )
    concerns_to = forms.MultipleChoiceField(
        label=_("If a cook is worried about them, who else may we tell?"),
        help_text=_("We always tell the coordinator. Select none if we should tell no one else."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select from the list")},
    )
    summary_labels = {"consent_given": _("Agreed to this request")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        phone_call = self.channel == Channel.PHONE
        if self.for_self:
            # Asking is agreeing: no "how" or "when" to ask.
            del fields["consent_method"], fields["consent_given_on"]
            if phone_call:
                fields["consent_given"].label = _("Does the diner agree to this request?")
                fields["consent_given"].help_text = _(
                    "Tell them we keep these details safely, that only their coordinator and the cook who "
                    "brings meals will see them, and ask them."
                )
            else:
                fields["consent_given"].label = _("Do you agree to us keeping these details?")
                fields["consent_given"].help_text = _(
                    "We keep them safely. Only the coordinator for your area and the cook who brings your "
                    "meals will see them, and only what you choose below."
                )
                fields["consent_given"].error_messages["required"] = _("Select yes if you agree")
                fields["share_with_cook"].label = _("What may we share with the cook who brings your meals?")
                fields["share_with_cook"].help_text = _(
                    "Cooks nearby see only your first name, neighbourhood, needs and days. The cook who "
                    "brings meals needs your address to find you."
                )
                fields["concerns_to"].label = _("If a cook is worried about you, who else may we tell?")
                # The diner is reading: the choices are about them too.
                fields["share_with_cook"].choices = [
                    (Diner.Share.ADDRESS, _("Your address")),
                    (Diner.Share.PHONE, _("Your phone number")),
                    (Diner.Share.ACCESS, _("How to get in")),
                    (Diner.Share.LIKES, _("What you like and dislike")),
                ]
        elif phone_call:
            fields["consent_given"].help_text = _(
                "Ask the caller. If you cannot be sure the diner agreed, call the diner before you send the request."
            )
        else:
            fields["consent_given"].help_text = _(
                "They must agree to us keeping these details and to a volunteer cook bringing them meals."
            )
        if "consent_given_on" in fields:
            example = "2026 11 20" if year_first() else "20 11 2026"
            fields["consent_given_on"].help_text = _("For example, %(example)s") % {"example": example}
        fields["concerns_to"].choices = self._concern_choices()

    def _concern_choices(self) -> list[tuple[str, str]]:
        emergency = _("Your emergency contact") if self.speaks_to_diner else _("Their emergency contact")
        if self.for_self:
            return [("emergency_contact", emergency)]
        asker = _("The caller") if self.channel == Channel.PHONE else _("You, the person making this request")
        return [("referrer", asker), ("emergency_contact", emergency)]

    def _method_for_self(self) -> str:
        return Diner.ConsentMethod.PHONE if self.channel == Channel.PHONE else Diner.ConsentMethod.THEMSELVES

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_given") == NO:
            if self.for_self and self.channel != Channel.PHONE:
                message = _("We can only bring meals if you agree. If you have any questions, call us.")
            else:
                message = _(
                    "You cannot send this request until the diner agrees. Your answers are saved: "
                    "come back when they have agreed."
                )
            self.add_error("consent_given", message)
            return cleaned
        if not self.for_self and cleaned.get("consent_given") == YES:
            if not cleaned.get("consent_method") and "consent_method" not in self.errors:
                self.add_error("consent_method", _("Select how they agreed"))
            if cleaned.get("consent_given_on") is None and "consent_given_on" not in self.errors:
                self.add_error("consent_given_on", self.fields["consent_given_on"].error_messages["required"])
        return cleaned

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        agreed = values.get("consent_given", bool(values.get("consent_method")))
        concerns = [name for name, key in CONCERN_KEYS if values.get(key)]
        return {
            "consent_given": YES if agreed else None,
            "consent_method": values.get("consent_method") or None,
            "consent_given_on": values.get("consent_given_on") or None,
            "share_with_cook": values.get("share_with_cook", []),
            "concerns_to": concerns,
        }

    def consent_values(self) -> dict:
        """The Diner's consent fields, for meals.diners.services.record_consent (a date, not a string)."""
        data = self.cleaned_data
        concerns = data.get("concerns_to", [])
        return {
            "consent_method": data.get("consent_method") or self._method_for_self(),
            "consent_given_on": data.get("consent_given_on") or timezone.localdate(),
            "share_with_cook": [value for value in Diner.Share.values if value in data.get("share_with_cook", [])],
            "concerns_to_referrer": "referrer" in concerns,
            "concerns_to_emergency_contact": "emergency_contact" in concerns,
        }

    def answers(self) -> dict:
        values = self.consent_values()
        return {**values, "consent_given": True, "consent_given_on": values["consent_given_on"].isoformat()}

    def answer_keys(self) -> tuple[str, ...]:
        return ("consent_given", "consent_method", "consent_given_on")

    def is_answered(self, values: dict) -> bool:
        return bool(values.get("consent_given") and values.get("consent_method") and values.get("consent_given_on"))

    def summary(self, values: dict) -> list[dict]:
        given = values.get("consent_given")
        rows = [{"label": self.summary_labels["consent_given"], "value": str(_("Yes")) if given else str(_("No"))}]
        if not given:
            return rows
        if "consent_method" in self.fields:
            given_on = values.get("consent_given_on")
            rows += [
                {"label": self.fields["consent_method"].label, "value": self._display("consent_method", None, values)},
                {
                    "label": self.fields["consent_given_on"].label,
                    "value": formats.date_format(date.fromisoformat(given_on), "DATE_FORMAT") if given_on else "",
                },
            ]
        choices = self.fields["share_with_cook"].choices
        shared = [_choice_label(choices, value) for value in values.get("share_with_cook", [])]
        concerns = dict(self._concern_choices())
        told = [str(concerns[name]) for name, key in CONCERN_KEYS if values.get(key) and name in concerns]
        rows += [
            {"label": self.fields["share_with_cook"].label, "value": "\n".join(shared) or str(_("Nothing more"))},
            {"label": self.fields["concerns_to"].label, "value": "\n".join(told) or str(_("No one else"))},
        ]
        return rows

    def _display(self, name, field, values):
        return _choice_label(Diner.ConsentMethod.choices, values.get(name))


class SendRequestForm(forms.Form):
    """The "Send request" button: carries the draft's submission key, so a second click (or a
    second tab) finds the request the first one made instead of making another."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)


class WaitlistForm(forms.Form):
    """Someone outside every area leaves a name and a way to reach them."""

    name = TextField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your name"), "max_length": _("Your name must be 150 characters or fewer")},
    )
    # No max_length here: clean_contact gives an over-long email address its own message, and a phone
    # number is stored in E.164, well within the column's 254 characters.
    contact = forms.CharField(
        label=_("Your phone number or email address"),
        help_text=_("We will use it only to tell you when a Casserole club opens near you."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"required": _("Enter a phone number or an email address")},
    )

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country if country in Area.Country.values else default_country()

    def clean_contact(self):
        value = unicodedata.normalize("NFKC", self.cleaned_data["contact"]).strip()
        if "@" in value:
            try:
                validate_email_address(value)
            except forms.ValidationError as error:
                if error.code == "max_length":
                    raise
                raise forms.ValidationError(_("Enter an email address like name@example.com")) from None
            return value
        try:
            return clean_phone(value, country=self.country)
        except forms.ValidationError as error:
            if error.code != "not_a_number":
                raise  # it is a phone number, and the message says what is wrong with it
            raise forms.ValidationError(
                _("Enter a phone number, like 020 7946 0018, or an email address, like name@example.com")
            ) from None
