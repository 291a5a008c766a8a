from datetime import date

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils.translation import gettext_lazy as _

from casserole.fields import SplitDateField

# The longest period the page shows: one bar per month must stay readable.
LONGEST_PERIOD_MONTHS = 36


class ImpactFilterForm(forms.Form):
    """Which of the coordinator's areas and which period (a GET form: the address can be shared and the
    CSV links carry the same choice). The view has already refused an area that is not theirs (404)."""

    area = forms.ChoiceField(label=_("Area"), required=False)
    first_day = SplitDateField(
        label=_("First day"),
        help_text=_("For example, 1 4 2025"),
        error_messages={
            "required": _("Enter the first day of the period"),
            "incomplete": _("The first day of the period must include a day, a month and a year"),
            "invalid": _("The first day of the period must be a real date"),
            "future": _("The first day of the period must be today or in the past"),
        },
    )
    last_day = SplitDateField(
        label=_("Last day"),
        help_text=_("For example, 31 3 2026"),
        error_messages={
            "required": _("Enter the last day of the period"),
            "incomplete": _("The last day of the period must include a day, a month and a year"),
            "invalid": _("The last day of the period must be a real date"),
            "future": _("The last day of the period must be today or in the past"),
        },
    )

    def __init__(self, data, *, areas, language: str, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["area"].choices = [("", _("All your areas"))] + [
            (str(area.pk), area.display_name(language)) for area in areas
        ]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if isinstance(first, date) and isinstance(last, date):
            if first > last:
                self.add_error("last_day", _("The last day of the period must be on or after the first day"))
            elif last >= first + relativedelta(months=LONGEST_PERIOD_MONTHS):
                self.add_error("first_day", _("Choose a period of 3 years or less"))
        return cleaned
