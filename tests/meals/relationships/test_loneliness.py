"""The loneliness measure: consent first, each language's own scale scored and stored, due dates (the
coordinator's home counts them), the change since intake kept within one scale, and the coordinator's page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casserole import audit
from casserole.models import AuditEntry
from meals.diners.models import Diner
from meals.relationships import loneliness
from meals.relationships.errors import RelationshipError
from meals.relationships.models import LonelinessMeasure, MeasureConsent
from tests.factories import DinerFactory

pytestmark = pytest.mark.django_db

ONS_ANSWERS = {"companionship": "often", "left_out": "some_of_the_time", "isolated": "often", "lonely": "occasionally"}
JP_ANSWERS = {"companionship": "never", "left_out": "hardly_ever", "isolated": "always", "lonely": "sometimes"}


def consent(diner, given=True) -> MeasureConsent:
    return MeasureConsent.objects.create(diner=diner, given=given, channel="phone")


def measure(diner, *, days_ago: int, score: int = 6, scale: str = "ons", intake: bool = False) -> LonelinessMeasure:
    return LonelinessMeasure.objects.create(
        diner=diner,
        scale=scale,
        answers={},
        score=score,
        intake=intake,
        taken_on=timezone.localdate() - timedelta(days=days_ago),
    )


def url(diner, language="en") -> str:
    return f"/{language}/coordinator/diners/{diner.pk}/loneliness/"


def answers_post(answers: dict, channel: str = "phone") -> dict:
    return {
        "action": "answers",
        **{f"answers-{key}": value for key, value in answers.items()},
        "answers-channel": channel,
    }


# The scales --------------------------------------------------------------------------------------------------


def test_the_ons_scale_scores_the_three_indirect_questions_from_3_to_9():
    scale = loneliness.ONS
    assert [q.key for q in scale.scored] == ["companionship", "left_out", "isolated"]
    assert loneliness.score(scale, ONS_ANSWERS) == 3 + 2 + 3
    lowest = dict.fromkeys(("companionship", "left_out", "isolated"), "hardly_ever_or_never") | {"lonely": "never"}
    assert loneliness.score(scale, lowest) == 3


def test_the_ons_wording_is_the_harmonised_standards():
    texts = [q.text for q in loneliness.ONS.questions]
    assert texts == [
        "How often do you feel that you lack companionship?",
        "How often do you feel left out?",
        "How often do you feel isolated from others?",
        "How often do you feel lonely?",
    ]
    assert [o.text for o in loneliness.ONS.question("lonely").options] == [
        "Often or always",
        "Some of the time",
        "Occasionally",
        "Hardly ever",
        "Never",
    ]


def test_the_japanese_scale_keeps_the_surveys_four_options_and_scores_them_one_to_four():
    scale = loneliness.JP_NATIONAL
    assert [o.text for o in scale.question("companionship").options] == [
        "決してない",
        "ほとんどない",
        "時々ある",
        "常にある",
    ]
    assert [o.text for o in scale.question("lonely").options] == [
        "決してない",
        "ほとんどない",
        "たまにある",
        "時々ある",
        "しばしばある・常にある",
    ]
    # The three indirect items never say 孤独; the direct question does.
    assert all("孤独" not in q.text for q in scale.scored)
    assert "孤独" in scale.question("lonely").text
    assert loneliness.score(scale, JP_ANSWERS) == 1 + 2 + 4  # 決してない, ほとんどない, 常にある: 3–12 in all


def test_answers_missing_or_unknown_are_refused():
    with pytest.raises(RelationshipError):
        loneliness.clean_answers(loneliness.ONS, {**ONS_ANSWERS, "isolated": "sometimes"})  # a Japanese key
    with pytest.raises(RelationshipError):
        loneliness.clean_answers(loneliness.ONS, {"companionship": "often"})
    assert loneliness.clean_answers(loneliness.ONS, {**ONS_ANSWERS, "extra": "x"}) == ONS_ANSWERS


# Services ---------------------------------------------------------------------------------------------------


def test_no_measure_without_consent(coordinator_a, diner):
    with pytest.raises(RelationshipError, match="has not agreed"):
        loneliness.record_loneliness(by=coordinator_a, diner=diner, answers=ONS_ANSWERS)
    consent(diner, given=False)
    with pytest.raises(RelationshipError, match="has not agreed"):
        loneliness.record_loneliness(by=coordinator_a, diner=diner, answers=ONS_ANSWERS)
    assert not LonelinessMeasure.objects.exists()


def test_the_first_measure_is_the_intake_and_stores_the_answers(coordinator_a, diner):
    consent(diner)

    first = loneliness.record_loneliness(by=coordinator_a, diner=diner, answers=ONS_ANSWERS)

    assert (first.scale, first.score, first.intake, first.channel) == ("ons", 8, True, "phone")
    assert first.answers == ONS_ANSWERS
    LonelinessMeasure.objects.filter(pk=first.pk).update(taken_on=timezone.localdate() - timedelta(days=91))
    second = loneliness.record_loneliness(by=coordinator_a, diner=diner, answers=ONS_ANSWERS)
    assert second.intake is False
    entry = AuditEntry.objects.filter(action=audit.Action.LONELINESS_RECORDED).first()
    # The log says which scale, never the answers or the score.
    assert entry.detail == {"scale": "ons", "intake": False}


def test_a_japanese_speaking_diner_is_asked_the_national_survey(coordinator_a, diner):
    Diner.objects.filter(pk=diner.pk).update(preferred_language="ja")
    diner.refresh_from_db()
    consent(diner)

    measure_ = loneliness.record_loneliness(by=coordinator_a, diner=diner, answers=JP_ANSWERS)

    assert (measure_.scale, measure_.score) == ("jp_national", 7)


def test_answers_are_saved_once_a_day(coordinator_a, diner):
    consent(diner)
    loneliness.record_loneliness(by=coordinator_a, diner=diner, answers=ONS_ANSWERS)
    with pytest.raises(RelationshipError, match="already been saved today"):
        loneliness.record_loneliness(by=coordinator_a, diner=diner, answers=ONS_ANSWERS)


def test_another_areas_coordinator_cannot_record(coordinator_b, diner):
    consent(diner)
    with pytest.raises(RelationshipError):
        loneliness.record_loneliness(by=coordinator_b, diner=diner, answers=ONS_ANSWERS)
    with pytest.raises(RelationshipError):
        loneliness.set_measure_consent(by=coordinator_b, diner=diner, given=True, channel="phone")


def test_consent_is_recorded_and_audited(coordinator_a, diner):
    loneliness.set_measure_consent(by=coordinator_a, diner=diner, given=True, channel="in_person")
    loneliness.set_measure_consent(by=coordinator_a, diner=diner, given=False, channel="phone")

    row = MeasureConsent.objects.get(diner=diner)
    assert (row.given, row.channel, row.recorded_by) == (False, "phone", coordinator_a)
    entries = AuditEntry.objects.filter(action=audit.Action.MEASURE_CONSENT_CHANGED, object_id=str(diner.pk))
    assert [e.detail for e in entries.order_by("pk")] == [{"given": True}, {"given": False}]


# Due dates ---------------------------------------------------------------------------------------------------


def test_due_for_intake_then_every_set_number_of_days(settings, diner, area_a):
    settings.LONELINESS_EVERY_DAYS = 91
    today = timezone.localdate()
    assert not loneliness.loneliness_due([area_a]).exists()  # no consent: never due
    consent(diner)
    assert list(loneliness.loneliness_due([area_a])) == [diner]  # the intake
    old = measure(diner, days_ago=90, intake=True)
    assert not loneliness.loneliness_due([area_a]).exists()
    assert loneliness.due_on(old.taken_on, today=today) == today + timedelta(days=1)
    LonelinessMeasure.objects.filter(pk=old.pk).update(taken_on=today - timedelta(days=91))
    assert list(loneliness.loneliness_due([area_a])) == [diner]
    assert loneliness.due_on(today - timedelta(days=91), today=today) == today
    assert loneliness.due_on(None, today=today) == today


def test_the_sql_and_the_python_rule_agree(settings, area_a, diner):
    settings.LONELINESS_EVERY_DAYS = 30
    today = timezone.localdate()
    cases = {None: True, 0: False, 29: False, 30: True, 45: True}
    diners = {}
    for days_ago in cases:
        someone = DinerFactory(area=area_a, status=Diner.Status.ACTIVE)
        consent(someone)
        if days_ago is not None:
            measure(someone, days_ago=days_ago)
        diners[days_ago] = someone
    due = set(loneliness.loneliness_due([area_a]).values_list("pk", flat=True))
    for days_ago, someone in diners.items():
        last = None if days_ago is None else today - timedelta(days=days_ago)
        assert (loneliness.due_on(last, today=today) <= today) is cases[days_ago]
        assert (someone.pk in due) is cases[days_ago]


def test_paused_diners_and_other_areas_are_not_due(diner, area_a, area_b):
    consent(diner)
    elsewhere = DinerFactory(area=area_b, status=Diner.Status.ACTIVE)
    consent(elsewhere)
    Diner.objects.filter(pk=diner.pk).update(status=Diner.Status.PAUSED)
    assert not loneliness.loneliness_due([area_a]).exists()
    assert list(loneliness.loneliness_due([area_b])) == [elsewhere]


def test_the_coordinators_home_counts_who_is_due(login_as, coordinator_a, diner):
    consent(diner)
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()
    assert re.search(r'id="loneliness-due">\s*1 diner due for the loneliness questions', html)


# Change since intake -------------------------------------------------------------------------------------------


def test_change_since_intake_within_one_scale(diner):
    assert loneliness.change_since_intake(diner) is None
    measure(diner, days_ago=200, score=8, intake=True)
    measure(diner, days_ago=100, score=7)
    measure(diner, days_ago=5, score=5)

    change = loneliness.change_since_intake(diner)

    assert (change.scale.code, change.intake_score, change.latest_score, change.change) == ("ons", 8, 5, -3)
    assert change.less_lonely and change.points == 3


def test_no_change_across_scales(diner):
    measure(diner, days_ago=200, score=4, intake=True, scale="ons")
    measure(diner, days_ago=5, score=7, scale="jp_national")

    change = loneliness.change_since_intake(diner)

    assert change.change is None and not change.comparable


def test_change_since_intake_is_one_query(diner, django_assert_num_queries):
    for days in (300, 200, 100):
        measure(diner, days_ago=days)
    with django_assert_num_queries(1):
        loneliness.change_since_intake(diner)


# The page ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("coordinator_a", 200), ("coordinator_b", 404), ("referrer", 403), ("cook", 403), ("anonymous", 302)],
)
def test_who_may_see_the_page(client, login_as, coordinator_a, coordinator_b, referrer, cook, diner, who, expected):
    people = {"coordinator_a": coordinator_a, "coordinator_b": coordinator_b, "referrer": referrer, "cook": cook}
    browser = client if who == "anonymous" else login_as(people[who])
    assert browser.get(url(diner)).status_code == expected


def test_without_consent_the_page_asks_for_it_and_shows_no_questions(login_as, coordinator_a, diner):
    html = login_as(coordinator_a).get(url(diner)).content.decode()

    assert 'id="no-consent"' in html
    assert "How often do you feel left out?" not in html
    assert 'name="consent-given"' in html


def test_a_coordinator_records_consent_then_the_answers_by_phone(login_as, coordinator_a, diner):
    client = login_as(coordinator_a)

    response = client.post(url(diner), {"action": "consent", "consent-given": "yes", "consent-channel": "phone"})
    assert response.status_code == 302 and response["Location"] == url(diner)
    html = client.get(url(diner)).content.decode()
    assert "How often do you feel left out?" in html
    assert re.search(r'<input type="radio" name="answers-channel" value="phone"[^>]*checked>', html)

    response = client.post(url(diner), answers_post(ONS_ANSWERS))

    assert response.status_code == 302
    measure_ = LonelinessMeasure.objects.get(diner=diner)
    assert (measure_.score, measure_.intake, measure_.recorded_by, measure_.channel) == (
        8,
        True,
        coordinator_a,
        "phone",
    )
    html = client.get(url(diner)).content.decode()
    assert f'id="measure-{measure_.pk}"' in html and "Intake" in html


def test_missing_answers_keep_what_was_chosen(login_as, coordinator_a, diner):
    consent(diner)
    partial = {key: value for key, value in ONS_ANSWERS.items() if key != "isolated"}

    response = login_as(coordinator_a).post(url(diner), answers_post(partial))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "There is a problem" in html
    assert "Select their answer to question 3" in html
    assert re.search(r'<input type="radio" name="answers-left_out" value="some_of_the_time"[^>]*checked', html)
    assert not LonelinessMeasure.objects.exists()


def test_the_services_refusal_is_a_form_error(login_as, coordinator_a, diner):
    consent(diner)
    client = login_as(coordinator_a)
    client.post(url(diner), answers_post(ONS_ANSWERS))

    html = client.post(url(diner), answers_post(ONS_ANSWERS)).content.decode()

    assert "Their answers have already been saved today." in html
    assert 'href="#answers-non-field-errors"' in html
    assert LonelinessMeasure.objects.count() == 1


def test_viewing_answers_is_audited_only_when_there_are_some(login_as, coordinator_a, diner):
    client = login_as(coordinator_a)
    consent(diner)
    client.get(url(diner))
    assert not AuditEntry.objects.filter(action=audit.Action.LONELINESS_VIEWED).exists()

    measure(diner, days_ago=3, intake=True)
    client.get(url(diner))

    entry = AuditEntry.objects.get(action=audit.Action.LONELINESS_VIEWED)
    assert (entry.actor, entry.object_id) == (coordinator_a, str(diner.pk))


def test_japanese_questions_stay_japanese_with_an_english_gloss(login_as, coordinator_a, diner):
    Diner.objects.filter(pk=diner.pk).update(preferred_language="ja")
    consent(diner)

    html = login_as(coordinator_a).get(url(diner)).content.decode()

    assert '<span lang="ja">1. あなたは、自分には人とのつきあいがないと感じることがありますか。</span>' in html
    assert "Meaning: Do you ever feel that you have no companionship with other people?" in html
    assert re.search(r'<label class="govuk-label govuk-radios__label" for="[^"]+" lang="ja">決してない</label>', html)
    assert "How often do you feel lonely?" not in html  # never the ONS wording for a Japanese-speaking diner


def test_the_english_scale_on_the_japanese_page_has_a_japanese_gloss(login_as, coordinator_a, diner):
    consent(diner)

    html = login_as(coordinator_a).get(url(diner, "ja")).content.decode()

    assert '<html lang="ja"' in html
    assert '<span lang="en-GB">2. How often do you feel left out?</span>' in html
    # Each question has its gloss in the page's language (the catalogue's words once compiled).
    assert html.count('class="govuk-hint govuk-radios__hint"') == 3 * 3 + 5
    assert 'id="id_answers-left_out_helptext"' in html


def test_the_page_shows_the_change_since_intake(login_as, coordinator_a, diner):
    consent(diner)
    measure(diner, days_ago=200, score=8, intake=True)
    measure(diner, days_ago=5, score=6)

    html = login_as(coordinator_a).get(url(diner)).content.decode()

    assert "2 points lower since intake: they feel less lonely." in html


# The page: 1. the session, 2. the user, 3–4. their authenticators, 5. the diner with their area, 6. their
# consent, 7. their latest measures, 8. the intake and latest scores, 9. the audit entry for viewing them,
# 10. the area for the "Need help?" block.
LONELINESS_PAGE_QUERIES = 10


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_is_ten_queries_whatever_the_number_of_measures(
    login_as, coordinator_a, diner, count, django_assert_num_queries
):
    consent(diner)
    for n in range(count):
        measure(diner, days_ago=91 * (n + 1), intake=n == count - 1)
    client = login_as(coordinator_a)

    with django_assert_num_queries(LONELINESS_PAGE_QUERIES):
        html = client.get(url(diner)).content.decode()

    assert html.count('class="govuk-summary-card" id="measure-') == count


def test_the_diners_record_links_to_the_questions(login_as, coordinator_a, diner):
    html = login_as(coordinator_a).get(f"/en/coordinator/diners/{diner.pk}/").content.decode()
    assert f'href="{url(diner)}"' in html


def test_the_coordinators_home_lists_the_diners_due_with_a_link_to_their_questions(diner, coordinator_a, login_as):
    consent(diner)
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    due = html[html.index('id="loneliness-due"') : html.index("</li>", html.index(f"/diners/{diner.pk}/loneliness/"))]
    assert f'href="/en/coordinator/diners/{diner.pk}/loneliness/"' in due and "Edith O&#x27;Brien" in due
