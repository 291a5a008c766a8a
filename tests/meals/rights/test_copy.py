"""A copy of what we hold (subject access): a cook's and a referrer's own from their account, a diner's made by
their coordinator or by a referrer allowed to see their details, a cook's made by their coordinator.

Personas: Cathy (an active cook in area A) cooks for Edie (Edith O'Brien, area A), whom Rita (the referrer)
acts for; Ada coordinates area A, Ben area B."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.onboarding.models import IdentityCheck
from accounts.people.models import Invitation
from accounts.people.services import hash_token
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, OutboundText
from meals.diners.models import ProxyAccess
from meals.relationships import loneliness
from meals.relationships.models import Concern, Feedback, LonelinessMeasure, Visit
from meals.rights import copy as collector
from meals.rights.copy import Redactor
from meals.schedule.models import CalendarFeed
from tests.factories import add_totp
from tests.meals.relationships.conftest import past_meal
from tests.meals.schedule.conftest import make_active_match

pytestmark = pytest.mark.django_db

FEED_TOKEN = "feed-token-9f8e7d6c5b4a39281706"
INVITATION_TOKEN = "invitation-token-0a1b2c3d4e5f"
RESET_CODE = "K7QX2M"


@pytest.fixture
def match(active_cook, diner):
    """Cathy cooks for Edie: an active match, with nothing recorded yet."""
    return make_active_match(active_cook, diner, since=timezone.now() - timedelta(days=60))


def history(match, n: int) -> None:
    """`n` of everything a copy lists: meals with their visit record, the cook's and the diner's
    feedback, concerns raised by the cook, loneliness answers, emails to the cook and the referrer,
    texts to Edie, and audit entries about Edie's record and Cathy's account."""
    diner, cook = match.diner, match.cook
    referrer = diner.referrals.get().referrer
    scale = loneliness.ONS
    for i in range(n):
        meal = past_meal(match, hours_ago=24 * (i + 1))
        visit = Visit.objects.create(
            meal=meal,
            match=match,
            recorded_by=cook,
            outcome=Visit.Outcome.DELIVERED,
            minutes_stayed=30,
            wellbeing={"health": "usual"},
            note=f"Edie was cheerful ({i})",
        )
        Feedback.objects.create(
            match=match, side=Feedback.Side.COOK, occasion=f"extra-2026-01-{i + 1:02d}", given_by=cook, enjoyed="yes"
        )
        Feedback.objects.create(
            match=match,
            side=Feedback.Side.DINER,
            occasion=f"extra-2026-02-{i + 1:02d}",
            given_by=referrer,
            friend="yes",
        )
        Concern.objects.create(
            diner=diner, match=match, visit=visit, level=Concern.Level.INFORMATION, text="Tired", raised_by=cook
        )
        LonelinessMeasure.objects.create(
            diner=diner,
            scale=scale.code,
            answers={question.key: question.options[0].key for question in scale.questions},
            score=3,
        )
        OutboundEmail.objects.create(to=cook.email, subject="Casserole: your meal for Edie tomorrow", body="Hello")
        OutboundEmail.objects.create(to=referrer.email, subject="Casserole: Edie's meal tomorrow", body="Hello")
        OutboundText.objects.create(to=diner.phone, body="Your meal is coming")
        audit.record(action=audit.Action.DINER_RECORD_VIEWED, actor=referrer, obj=diner)
        audit.record(action=audit.Action.SIGNED_IN, actor=cook, obj=cook)


def section(copy: dict, key: str) -> dict:
    return next(s for s in copy["sections"] if s["key"] == key)


def as_json(response) -> dict:
    return json.loads(response.content.decode())


# The person's own -------------------------------------------------------------------------------------------


def test_cook_downloads_their_own_copy_as_a_json_file(login_as, match):
    history(match, 2)
    response = login_as(match.cook).get("/en/my-data/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="casserole-my-information-')
    assert "no-store" in response["Cache-Control"]
    copy = as_json(response)
    assert copy["kind"] == "cook"
    assert [s["key"] for s in copy["sections"]] == [
        "account",
        "cook_profile",
        "moves",
        "identity_checks",
        "course_attempts",
        "certificates",
        "matches",
        "meals",
        "visits",
        "feedback",
        "concerns",
        "calendar_feed",
        "emails",
        "audit",
    ]
    assert section(copy, "account")["records"][0]["email"] == "cook@example.org"
    assert len(section(copy, "meals")["records"]) == 2
    assert section(copy, "identity_checks")["records"][0]["outcome"] == "Approved"
    assert section(copy, "certificates")["records"][0]["code"].startswith("TEST-")
    assert len([e for e in section(copy, "emails")["records"] if "your meal for" in e["subject"]]) == 2
    # The download is audited, and is the last line of the copy's own audit trail.
    entry = AuditEntry.objects.filter(action=audit.Action.DATA_COPY_DOWNLOADED).get()
    assert (entry.actor, entry.object_id, entry.detail) == (match.cook, str(match.cook.pk), {"file": "json"})
    assert section(copy, "audit")["records"][-1] == {
        "when": section(copy, "audit")["records"][-1]["when"],
        "what": "Copy of their own information downloaded",
        "who": "You",
        "channel": "Web",
    }


def test_cook_sees_their_copy_as_a_printable_page_linked_from_their_account(login_as, match):
    history(match, 1)
    client = login_as(match.cook)
    assert 'href="/en/my-data/"' in client.get("/en/account/").content.decode()
    response = client.get("/en/my-data/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "A copy of your information" in html
    assert 'href="/en/my-data/download/"' in html
    assert 'href="/ja/my-data/"' in html  # the same copy in Japanese
    assert "Your cook profile" in html and "Fish pie" in html
    assert AuditEntry.objects.filter(action=audit.Action.DATA_COPY_DOWNLOADED, detail={"file": "html"}).count() == 1


def test_copy_is_written_in_the_pages_language(login_as, match):
    history(match, 1)
    copy = as_json(login_as(match.cook).get("/ja/my-data/download/"))
    assert copy["language"] == "ja"
    assert section(copy, "account")["heading"] != "Your account"
    html = login_as(match.cook).get("/ja/my-data/").content.decode()
    assert '<html lang="ja"' in html


def test_referrer_downloads_their_own_copy(login_as, diner, referrer):
    OutboundEmail.objects.create(to=referrer.email, subject="Casserole: we have your request for Edie", body="Hi Rita")
    copy = as_json(login_as(referrer).get("/en/my-data/download/"))
    assert copy["kind"] == "referrer"
    keys = [s["key"] for s in copy["sections"]]
    assert keys == ["account", "referrals", "acting_for", "feedback", "concerns", "emails", "audit"]
    assert section(copy, "acting_for")["records"][0]["scopes"] == [
        "see the meal schedule",
        "update their details and needs",
    ]
    assert section(copy, "referrals")["records"][0]["status"] == "Accepted"
    # The diner's names are taken out of what we emailed: the copy is the referrer's, not Edie's.
    assert (
        section(copy, "emails")["records"][0]["subject"]
        == "Casserole: we have your request for [someone else’s name removed]"
    )
    body = json.dumps(copy)
    assert "Edith" not in body and "Mare Street" not in body


def test_someone_who_cooks_and_asks_for_meals_gets_both_in_one_copy(login_as, match, referrer):
    referrer.is_cook = True
    referrer.save(update_fields=["is_cook"])
    keys = [s["key"] for s in collector.own_copy(referrer)["sections"]]
    assert "cook_profile" in keys and "referrals" in keys and "acting_for" in keys


# What a copy never holds -----------------------------------------------------------------------------------


def test_a_copy_never_holds_images_tokens_secrets_or_others_details(login_as, match, coordinator_a):
    cook, diner = match.cook, match.diner
    history(match, 1)
    IdentityCheck.objects.create(
        cook=cook,
        method=IdentityCheck.Method.PHOTO,
        document_type=IdentityCheck.DocumentType.PASSPORT,
        image_name="identity/secret-photo-5f2e.jpg",
        stripe_session_id="vs_secret_session_42",
    )
    CalendarFeed.objects.create(cook=cook, token=FEED_TOKEN)
    Invitation.objects.create(
        email=cook.email,
        full_name="Cathy Cook",
        area=diner.area,
        invited_by=coordinator_a,
        token_hash=hash_token(INVITATION_TOKEN),
        expires_at=timezone.now() + timedelta(days=7),
    )
    device = add_totp(cook)
    OutboundEmail.objects.create(
        to=cook.email,
        subject="Casserole: you are invited to coordinate Area A",
        body=f"Ada Coordinator invited you.\nhttps://casserole.example/en/account/invitation/{INVITATION_TOKEN}/\n",
    )
    OutboundEmail.objects.create(
        to=cook.email,
        subject="Casserole: your password reset code",
        body=f"Type this code:\n\n{RESET_CODE}\n\nYour calendar: https://casserole.example/en/calendar/{FEED_TOKEN}.ics",
    )
    Concern.objects.create(
        diner=diner,
        level=Concern.Level.WORRIED,
        text="Edie's daughter Sarah Bennett (07911 123456, sarah@example.org) says she is low.",
        raised_by=cook,
    )
    body = login_as(cook).get("/en/my-data/download/").content.decode()
    cook.refresh_from_db()
    secrets = [
        "secret-photo",
        "vs_secret_session_42",
        FEED_TOKEN,
        INVITATION_TOKEN,
        hash_token(INVITATION_TOKEN),
        cook.password,
        device.key,
        RESET_CODE,
    ]
    others = [
        "Edith",
        "O'Brien",
        "O\\u2019Brien",
        "Edie",
        "12 Mare Street",
        "Sarah Bennett",
        "07911 123456",
        "+447911123456",
        "sarah@example.org",
        "Rita",
        "referrer@example.org",
        "Ada Coordinator",
        "coord-a@example.org",
        "Key safe",  # Edie's access notes
        "Kiwi",  # Edie's allergies
    ]
    for text in secrets + others:
        assert text not in body, text
    copy = json.loads(body)
    assert "Cathy Cook" in body  # their own name is theirs
    assert section(copy, "identity_checks")["records"][-1]["document_type"] == "Passport"
    assert section(copy, "calendar_feed")["records"][0]["created_at"]
    assert section(copy, "concerns")["records"][-1]["text"] == (
        "[someone else’s name removed]'s daughter [someone else’s name removed] ([contact details removed], "
        "[contact details removed]) says she is low."
    )
    assert section(copy, "emails")["records"][-1]["body"] == (
        "Type this code:\n\n[code removed]\n\nYour calendar: [link removed]"
    )


def test_cooks_copy_leaves_out_the_diners_wellbeing(match):
    history(match, 1)
    visits = section(collector.cook_copy(match.cook), "visits")
    assert "wellbeing" not in visits["records"][0]
    assert visits["records"][0]["minutes_stayed"] == 30


def test_redactor_takes_out_japanese_names_wherever_they_appear_and_keeps_dates():
    redactor = Redactor(["山田 花子", "Mo Matched"], keep=["Mo"])
    assert redactor.text("花子さんは元気でした。2026-11-20 に訪問。") == (
        "[someone else’s name removed]さんは元気でした。2026-11-20 に訪問。"
    )
    # "Mo" is kept (the copy's own person); "Matched" is removed only as a whole word.
    assert redactor.text("Mo came; Matched too, on Monday; unmatched") == (
        "Mo came; [someone else’s name removed] too, on Monday; unmatched"
    )


# A diner's, made by their coordinator -------------------------------------------------------------------------


def test_coordinator_produces_a_diners_copy_and_it_is_audited(login_as, match, coordinator_a):
    history(match, 2)
    client = login_as(coordinator_a)
    response = client.get(f"/en/coordinator/diners/{match.diner.pk}/data-copy/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "A copy of the information we hold about Edie" in html
    assert f'href="/en/coordinator/diners/{match.diner.pk}/data-copy/download/"' in html
    entry = AuditEntry.objects.filter(action=audit.Action.DATA_COPY_PRODUCED).get()
    assert (entry.actor, entry.object_type, entry.object_id) == (coordinator_a, "meals.diner", str(match.diner.pk))
    assert entry.area == match.diner.area

    response = client.get(f"/en/coordinator/diners/{match.diner.pk}/data-copy/download/")
    assert response["Content-Disposition"].startswith(f'attachment; filename="casserole-diner-{match.diner.pk}-')
    copy = as_json(response)
    assert copy["kind"] == "diner"
    assert [s["key"] for s in copy["sections"]] == [
        "details",
        "agreements",
        "referrals",
        "acting_for",
        "matches",
        "meals",
        "visits",
        "feedback",
        "concerns",
        "loneliness",
        "texts",
        "audit",
    ]
    details = section(copy, "details")["records"][0]
    assert (details["full_name"], details["postcode"], details["allergy_notes"]) == (
        "Edith O'Brien",
        "E8 1DY",
        "Kiwi fruit",
    )
    assert details["emergency_contact"] == "Daughter"
    assert len(section(copy, "meals")["records"]) == 2
    assert section(copy, "visits")["records"][0]["wellbeing"] == ["Health: As usual"]
    assert section(copy, "loneliness")["records"][0]["answers"][0] == (
        "How often do you feel that you lack companionship? – Hardly ever or never"
    )
    assert section(copy, "feedback")["records"][0]["given_by"] == "Someone acting for you"
    trail = section(copy, "audit")["records"]
    assert [row["what"] for row in trail[-2:]] == ["Copy of the information we hold made for them"] * 2
    assert {row["who"] for row in trail[-2:]} == {"A coordinator"}
    body = json.dumps(copy)
    for text in ("Cathy", "Rita", "Ada", "Sarah Bennett", "+447911123456", "cook@example.org"):
        assert text not in body, text


def test_diners_copy_shows_a_concern_the_cook_raised_without_their_name(match):
    Concern.objects.create(
        diner=match.diner,
        level=Concern.Level.WORRIED,
        text="Edie seemed low. Cathy will ring Sarah Bennett on +447911123456.",
        raised_by=match.cook,
        closing_notes="Ada Coordinator phoned Edie: all well.",
    )
    concern = section(collector.diner_copy(match.diner), "concerns")["records"][0]
    assert concern["raised_by"] == "A cook"
    assert concern["text"] == (
        "Edie seemed low. [someone else’s name removed] will ring [someone else’s name removed] on "
        "[contact details removed]."
    )
    assert concern["closing_notes"] == "[someone else’s name removed] phoned Edie: all well."


def test_link_on_the_diners_record_goes_to_the_copy_in_their_language(login_as, match, coordinator_a):
    match.diner.preferred_language = "ja"
    match.diner.save(update_fields=["preferred_language"])
    client = login_as(coordinator_a)
    html = client.get(f"/en/coordinator/diners/{match.diner.pk}/").content.decode()
    assert f'href="/ja/coordinator/diners/{match.diner.pk}/data-copy/"' in html
    # In English, the page says the diner's own language is the other one, and links to it.
    html = client.get(f"/en/coordinator/diners/{match.diner.pk}/data-copy/").content.decode()
    assert 'id="their-language"' in html
    assert f'href="/ja/coordinator/diners/{match.diner.pk}/data-copy/"' in html
    html = client.get(f"/ja/coordinator/diners/{match.diner.pk}/data-copy/").content.decode()
    assert '<html lang="ja"' in html and 'id="their-language"' not in html


def test_another_areas_coordinator_cannot_know_the_diner_exists(login_as, match, coordinator_b):
    client = login_as(coordinator_b)
    for path in ("data-copy/", "data-copy/download/"):
        assert client.get(f"/en/coordinator/diners/{match.diner.pk}/{path}").status_code == 404
    assert not AuditEntry.objects.filter(action=audit.Action.DATA_COPY_PRODUCED).exists()


def test_a_cook_cannot_produce_a_diners_copy(login_as, match):
    assert login_as(match.cook).get(f"/en/coordinator/diners/{match.diner.pk}/data-copy/").status_code == 403


# A diner's, made by a referrer acting for them ----------------------------------------------------------------


def test_referrer_who_may_see_the_diners_details_gets_their_copy(login_as, match, referrer):
    client = login_as(referrer)
    html = client.get(f"/en/diners/{match.diner.pk}/data-copy/").content.decode()
    assert "You are acting for" in html
    copy = as_json(client.get(f"/en/diners/{match.diner.pk}/data-copy/download/"))
    assert section(copy, "details")["records"][0]["full_name"] == "Edith O'Brien"
    entries = AuditEntry.objects.filter(action=audit.Action.DATA_COPY_PRODUCED, actor=referrer)
    assert entries.count() == 2
    assert (
        f'href="/en/diners/{match.diner.pk}/data-copy/"' in client.get(f"/en/diners/{match.diner.pk}/").content.decode()
    )


def test_referrer_without_the_details_scope_is_refused(login_as, match, referrer):
    ProxyAccess.objects.filter(referrer=referrer).update(can_edit_details=False)
    client = login_as(referrer)
    assert client.get(f"/en/diners/{match.diner.pk}/data-copy/").status_code == 403
    assert client.get(f"/en/diners/{match.diner.pk}/data-copy/download/").status_code == 403


def test_someone_not_acting_for_the_diner_gets_404(login_as, match):
    assert login_as(match.cook).get(f"/en/diners/{match.diner.pk}/data-copy/").status_code == 404


# A cook's, made by their coordinator ---------------------------------------------------------------------------


def test_coordinator_produces_a_cooks_copy(login_as, match, coordinator_a, coordinator_b):
    history(match, 1)
    client = login_as(coordinator_a)
    html = client.get(f"/en/coordinator/cooks/{match.cook.pk}/").content.decode()
    assert f'href="/en/coordinator/cooks/{match.cook.pk}/data-copy/"' in html
    copy = as_json(client.get(f"/en/coordinator/cooks/{match.cook.pk}/data-copy/download/"))
    assert copy["kind"] == "cook"
    assert section(copy, "account")["records"][0]["full_name"] == "Cathy Cook"
    assert client.get(f"/en/coordinator/cooks/{match.cook.pk}/data-copy/").status_code == 200
    entry = AuditEntry.objects.filter(action=audit.Action.DATA_COPY_PRODUCED).first()
    assert (entry.actor, entry.object_type, entry.object_id) == (coordinator_a, "accounts.user", str(match.cook.pk))
    assert login_as(coordinator_b).get(f"/en/coordinator/cooks/{match.cook.pk}/data-copy/").status_code == 404


# Query counts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 20])
def test_cooks_copy_takes_the_same_queries_whatever_the_history(django_assert_num_queries, match, n):
    history(match, n)
    cook = type(match.cook).objects.get(pk=match.cook.pk)
    # Matches (with diners), meals (with matches and diners), the area's coordinators, the home area, the
    # profile, moves, identity checks, course attempts (with courses), certificates (with courses), visits
    # (with meals), feedback, concerns, the calendar feed, emails, the audit trail (with actors).
    with django_assert_num_queries(15):
        copy = collector.cook_copy(cook)
    assert len(section(copy, "meals")["records"]) == n
    assert len(section(copy, "visits")["records"]) == n
    assert len([e for e in section(copy, "emails")["records"] if "your meal for" in e["subject"]]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_referrers_copy_takes_the_same_queries_whatever_the_history(django_assert_num_queries, match, referrer, n):
    history(match, n)
    referrer = type(referrer).objects.get(pk=referrer.pk)
    # Requests (with diners), accesses (with diners and reminder choices), the cooks of those diners, the
    # area's coordinators, the home area, feedback, concerns, emails, the audit trail (with actors).
    with django_assert_num_queries(9):
        copy = collector.referrer_copy(referrer)
    assert len(section(copy, "feedback")["records"]) == n
    assert len(section(copy, "emails")["records"]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_diners_copy_takes_the_same_queries_whatever_the_history(django_assert_num_queries, match, n):
    history(match, n)
    diner = type(match.diner).objects.select_related("area").get(pk=match.diner.pk)
    # Requests (with referrers), accesses (with referrers), matches (with cooks), watch recipients, concerns
    # (with the people who raised, acknowledged and closed them), the area's coordinators, the loneliness
    # agreement, consent withdrawals, meals, visits (with meals), feedback (with who gave it), loneliness
    # answers (with who asked), texts, the audit trail (with actors).
    with django_assert_num_queries(14):
        copy = collector.diner_copy(diner)
    for key in ("meals", "visits", "feedback", "concerns", "loneliness", "texts"):
        assert len(section(copy, key)["records"]) == n, key
    assert len(section(copy, "audit")["records"]) >= n
