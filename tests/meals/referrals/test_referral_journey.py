"""Asking for meals through the pages, as a referrer, as a diner without an account and as a
coordinator on the phone: every step, "Check your answers", sending once, the area waitlist, bad
input, a draft that outlives the session, answering "more information needed", and who may see what."""

import re

import pytest
from django.test import Client
from django.utils import translation

from accounts.people.models import User
from casserole.models import AuditEntry, OutboundEmail
from meals.diners.models import Diner
from meals.referrals import services
from meals.referrals.models import AreaWaitlistEntry, Referral, ReferralDraft
from tests.conftest import is_signed_in, sign_in
from tests.factories import PASSWORD, UserFactory
from tests.meals.conftest import ANSWERS

pytestmark = pytest.mark.django_db

START = "/en/request/"
CHECK = "/en/request/check/"
NOT_IN_AREA = "/en/request/not-in-area/"
PHONE_START = "/en/coordinator/referrals/new/"

STEPS = {
    "relationship": {"relationship": "family"},
    "name": {"full_name": "Edith O'Brien", "name_reading": "", "preferred_name": "Edie", "preferred_language": "en"},
    "address": {
        "country": "GB",
        "address_line1": "12 Mare Street",
        "address_line2": "",
        "town": "London",
        "postcode": "e81dy",
    },
    "phone": {"phone": "020 7123 4567"},  # not 020 7946 0xxx: a drama number is refused
    "access": {"access_notes": "Key safe by the door. Ring twice."},
    "diet": {"dietary_needs": "Diabetic", "allergens": ["peanuts", "sesame"], "allergy_notes": "Kiwi fruit"},
    "texture": {"texture": "soft"},
    "likes": {"likes": "Fish pie", "dislikes": "Spicy food"},
    "days": {"frequency": "weekly", "days": ["thu", "tue"]},
    "emergency": {
        "emergency_name": "Sarah Bennett",
        "emergency_phone": "07911 123456",
        "emergency_relationship": "Daughter",
    },
    "consent": {
        "consent_given": "yes",
        "consent_method": "in_person",
        "consent_given_on_day": "20",
        "consent_given_on_month": "11",
        "consent_given_on_year": "2026",
        "share_with_cook": ["address", "phone", "access"],
        "concerns_to": ["referrer"],
    },
}
ORDER = list(STEPS)


@pytest.fixture(autouse=True)
def _area_a_takes_requests(covered_area_a, coordinator_a):
    """Area A covers E8 and has a coordinator to tell."""


@pytest.fixture(autouse=True)
def _no_language_left_behind():
    # A /ja/ page leaves Japanese active in this thread; later tests outside a request expect English.
    yield
    translation.deactivate()


def step_url(slug: str, *, change: bool = False) -> str:
    return f"/en/request/{slug}/" + ("?change=1" if change else "")


def answer_all(client: Client, steps: dict | None = None, **changes) -> None:
    """Start a request and answer every page, checking each goes on to the next."""
    steps = {**STEPS, **(steps or {})}
    for slug, values in changes.items():
        steps[slug] = {**steps[slug], **values}
    assert client.post(START)["Location"] == step_url("relationship")
    for index, slug in enumerate(ORDER):
        response = client.post(step_url(slug), steps[slug])
        assert response.status_code == 302, (slug, errors(response))
        following = step_url(ORDER[index + 1]) if index + 1 < len(ORDER) else CHECK
        assert response["Location"] == following


def errors(response) -> list[str]:
    return re.findall(r'<p class="govuk-error-message"[^>]*>.*?</span>\s*(.*?)</p>', response.content.decode(), re.S)


def send(client: Client):
    page = client.get(CHECK)
    key = re.search(r'name="submission_key" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(CHECK, {"submission_key": key}), key


# The whole journey -----------------------------------------------------------------------------------


def test_a_referrer_asks_for_meals_one_page_at_a_time(referrer, coordinator_a, login_as):
    client = login_as(referrer)
    assert client.get(START).status_code == 200
    answer_all(client)

    page = client.get(CHECK)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Check your answers before sending the request" in html
    for shown in ("Edith O&#x27;Brien", "E8 1DY", "020 7123 4567", "Peanuts", "Soft and bite-sized", "Tuesday"):
        assert shown in html
    assert html.count("?change=1") >= len(ORDER)
    assert 'href="/en/request/address/?change=1"' in html

    response, _key = send(client)
    referral = Referral.objects.get()
    assert response["Location"] == f"/en/request/sent/{referral.pk}/"
    diner = Diner.objects.get()
    assert (referral.referrer, referral.created_by, referral.channel, referral.relationship) == (
        referrer,
        referrer,
        "web",
        "family",
    )
    assert (diner.full_name, diner.postcode, diner.phone, diner.area) == (
        "Edith O'Brien",
        "E8 1DY",
        "+442071234567",
        referrer.home_area,
    )
    assert (diner.days, diner.allergens, diner.emergency_phone) == (
        ["tue", "thu"],
        ["peanuts", "sesame"],
        "+447911123456",
    )
    assert str(diner.consent_given_on) == "2026-11-20" and diner.concerns_to_referrer
    assert OutboundEmail.objects.filter(to=coordinator_a.email).count() == 1
    assert not ReferralDraft.objects.exists()

    sent = client.get(response["Location"]).content.decode()
    assert f"CR-{referral.pk:06d}" in sent
    assert 'href="/en/diners/"' in sent


def test_every_step_has_a_back_link_and_one_question(referrer, login_as):
    client = login_as(referrer)
    client.post(START)
    for index, slug in enumerate(ORDER):
        html = client.get(step_url(slug)).content.decode()
        back = step_url(ORDER[index - 1]) if index else START
        assert f'href="{back}" class="govuk-back-link"' in html
        assert html.count("<h1") == 1
        assert ">Continue<" in html
    changing = client.get(step_url("name", change=True)).content.decode()
    assert f'href="{CHECK}" class="govuk-back-link"' in changing


def test_changing_an_answer_from_the_check_page_goes_back_to_it(referrer, login_as):
    client = login_as(referrer)
    answer_all(client)
    response = client.post(step_url("likes", change=True), {"likes": "Shepherd's pie", "dislikes": ""})
    assert response["Location"] == CHECK
    assert ReferralDraft.objects.get().data["likes"] == "Shepherd's pie"


def test_a_double_clicked_send_makes_one_request(referrer, login_as):
    client = login_as(referrer)
    answer_all(client)
    first, key = send(client)
    # The referrer has started another request meanwhile: the second click still finds the first.
    client.post(START)
    again = client.post(CHECK, {"submission_key": key})
    assert again["Location"] == first["Location"]
    assert Referral.objects.count() == Diner.objects.count() == 1


def test_a_request_cannot_be_sent_without_the_diners_agreement(referrer, login_as):
    client = login_as(referrer)
    no_consent = {key: value for key, value in ANSWERS.items() if not key.startswith("consent")}
    services.start_draft(owner=referrer, data=no_consent)
    page = client.get(CHECK).content.decode()
    assert "Not answered yet" in page
    response, _key = send(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert "The diner must agree to this request before you can send it." in html
    assert 'href="/en/request/consent/?change=1"' in html
    assert not Referral.objects.exists()

    refused = client.post(step_url("consent"), {**STEPS["consent"], "consent_given": "no"})
    assert "You cannot send this request until the diner agrees." in refused.content.decode()


def test_a_request_with_unanswered_pages_lists_them(referrer, login_as):
    client = login_as(referrer)
    client.post(START)
    response, _key = send(client)
    html = response.content.decode()
    assert "Answer the question “What is the diner’s name?”" in html
    assert not Referral.objects.exists()


# Without an account, and by phone ------------------------------------------------------------------------


def test_a_diner_without_an_account_asks_for_themselves(coordinator_a):
    client = Client()
    start = client.get(START).content.decode()
    assert "Start now" in start and 'href="/en/accounts/login/?next=/en/request/"' in start
    answer_all(client, relationship={"relationship": "self"}, consent={"concerns_to": ["emergency_contact"]})
    draft = ReferralDraft.objects.get()
    assert draft.owner is None and draft.session_key
    consent = client.get(step_url("consent")).content.decode()
    assert "Do you agree to us keeping these details?" in consent
    assert "How did they agree?" not in consent

    other = Client()
    assert other.get(step_url("name"))["Location"] == START
    assert other.get(CHECK)["Location"] == START

    response, _key = send(client)
    referral = Referral.objects.get()
    assert (referral.referrer, referral.relationship, referral.channel) == (None, "self", "web")
    assert referral.diner.consent_method == "themselves"
    assert referral.diner.phone == "+442071234567"
    assert client.get(response["Location"]).status_code == 200
    assert other.get(response["Location"]).status_code == 404
    assert User.objects.filter(email__isnull=False).count() == 1  # only the coordinator: no account made


def test_someone_without_an_account_asking_for_another_leaves_their_name_and_phone():
    client = Client()
    client.post(START)
    response = client.post(step_url("relationship"), {"relationship": "friend"})
    assert "Enter your name" in response.content.decode()
    client.post(
        step_url("relationship"), {"relationship": "friend", "referrer_name": "Pat", "referrer_phone": "07911 123111"}
    )
    assert ReferralDraft.objects.get().data["referrer_phone"] == "+447911123111"


def test_a_coordinator_records_a_phone_referral_for_a_diner_with_no_email(coordinator_a, login_as):
    client = login_as(coordinator_a)
    assert client.get(PHONE_START).status_code == 200
    assert client.post(PHONE_START)["Location"] == step_url("relationship")
    asked = client.get(step_url("relationship")).content.decode()
    assert "Who is calling?" in asked and "The diner called themselves" in asked
    steps = {
        **STEPS,
        "relationship": {"relationship": "carer", "referrer_name": "Mo Carer", "referrer_phone": "07911 123222"},
        "consent": {**STEPS["consent"], "consent_method": "phone"},
    }
    for slug in ORDER:
        html = client.get(step_url(slug)).content.decode()
        assert 'type="email"' not in html and "Request for meals taken by phone" in html
        assert client.post(step_url(slug), steps[slug]).status_code == 302
    response, _key = send(client)
    referral = Referral.objects.get()
    assert (referral.channel, referral.referrer, referral.created_by) == ("phone", None, coordinator_a)
    assert (referral.referrer_name, referral.referrer_phone) == ("Mo Carer", "+447911123222")
    assert AuditEntry.objects.get(action="referral_submitted").channel == "phone"
    assert User.objects.count() == 1
    sent = client.get(response["Location"]).content.decode()
    assert f'href="/en/coordinator/referrals/{referral.pk}/"' in sent


def test_only_coordinators_take_phone_referrals(referrer, cook, login_as):
    for user in (referrer, cook):
        assert login_as(user).post(PHONE_START).status_code == 403
    assert Client().post(PHONE_START).status_code == 302
    assert not ReferralDraft.objects.exists()


# Outside every area ----------------------------------------------------------------------------------------


def test_an_address_no_club_covers_offers_the_waitlist_and_keeps_the_draft(referrer, login_as):
    client = login_as(referrer)
    client.post(START)
    client.post(step_url("relationship"), STEPS["relationship"])
    response = client.post(step_url("address"), {**STEPS["address"], "postcode": "sw1a1aa"})
    assert response["Location"] == NOT_IN_AREA
    page = client.get(NOT_IN_AREA).content.decode()
    assert "We don’t have a Casserole club near SW1A 1AA yet" in page
    assert 'value="referrer@example.org"' in page

    refused = client.post(NOT_IN_AREA, {"name": "Rita", "contact": "tomorrow"})
    assert "<title>Error:" in refused.content.decode()
    assert 'value="tomorrow"' in refused.content.decode()
    joined = client.post(NOT_IN_AREA, {"name": "Rita Referrer", "contact": "rita@example.org"})
    assert joined["Location"] == NOT_IN_AREA + "?joined=1"
    entry = AreaWaitlistEntry.objects.get()
    assert (entry.name, entry.contact, entry.country, entry.postcode) == (
        "Rita Referrer",
        "rita@example.org",
        "GB",
        "SW1A 1AA",
    )
    assert "We will tell you when a Casserole club opens near you." in client.get(joined["Location"]).content.decode()

    # The draft is kept: a corrected address carries on.
    assert ReferralDraft.objects.get().data["relationship"] == "family"
    assert client.post(step_url("address"), STEPS["address"])["Location"] == step_url("phone")
    assert client.get(NOT_IN_AREA)["Location"] == step_url("phone")


# Bad input, through the pages ------------------------------------------------------------------------------


@pytest.fixture
def writing(referrer, login_as):
    client = login_as(referrer)
    client.post(START)
    return client


@pytest.mark.parametrize("typed", ["E8 1DY", "e81dy", "e8 1dy"])
def test_uk_postcodes_with_or_without_a_space_in_any_case(writing, typed):
    writing.post(step_url("address"), {**STEPS["address"], "postcode": typed})
    assert ReferralDraft.objects.get().data["postcode"] == "E8 1DY"


@pytest.mark.parametrize("typed", ["1540004", "154-0004", "１５４－０００４", "154ー0004"])
def test_japanese_postcodes_in_every_common_shape_through_the_page(writing, area_b, typed):
    area_b.postcode_prefixes = "154"
    area_b.save(update_fields=["postcode_prefixes"])
    values = {"country": "JP", "address_line1": "太子堂1-2-3", "town": "世田谷区", "postcode": typed}
    assert writing.post(step_url("address"), values)["Location"] == step_url("phone")
    assert ReferralDraft.objects.get().data["postcode"] == "154-0004"


@pytest.mark.parametrize("name", ["Edith O'Brien", "Nguyễn Thị Lan", "山田 花子"])
def test_names_in_any_script_through_the_page(writing, name):
    response = writing.post(step_url("name"), {**STEPS["name"], "full_name": name})
    assert response.status_code == 302
    assert ReferralDraft.objects.get().data["full_name"] == name


def test_every_error_keeps_what_was_typed(writing):
    response = writing.post(
        step_url("address"), {**STEPS["address"], "address_line1": "12 Mare Street", "postcode": "E8"}
    )
    html = response.content.decode()
    assert "<title>Error:" in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert 'href="#id_postcode"' in html
    assert "Enter a real postcode, like E8 1DY" in html
    assert 'value="12 Mare Street"' in html and 'value="E8"' in html

    response = writing.post(step_url("phone"), {"phone": "020 7946"})
    assert "020 7946 is not a valid phone number. Check the digits and try again." in response.content.decode()
    assert 'value="020 7946"' in response.content.decode()

    date = {"consent_given_on_day": "２０", "consent_given_on_month": "13", "consent_given_on_year": "２０２６"}
    response = writing.post(step_url("consent"), {**STEPS["consent"], **date})
    html = response.content.decode()
    assert "The date they agreed must be a real date" in html
    assert 'value="２０"' in html and 'value="13"' in html and 'value="２０２６"' in html
    assert 'href="#id_consent_given_on_0"' in html
    assert "consent_given_on" not in ReferralDraft.objects.get().data


def test_a_consent_date_in_full_width_digits_is_accepted_and_one_in_the_future_refused(writing):
    date = {"consent_given_on_day": "２０", "consent_given_on_month": "１１", "consent_given_on_year": "２０２６"}
    assert writing.post(step_url("consent"), {**STEPS["consent"], **date}).status_code == 302
    assert ReferralDraft.objects.get().data["consent_given_on"] == "2026-11-20"
    response = writing.post(step_url("consent"), {**STEPS["consent"], "consent_given_on_year": "2999"})
    assert "The date they agreed must be today or in the past" in response.content.decode()


def test_extra_fields_posted_change_nothing(referrer, area_b, login_as):
    client = login_as(referrer)
    stranger = UserFactory(email="stranger@example.org", is_referrer=True)
    extra = {
        "status": "accepted",
        "area": str(area_b.pk),
        "latitude": "1.0",
        "longitude": "1.0",
        "referrer": str(stranger.pk),
        "created_by": str(stranger.pk),
        "channel": "phone",
        "consent_recorded_by": str(stranger.pk),
    }
    answer_all(client, {slug: {**values, **extra} for slug, values in STEPS.items()})
    assert not set(extra) & set(ReferralDraft.objects.get().data)
    page = client.get(CHECK).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    client.post(CHECK, {"submission_key": key, **extra})
    referral = Referral.objects.get()
    diner = referral.diner
    assert (referral.status, referral.referrer, referral.channel) == ("submitted", referrer, "web")
    assert (diner.area, diner.status, diner.latitude, diner.consent_recorded_by) == (
        referrer.home_area,
        "referred",
        51.543,
        referrer,
    )


# Nothing lost --------------------------------------------------------------------------------------------


def test_a_draft_survives_signing_out_and_back_in(referrer):
    client = Client()
    sign_in(client, referrer.email, PASSWORD)
    assert is_signed_in(client)
    client.post(START)
    client.post(step_url("relationship"), STEPS["relationship"])
    client.post(step_url("name"), STEPS["name"])
    client.post("/en/accounts/logout/")
    assert not is_signed_in(client)

    sign_in(client, referrer.email, PASSWORD)
    assert "Continue your request" in client.get(START).content.decode()
    assert client.post(START)["Location"] == step_url("address")
    assert 'value="Edith O&#x27;Brien"' in client.get(step_url("name")).content.decode()


# Answering "more information needed" ---------------------------------------------------------------------


def test_a_referrer_answers_the_coordinators_question_by_changing_the_request(
    referral, referrer, coordinator_a, login_as
):
    services.ask_for_more_information(by=coordinator_a, referral=referral, message="Which floor is the flat on?")
    client = login_as(referrer)
    page = client.get(f"/en/referrals/{referral.pk}/").content.decode()
    assert "Which floor is the flat on?" in page
    assert f'action="/en/referrals/{referral.pk}/answer/"' in page

    assert client.post(f"/en/referrals/{referral.pk}/answer/")["Location"] == CHECK
    check = client.get(CHECK).content.decode()
    assert "The coordinator asked:" in check and "Which floor is the flat on?" in check
    changed = client.post(
        step_url("address", change=True), {**STEPS["address"], "address_line2": "Flat 3, second floor"}
    )
    assert changed["Location"] == CHECK
    emails_before = OutboundEmail.objects.filter(to=coordinator_a.email).count()
    response, _key = send(client)
    assert response["Location"] == f"/en/request/sent/{referral.pk}/"

    referral.refresh_from_db()
    assert referral.status == "submitted"
    assert referral.diner.address_line2 == "Flat 3, second floor"
    assert Referral.objects.count() == 1
    assert OutboundEmail.objects.filter(to=coordinator_a.email).count() == emails_before + 1
    assert "Waiting for a coordinator" in client.get(f"/en/referrals/{referral.pk}/").content.decode()


def test_a_request_that_needs_no_answer_cannot_be_reopened(referral, referrer, login_as):
    client = login_as(referrer)
    response = client.post(f"/en/referrals/{referral.pk}/answer/")
    assert response["Location"] == f"/en/referrals/{referral.pk}/"
    assert "This request can no longer be changed." in client.get(response["Location"]).content.decode()
    assert not ReferralDraft.objects.exists()


def test_a_declined_request_shows_the_reason(referral, referrer, coordinator_a, login_as):
    services.decline_referral(by=coordinator_a, referral=referral, reason="They already have meals on wheels.")
    page = login_as(referrer).get(f"/en/referrals/{referral.pk}/").content.decode()
    assert "They already have meals on wheels." in page and "Declined" in page


def test_someone_elses_request_is_not_found(referral, second_cook, coordinator_a, login_as):
    other_referrer = UserFactory(email="other-referrer@example.org", is_referrer=True)
    for user in (other_referrer, second_cook, coordinator_a):
        client = login_as(user)
        assert client.get(f"/en/referrals/{referral.pk}/").status_code == 404
        assert client.post(f"/en/referrals/{referral.pk}/answer/").status_code == 404
        assert client.get(f"/en/request/sent/{referral.pk}/").status_code == 404
    assert Client().get(f"/en/referrals/{referral.pk}/").status_code == 302
    assert Client().get(f"/en/request/sent/{referral.pk}/").status_code == 404


def test_a_cook_may_ask_for_meals_and_follow_the_request(cook, login_as):
    client = login_as(cook)
    answer_all(client)
    response, _key = send(client)
    referral = Referral.objects.get()
    assert referral.referrer == cook
    cook.refresh_from_db()
    assert not cook.is_referrer  # asking changes nobody's roles
    assert f'href="/en/referrals/{referral.pk}/"' in client.get(response["Location"]).content.decode()
    assert client.get(f"/en/referrals/{referral.pk}/").status_code == 200


# Pages and languages ---------------------------------------------------------------------------------------


def test_pages_without_a_draft_go_to_the_start(referrer, login_as):
    client = login_as(referrer)
    for url in (step_url("name"), CHECK, NOT_IN_AREA):
        assert client.get(url)["Location"] == START
    assert client.get("/en/request/not-a-step/").status_code == 404


def test_the_pages_work_in_japanese(referrer, login_as):
    client = login_as(referrer)
    start = client.get("/ja/request/")
    assert start.status_code == 200 and '<html lang="ja"' in start.content.decode()
    assert client.post("/ja/request/")["Location"] == "/ja/request/relationship/"
    html = client.get("/ja/request/consent/").content.decode()
    assert html.index("consent_given_on_year") < html.index("consent_given_on_day")
    diet = client.get("/ja/request/diet/").content.decode()
    assert diet.index('value="buckwheat"') < diet.index('value="celery"')  # Japan's list first


def test_the_listing_filter_writes_lists_as_each_language_does():
    from django.template import engines
    from django.utils import translation

    template = engines["django"].from_string("{{ days|listing }}")
    with translation.override("ja"):
        assert template.render({"days": ["火曜日", "木曜日"]}) == "火曜日、木曜日"
    with translation.override("en"):
        assert template.render({"days": ["Tuesday", "Thursday"]}) == "Tuesday, Thursday"
