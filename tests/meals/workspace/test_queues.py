"""The coordinator's home: every queue of their areas with its count and the age of its oldest item, each
linking to where it is handled, the area filter, and a fixed number of queries however full the queues."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from casserole.models import OutboundEmail
from tests.factories import CoordinatorFactory, add_totp
from tests.meals.workspace.conftest import AGES, fill_queues
from tests.meals.workspace.test_coordinator_home import COORDINATOR_HOME_QUERIES

pytestmark = pytest.mark.django_db


def text_of(html: str, element_id: str) -> str:
    """The words of the list item with this id, up to its first nested item's end, tags dropped."""
    start = html.index(f'id="{element_id}"')
    part = html[start : html.index("</li>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", part.split(">", 1)[1]).split())


def plural(language: str, singular: str, plural_form: str, count: int, **values) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural_form, count) % {"counter": count, **values}


def oldest(language: str, days: int) -> str:
    return plural(language, "(oldest: %(counter)s day)", "(oldest: %(counter)s days)", days)


def first_in_days(language: str, days: int) -> str:
    return plural(language, "(the first in %(counter)s day)", "(the first in %(counter)s days)", days)


# (element id, the count's words, its age) for each queue, with two items in each.
def expected_lines(language: str) -> list[tuple[str, str, str]]:
    def count(singular: str, plural_form: str, **values) -> str:
        return plural(language, singular, plural_form, 2, **values)

    return [
        ("concerns-open", count("%(counter)s open", "%(counter)s open"), ""),
        (
            "identity-waiting",
            count("%(counter)s photo waiting for a decision", "%(counter)s photos waiting for a decision"),
            oldest(language, AGES["identity"]),
        ),
        (
            "cooks-ready",
            count("%(counter)s cook ready to approve", "%(counter)s cooks ready to approve"),
            oldest(language, AGES["cooks_ready"]),
        ),
        (
            "certificates-expiring",
            count(
                "%(counter)s active cook’s certificate runs out within %(days)s days",
                "%(counter)s active cooks’ certificates run out within %(days)s days",
                days=60,
            ),
            first_in_days(language, AGES["certificates"]),
        ),
        (
            "cooks-to-place",
            count(
                "%(counter)s cook we could not place from their postcode",
                "%(counter)s cooks we could not place from their postcode",
            ),
            oldest(language, AGES["cooks_to_place"]),
        ),
        (
            "referrals-waiting",
            count("%(counter)s request waiting for a decision", "%(counter)s requests waiting for a decision"),
            oldest(language, AGES["referrals"]),
        ),
        (
            "waiting-list",
            count("%(counter)s diner waiting for a cook", "%(counter)s diners waiting for a cook"),
            oldest(language, AGES["waiting"]),
        ),
        (
            "diners-to-place",
            count("%(counter)s diner to place on the map", "%(counter)s diners to place on the map"),
            oldest(language, AGES["diners_to_place"]),
        ),
        (
            "loneliness-due",
            count(
                "%(counter)s diner due for the loneliness questions",
                "%(counter)s diners due for the loneliness questions",
            ),
            oldest(language, AGES["loneliness"]),
        ),
        (
            "offers-waiting",
            count("%(counter)s offer waiting for a decision", "%(counter)s offers waiting for a decision"),
            oldest(language, AGES["offers"]),
        ),
        (
            "introductions-waiting",
            count(
                "%(counter)s approved match waiting for an introduction",
                "%(counter)s approved matches waiting for an introduction",
            ),
            oldest(language, AGES["introductions"]),
        ),
        (
            "different-cook",
            count("%(counter)s diner asking for a different cook", "%(counter)s diners asking for a different cook"),
            oldest(language, AGES["different_cook"]),
        ),
        (
            "feedback-by-phone",
            count(
                "%(counter)s diner due to give feedback by phone",
                "%(counter)s diners due to give feedback by phone",
            ),
            oldest(language, AGES["feedback_by_phone"]),
        ),
        (
            "meals-unconfirmed",
            count(
                "%(counter)s meal not confirmed in the next %(hours)s hours",
                "%(counter)s meals not confirmed in the next %(hours)s hours",
                hours=24,
            ),
            plural(
                language,
                "(the first in %(counter)s hour)",
                "(the first in %(counter)s hours)",
                AGES["meals_unconfirmed_hours"],
            ),
        ),
        (
            "meals-uncovered",
            count("%(counter)s meal cancelled with no cover", "%(counter)s meals cancelled with no cover"),
            first_in_days(language, AGES["meals_uncovered"]),
        ),
        (
            "visits-overdue",
            count(
                "%(counter)s visit not recorded %(hours)s hours after the meal",
                "%(counter)s visits not recorded %(hours)s hours after the meal",
                hours=48,
            ),
            oldest(language, AGES["visits_overdue"]),
        ),
        (
            "failed-emails",
            count(
                "%(counter)s email to people of your areas could not be delivered in the last %(days)s days",
                "%(counter)s emails to people of your areas could not be delivered in the last %(days)s days",
                days=30,
            ),
            oldest(language, AGES["failed_emails"]),
        ),
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_each_queue_shows_its_count_and_the_age_of_its_oldest_item(
    login_as, coordinator_a, area_a, area_b, course, language
):
    fill_queues(area_a, course, 2)
    fill_queues(area_b, course, 1, tag="B")  # another area's items are never counted

    response = login_as(coordinator_a).get(f"/{language}/coordinator/")

    assert response.status_code == 200
    html = response.content.decode()
    for element_id, words, age in expected_lines(language):
        line = text_of(html, element_id)
        assert words in line, (element_id, line)
        assert age in line, (element_id, line)
    concerns = html[html.index('id="concerns-open"') : html.index("</li>", html.index('id="concerns-open"'))]
    assert oldest(language, AGES["concerns"]) in " ".join(re.sub(r"<[^>]+>", " ", concerns).split())
    callbacks = html[html.index('id="callbacks-waiting"') : html.index("</li>", html.index('id="callbacks-waiting"'))]
    assert plural(language, "%(counter)s person waiting for a call", "%(counter)s people waiting for a call", 2) in (
        callbacks
    )
    assert oldest(language, AGES["callbacks"]) in callbacks


def test_each_queue_links_to_where_it_is_handled(login_as, coordinator_a, area_a, course):
    first = fill_queues(area_a, course, 1)

    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    for element_id, href in [
        ("identity-waiting", "/en/coordinator/identity/"),
        ("cooks-ready", "/en/coordinator/cooks/?stage=ready"),
        ("certificates-expiring", "/en/coordinator/training/"),
        ("cooks-to-place", "/en/coordinator/cooks/?stage=needs_placing"),
        ("referrals-waiting", "/en/coordinator/referrals/"),
        ("waiting-list", "/en/coordinator/waiting/"),
        ("diners-to-place", f"/en/coordinator/diners/{first['unplaced'].pk}/location/"),
        ("loneliness-due", f"/en/coordinator/diners/{first['matched'].pk}/loneliness/"),
        ("offers-waiting", "/en/coordinator/offers/"),
        ("introductions-waiting", "/en/coordinator/offers/#to-introduce-heading"),
        ("different-cook", f"/en/coordinator/matches/{first['match'].pk}/feedback/"),
        ("feedback-by-phone", f"/en/coordinator/matches/{first['match'].pk}/feedback/"),
    ]:
        start = html.index(f'id="{element_id}"')
        assert f'href="{href}"' in html[start : html.index("</li>", start)], element_id
    assert 'href="/en/coordinator/concerns/"' in html and 'href="/en/coordinator/call-backs/"' in html
    assert 'href="/en/coordinator/meals/"' in html
    assert "About your certificate 00" in html[html.index('id="failed-emails"') :]


def test_open_concerns_put_urgent_first(login_as, coordinator_a, area_a, course):
    from meals.relationships.models import Concern

    first = fill_queues(area_a, course, 1)
    Concern.objects.create(diner=first["matched"], level=Concern.Level.URGENT, text="Fell over")

    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    assert html.index('id="concerns-urgent"') < html.index('id="concerns-heading"')
    assert "2 open, 1 urgent" in text_of(html, "concerns-open")


def test_empty_queues_say_nothing_about_ages(login_as, coordinator_a):
    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    assert "0 photos waiting for a decision" in html
    assert "oldest:" not in html and "the first in" not in html


def test_failed_emails_are_those_of_the_last_30_days_to_the_areas_people(
    login_as, coordinator_a, coordinator_b, cook, referrer, area_b
):
    def failed(to: str, subject: str, days_ago: int) -> None:
        email = OutboundEmail.objects.create(to=to, subject=subject, body="…", status=OutboundEmail.Status.FAILED)
        OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(days=days_ago))

    failed(cook.email, "To the cook", 2)
    failed(referrer.email, "To the referrer", 3)
    failed(coordinator_a.email, "To the coordinator", 4)
    failed(cook.email, "Too long ago", 31)
    failed("stranger@example.org", "To a stranger", 1)
    failed(coordinator_b.email, "To area B", 1)
    OutboundEmail.objects.create(to=cook.email, subject="Delivered", body="…", status=OutboundEmail.Status.SENT)

    html = login_as(coordinator_a).get("/en/coordinator/").content.decode()

    emails = html[html.index('id="failed-emails"') :]
    assert "3 emails to people of your areas could not be delivered in the last 30 days (oldest: 4 days)" in " ".join(
        re.sub(r"<[^>]+>", " ", emails).split()
    )
    for shown in ("To the cook", "To the referrer", "To the coordinator"):
        assert shown in emails
    for hidden in ("Too long ago", "To a stranger", "To area B", "Delivered"):
        assert hidden not in html
    assert "/admin/" not in emails  # only admins are sent to the admin's list


def test_an_admin_is_sent_to_the_admins_list_of_failed_emails(login_as, admin_user, area_a):
    html = login_as(admin_user).get("/en/coordinator/").content.decode()
    assert 'href="/admin/casserole/outboundemail/?status__exact=failed"' in html


# The area filter ------------------------------------------------------------------------------------------


@pytest.fixture
def coordinator_ab(area_a, area_b):
    user = CoordinatorFactory(full_name="Abe Both", email="coord-ab@example.org", areas=[area_a, area_b])
    add_totp(user)
    return user


def test_a_coordinator_of_several_areas_can_show_one(login_as, coordinator_ab, area_a, area_b, course):
    fill_queues(area_a, course, 2)
    fill_queues(area_b, course, 1, tag="B")
    client = login_as(coordinator_ab)

    everything = client.get("/en/coordinator/").content.decode()
    only_a = client.get(f"/en/coordinator/?area={area_a.pk}").content.decode()
    only_b = client.get(f"/en/coordinator/?area={area_b.pk}").content.decode()

    assert "3 photos waiting for a decision" in everything
    assert "2 photos waiting for a decision" in only_a
    assert f'id="area-{area_b.pk}-heading"' not in only_a and f'id="area-{area_a.pk}-heading"' in only_a
    assert "1 photo waiting for a decision" in only_b
    assert f'href="/en/coordinator/?area={area_b.pk}"' in only_a  # the filter offers the other area
    assert f'href="/en/coordinator/waiting/?area={area_a.pk}"' in only_a
    assert '<strong aria-current="page">All your areas</strong>' in everything


def test_a_coordinator_of_one_area_sees_no_filter(login_as, coordinator_a):
    assert "All your areas" not in login_as(coordinator_a).get("/en/coordinator/").content.decode()


@pytest.mark.parametrize("value", ["{area_b}", "99999999999999999999", "abc", "-1"])
def test_another_area_or_a_bad_value_is_not_found(login_as, coordinator_a, area_b, value):
    url = f"/en/coordinator/?area={value.format(area_b=area_b.pk)}"
    assert login_as(coordinator_a).get(url).status_code == 404


# Queries ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("items", [1, 20])
@pytest.mark.parametrize("area_filter", [False, True])
def test_the_home_takes_the_same_queries_with_1_and_20_items_in_every_queue(
    login_as, coordinator_a, area_a, course, items, area_filter, django_assert_num_queries
):
    fill_queues(area_a, course, items)
    client = login_as(coordinator_a)
    url = f"/en/coordinator/?area={area_a.pk}" if area_filter else "/en/coordinator/"

    with django_assert_num_queries(COORDINATOR_HOME_QUERIES):
        response = client.get(url)

    html = response.content.decode()
    shown = min(items, 10)  # the lists on the home show the first OVERDUE_SHOWN
    assert html.count("/location/") == shown
    # Each meal to confirm, to cover and not recorded links to its page.
    assert len(re.findall(r'href="/en/coordinator/meals/\d+/"', html)) == 3 * shown
    assert html.count("/loneliness/") == shown
    assert html.count('id="door-case-') == items
    assert html.count("About your certificate") == shown
    assert plural(
        "en", "%(counter)s offer waiting for a decision", "%(counter)s offers waiting for a decision", items
    ) in (html)
