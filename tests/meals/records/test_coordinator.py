"""The coordinator's side of diner referrals: the queue and triage, diner records, assisted digital,
pause/close, proxy scopes and the printable card. Objects live in area A; coordinator B looks after
area B (Japan) and must never learn that area A's diners exist."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.http import Http404
from django.utils import timezone

from casserole.models import AuditEntry, OutboundEmail
from meals.diners import access
from meals.diners.models import Diner, ProxyAccess
from meals.referrals import services
from meals.referrals.models import Referral
from tests.conftest import page_body
from tests.factories import ProxyAccessFactory, ReferralFactory, UserFactory
from tests.meals.conftest import submit

pytestmark = pytest.mark.django_db

JP_ANSWERS = {
    "full_name": "山田 花子",
    "name_reading": "やまだ はなこ",
    "preferred_name": "花子",
    "preferred_language": "ja",
    "country": "JP",
    "address_line1": "桜丘1-2-3",
    "town": "世田谷区",
    "postcode": "154-0004",
    "phone": "+81312345678",
}

# The referral queue, whatever the number of requests:
#  1. the session
#  2. the signed-in user
#  3. the authenticator this session was verified with (django-otp)
#  4. the areas the user coordinates (User.coordinated_area_ids)
#  5. the waiting requests with their diners, areas and referrers (one select_related query)
#  6. how many are back with the person who asked (one aggregate)
#  7. the area for the "Need help?" block (context processor)
QUEUE_QUERIES = 7

# The diner list, whatever the number of diners:
#  1-4. session, user, authenticator, coordinated areas (as above)
#  5. how many diners match (the paginator)
#  6. one page of diners with their areas
#  7. how many diners have each status (one aggregate, for the filter)
#  8. the area for the "Need help?" block
DINER_LIST_QUERIES = 8

# A diner's record, whatever the number of requests, proxies and audit entries:
#  1-4. session, user, authenticator, coordinated areas (as above)
#  5. the diner with their area (meals.diners.access)
#  6. the audit entry for this visit (an INSERT)
#  7. their requests with who asked, who decided and who recorded them
#  8. the people acting for them, with who allowed and who revoked it
#  9. who recorded their consent
# 10. the history (the diner's and their requests' audit entries, with who)
# 11. who looked at the record (audit entries, with who)
# 12. their cooks (live matches, with the cook)
# 13. why to suggest other support (open concern, loneliness scores, less contact: meals.records.selectors)
# 14. the onward referrals recorded for them, with their services (no suggestion without a reason to)
# 15. the area for the "Need help?" block
DINER_RECORD_QUERIES = 15


@pytest.fixture
def area_b_covered(area_b):
    area_b.postcode_prefixes = "154"
    area_b.save(update_fields=["postcode_prefixes"])
    return area_b


@pytest.fixture
def referral_b(area_b_covered, coordinator_b):
    """A request in area B (Japan), made by a coordinator of area B taking a phone call."""
    return submit(by=coordinator_b, channel="phone", answers=JP_ANSWERS)


def last_email_to(address: str) -> OutboundEmail | None:
    return OutboundEmail.objects.filter(to=address).order_by("-pk").first()


# The referral queue ----------------------------------------------------------------------------------


def test_queue_shows_own_area_requests_oldest_first_with_counts(
    login_as, referrer, coordinator_a, covered_area_a, referral_b
):
    newest = submit(by=referrer, preferred_name="Newest Nell")
    oldest = submit(by=referrer, preferred_name="Oldest Olive")
    Referral.objects.filter(pk=oldest.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    asked = submit(by=referrer, preferred_name="Asked Alice")
    services.ask_for_more_information(by=coordinator_a, referral=asked, message="Which days?")
    done = submit(by=referrer, preferred_name="Done Doris")
    services.decline_referral(by=coordinator_a, referral=done, reason="Moved away")

    html = login_as(coordinator_a).get("/en/coordinator/referrals/").content.decode()

    assert html.index("Oldest Olive") < html.index("Newest Nell")
    assert "Asked Alice" not in html and "Done Doris" not in html  # not waiting
    assert "花子" not in html  # area B's request
    assert '<dd class="govuk-summary-list__value" id="waiting-count">2</dd>' in html
    assert '<dd class="govuk-summary-list__value" id="more-info-count">1</dd>' in html
    assert "E8" in html and "Family member" in html  # where, and who asked
    assert f'href="/en/coordinator/referrals/{newest.pk}/"' in html


def test_queue_of_area_b_shows_only_area_b(login_as, coordinator_b, referral, referral_b):
    html = login_as(coordinator_b).get("/en/coordinator/referrals/").content.decode()
    assert "花子" in html
    assert "Edie" not in html


@pytest.mark.parametrize("count", [1, 20])
def test_queue_query_count_is_constant(
    login_as, referrer, coordinator_a, covered_area_a, count, django_assert_num_queries
):
    for n in range(count):
        submit(by=referrer, preferred_name=f"Diner {n}")
    client = login_as(coordinator_a)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get("/en/coordinator/referrals/")
    assert response.content.decode().count('href="/en/coordinator/referrals/') == count


# Deciding a request ----------------------------------------------------------------------------------


def test_referral_page_shows_the_whole_request_and_is_audited(login_as, coordinator_a, referral, referrer):
    html = login_as(coordinator_a).get(f"/en/coordinator/referrals/{referral.pk}/").content.decode()
    for text in ("Edith O&#x27;Brien", "12 Mare Street", "E8 1DY", "Key safe by the door", "Peanuts", "Sesame"):
        assert text in html
    assert "Kiwi fruit" in html and "Soft and bite-sized" in html and "Tuesday, Thursday" in html
    assert "Sarah Bennett" in html and "They told me in person" in html and "Their address" in html
    assert referrer.full_name in html and referrer.email in html
    assert AuditEntry.objects.filter(
        action="diner_record_viewed", actor=coordinator_a, object_id=str(referral.diner_id)
    ).exists()


def test_accept_creates_proxy_with_chosen_scopes_and_emails_the_referrer(login_as, coordinator_a, referral, referrer):
    response = login_as(coordinator_a).post(
        f"/en/coordinator/referrals/{referral.pk}/",
        {
            "decision": "accept",
            "accept-scopes": ["can_view_schedule", "can_give_feedback"],
            "accept-channel": "phone",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/en/coordinator/referrals/"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.decided_by == coordinator_a
    assert referral.diner.status == Diner.Status.ACTIVE
    proxy = ProxyAccess.objects.get(diner=referral.diner, referrer=referrer)
    assert (proxy.can_view_schedule, proxy.can_confirm_meals, proxy.can_give_feedback, proxy.can_edit_details) == (
        True,
        False,
        True,
        False,
    )
    assert "accepted your request" in last_email_to(referrer.email).body
    assert AuditEntry.objects.get(action="referral_accepted", object_id=str(referral.pk)).channel == "phone"


def test_accept_form_ticks_see_the_schedule_first(login_as, coordinator_a, referral):
    html = login_as(coordinator_a).get(f"/en/coordinator/referrals/{referral.pk}/").content.decode()
    assert 'value="can_view_schedule" id="id_accept-scopes_0" class="govuk-checkboxes__input" checked>' in html
    assert 'value="can_edit_details" id="id_accept-scopes_3" class="govuk-checkboxes__input">' in html


def test_phone_referral_without_account_is_accepted_without_scopes(login_as, coordinator_a, covered_area_a):
    phoned = submit(by=coordinator_a, channel="phone", relationship="coordinator", referrer_name="Dr Patel")
    client = login_as(coordinator_a)
    html = client.get(f"/en/coordinator/referrals/{phoned.pk}/").content.decode()
    assert "accept-scopes" not in html
    assert 'name="more_info-message"' not in html  # nobody to email a question to

    response = client.post(f"/en/coordinator/referrals/{phoned.pk}/", {"decision": "accept", "accept-channel": "web"})

    assert response.status_code == 302
    phoned.refresh_from_db()
    assert phoned.status == Referral.Status.ACCEPTED
    assert not ProxyAccess.objects.filter(diner=phoned.diner).exists()


def test_more_information_needs_a_question_then_emails_it(login_as, coordinator_a, referral, referrer):
    client = login_as(coordinator_a)
    emails_before = OutboundEmail.objects.count()

    response = client.post(
        f"/en/coordinator/referrals/{referral.pk}/",
        {"decision": "more_info", "more_info-message": "  ", "more_info-channel": "web"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter what you need to know" in html and "<title>Error:" in html
    assert 'href="#id_more_info-message"' in html  # the error summary links to the field
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED
    assert OutboundEmail.objects.count() == emails_before

    response = client.post(
        f"/en/coordinator/referrals/{referral.pk}/",
        {"decision": "more_info", "more_info-message": "Which days suit her best?", "more_info-channel": "web"},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.MORE_INFO and referral.message == "Which days suit her best?"
    assert "Which days suit her best?" in last_email_to(referrer.email).body


def test_decline_needs_a_reason_then_emails_it(login_as, coordinator_a, referral, referrer):
    client = login_as(coordinator_a)

    response = client.post(
        f"/en/coordinator/referrals/{referral.pk}/", {"decision": "decline", "decline-channel": "web"}
    )

    assert response.status_code == 200
    assert "Enter the reason, so the person who asked knows why" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED

    response = client.post(
        f"/en/coordinator/referrals/{referral.pk}/",
        {"decision": "decline", "decline-reason": "No cooks near her yet", "decline-channel": "web"},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED and referral.message == "No cooks near her yet"
    assert referral.diner.status == Diner.Status.CLOSED  # closed, but kept
    assert "No cooks near her yet" in last_email_to(referrer.email).body


def test_a_request_already_dealt_with_cannot_be_decided_again(login_as, coordinator_a, accepted):
    client = login_as(coordinator_a)
    html = client.get(f"/en/coordinator/referrals/{accepted.pk}/").content.decode()
    assert 'name="decision"' not in html

    response = client.post(
        f"/en/coordinator/referrals/{accepted.pk}/",
        {"decision": "decline", "decline-reason": "Changed my mind", "decline-channel": "web"},
    )

    assert response.status_code == 200
    assert "This request has already been dealt with." in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == Referral.Status.ACCEPTED


def test_decision_ignores_extra_fields(login_as, coordinator_a, referral, area_b):
    login_as(coordinator_a).post(
        f"/en/coordinator/referrals/{referral.pk}/",
        {
            "decision": "more_info",
            "more_info-message": "Which days?",
            "more_info-channel": "web",
            "status": "accepted",
            "area": area_b.pk,
            "latitude": "10",
            "consent_recorded_by": coordinator_a.pk,
        },
    )
    referral.refresh_from_db()
    diner = referral.diner
    assert referral.status == Referral.Status.MORE_INFO
    assert diner.area_id != area_b.pk and diner.latitude != 10 and diner.consent_recorded_by_id != coordinator_a.pk


# The diner list --------------------------------------------------------------------------------------


def test_diner_list_shows_own_areas_with_status_filter_and_search(
    login_as, coordinator_a, referrer, covered_area_a, referral_b
):
    submit(by=referrer, full_name="Edith O'Brien")
    active = submit(by=referrer, full_name="Arthur Active", preferred_name="Art")
    services.accept_referral(by=coordinator_a, referral=active, scopes={})
    client = login_as(coordinator_a)

    html = client.get("/en/coordinator/diners/").content.decode()
    assert "Edith O&#x27;Brien" in html and "Arthur Active" in html
    assert "山田" not in html

    html = client.get("/en/coordinator/diners/?status=active").content.decode()
    assert "Arthur Active" in html and "Edith" not in html

    html = client.get(search_diners(client, "brien")).content.decode()
    assert "Edith O&#x27;Brien" in html and "Arthur" not in html
    assert 'value="brien"' in html  # the search box still shows what was typed


def search_diners(client, text: str, **fields) -> str:
    """Search by name as the form does (POST); returns the address the list is shown at."""
    response = client.post("/en/coordinator/diners/", {"q": text, **fields})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/en/coordinator/diners/")
    return location


def links_and_forms(html: str) -> list[str]:
    return [unescape(url) for url in re.findall(r'(?:href|action)="([^"]*)"', html)]


def test_a_name_search_never_puts_the_name_in_an_address(login_as, coordinator_a, referrer, covered_area_a):
    submit(by=referrer, full_name="Edith O'Brien")
    client = login_as(coordinator_a)

    location = search_diners(client, "O'Brien", status="referred")
    html = client.get(location).content.decode()

    assert "brien" not in location.lower() and "status=referred" in location
    assert "Edith O&#x27;Brien" in html
    assert [url for url in links_and_forms(html) if "brien" in url.lower()] == []
    # The search box posts; a name in the query string is not searched for.
    assert re.search(r'<form method="post" action="/en/coordinator/diners/"', html)
    assert "Edith" in client.get("/en/coordinator/diners/?q=nobody-by-this-name").content.decode()


def test_a_search_is_kept_across_status_filters_and_pages_and_can_be_cleared(
    login_as, coordinator_a, referrer, covered_area_a
):
    for n in range(51):
        submit(by=referrer, full_name=f"Diner {n:02d}")
    submit(by=referrer, full_name="Anne Other")
    client = login_as(coordinator_a)

    first = client.get(search_diners(client, "diner")).content.decode()
    assert "Diner 00" in first and "Anne Other" not in first and "Page 1 of 2" in first
    next_page = re.search(r'href="([^"]+)" rel="next"', first).group(1)
    assert next_page.startswith("?")  # the same page, other parameters kept
    second = client.get("/en/coordinator/diners/" + unescape(next_page)).content.decode()
    assert "Diner 50" in second and "Anne Other" not in second

    referred = re.search(r'href="([^"]*status=referred[^"]*)"', first).group(1)
    filtered = client.get(unescape(referred)).content.decode()
    assert "Diner 00" in filtered and "Anne Other" not in filtered

    cleared = re.search(r'href="([^"]*)">Clear search<', filtered).group(1)
    html = client.get(unescape(cleared)).content.decode()
    assert "Anne Other" in html and 'value="diner"' not in html

    # An empty search shows everyone again.
    html = client.get(search_diners(client, "   ")).content.decode()
    assert "Anne Other" in html


def test_a_search_belongs_to_the_session_that_made_it(login_as, coordinator_a, referrer, covered_area_a):
    submit(by=referrer, full_name="Edith O'Brien")
    submit(by=referrer, full_name="Somebody Else")
    location = search_diners(login_as(coordinator_a), "brien")

    html = login_as(coordinator_a).get(location).content.decode()

    assert "Somebody Else" in html and "Edith" in html


@pytest.mark.parametrize("count", [1, 20])
def test_diner_list_query_count_is_constant(
    login_as, referrer, coordinator_a, covered_area_a, count, django_assert_num_queries
):
    for n in range(count):
        submit(by=referrer, full_name=f"Diner {n}")
    client = login_as(coordinator_a)
    with django_assert_num_queries(DINER_LIST_QUERIES):
        response = client.get("/en/coordinator/diners/")
    assert len(re.findall(r'href="/en/coordinator/diners/[0-9]+/"', response.content.decode())) == count


def test_diner_list_is_paginated_by_50(login_as, coordinator_a, referrer, covered_area_a):
    for n in range(51):
        submit(by=referrer, full_name=f"Diner {n:02d}")
    client = login_as(coordinator_a)
    first = client.get("/en/coordinator/diners/").content.decode()
    second = client.get("/en/coordinator/diners/?page=2").content.decode()
    assert "Diner 49" in first and "Diner 50" not in first
    assert "Diner 50" in second and "Page 2 of 2" in second


# The diner's record ----------------------------------------------------------------------------------


def test_diner_record_shows_details_needs_consent_and_proxies(login_as, coordinator_a, accepted, referrer):
    diner = accepted.diner
    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{diner.pk}/").content.decode()
    for text in ("Edith O&#x27;Brien", "12 Mare Street", "Peanuts", "Sesame", "Kiwi fruit", "Soft and bite-sized"):
        assert text in html
    assert "Tuesday, Thursday" in html and "They told me in person" in html
    assert referrer.full_name in html  # acting for the diner
    proxy = ProxyAccess.objects.get(diner=diner)
    assert f'action="/en/coordinator/diners/{diner.pk}/proxies/{proxy.pk}/revoke/"' in html
    assert f'href="/en/coordinator/diners/{diner.pk}/card/"' in html
    assert f'href="/en/coordinator/diners/{diner.pk}/status/pause/"' in html
    assert f'href="/en/coordinator/diners/{diner.pk}/consent/"' in html
    assert "Request accepted" in html  # the history


@pytest.mark.parametrize("count", [1, 5])
def test_diner_record_query_count_is_constant(login_as, coordinator_a, accepted, count, django_assert_num_queries):
    diner = accepted.diner
    for n in range(1, count):
        other = UserFactory(email=f"helper{n}@example.org", is_referrer=True)
        ProxyAccessFactory(diner=diner, referrer=other, granted_by=coordinator_a)
        ReferralFactory(diner=diner, referrer=other, relationship=Referral.Relationship.FRIEND)
    client = login_as(coordinator_a)
    client.get(f"/en/coordinator/diners/{diner.pk}/")  # one more "looked at" entry
    with django_assert_num_queries(DINER_RECORD_QUERIES):
        response = client.get(f"/en/coordinator/diners/{diner.pk}/")
    assert response.content.decode().count("Revoke access") == count


def test_viewing_the_record_is_audited_and_listed_as_who_looked(login_as, coordinator_a, referral):
    diner = referral.diner
    other = login_as(coordinator_a)
    other.get(f"/en/coordinator/diners/{diner.pk}/")

    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{diner.pk}/").content.decode()

    entries = AuditEntry.objects.filter(action="diner_record_viewed", object_id=str(diner.pk), actor=coordinator_a)
    assert entries.count() == 2
    viewed = html[html.index('id="viewed-list"') : html.index("</ul>", html.index('id="viewed-list"'))]
    assert viewed.count(coordinator_a.full_name) == 2


def test_needs_placing_diner_can_be_placed(login_as, coordinator_a, referrer, covered_area_a):
    unplaced = submit(by=referrer, postcode="E9 5AA")  # E9 is covered, but the offline table does not know it
    diner = unplaced.diner
    assert diner.needs_placing
    client = login_as(coordinator_a)
    html = client.get(f"/en/coordinator/diners/{diner.pk}/").content.decode()
    assert "Needs placing" in html and f'href="/en/coordinator/diners/{diner.pk}/location/"' in html

    response = client.post(
        f"/en/coordinator/diners/{diner.pk}/location/",
        {"latitude": "51.5466", "longitude": "-0.0553", "neighbourhood": "Homerton", "status": "closed"},
    )

    assert response.status_code == 302
    diner.refresh_from_db()
    assert (diner.latitude, diner.longitude, diner.neighbourhood) == (51.5466, -0.0553, "Homerton")
    assert diner.status == Diner.Status.REFERRED  # the extra field changed nothing


def test_placing_refuses_coordinates_off_the_earth(login_as, coordinator_a, referral):
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{referral.diner_id}/location/",
        {"latitude": "91", "longitude": "0", "neighbourhood": "Nowhere"},
    )
    assert response.status_code == 200
    assert "Latitude must be between -90 and 90" in response.content.decode()


# Assisted digital: changing details and recording consent on the diner's behalf ----------------------


def test_edit_page_shows_the_diners_current_answers(login_as, coordinator_a, referral):
    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{referral.diner_id}/edit/likes/").content.decode()
    assert "Fish pie" in html and "Spicy food" in html
    assert 'name="recording_channel" value="phone"' in html


def test_edit_section_updates_the_diner_and_the_audit_entry_has_the_channel(login_as, coordinator_a, referral):
    diner = referral.diner
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/edit/likes/",
        {"likes": "Shepherd’s pie", "dislikes": "", "recording_channel": "phone"},
    )

    assert response.status_code == 302 and response["Location"] == f"/en/coordinator/diners/{diner.pk}/"
    diner.refresh_from_db()
    assert (diner.likes, diner.dislikes) == ("Shepherd’s pie", "")
    entry = AuditEntry.objects.get(action="diner_updated", object_id=str(diner.pk))
    assert entry.channel == "phone" and entry.actor == coordinator_a
    assert entry.detail == {"fields": ["dislikes", "likes"]}


def test_a_new_address_outside_the_area_is_refused_with_a_clear_message(login_as, coordinator_a, referral):
    diner = referral.diner
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/edit/address/",
        {
            "country": "GB",
            "address_line1": "1 Upper Street",
            "town": "London",
            "postcode": "n1 1aa",
            "recording_channel": "phone",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "That address is outside this diner’s area." in html.replace("&#x27;", "’").replace("'", "’")
    assert "<title>Error:" in html and "1 Upper Street" in html  # what was typed is kept
    diner.refresh_from_db()
    assert diner.postcode == "E8 1DY"


def test_a_new_address_inside_the_area_is_placed_again(login_as, coordinator_a, referral):
    diner = referral.diner
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/edit/address/",
        {
            "country": "GB",
            "address_line1": "3 Well Street",
            "town": "London",
            "postcode": "e9 7pd",
            "recording_channel": "web",
        },
    )
    assert response.status_code == 302
    diner.refresh_from_db()
    assert (diner.address_line1, diner.postcode) == ("3 Well Street", "E9 7PD")
    assert diner.needs_placing  # E9 is in the area, but the offline table does not know where it is


@pytest.mark.parametrize("section", ["relationship", "consent", "no-such-section"])
def test_sections_that_are_not_the_diners_details_are_404(login_as, coordinator_a, referral, section):
    response = login_as(coordinator_a).get(f"/en/coordinator/diners/{referral.diner_id}/edit/{section}/")
    assert response.status_code == 404


def test_editing_ignores_extra_fields(login_as, coordinator_a, referral, area_b):
    diner = referral.diner
    before = (diner.status, diner.area_id, diner.latitude, diner.consent_recorded_by_id)
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/edit/name/",
        {
            "full_name": "Edith Mary O’Brien",
            "name_reading": "",
            "preferred_name": "Edie",
            "preferred_language": "en",
            "recording_channel": "phone",
            "status": "closed",
            "area": area_b.pk,
            "latitude": "10",
            "consent_recorded_by": coordinator_a.pk,
        },
    )
    assert response.status_code == 302
    diner.refresh_from_db()
    assert diner.full_name == "Edith Mary O’Brien"
    assert (diner.status, diner.area_id, diner.latitude, diner.consent_recorded_by_id) == before


def consent_post(**changes) -> dict:
    today = timezone.localdate()
    return {
        "consent_given": "yes",
        "consent_method": "phone",
        "consent_given_on_day": str(today.day),
        "consent_given_on_month": str(today.month),
        "consent_given_on_year": str(today.year),
        "share_with_cook": ["address"],
        "concerns_to": ["emergency_contact"],
        "recording_channel": "phone",
        **changes,
    }


def test_consent_recorded_by_phone(login_as, coordinator_a, referral):
    diner = referral.diner
    client = login_as(coordinator_a)
    assert client.get(f"/en/coordinator/diners/{diner.pk}/consent/").status_code == 200

    response = client.post(f"/en/coordinator/diners/{diner.pk}/consent/", consent_post())

    assert response.status_code == 302
    diner.refresh_from_db()
    assert diner.consent_method == Diner.ConsentMethod.PHONE
    assert diner.consent_given_on == timezone.localdate()
    assert diner.consent_recorded_by == coordinator_a
    assert diner.share_with_cook == ["address"]
    assert (diner.concerns_to_referrer, diner.concerns_to_emergency_contact) == (False, True)
    entry = AuditEntry.objects.get(action="diner_consent_recorded", object_id=str(diner.pk))
    assert entry.channel == "phone" and entry.actor == coordinator_a


def test_consent_needs_the_diners_agreement(login_as, coordinator_a, referral):
    diner = referral.diner
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/consent/", consent_post(consent_given="no", status="closed")
    )
    assert response.status_code == 200 and "<title>Error:" in response.content.decode()
    diner.refresh_from_db()
    assert diner.consent_method == Diner.ConsentMethod.IN_PERSON and diner.status == Diner.Status.REFERRED


# Pause, resume, close --------------------------------------------------------------------------------


def test_pause_resume_and_close_with_reasons_keep_the_record(login_as, coordinator_a, accepted):
    diner = accepted.diner
    client = login_as(coordinator_a)
    base = f"/en/coordinator/diners/{diner.pk}/status"

    response = client.post(f"{base}/pause/", {"reason": "", "channel": "web"})
    assert response.status_code == 200 and "Enter the reason" in response.content.decode()

    assert client.post(f"{base}/pause/", {"reason": "In hospital", "channel": "phone"}).status_code == 302
    diner.refresh_from_db()
    assert (diner.status, diner.status_reason) == (Diner.Status.PAUSED, "In hospital")
    assert AuditEntry.objects.get(action="diner_paused", object_id=str(diner.pk)).channel == "phone"

    assert client.post(f"{base}/resume/", {"reason": "Home again", "channel": "web"}).status_code == 302
    diner.refresh_from_db()
    assert diner.status == Diner.Status.ACTIVE

    assert client.post(f"{base}/close/", {"reason": "Moved to a care home", "channel": "web"}).status_code == 302
    diner.refresh_from_db()
    assert (diner.status, diner.status_reason) == (Diner.Status.CLOSED, "Moved to a care home")

    html = client.get(f"/en/coordinator/diners/{diner.pk}/").content.decode()
    assert "Moved to a care home" in html and "Paused" in html and "Request accepted" in html  # history kept


def test_pausing_a_diner_who_is_not_active_is_refused(login_as, coordinator_a, referral):
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{referral.diner_id}/status/pause/", {"reason": "Away", "channel": "web"}
    )
    assert response.status_code == 200
    assert "This cannot be done while the diner is referred." in response.content.decode()


def test_unknown_status_action_is_404(login_as, coordinator_a, referral):
    assert login_as(coordinator_a).get(f"/en/coordinator/diners/{referral.diner_id}/status/delete/").status_code == 404


# Proxy access ----------------------------------------------------------------------------------------


def test_change_proxy_scope(login_as, coordinator_a, accepted):
    proxy = ProxyAccess.objects.get(diner=accepted.diner)
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{accepted.diner_id}/proxies/{proxy.pk}/",
        {f"proxy-{proxy.pk}-scopes": ["can_confirm_meals"], "revoked_at": "", "referrer": "1"},
    )
    assert response.status_code == 302
    proxy.refresh_from_db()
    assert (proxy.can_view_schedule, proxy.can_confirm_meals, proxy.can_give_feedback, proxy.can_edit_details) == (
        False,
        True,
        False,
        False,
    )
    assert AuditEntry.objects.filter(action="proxy_scope_changed", object_id=str(accepted.diner_id)).exists()


def test_revoking_works_on_the_referrers_next_request(login_as, coordinator_a, accepted, referrer):
    diner = accepted.diner
    proxy = access.get_proxy_for_referrer(referrer, diner.pk)

    response = login_as(coordinator_a).post(f"/en/coordinator/diners/{diner.pk}/proxies/{proxy.pk}/revoke/")

    assert response.status_code == 302
    with pytest.raises(Http404):
        access.get_proxy_for_referrer(referrer, diner.pk)
    proxy.refresh_from_db()
    assert proxy.revoked_by == coordinator_a


@pytest.mark.parametrize("suffix", ["", "revoke/"])
def test_proxy_actions_are_post_only(login_as, coordinator_a, accepted, suffix):
    proxy = ProxyAccess.objects.get(diner=accepted.diner)
    url = f"/en/coordinator/diners/{accepted.diner_id}/proxies/{proxy.pk}/{suffix}"
    assert login_as(coordinator_a).get(url).status_code == 405


def test_proxy_of_another_diner_is_404(login_as, coordinator_a, accepted, referrer):
    other = submit(by=referrer, full_name="Other Diner")
    proxy = ProxyAccess.objects.get(diner=accepted.diner)
    url = f"/en/coordinator/diners/{other.diner_id}/proxies/{proxy.pk}/revoke/"
    assert login_as(coordinator_a).post(url).status_code == 404


# The printable card ----------------------------------------------------------------------------------


def test_card_shows_both_languages_and_the_help_line(login_as, coordinator_a, referral, area_a):
    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{referral.diner_id}/card/").content.decode()
    assert html.index('lang="en-GB" aria-labelledby="card-en-title"') < html.index(
        'lang="ja" aria-labelledby="card-ja-title"'
    )  # the diner's own language first
    assert area_a.help_phone in html and area_a.help_hours in html and area_a.help_hours_ja in html
    assert "Edie" in html
    assert "Who is coming and when" in html and "No cook is arranged yet." in html


def test_card_puts_japanese_first_for_a_japanese_speaker(login_as, coordinator_a, referrer, covered_area_a):
    japanese = submit(by=referrer, preferred_language="ja")
    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{japanese.diner_id}/card/").content.decode()
    assert html.index('aria-labelledby="card-ja-title"') < html.index('aria-labelledby="card-en-title"')


# Another area's objects ------------------------------------------------------------------------------


def area_a_urls(referral, proxy) -> list[tuple[str, str]]:
    diner = referral.diner_id
    return [
        ("get", f"/en/coordinator/referrals/{referral.pk}/"),
        ("post", f"/en/coordinator/referrals/{referral.pk}/"),
        ("get", f"/en/coordinator/diners/{diner}/"),
        ("get", f"/en/coordinator/diners/{diner}/edit/name/"),
        ("post", f"/en/coordinator/diners/{diner}/edit/name/"),
        ("get", f"/en/coordinator/diners/{diner}/consent/"),
        ("get", f"/en/coordinator/diners/{diner}/status/pause/"),
        ("post", f"/en/coordinator/diners/{diner}/status/close/"),
        ("get", f"/en/coordinator/diners/{diner}/location/"),
        ("get", f"/en/coordinator/diners/{diner}/card/"),
        ("post", f"/en/coordinator/diners/{diner}/proxies/{proxy.pk}/"),
        ("post", f"/en/coordinator/diners/{diner}/proxies/{proxy.pk}/revoke/"),
    ]


def missing(url: str, referral, proxy) -> str:
    return url.replace(f"/{referral.pk}/", "/987654/").replace(f"/{referral.diner_id}/", "/987654/")


def test_another_areas_objects_are_404_like_missing_ones(login_as, coordinator_b, accepted):
    proxy = ProxyAccess.objects.get(diner=accepted.diner)
    client = login_as(coordinator_b)
    for method, url in area_a_urls(accepted, proxy):
        data = {"decision": "decline", "decline-reason": "x", "reason": "x", "channel": "web"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, url
        absent_url = missing(url, accepted, proxy)
        absent = getattr(client, method)(absent_url, data if method == "post" else None)
        # The pages differ only by their own address (in the language switcher).
        theirs, missing_body = (
            page_body(response).replace(url[3:], "PATH"),
            page_body(absent).replace(absent_url[3:], "PATH"),
        )
        assert theirs == missing_body, url
    accepted.refresh_from_db()
    proxy.refresh_from_db()
    assert accepted.diner.status == Diner.Status.ACTIVE and proxy.revoked_at is None


@pytest.mark.parametrize("persona", ["referrer", "cook"])
def test_non_coordinators_are_refused(login_as, request, persona, accepted):
    client = login_as(request.getfixturevalue(persona))
    assert client.get("/en/coordinator/referrals/").status_code == 403
    assert client.get(f"/en/coordinator/diners/{accepted.diner_id}/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, referral):
    response = client.get(f"/en/coordinator/diners/{referral.diner_id}/card/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_links_to_the_diner_pages(login_as, coordinator_a):
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()
    assert 'href="/en/coordinator/referrals/"' in html and 'href="/en/coordinator/diners/"' in html
    assert 'action="/en/coordinator/referrals/new/"' in html


@pytest.mark.parametrize("persona", ["coordinator_a", "admin_user"])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_page_opens_for_the_areas_coordinator_and_an_admin(login_as, request, persona, language, accepted):
    diner = accepted.diner_id
    client = login_as(request.getfixturevalue(persona))
    for path in (
        "coordinator/referrals/",
        f"coordinator/referrals/{accepted.pk}/",
        "coordinator/diners/",
        f"coordinator/diners/{diner}/",
        *(f"coordinator/diners/{diner}/edit/{section}/" for section in ("name", "address", "phone", "access")),
        *(f"coordinator/diners/{diner}/edit/{section}/" for section in ("diet", "texture", "likes", "days")),
        f"coordinator/diners/{diner}/edit/emergency/",
        f"coordinator/diners/{diner}/consent/",
        f"coordinator/diners/{diner}/status/pause/",
        f"coordinator/diners/{diner}/status/close/",
        f"coordinator/diners/{diner}/location/",
        f"coordinator/diners/{diner}/card/",
    ):
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
