"""Where someone lives, written once for everyone who has an address (a cook, a diner): the model
fields, the form fields with the postcode check, and the address as the geocoders read it."""

from django import forms
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casserole.geocoding import normalise_postcode
from casserole.models import Country
from casserole.text import TextField


def default_country() -> str:
    """The country a form assumes until one is chosen or known: Japan on Japanese pages, else the UK."""
    return Country.JP if get_language() == "ja" else Country.GB


# A postcode of the right shape that nothing knows (accounts.people.selectors.postcode_recognised):
# shown at the postcode field, with what was typed kept, so the person can correct it. Distinct from
# "no club near you yet", which is for real postcodes outside every area.
UNRECOGNISED_POSTCODE = _("We don’t recognise this postcode. Check it and try again.")


class PostalAddress(models.Model):
    """A postal address in one of our countries. Private: only the person, their coordinators and
    whoever else their capability's access rules name may see it."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    address_line1 = models.CharField(_("address line 1"), max_length=150)
    address_line2 = models.CharField(_("address line 2"), max_length=150, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)  # canonical form (casserole.postcodes)

    class Meta:
        abstract = True


def address_for_geocoder(*, country: str, address_line1: str, address_line2: str, town: str) -> str:
    """The address without its postcode, as the country's geocoder wants it written."""
    if country == Country.JP:
        # GSI wants the address as written in Japan: largest part first, no separators.
        return "".join(part for part in (town, address_line1, address_line2) if part)
    return ", ".join(part for part in (address_line1, address_line2, town) if part)


def address_lines(address) -> list[str]:
    """The address as it is written where it is (one home for every page, card and letter: the
    `postal_address` filter and templates/includes/postal_address.html): in Japan the postcode first
    with 〒, then from the largest place to the building (〒154-0004 / 東京都世田谷区太子堂4丁目1-1 /
    建物名); in the UK from the door to the postcode. `address` has PostalAddress's fields."""
    line1, line2 = address.address_line1 or "", address.address_line2 or ""
    town, postcode = address.town or "", address.postcode or ""
    if address.country == Country.JP:
        lines = (f"〒{postcode}" if postcode else "", f"{town}{line1}", line2)
    else:
        lines = (line1, line2, town, postcode)
    return [line for line in lines if line]


# The questions of a Japanese address, in the order it is written: the postcode first (a 〒 before the
# box), then 都道府県・市区町村, 町名・番地 and 建物名・部屋番号. The same fields as a UK address: town holds
# the prefecture and city, line 1 the town and block number, line 2 the building and room.
JP_FIELD_ORDER = ("postcode", "town", "address_line1", "address_line2")
GB_FIELD_ORDER = ("address_line1", "address_line2", "town", "postcode")


class PostalAddressFields(forms.Form):
    """The address questions, in PostalAddress's order, and the postcode put in canonical form for the
    chosen country. The wording speaks of someone else's address ("Enter the postcode"); a form about
    the person's own address rewords its messages in __init__."""

    country = forms.ChoiceField(
        label=_("Country"),
        choices=Country.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the country they live in"),
            "invalid_choice": _("Select the country they live in"),
        },
    )
    address_line1 = TextField(
        label=_("Address line 1"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={
            "required": _("Enter address line 1, typically the building and street"),
            "max_length": _("Address line 1 must be 150 characters or fewer"),
        },
    )
    address_line2 = TextField(
        label=_("Address line 2 (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
        error_messages={"max_length": _("Address line 2 must be 150 characters or fewer")},
    )
    town = TextField(
        label=_("Town or city"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2", "class": "govuk-!-width-two-thirds"}),
        error_messages={
            "required": _("Enter the town or city"),
            "max_length": _("Town or city must be 100 characters or fewer"),
        },
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={"required": _("Enter the postcode"), "max_length": _("Enter a real postcode")},
    )

    def arrange_address_for(self, country: str) -> None:
        """Ask the address as `country` writes it: Japanese labels, hints and order for Japan (see
        JP_FIELD_ORDER), the UK's otherwise. Call from __init__ once the country is known."""
        self.address_country = country
        if country != Country.JP:
            return
        fields = self.fields
        fields["postcode"].label = _("Postcode (〒)")
        fields["postcode"].help_text = _("7 digits, for example 154-0004")
        fields["postcode"].input_prefix = "〒"
        fields["town"].label = _("Prefecture and city (都道府県・市区町村)")
        fields["town"].help_text = _("For example, 東京都世田谷区")
        fields["town"].error_messages["required"] = _("Enter the prefecture and city")
        fields["address_line1"].label = _("Town and block number (町名・番地)")
        fields["address_line1"].help_text = _("For example, 太子堂4丁目1-1")
        fields["address_line1"].error_messages["required"] = _("Enter the town and block number")
        fields["address_line2"].label = _("Building and room number (建物名・部屋番号) (optional)")
        fields["address_line2"].help_text = _("For example, コーポ太子堂 201号室")
        # The other fields keep their place; the address fields take the places they had, in Japan's order.
        names = list(fields)
        slots = [index for index, name in enumerate(names) if name in JP_FIELD_ORDER]
        for index, name in zip(slots, JP_FIELD_ORDER, strict=True):
            names[index] = name
        self.order_fields(names)

    @property
    def address_fields(self) -> list:
        """The address boxes (not the country) in the order the country writes them, for templates
        that lay the form out by hand."""
        order = JP_FIELD_ORDER if getattr(self, "address_country", "") == Country.JP else GB_FIELD_ORDER
        return [self[name] for name in order if name in self.fields]

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        country = self.cleaned_data.get("country")
        if not country:
            # A postcode is read by its country: it is checked once one is chosen.
            return postcode
        canonical = normalise_postcode(country=country, postcode=postcode)
        if canonical is None:
            if country == Country.JP:
                raise forms.ValidationError(_("Enter a postcode with 7 digits, like 154-0004"))
            raise forms.ValidationError(_("Enter a real postcode, like E8 1DY"))
        return canonical
