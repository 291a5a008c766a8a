"""The question pages about the diner themselves (every section but consent)."""

import unicodedata
from types import SimpleNamespace

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.people.models import Area
from casserole import allergens as allergen_table
from casserole.addresses import PostalAddressFields, address_lines
from casserole.models import Channel
from casserole.phones import phone_for_display
from casserole.text import TextField, clean_text
from meals.diners.models import (
    JP_ALLERGENS,
    JP_RECOMMENDED_ALLERGENS,
    UK_ALLERGENS,
    Allergen,
    Diner,
    FormOfAddress,
    Weekday,
)
from meals.referrals.forms.base import (
    LANGUAGE_CHOICES,
    PHONE_ERROR,
    RadiosWithHints,
    SectionForm,
    _choice_label,
    _text_field,
    _textarea,
)
from meals.referrals.models import Referral


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
        hidden = {Relationship.COORDINATOR}
        if self.country != Area.Country.JP:
            hidden.update(Referral.JAPAN_ONLY_RELATIONSHIPS)
        choices = [(value, label) for value, label in Relationship.choices if value not in hidden]
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
    fields_for_diner = ("full_name", "name_reading", "preferred_name", "form_of_address", "preferred_language")
    required_keys = ("full_name", "preferred_name", "preferred_language")
    full_name = TextField(
        label=_("Full name"),
        help_text=_("Write it in any language, the way they write it. For example, Edith O’Brien or 山田 花子."),
        max_length=150,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": _("Enter the diner’s full name"),
            "max_length": _("Full name must be 150 characters or fewer"),
        },
    )
    name_reading = TextField(
        label=_("Reading of the name (optional)"),
        help_text=_("For Japanese names, in katakana. For example, ヤマダ ハナコ."),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": _("The reading must be 150 characters or fewer")},
    )
    preferred_name = TextField(
        label=_("What do they like to be called?"),
        help_text=_("For example, Edie, Mr Patel or 花子. Their cook will use this name."),
        max_length=80,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-!-width-one-half"}),
        error_messages={
            "required": _("Enter what they like to be called"),
            "max_length": _("What they like to be called must be 80 characters or fewer"),
        },
    )
    # Asked for a diner in Japan only: Japanese pages and letters add it after the name (casserole.names).
    form_of_address = forms.ChoiceField(
        label=_("How should we address them in Japanese?"),
        help_text=_("We write it after their name, with no space: 花子さん, or 山田 花子様 on letters."),
        choices=FormOfAddress.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how we should address them"),
            "invalid_choice": _("Select how we should address them"),
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
        if self.country == Area.Country.JP:
            self.initial["form_of_address"] = self.initial.get("form_of_address") or FormOfAddress.SAN
        else:
            del self.fields["form_of_address"]
        self.fields["full_name"].widget.attrs["autocomplete"] = "name" if self.speaks_to_diner else "off"
        if self.speaks_to_diner:
            self.fields["full_name"].help_text = _(
                "Write it in any language, the way you write it. For example, Edith O’Brien or 山田 花子."
            )
            self.fields["full_name"].error_messages["required"] = _("Enter your full name")
            self.fields["preferred_name"].label = _("What would you like to be called?")
            self.fields["preferred_name"].help_text = _(
                "For example, Edie, Mr Patel or 花子. Your cook will use this name."
            )
            self.fields["preferred_name"].error_messages["required"] = _("Enter what you would like to be called")
            self.fields["preferred_language"].label = _("Which language would you like us to use?")

    def answer_keys(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields_for_diner if name in self.fields)

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.answer_keys()}

    def clean_name_reading(self):
        # NFKC turns half-width katakana (ﾔﾏﾀﾞ) into the usual full-width form.
        return clean_text(unicodedata.normalize("NFKC", self.cleaned_data["name_reading"] or ""))


class AddressForm(SectionForm, PostalAddressFields):
    title = _("What is the diner’s address?")
    title_self = _("What is your address?")
    fields_for_diner = ("country", "address_line1", "address_line2", "town", "postcode")
    required_keys = ("country", "address_line1", "postcode")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("country", self.country)
        self.arrange_address_for(self.country)
        if not self.speaks_to_diner:
            for name in ("address_line1", "address_line2", "town", "postcode"):
                # The diner's address, not the person typing: the browser should not fill in their own.
                self.fields[name].widget.attrs["autocomplete"] = "off"
        else:
            self.fields["country"].error_messages["required"] = self.fields["country"].error_messages[
                "invalid_choice"
            ] = _("Select the country you live in")

    def summary(self, values: dict) -> list[dict]:
        fields = ("country", "address_line1", "address_line2", "town", "postcode")
        lines = address_lines(SimpleNamespace(**{name: values.get(name) or "" for name in fields}))
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


class AllergenCheckboxes(forms.CheckboxSelectMultiple):
    """The allergens in groups from casserole.allergens, the diner's country's lists first: `headings`
    maps the index of a group's first option to the group's heading, which
    meals/referrals/request/_allergens.html shows above it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.headings: dict[int, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["heading"] = self.headings.get(index, "")
        # A plain explanation under a name few people know (二酸化硫黄・亜硫酸塩, ルピナス).
        option["hint"] = allergen_table.explanation(str(value), get_language())
        if option["hint"] and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}-hint"
        return option


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
        template_name="meals/referrals/request/_allergens.html",
        error_messages={"invalid_choice": _("Select allergies from the list")},
    )
    allergy_notes = _textarea(
        _("Other allergies (optional)"),
        help_text=_("Any allergy not in the list, for example tomatoes or strawberries."),
        messages={"max_length": _("Other allergies must be 1000 characters or fewer")},
    )
    summary_labels = {"dietary_needs": _("Dietary needs"), "allergy_notes": _("Other allergies")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.country == Area.Country.JP:
            groups = [
                (_("What food labels in Japan must show (特定原材料)"), JP_ALLERGENS),
                (_("What food labels in Japan are advised to show (特定原材料に準ずるもの)"), JP_RECOMMENDED_ALLERGENS),
            ]
        else:
            groups = [(_("The 14 allergens UK food law names"), UK_ALLERGENS)]
        listed = {allergen for _heading, allergens in groups for allergen in allergens}
        groups.append((_("Other allergens"), tuple(allergen for allergen in Allergen if allergen not in listed)))
        field = self.fields["allergens"]
        field.choices, field.widget.headings = [], {}
        for heading, allergens in groups:
            field.widget.headings[len(field.choices)] = str(heading)
            field.choices += [(allergen.value, allergen.label) for allergen in allergens]


TEXTURE_HINTS = {
    Diner.Texture.NORMAL: _("Ordinary home cooking."),
    Diner.Texture.EASY: _("Ordinary food cooked until tender, easy to bite with weak teeth or dentures."),
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
        template_name="meals/referrals/request/_radios_hints.html",
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
    emergency_name = TextField(
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
    emergency_relationship = TextField(
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

    def clean_emergency_phone(self):
        return self._clean_phone("emergency_phone")

    def _display(self, name, field, values):
        if name == "emergency_phone" and values.get(name):
            return phone_for_display(values[name])
        return super()._display(name, field, values)
