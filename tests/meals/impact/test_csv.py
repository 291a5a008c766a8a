import csv
import io
from datetime import UTC, datetime

import pytest
from dateutil.relativedelta import relativedelta

from casserole.models import AuditEntry
from meals.diners.models import Diner
from meals.impact import selectors
from meals.impact.exports import FIGURE_COLUMNS, MATCH_COLUMNS
from tests.meals.impact.conftest import PERIOD, PERIOD_QUERY, build_club, build_other_area

pytestmark = pytest.mark.django_db

FIGURES = "/en/coordinator/impact/figures.csv"
MATCHES = "/en/coordinator/impact/matches.csv"


def rows_of(response) -> list[dict]:
    body = response.content
    assert body.startswith("\ufeff".encode())  # a byte-order mark, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_figures_csv_is_a_download_of_every_figure(login_as, coordinator_a, area_a, club):
    response = login_as(coordinator_a).get(f"{FIGURES}?{PERIOD_QUERY}")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="impact-figures-all-areas-2025-01-01-to-2025-06-30.csv"'
    )
    rows = rows_of(response)
    assert tuple(rows[0]) == FIGURE_COLUMNS
    values = {row["figure"]: (row["value"], row["based_on"], row["hidden"]) for row in rows}
    assert values["period_first_day"] == ("2025-01-01", "", "false")
    assert values["areas"] == ("Area A", "", "false")
    assert values["meals_shared"] == ("20", "6", "false")
    assert values["meals_shared_2025_03"] == ("6", "5", "false")
    assert values["meals_shared_2025_01"] == ("", "", "true")
    assert values["repeat_at_least_3"] == ("0.5000", "6", "false")
    assert values["average_minutes"] == ("40.0", "6", "false")
    assert values["friend_yes"] == ("0.6000", "5", "false")
    assert values["loneliness_ons_median_change"] == ("-1.0", "5", "false")
    assert values["loneliness_jp_national_diners"] == ("", "", "true")
    assert values["median_days_to_first_meal"] == ("30.0", "5", "false")
    assert values["cooks_active_6_months_after_approval"] == ("0.6000", "5", "false")
    assert values["concern_median_hours_to_close"] == ("8.0", "5", "false")
    # Every figure of the page, once.
    # The period and areas, every figure of the report, and the onward referrals made and taken up.
    assert len(rows) == 3 + len(selectors.impact_figures([area_a.pk], PERIOD).figures()) + 2
    assert values[f"onward_referrals_{area_a.slug}"] == ("", "", "true")  # none: below five


def test_figures_csv_headers_stay_english_on_a_japanese_page(login_as, coordinator_a, club):
    response = login_as(coordinator_a).get(f"/ja/coordinator/impact/figures.csv?{PERIOD_QUERY}")
    assert tuple(rows_of(response)[0]) == FIGURE_COLUMNS


def test_matches_csv_has_anonymised_rows(login_as, coordinator_a, club):
    response = login_as(coordinator_a).get(f"{MATCHES}?{PERIOD_QUERY}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="impact-matches-all-areas-2025-01-01')
    text = response.content.decode("utf-8-sig")
    rows = rows_of(response)
    assert tuple(rows[0]) == MATCH_COLUMNS
    assert [row["row"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    # Nothing that names or finds anyone, and no record numbers (the columns are these, "row" counts from 1).
    for diner in Diner.objects.all():
        assert diner.full_name not in text and diner.preferred_name not in text and diner.address_line1 not in text
    for cook in club.cooks.values():
        assert cook.full_name not in text and cook.email not in text
    shared = sorted(int(row["meals_shared"]) for row in rows)
    assert shared == [1, 1, 2, 3, 3, 10]
    m1 = next(row for row in rows if row["meals_shared"] == "10")
    now = datetime.now(UTC)
    since = club.matches["m1"].active_since
    months = relativedelta(now, since).years * 12 + relativedelta(now, since).months
    assert m1 == {
        "row": m1["row"],
        "area": "Area A",
        "months_active": str(months),
        "meals_shared": "10",
        "average_minutes": "30",
        "latest_friend_answer": "yes",
        "loneliness_scale": "ons",
        "loneliness_change": "less_lonely",
    }
    m5 = next(row for row in rows if row["months_active"] == "5")  # 1 December to 31 May, then ended
    assert (m5["meals_shared"], m5["loneliness_change"]) == ("3", "less_lonely")
    m3 = next(row for row in rows if row["meals_shared"] == "2")
    assert (m3["latest_friend_answer"], m3["loneliness_change"], m3["average_minutes"]) == ("no", "more_lonely", "30")
    m6 = next(row for row in rows if row["meals_shared"] == "1" and row["latest_friend_answer"] == "")
    assert (m6["loneliness_scale"], m6["loneliness_change"]) == ("", "")  # d6 has only an intake


def test_matches_csv_rows_are_sorted_by_what_they_say(club, area_a):
    rows, _left_out = selectors.match_rows([area_a], PERIOD, language="en")
    keys = [(row.months_active, row.meals_shared) for row in rows]
    assert keys == sorted(keys)


def test_downloads_are_audited_without_figures(login_as, coordinator_a, club):
    client = login_as(coordinator_a)
    client.get(f"{FIGURES}?{PERIOD_QUERY}")
    client.get(f"{MATCHES}?{PERIOD_QUERY}")

    entries = AuditEntry.objects.filter(action="impact_exported").order_by("pk")
    assert [entry.detail["file"] for entry in entries] == ["figures", "matches"]
    assert entries[0].detail == {"file": "figures", "first_day": "2025-01-01", "last_day": "2025-06-30"}
    assert entries[0].actor == coordinator_a


def test_a_bad_period_sends_the_download_back_to_the_page(login_as, coordinator_a):
    query = "first_day_day=99&first_day_month=1&first_day_year=2025&last_day_day=1&last_day_month=2&last_day_year=2025"
    response = login_as(coordinator_a).get(f"{FIGURES}?{query}")
    assert response.status_code == 302
    assert response["Location"] == f"/en/coordinator/impact/?{query}"


def test_another_areas_coordinator_cannot_download_area_a(login_as, coordinator_b, area_a, club):
    client = login_as(coordinator_b)
    assert client.get(f"{FIGURES}?area={area_a.pk}&{PERIOD_QUERY}").status_code == 404
    assert client.get(f"{MATCHES}?area={area_a.pk}&{PERIOD_QUERY}").status_code == 404
    # Their own file holds none of area A's rows.
    rows = rows_of(client.get(f"{MATCHES}?{PERIOD_QUERY}"))
    assert rows == []


def test_a_formula_in_an_area_name_is_not_run_by_a_spreadsheet(login_as, coordinator_a, area_a, club):
    area_a.name = "=HYPERLINK(1)"
    area_a.save(update_fields=["name"])
    rows = rows_of(login_as(coordinator_a).get(f"{MATCHES}?{PERIOD_QUERY}"))
    assert {row["area"] for row in rows} == {"'=HYPERLINK(1)"}


# figures.csv: the session, the user, the authenticator, the user's areas, those areas, the eight queries of
# the figures (meals.impact.selectors.impact_figures), the audit entry and the onward referrals
# (meals.impact.selectors.onward_referrals).
FIGURES_CSV_QUERIES = 15
# matches.csv: the same first five, the period's meals by match, the matches, the latest friendship answers,
# the loneliness changes, and the audit entry.
MATCHES_CSV_QUERIES = 10


@pytest.mark.parametrize("with_data", [False, True])
def test_downloads_make_the_same_number_of_queries_however_much_data(
    login_as, coordinator_a, area_a, course, django_assert_num_queries, with_data
):
    if with_data:
        build_club(area_a, course)
        build_other_area(area_a, course)
    client = login_as(coordinator_a)
    with django_assert_num_queries(FIGURES_CSV_QUERIES):
        assert client.get(f"{FIGURES}?{PERIOD_QUERY}").status_code == 200
    with django_assert_num_queries(MATCHES_CSV_QUERIES):
        assert client.get(f"{MATCHES}?{PERIOD_QUERY}").status_code == 200
