"""Months of history in each area's active match, for `manage.py load_demo`: what the relationship log
would hold after about four and a half months of weekly meals (the matches were introduced that long ago,
meals.demo.diners; the meals themselves are meals.demo.meals).

Made through the services, each step at the time it would have happened, in the order it happened
across both areas (the periodic jobs see what was there at their time):
- a visit record for most past meals (delivered, time stayed, the wellbeing check mostly "as usual", a
  few "not as usual" with notes), one "the diner was away" and one "no answer at the door" in each area,
  the door case closed by the coordinator with what had happened (Hackney's raised again after an hour
  first); one past meal in each area not recorded, whose cook was reminded, so the coordinator sees it;
- feedback after the 1st, 2nd and 4th meals and then monthly: the cook's, and the diner's (Hackney: the
  coordinator on the phone; Setagaya: the care manager online), "a friend?" going from "not yet" to "yes";
- the loneliness questions, with consent, at intake and three months later (ONS in Hackney, the national
  survey in Setagaya), lonelier at intake than now;
- a watch-report recipient the diner chose (Edie's daughter weekly, ふみ's son monthly) and the reports
  sent since; in Hackney one concern still open (a coordinator is looking at it), in Setagaya one closed;
- a few coordinators' notes on each match's timeline.
The relationship jobs last ran when loading finished, so `relationship_jobs` run straight afterwards has
nothing to do: nothing is overdue but the two visit records already chased.

Services that take no `now=` (concerns, notes, watch recipients, the loneliness measure) stamp the time
they ran: the row's own time is moved back to when it happened, as people.py does for old certificates.
The emails and texts the history queues belonged to their day: they are marked as delivered then, so
loading never sends them now (and never texts an emergency contact's number).

Idempotent: a match with any visit record is left alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from accounts.people.models import User
from casserole.models import Channel, OutboundEmail, OutboundText
from meals.matching.models import Match
from meals.relationships import concerns, door, feedback, loneliness, timeline, visits, watch
from meals.relationships.models import (
    WELLBEING_KEYS,
    Concern,
    DoorCase,
    Feedback,
    LonelinessMeasure,
    MatchNote,
    Visit,
    WatchRecipient,
    Wellbeing,
)
from meals.schedule import rules
from meals.schedule.models import Meal

DELIVERED, NO_ANSWER, DINER_AWAY = Visit.Outcome.DELIVERED, Visit.Outcome.NO_ANSWER, Visit.Outcome.DINER_AWAY


@dataclass(frozen=True)
class VisitPlan:
    """One meal's visit record, when it is not an ordinary one."""

    outcome: str = DELIVERED
    not_usual: dict[str, str] = field(default_factory=dict)  # wellbeing item → the cook's note
    note: str = ""


@dataclass(frozen=True)
class DoorPlan:
    meal: int  # which past meal (0: the first)
    reraised: bool  # nobody picked it up within the hour: raised again to every coordinator
    acknowledged_after: int  # minutes after the cook found no answer
    note: str  # the coordinator's note on the case, ten minutes after acknowledging
    outcome: str
    outcome_note: str


@dataclass(frozen=True)
class ConcernPlan:
    """A concern the cook raised from a visit record: the items not as usual that day, then what they wrote."""

    not_usual: dict[str, str]  # wellbeing item → the cook's note
    level: str
    text: str
    closing_notes: str = ""  # empty: still open (a coordinator is looking at it)
    follow_up_note: str = ""  # the coordinator's note on the timeline after looking into it


@dataclass(frozen=True)
class Answers:
    enjoyed: str
    friend: str = ""
    less_contact_without: str = ""
    changes: str = ""


@dataclass(frozen=True)
class WatchPlan:
    name: str
    email_local_part: str  # at the demo's own domain: the demo emails nobody real
    relationship: str
    language: str
    frequency: str
    shared_items: tuple[str, ...]
    channel: str
    after_meal: int  # added two days after this past meal


@dataclass(frozen=True)
class Story:
    area: str  # slug
    cook: str  # the cook's email local part
    diner: str  # full name
    diner_feedback_by: str  # "coordinator" (on the phone) or "proxy" (the referrer, online)
    stays: tuple[int, ...]  # minutes stayed at each delivered meal in turn (the last repeats); the form's values
    visits: dict[int, VisitPlan]  # past meal → its record, when not an ordinary one
    away: int  # the past meal the diner was away for
    away_note: str
    door: DoorPlan
    concern_meal: int | None  # the past meal whose visit raised it; None: the latest that ended two days ago
    concern: ConcernPlan
    unrecorded_from_end: int  # which of the meals ended two days ago or more (from the latest: 1) was never recorded
    feedback_diner: dict[str, Answers]  # "meal-1", "meal-2", "meal-4", then "month" (each month alike)
    first_month_diner: Answers  # the first monthly answer, where "a friend?" first says yes
    feedback_cook: dict[str, Answers]
    loneliness: tuple[dict[str, str], dict[str, str]]  # intake, three months later
    watch: WatchPlan
    notes: tuple[tuple[int, int, str], ...]  # (past meal, hours after it, text); -1: the introduction


STORIES = (
    Story(
        area="hackney",
        cook="cook.ready.hackney",
        diner="Edith O'Brien",
        diner_feedback_by="coordinator",
        stays=(60, 60, 30, 60, 90, 60, 30, 60, 60, 90),
        visits={
            0: VisitPlan(note="First meal. Edie showed me round her garden and we had tea after lunch."),
            3: VisitPlan(not_usual={"moving": "Her knee was sore and she used the frame indoors."}),
            9: VisitPlan(
                not_usual={"going_out": "She hasn't been out since the weekend: her knee again."},
                note="She asked if I could post a birthday card for her granddaughter. Done.",
            ),
        },
        away=7,
        away_note="A neighbour said Edie is staying with her sister in Margate this week.",
        door=DoorPlan(
            meal=11,
            reraised=True,
            acknowledged_after=70,
            note="Phoned Edie twice: no answer. Sarah (daughter) thinks she may be at the hairdresser's and "
            "is going round now.",
            outcome="was_out",
            outcome_note="Sarah found her at the hairdresser's on Mare Street: she had forgotten it was Thursday. "
            "All well. Margaret will ring the day before from now on.",
        ),
        concern_meal=None,
        concern=ConcernPlan(
            not_usual={
                "eating": "She left most of her lunch.",
                "worries": "Her friend Joan died last week. She seemed very low.",
            },
            level=Concern.Level.WORRIED,
            text="Eating: not as usual – she left most of her lunch.\n"
            "Worries: not as usual – her friend Joan died last week and she said she doesn't see the point of "
            "cooking any more. She seemed very low.",
            follow_up_note="Phoned Edie about Margaret's concern: she is sad about Joan but eating a little more. "
            "Sarah will drop in at the weekend. I'll ring Edie again on Friday.",
        ),
        unrecorded_from_end=3,
        feedback_diner={
            "meal-1": Answers("yes", "not_yet", "yes", "A smaller portion, please: she couldn't finish the fish pie."),
            "meal-2": Answers("yes", "not_yet", "yes"),
            "meal-4": Answers("yes", "not_yet", "yes", "Nothing. She likes that Margaret stays for a cup of tea."),
            "month": Answers("yes", "yes", "yes"),
        },
        first_month_diner=Answers("yes", "yes", "yes", "Nothing: Thursdays are the best day of her week."),
        feedback_cook={
            "meal-1": Answers("yes", changes="Lovely first visit. Edie is a keen gardener, like me."),
            "meal-2": Answers("yes", changes="Going well. She prefers a smaller portion, so I've cut it down."),
            "meal-4": Answers("yes", changes="We have a routine now: the meal, tea, then a look at the garden."),
            "month": Answers("yes", changes="Still going well."),
        },
        loneliness=(
            {
                "companionship": "often",
                "left_out": "some_of_the_time",
                "isolated": "often",
                "lonely": "often_or_always",
            },
            {
                "companionship": "some_of_the_time",
                "left_out": "hardly_ever_or_never",
                "isolated": "some_of_the_time",
                "lonely": "occasionally",
            },
        ),
        watch=WatchPlan(
            name="Sarah Bennett",
            email_local_part="referrer.hackney",  # Edie's daughter is also the demo's Hackney referrer
            relationship="Daughter",
            language="en",
            frequency=WatchRecipient.Frequency.WEEKLY,
            shared_items=("health", "eating", "sleep", "moving", "going_out"),
            channel=Channel.PHONE,
            after_meal=1,
        ),
        notes=(
            (-1, 4, "Introduced Margaret to Edie at home, with Sarah there. Both keen gardeners: they talked roses "
             "for an hour."),
            (5, 26, "Rang Margaret for the six-week check: all going well, and she'd like to keep Thursdays."),
        ),
    ),
    Story(
        area="setagaya",
        cook="cook.ready.setagaya",
        diner="渡辺 ふみ",
        diner_feedback_by="proxy",
        # At the door for the first weeks, as she asked; then she invited her cook in for tea.
        stays=(15, 15, 15, 30, 30, 60, 30, 60),
        visits={
            0: VisitPlan(note="はじめての食事でした。玄関先で少しお話ししました。"),
            3: VisitPlan(note="今日は初めて家に上がって、お茶をいただきました。昔の三軒茶屋のお話を聞きました。"),
            5: VisitPlan(not_usual={"eating": "食欲があまりないそうです。半分ほど残されました。"}),
            12: VisitPlan(not_usual={"moving": "腰が痛いとのことで、立ち上がるのがつらそうでした。"}),
        },
        away=14,
        away_note="お隣の方によると、息子さんのお宅に泊まりに行っているそうです。",
        door=DoorPlan(
            meal=9,
            reraised=False,
            acknowledged_after=10,
            note="ご長男の誠さんに電話しました。昨日から検査のため入院しているとのことです。",
            outcome="in_hospital",
            outcome_note="検査入院（3日間）でした。退院後、来週の食事は予定どおりお届けします。",
        ),
        concern_meal=7,
        concern=ConcernPlan(
            not_usual={"sleep": "夜中に何度も目が覚めて、よく眠れないそうです。"},
            level=Concern.Level.WORRIED,
            text="睡眠：いつもと違う – 夜中に何度も目が覚めて、よく眠れないそうです。昼間も疲れている様子でした。",
            closing_notes="ケアマネジャーの山本さんに連絡しました。山本さんがかかりつけ医に相談し、薬を見直してもらいました。"
            "次の訪問では、よく眠れているとのことでした。",
        ),
        unrecorded_from_end=2,
        feedback_diner={
            "meal-1": Answers("partly", "not_yet", "yes", "少し味が濃かったそうです。薄味でお願いします。"),
            "meal-2": Answers("yes", "not_yet", "yes"),
            "meal-4": Answers("yes", "not_yet", "yes", "田中さんとお話しするのが楽しみになってきたそうです。"),
            "month": Answers("yes", "yes", "yes"),
        },
        first_month_diner=Answers("yes", "yes", "yes", "月曜日を楽しみにしています。"),
        feedback_cook={
            "meal-1": Answers("yes", changes="玄関先で少しお話ししました。少し緊張されていたようです。"),
            "meal-2": Answers("yes", changes="味を薄めにしました。喜んでいただけました。"),
            "meal-4": Answers("yes", changes="家に上がって、お茶をいただくようになりました。"),
            "month": Answers("yes", changes="順調です。"),
        },
        loneliness=(
            {"companionship": "sometimes", "left_out": "sometimes", "isolated": "always", "lonely": "sometimes"},
            {"companionship": "hardly_ever", "left_out": "never", "isolated": "sometimes", "lonely": "occasionally"},
        ),
        watch=WatchPlan(
            name="渡辺 誠",
            email_local_part="makoto.watanabe",
            relationship="長男",
            language="ja",
            frequency=WatchRecipient.Frequency.MONTHLY,
            shared_items=("health", "eating"),
            channel=Channel.IN_PERSON,
            after_meal=4,
        ),
        notes=(
            (-1, 4, "佐藤が立ち会って、ご自宅で顔合わせをしました。"
             "ふみさんは、はじめは玄関先での受け渡しを希望されています。"),
            (2, 50, "ふみさんから電話がありました。田中さんとお茶を飲むのが楽しみなので、"
             "これからは家に上がってもらいたいとのことです。訪問のしかたを「お話しする」に変えました。"),
            (10, 30, "退院後のご様子を、ご長男の誠さんと電話で話しました。月に一度の報告を喜んでいらっしゃいます。"),
        ),
    ),
)  # fmt: skip


class _PastOutbox:
    """The emails and texts queued since it was made are marked delivered at the time of the step that
    queued them: they belong to their day (the demo sends nothing now, and texts nobody)."""

    def __init__(self) -> None:
        self.email_floor = OutboundEmail.objects.aggregate(pk=Max("pk"))["pk"] or 0
        self.text_floor = OutboundText.objects.aggregate(pk=Max("pk"))["pk"] or 0

    def delivered(self, at: datetime, *, texts: bool = True) -> None:
        queued = {"status": "queued"}
        OutboundEmail.objects.filter(pk__gt=self.email_floor, **queued).update(
            status=OutboundEmail.Status.SENT, created_at=at, sent_at=at, attempts=1
        )
        if texts:
            OutboundText.objects.filter(pk__gt=self.text_floor, **queued).update(
                status=OutboundText.Status.SENT, created_at=at, sent_at=at, attempts=1, provider_id="demo"
            )


def past_outbox() -> _PastOutbox:
    """For meals.demo.meals too: its past confirmations' emails belong to their day as well."""
    return _PastOutbox()


def _backdate(obj, **fields) -> None:
    """Move the times a service stamped with "now" back to when the step happened."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)


@dataclass
class _Timeline:
    """The history's steps, run in the order of their times across both areas. A step that may email or
    text someone says so (`sends`): what it queued is marked delivered at its time."""

    now: datetime
    steps: list[tuple[datetime, int, Callable[[datetime], object], bool]] = field(default_factory=list)

    def at(self, when: datetime, step: Callable[[datetime], object], *, sends: bool = False) -> None:
        if when <= self.now:
            self.steps.append((when, len(self.steps), step, sends))

    def run(self) -> int:
        outbox = _PastOutbox()
        for when, _order, step, sends in sorted(self.steps, key=lambda item: item[:2]):
            step(when)
            if sends:
                outbox.delivered(when)
        return len(self.steps)


def load_demo_history(
    *, cooks: dict[str, User], coordinators: dict[str, User], referrers: dict[str, User], now: datetime | None = None
) -> int:
    """Write each story's months of history (see the module's docstring); returns how many steps were
    taken (each wrote at least one row)."""
    now = now or timezone.now()
    plan = _Timeline(now=now)
    watch_from = None
    for story in STORIES:
        match = (
            Match.objects.filter(cook=cooks[story.cook], diner__full_name=story.diner, status=Match.Status.ACTIVE)
            .select_related("diner", "diner__area", "cook")
            .first()
        )
        if match is None or match.active_since is None or Visit.objects.filter(match=match).exists():
            continue
        added = _plan_story(plan, story, match, coordinator=coordinators[story.area], referrer=referrers[story.area])
        watch_from = min(filter(None, (watch_from, added)), default=None)
    if not plan.steps:
        return 0
    # The job runs every few minutes; a weekly run is enough to send each report (once its period is over).
    when = watch_from + timedelta(days=5) if watch_from else now + timedelta(days=1)
    while when <= now:
        plan.at(when, lambda moment: watch.send_watch_reports(now=moment), sends=True)
        when += timedelta(days=7)
    # And all the jobs ran last just now.
    plan.at(now, _relationship_jobs, sends=True)
    return plan.run()


def _relationship_jobs(now: datetime) -> None:
    """What `manage.py relationship_jobs` runs."""
    door.reraise_door_cases(now=now)
    concerns.escalate_concerns(now=now)
    visits.remind_overdue_visits(now=now)
    feedback.ask_for_feedback(now=now)
    watch.send_watch_reports(now=now)


def _plan_story(plan: _Timeline, story: Story, match: Match, *, coordinator: User, referrer: User) -> datetime | None:
    """Each step of the story, at its time; returns when the watch-report recipient was added."""
    zone = match.diner.area.time_zone
    diner = match.diner

    def on(moment: datetime, days: int, hour: int, minute: int = 0) -> datetime:
        """A wall-clock time in the area, `days` after the day of `moment`."""
        return rules.at(rules.local(moment, zone).date() + timedelta(days=days), time(hour, minute), zone)

    past = list(Meal.objects.filter(match=match, starts_at__lte=plan.now).order_by("starts_at"))
    cook = match.cook  # every past meal was the match's own cook's (the covered one is still to come)
    # Meals that ended two days ago or more: the recent events are counted back from the latest of them.
    settled = [i for i, meal in enumerate(past) if meal.ends_at <= plan.now - timedelta(days=2)]
    unrecorded = settled[-story.unrecorded_from_end] if len(settled) >= story.unrecorded_from_end else None
    concern_at = story.concern_meal if story.concern_meal is not None else (settled[-1] if settled else None)

    # The introduction, then consent to the loneliness questions and the intake, by phone the next day.
    introduced = match.introduction_at or match.active_since
    for index, hours, text in story.notes:
        if index < 0:
            plan.at(introduced + timedelta(hours=hours), _note(match, coordinator, text))
    intake_at = on(introduced, 1, 10, 30)
    plan.at(intake_at, _intake(diner, coordinator, story.loneliness[0]))
    follow_up = intake_at + timedelta(days=settings.LONELINESS_EVERY_DAYS + 1)
    plan.at(follow_up, _follow_up(diner, coordinator, story.loneliness[1]))

    diner_by, diner_channel = (
        (coordinator, Channel.PHONE) if story.diner_feedback_by == "coordinator" else (referrer, Channel.WEB)
    )
    months_answered = {Feedback.Side.DINER: 0, Feedback.Side.COOK: 0}
    delivered, last_month, watch_from = 0, "", None
    for index, meal in enumerate(past):
        for note_index, hours, text in story.notes:
            if note_index == index:
                plan.at(meal.ends_at + timedelta(hours=hours), _note(match, coordinator, text))
        if index == story.watch.after_meal:
            watch_from = on(meal.starts_at, 2, 11)
            plan.at(watch_from, _add_watch(diner, coordinator, story.watch, referrer), sends=True)
        if index == unrecorded:
            # The cook never recorded it: reminded once when it was 48 hours late, it shows to the coordinator.
            due = meal.ends_at + timedelta(hours=settings.VISIT_RECORD_HOURS, minutes=30)
            plan.at(due, lambda when: visits.remind_overdue_visits(now=when), sends=True)
            continue
        if index == story.door.meal:
            _plan_door(plan, story.door, meal, cook, coordinator)
            continue
        if index == story.away:
            away = _record(meal, cook, VisitPlan(outcome=DINER_AWAY, note=story.away_note), index=index)
            plan.at(meal.starts_at + timedelta(minutes=10), away)
            continue
        minutes = story.stays[min(delivered, len(story.stays) - 1)]
        delivered += 1
        visit = story.visits.get(index, VisitPlan())
        if index == concern_at:
            visit = VisitPlan(not_usual=story.concern.not_usual)
        recorded_at = meal.ends_at + timedelta(minutes=20)
        plan.at(recorded_at, _record(meal, cook, visit, index=index, minutes=minutes))
        if index == concern_at:
            _plan_concern(plan, story.concern, match, meal, cook, coordinator, at=recorded_at)
        month = rules.local(meal.starts_at, zone).strftime("%Y-%m")
        if delivered in (1, 2, 4) or (delivered > 4 and month != last_month):
            # An occasion for feedback (the service says which, and whether it is still due): asked by email
            # the next morning (the job), answered that evening (the cook) and the day after (the diner's side).
            plan.at(on(meal.starts_at, 1, 8), lambda when: feedback.ask_for_feedback(now=when), sends=True)
            cook_side = _feedback(match, Feedback.Side.COOK, match.cook, Channel.WEB, story, months_answered)
            plan.at(on(meal.starts_at, 1, 19), cook_side)
            diner_side = _feedback(match, Feedback.Side.DINER, diner_by, diner_channel, story, months_answered)
            plan.at(on(meal.starts_at, 2, 11), diner_side)
        last_month = month
    return watch_from


# The steps -----------------------------------------------------------------------------------------------


def _record(meal: Meal, cook: User, plan: VisitPlan, *, index: int, minutes: int | None = None):
    def step(when: datetime) -> Visit:
        delivered = plan.outcome == DELIVERED
        wellbeing, notes = {}, {}
        if delivered:
            # Every question asked most weeks; at every other visit the last two were not.
            skipped = ("daily_life", "worries") if index % 2 else ()
            wellbeing = {key: Wellbeing.NOT_ASKED if key in skipped else Wellbeing.USUAL for key in WELLBEING_KEYS}
            for key, note in plan.not_usual.items():
                wellbeing[key], notes[key] = Wellbeing.NOT_USUAL, note
        return visits.record_visit(
            cook=cook,
            meal=meal,
            outcome=plan.outcome,
            minutes=minutes if delivered else None,
            wellbeing=wellbeing,
            notes=notes,
            note=plan.note,
            now=when,
        )

    return step


def _plan_door(plan: _Timeline, story: DoorPlan, meal: Meal, cook: User, coordinator: User) -> None:
    found_at = meal.starts_at + timedelta(minutes=10)
    plan.at(found_at, _record(meal, cook, VisitPlan(outcome=NO_ANSWER), index=story.meal), sends=True)
    if story.reraised:
        reraise_at = found_at + timedelta(minutes=settings.DOOR_CASE_RERAISE_MINUTES + 1)
        plan.at(reraise_at, lambda when: door.reraise_door_cases(now=when), sends=True)

    def case() -> DoorCase:
        return DoorCase.objects.select_related("diner", "diner__area").get(visit__meal=meal)

    acknowledged = found_at + timedelta(minutes=story.acknowledged_after)
    plan.at(acknowledged, lambda when: door.acknowledge_door_case(by=coordinator, case=case(), now=when))
    plan.at(
        acknowledged + timedelta(minutes=10),
        lambda when: door.add_door_case_note(by=coordinator, case=case(), note=story.note, now=when),
    )
    plan.at(
        acknowledged + timedelta(minutes=50),
        lambda when: door.close_door_case(
            by=coordinator, case=case(), outcome=story.outcome, note=story.outcome_note, now=when
        ),
    )


def _plan_concern(
    plan: _Timeline, story: ConcernPlan, match: Match, meal: Meal, cook: User, coordinator: User, *, at: datetime
) -> None:
    def concern() -> Concern:
        return Concern.objects.select_related("diner", "diner__area").get(visit__meal=meal)

    def raise_it(when: datetime) -> None:
        visit = Visit.objects.select_related("meal", "match").get(meal=meal)
        raised = concerns.raise_concern(
            by=cook, diner=match.diner, level=story.level, text=story.text, visit=visit, channel=Channel.WEB
        )
        _backdate(raised, raised_at=when)

    def acknowledge(when: datetime) -> None:
        _backdate(concerns.acknowledge_concern(by=coordinator, concern=concern()), acknowledged_at=when)

    def close(when: datetime) -> None:
        closed = concerns.close_concern(by=coordinator, concern=concern(), notes=story.closing_notes)
        _backdate(closed, closed_at=when)

    zone = match.diner.area.time_zone
    next_morning = rules.at(rules.local(at, zone).date() + timedelta(days=1), time(9, 30), zone)
    plan.at(at + timedelta(minutes=2), raise_it, sends=True)
    plan.at(next_morning, acknowledge)
    if story.follow_up_note:
        plan.at(next_morning + timedelta(hours=1), _note(match, coordinator, story.follow_up_note))
    if story.closing_notes:
        plan.at(next_morning + timedelta(days=2, hours=6), close)


def _feedback(match: Match, side: str, by: User, channel: str, story: Story, months_answered: dict):
    """The side's answers for the occasion due then, if one is (nothing when nothing is)."""

    def step(when: datetime) -> Feedback | None:
        occasion = feedback.due_feedback(match, side, now=when)
        if occasion is None:
            return None
        answers_by_occasion = story.feedback_cook if side == Feedback.Side.COOK else story.feedback_diner
        if occasion.startswith("month-"):
            first_month = months_answered[side] == 0 and side == Feedback.Side.DINER
            answers = story.first_month_diner if first_month else answers_by_occasion["month"]
            months_answered[side] += 1
        else:
            answers = answers_by_occasion[occasion]
        return feedback.give_feedback(
            by=by,
            match=match,
            side=side,
            occasion=occasion,
            enjoyed=answers.enjoyed,
            friend=answers.friend,
            less_contact_without=answers.less_contact_without,
            changes=answers.changes,
            channel=channel,
            now=when,
        )

    return step


def _note(match: Match, coordinator: User, text: str):
    def step(when: datetime) -> MatchNote:
        note = timeline.write_match_note(by=coordinator, match=match, text=text)
        _backdate(note, written_at=when)
        return note

    return step


def _local_day(when: datetime, diner) -> date:
    return rules.local(when, diner.area.time_zone).date()


def _intake(diner, coordinator: User, answers: dict[str, str]):
    def step(when: datetime) -> LonelinessMeasure:
        consent = loneliness.set_measure_consent(by=coordinator, diner=diner, given=True, channel=Channel.PHONE)
        _backdate(consent, recorded_at=when - timedelta(minutes=5))
        return _measure(diner, coordinator, answers, when)

    return step


def _follow_up(diner, coordinator: User, answers: dict[str, str]):
    return lambda when: _measure(diner, coordinator, answers, when)


def _measure(diner, coordinator: User, answers: dict[str, str], when: datetime) -> LonelinessMeasure:
    measure = loneliness.record_loneliness(by=coordinator, diner=diner, answers=answers, channel=Channel.PHONE)
    _backdate(measure, taken_on=_local_day(when, diner), created_at=when)
    measure.taken_on = _local_day(when, diner)
    loneliness.link_measure(measure)  # linked again on the day it was moved to
    return measure


def _add_watch(diner, coordinator: User, plan: WatchPlan, referrer: User):
    # The demo's own domain (an .example one, which delivers nowhere), as every demo address.
    domain = referrer.email.partition("@")[2]

    def step(when: datetime) -> WatchRecipient:
        recipient = watch.add_watch_recipient(
            by=coordinator,
            diner=diner,
            name=plan.name,
            email=f"{plan.email_local_part}@{domain}",
            relationship=plan.relationship,
            language=plan.language,
            frequency=plan.frequency,
            shared_items=list(plan.shared_items),
            agreed=True,
            channel=plan.channel,
        )
        _backdate(recipient, added_at=when)
        return recipient

    return step
