"""The questions of a request for meals: one form per question page, and per section of a diner's record.

`SECTIONS` maps each page's slug to its form, in the order the request asks them. Every form has:
- `title`: the question the page asks (its h1), about "the diner"; `heading` gives the wording for a
  diner asking for themselves on the web (built with `for_self=True`; on a phone call the
  coordinator types, so the pages keep speaking of "the diner");
- `fields_for_diner`: the Diner fields it edits (names from meals.services.DINER_FIELDS; empty for the
  relationship and consent pages, which edit the request and the consent);
- `initial_from(values)`: the form's initial values from a draft's answers or from a Diner's values;
- `answers()`: after is_valid(), the cleaned values, JSON-ready, keyed by Diner field names;
- `is_answered(values)` and `summary(values)`: whether a draft answers the page, and its rows for a
  "Check your answers" list.
Every form takes the same keyword arguments, `channel`, `country`, `for_self` and `signed_in`, and
ignores those it does not need, so any page can build any section the same way.

Forms check the shape of what was typed and put it in canonical form (E.164 phone numbers,
casserole.postcodes postcodes, ISO dates); meals.services checks the rules. Views pass only
`answers()` on, so whatever else a browser posts (status, area, coordinates, referrer…) reaches nothing.
"""

import re
import unicodedata
from datetime import date

from django import forms
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.cook_forms import normalise_phone, phone_for_display
from accounts.models import Area
from casserole.geocoding import normalise_postcode
from casserole.models import Channel
from meals.models import JP_ALLERGENS, UK_ALLERGENS, Allergen, Diner, Referral, Weekday

PHONE_ERROR = _("Enter a phone number, like 020 7946 0018 or 03-1234-5678")
# Languages are offered in their own language, so a diner can find theirs whichever page they read.
LANGUAGE_CHOICES = [("en", "English"), ("ja", "日本語")]
YES, NO = "yes", "no"
# The consent page's "who else may we tell" choices, and the Diner field each one sets.
CONCERN_KEYS = (("referrer", "concerns_to_referrer"), ("emergency_contact", "concerns_to_emergency_contact"))


def default_country() -> str:
    """The country a form assumes until one is chosen: Japan on Japanese pages, else the UK."""
    return Area.Country.JP if get_language() == "ja" else Area.Country.GB


def _year_first() -> bool:
    # Japanese writes dates year, month, day (年・月・日).
    return get_language() == "ja"


def _text(value: str) -> str:
    """Typed text in one canonical Unicode form (NFC keeps full-width letters and kana as typed)."""
    return unicodedata.normalize("NFC", value or "").strip()


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


# Widgets and fields ----------------------------------------------------------------------------------


class SplitDateWidget(forms.MultiWidget):
    """Day, month and year boxes (year first in Japanese), as the GOV.UK date input."""

    template_name = "meals/request/_date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        def box(width: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                }
            )

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value):
        if isinstance(value, str) and value:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        # The error summary links to the first box the person sees.
        return f"{id_}_{2 if _year_first() else 0}" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        invalid = bool((attrs or {}).get("aria-invalid"))
        for subwidget, label in zip(subwidgets, (_("Day"), _("Month"), _("Year")), strict=True):
            subwidget["label"] = label
            if invalid:
                subwidget["attrs"]["class"] += " govuk-input--error"
        if _year_first():
            context["widget"]["subwidgets"] = subwidgets[::-1]
        return context


_DIGITS = re.compile(r"^[0-9]+$")


class SplitDateField(forms.MultiValueField):
    """A date typed in three boxes; full-width digits are fine. Refuses dates in the future."""

    widget = SplitDateWidget
    default_error_messages = {
        "required": _("Enter the date"),
        "incomplete": _("Enter the day, the month and the year"),
        "invalid": _("Enter a real date, for example 20 11 2026"),
        "future": _("The date must be today or in the past"),
    }

    def __init__(self, **kwargs):
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        parts = [unicodedata.normalize("NFKC", part or "").strip() for part in data_list]
        if not all(parts):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not all(_DIGITS.match(part) for part in parts) or len(parts[2]) != 4:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(part) for part in parts)
        try:
            value = date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if value.year < 1900:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if value > timezone.localdate():
            raise forms.ValidationError(self.error_messages["future"], code="future")
        return value


class RadiosWithHints(forms.RadioSelect):
    """Radios with a hint under some options (rendered by meals/request/_radios_hints.html)."""

    def __init__(self, *args, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("class", "govuk-radios__input")
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        if option["hint"] and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}-hint"
        return option

    def id_for_label(self, id_, index="0"):
        # The first radio: where the error summary's link should land.
        return f"{id_}_{index}" if id_ else ""


# The base of every section ---------------------------------------------------------------------------


class SectionForm(forms.Form):
    title = ""
    title_self = ""
    intro = ""
    fields_for_diner: tuple[str, ...] = ()
    # The keys a draft must hold a value for (optional pages need only have been saved once).
    required_keys: tuple[str, ...] = ()
    # Labels on the "Check your answers" list where a field's label says "(optional)".
    summary_labels: dict = {}

    def __init__(
        self,
        *args,
        channel: str = Channel.WEB,
        country: str = "",
        for_self: bool = False,
        signed_in: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.channel, self.signed_in = channel, signed_in
        self.country = country if country in Area.Country.values else default_country()
        self.for_self = for_self

    @property
    def speaks_to_diner(self) -> bool:
        """The diner is typing (asking for themselves on the web): the pages say "you"."""
        return self.for_self and self.channel == Channel.WEB

    @property
    def heading(self) -> str:
        return self.title_self if self.speaks_to_diner and self.title_self else self.title

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        return {name: values[name] for name in cls.fields_for_diner if name in values}

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields_for_diner}

    def answer_keys(self) -> tuple[str, ...]:
        return self.fields_for_diner

    def is_answered(self, values: dict) -> bool:
        return all(name in values for name in self.answer_keys()) and all(
            values.get(name) not in (None, "", []) for name in self.required_keys
        )

    def summary(self, values: dict) -> list[dict]:
        """Rows of (label, value as text) for the answers in `values`, one per field."""
        return [
            {"label": self.summary_labels.get(name) or field.label, "value": self._display(name, field, values)}
            for name, field in self.fields.items()
        ]

    def _display(self, name: str, field, values: dict) -> str:
        value = values.get(name)
        if isinstance(field, forms.MultipleChoiceField):
            return "\n".join(_choice_label(field.choices, item) for item in value or [])
        if isinstance(field, forms.ChoiceField):
            return _choice_label(field.choices, value)
        return str(value or "")

    def _clean_phone(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if not value:
            return value
        phone = normalise_phone(value, country=self.country)
        if phone is None:
            raise forms.ValidationError(PHONE_ERROR)
        return phone


def _text_field(label, *, max_length: int, required: bool = True, help_text="", messages=None, attrs=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"spellcheck": "false", **(attrs or {})}),
        error_messages=messages or {},
    )


def _textarea(label, *, help_text="", max_length: int = 1000, messages=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=messages or {},
    )


# The pages -------------------------------------------------------------------------------------------


class RelationshipForm(SectionForm):
    """Who is asking. Signed in on the web: only the relationship (we know who they are). Without an
    account, or a coordinator taking a call: also the name and phone of the person asking, unless the
    diner is asking for themselves (then the diner's own phone is how we reach them)."""

    title = _("What is your relationship to the person who would like meals?")
    relationship = forms.ChoiceField(
        label=_("Your relationship to the person who would like meals"),
        help_text=_("Choose “I am the diner” if the meals are for you."),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select your relationship to the person who would like meals"),
            "invalid_choice": _("Select your relationship to the person who would like meals"),
        },
    )
    referrer_name = _text_field(
        _("Your name"),
        max_length=150,
        required=False,
        attrs={"autocomplete": "name"},
        messages={"max_length": _("Your name must be 150 characters or fewer")},
    )
    referrer_phone = _text_field(
        _("Your phone number"),
        max_length=32,
        required=False,
        attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"},
        messages={"max_length": PHONE_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Relationship = Referral.Relationship
        choices = [(value, label) for value, label in Relationship.choices if value != Relationship.COORDINATOR]
        if self.channel == Channel.PHONE:
            self.title = _("Who is calling?")
            called = _("The diner called themselves")
            choices = [(value, called if value == Relationship.SELF else label) for value, label in choices]
            field = self.fields["relationship"]
            field.label = _("The caller’s relationship to the diner")
            field.help_text = ""
            field.error_messages["required"] = field.error_messages["invalid_choice"] = _("Select who is calling")
            self.fields["referrer_name"].label = _("Caller’s name")
            self.fields["referrer_phone"].label = _("Caller’s phone number")
            self.fields["referrer_phone"].help_text = _("Leave these empty if the diner called themselves.")
            for name in ("referrer_name", "referrer_phone"):
                self.fields[name].widget.attrs.pop("autocomplete", None)
        elif self.signed_in:
            del self.fields["referrer_name"], self.fields["referrer_phone"]
        else:
            self.fields["referrer_phone"].help_text = _(
                "If you are asking for someone else, the coordinator will call you on this number. "
                "Leave your name and number empty if the meals are for you."
            )
        self.fields["relationship"].choices = choices

    @property
    def asks_caller(self) -> bool:
        return "referrer_name" in self.fields

    def clean_referrer_name(self):
        return _text(self.cleaned_data.get("referrer_name", ""))

    def clean_referrer_phone(self):
        return self._clean_phone("referrer_phone")

    def clean(self):
        cleaned = super().clean()
        relationship = cleaned.get("relationship")
        if not self.asks_caller or not relationship:
            return cleaned
        if relationship == Referral.Relationship.SELF:
            cleaned["referrer_name"] = cleaned["referrer_phone"] = ""
            return cleaned
        phone_call = self.channel == Channel.PHONE
        if not cleaned.get("referrer_name") and "referrer_name" not in self.errors:
            self.add_error("referrer_name", _("Enter the caller’s name") if phone_call else _("Enter your name"))
        if not cleaned.get("referrer_phone") and "referrer_phone" not in self.errors:
            self.add_error(
                "referrer_phone",
                _("Enter the caller’s phone number") if phone_call else _("Enter your phone number"),
            )
        return cleaned

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        return {
            "relationship": values.get("relationship", ""),
            "referrer_name": values.get("referrer_name", ""),
            "referrer_phone": phone_for_display(values["referrer_phone"]) if values.get("referrer_phone") else "",
        }

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {
            "relationship": data["relationship"],
            "referrer_name": data.get("referrer_name", ""),
            "referrer_phone": data.get("referrer_phone", ""),
        }
        # The consent page asks a diner asking for themselves something else than someone asking
        # for them: when that changes, the earlier consent answers no longer fit and are asked again.
        before = self.initial.get("relationship")
        self_before, self_now = before == Referral.Relationship.SELF, data["relationship"] == Referral.Relationship.SELF
        if before and self_before != self_now:
            answers.update(consent_given=False, consent_method="", consent_given_on="")
        return answers

    def answer_keys(self) -> tuple[str, ...]:
        return ("relationship",)

    def is_answered(self, values: dict) -> bool:
        if not values.get("relationship"):
            return False
        if self.asks_caller and values["relationship"] != Referral.Relationship.SELF:
            return bool(values.get("referrer_name") and values.get("referrer_phone"))
        return True

    def summary(self, values: dict) -> list[dict]:
        rows = [{"label": self.fields["relationship"].label, "value": self._display("relationship", None, values)}]
        if self.asks_caller and values.get("relationship") != Referral.Relationship.SELF:
            phone = values.get("referrer_phone")
            rows += [
                {"label": self.fields["referrer_name"].label, "value": values.get("referrer_name", "")},
                {"label": self.fields["referrer_phone"].label, "value": phone_for_display(phone) if phone else ""},
            ]
        return rows

    def _display(self, name, field, values):
        return _choice_label(self.fields["relationship"].choices, values.get("relationship"))


class NameForm(SectionForm):
    title = _("What is the diner’s name?")
    title_self = _("What is your name?")
    fields_for_diner = ("full_name", "name_reading", "preferred_name", "preferred_language")
    required_keys = ("full_name", "preferred_name", "preferred_language")
    full_name = forms.CharField(
        label=_("Full name"),
        help_text=_("Write it in any language, the way they write it. For example, Edith O’Brien or 山田 花子."),
        max_length=150,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": _("Enter the diner’s full name"),
            "max_length": _("Full name must be 150 characters or fewer"),
        },
    )
    name_reading = forms.CharField(
        label=_("Reading of the name (optional)"),
        help_text=_("For Japanese names, in katakana. For example, ヤマダ ハナコ."),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": _("The reading must be 150 characters or fewer")},
    )
    preferred_name = forms.CharField(
        label=_("What do they like to be called?"),
        help_text=_("For example, Edie, Mr Patel or 花子さん. Their cook will use this name."),
        max_length=80,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-!-width-one-half"}),
        error_messages={
            "required": _("Enter what they like to be called"),
            "max_length": _("What they like to be called must be 80 characters or fewer"),
        },
    )
    preferred_language = forms.ChoiceField(
        label=_("Which language would they like us to use?"),
        choices=LANGUAGE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the language they would like us to use"),
            "invalid_choice": _("Select the language they would like us to use"),
        },
    )
    summary_labels = {"name_reading": _("Reading of the name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("preferred_language", "ja" if get_language() == "ja" else "en")
        self.fields["full_name"].widget.attrs["autocomplete"] = "name" if self.speaks_to_diner else "off"
        if self.speaks_to_diner:
            self.fields["full_name"].help_text = _(
                "Write it in any language, the way you write it. For example, Edith O’Brien or 山田 花子."
            )
            self.fields["full_name"].error_messages["required"] = _("Enter your full name")
            self.fields["preferred_name"].label = _("What would you like to be called?")
            self.fields["preferred_name"].help_text = _(
                "For example, Edie, Mr Patel or 花子さん. Your cook will use this name."
            )
            self.fields["preferred_name"].error_messages["required"] = _("Enter what you would like to be called")
            self.fields["preferred_language"].label = _("Which language would you like us to use?")

    def clean_full_name(self):
        return _text(self.cleaned_data["full_name"])

    def clean_name_reading(self):
        # NFKC turns half-width katakana (ﾔﾏﾀﾞ) into the usual full-width form.
        return unicodedata.normalize("NFKC", self.cleaned_data["name_reading"] or "").strip()

    def clean_preferred_name(self):
        return _text(self.cleaned_data["preferred_name"])


class AddressForm(SectionForm):
    title = _("What is the diner’s address?")
    title_self = _("What is your address?")
    fields_for_diner = ("country", "address_line1", "address_line2", "town", "postcode")
    required_keys = ("country", "address_line1", "postcode")
    country = forms.ChoiceField(
        label=_("Country"),
        choices=Area.Country.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the country they live in"),
            "invalid_choice": _("Select the country they live in"),
        },
    )
    address_line1 = forms.CharField(
        label=_("Address line 1"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={
            "required": _("Enter address line 1, typically the building and street"),
            "max_length": _("Address line 1 must be 150 characters or fewer"),
        },
    )
    address_line2 = forms.CharField(
        label=_("Address line 2 (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
        error_messages={"max_length": _("Address line 2 must be 150 characters or fewer")},
    )
    town = forms.CharField(
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("country", self.country)
        if not self.speaks_to_diner:
            for name in ("address_line1", "address_line2", "town", "postcode"):
                # The diner's address, not the person typing: the browser should not fill in their own.
                self.fields[name].widget.attrs["autocomplete"] = "off"
        else:
            self.fields["country"].error_messages["required"] = self.fields["country"].error_messages[
                "invalid_choice"
            ] = _("Select the country you live in")

    def clean_address_line1(self):
        return _text(self.cleaned_data["address_line1"])

    def clean_address_line2(self):
        return _text(self.cleaned_data["address_line2"])

    def clean_town(self):
        return _text(self.cleaned_data["town"])

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        if country and cleaned.get("postcode"):
            postcode = normalise_postcode(country=country, postcode=cleaned["postcode"])
            if postcode is None:
                message = (
                    _("Enter a postcode with 7 digits, like 154-0004")
                    if country == Area.Country.JP
                    else _("Enter a real postcode, like E8 1DY")
                )
                self.add_error("postcode", message)
            else:
                cleaned["postcode"] = postcode
        return cleaned

    def summary(self, values: dict) -> list[dict]:
        lines = [values.get(name) for name in ("address_line1", "address_line2", "town", "postcode")]
        lines.append(_choice_label(Area.Country.choices, values.get("country")))
        return [{"label": _("Address"), "value": "\n".join(line for line in lines if line)}]


class PhoneForm(SectionForm):
    title = _("What is the diner’s phone number?")
    title_self = _("What is your phone number?")
    fields_for_diner = ("phone",)
    required_keys = ("phone",)
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("A landline is fine. The coordinator will call this number to arrange meals."),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "class": "govuk-input--width-20"}),
        error_messages={"required": _("Enter a phone number"), "max_length": PHONE_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["autocomplete"] = "tel" if self.speaks_to_diner else "off"

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        return {"phone": phone_for_display(values["phone"])} if values.get("phone") else {}

    def clean_phone(self):
        return self._clean_phone("phone")

    def _display(self, name, field, values):
        return phone_for_display(values[name]) if values.get(name) else ""


class AccessForm(SectionForm):
    title = _("How can the cook get in?")
    title_self = _("How can the cook get in to your home?")
    fields_for_diner = ("access_notes",)
    access_notes = _textarea(
        _("How to get in (optional)"),
        help_text=_(
            "For example: there is a key safe, or ring twice and wait. We share this only with the cook "
            "who brings meals, and only if the diner agrees."
        ),
        messages={"max_length": _("How to get in must be 1000 characters or fewer")},
    )
    summary_labels = {"access_notes": _("How to get in")}

    def clean_access_notes(self):
        return _text(self.cleaned_data["access_notes"])


class AllergenCheckboxes(forms.CheckboxSelectMultiple):
    """The allergens, the diner's country's list first (meals/request/_allergens.html puts the
    others under "Other allergens")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_group = 0


class DietForm(SectionForm):
    title = _("Does the diner have any dietary needs or allergies?")
    title_self = _("Do you have any dietary needs or allergies?")
    fields_for_diner = ("dietary_needs", "allergens", "allergy_notes")
    dietary_needs = _textarea(
        _("Dietary needs (optional)"),
        help_text=_("For example: diabetic, vegetarian, halal, low salt."),
        messages={"max_length": _("Dietary needs must be 1000 characters or fewer")},
    )
    allergens = forms.MultipleChoiceField(
        label=_("Allergies"),
        help_text=_("Select all that apply."),
        required=False,
        choices=Allergen.choices,
        widget=AllergenCheckboxes(attrs={"class": "govuk-checkboxes__input"}),
        template_name="meals/request/_allergens.html",
        error_messages={"invalid_choice": _("Select allergies from the list")},
    )
    allergy_notes = _textarea(
        _("Other allergies (optional)"),
        help_text=_("Any allergy not in the list, for example kiwi fruit."),
        messages={"max_length": _("Other allergies must be 1000 characters or fewer")},
    )
    summary_labels = {"dietary_needs": _("Dietary needs"), "allergy_notes": _("Other allergies")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = JP_ALLERGENS if self.country == Area.Country.JP else UK_ALLERGENS
        others = [allergen for allergen in Allergen if allergen not in first]
        field = self.fields["allergens"]
        field.choices = [(allergen.value, allergen.label) for allergen in (*first, *others)]
        field.widget.first_group = len(first)

    def clean_dietary_needs(self):
        return _text(self.cleaned_data["dietary_needs"])

    def clean_allergy_notes(self):
        return _text(self.cleaned_data["allergy_notes"])


TEXTURE_HINTS = {
    Diner.Texture.NORMAL: _("Ordinary home cooking."),
    Diner.Texture.SOFT: _("Soft and tender, cut into small pieces about the size of a thumbnail."),
    Diner.Texture.MINCED: _("Finely minced or mashed, soft and moist, with no hard pieces."),
    Diner.Texture.PUREED: _("Smooth, with no lumps, like a thick soup."),
}


class TextureForm(SectionForm):
    title = _("What food texture does the diner need?")
    title_self = _("What food texture do you need?")
    fields_for_diner = ("texture",)
    required_keys = ("texture",)
    texture = forms.ChoiceField(
        label=_("Food texture"),
        help_text=_("If a doctor or speech therapist has said what they need, choose that."),
        choices=Diner.Texture.choices,
        widget=RadiosWithHints(hints={str(key): value for key, value in TEXTURE_HINTS.items()}),
        template_name="meals/request/_radios_hints.html",
        error_messages={
            "required": _("Select the food texture they need"),
            "invalid_choice": _("Select the food texture they need"),
        },
    )


class LikesForm(SectionForm):
    title = _("What food does the diner like and dislike?")
    title_self = _("What food do you like and dislike?")
    fields_for_diner = ("likes", "dislikes")
    likes = _textarea(
        _("Likes (optional)"),
        help_text=_("For example: fish pie, miso soup, rice pudding."),
        messages={"max_length": _("Likes must be 1000 characters or fewer")},
    )
    dislikes = _textarea(
        _("Dislikes (optional)"),
        help_text=_("For example: spicy food, mushrooms."),
        messages={"max_length": _("Dislikes must be 1000 characters or fewer")},
    )
    summary_labels = {"likes": _("Likes"), "dislikes": _("Dislikes")}

    def clean_likes(self):
        return _text(self.cleaned_data["likes"])

    def clean_dislikes(self):
        return _text(self.cleaned_data["dislikes"])


class DaysForm(SectionForm):
    title = _("How often, and on which days, would meals help?")
    fields_for_diner = ("frequency", "days")
    required_keys = ("frequency", "days")
    frequency = forms.ChoiceField(
        label=_("How often would meals help?"),
        choices=Diner.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how often meals would help"),
            "invalid_choice": _("Select how often meals would help"),
        },
    )
    days = forms.MultipleChoiceField(
        label=_("Which days are best?"),
        help_text=_("Select all that apply. We will look for a cook who can come on these days."),
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one day"),
            "invalid_choice": _("Select days from the list"),
        },
    )

    def clean_days(self):
        # In the week's order, whatever order the browser sent them in.
        chosen = set(self.cleaned_data["days"])
        return [day for day in Weekday.values if day in chosen]


class EmergencyForm(SectionForm):
    title = _("Who should we contact in an emergency?")
    intro = _("Someone we can call if we are worried about the diner, for example if they do not answer the door.")
    fields_for_diner = ("emergency_name", "emergency_phone", "emergency_relationship")
    required_keys = ("emergency_name", "emergency_phone")
    emergency_name = forms.CharField(
        label=_("Their full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the emergency contact’s name"),
            "max_length": _("The name must be 150 characters or fewer"),
        },
    )
    emergency_phone = forms.CharField(
        label=_("Their phone number"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}),
        error_messages={"required": _("Enter the emergency contact’s phone number"), "max_length": PHONE_ERROR},
    )
    emergency_relationship = forms.CharField(
        label=_("Their relationship to the diner (optional)"),
        help_text=_("For example: daughter, neighbour, care manager."),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-one-half"}),
        error_messages={"max_length": _("The relationship must be 80 characters or fewer")},
    )
    summary_labels = {
        "emergency_name": _("Name"),
        "emergency_phone": _("Phone number"),
        "emergency_relationship": _("Relationship"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.speaks_to_diner:
            self.intro = _(
                "Someone we can call if we are worried about you, for example if you do not answer the door."
            )
            self.fields["emergency_relationship"].label = _("Their relationship to you (optional)")

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        initial = super().initial_from(values)
        if values.get("emergency_phone"):
            initial["emergency_phone"] = phone_for_display(values["emergency_phone"])
        return initial

    def clean_emergency_name(self):
        return _text(self.cleaned_data["emergency_name"])

    def clean_emergency_phone(self):
        return self._clean_phone("emergency_phone")

    def clean_emergency_relationship(self):
        return _text(self.cleaned_data["emergency_relationship"])

    def _display(self, name, field, values):
        if name == "emergency_phone" and values.get(name):
            return phone_for_display(values[name])
        return super()._display(name, field, values)


class ConsentForm(SectionForm):
    """That the diner agreed, how and when, what a matched cook may see and who may hear of concerns.

    A diner asking for themselves agrees by asking (on the web, or to the coordinator on the phone):
    the form then does not ask how or when. `consent_values()` gives the Diner's consent fields
    (meals.services.CONSENT_FIELDS, with a `date`) for meals.services.record_consent."""

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
        elif phone_call:
            fields["consent_given"].help_text = _(
                "Ask the caller. If you cannot be sure the diner agreed, call the diner before you send the request."
            )
        else:
            fields["consent_given"].help_text = _(
                "They must agree to us keeping these details and to a volunteer cook bringing them meals."
            )
        if "consent_given_on" in fields:
            example = "2026 11 20" if _year_first() else "20 11 2026"
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
        """The Diner's consent fields, for meals.services.record_consent (a date, not a string)."""
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
        shared = [_choice_label(Diner.Share.choices, value) for value in values.get("share_with_cook", [])]
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

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your name"), "max_length": _("Your name must be 150 characters or fewer")},
    )
    contact = forms.CharField(
        label=_("Your phone number or email address"),
        help_text=_("We will use it only to tell you when a Casserole club opens near you."),
        max_length=254,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": _("Enter a phone number or an email address"),
            "max_length": _("Enter a phone number, like 020 7946 0018, or an email address, like name@example.com"),
        },
    )

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country if country in Area.Country.values else default_country()

    def clean_name(self):
        return _text(self.cleaned_data["name"])

    def clean_contact(self):
        value = unicodedata.normalize("NFKC", self.cleaned_data["contact"]).strip()
        if "@" in value:
            try:
                forms.EmailField().clean(value)
            except forms.ValidationError:
                raise forms.ValidationError(_("Enter an email address like name@example.com")) from None
            return value
        phone = normalise_phone(value, country=self.country)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a phone number, like 020 7946 0018, or an email address, like name@example.com")
            )
        return phone


SECTIONS: dict[str, type[SectionForm]] = {
    "relationship": RelationshipForm,
    "name": NameForm,
    "address": AddressForm,
    "phone": PhoneForm,
    "access": AccessForm,
    "diet": DietForm,
    "texture": TextureForm,
    "likes": LikesForm,
    "days": DaysForm,
    "emergency": EmergencyForm,
    "consent": ConsentForm,
}
