"""The relationship log in a real browser (issue 13), in both languages: the cook records a visit with
something not as usual and raises a concern, which reaches the coordinator and, without its text, the
referrer the diner chose; the cook finds nobody at the door and the escalation runs (the emergency
contact texted at once, raised again to every coordinator after an hour — tested with a frozen clock —
until a coordinator closes the case with what had happened); the diner's daughter gets a weekly watch
report that leaves out every note; the referrer gives friendship feedback; the coordinator records the
loneliness questions by phone; and the match's timeline shows all of it to the coordinator, and to the
cook without what is not theirs to read. Every page of ours on the way is audited (axe + the extra
checks).

A tab is one language and width, so each persona has its own width: the cook a phone (390 px), the
coordinator a small laptop (1024 px), the referrer a desktop (1280 px). English runs in area A (UK,
London time) and Japanese in area B (Japan, Tokyo time): tests/browser/test_matching.py's world, cook
and diner."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db.models import F
from django.utils import timezone, translation

from casserole.models import Channel
from casserole.names import addressed
from meals.diners import services as diner_services
from meals.diners.models import Diner
from meals.referrals import services as referrals_services
from meals.relationships import door, visits, watch
from meals.relationships.models import (
    Concern,
    DoorCase,
    DoorCaseStep,
    Feedback,
    LonelinessMeasure,
    MeasureConsent,
    Visit,
    WatchRecipient,
    WatchReport,
    Wellbeing,
)
from meals.relationships.timeline import duration
from meals.schedule.models import Meal
from tests.browser.checks import audit as audit_page
from tests.browser.checks import error_summary_problems
from tests.browser.support import (
    World,
    banner,
    click,
    last_email_to,
    link_in,
    submit_form,
    summary_links,
    switch_user,
    t,
    texts_to,
    url_path,
)
from tests.browser.test_matching import _cook, _world
from tests.browser.test_meals import _counted
from tests.factories import CoordinatorFactory
from tests.meals.conftest import submit
from tests.meals.relationships.conftest import past_meal
from tests.meals.schedule.conftest import make_active_match

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COOK_WIDTH, REFERRER_WIDTH, COORDINATOR_WIDTH = 390, 1280, 1024

# What the cook writes: a note on "Moving about", a note on the visit, the concern they send.
MOVING_NOTE = {"en": "Held on to the wall on the stairs.", "ja": "階段で壁につかまっていました。"}
VISIT_NOTE = {"en": "We talked about her roses.", "ja": "庭のバラの話をしました。"}
CONCERN_TEXT = {
    "en": "Edie was unsteady on her feet today and said she fell last week.",
    "ja": "今日は足元がふらついていて、先週転んだと言っていました。",
}
DOOR_NOTE = {"en": "She was at her sister's and forgot to tell us.", "ja": "妹さんの家にいて、連絡を忘れていました。"}
EMERGENCY = {"en": "999", "ja": "119"}
# The diner's daughter, who is to get the watch reports.
DAUGHTER = {
    "en": {"name": "Sarah Bennett", "email": "sarah.bennett@example.org", "relationship": "Daughter"},
    "ja": {"name": "田中 由美", "email": "yumi@example.jp", "relationship": "長女"},
}
CHANGES = {"en": "Could the meals be a little earlier?", "ja": "もう少し早い時間だとうれしいです。"}
FRIEND = {"en": Feedback.Friend.NOT_YET, "ja": Feedback.Friend.YES}
# The loneliness answers heard on the phone, each scale's own keys, and the score they make.
LONELINESS = {
    "en": (
        {
            "companionship": "some_of_the_time",
            "left_out": "hardly_ever_or_never",
            "isolated": "some_of_the_time",
            "lonely": "occasionally",
        },
        5,
    ),
    "ja": ({"companionship": "hardly_ever", "left_out": "never", "isolated": "sometimes", "lonely": "occasionally"}, 6),
}
FIRST_QUESTION = {
    "en": "How often do you feel that you lack companionship?",
    "ja": "あなたは、自分には人とのつきあいがないと感じることがありますか。",
}
Kind = DoorCaseStep.Kind
STAYED = 30  # minutes, "About half an hour"
EARLIER_STAYED = 60  # the visit a week ago


def _diner(world: World) -> Diner:
    """An accepted diner, referred by the world's referrer, who may see the schedule and give feedback
    for them; the diner agreed that worries are told to the referrer and to the emergency contact."""
    referral = submit(by=world.referrer, **world.data["answers"], concerns_to_emergency_contact=True)
    referrals_services.accept_referral(
        by=world.coordinator, referral=referral, scopes={"can_view_schedule": True, "can_give_feedback": True}
    )
    latitude, longitude, neighbourhood = world.data["place"]
    diner = Diner.objects.get(pk=referral.diner_id)
    diner = diner_services.place_diner(
        by=world.coordinator, diner=diner, latitude=latitude, longitude=longitude, neighbourhood=neighbourhood
    )
    assert diner.concerns_to_referrer and diner.concerns_to_emergency_contact
    return diner


def _meal_start(zone: str, hours_ago: float):
    """`hours_ago` hours ago, but not before this week's Monday in the area's zone: the meals recorded
    today are in one week, the one the weekly watch report is about."""
    now = timezone.now()
    local = now.astimezone(ZoneInfo(zone))
    monday = datetime.combine(local.date() - timedelta(days=local.weekday()), time.min, tzinfo=ZoneInfo(zone))
    return max(now - timedelta(hours=hours_ago), monday)


def _past_meal(match, zone: str, hours_ago: float) -> Meal:
    start = _meal_start(zone, hours_ago)
    return past_meal(match, (timezone.now() - start).total_seconds() / 3600)


def _report_time(meal: Meal, zone: str):
    """When the weekly report on the meal's week goes: its week (Monday to Sunday, in the area's zone)
    over, and the cooks' time to record its visits (VISIT_RECORD_HOURS) too, plus an hour."""
    local = meal.starts_at.astimezone(ZoneInfo(zone))
    monday = local.date() - timedelta(days=local.weekday())
    week_end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=ZoneInfo(zone))
    return week_end + watch.REPORT_GRACE + timedelta(hours=1)


def _label(lang: str, choice) -> str:
    with translation.override(lang):
        return str(choice.label)


def _duration(lang: str, minutes: int) -> str:
    with translation.override(lang):
        return duration(minutes)


def audit(page, **checks):
    """tests.browser.checks.audit, then focus left where a user's mouse would leave it. The focus check
    tabs round to the skip link, which shows while focused and pushes the page down: the next click's
    press would blur it and the page would move from under the pointer, so no click would happen."""
    audit_page(page, **checks)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def _press(page, action: str):
    """Press the submit button of the form (in <main>) whose hidden `action` is `action`."""
    click(page, f'main form:has(input[name="action"][value="{action}"]) button[type=submit]')


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_relationship_log_from_visit_to_timeline(request, open_page, lang):
    world = _world(request, lang)
    diner = _diner(world)
    cook = _cook(world)
    live_server = request.getfixturevalue("live_server")
    zone = diner.area.time_zone
    name = diner.addressed  # with さん on Japanese pages (issue 19)
    match = make_active_match(cook, diner, since=timezone.now() - timedelta(days=30))
    # A week ago: a visit recorded then (an hour together); today: the meal to record, and one at the door.
    earlier = past_meal(match, 7 * 24)
    visits.record_visit(
        cook=cook,
        meal=earlier,
        outcome=Visit.Outcome.DELIVERED,
        minutes=EARLIER_STAYED,
        wellbeing={},
        notes={},
        note="",
        now=earlier.ends_at,
    )
    meal = _past_meal(match, zone, 2)
    door_meal = _past_meal(match, zone, 3)
    emergency_phone = diner.emergency_phone
    assert emergency_phone.startswith("+")

    # 1. The cook, on a phone: from the meal to its visit record.
    page, console = open_page(lang=lang, width=COOK_WIDTH, user=cook)
    page.goto(world.url(f"/cook/meals/{meal.pk}/"))
    audit(page, lang=lang, console=console)
    click(page, "#record-visit")
    record = world.path(f"/cook/meals/{meal.pk}/visit/")
    assert url_path(page) == record
    audit(page, lang=lang, console=console)
    # Delivered, about half an hour; moving about not as usual (with a note), eating as usual.
    page.check(f'input[name="outcome"][value="{Visit.Outcome.DELIVERED}"]')
    page.check(f'input[name="minutes"][value="{STAYED}"]')
    page.check(f'input[name="wellbeing_moving"][value="{Wellbeing.NOT_USUAL}"]')
    page.fill("#id_note_moving", MOVING_NOTE[lang])
    page.check(f'input[name="wellbeing_eating"][value="{Wellbeing.USUAL}"]')
    page.fill("#id_note", VISIT_NOTE[lang])
    submit_form(page, "#id_note")
    assert url_path(page) == record
    assert t(lang, "Thank you. Your visit is recorded.") in banner(page)
    visit = Visit.objects.get(meal=meal)
    assert (visit.outcome, visit.minutes_stayed, visit.wellbeing["moving"], visit.wellbeing["eating"]) == (
        Visit.Outcome.DELIVERED,
        STAYED,
        Wellbeing.NOT_USUAL,
        Wellbeing.USUAL,
    )
    assert (visit.wellbeing_notes, visit.note) == ({"moving": MOVING_NOTE[lang]}, VISIT_NOTE[lang])
    # The confirmation offers raising a concern about what was not as usual.
    moving = t(lang, "Moving about")
    assert moving in page.locator("#not-usual").inner_text()
    audit(page, lang=lang, console=console)
    click(page, "#raise-concern")
    assert url_path(page) == world.path(f"/cook/visits/{visit.pk}/concern/")
    assert MOVING_NOTE[lang] in page.input_value("#id_text"), "the concern starts from what was not as usual"
    audit(page, lang=lang, console=console)
    page.check(f'input[name="level"][value="{Concern.Level.WORRIED}"]')
    page.fill("#id_text", CONCERN_TEXT[lang])
    submit_form(page, "#id_text")
    assert url_path(page) == world.path(f"/cook/meals/{meal.pk}/")
    assert t(lang, "Thank you. We have told the coordinators of the area.") in banner(page)
    concern = Concern.objects.get(diner=diner)
    assert (concern.level, concern.text, concern.visit, concern.match) == (
        Concern.Level.WORRIED,
        CONCERN_TEXT[lang],
        visit,
        match,
    )
    audit(page, lang=lang, console=console)

    # The coordinators, and the referrer the diner chose, are told there is a concern and to sign in to
    # read it: an email never says what it is.
    for person, link in (
        (world.coordinator, rf"/coordinator/concerns/{concern.pk}/"),
        (world.referrer, rf"/diners/{diner.pk}/"),
    ):
        told = last_email_to(person.email)
        told_text = told.subject + told.body + "".join(content for content, _type in getattr(told, "alternatives", []))
        for private in (CONCERN_TEXT[lang], MOVING_NOTE[lang], VISIT_NOTE[lang]):
            assert private not in told_text, (person.email, private)
        link_in(told, link)

    # The coordinator: the open concern on their home, the queue, the concern's text.
    other, other_console = open_page(lang=lang, width=COORDINATOR_WIDTH, user=world.coordinator)
    other.goto(world.url("/coordinator/"))
    assert other.locator("#concerns-open").inner_text().strip() == _counted(
        lang, "%(counter)s open", "%(counter)s open", 1
    )
    audit(other, lang=lang, console=other_console)
    click(other, f'#concerns-heading ~ ul a[href="{world.path("/coordinator/concerns/")}"]')
    assert other.locator(f"#concern-{concern.pk}").count() == 1
    audit(other, lang=lang, console=other_console)
    click(other, f"#concern-{concern.pk} a")
    assert url_path(other) == world.path(f"/coordinator/concerns/{concern.pk}/")
    assert CONCERN_TEXT[lang] in other.locator("#concern-text").inner_text()
    audit(other, lang=lang, console=other_console)

    # 2. Another meal: nobody answered the door.
    texts_before = len(texts_to(emergency_phone))
    page.goto(world.url(f"/cook/meals/{door_meal.pk}/"))
    click(page, "#record-visit")
    page.check(f'input[name="outcome"][value="{Visit.Outcome.NO_ANSWER}"]')
    submit_form(page, "#id_note")
    door_visit = Visit.objects.get(meal=door_meal)
    case = DoorCase.objects.get(visit=door_visit)
    assert url_path(page) == world.path(f"/cook/visits/{door_visit.pk}/no-answer/")
    # What to do now, plainly: the emergency number, and the diner's phone (they agreed to share it).
    emergency = page.locator("#emergency").inner_text()
    assert EMERGENCY[lang] in emergency and str(name) in emergency
    assert page.locator("#diner-phone").count() == 1
    audit(page, lang=lang, console=console)
    # The emergency contact is texted at once (the diner agreed): nobody answered, nothing else.
    sent = texts_to(emergency_phone)[texts_before:]
    assert len(sent) == 1
    assert all(private not in sent[0] for private in (CONCERN_TEXT[lang], MOVING_NOTE[lang], VISIT_NOTE[lang]))

    # The coordinator's home: the open case before everything else.
    other.goto(world.url("/coordinator/"))
    assert other.locator("main h2").first.get_attribute("id") == "door-cases-title"
    assert other.locator(f"#door-case-{case.pk}").count() == 1
    assert t(lang, "Nobody is dealing with it yet") in other.locator(f"#door-case-{case.pk}").inner_text()
    audit(other, lang=lang, console=other_console)

    # The timed re-raise, on a frozen clock: the case opened 65 minutes ago (as if the cook had recorded
    # it then); at 59 minutes nothing happens, at 61 every coordinator of the area is told again, once.
    second = CoordinatorFactory(
        full_name="Second Coordinator" if lang == "en" else "高橋 次郎",
        email=f"second-{lang}@example.org",
        areas=[diner.area],
        preferred_language=lang,
    )
    DoorCase.objects.filter(pk=case.pk).update(opened_at=F("opened_at") - timedelta(minutes=65))
    DoorCaseStep.objects.filter(case=case).update(at=F("at") - timedelta(minutes=65))
    Visit.objects.filter(pk=door_visit.pk).update(recorded_at=F("recorded_at") - timedelta(minutes=65))
    case.refresh_from_db()
    emails_before = len(mail.outbox)
    assert door.reraise_door_cases(now=case.opened_at + timedelta(minutes=59)) == 0
    assert len(mail.outbox) == emails_before
    assert door.reraise_door_cases(now=case.opened_at + timedelta(minutes=61)) == 1
    reraised = DoorCaseStep.objects.filter(case=case, kind=DoorCaseStep.Kind.RERAISED)
    assert [step.at for step in reraised] == [case.opened_at + timedelta(minutes=61)]
    told_again = mail.outbox[emails_before:]
    assert sorted(address for message in told_again for address in message.to) == sorted(
        [world.coordinator.email, second.email]
    )
    for coordinator in (world.coordinator, second):
        link_in(last_email_to(coordinator.email), rf"/coordinator/door-cases/{case.pk}/")
    assert door.reraise_door_cases(now=case.opened_at + timedelta(minutes=62)) == 0
    assert len(mail.outbox) == emails_before + 2 and reraised.count() == 1

    # The coordinator takes the case, tries to close it without saying what had happened, then does.
    case_path = world.path(f"/coordinator/door-cases/{case.pk}/")
    click(other, f"#door-case-{case.pk} a")
    assert url_path(other) == case_path
    audit(other, lang=lang, console=other_console)
    click(other, "#acknowledge-form button[type=submit]")
    assert url_path(other) == case_path
    assert t(lang, "Thank you. The other coordinators can see that you are dealing with it.") in banner(other)
    audit(other, lang=lang, console=other_console)
    other.fill("#id_close-note", DOOR_NOTE[lang])
    click(other, "#close-form button[type=submit]")
    assert url_path(other) == case_path
    problems = error_summary_problems(other, lang)
    assert t(lang, "Select what had happened") in other.locator(".govuk-error-summary").inner_text()
    assert other.input_value("#id_close-note") == DOOR_NOTE[lang]
    case.refresh_from_db()
    assert case.is_open
    audit(other, lang=lang, console=other_console, from_page_start=False, extra=problems)
    other.check(f'input[name="close-outcome"][value="{DoorCase.Outcome.WAS_OUT}"]')
    click(other, "#close-form button[type=submit]")
    assert url_path(other) == case_path
    assert t(lang, "The case is closed.") in banner(other)
    case.refresh_from_db()
    assert (case.is_open, case.outcome, case.outcome_note, case.closed_by) == (
        False,
        DoorCase.Outcome.WAS_OUT,
        DOOR_NOTE[lang],
        world.coordinator,
    )
    # Every step, in order, each with its time.
    rows = other.locator("#case-steps tbody tr")
    assert [rows.nth(i).get_attribute("data-kind") for i in range(rows.count())] == [
        Kind.OPENED,
        Kind.EMERGENCY_CONTACT_TOLD,
        Kind.COORDINATORS_TOLD,
        Kind.RERAISED,
        Kind.ACKNOWLEDGED,
        Kind.CLOSED,
    ]
    assert all(rows.nth(i).locator("th").inner_text().strip() for i in range(rows.count()))
    assert (
        _label(lang, DoorCase.Outcome.WAS_OUT)
        in other.locator(f'#case-steps tr[data-kind="{Kind.CLOSED}"]').inner_text()
    )
    assert t(lang, "Closed") in other.locator("#case-status").inner_text()
    audit(other, lang=lang, console=other_console)

    # 3. Watch reports: the coordinator, on the phone with the diner, adds their daughter (weekly, eating only).
    daughter = DAUGHTER[lang]
    other.goto(world.url(f"/coordinator/diners/{diner.pk}/watch/"))
    audit(other, lang=lang, console=other_console)
    other.fill("#id_name", daughter["name"])
    other.fill("#id_email", daughter["email"])
    other.fill("#id_relationship", daughter["relationship"])
    other.check(f'input[name="language"][value="{lang}"]')
    other.check(f'input[name="frequency"][value="{WatchRecipient.Frequency.WEEKLY}"]')
    other.check('input[name="shared_items"][value="eating"]')
    other.check('input[name="agreed"]')
    assert other.is_checked(f'input[name="channel"][value="{Channel.PHONE}"]'), "phone is the default"
    submit_form(other, "#id_name")
    assert url_path(other) == world.path(f"/coordinator/diners/{diner.pk}/watch/")
    added = "%(name)s will get reports about %(diner)s. We have emailed them to say so."
    assert t(lang, added, name=addressed(daughter["name"], language=lang), diner=name) in banner(other)
    recipient = WatchRecipient.objects.get(diner=diner)
    assert (recipient.shared_items, recipient.frequency, recipient.approved_channel, recipient.language) == (
        ["eating"],
        WatchRecipient.Frequency.WEEKLY,
        Channel.PHONE,
        lang,
    )
    last_email_to(daughter["email"])  # told what they will get, and how to stop
    audit(other, lang=lang, console=other_console)
    # The week over (and the cooks' time to record it): one report, once.
    report_at = _report_time(meal, zone)
    assert watch.send_watch_reports(now=report_at)["reports"] == 1
    assert watch.send_watch_reports(now=report_at + timedelta(hours=1))["reports"] == 0
    assert WatchReport.objects.filter(recipient=recipient).count() == 1
    report = last_email_to(daughter["email"])
    stayed = _counted(
        lang, "The cook stayed for %(counter)s minute.", "The cook stayed for %(counter)s minutes.", STAYED
    )
    assert stayed in report.body
    assert f"{t(lang, 'Eating')}: {_label(lang, Wellbeing.USUAL)}" in report.body
    for private in (MOVING_NOTE[lang], VISIT_NOTE[lang], CONCERN_TEXT[lang], DOOR_NOTE[lang], moving):
        assert private not in report.body, private

    # 4. The referrer, at a desk: friendship feedback for the diner, refused once without the friend answer.
    them, them_console = open_page(lang=lang, width=REFERRER_WIDTH, user=world.referrer)
    feedback_path = world.path(f"/diners/{diner.pk}/matches/{match.pk}/feedback/")
    them.goto(world.url(f"/diners/{diner.pk}/matches/{match.pk}/feedback/"))
    audit(them, lang=lang, console=them_console)
    them.check(f'input[name="enjoyed"][value="{Feedback.Enjoyed.YES}"]')
    them.check(f'input[name="less_contact_without"][value="{Feedback.YesNo.YES}"]')
    them.fill("#id_changes", CHANGES[lang])
    submit_form(them, "#id_changes")
    assert url_path(them) == feedback_path
    problems = error_summary_problems(them, lang)
    friend_field = f"#{them.locator('input[name=friend]').first.get_attribute('id')}"
    assert summary_links(them) == {friend_field}
    assert not Feedback.objects.filter(match=match).exists()
    assert them.is_checked(f'input[name="enjoyed"][value="{Feedback.Enjoyed.YES}"]')
    assert them.is_checked(f'input[name="less_contact_without"][value="{Feedback.YesNo.YES}"]')
    assert them.input_value("#id_changes") == CHANGES[lang]
    audit(them, lang=lang, console=them_console, from_page_start=False, extra=problems)
    them.check(f'input[name="friend"][value="{FRIEND[lang]}"]')
    submit_form(them, "#id_changes")
    assert url_path(them) == world.path(f"/diners/{diner.pk}/")
    assert t(lang, "Thank you for your feedback.") in banner(them)
    given = Feedback.objects.get(match=match)
    assert (given.side, given.friend, given.channel, given.given_by, given.changes) == (
        Feedback.Side.DINER,
        FRIEND[lang],
        Channel.WEB,
        world.referrer,
        CHANGES[lang],
    )
    audit(them, lang=lang, console=them_console)

    # 5. The coordinator, on the phone: the diner agrees, then answers their language's loneliness questions.
    loneliness_path = world.path(f"/coordinator/diners/{diner.pk}/loneliness/")
    other.goto(world.url(f"/coordinator/diners/{diner.pk}/loneliness/"))
    assert other.locator("#ask").count() == 0, "no questions before they agree"
    audit(other, lang=lang, console=other_console)
    other.check('input[name="consent-given"][value="yes"]')
    assert other.is_checked(f'input[name="consent-channel"][value="{Channel.PHONE}"]')
    _press(other, "consent")
    assert url_path(other) == loneliness_path
    assert t(lang, "Saved: %(name)s agreed to answer the loneliness questions.", name=name) in banner(other)
    assert MeasureConsent.objects.get(diner=diner).given
    assert FIRST_QUESTION[lang] in other.locator("#ask").inner_text(), "the scale's own words"
    audit(other, lang=lang, console=other_console)
    answers, score = LONELINESS[lang]
    for key, option in answers.items():
        other.check(f'input[name="answers-{key}"][value="{option}"]')
    assert other.is_checked(f'input[name="answers-channel"][value="{Channel.PHONE}"]')
    _press(other, "answers")
    assert url_path(other) == loneliness_path
    assert t(lang, "%(name)s’s answers have been saved.", name=name) in banner(other)
    measure = LonelinessMeasure.objects.get(diner=diner)
    expected_scale = LonelinessMeasure.Scale.ONS if lang == "en" else LonelinessMeasure.Scale.JP_NATIONAL
    assert (measure.scale, measure.answers, measure.score, measure.channel, measure.intake) == (
        expected_scale,
        answers,
        score,
        Channel.PHONE,
        True,
    )
    assert str(score) in other.locator(f"#measure-{measure.pk}").inner_text()
    audit(other, lang=lang, console=other_console)

    # 6. The coordinator's timeline of the match shows all of it.
    other.goto(world.url(f"/coordinator/matches/{match.pk}/timeline/"))
    assert other.locator("#summary-meals").inner_text().strip() == "2"
    assert other.locator("#summary-time").inner_text().strip() == _duration(lang, STAYED + EARLIER_STAYED)
    assert _label(lang, FRIEND[lang]) in other.locator("#summary-friend").inner_text()
    loneliness_summary = t(lang, "Score %(intake)s at intake, %(latest)s at the latest.", intake=score, latest=score)
    assert loneliness_summary in other.locator("#summary-loneliness").inner_text()
    stayed_event = _counted(lang, "Stayed %(counter)s minute", "Stayed %(counter)s minutes", STAYED)
    assert stayed_event in other.locator(f"#visit-{visit.pk}").inner_text()
    assert CONCERN_TEXT[lang] in other.locator(f"#event-concern-{concern.pk}").inner_text()
    door_event = other.locator(f"#event-door-{case.pk}").inner_text()
    assert t(lang, "Closed") in door_event and _label(lang, DoorCase.Outcome.WAS_OUT) in door_event
    friend_event = t(lang, "Sees their cook as a friend: %(answer)s", answer=_label(lang, FRIEND[lang]))
    assert friend_event in other.locator(f"#event-feedback-{given.pk}").inner_text()
    audit(other, lang=lang, console=other_console)

    # The cook's timeline: their visits and the concern they raised, but not what it says, and no
    # loneliness answers or friendship answer (the diner's to give).
    page.goto(world.url(f"/cook/matches/{match.pk}/timeline/"))
    assert page.locator("#summary-meals").inner_text().strip() == "2"
    assert stayed_event in page.locator(f"#visit-{visit.pk}").inner_text()
    assert page.locator(f"#event-concern-{concern.pk}").count() == 1
    html = page.content()
    for private in (CONCERN_TEXT[lang], MOVING_NOTE[lang], FIRST_QUESTION[lang], DOOR_NOTE[lang]):
        assert private not in html, private
    assert page.locator("#summary-loneliness, #summary-friend").count() == 0
    audit(page, lang=lang, console=console)

    # The referrer, too, sees the meals and visits, without the wellbeing answers.
    switch_user(page, live_server.url, world.referrer)
    page.goto(world.url(f"/diners/{diner.pk}/matches/{match.pk}/timeline/"))
    assert stayed_event in page.locator(f"#visit-{visit.pk}").inner_text()
    assert MOVING_NOTE[lang] not in page.content() and CONCERN_TEXT[lang] not in page.content()
    audit(page, lang=lang, console=console)
