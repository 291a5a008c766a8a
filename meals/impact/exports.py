"""The impact page's two CSV files. UTF-8 with a byte-order mark (so Excel reads Japanese correctly), one
header row, English snake_case column names and values meant for machines, whatever the page's language.

figures.csv — one row per figure of the page, then one per month:
    figure     the figure's name (meals.impact.selectors: "active_cooks", "meals_shared_2026_03", ...);
               the first rows say what the file covers: period_first_day, period_last_day, areas
    value      a number: counts whole, shares as a fraction from 0 to 1 (0.4 = 40 %), minutes, days,
               hours and loneliness points to 1 decimal place; empty when hidden
    based_on   how many people (cooks, diners) or matches the figure is based on; empty when hidden
    hidden     "true" when based on fewer than 5 (the small-number rule), else "false"

matches.csv — one anonymised row per match that shared a meal in the period. No names, addresses or ids,
and rows sorted by what they say, so a row number leads back to nobody; the matches of an area with fewer
than 5 such matches are left out (the page says how many):
    row                   1, 2, 3 ... in this file only
    area                  the area's name
    months_active         whole months from the match becoming active to its end (or today)
    meals_shared          meals in the period whose visit record says delivered
    average_minutes       the cook's average stay at those meals, in whole minutes; empty if none recorded
    latest_friend_answer  the diner's latest answer in the period to "is your cook a friend?": yes,
                          not_yet, no, or empty
    loneliness_scale      ons (3–9) or jp_national (3–12): the scale of the change below, or empty
    loneliness_change     from intake to the latest measure in the period: less_lonely, no_change,
                          more_lonely, or empty (no measure in the period, or none to compare with)
"""

import csv
import io

from django.http import HttpResponse

from meals.impact.selectors import Figure, Impact, Kind, MatchRow

FIGURE_COLUMNS = ("figure", "value", "based_on", "hidden")
MATCH_COLUMNS = (
    "row",
    "area",
    "months_active",
    "meals_shared",
    "average_minutes",
    "latest_friend_answer",
    "loneliness_scale",
    "loneliness_change",
)


def _value(figure: Figure) -> str:
    if figure.hidden or figure.value is None:
        return ""
    if figure.kind == Kind.SHARE:
        return f"{figure.value:.4f}"
    if figure.kind == Kind.COUNT:
        return str(figure.value)
    return f"{figure.value:.1f}"


def _blank(value) -> str:
    return "" if value is None else str(value)


def _text(value: str) -> str:
    """Text a spreadsheet must not run as a formula (an area named "=1+1")."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def figures_rows(report: Impact, *, area_names: list[str], onward=()) -> list[tuple[str, str, str, str]]:
    """The report's figures, then the onward referrals' (made and taken up, per area and in all), each
    with what it is based on and whether the small-number rule hides it."""
    period = report.period
    rows = [
        ("period_first_day", period.first_day.isoformat(), "", "false"),
        ("period_last_day", period.last_day.isoformat(), "", "false"),
        ("areas", _text("; ".join(area_names)), "", "false"),
    ]
    figures = [*report.figures(), *(figure for row in onward for figure in (row.made, row.taken_up))]
    for figure in figures:
        rows.append((figure.key, _value(figure), _blank(figure.based_on), "true" if figure.hidden else "false"))
    return rows


def match_rows(rows: list[MatchRow]) -> list[tuple]:
    return [
        (
            number,
            _text(row.area),
            _blank(row.months_active),
            row.meals_shared,
            _blank(row.average_minutes),
            row.friend,
            row.loneliness_scale,
            row.loneliness_change,
        )
        for number, row in enumerate(rows, start=1)
    ]


def csv_response(*, filename: str, header: tuple[str, ...], rows: list[tuple]) -> HttpResponse:
    """A download: the rows as CSV, UTF-8 with a byte-order mark."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
