"""The demo data: every stage of cook onboarding is there, and a second run changes nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from accounts.onboarding import eligibility as cook_services
from accounts.onboarding.eligibility import Blocker
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.people.models import User
from meals.matching.nearby import nearby_diners
from tests.factories import UserFactory
from tests.meals.conftest import make_active_cook
from training.models import Course

pytestmark = pytest.mark.django_db

DOMAIN = "@demo.casserole.example"


def load(settings) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def cook(local_part: str) -> User:
    return User.objects.get(email=local_part + DOMAIN)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the tests that only look at it (a load takes seconds), in a transaction
    rolled back when the module ends; each test runs in its own savepoint, so one that adds a cook leaves
    no trace. What the load queues is never sent (nothing commits)."""
    private = django_settings.STORAGES["private"]
    location = str(tmp_path_factory.mktemp("demo-private"))
    storages = {
        **django_settings.STORAGES,
        "private": {**private, "OPTIONS": {**private["OPTIONS"], "location": location}},
    }
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, PASSWORD_HASHERS=fast_hasher, STORAGES=storages),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_the_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())


def test_the_demo_has_cooks_at_every_stage_and_loads_twice_without_changes(
    settings, private_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the rejected photo is deleted on commit
        load(settings)
    assert "rows created: 0, rows updated: 0" in load(settings)

    assert not CookProfile.objects.filter(user=cook("cook.new.hackney")).exists()
    waiting = cook("cook.partway.hackney").identity_checks.get()
    assert (waiting.method, waiting.status) == ("photo", IdentityCheck.Status.PENDING)
    assert [p.name for p in private_dir.iterdir()] == [waiting.image_name]
    rejected = cook("cook.rejected.hackney")
    assert rejected.identity_checks.get().status == IdentityCheck.Status.REJECTED
    assert rejected.cook_profile.needs_placing
    assert cook_services.activation_blockers(cook("cook.approval.hackney")) == []
    assert cook("cook.approval.hackney").cook_profile.status == CookProfile.Status.PENDING
    for active in ("cook.ready.hackney", "cook.ready.setagaya", "cook.backup.hackney"):
        assert cook_services.is_active_cook(cook(active))
    expired = cook("cook.expired.hackney")
    assert expired.cook_profile.status == CookProfile.Status.ACTIVE
    assert not cook_services.is_active_cook(expired)
    assert cook_services.activation_blockers(expired) == [Blocker.CERTIFICATE]
    assert cook("cook.suspended.setagaya").cook_profile.status == CookProfile.Status.SUSPENDED


def test_the_demo_has_requests_for_meals_in_every_state(demo):
    from meals.diners.models import Diner, ProxyAccess
    from meals.referrals.models import Referral

    states = set(Referral.objects.values_list("status", flat=True))
    assert states == {"submitted", "more_info", "accepted", "declined"}
    assert set(Diner.objects.values_list("status", flat=True)) == {"referred", "active", "paused", "closed"}
    assert Referral.objects.filter(channel="phone", referrer=None).count() == 2  # phone calls, no account
    assert Diner.objects.filter(latitude=None).exists()  # one diner needs placing by hand
    assert ProxyAccess.objects.filter(referrer__email="referrer.setagaya" + DOMAIN, can_confirm_meals=True).exists()


def test_the_demo_has_an_active_match_in_each_area_and_an_offer_waiting(demo):
    from meals.matching.models import Match

    assert sorted(Match.objects.values_list("status", flat=True)) == ["active", "active", "proposed"]
    active = Match.objects.filter(status="active").select_related("cook", "diner__area")
    assert {(m.diner.area.slug, m.cook.email) for m in active} == {
        ("hackney", "cook.ready.hackney" + DOMAIN),
        ("setagaya", "cook.ready.setagaya" + DOMAIN),
    }
    assert all(m.shares_details for m in active)


@pytest.mark.parametrize(
    ("area", "profile", "names"),
    [
        ("hackney", {"postcode": "E8 4QT", "travel_distance": Decimal("1.5")}, {"Peggy", "Stan", "Reenie"}),
        (
            "setagaya",
            {
                "country": "JP",
                "address_line1": "太子堂2丁目5-5",
                "town": "東京都世田谷区",
                "postcode": "154-0004",
                "phone": "+81354320099",
                "travel_distance": Decimal("3"),
            },
            {"トメ", "一郎"},
        ),
    ],
)
def test_a_newcomer_who_signs_up_to_cook_in_either_area_finds_diners_to_offer_to(demo, area, profile, names):
    newcomer = UserFactory(email=f"new-{area}@example.org", is_cook=True)
    coordinator = User.objects.get(email=f"coordinator.{area}{DOMAIN}")
    course = Course.objects.filter(is_current=True).get()
    make_active_cook(newcomer, coordinator=coordinator, course=course, **profile)

    found = {diner.preferred_name for diner in nearby_diners(newcomer.cook_profile)}

    assert newcomer.home_area.slug == area
    assert names <= found


def test_the_expired_certificate_is_on_the_course_as_it_was_when_it_was_passed(demo):
    expired = cook("cook.expired.hackney").certificates.get()
    current = Course.objects.get(is_current=True)
    assert current.version == "v2" and expired.course.version == "v1"
    assert expired.attempt.submitted_at == expired.issued_at
    assert cook("cook.ready.hackney").certificates.get().course == current


def test_the_demo_has_a_month_of_meals_in_both_areas(demo):
    from django.utils import timezone

    from casserole import allergens
    from meals.schedule import rules
    from meals.schedule.models import Meal, MealRemindersConsent

    now = timezone.now()
    meals = list(Meal.objects.select_related("match__diner__area", "cook", "covered_for", "decided_by"))
    for area in ("hackney", "setagaya"):
        mine = [m for m in meals if m.match.diner.area.slug == area]
        zone = mine[0].match.diner.area.time_zone
        tomorrow = rules.local(now, zone).date() + timedelta(days=1)
        past = [m for m in mine if m.starts_at <= now]
        assert len(past) >= 3 and all(m.status == "confirmed" for m in past), area
        assert min(m.starts_at for m in past) <= now - timedelta(days=20)
        assert max(m.starts_at for m in mine) >= now + timedelta(days=21)
        # Not confirmed, tomorrow in the area's time: the coordinator's week flags it.
        assert any(m.status == "proposed" and rules.local(m.starts_at, zone).date() == tomorrow for m in mine)
        for meal in mine:  # every dish is safe for its diner
            assert allergens.clashes(meal.allergens, meal.match.diner.allergens) == [], meal.dish
    hackney = [m for m in meals if m.match.diner.area.slug == "hackney" and m.starts_at > now]
    assert any(
        m.status == "confirmed" and m.decision_channel == "phone" and m.decided_by.is_coordinator for m in hackney
    )
    [covered] = [m for m in hackney if m.covered_for is not None]
    assert (covered.cook.email, covered.covered_for.email) == (
        "cook.backup.hackney" + DOMAIN,
        "cook.ready.hackney" + DOMAIN,
    )
    assert covered.status == "confirmed"
    [waiting] = [m for m in hackney if m.needs_cover]
    assert waiting.cancel_note
    setagaya = [m for m in meals if m.match.diner.area.slug == "setagaya"]
    assert any(m.status == "confirmed" and m.decided_by.email == "referrer.setagaya" + DOMAIN for m in setagaya)
    assert {"肉じゃが", "鮭の塩焼きと ほうれん草のおひたし"} <= {m.dish for m in setagaya}
    assert MealRemindersConsent.objects.filter(proxy__referrer__email="referrer.setagaya" + DOMAIN).exists()


def test_the_demo_diners_meal_preferences_pass_the_form_that_edits_them(demo):
    from meals.diners.models import Diner
    from meals.schedule.preferences import PreferencesForm, initial

    filled = Diner.objects.exclude(door_notes="")
    assert {d.preferred_name for d in filled} >= {"Edie", "ふみ", "花子"}
    for diner in filled:
        form = PreferencesForm(data={**initial(diner)})
        assert form.is_valid(), (diner.full_name, form.errors)
        assert diner.best_time != "any" and diner.visit_style != "either" and diner.days


# The relationship log (meals.demo.history) ----------------------------------------------------------------

HISTORY = {
    # area: (the diner, their scale, how often their family gets reports, the concern left, a note's words)
    "hackney": ("Edith O'Brien", "ons", "weekly", ("worried", "acknowledged"), "Both keen gardeners"),
    "setagaya": ("渡辺 ふみ", "jp_national", "monthly", ("worried", "closed"), "顔合わせをしました"),
}


def test_each_areas_active_match_has_months_of_history_that_the_jobs_find_up_to_date(demo, settings):
    from django.utils import timezone

    from casserole.models import OutboundText
    from meals.matching.models import Match
    from meals.relationships import concerns, door, feedback, visits, watch
    from meals.relationships.models import (
        Concern,
        DoorCase,
        FeedbackAsk,
        LonelinessMeasure,
        MatchNote,
        VisitReminder,
        WatchReport,
    )
    from meals.schedule.models import Meal

    now = timezone.now()
    for area, (name, scale, frequency, concern_left, _words) in HISTORY.items():
        match = Match.objects.select_related("diner__area").get(status="active", diner__full_name=name)
        assert match.active_since <= now - timedelta(weeks=16), area
        assert match.offered_at < match.decided_at < match.introduction_at == match.active_since

        # A visit record for most past meals, over at least twelve weeks: one away, one unanswered door.
        recorded = list(match.visits.select_related("meal").order_by("meal__starts_at"))
        delivered = [v for v in recorded if v.outcome == "delivered"]
        assert len(delivered) >= 12 and recorded[0].meal.starts_at <= now - timedelta(weeks=12), area
        assert {v.minutes_stayed for v in delivered} <= {15, 30, 60, 90}
        assert any("not_usual" in v.wellbeing.values() for v in delivered)
        assert sum("not_usual" not in v.wellbeing.values() for v in delivered) > len(delivered) * 3 / 4
        assert sorted(v.outcome for v in recorded if v.outcome != "delivered") == ["diner_away", "no_answer"]
        [case] = DoorCase.objects.filter(diner=match.diner)
        assert case.closed_at is not None and case.outcome and case.outcome_note, area
        assert not DoorCase.objects.filter(closed_at=None).exists()  # nothing alarming waits for a visitor

        # One past meal not recorded: its cook was reminded, and the coordinator sees it.
        assert visits.overdue_visits_count([match.diner.area], now=now) == 1
        [late] = visits.overdue_visits([match.diner.area], now=now)
        assert VisitReminder.objects.filter(meal=late).exists()
        assert Meal.objects.filter(match=match, starts_at__lte=now - timedelta(days=3), visit=None).count() == 1

        # Feedback after the 1st, 2nd and 4th meals, then monthly; "a friend?" from "not yet" to "yes".
        diner_side = list(match.feedback.filter(side="diner").order_by("given_at"))
        assert [f.occasion for f in diner_side][:3] == ["meal-1", "meal-2", "meal-4"]
        assert diner_side[3].occasion.startswith("month-") and len(diner_side) >= 5
        assert (diner_side[0].friend, diner_side[-1].friend) == ("not_yet", "yes")
        assert match.feedback.filter(side="cook", occasion="meal-1").exists()
        assert {f.channel for f in diner_side} == {"phone" if area == "hackney" else "web"}

        # The loneliness questions at intake and three months later, on the same scale, less lonely now.
        measures = list(LonelinessMeasure.objects.filter(diner=match.diner).order_by("taken_on"))
        assert len(measures) >= 2 and measures[0].intake and not measures[-1].intake
        assert {m.scale for m in measures} == {scale}
        assert (measures[-1].taken_on - measures[0].taken_on).days >= settings.LONELINESS_EVERY_DAYS
        assert measures[-1].score < measures[0].score
        assert match.diner.measure_consent.given

        # Family the diner chose get reports; concerns; the coordinator's notes.
        [recipient] = match.diner.watch_recipients.all()
        assert recipient.frequency == frequency and recipient.reports.count() >= 3
        assert recipient.email.endswith(DOMAIN)
        [concern] = Concern.objects.filter(diner=match.diner)
        assert (concern.level, concern.status) == concern_left
        assert MatchNote.objects.filter(match=match).count() >= 2

    # What the history queued belongs to its day: delivered then, never sent now (no text to anyone).
    assert not OutboundText.objects.filter(status="queued").exists()
    for model in (WatchReport, FeedbackAsk, VisitReminder):
        assert not model.objects.filter(email__status="queued").exists(), model
    # The jobs ran as loading finished: run straight afterwards, they send nothing.
    assert door.reraise_door_cases() == 0
    assert concerns.escalate_concerns() == 0
    assert visits.remind_overdue_visits() == 0
    asked = feedback.ask_for_feedback()
    assert asked["cooks"] == asked["proxies"] == 0
    assert watch.send_watch_reports()["reports"] == 0


def test_the_coordinators_timeline_of_each_active_match_shows_its_history_in_the_areas_language(demo, login_as):
    from meals.matching.models import Match

    for area, language in (("hackney", "en"), ("setagaya", "ja")):
        name, _scale, _frequency, _concern, words = HISTORY[area]
        match = Match.objects.get(status="active", diner__full_name=name)
        client = login_as(User.objects.get(email=f"coordinator.{area}{DOMAIN}"))
        url = f"/{language}/coordinator/matches/{match.pk}/timeline/"
        response = client.get(url)
        assert response.status_code == 200, area
        html = response.content.decode()
        assert f'<html lang="{"en-GB" if language == "en" else "ja"}"' in html
        assert ("Meals shared" if language == "en" else "いっしょにしたお食事") in html
        summary = response.context["summary"]
        assert summary.meals_shared >= 12 and summary.weeks_together >= 16
        assert summary.latest_friend.friend == "yes" and summary.loneliness.less_lonely
        # Months of it, back to the introduction and the coordinator's note on it.
        pages = response.context["page"].paginator.num_pages
        assert pages >= 2
        oldest = client.get(f"{url}?page={pages}")
        assert oldest.status_code == 200 and words in oldest.content.decode()
