"""Watch reports to family: Edie (area A, London) chooses who gets a short report after her meals with
Cathy, how often and which wellbeing answers they see; a coordinator records it on the phone (or Rita,
who may edit Edie's details, after recording that Edie agreed); either can stop it. The reports say the
meal was shared, the day, how long Cathy stayed and only the shared answers, never a note."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation

from casserole.models import AuditEntry
from casserole.names import addressed
from meals.diners.models import ProxyAccess
from meals.relationships import watch
from meals.relationships.errors import RelationshipError
from meals.relationships.models import Concern, Visit, WatchRecipient, WatchReport
from meals.schedule.models import Meal
from tests.meals.schedule.conftest import make_active_match

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOTE = "ZEBRA-NOTE: she said her son has not visited"
ITEM_NOTE = "PELICAN-NOTE: bruise on her arm"
CONCERN = "OSPREY-CONCERN: seemed confused"


def t(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def visit(match, starts_at: datetime, *, outcome=Visit.Outcome.DELIVERED, minutes=45, recorded_at=None, **fields):
    """A meal of the match at `starts_at` and its visit record (made directly: the services refuse the past)."""
    meal = Meal.objects.create(
        match=match,
        cook=match.cook,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        dish="Fish pie",
        status=Meal.Status.CONFIRMED,
    )
    fields.setdefault(
        "wellbeing", {"health": "usual", "eating": "not_usual", "sleep": "not_usual", "worries": "not_usual"}
    )
    return Visit.objects.create(
        meal=meal,
        match=match,
        recorded_by=match.cook,
        recorded_at=recorded_at or starts_at + timedelta(hours=2),
        outcome=outcome,
        minutes_stayed=minutes if outcome == Visit.Outcome.DELIVERED else None,
        **fields,
    )


def recipient(diner, *, added_at, frequency=WatchRecipient.Frequency.EACH_VISIT, email="sarah@example.org", **fields):
    fields.setdefault("shared_items", ["health", "sleep"])
    return WatchRecipient.objects.create(
        diner=diner,
        name=fields.pop("name", "Sarah Bennett"),
        email=email,
        frequency=frequency,
        approved_channel="phone",
        added_at=added_at,
        **fields,
    )


def run(capture, now) -> dict:
    with capture(execute=True):
        return watch.send_watch_reports(now=now)


def to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def match(active_cook, diner):
    return make_active_match(active_cook, diner, since=london(2026, 1, 5, 12))


def form_data(**changes) -> dict:
    data = {
        "name": "Sarah Bennett",
        "email": "sarah@example.org",
        "relationship": "Daughter",
        "language": "en",
        "frequency": "weekly",
        "shared_items": ["health", "sleep"],
        "agreed": "on",
        "channel": "phone",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Adding someone, with the diner's agreement ---------------------------------------------------------------


def test_a_coordinator_adds_someone_edie_agreed_to_on_the_phone(
    login_as, coordinator_a, diner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as(coordinator_a).post(f"/en/coordinator/diners/{diner.pk}/watch/", form_data())

    assert response.status_code == 302
    assert response["Location"] == f"/en/coordinator/diners/{diner.pk}/watch/"
    added = WatchRecipient.objects.get()
    assert (added.name, added.email, added.relationship, added.language) == (
        "Sarah Bennett",
        "sarah@example.org",
        "Daughter",
        "en",
    )
    assert (added.frequency, added.shared_items, added.approved_channel) == ("weekly", ["health", "sleep"], "phone")
    assert added.added_by == coordinator_a and added.stopped_at is None
    entry = AuditEntry.objects.get(action="watch_recipient_added")
    assert (entry.actor, entry.channel, entry.object_id) == (coordinator_a, "phone", str(diner.pk))
    # Sarah is told, with how to stop: call the club's help line.
    [welcome] = to("sarah@example.org")
    assert "Edie" in welcome.subject
    assert "Once a week" in welcome.body and "Health, Sleep" in welcome.body
    assert "to stop these reports at any time, call Area A on 0161 496 0000" in welcome.body


def test_without_edies_agreement_nobody_is_added_and_what_was_typed_is_kept(login_as, coordinator_a, diner):
    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/watch/", form_data(agreed=None, relationship="Niece")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "There is a problem" in html
    assert "Reports go only to people Edie has agreed to. Check with them first." in html
    assert 'href="#id_agreed"' in html  # the summary links to the checkbox
    assert 'value="Sarah Bennett"' in html and 'value="sarah@example.org"' in html and 'value="Niece"' in html
    assert re.search(r'<input[^>]*value="health"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="eating"[^>]*checked', html)
    assert WatchRecipient.objects.count() == 0


def test_the_service_refuses_without_agreement_too(coordinator_a, diner):
    with pytest.raises(RelationshipError):
        watch.add_watch_recipient(
            by=coordinator_a, diner=diner, name="Sarah", email="sarah@example.org", agreed=False, channel="phone"
        )
    assert WatchRecipient.objects.count() == 0


def test_the_same_address_twice_is_refused_and_kept_on_the_page(login_as, coordinator_a, diner):
    client = login_as(coordinator_a)
    client.post(f"/en/coordinator/diners/{diner.pk}/watch/", form_data())

    response = client.post(f"/en/coordinator/diners/{diner.pk}/watch/", form_data(email="Sarah@example.org"))

    assert response.status_code == 200
    assert "Sarah@example.org already gets reports about Edie." in response.content.decode()
    assert WatchRecipient.objects.count() == 1


def test_nothing_to_share_is_fine(coordinator_a, diner):
    added = watch.add_watch_recipient(
        by=coordinator_a, diner=diner, name="Sam", email="sam@example.org", agreed=True, channel="in_person"
    )
    assert added.shared_items == [] and added.approved_channel == "in_person"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_coordinators_page_in_both_languages(login_as, coordinator_a, diner, language):
    recipient(diner, added_at=timezone.now(), shared_items=["health"])

    response = login_as(coordinator_a).get(f"/{language}/coordinator/diners/{diner.pk}/watch/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{"ja" if language == "ja" else "en-GB"}"' in html
    assert html.count("<h1") == 1
    assert t(language, "Watch reports to family") in html
    edie = addressed("Edie", language=language)  # Edieさん in Japanese (casserole.names)
    assert t(language, "%(name)s agreed to this person receiving these reports", name=edie) in html
    assert "Sarah Bennett" in html and "sarah@example.org" in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("recipients", [1, 20])
def test_the_coordinators_page_reads_in_a_fixed_number_of_queries(
    login_as, coordinator_a, diner, recipients, django_assert_num_queries
):
    for n in range(recipients):
        recipient(diner, added_at=timezone.now(), email=f"person{n}@example.org")
    WatchRecipient.objects.filter(email="person0@example.org").update(
        stopped_at=timezone.now(), stopped_by=coordinator_a
    )
    client = login_as(coordinator_a)

    # 1 session, 2 user, 3 OTP device, 4 the coordinator's areas (access), 5 the diner, 6 the recipients
    # with who added and stopped them, 7 the area for the "Need help?" block.
    with django_assert_num_queries(7):
        response = client.get(f"/en/coordinator/diners/{diner.pk}/watch/")
    assert response.status_code == 200


def test_another_areas_coordinator_gets_404(login_as, coordinator_b, diner):
    added = recipient(diner, added_at=timezone.now())
    client = login_as(coordinator_b)

    assert client.get(f"/en/coordinator/diners/{diner.pk}/watch/").status_code == 404
    stop_url = f"/en/coordinator/diners/{diner.pk}/watch/{added.pk}/stop/"
    assert client.post(stop_url, {f"stop-{added.pk}-channel": "phone"}).status_code == 404
    added.refresh_from_db()
    assert added.stopped_at is None


# Stopping -----------------------------------------------------------------------------------------------


def test_a_coordinator_stops_reports_and_none_are_sent_after(
    login_as, coordinator_a, diner, match, django_capture_on_commit_callbacks
):
    added = recipient(diner, added_at=london(2026, 2, 1, 9))
    visit(match, london(2026, 2, 10, 12))

    response = login_as(coordinator_a).post(
        f"/en/coordinator/diners/{diner.pk}/watch/{added.pk}/stop/", {f"stop-{added.pk}-channel": "phone"}
    )

    assert response.status_code == 302
    added.refresh_from_db()
    assert added.stopped_at is not None and added.stopped_by == coordinator_a
    entry = AuditEntry.objects.get(action="watch_recipient_stopped")
    assert (entry.actor, entry.channel) == (coordinator_a, "phone")
    assert run(django_capture_on_commit_callbacks, london(2026, 2, 11, 9)) == {"reports": 0, "already_sent": 0}
    assert to("sarah@example.org") == []


def test_stopping_is_a_post(login_as, coordinator_a, diner):
    added = recipient(diner, added_at=timezone.now())
    response = login_as(coordinator_a).get(f"/en/coordinator/diners/{diner.pk}/watch/{added.pk}/stop/")
    assert response.status_code == 405


# The referrer acting for Edie ------------------------------------------------------------------------------


def test_the_referrer_who_edits_details_sees_who_gets_reports_and_stops_one(login_as, referrer, diner):
    added = recipient(diner, added_at=timezone.now())
    client = login_as(referrer)

    html = client.get(f"/en/diners/{diner.pk}/watch/").content.decode()
    assert "Sarah Bennett" in html and "You are acting for" in html

    response = client.post(f"/en/diners/{diner.pk}/watch/", {"action": "stop", "recipient": added.pk})

    assert response.status_code == 302
    added.refresh_from_db()
    assert added.stopped_by == referrer
    assert AuditEntry.objects.get(action="watch_recipient_stopped").channel == "web"


def test_the_referrer_adds_someone_after_recording_that_edie_agreed(login_as, referrer, diner):
    data = form_data(channel=None, action="add", language="ja", frequency="each_visit")
    response = login_as(referrer).post(f"/en/diners/{diner.pk}/watch/", data)

    assert response.status_code == 302
    added = WatchRecipient.objects.get()
    assert (added.approved_channel, added.language, added.added_by) == ("web", "ja", referrer)


def test_the_referrer_without_agreement_adds_nobody(login_as, referrer, diner):
    response = login_as(referrer).post(f"/ja/diners/{diner.pk}/watch/", form_data(channel=None, agreed=None))

    assert response.status_code == 200
    html = response.content.decode()
    edie = addressed("Edie", language="ja")
    assert t("ja", "Reports go only to people %(name)s has agreed to. Check with them first.", name=edie) in html
    assert WatchRecipient.objects.count() == 0


def test_a_referrer_who_may_not_edit_details_gets_403(login_as, referrer, diner):
    ProxyAccess.objects.filter(diner=diner).update(can_edit_details=False)
    client = login_as(referrer)
    assert client.get(f"/en/diners/{diner.pk}/watch/").status_code == 403


def test_another_diners_recipient_cannot_be_stopped(login_as, referrer, diner, area_a):
    from tests.factories import DinerFactory

    other = recipient(DinerFactory(area=area_a), added_at=timezone.now())
    response = login_as(referrer).post(f"/en/diners/{diner.pk}/watch/", {"action": "stop", "recipient": other.pk})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.stopped_at is None


# The reports ---------------------------------------------------------------------------------------------


def test_after_each_visit_one_report_with_only_what_edie_shares_and_never_a_note(
    diner, match, django_capture_on_commit_callbacks
):
    recipient(diner, added_at=london(2026, 2, 1, 9))
    shared = visit(
        match,
        london(2026, 2, 10, 12),
        minutes=45,
        note=NOTE,
        wellbeing_notes={"health": ITEM_NOTE, "eating": ITEM_NOTE},
    )
    Concern.objects.create(diner=diner, match=match, visit=shared, level="worried", text=CONCERN)

    assert run(django_capture_on_commit_callbacks, london(2026, 2, 10, 18)) == {"reports": 1, "already_sent": 0}

    [report] = to("sarah@example.org")
    body = report.body
    assert report.subject == "Casserole: Edie's meal"
    assert "Tuesday 10 February 2026" in body
    assert "Edie and their cook shared a meal. The cook stayed for 45 minutes." in body
    assert "- Health: As usual" in body and "- Sleep: Not as usual" in body
    assert "Eating" not in body and "Worries" not in body  # answered, but not shared with Sarah
    for secret in (NOTE, ITEM_NOTE, CONCERN, "ZEBRA", "PELICAN", "OSPREY", "Cathy"):
        assert secret not in body and secret not in report.subject
    assert "call Area A on 0161 496 0000" in body
    assert WatchReport.objects.get().period == f"visit-{shared.pk}"


def test_the_report_job_is_idempotent(diner, match, django_capture_on_commit_callbacks):
    recipient(diner, added_at=london(2026, 2, 1, 9))
    visit(match, london(2026, 2, 10, 12))
    run(django_capture_on_commit_callbacks, london(2026, 2, 10, 18))

    assert run(django_capture_on_commit_callbacks, london(2026, 2, 10, 19)) == {"reports": 0, "already_sent": 1}
    assert len(to("sarah@example.org")) == 1
    assert WatchReport.objects.count() == 1


def test_visits_before_someone_was_added_are_not_reported(diner, match, django_capture_on_commit_callbacks):
    visit(match, london(2026, 2, 3, 12))
    recipient(diner, added_at=london(2026, 2, 5, 9))

    assert run(django_capture_on_commit_callbacks, london(2026, 2, 6, 9)) == {"reports": 0, "already_sent": 0}


def test_a_meal_not_shared_says_so_without_saying_why(diner, match, django_capture_on_commit_callbacks):
    recipient(diner, added_at=london(2026, 2, 1, 9))
    visit(match, london(2026, 2, 10, 12), outcome=Visit.Outcome.NO_ANSWER, note=NOTE)

    run(django_capture_on_commit_callbacks, london(2026, 2, 10, 18))

    body = to("sarah@example.org")[0].body
    assert "The meal planned for this day did not happen." in body
    assert "door" not in body.lower() and NOTE not in body and "stayed" not in body


def test_weekly_the_last_week_is_sent_once_it_is_over(diner, match, django_capture_on_commit_callbacks):
    recipient(diner, added_at=london(2026, 2, 1, 9), frequency=WatchRecipient.Frequency.WEEKLY)
    visit(match, london(2026, 2, 24, 12), minutes=30)  # Tuesday of ISO week 9 (23 Feb - 1 Mar)
    visit(match, london(2026, 2, 27, 12), minutes=60)  # Friday
    visit(match, london(2026, 3, 3, 12))  # the next week: not in this report

    # Monday 2 March: the week is over, but its cook has until 48 hours after a meal to record it.
    assert run(django_capture_on_commit_callbacks, london(2026, 3, 2, 10))["reports"] == 0
    assert run(django_capture_on_commit_callbacks, london(2026, 3, 4, 9)) == {"reports": 1, "already_sent": 0}
    assert run(django_capture_on_commit_callbacks, london(2026, 3, 5, 9)) == {"reports": 0, "already_sent": 1}

    [report] = to("sarah@example.org")
    assert "from Monday 23 February 2026 to Sunday 1 March 2026" in report.body
    assert "Tuesday 24 February 2026" in report.body and "Friday 27 February 2026" in report.body
    assert "Tuesday 3 March 2026" not in report.body
    assert "stayed for 30 minutes" in report.body and "stayed for 60 minutes" in report.body
    sent = WatchReport.objects.get()
    assert (sent.period, sent.visits) == ("week-2026-W09", 2)


def test_weekly_with_no_visit_nothing_is_sent(diner, match, django_capture_on_commit_callbacks):
    recipient(diner, added_at=london(2026, 2, 1, 9), frequency=WatchRecipient.Frequency.WEEKLY)

    assert run(django_capture_on_commit_callbacks, london(2026, 3, 4, 9)) == {"reports": 0, "already_sent": 0}


def test_weekly_a_planned_meal_that_did_not_happen_says_no_meal_was_shared(
    diner, match, django_capture_on_commit_callbacks
):
    recipient(diner, added_at=london(2026, 2, 1, 9), frequency=WatchRecipient.Frequency.WEEKLY)
    visit(match, london(2026, 2, 24, 12), outcome=Visit.Outcome.DINER_AWAY)

    run(django_capture_on_commit_callbacks, london(2026, 3, 4, 9))

    assert "No meal was shared this week." in to("sarah@example.org")[0].body


def test_monthly_the_last_month_is_sent_once(diner, match, django_capture_on_commit_callbacks):
    recipient(diner, added_at=london(2026, 1, 20, 9), frequency=WatchRecipient.Frequency.MONTHLY)
    visit(match, london(2026, 1, 27, 12))  # January: before the period
    visit(match, london(2026, 2, 3, 12))
    visit(match, london(2026, 2, 17, 12))

    assert run(django_capture_on_commit_callbacks, london(2026, 3, 3, 9)) == {"reports": 1, "already_sent": 0}
    assert run(django_capture_on_commit_callbacks, london(2026, 3, 20, 9)) == {"reports": 0, "already_sent": 1}

    [report] = to("sarah@example.org")
    assert report.subject == "Casserole: Edie's month"
    assert "from Sunday 1 February 2026 to Saturday 28 February 2026" in report.body
    assert "Tuesday 27 January 2026" not in report.body
    sent = WatchReport.objects.get()
    assert (sent.period, sent.visits) == ("month-2026-02", 2)


def test_a_period_that_ended_before_someone_was_added_is_not_sent(diner, match, django_capture_on_commit_callbacks):
    visit(match, london(2026, 2, 17, 12))
    recipient(diner, added_at=london(2026, 3, 1, 9), frequency=WatchRecipient.Frequency.MONTHLY)

    assert run(django_capture_on_commit_callbacks, london(2026, 3, 5, 9))["reports"] == 0


def test_the_report_is_in_the_recipients_language_and_the_areas_time_zone(
    diner, match, django_capture_on_commit_callbacks
):
    area = diner.area
    area.time_zone = "Asia/Tokyo"
    area.save(update_fields=["time_zone"])
    recipient(diner, added_at=london(2026, 2, 1, 9), language="ja")
    # 16:30 in London on Tuesday 10 February is 01:30 on Wednesday 11 February in Tokyo.
    visit(match, london(2026, 2, 10, 16, 30), minutes=30)

    run(django_capture_on_commit_callbacks, london(2026, 2, 11, 9))

    body = to("sarah@example.org")[0].body
    assert "2026年2月11日" in body
    assert t("ja", "Hello %(name)s,", name=addressed("Sarah Bennett", language="ja", formal=True)) in body  # 様


@pytest.mark.parametrize("recipients", [1, 20])
def test_the_report_job_reads_in_three_queries_whatever_the_number(diner, match, recipients, django_assert_num_queries):
    for n in range(recipients):
        recipient(diner, added_at=london(2026, 2, 1, 9), email=f"family{n}@example.org")
    visit(match, london(2026, 2, 10, 12))

    # 1 live recipients (with diner and area), 2 their diners' visits (with meal and match), 3 the reports
    # already written; then per report: savepoint, email, report, release.
    with django_assert_num_queries(3 + 4 * recipients):
        assert watch.send_watch_reports(now=london(2026, 2, 11, 9))["reports"] == recipients
    with django_assert_num_queries(3):
        assert watch.send_watch_reports(now=london(2026, 2, 11, 10))["already_sent"] == recipients


def test_with_nobody_to_report_to_the_job_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert watch.send_watch_reports(now=london(2026, 2, 11, 9)) == {"reports": 0, "already_sent": 0}


@pytest.mark.parametrize("recipients", [1, 20])
def test_the_referrers_page_reads_in_a_fixed_number_of_queries(
    login_as, referrer, diner, recipients, django_assert_num_queries
):
    for n in range(recipients):
        recipient(diner, added_at=timezone.now(), email=f"person{n}@example.org")
    client = login_as(referrer)

    # 1 session, 2 user, 3-4 their authenticators (none: TOTP, backup codes), 5 the referrer's live access
    # with the diner and area, 6 the recipients, 7 the area for the "Need help?" block.
    with django_assert_num_queries(7):
        html = client.get(f"/en/diners/{diner.pk}/watch/").content.decode()
    assert html.count('name="recipient"') == recipients


def test_a_visit_report_the_job_could_not_send_for_a_week_is_not_sent_late(
    diner, match, django_capture_on_commit_callbacks
):
    recipient(diner, added_at=london(2026, 2, 1, 9))
    visit(match, london(2026, 2, 2, 12))

    assert run(django_capture_on_commit_callbacks, london(2026, 2, 12, 9)) == {"reports": 0, "already_sent": 0}
