"""Forms for the directory and onward referrals. They check the shape of the input; the services in
meals.signposting.services check the rules, and their refusals come back as form errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casserole.channels import channel_field
from casserole.models import Channel, Country
from casserole.phones import clean_phone, phone_for_display
from casserole.text import TextField
from meals.signposting.models import Category, Cost, OnwardReferral, Suits, SupportService
from meals.signposting.services import SERVICE_FIELDS

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
NATIONAL = "national"


def _text(label, *, max_length, help_text="", rows=None, autocomplete=None):
    attrs = {"rows": rows} if rows else {}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    widget = forms.Textarea(attrs=attrs) if rows else forms.TextInput(attrs=attrs)
    return TextField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        required=False,
        widget=widget,
        error_messages={"max_length": _("This must be %(limit_value)d characters or fewer")},
    )


class ServiceForm(forms.Form):
    """An entry of the directory, in both languages. `country` reads the phone number."""

    name = _text(_("Name in English"), max_length=150, help_text=_("Give the name in at least one language."))
    name_ja = _text(_("Name in Japanese"), max_length=150)
    description = _text(_("What it offers, in English"), max_length=1000, rows=3)
    description_ja = _text(_("What it offers, in Japanese"), max_length=1000, rows=3)
    categories = forms.MultipleChoiceField(
        label=_("What does it offer?"),
        help_text=_("Select all that apply."),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select what the service offers"),
            "invalid_choice": _("Select only the choices shown"),
        },
    )
    suits = forms.MultipleChoiceField(
        label=_("Who does it suit?"),
        help_text=_("Select all that apply."),
        choices=Suits.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select who the service suits"),
            "invalid_choice": _("Select only the choices shown"),
        },
    )
    phone = _text(_("Phone number"), max_length=32, help_text=_("Leave it empty if you are not sure of the number."))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("For example https://www.example.org"),
        error_messages={"invalid": _("Enter a website address, like https://www.example.org")},
    )
    address = _text(_("Address"), max_length=300, help_text=_("Where people go, if they go somewhere."))
    postcode = _text(_("Postcode"), max_length=10, help_text=_("Used to suggest the nearest services first."))
    opening_hours = _text(
        _("Opening hours in English"), max_length=200, help_text=_("For example “Tuesdays 10am to 12 noon”")
    )
    opening_hours_ja = _text(_("Opening hours in Japanese"), max_length=200)
    languages = _text(_("Languages spoken"), max_length=200, help_text=_("For example “English, Bengali, Turkish”"))
    cost = forms.ChoiceField(
        label=_("What does it cost?"),
        choices=Cost.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what the service costs"),
            "invalid_choice": _("Select what the service costs"),
        },
    )
    cost_details = _text(_("About the cost (optional)"), max_length=200, help_text=_("For example “£3 for lunch”"))
    needs_consent = forms.ChoiceField(
        label=_("Does a referral need the person’s agreement?"),
        help_text=_("Most services need the person to agree before you pass on their details."),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if a referral needs their agreement"),
            "invalid_choice": _("Select yes or no"),
        },
    )

    def __init__(self, *args, country: str = Country.GB, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    @classmethod
    def initial_for(cls, service: SupportService) -> dict:
        values = {name: getattr(service, name) for name in SERVICE_FIELDS}
        values["categories"], values["suits"] = service.category_list, service.suits_list
        values["needs_consent"] = "yes" if service.needs_consent else "no"
        values["phone"] = phone_for_display(service.phone) if service.phone else ""
        return values

    def clean_phone(self):
        phone = self.cleaned_data.get("phone") or ""
        if not phone:
            return ""
        try:
            return clean_phone(phone, country=self.country)
        except ValidationError as error:
            raise ValidationError(error.messages[0] if error.messages else str(error)) from None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("name") and not cleaned.get("name_ja"):
            self.add_error("name", _("Enter the name of the service in English or Japanese"))
        if not self.errors and not (cleaned.get("phone") or cleaned.get("website") or cleaned.get("address")):
            self.add_error("phone", _("Enter how to reach the service: a phone number, a website or an address"))
        return cleaned

    def values(self) -> dict:
        values = {name: self.cleaned_data.get(name) for name in SERVICE_FIELDS}
        values["needs_consent"] = self.cleaned_data.get("needs_consent") == "yes"
        return values


class NewServiceForm(ServiceForm):
    """Adding an entry: which area's directory it goes in (an admin may also add a national one)."""

    def __init__(self, *args, areas, national: bool, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {str(area.pk): area for area in areas}
        choices = [(key, area.display_name(language)) for key, area in self.areas.items()]
        if national:
            choices += [
                (f"{NATIONAL}-{code}", _("National: every area in %(country)s") % {"country": label})
                for code, label in Country.choices
            ]
        where = forms.ChoiceField(
            label=_("Which directory is it for?"),
            choices=choices,
            widget=forms.RadioSelect,
            initial=choices[0][0] if len(choices) == 1 else None,
            error_messages={
                "required": _("Select which directory it is for"),
                "invalid_choice": _("Select which directory it is for"),
            },
        )
        # First, so that its country is known when the phone number is read (clean_phone).
        self.fields = {"where": where, **self.fields}

    def clean_where(self):
        where = self.cleaned_data["where"]
        self.country = self._place(where)[1]
        return where

    def _place(self, where: str):
        if where.startswith(f"{NATIONAL}-"):
            return None, where.removeprefix(f"{NATIONAL}-")
        area = self.areas[where]
        return area, area.country

    def place(self):
        """(area, country) chosen: an area, or None and a country for a national entry."""
        return self._place(self.cleaned_data["where"])


class EditServiceForm(ServiceForm):
    running = forms.ChoiceField(
        label=_("Is the service still running?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if it is still running"), "invalid_choice": _("Select yes or no")},
    )
    checked = forms.BooleanField(
        label=_("I have checked these details with the service today"),
        required=False,
        help_text=_("An entry not checked for 12 months is marked as needing a check."),
    )


class SearchForm(forms.Form):
    """The directory's search: any of words, a category and who it suits."""

    q = TextField(
        label=_("Words to search for"),
        required=False,
        max_length=100,
        help_text=_("In English or Japanese, for example “lunch” or “サロン”"),
    )
    category = forms.ChoiceField(
        label=_("What it offers"), required=False, choices=[("", pgettext_lazy("any choice", "Any")), *Category.choices]
    )
    suits = forms.ChoiceField(
        label=_("Who it suits"), required=False, choices=[("", pgettext_lazy("any choice", "Any")), *Suits.choices]
    )


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What did you do?"),
        choices=OnwardReferral.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you told them about it or referred them"),
            "invalid_choice": _("Select whether you told them about it or referred them"),
        },
    )
    consent = forms.ChoiceField(
        label=_("Did the diner agree to be referred?"),
        help_text=_("Needed before you pass their details to a service that asks for it."),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        error_messages={"required": _("Select yes if the diner agreed"), "invalid_choice": _("Select yes or no")},
    )
    reason = forms.ChoiceField(
        label=_("Why did you suggest it?"),
        choices=OnwardReferral.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select why you suggested it"),
            "invalid_choice": _("Select why you suggested it"),
        },
    )
    on_card = forms.BooleanField(
        label=_("Put it on the diner’s printed card"),
        required=False,
        help_text=_("Only if the diner would like it there. The card lists up to 3 services."),
    )
    note = _text(_("Note (optional)"), max_length=1000, rows=3, help_text=_("Only the area’s coordinators read this."))
    channel = channel_field(Channel.PHONE)

    @property
    def consent_given(self) -> bool:
        return self.cleaned_data.get("consent") == "yes"


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did it take place?"),
        choices=OnwardReferral.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether it took place"),
            "invalid_choice": _("Select whether it took place"),
        },
    )
    on_card = forms.BooleanField(
        label=_("Put it on the diner’s printed card"),
        required=False,
        help_text=_("Only if the diner would like it there. The card lists up to 3 services."),
    )
