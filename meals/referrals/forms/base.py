"""Building blocks of the request's question pages: the date and radio widgets, the section base class."""

from django import forms

from accounts.people.models import Area
from casserole.addresses import default_country
from casserole.models import Channel
from casserole.phones import PHONE_EXAMPLE_ERROR, clean_phone
from casserole.text import TextField

PHONE_ERROR = PHONE_EXAMPLE_ERROR
# Languages are offered in their own language, so a diner can find theirs whichever page they read.
LANGUAGE_CHOICES = [("en", "English"), ("ja", "日本語")]
YES, NO = "yes", "no"
# The consent page's "who else may we tell" choices, and the Diner field each one sets.
CONCERN_KEYS = (("referrer", "concerns_to_referrer"), ("emergency_contact", "concerns_to_emergency_contact"))


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


# Widgets and fields ----------------------------------------------------------------------------------


class RadiosWithHints(forms.RadioSelect):
    """Radios with a hint under some options (rendered by meals/referrals/request/_radios_hints.html)."""

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
        return clean_phone(value, country=self.country)


def _text_field(label, *, max_length: int, required: bool = True, help_text="", messages=None, attrs=None):
    return TextField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"spellcheck": "false", **(attrs or {})}),
        error_messages=messages or {},
    )


def _textarea(label, *, help_text="", max_length: int = 1000, messages=None):
    return TextField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=messages or {},
    )


# The pages -------------------------------------------------------------------------------------------
