"""Which club's help line a visitor is given (issue 19): the one home of the rule.

- Someone whose area is known (their home area, or the area they coordinate) gets that club's line.
- Anyone else reading Japanese gets the club in Japan: its line when there is one club, or a link to
  the list of clubs (`clubs` page) when there are several. A number in the UK is of no use to an
  older person in Setagaya.
- Anyone else reading English gets the service's own line (settings.HELP_PHONE).
Printed cards and emails about a diner use the diner's own club instead (Diner.area).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

from accounts.people.models import Area
from casserole.context_processors import help_line


@dataclass(frozen=True)
class HelpLine:
    phone: str
    hours: str
    club: str = ""  # the club's name in the page's language, when the line is a club's
    several_clubs: bool = False  # no one line: the visitor chooses their club from the list


def country_for_language(language: str) -> str | None:
    """The country whose clubs a visitor without an area is given: Japan for Japanese pages; None
    (the service's own line) for English ones."""
    return Area.Country.JP if language == "ja" else None


def clubs_in(country: str) -> list[Area]:
    """Every club in the country, in name order: what the list of clubs shows. One query."""
    return list(Area.objects.filter(country=country).order_by("name", "pk"))


def club_hours(area: Area, language: str) -> str:
    return area.help_hours_ja if language == "ja" and area.help_hours_ja else area.help_hours


def help_for(area: Area | None, language: str) -> HelpLine:
    """The line to call for a person in `area` (None when not known), reading `language`. Costs no
    query when the area is known or the page is English; one otherwise."""
    if area is not None:
        return HelpLine(area.help_phone, club_hours(area, language), club=area.display_name(language))
    country = country_for_language(language)
    if country is None:
        phone, hours = help_line(None, language)
        return HelpLine(phone, hours)
    clubs = clubs_in(country)
    if len(clubs) == 1:
        return help_for(clubs[0], language)
    if not clubs:
        # No club in the country yet: nobody there could answer, so the service's own line.
        return HelpLine(settings.HELP_PHONE, help_line(None, language)[1])
    return HelpLine("", "", several_clubs=True)


def help_context(request) -> dict:
    """Template context processor (after casserole.context_processors.service, whose help values it
    replaces): the "Need help?" block's line for this visitor."""
    user = getattr(request, "user", None)
    area = user.help_area if user is not None and user.is_authenticated else None
    line = help_for(area, get_language() or "en")
    return {
        "help_phone": line.phone,
        "help_hours": line.hours,
        "help_club": line.club,
        "help_several_clubs": line.several_clubs,
    }
