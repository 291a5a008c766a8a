"""How the impact figures are shown: each figure in words, in the page's language (numbers, months and units
through Django's formats and the catalogue), and bar charts as server-rendered SVG — no script — each an
image with a text alternative (<title> and <desc>), the page showing the same numbers in a table beneath.

Colours: bars in GOV.UK blue (#1d70b8, 5.2:1 on white: above the 3:1 non-text contrast), text in near
black (#0b0c0c) and the hidden bars' words in GOV.UK's secondary text grey (#505a5f, 7:1).
"""

from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meals.impact.selectors import REPEAT_AT_LEAST, SMALL_NUMBER, Figure, Impact, Kind, Unit
from meals.relationships.models import Feedback

BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
HIDDEN_COLOUR = "#505a5f"

# The drawing, in SVG user units (the image scales to the column's width; these keep it readable).
WIDTH = 640
VALUE_ROOM = 110  # to the right of the longest bar, for its number
LABEL_HEIGHT = 24
BAR_HEIGHT = 24
GAP = 14
FONT_SIZE = 16


# Words ----------------------------------------------------------------------------------------------------


def number(value: float, decimals: int = 0) -> str:
    """A number as the page's language writes it ("1,234", "12.5")."""
    rounded = round(value, decimals) if decimals else round(value)
    return formats.number_format(rounded, decimal_pos=decimals or None, force_grouping=True)


def _one_decimal(value: float) -> str:
    return number(value, 0 if float(value).is_integer() else 1)


def percent(value: float) -> str:
    return f"{number(value * 100)}%"  # the same in both languages


def month_name(month: date) -> str:
    """ "March 2026" / "2026年3月"."""
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def figure_text(figure: Figure) -> str:
    """The figure's value in words, or that it is hidden."""
    if figure.hidden:
        return hidden_text()
    value = figure.value
    if value is None:
        return _("None yet")
    if figure.kind == Kind.SHARE:
        return percent(value)
    if figure.kind == Kind.MINUTES:
        minutes = round(value)
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": number(minutes)}
    if figure.kind == Kind.DAYS:
        return ngettext("%(count)s day", "%(count)s days", round(value)) % {"count": _one_decimal(value)}
    if figure.kind == Kind.HOURS:
        if value < 48:
            hours = round(value)
            return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": number(hours)}
        days = value / 24
        return ngettext("%(count)s day", "%(count)s days", round(days)) % {"count": _one_decimal(days)}
    if figure.kind == Kind.POINTS:
        if value == 0:
            return _("No change")
        points = abs(value)
        words = (
            ngettext("%(count)s point lower", "%(count)s points lower", round(points))
            if value < 0
            else ngettext("%(count)s point higher", "%(count)s points higher", round(points))
        )
        return words % {"count": _one_decimal(points)}
    return number(value)


def hidden_text() -> str:
    return _("Fewer than %(number)s – hidden so that nobody can be recognised") % {"number": SMALL_NUMBER}


def based_on_text(figure: Figure) -> str:
    """ "Based on 12 matches", or "" when hidden (the base is not kept) or when the figure is a count of
    the people themselves (12 active cooks are based on 12 cooks)."""
    if figure.hidden or (figure.kind == Kind.COUNT and figure.value == figure.based_on):
        return ""
    count = figure.based_on
    shown = {"count": number(count)}
    if figure.unit == Unit.COOKS:
        return ngettext("Based on %(count)s cook", "Based on %(count)s cooks", count) % shown
    if figure.unit == Unit.DINERS:
        return ngettext("Based on %(count)s diner", "Based on %(count)s diners", count) % shown
    return ngettext("Based on %(count)s match", "Based on %(count)s matches", count) % shown


@dataclass(frozen=True)
class Shown:
    """A figure with its label and its words, ready for a template (which only prints them)."""

    label: str
    figure: Figure
    text: str
    based_on: str


def shown(label: str, figure: Figure) -> Shown:
    return Shown(label=label, figure=figure, text=figure_text(figure), based_on=based_on_text(figure))


# Charts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: hidden (fewer than SMALL_NUMBER)
    text: str  # the value in words, printed at the bar's end


def bars_for(rows: list[Shown]) -> list[Bar]:
    # A hidden bar says so briefly (the table beneath says why).
    short = _("Fewer than %(number)s") % {"number": SMALL_NUMBER}
    return [
        Bar(row.label, None, short) if row.figure.hidden else Bar(row.label, row.figure.value, row.text) for row in rows
    ]


def bar_chart(*, chart_id: str, title: str, bars: list[Bar], maximum: float | None = None) -> SafeString:
    """Horizontal bars, one per row, each with its label above and its value at its end: readable at a
    glance at any width and in either language. `maximum` is the full width (1 for shares); by default
    the largest bar. An image to assistive technology, named by its title and described by every label
    and value in order."""
    values = [bar.value for bar in bars if bar.value is not None]
    top = maximum if maximum is not None else max(values, default=0)
    room = WIDTH - VALUE_ROOM
    row_height = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = row_height * len(bars) + 4
    parts = []
    for index, bar in enumerate(bars):
        label_y = index * row_height + LABEL_HEIGHT - 6
        bar_y = index * row_height + LABEL_HEIGHT
        text_y = bar_y + BAR_HEIGHT - 6
        parts.append(format_html('<text x="0" y="{}">{}</text>', label_y, bar.label))
        if bar.value is None:
            parts.append(format_html('<text x="0" y="{}" fill="{}">{}</text>', text_y, HIDDEN_COLOUR, bar.text))
            continue
        width = round(room * bar.value / top) if top else 0
        if width:
            parts.append(
                format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>', bar_y, width, BAR_HEIGHT, BAR_COLOUR
                )
            )
        parts.append(format_html('<text x="{}" y="{}">{}</text>', width + 8, text_y, bar.text))
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="casserole-chart" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        '<g font-size="{font}" fill="{text}">{parts}</g></svg>',
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        font=FONT_SIZE,
        text=TEXT_COLOUR,
        parts=format_html_join("", "{}", ((part,) for part in parts)),
    )


# The page ------------------------------------------------------------------------------------------------


def page(report: Impact) -> dict:
    """Everything the impact template prints, in words: sections of labelled figures, and each chart with
    the rows of the table beneath it."""
    months = [shown(month_name(month.month), month.meals) for month in report.months]
    repeat = [
        shown(
            ngettext(
                "Matches with at least %(count)s shared meal",
                "Matches with at least %(count)s shared meals",
                least,
            )
            % {"count": least},
            figure,
        )
        for least, figure in zip(REPEAT_AT_LEAST, report.repeat, strict=True)
    ]
    friend = [shown(str(label), report.friend[value]) for value, label in Feedback.Friend.choices]
    return {
        "small_number": SMALL_NUMBER,
        "now": [
            shown(_("Active cooks"), report.active_cooks),
            shown(_("Active diners"), report.active_diners),
            shown(_("Active matches"), report.active_matches),
        ],
        "meals": [
            shown(_("Meals shared"), report.meals_shared),
            shown(_("Average time a cook stays"), report.average_minutes),
            shown(_("Meals called off"), report.meals_cancelled),
            shown(_("Of those, brought by another cook"), report.meals_covered),
        ],
        "months": months,
        "months_chart": None
        if report.meals_shared.hidden
        else bar_chart(chart_id="chart-months", title=_("Meals shared each month"), bars=bars_for(months)),
        "repeat": repeat,
        "repeat_chart": None
        if report.repeat[0].hidden
        else bar_chart(chart_id="chart-repeat", title=_("Repeat visits"), bars=bars_for(repeat), maximum=1),
        "friend": friend,
        "friend_chart": None
        if report.friend[Feedback.Friend.YES].hidden
        else bar_chart(
            chart_id="chart-friend",
            title=_("Do diners consider their cook a friend?"),
            bars=bars_for(friend),
            maximum=1,
        ),
        "contact": [shown(_("Would have less contact with people without the visits"), report.less_contact)],
        "loneliness": [
            {
                "scale": scale.scale,
                "diners": shown(_("Diners"), scale.diners),
                "median_change": shown(_("Median change"), scale.median_change),
                "improved": shown(_("Less lonely"), scale.improved),
            }
            for scale in report.loneliness
        ],
        "waiting": [
            shown(_("Median wait from request to first shared meal"), report.median_wait_days),
            shown(_("Diners waiting for a cook now"), report.diners_waiting),
        ],
        "cooks": [
            shown(
                ngettext(
                    "Cooks still active %(count)s month after approval",
                    "Cooks still active %(count)s months after approval",
                    months_after,
                )
                % {"count": months_after},
                figure,
            )
            for months_after, figure in report.retention
        ],
        "concerns": [
            shown(_("Concerns raised"), report.concerns_raised),
            shown(_("Median time to close a concern"), report.concern_median_hours),
        ],
    }
