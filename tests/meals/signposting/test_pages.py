"""The directory's pages, recording an onward referral and what came of it, and where referrals show:
the diner's record (with suggestions), the match's timeline, the impact page, the printed card and the
referrer's page. Literal paths, so a renamed route is caught."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from meals.diners.models import Diner
from meals.matching.models import Match
from meals.relationships.models import Concern, Feedback, LonelinessMeasure
from meals.signposting import services
from meals.signposting.models import OnwardReferral, SupportService, stale_cutoff
from meals.signposting.services import ReferralChoice
from tests.factories import DinerFactory, MatchFactory
from tests.meals.impact.conftest import PERIOD_QUERY
from tests.meals.signposting.conftest import BEFRIENDING, LUNCH_CLUB, add

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/coordinator/support/"
NEW = "/en/coordinator/support/new/"
TOLD = ReferralChoice(kind="told", consent=False, channel="phone")


def edit_url(service) -> str:
    return f"/en/coordinator/support/{service.pk}/"


def refer_url(diner, service) -> str:
    return f"/en/coordinator/diners/{diner.pk}/support/{service.pk}/"


def form_data(values=None, **changes) -> dict:
    values = {**LUNCH_CLUB, "phone": "020 8533 1234", **(values or {}), **changes}
    values["needs_consent"] = "yes" if values["needs_consent"] else "no"
    return {key: value for key, value in values.items() if value not in ("", None)}


# The directory --------------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_service_in_both_languages(login_as, coordinator_a, covered_area_a):
    client = login_as(coordinator_a)
    response = client.post(NEW, form_data(where=str(covered_area_a.pk)))
    assert response.status_code == 302 and response["Location"] == DIRECTORY
    service = SupportService.objects.get()
    assert (service.area, service.phone, service.name_ja) == (covered_area_a, "+442085331234", LUNCH_CLUB["name_ja"])
    html = client.get("/ja/coordinator/support/?q=ランチ").content.decode()
    assert LUNCH_CLUB["name_ja"] in html and f"service-{service.pk}" in html


def test_a_form_with_errors_keeps_what_was_typed_and_says_what_is_wrong(login_as, coordinator_a, covered_area_a):
    response = login_as(coordinator_a).post(NEW, form_data(where=str(covered_area_a.pk), categories=[], phone="12"))
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Select what the service offers" in html and "too short" in html
    assert LUNCH_CLUB["description"] in html  # kept
    assert html.startswith("<!DOCTYPE html>") and "<title>Error:" in html
    assert not SupportService.objects.exists()


def test_posting_another_area_or_a_national_directory_as_a_coordinator_changes_nothing(
    login_as, coordinator_a, covered_area_a, area_b
):
    client = login_as(coordinator_a)
    for where in (str(area_b.pk), "national-GB"):
        assert client.post(NEW, form_data(where=where)).status_code == 200
    assert not SupportService.objects.exists()


def test_stale_entries_are_flagged(login_as, coordinator_a, covered_area_a, lunch_club):
    fresh = add(coordinator_a, covered_area_a, BEFRIENDING)
    SupportService.objects.filter(pk=lunch_club.pk).update(checked_on=stale_cutoff())
    html = login_as(coordinator_a).get(DIRECTORY).content.decode()
    assert f'id="stale-{lunch_club.pk}"' in html and f'id="stale-{fresh.pk}"' not in html
    assert 'id="stale-count"' in html
    assert "Check them with the service" in login_as(coordinator_a).get(edit_url(lunch_club)).content.decode()


def test_another_areas_coordinator_cannot_see_or_edit_this_areas_entries(login_as, coordinator_b, lunch_club):
    client = login_as(coordinator_b)
    assert client.get(edit_url(lunch_club)).status_code == 404
    assert client.post(edit_url(lunch_club), form_data(name="Taken over", running="yes")).status_code == 404
    assert client.get("/en/coordinator/support/987654/").status_code == 404
    assert lunch_club.name not in client.get(DIRECTORY).content.decode()
    lunch_club.refresh_from_db()
    assert lunch_club.name == LUNCH_CLUB["name"]


def test_a_national_entry_is_seen_by_coordinators_but_changed_by_an_admin_only(
    login_as, coordinator_a, admin_user, helpline
):
    client = login_as(coordinator_a)
    assert helpline.name in client.get(DIRECTORY).content.decode()
    assert client.get(edit_url(helpline)).status_code == 403
    data = form_data(name="The Silver Line", phone="0800 4 70 80 90", running="yes", checked="on")
    assert login_as(admin_user).post(edit_url(helpline), data).status_code == 302


def test_saving_with_checked_ticked_clears_the_flag(login_as, coordinator_a, lunch_club):
    SupportService.objects.filter(pk=lunch_club.pk).update(checked_on=stale_cutoff())
    response = login_as(coordinator_a).post(edit_url(lunch_club), form_data(running="yes", checked="on"))
    assert response.status_code == 302
    lunch_club.refresh_from_db()
    assert not lunch_club.is_stale()


def test_extra_fields_posted_change_nothing_they_should_not(login_as, coordinator_a, area_b, lunch_club):
    data = form_data(running="yes", area=str(area_b.pk), country="JP", checked_on="2020-01-01", search_text="x")
    login_as(coordinator_a).post(edit_url(lunch_club), data)
    before_area = lunch_club.area_id
    lunch_club.refresh_from_db()
    assert (lunch_club.area_id, lunch_club.country) == (before_area, "GB")
    assert lunch_club.checked_on.year > 2020 and "lunch" in lunch_club.search_text


# The directory page: two queries of its own, however many entries.
#  1-4. session, user, authenticator, coordinated areas
#  5. the count of matching entries   6. the page of entries with their areas
#  7. the count of stale entries      8. the area for the "Need help?" block
DIRECTORY_QUERIES = 8


@pytest.mark.parametrize("rows", [1, 20])
def test_the_directory_query_count_is_constant(
    login_as, coordinator_a, covered_area_a, helpline, rows, django_assert_num_queries
):
    for n in range(rows):
        add(coordinator_a, covered_area_a, name=f"Club {n}")
    client = login_as(coordinator_a)
    with django_assert_num_queries(DIRECTORY_QUERIES):
        response = client.get(f"{DIRECTORY}?q=club&category=company&suits=men")
    assert response.status_code == 200


# Suggestions and onward referrals on the diner's record -----------------------------------------------------


def diner_page(client, diner) -> str:
    return client.get(f"/en/coordinator/diners/{diner.pk}/").content.decode()


def test_nothing_is_suggested_without_a_reason(login_as, coordinator_a, diner, lunch_club):
    assert 'id="suggestions"' not in diner_page(login_as(coordinator_a), diner)


def test_a_high_loneliness_score_suggests_company_nearest_first(login_as, coordinator_a, diner, lunch_club, helpline):
    LonelinessMeasure.objects.create(diner=diner, scale="ons", answers={}, score=7, intake=True)
    html = diner_page(login_as(coordinator_a), diner)
    assert 'id="suggestions"' in html
    assert html.index(f"suggestion-{lunch_club.pk}") < html.index(f"suggestion-{helpline.pk}")
    assert f"{refer_url(diner, lunch_club)}?reason=loneliness" in html


def test_a_low_but_worse_loneliness_score_suggests_too(login_as, coordinator_a, diner, lunch_club):
    LonelinessMeasure.objects.create(diner=diner, scale="ons", answers={}, score=3, intake=True, taken_on="2026-01-01")
    LonelinessMeasure.objects.create(diner=diner, scale="ons", answers={}, score=4, taken_on="2026-04-01")
    assert f"suggestion-{lunch_club.pk}" in diner_page(login_as(coordinator_a), diner)


def test_a_low_steady_score_suggests_nothing(login_as, coordinator_a, diner, lunch_club):
    LonelinessMeasure.objects.create(diner=diner, scale="ons", answers={}, score=4, intake=True, taken_on="2026-01-01")
    LonelinessMeasure.objects.create(diner=diner, scale="ons", answers={}, score=4, taken_on="2026-04-01")
    assert 'id="suggestions"' not in diner_page(login_as(coordinator_a), diner)


def test_an_open_concern_or_less_contact_suggests(login_as, coordinator_a, diner, lunch_club, active_cook):
    Concern.objects.create(diner=diner, level="worried", text="Seems low")
    client = login_as(coordinator_a)
    assert f"suggestion-{lunch_club.pk}" not in diner_page(client, diner)  # a concern: health, money, talk
    match = MatchFactory(diner=diner, cook=active_cook, status=Match.Status.ACTIVE)
    Feedback.objects.create(match=match, side="diner", occasion="meal-1", less_contact_without="yes")
    assert f"suggestion-{lunch_club.pk}" in diner_page(client, diner)


def test_the_coordinator_records_a_referral_and_later_that_it_took_place(
    login_as, coordinator_a, diner, covered_area_a
):
    befriending = add(coordinator_a, covered_area_a, BEFRIENDING)
    client = login_as(coordinator_a)
    assert client.get(refer_url(diner, befriending)).status_code == 200
    data = {"kind": "referred", "consent": "no", "reason": "loneliness", "channel": "phone", "note": "Keen"}
    response = client.post(refer_url(diner, befriending), data)
    assert "agreement" in response.content.decode() and not OnwardReferral.objects.exists()
    response = client.post(refer_url(diner, befriending), {**data, "consent": "yes", "on_card": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/coordinator/diners/{diner.pk}/"
    referral = OnwardReferral.objects.get()
    assert (referral.kind, referral.consent, referral.on_card, referral.reason) == (
        "referred",
        True,
        True,
        "loneliness",
    )
    assert f'id="onward-referral-{referral.pk}"' in diner_page(client, diner)
    outcome_url = f"/en/coordinator/onward-referrals/{referral.pk}/"
    response = client.post(outcome_url, {"outcome": "took_place", "on_card": "on"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "took_place" and referral.outcome_by == coordinator_a


def test_another_areas_coordinator_cannot_record_or_read_referrals(
    login_as, coordinator_a, coordinator_b, diner, lunch_club
):
    referral = services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=TOLD)
    client = login_as(coordinator_b)
    assert client.get(refer_url(diner, lunch_club)).status_code == 404
    assert client.post(f"/en/coordinator/onward-referrals/{referral.pk}/", {"outcome": "did_not"}).status_code == 404
    assert client.get(f"{DIRECTORY}?diner={diner.pk}").status_code == 404
    referral.refresh_from_db()
    assert referral.outcome == "waiting"


def test_a_service_of_another_area_cannot_be_recorded_for_the_diner(
    login_as, coordinator_a, coordinator_b, diner, area_b
):
    theirs = add(coordinator_b, area_b, phone="", website="https://example.jp/")
    assert login_as(coordinator_a).get(refer_url(diner, theirs)).status_code == 404


def test_the_directory_for_a_diner_offers_to_record_each_entry(login_as, coordinator_a, diner, lunch_club):
    html = login_as(coordinator_a).get(f"{DIRECTORY}?diner={diner.pk}").content.decode()
    assert refer_url(diner, lunch_club) in html


# Where referrals show ------------------------------------------------------------------------------------------


def test_the_timeline_shows_the_referral_and_its_outcome(login_as, coordinator_a, diner, lunch_club, active_cook):
    match = MatchFactory(diner=diner, cook=active_cook, status=Match.Status.ACTIVE)
    referral = services.record_onward_referral(by=coordinator_a, diner=diner, service=lunch_club, choice=TOLD)
    assert referral.match == match
    services.record_referral_outcome(by=coordinator_a, referral=referral, outcome="took_place", on_card=False)
    html = login_as(coordinator_a).get(f"/en/coordinator/matches/{match.pk}/timeline/").content.decode()
    assert f'id="event-referral-{referral.pk}"' in html and "It took place" in html
    # Not on the cook's timeline.
    cook_html = login_as(active_cook).get(f"/en/cook/matches/{match.pk}/timeline/").content.decode()
    assert "event-referral" not in cook_html


def test_the_printed_card_lists_the_services_the_diner_chose(
    login_as, coordinator_a, referrer, diner, lunch_club, helpline
):
    services.record_onward_referral(
        by=coordinator_a,
        diner=diner,
        service=lunch_club,
        choice=ReferralChoice(kind="told", consent=False, channel="phone", on_card=True),
    )
    services.record_onward_referral(by=coordinator_a, diner=diner, service=helpline, choice=TOLD)
    for client, url in (
        (login_as(coordinator_a), f"/en/coordinator/diners/{diner.pk}/card/"),
        (login_as(referrer), f"/en/diners/{diner.pk}/card/"),
    ):
        html = client.get(url).content.decode()
        assert 'id="card-support"' in html and LUNCH_CLUB["name"] in html and "The Silver Line" not in html
        assert "020 8533 1234" in html


def test_a_referrer_with_the_schedule_scope_sees_the_services_recorded(
    login_as, coordinator_a, referrer, diner, lunch_club
):
    referral = services.record_onward_referral(
        by=coordinator_a,
        diner=diner,
        service=lunch_club,
        choice=ReferralChoice(kind="told", consent=False, channel="phone", note="Private note"),
    )
    html = login_as(referrer).get(f"/en/diners/{diner.pk}/").content.decode()
    assert f'id="support-{referral.pk}"' in html and "Private note" not in html
    diner.proxies.update(can_view_schedule=False)
    assert f'id="support-{referral.pk}"' not in login_as(referrer).get(f"/en/diners/{diner.pk}/").content.decode()


def impact_row(html: str, slug: str) -> str:
    start = html.index(f'id="onward-{slug}"')
    return " ".join(html[start : html.index("</tr>", start)].replace("<", " <").split())


def test_the_impact_page_counts_referrals_made_and_taken_up_with_the_small_number_rule(
    login_as, coordinator_a, covered_area_a, lunch_club
):
    made_at = datetime(2025, 3, 10, 12, tzinfo=ZoneInfo("Europe/London"))
    diners = [DinerFactory(area=covered_area_a, status=Diner.Status.ACTIVE) for _ in range(5)]
    for index, diner in enumerate(diners[:4]):
        OnwardReferral.objects.create(
            diner=diner,
            service=lunch_club,
            kind="told",
            made_at=made_at,
            outcome="took_place" if index < 3 else "waiting",
        )
    client = login_as(coordinator_a)
    assert "hidden" in impact_row(client.get(f"/en/coordinator/impact/?{PERIOD_QUERY}").content.decode(), "area-a")
    OnwardReferral.objects.create(diner=diners[4], service=lunch_club, kind="referred", made_at=made_at)
    row = impact_row(client.get(f"/en/coordinator/impact/?{PERIOD_QUERY}").content.decode(), "area-a")
    assert ">5<" in row.replace(" ", "") and ">3<" in row.replace(" ", "")


def test_the_figures_csv_has_the_referrals_made_and_taken_up_with_the_small_number_rule(
    login_as, coordinator_a, covered_area_a, lunch_club
):
    made_at = datetime(2025, 3, 10, 12, tzinfo=ZoneInfo("Europe/London"))
    diners = [DinerFactory(area=covered_area_a, status=Diner.Status.ACTIVE) for _ in range(5)]
    client = login_as(coordinator_a)

    def figures() -> dict:
        body = client.get(f"/en/coordinator/impact/figures.csv?{PERIOD_QUERY}").content.decode("utf-8-sig")
        return {row["figure"]: row for row in csv.DictReader(io.StringIO(body))}

    for diner in diners[:4]:
        OnwardReferral.objects.create(diner=diner, service=lunch_club, kind="told", made_at=made_at)
    made = figures()[f"onward_referrals_{covered_area_a.slug}"]
    assert (made["value"], made["hidden"]) == ("", "true")  # 4 diners: hidden

    OnwardReferral.objects.create(
        diner=diners[4], service=lunch_club, kind="referred", made_at=made_at, outcome="took_place"
    )
    rows = figures()
    made, taken = (
        rows[f"onward_referrals_{covered_area_a.slug}"],
        rows[f"onward_referrals_taken_up_{covered_area_a.slug}"],
    )
    assert (made["value"], made["based_on"], made["hidden"]) == ("5", "5", "false")
    assert (taken["value"], taken["hidden"]) == ("1", "false")
