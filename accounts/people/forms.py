from allauth.core import context
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area, User
from accounts.people.services import apply_signup_details
from casserole.addresses import default_country
from casserole.email_addresses import EmailAddressField
from casserole.phones import clean_phone, country_of, phone_for_display
from casserole.text import TextField

# The journeys a sign-up link can start: /accounts/signup/?as=cook and ?as=referrer.
SIGNUP_JOURNEYS = ("cook", "referrer")


def signup_journey(value) -> str:
    """The journey named by a sign-up link's `as`; "" for none or one we do not know."""
    return value if value in SIGNUP_JOURNEYS else ""


class SignupDetailsForm(forms.Form):
    """Extra questions on allauth's sign-up page: who you are and what you want to do."""

    full_name = TextField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your full name")},
    )
    name_reading = TextField(
        label=_("Reading of your name (optional)"),
        help_text=_("For Japanese names, in katakana, for example ヤマダ ハナコ"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("What would you like to do?"),
        help_text=_("Select all that apply."),
        choices=[
            ("cook", _("Cook for an older neighbour")),
            ("referrer", _("Request meals for someone I know or look after")),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select what you would like to do")},
    )
    field_order = ["full_name", "name_reading", "email", "password1", "password2", "roles"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `as` (a Python keyword, so added here) says which link the person came by. It rides along in
        # a hidden field, so a form sent back with an error still knows it. allauth builds this form
        # itself, so the link's query string is read from the request allauth is handling.
        self.fields["as"] = forms.CharField(required=False, widget=forms.HiddenInput)
        request = context.request
        journey = signup_journey(request.GET.get("as")) if request is not None else ""
        if journey and not self.is_bound:
            self.fields["as"].initial = journey
            self.fields["roles"].initial = [journey]

    def clean_as(self) -> str:
        return signup_journey(self.cleaned_data.get("as"))

    def signup(self, request, user):
        """Called by allauth once the user row exists (the adapter has already saved it)."""
        data = {**self.cleaned_data, "signed_up_as": self.cleaned_data.get("as", "")}
        apply_signup_details(user=user, data=data, request=request)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "name_reading", "phone", "preferred_language"]
        labels = {
            "full_name": _("Full name"),
            "name_reading": _("Reading of your name (optional)"),
            "phone": _("Phone number (optional)"),
            "preferred_language": _("Which language should we use for emails?"),
        }
        help_texts = {"name_reading": _("For Japanese names, in katakana, for example ヤマダ ハナコ")}
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
            "name_reading": forms.TextInput(attrs={"spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "preferred_language": forms.RadioSelect,
        }
        error_messages = {"full_name": {"required": _("Enter your full name")}}
        field_classes = {"full_name": TextField, "name_reading": TextField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.phone:
            # As people dial it, not as stored.
            self.initial["phone"] = phone_for_display(self.instance.phone)

    def clean_phone(self):
        # A number without "+" is read as one from the person's area; without an area (a coordinator),
        # from the country of the number they had (the page shows it without its country code), or else
        # from the page's language.
        if self.instance.home_area_id:
            country = self.instance.home_area.country
        else:
            country = (self.instance.phone and country_of(self.instance.phone)) or default_country()
        return _clean_optional_phone(self.cleaned_data["phone"], country=country)


def _clean_optional_phone(value: str, *, country: str) -> str:
    return clean_phone(value, country=country) if value.strip() else ""


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the code")},
    )


class InvitationAcceptForm(forms.Form):
    full_name = TextField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name")},
    )
    name_reading = TextField(
        label=_("Reading of your name (optional)"),
        max_length=150,
        required=False,
        help_text=_("For Japanese names, in katakana, for example ヤマダ ハナコ"),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    password = forms.CharField(
        label=_("Create a password"),
        help_text=_("At least 12 characters. A few unrelated words make a good, memorable password."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        error_messages={"required": _("Create a password")},
    )

    def __init__(self, *args, email: str, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        # The invitation's area: a number without "+" is read as one from there.
        self.country = country or default_country()

    def clean_phone(self):
        return _clean_optional_phone(self.cleaned_data["phone"], country=self.country)

    def clean_password(self):
        password = self.cleaned_data["password"]
        candidate = User(email=self.email, full_name=self.data.get("full_name", ""))
        password_validation.validate_password(password, candidate)
        return password


class InviteCoordinatorForm(forms.Form):
    full_name = TextField(
        label=_("Their full name"), max_length=150, error_messages={"required": _("Enter their full name")}
    )
    email = EmailAddressField(
        label=_("Their email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        empty_label=None,
        error_messages={"required": _("Select an area"), "invalid_choice": _("Select one of your areas")},
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
