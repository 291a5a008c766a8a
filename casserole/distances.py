"""Distances as people read them, in the unit of their area: miles in the UK clubs, km in Japan. Every
distance a page or an email shows goes through format_distance (or the `distance` template filter)."""

from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class DistanceUnit(models.TextChoices):
    KM = "km", gettext_lazy("kilometres")
    MILES = "mi", gettext_lazy("miles")


def format_distance(value: float | Decimal, unit: str) -> str:
    """`value` (already in `unit`, and already rounded if it must be) as each language writes it:
    "0.5 km", "1 mile", "0.75 miles", "1.5 マイル". Only as many decimals as the value has."""
    value = float(value)
    decimals = f"{value:f}".rstrip("0").partition(".")[2]
    number = formats.number_format(value, decimal_pos=len(decimals))
    if unit == DistanceUnit.MILES:
        # Only exactly one is singular in English ("1 mile", "0.25 miles").
        return ngettext("%(distance)s mile", "%(distance)s miles", 1 if value == 1 else 2) % {"distance": number}
    return _("%(distance)s km") % {"distance": number}
