"""The Django admin: every model of our four apps is there for an admin who has passed the second factor,
with its list and its page working; rows whose changes have rules are view-only (changes go through
the services); identity photos and sensitive words are never shown; nobody else gets in."""

import uuid
from datetime import date, time, timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import timezone

from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck, StripeEvent
from accounts.people.models import CoordinatorMembership, Invitation
from casserole import audit
from casserole.admin import ViewOnlyAdmin
from casserole.models import AuditEntry, OutboundEmail, OutboundText, PostcodeCentroid
from meals.admin import DINER_PRIVATE_FIELDS
from meals.callbacks.models import CallbackRequest
from meals.diners.models import Diner
from meals.matching.models import Match, MatchChangeRequest
from meals.referrals.models import AreaWaitlistEntry, ReferralDraft
from meals.relationships.models import (
    Concern,
    DoorCase,
    DoorCaseStep,
    Feedback,
    FeedbackAsk,
    LonelinessMeasure,
    MatchNote,
    MeasureConsent,
    Visit,
    VisitReminder,
    WatchRecipient,
    WatchReport,
)
from meals.rights.models import ConsentWithdrawal, ErasureRequest
from meals.schedule.models import CalendarFeed, Meal, MealReminder, MealRemindersConsent, MealSeries
from meals.schedule.rollup import FirstSharedMeal, SharedMealMonth
from meals.signposting.models import OnwardReferral, SupportService
from tests.conftest import sign_in
from tests.factories import (
    PASSWORD,
    CookProfileFactory,
    DinerFactory,
    IdentityCheckFactory,
    MatchFactory,
    ProxyAccessFactory,
    ReferralFactory,
    UserFactory,
    add_totp,
    loaded_course,
)
from training.models import Attempt, AttemptQuestion, Certificate, CertificateNotice, LessonProgress

pytestmark = pytest.mark.django_db

OUR_APPS = ("casserole", "accounts", "training", "meals")
# Written into every field the admin must never show: no admin page may contain it.
PRIVATE = "zqx-private"
IMAGE_NAME = "identity/3f9c-zqx-photo.jpg"
# Fields that record a decision or a state: never a form input on any admin page of ours.
STATE_FIELDS = (
    "status",
    "outcome",
    "decided_by",
    "decided_at",
    "passed",
    "score",
    "revoked_at",
    "handled_at",
    "closed_at",
    "acknowledged_at",
    "accepted_at",
    "action",
    "actor",
)
# Models an admin may edit: the people (roles and activation are audited by UserAdmin), the areas
# and the offline geocoder's table. Everything else is view-only or has every field read-only.
EDITABLE = {"accounts.user", "accounts.area", "casserole.postcodecentroid"}


def our_models():
    return [model for app in OUR_APPS for model in apps.get_app_config(app).get_models()]


def admin_url(obj, page: str = "change") -> str:
    meta = obj._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/{page}/"


def changelist_url(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


@pytest.fixture
def one_of_each(area_a, cook, referrer, coordinator_a, admin_user):
    """A row of every model of our apps, sensitive fields filled with PRIVATE."""
    now = timezone.now()
    rows = {}

    def add(row):
        rows[type(row)] = row
        return row

    add(area_a)
    add(cook)
    profile = add(CookProfileFactory(user=cook))
    add(CoordinatorMembership.objects.get(user=coordinator_a))
    add(
        Invitation.objects.create(
            email="new@example.org",
            full_name="New Coordinator",
            area=area_a,
            invited_by=coordinator_a,
            token_hash="0" * 64,
            expires_at=now + timedelta(days=7),
        )
    )
    add(
        IdentityCheckFactory(
            cook=cook,
            method=IdentityCheck.Method.PHOTO,
            status=IdentityCheck.Status.PENDING,
            decided_at=None,
            image_name=IMAGE_NAME,
        )
    )
    add(StripeEvent.objects.create(event_id="evt_1", event_type="identity.verification_session.verified", created=1))
    add(
        CookMove.objects.create(
            profile=profile,
            country="GB",
            address_line1="2 Mare Street",
            postcode="E8 1DY",
            latitude=51.54,
            longitude=-0.05,
            location_source="postcode",
            distance_km=0.5,
        )
    )

    course = loaded_course()
    rows[type(course)] = course
    lesson = add(course.lessons.order_by("order").first())
    question = add(lesson.questions.first())
    add(LessonProgress.objects.create(user=cook, lesson=lesson))
    attempt = add(Attempt.objects.create(user=cook, course=course, total=1, score=1, passed=True, submitted_at=now))
    add(AttemptQuestion.objects.create(attempt=attempt, question=question, position=1, chosen=0, is_correct=True))
    certificate = add(
        Certificate.objects.create(
            user=cook, course=course, attempt=attempt, code="ABCD-EFGH", expires_at=now + timedelta(days=365)
        )
    )
    add(CertificateNotice.objects.create(certificate=certificate, kind=CertificateNotice.Kind.DAYS_60))

    add(audit.record(action=audit.Action.ROLE_CHANGED, actor=admin_user, obj=cook, detail={"role": "cook"}))
    add(OutboundEmail.objects.create(to="cook@example.org", subject="Hello", body=PRIVATE, html_body=PRIVATE))
    add(OutboundText.objects.create(to="+447700900123", body=PRIVATE))
    add(
        PostcodeCentroid.objects.create(
            country="GB", prefix="E8", latitude=51.54, longitude=-0.06, place_name="Hackney"
        )
    )

    diner = add(
        DinerFactory(
            area=area_a,
            status=Diner.Status.ACTIVE,
            address_line1=f"12 {PRIVATE} Street",
            phone="+442079460123",
            access_notes=PRIVATE,
            dietary_needs=PRIVATE,
            allergy_notes=PRIVATE,
            door_notes=PRIVATE,
            emergency_name=PRIVATE,
            likes=PRIVATE,
        )
    )
    proxy = add(ProxyAccessFactory(diner=diner, referrer=referrer))
    add(ReferralFactory(diner=diner, referrer=referrer, referrer_phone="+442079460999"))
    add(ReferralDraft.objects.create(owner=referrer, data={"full_name": PRIVATE}, submission_key=uuid.uuid4()))
    add(AreaWaitlistEntry.objects.create(name="Nell", contact="nell@example.org", country="GB", postcode="ZE1 0AA"))
    add(
        CallbackRequest.objects.create(
            area=area_a,
            name="Carl Caller",
            phone="+442079460555",
            for_whom=CallbackRequest.ForWhom.SELF,
            country="GB",
            postcode="E8 1DY",
            address=PRIVATE,
            best_time=CallbackRequest.BestTime.MORNINGS,
            language=CallbackRequest.Language.EN,
            note=PRIVATE,
        )
    )
    match = add(MatchFactory(diner=diner, cook=cook, status=Match.Status.ACTIVE, active_since=now))
    add(
        MatchChangeRequest.objects.create(
            match=match, kind=MatchChangeRequest.Kind.PAUSE, requested_by=cook, reason="Away"
        )
    )
    series = add(
        MealSeries.objects.create(
            match=match,
            repeat="weekly",
            rule="FREQ=WEEKLY",
            starts_on=date(2026, 3, 3),
            start_time=time(12, 30),
            end_time=time(13, 30),
            dish="Fish pie",
        )
    )
    meal = add(
        Meal.objects.create(
            match=match, series=series, cook=cook, starts_at=now - timedelta(days=1), ends_at=now, dish="Fish pie"
        )
    )
    add(MealReminder.objects.create(meal=meal, recipient=cook, kind=MealReminder.Kind.COOK, starts_at=meal.starts_at))
    add(CalendarFeed.objects.create(cook=cook, token=f"{PRIVATE}-token"))
    add(MealRemindersConsent.objects.create(proxy=proxy))
    visit = add(
        Visit.objects.create(
            meal=meal,
            match=match,
            recorded_by=cook,
            outcome=Visit.Outcome.NO_ANSWER,
            wellbeing={"health": "not_usual"},
            wellbeing_notes={"health": PRIVATE},
            note=PRIVATE,
        )
    )
    add(VisitReminder.objects.create(meal=meal))
    add(Concern.objects.create(diner=diner, match=match, level=Concern.Level.WORRIED, text=PRIVATE, raised_by=cook))
    case = add(DoorCase.objects.create(visit=visit, diner=diner, outcome_note=PRIVATE))
    add(DoorCaseStep.objects.create(case=case, kind=DoorCaseStep.Kind.OPENED, note=PRIVATE))
    recipient = add(
        WatchRecipient.objects.create(
            diner=diner,
            name="Wendy Watcher",
            email=f"{PRIVATE}@example.org",
            approved_channel="phone",
            added_by=coordinator_a,
        )
    )
    add(WatchReport.objects.create(recipient=recipient, period="week-2026-W49", visits=1))
    add(
        Feedback.objects.create(match=match, side=Feedback.Side.DINER, occasion="meal-1", friend="yes", changes=PRIVATE)
    )
    add(FeedbackAsk.objects.create(match=match, side=Feedback.Side.COOK, occasion="meal-1", recipient=cook))
    add(
        LonelinessMeasure.objects.create(
            diner=diner, scale=LonelinessMeasure.Scale.ONS, answers={"q1": PRIVATE}, score=7, intake=True
        )
    )
    add(MeasureConsent.objects.create(diner=diner, channel="phone", recorded_by=coordinator_a))
    add(MatchNote.objects.create(match=match, text=PRIVATE, written_by=coordinator_a))
    service = add(
        SupportService.objects.create(
            area=area_a,
            country="GB",
            name="Lunch club",
            categories="|company|",
            suits="|anyone|",
            website="https://a.example/",
        )
    )
    add(OnwardReferral.objects.create(diner=diner, service=service, kind="told", note=PRIVATE, made_by=coordinator_a))
    add(
        ConsentWithdrawal.objects.create(diner=diner, purpose="loneliness", channel="phone", withdrawn_by=coordinator_a)
    )
    add(
        ErasureRequest.objects.create(
            diner=diner, received_at=now, due_by=now + timedelta(days=30), channel="phone", recorded_by=coordinator_a
        )
    )
    add(SharedMealMonth.objects.create(match=match, month=date(2026, 11, 1), meals=3, timed=2, minutes=80))
    add(FirstSharedMeal.objects.create(diner=diner, starts_at=now))
    return rows


def test_every_model_of_our_apps_is_in_the_admin():
    missing = [model._meta.label for model in our_models() if model not in admin.site._registry]
    assert missing == []


def test_every_list_and_page_opens_for_an_admin(one_of_each, login_as, admin_user):
    client = login_as(admin_user)
    assert set(our_models()) <= set(one_of_each), "add a row of the new model to one_of_each"
    statuses = {}
    for model in our_models():
        statuses[f"{model._meta.label} list"] = client.get(changelist_url(model)).status_code
        statuses[f"{model._meta.label} page"] = client.get(admin_url(one_of_each[model])).status_code
    assert {what for what, status in statuses.items() if status != 200} == set()


def test_no_page_shows_an_identity_photo_or_a_private_word(one_of_each, login_as, admin_user):
    client = login_as(admin_user)
    for model in our_models():
        for path in (changelist_url(model), admin_url(one_of_each[model])):
            html = client.get(path).content.decode()
            assert PRIVATE not in html, path
            assert IMAGE_NAME not in html and "image_name" not in html, path
            assert "/photo/" not in html, path


def test_the_identity_check_page_has_no_image_field(one_of_each, login_as, admin_user):
    check = one_of_each[IdentityCheck]
    model_admin = admin.site._registry[IdentityCheck]
    request = login_as(admin_user).get(admin_url(check)).wsgi_request
    assert "image_name" not in model_admin.get_fields(request, check)
    assert "image_name" not in model_admin.get_list_display(request)


def test_no_page_offers_a_state_field_to_edit(one_of_each, login_as, admin_user):
    client = login_as(admin_user)
    offered = []
    for model in our_models():
        html = client.get(admin_url(one_of_each[model])).content.decode()
        offered += [f"{model._meta.label}.{name}" for name in STATE_FIELDS if f'name="{name}"' in html]
    assert offered == []


def test_only_the_configuration_models_can_be_edited_or_added(one_of_each, login_as, admin_user):
    request = login_as(admin_user).get("/admin/").wsgi_request
    editable = set()
    for model in our_models():
        model_admin = admin.site._registry[model]
        obj = one_of_each[model]
        form_fields = set(model_admin.get_fields(request, obj)) - set(model_admin.get_readonly_fields(request, obj))
        if model_admin.has_add_permission(request) or (model_admin.has_change_permission(request, obj) and form_fields):
            editable.add(model._meta.label_lower)
    assert editable == EDITABLE


@pytest.mark.parametrize("model", [Match, Meal, Concern, Visit, Diner, AuditEntry, Certificate], ids=str)
def test_a_view_only_row_refuses_a_post_and_keeps_its_state(one_of_each, login_as, admin_user, model):
    obj = one_of_each[model]
    before = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
    client = login_as(admin_user)
    response = client.post(admin_url(obj), {"status": "ended", "outcome": "delivered", "revoked_at": "2026-01-01"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields} == before
    assert client.get(f"{changelist_url(model)}add/").status_code == 403
    assert client.get(admin_url(obj, "delete")).status_code == 403
    assert 'name="_save"' not in client.get(admin_url(obj)).content.decode()


def test_posting_a_status_to_an_identity_check_changes_nothing(one_of_each, login_as, admin_user):
    check = one_of_each[IdentityCheck]
    login_as(admin_user).post(admin_url(check), {"status": IdentityCheck.Status.APPROVED, "image_name": "x.jpg"})
    check.refresh_from_db()
    assert (check.status, check.image_name, check.decided_by) == (IdentityCheck.Status.PENDING, IMAGE_NAME, None)


def test_posting_a_status_to_a_cook_profile_changes_nothing(one_of_each, login_as, admin_user):
    profile = one_of_each[CookProfile]
    login_as(admin_user).post(admin_url(profile), {"status": CookProfile.Status.ACTIVE})
    profile.refresh_from_db()
    assert profile.status == CookProfile.Status.PENDING


def test_audit_entries_cannot_be_deleted_even_in_bulk(one_of_each, login_as, admin_user):
    entry = one_of_each[AuditEntry]
    client = login_as(admin_user)
    assert client.get(admin_url(entry, "delete")).status_code == 403
    response = client.post(
        changelist_url(AuditEntry), {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert "delete_selected" not in client.get(changelist_url(AuditEntry)).content.decode()


def test_hidden_fields_are_never_listed_filtered_or_searched():
    leaks = []
    for model, model_admin in admin.site._registry.items():
        hidden = set(getattr(model_admin, "hidden_fields", ()))
        if model is IdentityCheck:  # excluded by IdentityCheckAdmin itself
            hidden |= {"image_name"}
        filters = {item[0] if isinstance(item, tuple) else item for item in model_admin.list_filter}
        searched = {name.lstrip("=^@").split("__")[0] for name in model_admin.search_fields}
        shown = set(model_admin.list_display) | filters | searched
        leaks += [f"{model._meta.label}.{name}" for name in hidden & shown]
    assert leaks == []


def test_view_only_admins_hide_what_the_diner_told_us():
    assert set(admin.site._registry[Diner].hidden_fields) == set(DINER_PRIVATE_FIELDS)
    assert isinstance(admin.site._registry[Diner], ViewOnlyAdmin)


def test_opening_a_diner_in_the_admin_is_audited(one_of_each, login_as, admin_user):
    diner = one_of_each[Diner]
    response = login_as(admin_user).get(admin_url(diner))
    assert response.status_code == 200
    html = response.content.decode()
    assert "+442079460123" not in html and "E8 1DY" not in html
    entry = AuditEntry.objects.get(action=audit.Action.DINER_RECORD_VIEWED)
    assert (entry.actor, entry.object_id, entry.area, entry.detail) == (
        admin_user,
        str(diner.pk),
        diner.area,
        {"where": "admin"},
    )


def test_the_diner_list_is_not_audited_as_a_look_at_a_record(one_of_each, login_as, admin_user):
    login_as(admin_user).get(changelist_url(Diner))
    assert not AuditEntry.objects.filter(action=audit.Action.DINER_RECORD_VIEWED).exists()


@pytest.mark.parametrize("path", ["/admin/meals/diner/", "/admin/meals/match/", "/admin/casserole/auditentry/"])
def test_people_who_are_not_admins_are_sent_to_sign_in(client, login_as, coordinator_a, cook, path):
    # The admin's sign-in page sends them on to ours (casserole.admin_site).
    for person_client in (client, login_as(coordinator_a), login_as(cook)):
        response = person_client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={path}"
    assert client.get(f"/admin/login/?next={path}")["Location"].startswith("/en/accounts/login/")


def test_an_admin_who_has_not_passed_the_second_factor_is_sent_to_it(admin_user, client):
    sign_in(client, admin_user.email, PASSWORD)
    response = client.get("/admin/meals/diner/")
    assert response.status_code == 302
    assert response["Location"] == "/en/account/two-factor/?next=%2Fadmin%2Fmeals%2Fdiner%2F"


def test_staff_without_the_admin_flag_get_nothing_of_ours(login_as, area_a):
    staff = UserFactory(is_staff=True, email="staff@example.org")
    add_totp(staff)
    client = login_as(staff)
    assert client.get("/admin/meals/diner/").status_code == 403
