"""The "please call me" form and the coordinator's outcome form.

They check the shape of the input and put it in canonical form (E.164 phone numbers, casserole.postcodes
postcodes; the postcode's own shape says which country it is in, so nobody is asked); the services
check the rules, the rate limits and whether a request looks automated. Only the fields declared here
are read, so extra POST fields (area, outcome, handled_by...) reach nothing.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casserole.addresses import default_country
from casserole.models import Country
from casserole.phones import PHONE_EXAMPLE_ERROR, clean_phone
from casserole.postcodes import normalise_jp_postcode, normalise_uk_postcode
from casserole.text import TextField
from meals.callbacks.models import CallbackRequest
from meals.callbacks.services import CallbackDetails, form_started_token


def _postcode_country(value: str) -> tuple[str, str] | None:
    """(country, canonical postcode): a UK postcode has letters, a Japanese one seven digits."""
    if postcode := normalise_uk_postcode(value):
        return Country.GB, postcode
    if postcode := normalise_jp_postcode(value):
        return Country.JP, postcode
    return None


class CallbackForm(forms.Form):
    for_whom = forms.ChoiceField(
        label=_("Who needs meals?"),
        choices=CallbackRequest.ForWhom.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select who needs meals"),
            "invalid_choice": _("Select who needs meals"),
        },
    )
    # Asked under "If the meals are for someone else" (a fieldset in meals/callbacks/request.html), not
    # revealed by script: govuk-frontend's conditional reveal puts aria-expanded on a radio, which axe refuses.
    diner_name = TextField(
        label=_("Their name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": _("Their name must be 150 characters or fewer")},
    )
    diner_agrees = forms.BooleanField(
        label=_("They know I am asking, and agree that a coordinator phones me about meals for them"),
        required=False,
    )
    name = TextField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your name"), "max_length": _("Your name must be 150 characters or fewer")},
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        help_text=_("We will phone you on this number. A landline is fine."),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}),
        error_messages={"required": _("Enter your phone number"), "max_length": PHONE_EXAMPLE_ERROR},
    )
    # The honeypot: hidden from sight and from screen readers, out of the tab order, with a label
    # telling anyone who still reaches it to leave it empty. Bots fill every box. Its name must look
    # worth filling; autocomplete is off so a browser never fills it for a person.
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        template_name="meals/callbacks/_honeypot.html",
    )
    postcode = forms.CharField(
        label=_("Postcode where the meals are needed"),
        help_text=_("It tells us which local Casserole club can help. For example, E8 1DY or 154-0004."),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={"required": _("Enter the postcode"), "max_length": _("Enter a real postcode")},
    )
    address = TextField(
        label=_("Address (optional)"),
        help_text=_("If you would rather tell the coordinator on the phone, leave this empty."),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"max_length": _("The address must be 300 characters or fewer")},
    )
    best_time = forms.ChoiceField(
        label=_("When is the best time to phone you?"),
        choices=CallbackRequest.BestTime.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the best time to phone you"),
            "invalid_choice": _("Select the best time to phone you"),
        },
    )
    best_time_note = TextField(
        label=_("Anything else about when to phone (optional)"),
        help_text=_("For example: not on Tuesdays, or let it ring for a long time."),
        max_length=200,
        required=False,
        error_messages={"max_length": _("This must be 200 characters or fewer")},
    )
    consent = forms.BooleanField(
        label=_("I agree that a Casserole coordinator may phone me, and that you keep these details to do so"),
        error_messages={"required": _("Tick the box to agree that we may phone you and keep these details")},
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["for_whom"].legend_size = self.fields["best_time"].legend_size = "m"
        self.fields["consent"].help_text = _(
            "We use them only to phone you about meals, and delete them %(days)s days after the call."
        ) % {"days": settings.CALLBACK_RETENTION_DAYS}
        # The time this page was first opened: a form sent back with errors keeps the one it carried.
        self.initial.setdefault("started", form_started_token())

    def clean(self):
        cleaned = super().clean()
        country = None
        if cleaned.get("postcode"):
            found = _postcode_country(cleaned["postcode"])
            if found is None:
                if default_country() == Country.JP:
                    self.add_error("postcode", _("Enter a postcode with 7 digits, like 154-0004"))
                else:
                    self.add_error("postcode", _("Enter a real postcode, like E8 1DY"))
            else:
                country, cleaned["postcode"] = found
        cleaned["country"] = country
        if cleaned.get("phone"):
            try:
                cleaned["phone"] = clean_phone(cleaned["phone"], country=country or default_country())
            except ValidationError as error:
                self.add_error("phone", error)
        if cleaned.get("for_whom") == CallbackRequest.ForWhom.SOMEONE_ELSE:
            if not cleaned.get("diner_name") and "diner_name" not in self.errors:
                self.add_error("diner_name", _("Enter the name of the person who needs meals"))
            if not cleaned.get("diner_agrees"):
                self.add_error("diner_agrees", _("Tick the box if they know and agree that we phone you"))
        return cleaned

    def details(self) -> CallbackDetails:
        """After is_valid(): what the services take."""
        data = self.cleaned_data
        someone_else = data["for_whom"] == CallbackRequest.ForWhom.SOMEONE_ELSE
        return CallbackDetails(
            name=data["name"],
            phone=data["phone"],
            for_whom=data["for_whom"],
            diner_name=data["diner_name"] if someone_else else "",
            diner_agrees=bool(data["diner_agrees"]) if someone_else else False,
            country=data["country"],
            postcode=data["postcode"],
            address=data["address"],
            best_time=data["best_time"],
            best_time_note=data["best_time_note"],
            language="ja" if get_language() == "ja" else "en",
            consent=data["consent"],
        )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=CallbackRequest.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what happened"), "invalid_choice": _("Select what happened")},
    )
    note = TextField(
        label=_("Note (optional)"),
        help_text=_("For example, when you tried to call. Do not write health details here."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The note must be 1000 characters or fewer")},
    )
