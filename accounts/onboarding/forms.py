"""Forms for the cook's onboarding pages. They check the shape of what was typed and put it in the
canonical form (E.164 phone numbers, casserole.postcodes postcodes); accounts.onboarding.services checks
the rules. Views pass the cleaned fields to the services by name, so nothing else a browser posts
(status, area, verified, coordinates…) can reach a model."""

import unicodedata
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.onboarding.services import default_distance_unit
from accounts.people.models import Area
from casserole.addresses import PostalAddressFields
from casserole.phones import clean_phone
from casserole.text import TextField

MAX_TRAVEL_DISTANCE = Decimal(50)


# What the file picker offers; the service decides from the file's bytes, never from this.
PHOTO_ACCEPT = "image/jpeg,image/png,image/heic,image/heif"


def default_unit(country: str) -> str:
    """The distance unit the cook is shown and the service stores: miles in the UK, km in Japan."""
    return default_distance_unit(country)


class TravelDistanceField(forms.DecimalField):
    """A distance as people type it, full-width digits included ("２．５")."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
        return super().to_python(value)


class CookProfileForm(PostalAddressFields):
    # The address questions (from PostalAddressFields) come after the phone, as the page asks them.
    field_order = (
        "full_name",
        "name_reading",
        "phone",
        *PostalAddressFields.base_fields,
        "travel_distance",
        "frequency",
        "cooking_likes",
        "note_for_diners",
    )
    full_name = TextField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Full name must be 150 characters or fewer"),
        },
    )
    name_reading = TextField(
        label=_("Reading of your name (optional)"),
        help_text=_("For Japanese names, in katakana, for example ヤマダ ハナコ"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": _("The reading of your name must be 150 characters or fewer")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("Your coordinator will call you on this number. They will not give it to anyone else."),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}),
        error_messages={
            "required": _("Enter your phone number"),
            "max_length": _("Enter a phone number, like 020 7946 0018 or 03-1234-5678"),
        },
    )
    travel_distance = TravelDistanceField(
        label=_("How far will you travel to take a meal to someone?"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=MAX_TRAVEL_DISTANCE,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-4"}),
        error_messages={
            "required": _("Enter how far you will travel, like 2 or 1.5"),
            "invalid": _("Enter how far you will travel as a number, like 2 or 1.5"),
            "min_value": _("Enter a distance greater than 0"),
            "max_value": _("Enter a distance of 50 or less"),
            "max_digits": _("Enter a distance of 50 or less"),
            "max_decimal_places": _("Enter a distance with no more than 1 decimal place, like 1.5"),
            "max_whole_digits": _("Enter a distance of 50 or less"),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often can you cook for someone?"),
        choices=CookProfile.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how often you can cook"),
            "invalid_choice": _("Select how often you can cook"),
        },
    )
    cooking_likes = TextField(
        label=_("What do you like to cook?"),
        help_text=_("For example: soups and stews, Japanese home cooking, vegetarian food, baking."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter what you like to cook"),
            "max_length": _("What you like to cook must be 1000 characters or fewer"),
        },
    )
    note_for_diners = TextField(
        label=_("A short note for the people you cook for (optional)"),
        help_text=_(
            "Diners and coordinators will see this. Say a little about yourself. "
            "Do not include your address or phone number. 500 characters at most."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The note must be 500 characters or fewer")},
    )

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The cook answers about their own home.
        self.fields["country"].label = _("Which country do you live in?")
        self.fields["country"].error_messages.update(
            required=_("Select the country you live in"), invalid_choice=_("Select the country you live in")
        )
        self.fields["town"].error_messages["required"] = _("Enter your town or city")
        self.fields["postcode"].error_messages["required"] = _("Enter your postcode")
        self.arrange_address_for(self._country_shown())
        # The unit shown after the distance box, which the view passes on to be stored with the number.
        self.unit = unit or default_unit(self._country_shown())
        self.fields["travel_distance"].help_text = _(
            "In miles if you live in the United Kingdom, in kilometres if you live in Japan. "
            "Up to 50. We will only suggest people within this distance of your home."
        )

    def _country_shown(self) -> str:
        if self.is_bound and self.data.get("country") in Area.Country.values:
            return self.data["country"]
        return self.initial.get("country") or Area.Country.GB

    @property
    def unit_label(self) -> str:
        return _("miles") if self.unit == Area.DistanceUnit.MILES else _("km")

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        if not country:
            # Phone numbers are read by country: they are checked once one is chosen (the postcode too,
            # in PostalAddressFields).
            return cleaned
        if "phone" in cleaned:
            try:
                cleaned["phone"] = clean_phone(cleaned["phone"], country=country)
            except forms.ValidationError as error:
                self.add_error("phone", error)
        return cleaned


class IdentityPhotoForm(forms.Form):
    document_type = forms.ChoiceField(
        label=_("Which document is in the photo?"),
        choices=IdentityCheck.DocumentType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the type of document"),
            "invalid_choice": _("Select the type of document"),
        },
    )
    # Empty files reach the service, which refuses them with its own message (the bad-file corpus).
    photo = forms.FileField(
        label=_("Upload a photo of your document"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
        error_messages={
            "required": _("Choose a photo of your document"),
            "invalid": _("Choose a photo of your document"),
            "missing": _("Choose a photo of your document"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _(
            "Take the photo in good light, with all four corners of the document showing. "
            "It must be a JPG, PNG or HEIC file smaller than %(size)s."
        ) % {"size": size_label(settings.IDENTITY_IMAGE_MAX_BYTES)}


def size_label(max_bytes: int) -> str:
    """ "10MB", "2.5MB", "512KB": the same wording as the service's "too big" message."""
    megabyte = 1024 * 1024
    if max_bytes >= megabyte:
        return f"{max_bytes / megabyte:.1f}".removesuffix(".0") + "MB"
    return f"{max(1, max_bytes // 1024)}KB"
