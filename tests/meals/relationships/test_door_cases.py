"""No answer at Edie's door: Cathy records it, and the case escalates step by step with times — the
emergency contact texted only with Edie's consent, Ada (area A's coordinator) emailed, everyone of the
area emailed again after an hour if nobody said "I'm dealing with it" — until a coordinator closes it
with what had happened. Ben coordinates area B and must not see it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from casserole import audit, texts
from casserole.models import AuditEntry, OutboundEmail, OutboundText
from casserole.names import addressed
from casserole.templatetags.casserole_tags import time_of_day
from meals.relationships import door, visits
from meals.relationships.errors import RelationshipError
from meals.relationships.models import DoorCase, DoorCaseStep, Visit
from tests.factories import CoordinatorFactory, add_totp

pytestmark = pytest.mark.django_db

Kind = DoorCaseStep.Kind
EMERGENCY_PHONE = "+447911123456"  # Sarah, Edie's daughter (tests.meals.conftest.ANSWERS)


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def no_answer(meal, *, now=None) -> Visit:
    return visits.record_visit(
        cook=meal.cook, meal=meal, outcome="no_answer", minutes=None, wellbeing={}, notes={}, note="", now=now
    )


def kinds(case: DoorCase) -> list[str]:
    return list(case.steps.order_by("at", "pk").values_list("kind", flat=True))


def case_url(case, language="en") -> str:
    return f"/{language}/coordinator/door-cases/{case.pk}/"


@pytest.fixture
def meal(visited_match):
    return visited_match.past_meal


@pytest.fixture
def consenting(diner):
    diner.concerns_to_emergency_contact = True
    diner.save(update_fields=["concerns_to_emergency_contact"])
    return diner


@pytest.fixture
def case(meal):
    return no_answer(meal).door_case


# Opening -------------------------------------------------------------------------------------------------


def test_no_answer_through_the_page_opens_a_case_and_tells_the_coordinators(
    login_as, meal, coordinator_a, coordinator_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login_as(meal.cook).post(f"/en/cook/meals/{meal.pk}/visit/", {"outcome": "no_answer"})

    case = DoorCase.objects.get()
    assert case.visit.meal == meal and case.diner == meal.match.diner and case.is_open
    # Edie has not agreed that her emergency contact is told about worries.
    assert kinds(case) == [Kind.OPENED, Kind.EMERGENCY_CONTACT_NOT_TOLD, Kind.COORDINATORS_TOLD]
    assert case.steps.get(kind=Kind.EMERGENCY_CONTACT_NOT_TOLD).note == door.NO_CONSENT
    assert case.steps.get(kind=Kind.OPENED).by == meal.cook
    assert texts.outbox == [] and not OutboundText.objects.exists()
    [email] = mail.outbox  # sent after the commit (the outbox row keeps no body once sent)
    assert email.to == [coordinator_a.email]
    assert "no answer" in email.subject.lower() and "Edith O'Brien" in email.subject
    assert f"/en/coordinator/door-cases/{case.pk}/" in email.body
    assert AuditEntry.objects.filter(action=audit.Action.DOOR_CASE_OPENED, actor=meal.cook).count() == 1


def test_the_consenting_emergency_contact_gets_a_text(meal, consenting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visit = no_answer(meal)

    case = visit.door_case
    assert kinds(case) == [Kind.OPENED, Kind.EMERGENCY_CONTACT_TOLD, Kind.COORDINATORS_TOLD]
    step = case.steps.get(kind=Kind.EMERGENCY_CONTACT_TOLD)
    assert step.text.to == EMERGENCY_PHONE
    step.text.refresh_from_db()
    assert step.text.status == OutboundText.Status.SENT
    [sent] = texts.outbox
    assert sent["to"] == EMERGENCY_PHONE
    with timezone.override(meal.match.diner.area.time_zone):
        at = time_of_day(visit.recorded_at)
    assert sent["body"] == (
        f"Casserole Area A: Edie’s cook found no answer at the door at {at}. A coordinator is looking into it. "
        f"If you know where they are, call {meal.match.diner.area.help_phone}."
    )


def test_the_text_is_in_the_diners_language(meal, consenting, django_capture_on_commit_callbacks):
    consenting.preferred_language = "ja"
    consenting.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        visit = no_answer(meal)

    area = consenting.area
    with translation.override("ja"), timezone.override(area.time_zone):
        at = time_of_day(visit.recorded_at)
    expected = t(
        "ja",
        "%(club)s: %(name)s’s cook found no answer at the door at %(time)s. A coordinator is looking into "
        "it. If you know where they are, call %(phone)s.",
        club=t("ja", "Casserole %(area)s", area=area.display_name("ja")),
        name=addressed("Edie", language="ja"),  # Edieさん (casserole.names)
        time=at,
        phone=area.help_phone,
    )
    assert texts.outbox[0]["body"] == expected


def test_consent_without_a_number_is_recorded_as_not_told(meal, consenting):
    consenting.emergency_phone = ""
    consenting.save(update_fields=["emergency_phone"])

    case = no_answer(meal).door_case

    assert case.steps.get(kind=Kind.EMERGENCY_CONTACT_NOT_TOLD).note == door.NO_NUMBER
    assert not OutboundText.objects.exists()


def test_other_outcomes_open_no_case(meal):
    visits.record_visit(cook=meal.cook, meal=meal, outcome="diner_away", minutes=None, wellbeing={}, notes={}, note="")
    assert not DoorCase.objects.exists()


# Raised again after an hour (a frozen clock: `now` is passed) ---------------------------------------------


@pytest.fixture
def second_coordinator(area_a):
    user = CoordinatorFactory(full_name="Dot Coordinator", email="coord-a2@example.org", areas=[area_a])
    add_totp(user)
    return user


def test_an_unacknowledged_case_is_raised_again_once_after_an_hour(
    meal, coordinator_a, second_coordinator, coordinator_b
):
    opened = timezone.now()
    case = no_answer(meal, now=opened).door_case
    OutboundEmail.objects.all().delete()

    assert door.reraise_door_cases(now=opened + timedelta(minutes=59)) == 0
    assert not OutboundEmail.objects.exists()

    later = opened + timedelta(minutes=61)
    assert door.reraise_door_cases(now=later) == 1
    assert door.reraise_door_cases(now=later) == 0  # run twice: once
    assert door.reraise_door_cases(now=later + timedelta(hours=3)) == 0

    case.refresh_from_db()
    assert case.reraised_at == later
    assert kinds(case).count(Kind.RERAISED) == 1
    assert case.steps.get(kind=Kind.RERAISED).at == later
    emailed = sorted(OutboundEmail.objects.values_list("to", flat=True))
    assert emailed == sorted([coordinator_a.email, second_coordinator.email])
    assert all(
        f"/coordinator/door-cases/{case.pk}/" in body for body in OutboundEmail.objects.values_list("body", flat=True)
    )


def test_an_acknowledged_case_is_not_raised_again(meal, coordinator_a):
    opened = timezone.now()
    case = no_answer(meal, now=opened).door_case
    door.acknowledge_door_case(by=coordinator_a, case=case, now=opened + timedelta(minutes=10))

    assert door.reraise_door_cases(now=opened + timedelta(hours=2)) == 0
    assert Kind.RERAISED not in kinds(case)


def test_a_closed_case_is_not_raised_again(meal, coordinator_a):
    opened = timezone.now()
    case = no_answer(meal, now=opened).door_case
    door.close_door_case(by=coordinator_a, case=case, outcome="was_out", note="At her sister's.", now=opened)

    assert door.reraise_door_cases(now=opened + timedelta(hours=2)) == 0


# The coordinator's case page ---------------------------------------------------------------------------


def test_the_case_page_shows_the_steps_and_how_to_reach_them(login_as, case, coordinator_a):
    html = login_as(coordinator_a).get(case_url(case)).content.decode()

    assert html.count('data-kind="') == 3
    assert 'data-kind="emergency_contact_not_told"' in html
    assert t("en", "The diner has not agreed that their emergency contact is told.") in html
    assert 'href="tel:+442071234567"' in html  # Edie's phone
    assert 'href="tel:+447911123456"' in html and "Sarah Bennett" in html
    assert 'id="acknowledge-form"' in html and 'id="close-form"' in html
    assert AuditEntry.objects.filter(action=audit.Action.DINER_RECORD_VIEWED, actor=coordinator_a).exists()


def test_the_case_page_says_whether_the_text_went(login_as, meal, consenting, coordinator_a):
    case = no_answer(meal).door_case
    client = login_as(coordinator_a)
    assert 'data-text-status="queued"' in client.get(case_url(case)).content.decode()

    OutboundText.objects.update(status=OutboundText.Status.FAILED)
    assert 'data-text-status="failed"' in client.get(case_url(case, "ja")).content.decode()


def test_the_case_page_shows_times_in_the_areas_zone(login_as, case, coordinator_a, area_a):
    area_a.time_zone = "Asia/Tokyo"
    area_a.save(update_fields=["time_zone"])
    html = login_as(coordinator_a).get(case_url(case)).content.decode()
    with timezone.override("Asia/Tokyo"):
        assert time_of_day(case.opened_at) in html


def test_another_areas_coordinator_gets_not_found(login_as, case, coordinator_b):
    client = login_as(coordinator_b)
    assert client.get(case_url(case)).status_code == 404
    assert client.post(case_url(case), {"action": "acknowledge"}).status_code == 404
    assert Kind.ACKNOWLEDGED not in kinds(case)


def test_a_cook_cannot_open_the_case_page(login_as, case):
    assert login_as(case.visit.meal.cook).get(case_url(case)).status_code == 403


def test_a_coordinator_says_they_are_dealing_with_it(login_as, case, coordinator_a, second_coordinator):
    response = login_as(coordinator_a).post(case_url(case), {"action": "acknowledge"})

    assert response.status_code == 302 and response["Location"] == case_url(case)
    case.refresh_from_db()
    assert case.acknowledged_by == coordinator_a
    step = case.steps.get(kind=Kind.ACKNOWLEDGED)
    assert step.by == coordinator_a
    assert AuditEntry.objects.filter(action=audit.Action.DOOR_CASE_ACKNOWLEDGED, actor=coordinator_a).count() == 1

    # Dot tries too, from a page loaded earlier: she is told who is.
    html = login_as(second_coordinator).post(case_url(case), {"action": "acknowledge"}).content.decode()
    assert "Ada Coordinator is already dealing with it." in html and "There is a problem" in html
    assert kinds(case).count(Kind.ACKNOWLEDGED) == 1


def test_a_coordinator_adds_a_note(login_as, case, coordinator_a):
    client = login_as(coordinator_a)
    blank = client.post(case_url(case), {"action": "note", "note-text": "  "})
    assert blank.status_code == 200 and "Write the note" in blank.content.decode()

    client.post(case_url(case), {"action": "note", "note-text": "Phoned Edie: no answer. Sarah is going round."})

    step = case.steps.get(kind=Kind.NOTE)
    assert (step.by, step.note) == (coordinator_a, "Phoned Edie: no answer. Sarah is going round.")
    assert "Sarah is going round." in client.get(case_url(case)).content.decode()


def test_closing_requires_an_outcome_and_keeps_the_note(login_as, case, coordinator_a):
    client = login_as(coordinator_a)
    response = client.post(case_url(case), {"action": "close", "close-note": "She was at the doctor's."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and 'href="#id_close-outcome_0"' in html
    assert "Select what had happened" in html
    assert "She was at the doctor&#x27;s." in html
    case.refresh_from_db()
    assert case.is_open


def test_closing_in_japanese_requires_an_outcome(login_as, case, coordinator_a):
    html = login_as(coordinator_a).post(case_url(case, "ja"), {"action": "close"}).content.decode()
    assert t("ja", "Select what had happened") in html
    assert t("ja", "Write what happened and what was done") in html


def test_a_coordinator_closes_the_case_with_what_happened(login_as, case, coordinator_a):
    client = login_as(coordinator_a)
    response = client.post(
        case_url(case), {"action": "close", "close-outcome": "was_out", "close-note": "At her sister's."}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.is_open, case.outcome, case.outcome_note, case.closed_by) == (
        False,
        "was_out",
        "At her sister's.",
        coordinator_a,
    )
    assert kinds(case)[-1] == Kind.CLOSED
    entry = AuditEntry.objects.get(action=audit.Action.DOOR_CASE_CLOSED)
    assert entry.detail == {"outcome": "was_out"}
    html = client.get(case_url(case)).content.decode()
    assert 'id="close-form"' not in html and 'id="acknowledge-form"' not in html
    with pytest.raises(RelationshipError):
        door.close_door_case(by=coordinator_a, case=case, outcome="other", note="Again")
    with pytest.raises(RelationshipError):
        door.acknowledge_door_case(by=coordinator_a, case=case)


# Exactly this many queries whatever the number of steps:
#  1. the session  2. the user  3. the authenticator (django-otp)  4. the areas the user coordinates
#  5. the case with its diner, area, visit, meal, cook, match and who acknowledged or closed it
#  6. the audit entry for viewing the diner's details  7. the steps with who took them and their texts
#  8. the area for the "Need help?" block
CASE_QUERIES = 8


@pytest.mark.parametrize("notes", [1, 20])
def test_the_case_page_costs_the_same_queries_whatever_the_steps(
    login_as, case, coordinator_a, notes, django_assert_num_queries
):
    for n in range(notes):
        door.add_door_case_note(by=coordinator_a, case=case, note=f"Note {n}")
    client = login_as(coordinator_a)

    with django_assert_num_queries(CASE_QUERIES):
        response = client.get(case_url(case))

    assert len(re.findall(r'data-kind="note"', response.content.decode())) == notes


# The cook's "no answer" page ---------------------------------------------------------------------------


def no_answer_url(visit, language="en") -> str:
    return f"/{language}/cook/visits/{visit.pk}/no-answer/"


def test_the_no_answer_page_says_what_to_do_now_in_the_uk(login_as, meal):
    visit = no_answer(meal)
    html = login_as(meal.cook).get(no_answer_url(visit)).content.decode()

    assert "call 999 now" in html and "119" not in html
    assert 'href="tel:+442071234567"' in html  # Edie shares her phone with her cook
    assert 'id="coordinators-told"' in html
    assert html.count("<li><strong>") == 3  # opened, emergency contact not told, coordinators told
    assert AuditEntry.objects.filter(action=audit.Action.DINER_RECORD_VIEWED, actor=meal.cook).exists()


def test_the_no_answer_page_says_119_in_japan(login_as, meal, area_a):
    area_a.country = "JP"
    area_a.save(update_fields=["country"])
    visit = no_answer(meal)

    html = login_as(meal.cook).get(no_answer_url(visit, "ja")).content.decode()

    assert "119" in html and "999" not in html
    assert '<html lang="ja"' in html


def test_the_phone_shows_only_with_the_diners_consent(login_as, meal, diner):
    diner.share_with_cook = ["address"]
    diner.save(update_fields=["share_with_cook"])
    visit = no_answer(meal)

    html = login_as(meal.cook).get(no_answer_url(visit)).content.decode()

    assert "tel:" not in html.split('id="what-to-do"')[1].split("</ol>")[0]
    assert "+442071234567" not in html
    assert 'id="no-phone"' in html


def test_the_cook_does_not_see_the_coordinators_notes(login_as, meal, coordinator_a):
    visit = no_answer(meal)
    door.acknowledge_door_case(by=coordinator_a, case=visit.door_case)
    door.add_door_case_note(by=coordinator_a, case=visit.door_case, note="Her son says she is in hospital.")

    html = login_as(meal.cook).get(no_answer_url(visit)).content.decode()

    assert "in hospital" not in html
    assert t("en", "A coordinator is dealing with it") in html


def test_another_cooks_no_answer_page_is_not_found(login_as, meal, second_cook):
    visit = no_answer(meal)
    second_cook.is_cook = True
    second_cook.save(update_fields=["is_cook"])
    assert login_as(second_cook).get(no_answer_url(visit)).status_code == 404


def test_a_visit_without_a_case_goes_back_to_the_record(login_as, meal):
    visit = visits.record_visit(
        cook=meal.cook, meal=meal, outcome="cook_could_not", minutes=None, wellbeing={}, notes={}, note=""
    )
    response = login_as(meal.cook).get(no_answer_url(visit))
    assert response["Location"] == f"/en/cook/meals/{meal.pk}/visit/"


# The coordinator's home ----------------------------------------------------------------------------------


def test_open_cases_come_first_on_the_coordinators_home(login_as, case, coordinator_a, coordinator_b):
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    assert html.index('id="door-cases"') < html.index('id="cooks-heading"')
    assert f'href="/en/coordinator/door-cases/{case.pk}/"' in html
    assert "govuk-tag--red" in html.split('id="door-case-')[1]  # nobody is dealing with it yet
    assert 'id="door-cases"' not in login_as(coordinator_b).get("/en/coordinator/").content.decode()

    door.close_door_case(by=coordinator_a, case=case, outcome="did_not_hear", note="She was in the garden.")
    assert 'id="door-cases"' not in login_as(coordinator_a).get("/ja/coordinator/").content.decode()
