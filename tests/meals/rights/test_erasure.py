"""Erasing a cook and a diner (meals.rights.erasure): afterwards their name, email, phone and address are in
no column of any table, in no coordinator search, in no export, in no queued email; the impact figures are
the same; the cook cannot sign in and their email address can sign up again. An open concern is held back."""

import json
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.onboarding.models import CookMove, CookProfile
from accounts.people.models import Invitation, User
from casserole import audit
from casserole.models import AuditEntry, OutboundEmail, OutboundText
from casserole.retention import ERASED, ErasureReason
from meals.callbacks.models import CallbackRequest
from meals.diners.models import Diner, ProxyAccess
from meals.diners.services import change_diner_status
from meals.impact.selectors import impact_figures, match_rows
from meals.matching.models import Match, MatchChangeRequest
from meals.referrals.models import AreaWaitlistEntry, ReferralDraft
from meals.relationships.models import (
    Concern,
    DoorCase,
    DoorCaseStep,
    Feedback,
    LonelinessMeasure,
    MatchNote,
    Visit,
    WatchRecipient,
)
from meals.rights.erasure import erase_diner, erase_user
from meals.schedule.models import CalendarFeed, Meal, MealRemindersConsent
from meals.workspace.selectors import search_people
from tests.conftest import is_signed_in, sign_in
from tests.factories import (
    PASSWORD,
    CookProfileFactory,
    DinerFactory,
    IdentityCheckFactory,
    MatchFactory,
    ReferralFactory,
    add_totp,
)
from tests.meals.impact.conftest import PERIOD, PERIOD_QUERY, at, build_club

pytestmark = pytest.mark.django_db

COOK = {
    "full_name": "Zebedee Quartermaine",
    "email": "zebedee.q@example.org",
    "phone": "+447700900123",
    "address_line1": "7 Quillfeather Lane",
    "postcode": "E8 4QZ",
    "move_line1": "9 Winterbourne Road",
    "move_postcode": "E8 2WB",
}
DINER = {
    "full_name": "Philippa Wrenfield-Osei",
    "preferred_name": "Pippa",
    "phone": "+442071110222",
    "address_line1": "3 Juniper Row",
    "address_line2": "Flat 9 Oakhurst",
    "postcode": "E9 7XQ",
    "emergency_name": "Gideon Osei",
    "emergency_phone": "+447911000333",
    "watcher_email": "gideon.osei@example.net",
}


def everywhere(*needles: str) -> dict[str, list[str]]:
    """Every text, character and JSON column of every model that holds one of `needles` (any case)."""
    found: dict[str, list[str]] = {}
    lowered = [needle.lower() for needle in needles]
    for model in apps.get_models():
        columns = [
            column.attname
            for column in model._meta.concrete_fields
            if isinstance(column, models.CharField | models.TextField | models.JSONField)
            and not isinstance(column, models.GeneratedField)
        ]
        if not columns:
            continue
        for row in model._default_manager.values_list(*columns):
            for column, value in zip(columns, row, strict=True):
                text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
                if text and any(needle in text.lower() for needle in lowered):
                    found.setdefault(f"{model._meta.label_lower}.{column}", []).append(text)
    return found


@pytest.fixture
def world(area_a, course, coordinator_a, referrer):
    """Area A's club (tests/meals/impact/conftest.py, every figure worked out), in which the cook c5 and the
    diner d5 (an ended match, meals, visits, feedback, loneliness answers, a concern) get names and details
    of their own, written on every kind of row there is; then both are closed."""
    club = build_club(area_a, course)
    cook, diner, match = club.cooks["c5"], club.diners["d5"], club.matches["m5"]
    User.objects.filter(pk=cook.pk).update(full_name=COOK["full_name"], email=COOK["email"], phone=COOK["phone"])
    cook.refresh_from_db()
    cook.emailaddress_set.update(email=COOK["email"])
    profile = CookProfile.objects.get(user=cook)
    CookProfile.objects.filter(pk=profile.pk).update(
        address_line1=COOK["address_line1"], postcode=COOK["postcode"], note_for_diners="Zebedee here!"
    )
    CookMove.objects.create(
        profile=profile,
        country="GB",
        address_line1=COOK["move_line1"],
        postcode=COOK["move_postcode"],
        latitude=51.55,
        longitude=-0.05,
        location_source="offline",
        distance_km=4.0,
        outcome=CookMove.Outcome.DECLINED,
    )
    IdentityCheckFactory(cook=cook, reason="Zebedee Quartermaine: the photo was blurry", stripe_session_id="cs_1")
    add_totp(cook)
    CalendarFeed.objects.create(cook=cook, token="t" * 64)
    Invitation.objects.create(
        email=COOK["email"],
        full_name=COOK["full_name"],
        area=area_a,
        token_hash="h" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    AreaWaitlistEntry.objects.create(name=COOK["full_name"], contact=COOK["email"], country="GB", postcode="E8 4QZ")

    Diner.objects.filter(pk=diner.pk).update(
        full_name=DINER["full_name"],
        preferred_name=DINER["preferred_name"],
        phone=DINER["phone"],
        address_line1=DINER["address_line1"],
        address_line2=DINER["address_line2"],
        postcode=DINER["postcode"],
        emergency_name=DINER["emergency_name"],
        emergency_phone=DINER["emergency_phone"],
        access_notes="Key safe, ask for Pippa",
        allergy_notes="Kiwi",
        door_notes="Ring twice for Pippa",
        latitude=51.54,
        longitude=-0.04,
    )
    diner.refresh_from_db()
    referral = ReferralFactory(
        diner=diner, referrer=None, referrer_name="Gideon Osei", referrer_phone=DINER["emergency_phone"]
    )
    ReferralDraft.objects.create(
        owner=referrer,
        referral=referral,
        data={"full_name": DINER["full_name"], "phone": DINER["phone"]},
        submission_key=uuid.uuid4(),
    )
    proxy = ProxyAccess.objects.create(diner=diner, referrer=referrer)
    MealRemindersConsent.objects.create(proxy=proxy)
    Match.objects.filter(pk=match.pk).update(message="Zebedee would love to cook for Pippa", reason="Pippa moved")
    MatchChangeRequest.objects.create(
        match=match, kind="end", requested_by=cook, reason="Zebedee is moving away", resolved_at=timezone.now()
    )
    Meal.objects.filter(match=match).update(cancel_note="Pippa was away")
    Visit.objects.filter(match=match).update(note="Pippa was cheerful", wellbeing_notes={"health": "Pippa’s knee"})
    Feedback.objects.filter(match=match).update(changes="Pippa would like less salt, says Zebedee")
    LonelinessMeasure.objects.filter(diner=diner).update(answers={"often_lonely": "some_of_the_time"})
    Concern.objects.filter(diner=diner).update(text="Pippa seemed confused", closing_notes="Called Gideon Osei")
    MatchNote.objects.create(match=match, text="Pippa loves crosswords")
    door_meal = Meal.objects.create(
        match=match, cook=cook, starts_at=at(2025, 5, 20), ends_at=at(2025, 5, 20, 13, 30), dish="Soup"
    )
    door_visit = Visit.objects.create(meal=door_meal, match=match, outcome=Visit.Outcome.NO_ANSWER)
    case = DoorCase.objects.create(
        visit=door_visit, diner=diner, closed_at=at(2025, 5, 20, 15), outcome="was_out", outcome_note="Pippa was out"
    )
    text = OutboundText.objects.create(to=DINER["emergency_phone"], body="No answer at Pippa’s door", status="sent")
    DoorCaseStep.objects.create(case=case, kind="emergency_contact_told", note="Texted Gideon Osei", text=text)
    WatchRecipient.objects.create(
        diner=diner, name=DINER["emergency_name"], email=DINER["watcher_email"], approved_channel="phone"
    )
    CallbackRequest.objects.create(
        area=area_a,
        name=DINER["emergency_name"],
        phone=DINER["emergency_phone"],
        for_whom="someone_else",
        diner_name="Pippa",
        country="GB",
        postcode="E9 7XQ",
        best_time="any",
        language="en",
    )

    # Messages: to them, about them, sent and still queued.
    OutboundEmail.objects.create(to=COOK["email"], subject="Your certificate", body="Dear Zebedee", status="queued")
    OutboundEmail.objects.create(to=COOK["email"], subject="Welcome, Zebedee Quartermaine", body="", status="sent")
    other = OutboundEmail.objects.create(to="coord-a@example.org", subject="Pippa’s meal moved", body="Pippa …")
    OutboundEmail.objects.create(to=DINER["watcher_email"], subject="This week’s visits", body="", status="sent")
    unrelated = OutboundEmail.objects.create(to="someone@example.org", subject="Your referral", body="Hello Al")

    # The audit log and the admin's log: by them, about them, naming them.
    audit.record(action=audit.Action.SIGNED_IN, actor=cook, obj=cook)
    audit.record(action=audit.Action.SIGN_IN_FAILED, actor_label=COOK["email"])
    audit.record(action=audit.Action.DINER_RECORD_VIEWED, actor=coordinator_a, obj=diner, area=area_a)
    audit.record(action=audit.Action.MATCH_ENDED, actor=coordinator_a, obj=match, detail={"reason": "Pippa moved"})
    LogEntry.objects.create(
        user=coordinator_a,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(cook.pk),
        object_repr=COOK["full_name"],
        action_flag=CHANGE,
        change_message="[]",
    )

    # Both leave: the cook closes the account, the coordinator closes the diner's record.
    User.objects.filter(pk=cook.pk).update(closed_at=timezone.now(), is_active=False)
    change_diner_status(by=coordinator_a, diner=diner, action="close", reason="Moved in with Gideon Osei")
    cook.refresh_from_db()
    diner.refresh_from_db()
    return {"club": club, "cook": cook, "diner": diner, "queued_other": other, "unrelated": unrelated}


def test_after_erasure_nothing_anywhere_names_the_cook_or_the_diner(world, coordinator_a):
    cook, diner = world["cook"], world["diner"]
    assert everywhere(*COOK.values())  # the fixture really wrote them
    assert everywhere(*DINER.values())

    erased_cook = erase_user(user=cook, by=None, reason=ErasureReason.RETENTION)
    erased_diner = erase_diner(diner=diner, by=coordinator_a, reason=ErasureReason.REQUEST)

    assert everywhere(*COOK.values()) == {}
    assert everywhere(*DINER.values()) == {}
    assert erased_diner.held_back == 0
    assert erased_cook.counts["account"] and erased_cook.counts["identity_checks"] == 1
    assert erased_diner.counts["diner"] == 1 and erased_diner.counts["loneliness"] == 2
    # Nor in the coordinator's search.
    areas = [diner.area]
    for text in (*COOK.values(), *DINER.values()):
        found = search_people(areas, text)
        assert found.cooks == [] and found.diners == [], text


def test_what_stays_is_counts_dates_statuses_and_links(world):
    cook, diner = world["cook"], world["diner"]
    erase_user(user=cook, by=None, reason=ErasureReason.RETENTION)
    erase_diner(diner=diner, by=None, reason=ErasureReason.RETENTION)

    diner.refresh_from_db()
    assert diner.full_name == diner.preferred_name == ERASED
    assert (diner.address_line1, diner.postcode, diner.phone, diner.latitude, diner.cell_latitude) == (
        "",
        "",
        "",
        None,
        None,
    )
    assert diner.status == Diner.Status.CLOSED and diner.area_id is not None
    assert diner.matches.get().status == Match.Status.ENDED
    assert Visit.objects.filter(match__diner=diner).exclude(minutes_stayed=None).count() == 3
    assert set(LonelinessMeasure.objects.filter(diner=diner).values_list("score", flat=True)) == {6, 7}
    assert not ProxyAccess.objects.filter(diner=diner).exists()
    assert not MatchNote.objects.filter(match__diner=diner).exists()
    cook.refresh_from_db()
    assert cook.full_name == ERASED and cook.email == f"erased-{cook.pk}@erased.invalid"
    assert not cook.has_usable_password() and not cook.is_active
    assert cook.is_cook and cook.home_area_id is not None
    assert not cook.emailaddress_set.exists() and not cook.totpdevice_set.exists()
    assert not CalendarFeed.objects.filter(cook=cook).exists()
    assert cook.certificates.get().revoked_at is not None
    check = cook.identity_checks.get()
    assert (check.status, check.document_type, check.reason, check.stripe_session_id) == (
        "approved",
        "passport",
        "",
        None,
    )
    # The audit log keeps what happened (the impact figures count approvals from it), not who.
    approval = AuditEntry.objects.get(action="cook_approved", object_id=str(cook.cook_profile.pk))
    assert approval.object_type == "accounts.cookprofile"
    assert AuditEntry.objects.filter(action="user_erased", object_id=str(cook.pk), actor_label="system").exists()
    erased = AuditEntry.objects.get(action="diner_erased", object_id=str(diner.pk))
    assert erased.detail["reason"] == "retention" and erased.detail["counts"]["diner"] == 1


def test_queued_emails_naming_them_are_cancelled_and_others_go(world):
    erase_user(user=world["cook"], by=None, reason=ErasureReason.RETENTION)
    erase_diner(diner=world["diner"], by=None, reason=ErasureReason.RETENTION)

    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).get() == world["unrelated"]
    cancelled = OutboundEmail.objects.get(pk=world["queued_other"].pk)
    assert cancelled.status == OutboundEmail.Status.FAILED
    assert (cancelled.to, cancelled.subject, cancelled.body) == ("", "", "")
    assert OutboundText.objects.get().to == ""


def test_impact_figures_and_exports_are_the_same_before_and_after(world, area_a, login_as, coordinator_a):
    before = impact_figures([area_a.pk], PERIOD)
    rows_before = match_rows([area_a], PERIOD, language="en")
    assert not before.meals_shared.hidden and before.meals_shared.value == 20  # a real club, not all hidden
    client = login_as(coordinator_a)
    csv_before = client.get(f"/en/coordinator/impact/figures.csv?{PERIOD_QUERY}").content

    erase_user(user=world["cook"], by=None, reason=ErasureReason.RETENTION)
    erase_diner(diner=world["diner"], by=None, reason=ErasureReason.RETENTION)

    assert impact_figures([area_a.pk], PERIOD) == before
    assert match_rows([area_a], PERIOD, language="en") == rows_before
    for path in ("figures.csv", "matches.csv"):
        exported = client.get(f"/en/coordinator/impact/{path}?{PERIOD_QUERY}").content.decode()
        assert not any(value.lower() in exported.lower() for value in (*COOK.values(), *DINER.values()))
    assert client.get(f"/en/coordinator/impact/figures.csv?{PERIOD_QUERY}").content == csv_before


def test_an_erased_cook_cannot_sign_in_and_their_email_signs_up_again(world, django_capture_on_commit_callbacks):
    cook = world["cook"]
    User.objects.filter(pk=cook.pk).update(is_active=True, closed_at=None)  # even were it still open
    open_session = Client()
    open_session.force_login(cook)

    erase_user(user=cook, by=None, reason=ErasureReason.REQUEST)

    assert open_session.get("/en/").wsgi_request.user.is_anonymous
    client = Client()
    sign_in(client, COOK["email"], PASSWORD)
    assert not is_signed_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/accounts/signup/",
            {
                "full_name": "Zeb Newcomer",
                "email": COOK["email"],
                "password1": "plum crumble on a wet tuesday",
                "password2": "plum crumble on a wet tuesday",
                "roles": ["cook"],
            },
        )
    assert response.status_code == 302
    again = User.objects.get(email=COOK["email"])
    assert again.pk != cook.pk and again.full_name == "Zeb Newcomer"


def test_erasing_twice_changes_nothing_more(world):
    cook, diner = world["cook"], world["diner"]
    erase_user(user=cook, by=None, reason=ErasureReason.RETENTION)
    erase_diner(diner=diner, by=None, reason=ErasureReason.RETENTION)
    entries = AuditEntry.objects.count()

    again_cook = erase_user(user=cook, by=None, reason=ErasureReason.RETENTION)
    again_diner = erase_diner(diner=diner, by=None, reason=ErasureReason.RETENTION)

    assert again_cook.already and again_cook.changed == 0
    assert again_diner.changed == 0 and again_diner.held_back == 0
    assert AuditEntry.objects.count() == entries


def test_an_open_concern_is_held_back_until_it_is_closed(area_a, coordinator_a):
    diner = DinerFactory(area=area_a, full_name="Olwen Tregarthen", status=Diner.Status.CLOSED)
    open_concern = Concern.objects.create(diner=diner, level="worried", text="Olwen had a fall")
    closed = Concern.objects.create(
        diner=diner, level="information", text="Olwen was low", status="closed", closed_at=timezone.now()
    )

    erasure = erase_diner(diner=diner, by=None, reason=ErasureReason.RETENTION)

    assert erasure.held_back == 1
    open_concern.refresh_from_db()
    closed.refresh_from_db()
    assert open_concern.text == "Olwen had a fall" and closed.text == ""
    assert AuditEntry.objects.filter(action="erasure_held_back", object_id=str(diner.pk)).count() == 1

    Concern.objects.filter(pk=open_concern.pk).update(status="closed", closed_at=timezone.now())
    later = erase_diner(diner=diner, by=None, reason=ErasureReason.RETENTION)

    open_concern.refresh_from_db()
    assert open_concern.text == "" and later.counts["concerns"] == 1 and later.held_back == 0


def _erase_counting_queries(area, cook, meals: int) -> int:
    diner = DinerFactory(area=area, status=Diner.Status.CLOSED, phone="+442071230000")
    match = MatchFactory(diner=diner, cook=cook, status=Match.Status.ENDED)
    for day in range(meals):
        starts = at(2025, 3, 1) + timedelta(days=day)
        meal = Meal.objects.create(
            match=match, cook=cook, starts_at=starts, ends_at=starts + timedelta(hours=1), dish="Pie"
        )
        Visit.objects.create(meal=meal, match=match, outcome="delivered", note=f"Visit {day}")
        audit.record(action=audit.Action.MEAL_PROPOSED, obj=meal, detail={"dish": "Pie", "meal": meal.pk})
    with CaptureQueriesContext(connection) as queries:
        erase_diner(diner=diner, by=None, reason=ErasureReason.RETENTION)
    return len(queries)


def test_erasing_a_diner_takes_as_many_queries_with_1_meal_as_with_20(area_a):
    cook = CookProfileFactory().user
    # The diner's rows are found and changed by one query per kind, however many there are, and the audit
    # entries about them (one per meal here) are rewritten in one query.
    assert _erase_counting_queries(area_a, cook, 1) == _erase_counting_queries(area_a, cook, 20)


@pytest.mark.parametrize(("language", "shown"), [("en", "[erased]"), ("ja", "（消去済み）")])
def test_pages_show_the_erased_placeholder_in_the_readers_language(world, login_as, coordinator_a, language, shown):
    """What an erased name is stored as ("[erased]") reads in the page's language on the diner's record
    and the match's page, and neither the diner's nor the cook's name (casserole.names) gets an
    honorific: nobody is left to address."""
    erase_user(user=world["cook"], by=None, reason=ErasureReason.RETENTION)
    erase_diner(diner=world["diner"], by=coordinator_a, reason=ErasureReason.REQUEST)
    client = login_as(coordinator_a)
    record = client.get(f"/{language}/coordinator/diners/{world['diner'].pk}/").content.decode()
    match = client.get(f"/{language}/coordinator/matches/{world['club'].matches['m5'].pk}/").content.decode()
    for html in (record, match):
        assert f"<bdi>{shown}</bdi>" in html
    if language == "ja":
        assert ERASED not in record and ERASED not in match
        assert f"{shown}さん" not in record and f"{shown}さん" not in match
        assert f"<title>{shown}と{shown} – " in match  # the cook and the diner, in the page's title
