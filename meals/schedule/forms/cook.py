"""Forms for the cook's meal pages: propose a meal, move one, change the rest of a series, cancel one.

They check the shape of the input (a real date and times, a dish, allergens from the list, the
allergen confirmation ticked); meals.schedule.services checks the rules (in the future, no overlap,
nothing the diner avoids) and its refusals come back as form errors. Only the fields declared here
are read, so extra POST fields (status, cook, match, series...) change nothing.
"""

import unicodedata
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.fields import SplitDateField
from casserole.text import TextField
from meals.diners.models import JP_ALLERGENS, JP_RECOMMENDED_ALLERGENS, UK_ALLERGENS, Allergen, Diner, Portion
from meals.matching.forms import parse_time
from meals.schedule.models import Meal, Repeat

DISH_MAX_LENGTH = 200  # Meal.dish
NOTE_MAX_LENGTH = 500  # Meal.cancel_note

# A radio needs a value: "once" on the page is Repeat.NEVER ("") in the service.
ONCE = "once"
REPEATS = [(ONCE, Repeat.NEVER.label), *[(value, label) for value, label in Repeat.choices if value]]


class MealDateField(SplitDateField):
    """casserole.fields.SplitDateField (three boxes, full-width digits) for a day that may be ahead:
    whether it is still to come is the service's rule, in the area's time zone."""

    default_error_messages = {
        "required": _("Enter the date of the meal"),
        "incomplete": _("Enter the day, the month and the year of the meal"),
        "invalid": _("Enter a real date, for example 27 11 2026"),
    }

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            if error.code != "future":
                raise
        day, month, year = (int(unicodedata.normalize("NFKC", part).strip()) for part in data_list)
        return date(year, month, day)


def _time_field(label, help_text, required_message) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": required_message},
    )


class AllergenCheckboxes(forms.CheckboxSelectMultiple):
    """Every allergen, in groups, the diner's country's lists first. `headings` maps the index of a
    group's first option to its heading; `avoided` holds the codes the diner can't eat, marked on the
    page so the cook sees them where they tick."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.headings: dict[int, str] = {}
        self.avoided: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["heading"] = self.headings.get(index, "")
        option["avoided"] = value in self.avoided
        return option


def allergen_groups(country: str) -> list[tuple[str, tuple]]:
    """The full list (the UK's 14, Japan's 特定原材料 and its recommended items, then the rest), the
    diner's country's lists first, each allergen once."""
    uk = (_("The 14 allergens UK food law names"), UK_ALLERGENS)
    jp = [
        (_("What food labels in Japan must show (特定原材料)"), JP_ALLERGENS),
        (_("What food labels in Japan are advised to show"), JP_RECOMMENDED_ALLERGENS),
    ]
    ordered = [*jp, uk] if country == "JP" else [uk, *jp]
    groups, listed = [], set()
    for heading, allergens in [*ordered, (_("Other allergens"), tuple(Allergen))]:
        rest = tuple(allergen for allergen in allergens if allergen not in listed)
        if rest:
            groups.append((heading, rest))
            listed.update(rest)
    return groups


class _MealForm(forms.Form):
    """What every meal form asks: the dish and the allergen step. `diner` decides the order of the
    allergen list and which allergens are marked."""

    dish = TextField(
        label=_("What you plan to cook"),
        help_text=_("For example: fish pie with peas, or miso soup and rice."),
        max_length=DISH_MAX_LENGTH,
        error_messages={
            "required": _("Say what you plan to cook"),
            "max_length": _("The dish must be %(limit_value)d characters or fewer"),
        },
    )
    allergens = forms.MultipleChoiceField(
        label=_("Which allergens does the dish contain?"),
        help_text=_(
            "Tick every allergen in any ingredient, including sauces, stock and anything it is cooked in. "
            "Tick none if the dish contains none of them."
        ),
        required=False,
        choices=Allergen.choices,
        widget=AllergenCheckboxes(attrs={"class": "govuk-checkboxes__input"}),
        template_name="meals/schedule/cook/_allergens.html",
        error_messages={"invalid_choice": _("Choose allergens from the list")},
    )
    allergens_checked = forms.BooleanField(
        label=_("I have checked every ingredient: the dish contains only the allergens ticked above"),
        error_messages={"required": _("Confirm that you have checked every ingredient for allergens")},
    )

    def __init__(self, *args, diner: Diner, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["allergens"]
        field.choices, field.widget.headings = [], {}
        field.widget.avoided = set(diner.allergens or [])
        for heading, allergens in allergen_groups(diner.country):
            field.widget.headings[len(field.choices)] = str(heading)
            field.choices += [(allergen.value, allergen.label) for allergen in allergens]

    def clean_start_time(self):
        return self._time("start_time")

    def clean_end_time(self):
        return self._time("end_time")

    def _time(self, name):
        value = parse_time(self.cleaned_data[name])
        if value is None:
            raise forms.ValidationError(_("Enter a real time, for example 14:30"), code="invalid")
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", _("The end time must be after the start time"))
        return data


def _start_time():
    return _time_field(
        _("Start time"), _("For example, 12:00 or 12pm"), _("Enter the time you will bring the meal from")
    )


def _end_time():
    return _time_field(_("End time"), _("For example, 13:00 or 1pm"), _("Enter the time you will bring the meal by"))


def _portion():
    return forms.ChoiceField(
        label=_("Portion size"),
        choices=Portion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the portion size"), "invalid_choice": _("Select the portion size")},
    )


class ProposeForm(_MealForm):
    """A meal, or the first of a repeating series. `submission` is the form's one-time key, made when
    the page is first shown and kept on every re-render, so a double submit makes one meal."""

    field_order = ["day", "start_time", "end_time", "dish", "portion", "repeat", "allergens", "allergens_checked"]

    day = MealDateField(label=_("Date of the meal"), help_text=_("For example, 27 11 2026"))
    start_time = _start_time()
    end_time = _end_time()
    portion = _portion()
    repeat = forms.ChoiceField(
        label=_("How often?"),
        choices=REPEATS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how often"), "invalid_choice": _("Select how often")},
    )
    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_repeat(self):
        value = self.cleaned_data["repeat"]
        return Repeat.NEVER if value == ONCE else value


class MoveForm(_MealForm):
    """Move or change one meal: its day, times, dish and, again, the allergen step."""

    field_order = ["day", "start_time", "end_time", "dish", "allergens", "allergens_checked"]

    day = MealDateField(label=_("Date of the meal"), help_text=_("For example, 27 11 2026"))
    start_time = _start_time()
    end_time = _end_time()


class SeriesForm(_MealForm):
    """Change the rest of a repeating meal from a day on: how often, times, dish, portion, allergens."""

    field_order = ["from_day", "repeat", "start_time", "end_time", "dish", "portion", "allergens", "allergens_checked"]

    from_day = MealDateField(
        label=_("From which day?"),
        help_text=_("The first meal with the changes. Meals before it stay as they are. For example, 27 11 2026"),
    )
    repeat = forms.ChoiceField(
        label=_("How often?"),
        choices=[(value, label) for value, label in Repeat.choices if value],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how often"), "invalid_choice": _("Select how often")},
    )
    start_time = _start_time()
    end_time = _end_time()
    portion = _portion()


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why can’t the meal go ahead?"),
        choices=[
            (Meal.CancelReason.COOK_CANNOT, _("I can’t come")),
            (Meal.CancelReason.DINER_AWAY, _("The diner told me they are away")),
            (Meal.CancelReason.OTHER, Meal.CancelReason.OTHER.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select why the meal can’t go ahead"),
            "invalid_choice": _("Select why the meal can’t go ahead"),
        },
    )
    note = TextField(
        label=_("Anything the coordinator should know (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The note must be %(limit_value)d characters or fewer")},
    )


class EndSeriesForm(forms.Form):
    """No fields: it carries the service's refusal (as a form error) back to the page."""
