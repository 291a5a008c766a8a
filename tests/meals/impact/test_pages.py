import re

import pytest

from tests.factories import AreaFactory, CoordinatorFactory, add_totp
from tests.meals.impact.conftest import PERIOD_QUERY, build_club, build_other_area

pytestmark = pytest.mark.django_db

PAGE = "/en/coordinator/impact/"

# The impact page, however much data there is:
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. those areas (the filter's choices; the chosen ones are among them)
#  6. cooks: active now, and approved 3 and 6 months before the end and active now
#  7. diners: active, and waiting with no live match
#  8. active matches
#  9. the period's meals, grouped by match: shared (in all and per month; the counts kept per UTC month,
#     corrected by the delivered meals near each month's boundary), minutes, called off, covered
# 10. the latest friendship and "less contact without the visits" answers of each match (one UNION ALL)
# 11. each diner's newest loneliness measure in the period, with their intake
# 12. the diners whose first shared meal is in the period, with their request (meals.schedule.waits)
# 13. concerns raised in the period
# 14. onward referrals to other support made and taken up, per area (meals.impact.selectors.onward_referrals)
# 15. the area for the "Need help?" block (context processor)
IMPACT_QUERIES = 15


def figure_row(html: str, key: str) -> str:
    """The text of one figure's row on the page, tags stripped."""
    match = re.search(rf'id="figure-{key}">(.*?)</div>', html, re.S)
    assert match, key
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_impact_page_shows_each_figure_in_words(login_as, coordinator_a, club):
    response = login_as(coordinator_a).get(f"{PAGE}?{PERIOD_QUERY}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "From 1 January 2025 to 30 June 2025" in html
    assert figure_row(html, "active_cooks") == "Active cooks 5"
    assert figure_row(html, "meals_shared") == "Meals shared 20 Based on 6 matches"
    assert figure_row(html, "average_minutes") == "Average time a cook stays 40 minutes Based on 6 matches"
    assert figure_row(html, "meals_covered") == "Of those, brought by another cook 2 Based on 5 matches"
    assert figure_row(html, "less_contact_without") == (
        "Would have less contact with people without the visits 80% Based on 5 matches"
    )
    assert figure_row(html, "median_days_to_first_meal") == (
        "Median wait from request to first shared meal 30 days Based on 5 diners"
    )
    assert figure_row(html, "cooks_active_3_months_after_approval") == (
        "Cooks still active 3 months after approval 67% Based on 6 cooks"
    )
    assert (
        figure_row(html, "concern_median_hours_to_close") == "Median time to close a concern 8 hours Based on 5 diners"
    )
    assert "1 point lower" in html and "60%" in html  # the ONS scale: median change, less lonely


def test_charts_are_images_with_a_text_alternative_and_a_table_beneath(login_as, coordinator_a, club):
    html = login_as(coordinator_a).get(f"{PAGE}?{PERIOD_QUERY}").content.decode()

    for chart in ("chart-months", "chart-repeat", "chart-friend"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        svg = html[html.index(f'aria-labelledby="{chart}-title') :]
        svg = svg[: svg.index("</svg>")]
        assert 'role="img"' in html[html.rindex("<svg", 0, html.index(f"{chart}-title")) :][:300]
        assert f'<title id="{chart}-title">' in svg and f'<desc id="{chart}-desc">' in svg
    assert "March 2025: 6;" in html  # the months chart's description
    assert "Matches with at least 3 shared meals: 50%" in html
    assert "Yes: 60%; Not yet: 20%; No: 20%" in html
    # The same numbers in tables, each with a caption and headers.
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Meals shared each month</caption>' in html
    assert '<th scope="row" class="govuk-table__header">March 2025</th>' in html
    # No script draws anything.
    assert "<script" not in html[html.index("<main") : html.index("</main>")]


def test_impact_page_in_japanese(login_as, coordinator_a, club):
    response = login_as(coordinator_a).get(f"/ja/coordinator/impact/?{PERIOD_QUERY}")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja"' in html
    assert "2025年3月" in html  # month names through the Japanese formats
    assert "2025年1月1日" in html
    assert (
        "担当のすべての地域" in html
    )  # "All your areas" (the new strings' Japanese is in the catalogue once compiled)


def test_the_default_period_is_the_last_twelve_months(login_as, coordinator_a):
    html = login_as(coordinator_a).get(PAGE).content.decode()
    # Twelve months, one table row each.
    table = html[html.index("Meals shared each month</caption>") :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row"') == 12


def test_another_areas_coordinator_gets_404_for_area_a(login_as, coordinator_b, area_a):
    assert login_as(coordinator_b).get(f"{PAGE}?area={area_a.pk}").status_code == 404
    assert login_as(coordinator_b).get(f"{PAGE}?area=99999999999999999999").status_code == 404
    assert login_as(coordinator_b).get(f"{PAGE}?area=x").status_code == 404


def test_all_areas_view_excludes_other_areas(login_as, coordinator_b, area_b, club, other_club, course):
    html = login_as(coordinator_b).get(f"{PAGE}?{PERIOD_QUERY}").content.decode()

    assert figure_row(html, "meals_shared") == "Meals shared 66 Based on 6 matches"  # B's only, not A's 20
    assert "Area A" not in html
    assert "Cook C1" not in html and "Diner D1" not in html


def test_a_coordinator_of_two_areas_can_choose_one(login_as, area_a, area_b, club, other_club):
    both = CoordinatorFactory(full_name="Bo Both", email="both@example.org", areas=[area_a, area_b])
    add_totp(both)
    client = login_as(both)

    html = client.get(f"{PAGE}?{PERIOD_QUERY}").content.decode()
    assert '<select name="area"' in html
    assert figure_row(html, "meals_shared") == "Meals shared 86 Based on 12 matches"

    html = client.get(f"{PAGE}?area={area_a.pk}&{PERIOD_QUERY}").content.decode()
    assert figure_row(html, "meals_shared") == "Meals shared 20 Based on 6 matches"
    assert f'<option value="{area_a.pk}" selected>' in html


def test_a_coordinator_of_one_area_is_not_asked_which(login_as, coordinator_a):
    assert '<select name="area"' not in login_as(coordinator_a).get(PAGE).content.decode()


def test_a_bad_period_is_explained_and_keeps_what_was_typed(login_as, coordinator_a):
    query = (
        "first_day_day=31&first_day_month=2&first_day_year=2025&last_day_day=1&last_day_month=1&last_day_year=２０２５"
    )
    response = login_as(coordinator_a).get(f"{PAGE}?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert "The first day of the period must be a real date" in html
    assert 'value="31"' in html and 'value="２０２５"' in html
    assert "figure-meals_shared" not in html  # no figures for a period that is not one


def test_the_end_before_the_start_and_too_long_a_period_are_refused(login_as, coordinator_a):
    client = login_as(coordinator_a)
    backwards = (
        "first_day_day=1&first_day_month=6&first_day_year=2025&last_day_day=1&last_day_month=1&last_day_year=2025"
    )
    assert "must be on or after the first day" in client.get(f"{PAGE}?{backwards}").content.decode()
    long = "first_day_day=1&first_day_month=1&first_day_year=2020&last_day_day=1&last_day_month=1&last_day_year=2025"
    assert "Choose a period of 3 years or less" in client.get(f"{PAGE}?{long}").content.decode()


def test_the_page_only_shows(login_as, coordinator_a):
    assert login_as(coordinator_a).post(PAGE).status_code == 405


def test_query_count_with_no_data(login_as, coordinator_a, django_assert_num_queries):
    client = login_as(coordinator_a)
    with django_assert_num_queries(IMPACT_QUERIES):
        assert client.get(f"{PAGE}?{PERIOD_QUERY}").status_code == 200


def test_query_count_is_the_same_with_many_rows(login_as, coordinator_a, area_a, course, django_assert_num_queries):
    build_club(area_a, course)
    # And a second club's worth of rows in the same area.
    build_other_area(area_a, course)
    client = login_as(coordinator_a)
    with django_assert_num_queries(IMPACT_QUERIES):
        response = client.get(f"{PAGE}?{PERIOD_QUERY}")
    assert response.status_code == 200
    assert "figure-meals_shared" in response.content.decode()


def test_an_admin_sees_every_area(login_as, admin_user, club, other_club):
    AreaFactory(name="Area C", slug="area-c")
    html = login_as(admin_user).get(f"{PAGE}?{PERIOD_QUERY}").content.decode()
    assert figure_row(html, "meals_shared") == "Meals shared 86 Based on 12 matches"


def test_the_coordinator_home_links_to_the_impact_page(login_as, coordinator_a):
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()
    assert 'href="/en/coordinator/impact/"' in html
