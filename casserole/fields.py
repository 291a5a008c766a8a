"""Form fields and forms used by more than one capability: GOV.UK date boxes and placing a person."""

import re
import unicodedata
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from casserole.text import TextField


def year_first() -> bool:
    # Japanese writes dates year, month, day (年・月・日).
    return get_language() == "ja"


class SplitDateWidget(forms.MultiWidget):
    """Day, month and year boxes (year first in Japanese), as the GOV.UK date input."""

    template_name = "meals/referrals/request/_date_input.html"
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
        return f"{id_}_{2 if year_first() else 0}" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        invalid = bool((attrs or {}).get("aria-invalid"))
        for subwidget, label in zip(subwidgets, (_("Day"), _("Month"), _("Year")), strict=True):
            subwidget["label"] = label
            if invalid:
                subwidget["attrs"]["class"] += " govuk-input--error"
        if year_first():
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


class PlaceForm(forms.Form):
    """Where a person is, as a coordinator places them by hand: coordinates and a neighbourhood name."""

    latitude = forms.FloatField(
        label=_("Latitude"),
        help_text=_("A number between -90 and 90, for example 51.5466"),
        min_value=-90,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the latitude"),
            "invalid": _("Enter the latitude as a number, like 51.5466"),
            "min_value": _("Latitude must be between -90 and 90"),
            "max_value": _("Latitude must be between -90 and 90"),
        },
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        help_text=_("A number between -180 and 180, for example -0.0553"),
        min_value=-180,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the longitude"),
            "invalid": _("Enter the longitude as a number, like -0.0553"),
            "min_value": _("Longitude must be between -180 and 180"),
            "max_value": _("Longitude must be between -180 and 180"),
        },
    )
    neighbourhood = TextField(
        label=_("Neighbourhood"),
        help_text=_("A neighbourhood or district, never a street. Other cooks will see this name."),
        max_length=100,
        error_messages={
            "required": _("Enter the neighbourhood"),
            "max_length": _("The neighbourhood must be %(limit_value)d characters or fewer"),
        },
    )
