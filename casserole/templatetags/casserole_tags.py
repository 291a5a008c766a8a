from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from casserole.addresses import address_lines
from casserole.distances import format_distance
from casserole.names import addressed
from casserole.phones import phone_for_display
from casserole.retention import shown_name
from casserole.text import strip_bidi_controls

register = template.Library()


def _english_time(value) -> str:
    # GOV.UK style: "5:30pm", "9am", "12pm" (Django's "a" would give "p.m.").
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def when(value) -> str:
    """A date and time as people in each language write it: "Sunday 22 November 2026, 5:30pm" /
    "2026年11月22日(日) 17:30"."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if (get_language() or "en") == "ja":
        return formats.date_format(value, "DATETIME_FORMAT")
    return f"{formats.date_format(value, 'DATE_FORMAT')}, {_english_time(value)}"


@register.filter
def time_of_day(value) -> str:
    """A wall-clock time alone: "5:30pm" / "17:30"."""
    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "date") and timezone.is_aware(value):
        value = timezone.localtime(value)
    if (get_language() or "en") == "ja":
        return formats.time_format(value, "TIME_FORMAT")
    return _english_time(value)


@register.filter
def day(value) -> str:
    """A date alone: "Sunday 22 November 2026" / "2026年11月22日(日)"."""
    if not value:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def phone(value) -> str:
    """A stored number (E.164) as people dial it at home: "020 7946 0018", "03-1234-5678"."""
    if not value:
        return ""
    return phone_for_display(value)


@register.filter
def listing(values) -> str:
    """Items of a list as each language writes them: "Tuesday, Thursday" / "火曜日、木曜日"."""
    separator = "、" if (get_language() or "en") == "ja" else ", "
    return separator.join(str(value) for value in values or [])


@register.filter
def distance(value, unit) -> str:
    """A distance already in `unit` ("km" or "mi"): `{{ profile.travel_distance|distance:profile.travel_unit }}`
    gives "1.5 miles" / "1.5 マイル" (casserole.distances.format_distance)."""
    if value is None or value == "":
        return ""
    return format_distance(value, unit)


@register.filter
def bdi(value) -> str:
    """Text someone typed (a name), escaped and isolated in <bdi> from the words around it, so that its
    direction cannot reorder them: `{% blocktranslate with name=diner.preferred_name|bdi %}`. Never in
    <title> or an attribute, which cannot hold tags: use `no_bidi` there."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", shown_name(value))


@register.filter(is_safe=True)
def no_bidi(value) -> str:
    """Text someone typed without direction controls, for places that take no tags (<title>, attributes)."""
    return strip_bidi_controls(str(shown_name(value) if value is not None else ""))


@register.filter
def honorific(value) -> str:
    """A person's name as the page's language addresses them (casserole.names): 花子さん on Japanese
    pages, unchanged in English. A diner's own form of address comes with `diner.addressed`."""
    return addressed(str(value if value is not None else ""))


@register.filter
def formally(value) -> str:
    """A name as a formal document (a certificate, a letter) addresses them: 山田 花子様 / Jane Smith."""
    return addressed(str(value if value is not None else ""), formal=True)


@register.filter(name="address_lines")
def address_lines_filter(address) -> list[str]:
    """An address's lines in the order its country writes them (casserole.addresses.address_lines)."""
    return address_lines(address) if address is not None else []
