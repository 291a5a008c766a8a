"""Concerns: raised by the cook from a visit record, by a referrer, by a coordinator who heard it on the
phone; who is told (never the text by email), the coordinators' queue (urgent first), acknowledging and
closing with notes, and the escalation of concerns left open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casserole.models import AuditEntry, Channel, OutboundEmail, OutboundText
from meals.diners.models import Diner
from meals.relationships import concerns
from meals.relationships.errors import RelationshipError
from meals.relationships.models import Concern, Visit
from tests.factories import AreaFactory, CoordinatorFactory, ProxyAccessFactory, UserFactory, add_totp
from tests.meals.relationships.conftest import past_meal

pytestmark = pytest.mark.django_db

SECRET = "She has a bruise on her arm and said she fell on Tuesday"


def make_visit(match, meal=None, **fields) -> Visit:
    meal = meal or match.past_meal
    values = {
        "outcome": Visit.Outcome.DELIVERED,
        "minutes_stayed": 30,
        "wellbeing": {"health": "not_usual", "eating": "not_usual", "sleep": "usual", "worries": "not_asked"},
        "wellbeing_notes": {"eating": "Left most of her lunch", "sleep": "Fine"},
        **fields,
    }
    return Visit.objects.create(meal=meal, match=match, recorded_by=meal.cook, **values)


def raise_one(by, diner, *, level=Concern.Level.WORRIED, text=SECRET, **extra) -> Concern:
    return concerns.raise_concern(by=by, diner=diner, level=level, text=text, **extra)


def emails_to(user_or_email) -> list[OutboundEmail]:
    address = getattr(user_or_email, "email", user_or_email)
    return list(OutboundEmail.objects.filter(to=address).order_by("pk"))


def assert_no_email_carries(text: str) -> None:
    for email in OutboundEmail.objects.all():
        assert text not in email.subject
        assert text not in email.body
        assert "bruise" not in email.body


@pytest.fixture
def visit(visited_match):
    return make_visit(visited_match)


@pytest.fixture
def second_coordinator_a(area_a):
    user = CoordinatorFactory(full_name="Abe Coordinator", email="coord-a2@example.org", areas=[area_a])
    add_totp(user)
    return user


@pytest.fixture
def second_referrer(diner, coordinator_a, area_a):
    user = UserFactory(full_name="Sam Social", email="social@example.org", is_referrer=True, home_area=area_a)
    ProxyAccessFactory(diner=diner, referrer=user, can_view_schedule=False, granted_by=coordinator_a)
    return user


def concern_url(concern: Concern, language: str = "en") -> str:
    return f"/{language}/coordinator/concerns/{concern.pk}/"


QUEUE = "/en/coordinator/concerns/"


# The cook, from a visit record ---------------------------------------------------------------------------


def test_the_cooks_form_starts_from_what_was_not_as_usual(login_as, visit):
    html = login_as(visit.meal.cook).get(f"/en/cook/visits/{visit.pk}/concern/").content.decode()

    assert "Health: not as usual" in html
    assert "Eating: not as usual – Left most of her lunch" in html
    assert "Sleep" not in html.split("<textarea")[1].split("</textarea>")[0]  # as usual: not in the text
    assert "If someone is in danger now, call 999 first." in html
    assert "You think they need help today." in html  # each level in plain words


def test_a_cook_raises_a_concern_from_their_visit(
    login_as, visit, coordinator_a, second_coordinator_a, referrer, coordinator_b
):
    client = login_as(visit.meal.cook)
    OutboundEmail.objects.all().delete()  # the fixtures' own emails

    response = client.post(f"/en/cook/visits/{visit.pk}/concern/", {"level": "worried", "text": SECRET})

    assert response.status_code == 302
    assert response["Location"] == f"/en/cook/meals/{visit.meal_id}/"
    concern = Concern.objects.get()
    assert (concern.visit, concern.match, concern.raised_by) == (visit, visit.match, visit.meal.cook)
    assert (concern.level, concern.text, concern.channel, concern.status) == ("worried", SECRET, "web", "open")
    entry = AuditEntry.objects.get(action="concern_raised")
    assert (entry.actor, entry.object_id, entry.area_id) == (
        visit.meal.cook,
        str(concern.pk),
        visit.match.diner.area_id,
    )
    # Every coordinator of the area, the consenting diner's referrer; not the cook, not another area.
    assert len(emails_to(coordinator_a)) == len(emails_to(second_coordinator_a)) == 1
    assert len(emails_to(referrer)) == 1
    assert emails_to(visit.meal.cook) == emails_to(coordinator_b) == []
    assert_no_email_carries(SECRET)
    email = emails_to(coordinator_a)[0]
    assert "A concern (worried) was raised about Edie" in email.body
    assert f"/en/coordinator/concerns/{concern.pk}/" in email.body
    assert f"/en/diners/{visit.match.diner_id}/concerns/new/#concerns" in emails_to(referrer)[0].body
    # Edie did not agree that her emergency contact is told.
    assert not OutboundText.objects.exists()


def test_a_cook_who_did_not_bring_the_meal_gets_404(login_as, visit, second_cook):
    client = login_as(second_cook)

    assert client.get(f"/en/cook/visits/{visit.pk}/concern/").status_code == 404
    assert client.post(f"/en/cook/visits/{visit.pk}/concern/", {"level": "urgent", "text": "x"}).status_code == 404
    assert not Concern.objects.exists()


def test_only_the_cook_of_the_visits_meal_may_raise_from_it(visit, second_cook):
    with pytest.raises(RelationshipError):
        raise_one(second_cook, visit.match.diner, visit=visit)


def test_a_cover_cook_raises_from_the_meal_they_brought(login_as, visited_match, second_cook):
    meal = past_meal(visited_match, hours_ago=30, cook=second_cook, covered_for=visited_match.cook)
    visit = make_visit(visited_match, meal=meal)

    response = login_as(second_cook).post(f"/en/cook/visits/{visit.pk}/concern/", {"level": "urgent", "text": "x"})

    assert response.status_code == 302
    assert Concern.objects.get().raised_by == second_cook
    # The match's own cook did not bring this meal.
    assert login_as(visited_match.cook).get(f"/en/cook/visits/{visit.pk}/concern/").status_code == 404


# A referrer ------------------------------------------------------------------------------------------------


def proxy_url(diner: Diner, language: str = "en") -> str:
    return f"/{language}/diners/{diner.pk}/concerns/new/"


def test_a_referrer_tells_us_about_a_worry(login_as, diner, referrer, second_referrer, coordinator_a):
    OutboundEmail.objects.all().delete()
    response = login_as(referrer).post(proxy_url(diner), {"level": "urgent", "text": SECRET})

    assert response.status_code == 302
    assert response["Location"] == proxy_url(diner)
    concern = Concern.objects.get()
    assert (concern.raised_by, concern.visit, concern.level) == (referrer, None, "urgent")
    assert len(emails_to(coordinator_a)) == 1
    assert "Casserole: urgent concern about Edie" in emails_to(coordinator_a)[0].subject
    assert emails_to(referrer) == []  # never their own concern back
    assert len(emails_to(second_referrer)) == 1  # the other person acting for Edie (she consented)
    assert_no_email_carries(SECRET)


def test_referrers_are_not_told_without_the_diners_consent(diner, coordinator_a, referrer, second_referrer):
    Diner.objects.filter(pk=diner.pk).update(concerns_to_referrer=False)
    OutboundEmail.objects.all().delete()

    raise_one(coordinator_a, diner)

    assert emails_to(referrer) == emails_to(second_referrer) == []


def test_someone_who_does_not_act_for_the_diner_gets_404(login_as, diner, area_a):
    stranger = UserFactory(full_name="Stan Stranger", email="stranger@example.org", is_referrer=True, home_area=area_a)
    client = login_as(stranger)

    assert client.get(proxy_url(diner)).status_code == 404
    assert client.post(proxy_url(diner), {"level": "urgent", "text": "x"}).status_code == 404
    assert not Concern.objects.exists()


def test_a_consenting_referrer_sees_the_level_and_status_of_others_concerns_and_their_own_text(
    login_as, diner, referrer, coordinator_a, visit
):
    theirs = raise_one(referrer, diner, text="Mine: she seemed confused")
    other = raise_one(visit.meal.cook, diner, level=Concern.Level.URGENT, visit=visit)

    html = login_as(referrer).get(proxy_url(diner)).content.decode()

    assert f'id="concern-{theirs.pk}"' in html and f'id="concern-{other.pk}"' in html
    assert "Mine: she seemed confused" in html
    assert SECRET not in html  # the cook's words stay with the coordinators
    assert 'data-level="urgent"' in html


def test_without_consent_a_referrer_sees_only_their_own_concerns(login_as, diner, referrer, visit):
    Diner.objects.filter(pk=diner.pk).update(concerns_to_referrer=False)
    theirs = raise_one(referrer, diner, text="Mine: she seemed confused")
    other = raise_one(visit.meal.cook, diner, visit=visit)

    html = login_as(referrer).get(proxy_url(diner)).content.decode()

    assert f'id="concern-{theirs.pk}"' in html
    assert f'id="concern-{other.pk}"' not in html


def test_bad_input_keeps_what_was_typed(login_as, diner, referrer):
    response = login_as(referrer).post(proxy_url(diner), {"text": "She hasn’t answered the phone for two days"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert 'href="#id_level_0"' in html
    assert "Select how worried you are" in html
    assert "She hasn’t answered the phone for two days</textarea>" in html
    assert not Concern.objects.exists()


def test_a_too_long_concern_is_refused_with_what_was_typed_kept(login_as, diner, referrer):
    text = "a" * 2001
    html = login_as(referrer).post(proxy_url(diner), {"level": "worried", "text": text}).content.decode()

    assert "What is worrying you must be 2000 characters or fewer" in html
    assert text in html
    assert not Concern.objects.exists()


def test_a_double_submit_makes_one_concern_and_tells_once(login_as, diner, referrer, coordinator_a):
    client = login_as(referrer)
    OutboundEmail.objects.all().delete()
    for _ in range(2):
        client.post(proxy_url(diner), {"level": "worried", "text": SECRET})

    assert Concern.objects.count() == 1
    assert len(emails_to(coordinator_a)) == 1


def test_extra_fields_posted_change_nothing(login_as, diner, referrer, coordinator_a):
    login_as(referrer).post(
        proxy_url(diner),
        {"level": "worried", "text": SECRET, "status": "closed", "raised_by": coordinator_a.pk, "channel": "phone"},
    )

    concern = Concern.objects.get()
    assert (concern.status, concern.raised_by, concern.channel) == ("open", referrer, "web")


# A coordinator, by phone -----------------------------------------------------------------------------------


def coordinator_new_url(diner: Diner, language: str = "en") -> str:
    return f"/{language}/coordinator/diners/{diner.pk}/concerns/new/"


def test_a_coordinator_records_a_concern_heard_on_the_phone(
    login_as, diner, coordinator_a, second_coordinator_a, referrer
):
    client = login_as(coordinator_a)
    html = client.get(coordinator_new_url(diner)).content.decode()
    assert "How did you hear about it?" in html
    OutboundEmail.objects.all().delete()

    response = client.post(coordinator_new_url(diner), {"level": "urgent", "text": SECRET, "channel": "phone"})

    concern = Concern.objects.get()
    assert response["Location"] == concern_url(concern)
    assert (concern.channel, concern.raised_by, concern.visit) == (Channel.PHONE, coordinator_a, None)
    assert AuditEntry.objects.get(action="concern_raised").channel == Channel.PHONE
    assert emails_to(coordinator_a) == []  # never their own concern back
    assert len(emails_to(second_coordinator_a)) == 1
    assert len(emails_to(referrer)) == 1
    assert_no_email_carries(SECRET)


def test_a_coordinator_must_say_how_they_heard(login_as, diner, coordinator_a):
    html = (
        login_as(coordinator_a)
        .post(coordinator_new_url(diner), {"level": "urgent", "text": SECRET, "channel": "pigeon"})
        .content.decode()
    )

    assert "Select how you heard about it" in html
    assert SECRET in html
    assert not Concern.objects.exists()


def test_a_concern_is_linked_to_the_diners_match(diner, coordinator_a, visited_match):
    assert raise_one(coordinator_a, diner).match == visited_match


def test_another_areas_coordinator_gets_404(login_as, diner, coordinator_a, coordinator_b):
    concern = raise_one(coordinator_a, diner)
    client = login_as(coordinator_b)

    assert client.get(coordinator_new_url(diner)).status_code == 404
    assert (
        client.post(coordinator_new_url(diner), {"level": "urgent", "text": "x", "channel": "phone"}).status_code == 404
    )
    assert client.get(concern_url(concern)).status_code == 404
    assert client.post(concern_url(concern), {"action": "acknowledge"}).status_code == 404
    assert f'id="concern-{concern.pk}"' not in client.get(QUEUE).content.decode()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN


def test_no_concern_about_a_closed_diner(diner, coordinator_a):
    Diner.objects.filter(pk=diner.pk).update(status=Diner.Status.CLOSED)

    with pytest.raises(RelationshipError):
        raise_one(coordinator_a, diner)


# The emergency contact -------------------------------------------------------------------------------------


def test_a_consenting_diners_emergency_contact_gets_a_text_without_details(diner, coordinator_a, referrer):
    Diner.objects.filter(pk=diner.pk).update(concerns_to_emergency_contact=True)
    diner.refresh_from_db()

    raise_one(referrer, diner)

    text = OutboundText.objects.get()
    assert text.to == "+447911123456"
    assert text.body == "Area A: we have a concern about Edie. A coordinator will call you. 0161 496 0000"
    assert SECRET not in text.body


def test_the_emergency_text_is_in_the_diners_language(diner, coordinator_a, referrer, area_a):
    area_a.name_ja = "エリアA"
    area_a.save(update_fields=["name_ja"])
    Diner.objects.filter(pk=diner.pk).update(concerns_to_emergency_contact=True, preferred_language="ja")
    diner.refresh_from_db()

    raise_one(referrer, diner)

    body = OutboundText.objects.get().body
    assert body.startswith("エリアA")
    assert "Edie" in body and "0161 496 0000" in body


def test_no_text_without_an_emergency_number(diner, coordinator_a, referrer):
    Diner.objects.filter(pk=diner.pk).update(concerns_to_emergency_contact=True, emergency_phone="")
    diner.refresh_from_db()

    raise_one(referrer, diner)

    assert not OutboundText.objects.exists()


# The queue ---------------------------------------------------------------------------------------------------


def test_the_queue_lists_urgent_first_then_the_oldest(login_as, diner, coordinator_a, referrer):
    now = timezone.now()
    old_info = raise_one(referrer, diner, level=Concern.Level.INFORMATION, text="a")
    old_worried = raise_one(referrer, diner, level=Concern.Level.WORRIED, text="b")
    new_urgent = raise_one(referrer, diner, level=Concern.Level.URGENT, text="c")
    old_urgent = raise_one(referrer, diner, level=Concern.Level.URGENT, text="d")
    closed = raise_one(referrer, diner, level=Concern.Level.URGENT, text="e")
    for concern, hours in ((old_info, 50), (old_worried, 3), (new_urgent, 1), (old_urgent, 2), (closed, 9)):
        Concern.objects.filter(pk=concern.pk).update(raised_at=now - timedelta(hours=hours))
    concerns.close_concern(by=coordinator_a, concern=closed, notes="Done")

    html = login_as(coordinator_a).get(QUEUE).content.decode()

    order = [old_urgent, new_urgent, old_worried, old_info]
    positions = [html.index(f'id="concern-{concern.pk}"') for concern in order]
    assert positions == sorted(positions)
    assert f'id="concern-{closed.pk}"' not in html
    assert "2 urgent concerns: deal with them today." in html
    assert "who acts for the diner" in html
    assert SECRET not in html  # the text is on the concern's own page, where reading it is audited


def test_the_queue_says_who_raised_each_and_flags_escalated(login_as, diner, coordinator_a, visit):
    from_cook = raise_one(visit.meal.cook, diner, visit=visit, text="a")
    by_phone = raise_one(coordinator_a, diner, text="b", channel=Channel.PHONE)
    Concern.objects.filter(pk=from_cook.pk).update(escalated_at=timezone.now())

    html = login_as(coordinator_a).get(QUEUE).content.decode()

    assert "<bdi>Cathy Cook</bdi>, their cook, after a visit" in html
    assert "<bdi>Ada Coordinator</bdi>, a coordinator (phone)" in html
    row = html.split(f'id="concern-{from_cook.pk}"')[1].split("</tr>")[0]
    assert 'data-flag="escalated"' in row
    assert 'data-flag="escalated"' not in html.split(f'id="concern-{by_phone.pk}"')[1].split("</tr>")[0]


def test_the_queue_filters_by_area_for_a_coordinator_of_several(login_as, diner, coordinator_a, area_b):
    coordinator_a.coordinator_memberships.create(area=area_b)
    other_area = AreaFactory(name="Area C", slug="area-c")
    other_diner = Diner.objects.get(pk=diner.pk)
    other_diner.pk = None
    other_diner.area = area_b
    other_diner.save()
    here, there = raise_one(coordinator_a, diner, text="a"), raise_one(coordinator_a, other_diner, text="b")
    client = login_as(coordinator_a)

    both = client.get(QUEUE).content.decode()
    only_a = client.get(f"{QUEUE}?area={diner.area_id}").content.decode()

    assert f'id="concern-{here.pk}"' in both and f'id="concern-{there.pk}"' in both
    assert f'id="concern-{here.pk}"' in only_a and f'id="concern-{there.pk}"' not in only_a
    assert client.get(f"{QUEUE}?area={other_area.pk}").status_code == 404  # not one of theirs


QUEUE_QUERIES = 7


@pytest.mark.parametrize("count", [1, 20])
def test_the_queue_is_seven_queries_whatever_the_number_of_concerns(
    login_as, diner, coordinator_a, referrer, visit, count, django_assert_num_queries
):
    for n in range(count):
        if n % 2:
            raise_one(visit.meal.cook, diner, visit=visit, text=f"cook {n}", level=Concern.Level.URGENT)
        else:
            raise_one(referrer, diner, text=f"referrer {n}")
    Concern.objects.filter(pk=Concern.objects.first().pk).update(
        status=Concern.Status.ACKNOWLEDGED, acknowledged_by=coordinator_a, acknowledged_at=timezone.now()
    )
    client = login_as(coordinator_a)

    # The session, the user, the second-factor device, the coordinator's area ids, their areas (the
    # filter's choices), the concerns with their diner, area, who raised and who acknowledged, and the
    # help block's area (every page).
    with django_assert_num_queries(QUEUE_QUERIES):
        html = client.get(QUEUE).content.decode()

    assert html.count('<tr class="govuk-table__row" id="concern-') == count


# One concern: read, acknowledge, close -------------------------------------------------------------------------


def test_a_coordinator_reads_a_concern_and_the_reading_is_audited(login_as, diner, coordinator_a, referrer):
    concern = raise_one(referrer, diner)

    html = login_as(coordinator_a).get(concern_url(concern)).content.decode()

    assert SECRET in html
    assert "<bdi>Rita Referrer</bdi>, who acts for the diner" in html
    entry = AuditEntry.objects.get(action="concern_viewed")
    assert (entry.actor, entry.object_id) == (coordinator_a, str(concern.pk))


def test_acknowledging_and_closing_with_notes(login_as, diner, coordinator_a, referrer):
    concern = raise_one(referrer, diner)
    client = login_as(coordinator_a)

    response = client.post(concern_url(concern), {"action": "acknowledge"})

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.acknowledged_by) == (Concern.Status.ACKNOWLEDGED, coordinator_a)
    assert concern.acknowledged_at is not None
    assert "I am dealing with it" not in client.get(concern_url(concern)).content.decode()
    assert f'id="concern-{concern.pk}"' in client.get(QUEUE).content.decode()  # still in the queue, as theirs

    response = client.post(concern_url(concern), {"action": "close", "close-notes": "Phoned her daughter."})

    assert response["Location"] == QUEUE
    concern.refresh_from_db()
    assert (concern.status, concern.closed_by, concern.closing_notes) == (
        "closed",
        coordinator_a,
        "Phoned her daughter.",
    )
    assert set(AuditEntry.objects.filter(object_id=str(concern.pk)).values_list("action", flat=True)) >= {
        "concern_acknowledged",
        "concern_closed",
    }
    assert f'id="concern-{concern.pk}"' not in client.get(QUEUE).content.decode()
    html = client.get(concern_url(concern)).content.decode()
    assert "Phoned her daughter." in html
    assert "Close the concern" not in html


def test_closing_needs_notes_and_keeps_the_page(login_as, diner, coordinator_a, referrer):
    concern = raise_one(referrer, diner)

    response = login_as(coordinator_a).post(concern_url(concern), {"action": "close", "close-notes": "  "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Say what was done before you close the concern" in html
    assert 'href="#id_close-notes"' in html
    concern.refresh_from_db()
    assert concern.status == Concern.Status.OPEN


def test_closing_an_open_concern_counts_as_acknowledged(diner, coordinator_a, referrer):
    concern = concerns.close_concern(by=coordinator_a, concern=raise_one(referrer, diner), notes="Seen her.")

    assert (concern.acknowledged_by, concern.status) == (coordinator_a, Concern.Status.CLOSED)


def test_a_closed_concern_cannot_be_acknowledged_or_closed_again(diner, coordinator_a, referrer):
    concern = concerns.close_concern(by=coordinator_a, concern=raise_one(referrer, diner), notes="Seen her.")

    with pytest.raises(RelationshipError):
        concerns.acknowledge_concern(by=coordinator_a, concern=concern)
    with pytest.raises(RelationshipError):
        concerns.close_concern(by=coordinator_a, concern=concern, notes="Again")


def test_another_coordinator_is_told_who_already_has_it(login_as, diner, coordinator_a, second_coordinator_a, referrer):
    concern = raise_one(referrer, diner)
    concerns.acknowledge_concern(by=second_coordinator_a, concern=concern)

    response = login_as(coordinator_a).post(concern_url(concern), {"action": "acknowledge"}, follow=True)

    assert "Abe Coordinator is already looking at this concern." in response.content.decode()


def test_only_a_coordinator_of_the_area_can_act_on_a_concern(diner, coordinator_a, coordinator_b, referrer):
    concern = raise_one(referrer, diner)

    with pytest.raises(RelationshipError):
        concerns.acknowledge_concern(by=coordinator_b, concern=concern)
    with pytest.raises(RelationshipError):
        concerns.close_concern(by=coordinator_b, concern=concern, notes="x")


# Escalation ------------------------------------------------------------------------------------------------


def test_an_urgent_concern_left_open_is_escalated_once(diner, coordinator_a, second_coordinator_a, referrer):
    concern = raise_one(coordinator_a, diner, level=Concern.Level.URGENT)
    OutboundEmail.objects.all().delete()
    raised = concern.raised_at

    assert concerns.escalate_concerns(now=raised + timedelta(minutes=59)) == 0
    assert concerns.escalate_concerns(now=raised + timedelta(minutes=61)) == 1
    assert concerns.escalate_concerns(now=raised + timedelta(minutes=90)) == 0  # once

    concern.refresh_from_db()
    assert concern.escalated_at == raised + timedelta(minutes=61)
    # Every coordinator of the area, the one who raised it too; nobody else; never the text.
    assert len(emails_to(coordinator_a)) == len(emails_to(second_coordinator_a)) == 1
    assert OutboundEmail.objects.count() == 2
    assert "is still open after 60 minutes" in emails_to(coordinator_a)[0].body
    assert_no_email_carries(SECRET)


def test_other_levels_escalate_after_48_hours(diner, coordinator_a, referrer):
    concern = raise_one(referrer, diner, level=Concern.Level.INFORMATION)

    assert concerns.escalate_concerns(now=concern.raised_at + timedelta(hours=47)) == 0
    assert concerns.escalate_concerns(now=concern.raised_at + timedelta(hours=49)) == 1
    assert "still open after 48 hours" in emails_to(coordinator_a)[-1].body


def test_an_acknowledged_or_closed_concern_is_not_escalated(diner, coordinator_a, referrer):
    acknowledged = raise_one(referrer, diner, level=Concern.Level.URGENT, text="a")
    closed = raise_one(referrer, diner, level=Concern.Level.URGENT, text="b")
    concerns.acknowledge_concern(by=coordinator_a, concern=acknowledged)
    concerns.close_concern(by=coordinator_a, concern=closed, notes="Done")

    assert concerns.escalate_concerns(now=timezone.now() + timedelta(days=5)) == 0
    assert not Concern.objects.filter(escalated_at__isnull=False).exists()


def test_the_escalation_settings_are_read(settings, diner, coordinator_a, referrer):
    settings.CONCERN_ESCALATE_URGENT_MINUTES = 15
    concern = raise_one(referrer, diner, level=Concern.Level.URGENT)

    assert concerns.escalate_concerns(now=concern.raised_at + timedelta(minutes=16)) == 1


# The coordinator's home and the diner pages -----------------------------------------------------------------


def test_an_urgent_concern_is_at_the_top_of_the_coordinators_home(login_as, diner, coordinator_a, referrer):
    client = login_as(coordinator_a)
    assert 'id="concerns-urgent"' not in client.get("/en/coordinator/").content.decode()
    raise_one(referrer, diner, level=Concern.Level.WORRIED, text="a")
    raise_one(referrer, diner, level=Concern.Level.URGENT, text="b")

    html = client.get("/en/coordinator/").content.decode()

    assert html.index('id="concerns-urgent"') < html.index('id="cooks-heading"')
    assert "1 urgent concern is open" in html
    assert "2 open, 1 urgent" in html
    assert QUEUE in html


def test_the_diner_pages_link_to_raising_a_concern(login_as, diner, referrer, coordinator_a):
    assert proxy_url(diner) in login_as(referrer).get(f"/en/diners/{diner.pk}/").content.decode()
    assert (
        coordinator_new_url(diner)
        in login_as(coordinator_a).get(f"/en/coordinator/diners/{diner.pk}/").content.decode()
    )


# Japanese ----------------------------------------------------------------------------------------------------


def test_the_pages_work_in_japanese(login_as, diner, coordinator_a, referrer, visit):
    concern = raise_one(referrer, diner, level=Concern.Level.URGENT)
    pages = [
        (login_as(visit.meal.cook), f"/ja/cook/visits/{visit.pk}/concern/"),
        (login_as(referrer), proxy_url(diner, "ja")),
        (login_as(coordinator_a), coordinator_new_url(diner, "ja")),
        (login_as(coordinator_a), "/ja/coordinator/concerns/"),
        (login_as(coordinator_a), concern_url(concern, "ja")),
    ]
    for client, url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert '<html lang="ja"' in html, url
        assert html.count("<h1") == 1, url
    queue = login_as(coordinator_a).get("/ja/coordinator/concerns/").content.decode()
    assert "年" in queue and "利用者" in queue  # the date and the column headings in Japanese


def test_a_japanese_coordinator_is_emailed_in_japanese(diner, coordinator_a, referrer):
    coordinator_a.preferred_language = "ja"
    coordinator_a.save(update_fields=["preferred_language"])

    concern = raise_one(referrer, diner)

    assert f"/ja/coordinator/concerns/{concern.pk}/" in emails_to(coordinator_a)[0].body
