"""Months of meals for `manage.py load_demo`: in each area's active match, a weekly series that began
the week after the match's introduction (about four and a half months ago, meals.demo.diners) and runs
four weeks ahead, made through the services by the cook, the diner's side and the coordinator, each at
the time it would have happened (`now=` in the past), so the history is the one the product would have
written. What happened at each past meal (visit records, feedback, …) is meals.demo.history.

What each coordinator's week then shows: in Hackney a meal confirmed by phone, one the cook called
off that another cook covers, one called off and waiting for cover, and one not confirmed for
tomorrow; in Setagaya meals confirmed by the diner's care manager (who is reminded of them), a dish
changed for one week, and one not confirmed for tomorrow. The diners' meal preferences are filled in.

Idempotent: a match that has a meal series is left alone. The daily job (schedule_meals) runs last,
so on a later day a second run makes the weeks that have come within the horizon, as the job would.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.people.models import User
from casserole.models import Channel
from meals.demo.history import past_outbox
from meals.diners.models import Diner, ProxyAccess
from meals.matching.models import Match
from meals.schedule import consents, preferences, rules, services
from meals.schedule.models import Meal, MealSeries, Repeat

# How each diner likes their meals, told to the coordinator on the phone.
PREFERENCES = {
    "Edith O'Brien": {
        # No day marked unsuitable for the diners with meals: the demo's meal for tomorrow may be any day.
        "days": ["tue", "thu"],
        "best_time": "lunchtime",
        "portion": "small",
        "visit_style": "chat",
        "door_notes": "Ring twice and give her a minute: she uses a walking frame.",
    },
    "渡辺 ふみ": {
        "days": ["mon", "thu"],
        "best_time": "lunchtime",
        "portion": "regular",
        # At the door at first; after a few weeks she asked her cook in for tea (meals.demo.history).
        "visit_style": "chat",
        "door_notes": "インターホンを押して、少し待ってください。返事がなければ玄関先に置いてください。",
    },
    "山田 花子": {
        "days": ["mon", "thu"],
        "days_unsuitable": ["sat", "sun"],
        "best_time": "afternoon",
        "portion": "small",
        "visit_style": "chat",
        "door_notes": "オートロックです。部屋番号 203 を押して、少し待ってください。",
    },
}


@dataclass(frozen=True)
class Dish:
    name: str
    allergens: tuple[str, ...]  # casserole.allergens codes: what the dish contains


@dataclass(frozen=True)
class MealPlan:
    area: str  # slug
    cook: str  # the cook's email local part
    diner: str  # full name
    weekday: int  # the series' day, 0 = Monday (one of the diner's days)
    start: time
    end: time
    dish: Dish
    extra: Dish  # a one-off tomorrow, not confirmed yet, when tomorrow is not the series' day
    confirmed_by: str  # "proxy" (the diner's referrer, on the web) or "coordinator" (by phone)
    cover_cook: str = ""  # a cook who covers one meal the match's cook calls off
    changed: Dish | None = None  # another dish for one week
    reminders: bool = False  # the referrer asked to be reminded the day before
    cancel_notes: tuple[str, ...] = field(default=())


PLANS = (
    MealPlan(
        area="hackney",
        cook="cook.ready.hackney",
        diner="Edith O'Brien",  # avoids peanuts, sesame (and kiwi fruit); soft food
        weekday=3,
        start=time(12, 30),
        end=time(13, 30),
        dish=Dish("Fish pie with peas", ("gluten", "fish", "milk")),
        extra=Dish("Leek and potato soup with soft bread", ("gluten", "celery", "milk")),
        confirmed_by="coordinator",  # her daughter sees the schedule but does not confirm meals
        cover_cook="cook.backup.hackney",
        cancel_notes=(
            "I have a hospital appointment that afternoon, sorry.",
            "My grandchildren are staying that week.",
        ),
    ),
    MealPlan(
        area="setagaya",
        cook="cook.ready.setagaya",
        diner="渡辺 ふみ",  # avoids eggs
        weekday=0,
        start=time(11, 30),
        end=time(12, 30),
        dish=Dish("肉じゃが", ("wheat", "soya", "pork")),  # pork, as in Tokyo; soy sauce has wheat and soya
        extra=Dish("筑前煮", ("wheat", "soya", "chicken")),
        confirmed_by="proxy",
        changed=Dish("鮭の塩焼きと ほうれん草のおひたし", ("wheat", "fish", "soya", "salmon")),
        reminders=True,
    ),
)


def load_demo_meals(
    *, cooks: dict[str, User], coordinators: dict[str, User], referrers: dict[str, User], now: datetime | None = None
) -> int:
    """Fill in the diners' meal preferences and make each plan's month of meals; returns how many rows
    were made or changed."""
    now = now or timezone.now()
    made = 0
    for name, values in PREFERENCES.items():
        diner = Diner.objects.filter(full_name=name).select_related("area").first()
        if diner is None:
            continue
        before = preferences.initial(diner)
        preferences.set_meal_preferences(
            by=coordinators[diner.area.slug], diner=diner, values=values, channel=Channel.PHONE
        )
        made += before != {**before, **values}
    for plan in PLANS:
        match = (
            Match.objects.filter(cook=cooks[plan.cook], diner__full_name=plan.diner, status=Match.Status.ACTIVE)
            .select_related("diner", "diner__area", "cook")
            .first()
        )
        if match is None or MealSeries.objects.filter(match=match).exists():
            continue
        made += _month_of_meals(
            plan, match, cooks=cooks, coordinator=coordinators[plan.area], referrer=referrers[plan.area], now=now
        )
    made += services.schedule_meals(now=now)["made"]
    return made


def _month_of_meals(plan: MealPlan, match: Match, *, cooks, coordinator: User, referrer: User, now: datetime) -> int:
    zone = match.diner.area.time_zone
    today = rules.local(now, zone).date()
    tomorrow = today + timedelta(days=1)
    cook = match.cook

    # The series' first meal: the plan's weekday in the week after the match began (the introduction);
    # the cook proposed it three days before, or just after the introduction.
    began = match.active_since or now
    first = rules.local(began, zone).date() + timedelta(days=1)
    first += timedelta(days=(plan.weekday - first.weekday()) % 7)
    proposed_at = min(now, max(began + timedelta(hours=1), rules.at(first, time(10), zone) - timedelta(days=3)))
    diner = match.diner
    outbox = past_outbox()
    meal = _propose(plan, match, plan.dish, first, repeat=Repeat.WEEKLY, now=proposed_at)
    outbox.delivered(proposed_at, texts=False)
    # The daily job has run every day since: once within each horizon's length makes the same meals.
    step = timedelta(weeks=settings.MEAL_HORIZON_WEEKS) - timedelta(days=1)
    at = proposed_at + step
    while at < now:
        services.schedule_meals(now=at)
        at += step
    services.schedule_meals(now=now)
    meals = list(Meal.objects.filter(series=meal.series).order_by("starts_at"))
    made = 1 + len(meals)

    confirmer, channel = (referrer, Channel.WEB) if plan.confirmed_by == "proxy" else (coordinator, Channel.PHONE)
    # Past meals were confirmed a couple of days before each (the cook was told then: meals.demo.history).
    for past in (m for m in meals if m.starts_at <= now):
        at = max(proposed_at + timedelta(hours=1), past.starts_at - timedelta(days=2))
        services.decide_meal(by=confirmer, meal=past, confirm=True, channel=channel, now=at)
        outbox.delivered(at, texts=False)

    future = [m for m in meals if m.starts_at > now]
    unconfirmed = next((m for m in future if _day(m, zone) == tomorrow), None)
    if unconfirmed is None:
        # An extra meal tomorrow, proposed this morning: nobody has confirmed it yet.
        _propose(plan, match, plan.extra, tomorrow, repeat=Repeat.NEVER, now=now)
        made += 1
    rest = [m for m in future if m != unconfirmed]
    if len(rest) < 3:  # a horizon shorter than the default four weeks: the past and tomorrow only
        return made

    services.decide_meal(by=confirmer, meal=rest[0], confirm=True, channel=channel, now=now)
    if plan.changed is not None:
        services.move_meal(
            cook=cook,
            meal=rest[1],
            day=_day(rest[1], zone),
            start_time=plan.start,
            end_time=plan.end,
            dish=plan.changed.name,
            allergens=list(plan.changed.allergens),
            allergens_checked=True,
            now=now,
        )
    if plan.cover_cook:
        covered, waiting = rest[1], rest[2]
        # The covered meal had been confirmed: the diner expects it, whoever brings it.
        services.decide_meal(by=confirmer, meal=covered, confirm=True, channel=channel, now=now)
        for called_off, note in zip((covered, waiting), plan.cancel_notes, strict=True):
            services.cancel_meal(by=cook, meal=called_off, reason=Meal.CancelReason.COOK_CANNOT, note=note, now=now)
        services.arrange_cover(
            by=coordinator, meal=covered, cook=cooks[plan.cover_cook], channel=Channel.PHONE, now=now
        )
    if plan.reminders:
        access = ProxyAccess.objects.get(diner=diner, referrer=referrer, revoked_at__isnull=True)
        made += consents.set_meal_reminders(by=referrer, access=access, on=True)
    return made


def _propose(plan: MealPlan, match: Match, dish: Dish, day: date, *, repeat: str, now: datetime) -> Meal:
    return services.propose_meal(
        cook=match.cook,
        match=match,
        day=day,
        start_time=plan.start,
        end_time=plan.end,
        dish=dish.name,
        portion=match.diner.portion,
        allergens=list(dish.allergens),
        allergens_checked=True,
        repeat=repeat,
        now=now,
    )


def _day(meal: Meal, zone: str) -> date:
    return rules.local(meal.starts_at, zone).date()
