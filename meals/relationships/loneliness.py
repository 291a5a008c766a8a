"""The loneliness measure: with the diner's consent, the loneliness questions of their language's national
survey, at intake (the first time) and every LONELINESS_EVERY_DAYS after, usually asked by a coordinator
on the phone.

The two scales are survey instruments, not translations of each other: each keeps its own wording in its
own language (shown as it is whatever the page's language, with a gloss in the page's language), its
own options and its own scoring, and is reported on its own (a change is measured only between two
measures of the same scale). The answers are stored as option keys, never renamed: a score can always be
recomputed from them.

Answers are sensitive: only the area's coordinators read them, and each read is audited.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.people.access import can_manage_area
from accounts.people.models import User
from casserole import audit
from casserole.models import Channel
from meals.diners.models import Diner
from meals.relationships.errors import RelationshipError
from meals.relationships.models import LonelinessMeasure, MeasureConsent

# The scales, as data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    key: str  # stored in LonelinessMeasure.answers: never rename one
    text: str  # the survey's own words, in the scale's language: never translated
    gloss: str | Promise  # what it means, in the page's language (shown when that is not the scale's)
    points: int | None = None  # towards the score, for the scored questions


@dataclass(frozen=True)
class Question:
    key: str  # stored in LonelinessMeasure.answers: never rename one
    text: str
    gloss: str | Promise
    options: tuple[Option, ...]
    scored: bool = True

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)


@dataclass(frozen=True)
class Scale:
    code: str  # LonelinessMeasure.Scale
    language: str  # the language its wording is in
    introduction: str  # read out before the questions (the survey's own words), or ""
    questions: tuple[Question, ...]  # in the order they are asked: the scored ones first
    lowest: int  # the range of the score
    highest: int

    def question(self, key: str) -> Question | None:
        return next((question for question in self.questions if question.key == key), None)

    @property
    def label(self) -> str:
        return LonelinessMeasure.Scale(self.code).label

    @property
    def scored(self) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.scored)


# England: the ONS national indicators of loneliness for adults, the GSS harmonised standard — three
# indirect questions (Hughes et al.'s three-item scale, scored 1–3 each, total 3–9) and the direct question
# (reported on its own, not in the score). The three are asked first so that the word "lonely" does not
# colour them. Source: GSS Harmonisation Team, "Loneliness harmonised standard" (13 May 2020),
# https://gss.civilservice.gov.uk/policy-store/loneliness-indicators/, and ONS, "Measuring loneliness:
# guidance for use of the national indicators on surveys" (2018).
_ONS_THREE = (
    Option(
        "hardly_ever_or_never", "Hardly ever or never", pgettext_lazy("loneliness answer", "Hardly ever or never"), 1
    ),
    Option("some_of_the_time", "Some of the time", pgettext_lazy("loneliness answer", "Some of the time"), 2),
    Option("often", "Often", pgettext_lazy("loneliness answer", "Often"), 3),
)
ONS = Scale(
    code=LonelinessMeasure.Scale.ONS,
    language="en",
    introduction=(
        "The next four questions are about relationships with others. For each one, please say how often "
        "(if at all) you feel that way."
    ),
    questions=(
        Question(
            "companionship",
            "How often do you feel that you lack companionship?",
            gettext_lazy("How often do you feel that you lack companionship?"),
            _ONS_THREE,
        ),
        Question(
            "left_out", "How often do you feel left out?", gettext_lazy("How often do you feel left out?"), _ONS_THREE
        ),
        Question(
            "isolated",
            "How often do you feel isolated from others?",
            gettext_lazy("How often do you feel isolated from others?"),
            _ONS_THREE,
        ),
        Question(
            "lonely",
            "How often do you feel lonely?",
            gettext_lazy("How often do you feel lonely?"),
            (
                Option("often_or_always", "Often or always", pgettext_lazy("loneliness answer", "Often or always")),
                Option("some_of_the_time", "Some of the time", pgettext_lazy("loneliness answer", "Some of the time")),
                Option("occasionally", "Occasionally", pgettext_lazy("loneliness answer", "Occasionally")),
                Option("hardly_ever", "Hardly ever", pgettext_lazy("loneliness answer", "Hardly ever")),
                Option("never", "Never", pgettext_lazy("loneliness answer", "Never")),
            ),
            scored=False,
        ),
    ),
    lowest=3,
    highest=9,
)

# Japan: the national survey of loneliness and isolation (孤独・孤立の実態把握に関する全国調査, 内閣官房 孤独・
# 孤立対策担当室 since 令和3年, now 内閣府) — the UCLA loneliness scale's three-item Japanese short form
# ("間接質問", which never says 孤独) and the direct question ("直接質問"), with the options as the survey
# prints them: the three items 1 決してない 2 ほとんどない 3 時々ある 4 常にある; the direct question
# 1 決してない 2 ほとんどない 3 たまにある 4 時々ある 5 しばしばある・常にある. Sources: for the direct question,
# 内閣府 孤独・孤立対策推進本部（第1回）資料3 (https://www.cao.go.jp/kodoku_koritsu/torikumi/suishinhonbu/dai1_shiryou.html);
# for the three items, the 令和4年 questionnaire as quoted in "何がわれわれの「孤独感」を深めるのか？" (うちコミ！
# タイムズ, 2023-04-25). Check both against the survey's current 調査票 before a study relies on them.
# Scored as the survey scores its four options, 1–4 each (決してない 1 … 常にある 4), total 3–12: not the
# ONS's 3–9, which is why the two scales are never compared or mixed in a report (each measure keeps
# its scale, and the answers themselves, so any other scoring can be recomputed).
_UCLA_THREE = (
    Option("never", "決してない", pgettext_lazy("loneliness answer", "Never"), 1),
    Option("hardly_ever", "ほとんどない", pgettext_lazy("loneliness answer", "Hardly ever"), 2),
    Option("sometimes", "時々ある", pgettext_lazy("loneliness answer", "Sometimes"), 3),
    Option("always", "常にある", pgettext_lazy("loneliness answer", "Always"), 4),
)
JP_NATIONAL = Scale(
    code=LonelinessMeasure.Scale.JP_NATIONAL,
    language="ja",
    introduction="",
    questions=(
        Question(
            "companionship",
            "あなたは、自分には人とのつきあいがないと感じることがありますか。",
            gettext_lazy("Do you ever feel that you have no companionship with other people?"),
            _UCLA_THREE,
        ),
        Question(
            "left_out",
            "あなたは、自分は取り残されていると感じることがありますか。",
            gettext_lazy("Do you ever feel that you have been left behind?"),
            _UCLA_THREE,
        ),
        Question(
            "isolated",
            "あなたは、自分は他の人たちから孤立していると感じることがありますか。",
            gettext_lazy("Do you ever feel isolated from other people?"),
            _UCLA_THREE,
        ),
        Question(
            "lonely",
            "あなたはどの程度、孤独であると感じることがありますか。",
            gettext_lazy("How much do you feel lonely?"),
            (
                Option("never", "決してない", pgettext_lazy("loneliness answer", "Never")),
                Option("hardly_ever", "ほとんどない", pgettext_lazy("loneliness answer", "Hardly ever")),
                Option("occasionally", "たまにある", pgettext_lazy("loneliness answer", "Occasionally")),
                Option("sometimes", "時々ある", pgettext_lazy("loneliness answer", "Sometimes")),
                Option(
                    "often_or_always", "しばしばある・常にある", pgettext_lazy("loneliness answer", "Often or always")
                ),
            ),
            scored=False,
        ),
    ),
    lowest=3,
    highest=12,
)

SCALES = {ONS.code: ONS, JP_NATIONAL.code: JP_NATIONAL}
SCALE_FOR_LANGUAGE = {"en": ONS, "ja": JP_NATIONAL}


def scale_for(diner: Diner) -> Scale:
    """The scale asked of this diner: their preferred language's."""
    return SCALE_FOR_LANGUAGE.get(diner.preferred_language, ONS)


def score(scale: Scale, answers: dict[str, str]) -> int:
    """The sum of the scored questions' points (ONS 3–9, the Japanese survey 3–12). The answers must be
    complete (clean_answers)."""
    return sum(question.option(answers[question.key]).points for question in scale.scored)


def clean_answers(scale: Scale, answers: dict) -> dict[str, str]:
    """Only the scale's questions, each with one of its options; anything missing or unknown is refused."""
    cleaned = {}
    for question in scale.questions:
        key = answers.get(question.key)
        if not isinstance(key, str) or question.option(key) is None:
            raise RelationshipError(_("Answer every question before saving."))
        cleaned[question.key] = key
    return cleaned


# Services --------------------------------------------------------------------------------------------------


def _check_coordinator(by: User, diner: Diner) -> None:
    if diner.area is None or not can_manage_area(by, diner.area):
        raise RelationshipError(_("You can only record this for diners in your own areas."))


@transaction.atomic
def set_measure_consent(*, by: User, diner: Diner, given: bool, channel: str, request=None) -> MeasureConsent:
    """Record whether the diner agrees to be asked the loneliness questions (or withdraws): a coordinator,
    for a diner of their area, with how the diner said so."""
    _check_coordinator(by, diner)
    if channel not in Channel.values:
        raise RelationshipError(_("Select how you are recording this"))
    consent, _created = MeasureConsent.objects.update_or_create(
        diner=diner,
        defaults={"given": given, "channel": channel, "recorded_by": by, "recorded_at": timezone.now()},
    )
    audit.record(
        action=audit.Action.MEASURE_CONSENT_CHANGED,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=channel,
        detail={"given": given},
    )
    return consent


@transaction.atomic
def record_loneliness(
    *, by: User, diner: Diner, answers: dict, channel: str = Channel.PHONE, request=None
) -> LonelinessMeasure:
    """Store the diner's answers to their language's scale, scored; the first measure is the intake.
    Refused without the diner's consent, and a second time on the same day (a double submit)."""
    _check_coordinator(by, diner)
    # The diner's row is the lock: two coordinators saving at once make one intake, not two.
    diner = Diner.objects.select_for_update(of=("self",)).select_related("area").get(pk=diner.pk)
    if not MeasureConsent.objects.filter(diner=diner, given=True).exists():
        raise RelationshipError(
            _("%(name)s has not agreed to answer these questions. Record their agreement first.")
            % {"name": diner.addressed}
        )
    scale = scale_for(diner)
    answers = clean_answers(scale, answers)
    today = timezone.localdate()
    earlier = LonelinessMeasure.objects.filter(diner=diner)
    if earlier.filter(taken_on=today).exists():
        raise RelationshipError(_("Their answers have already been saved today."))
    measure = LonelinessMeasure.objects.create(
        diner=diner,
        scale=scale.code,
        answers=answers,
        score=score(scale, answers),
        taken_on=today,
        recorded_by=by,
        channel=channel,
    )
    link_measure(measure)  # the first measure is the intake; each later one carries a copy of it
    # Never the answers or the score in the log: they are health information.
    audit.record(
        action=audit.Action.LONELINESS_RECORDED,
        actor=by,
        obj=diner,
        area=diner.area,
        request=request,
        channel=channel,
        detail={"scale": scale.code, "intake": measure.intake},
    )
    return measure


def link_measure(measure: LonelinessMeasure) -> None:
    """Keep what the impact figures read off each measure (meals.impact.selectors): its diner's intake (their
    first measure, or this one, then marked as the intake) and the day of their next measure; and the
    measure before it now has this one next. Called as each measure is recorded, and by whatever writes or
    moves a measure otherwise (the demo's back-dated history, tests). Four queries."""
    theirs = (
        LonelinessMeasure.objects.filter(diner_id=measure.diner_id).exclude(pk=measure.pk).order_by("taken_on", "pk")
    )
    day = measure.taken_on
    earlier = theirs.filter(Q(taken_on__lt=day) | Q(taken_on=day, pk__lt=measure.pk))
    later = theirs.filter(Q(taken_on__gt=day) | Q(taken_on=day, pk__gt=measure.pk))
    intake = earlier.only("scale", "score").first() or measure
    measure.intake = intake is measure
    measure.intake_scale, measure.intake_score = intake.scale, intake.score
    measure.next_taken_on = later.values_list("taken_on", flat=True).first()
    measure.save(update_fields=["intake", "intake_scale", "intake_score", "next_taken_on"])
    earlier.filter(Q(next_taken_on__isnull=True) | Q(next_taken_on__gt=day)).update(next_taken_on=day)


def link_all_measures() -> int:
    """`link_measure` for every measure at once, after measures are written in bulk without the service
    (bench/impact.py): one UPDATE, whatever their number. Returns how many measures were linked."""
    theirs = LonelinessMeasure.objects.filter(diner=OuterRef("diner")).order_by("taken_on", "pk")
    earlier = theirs.filter(
        Q(taken_on__lt=OuterRef("taken_on")) | Q(taken_on=OuterRef("taken_on"), pk__lt=OuterRef("pk"))
    )
    later = theirs.filter(
        Q(taken_on__gt=OuterRef("taken_on")) | Q(taken_on=OuterRef("taken_on"), pk__gt=OuterRef("pk"))
    )
    return LonelinessMeasure.objects.update(
        intake=~Exists(earlier),
        intake_scale=Subquery(theirs.values("scale")[:1]),
        intake_score=Subquery(theirs.values("score")[:1]),
        next_taken_on=Subquery(later.values("taken_on")[:1]),
    )


def record_loneliness_viewed(*, by: User, diner: Diner, request=None) -> None:
    """A coordinator is shown the diner's answers: audited, so "who looked?" has an answer."""
    audit.record(action=audit.Action.LONELINESS_VIEWED, actor=by, obj=diner, area=diner.area, request=request)


# Selectors -------------------------------------------------------------------------------------------------


def _every() -> timedelta:
    return timedelta(days=settings.LONELINESS_EVERY_DAYS)


def due_on(last_taken_on: date | None, *, today: date | None = None) -> date:
    """When the next measure is due: today for the intake (none yet), else LONELINESS_EVERY_DAYS after
    the last. The Python form of `loneliness_due` (tested to agree)."""
    if last_taken_on is None:
        return today or timezone.localdate()
    return last_taken_on + _every()


def due_diners(*, today: date | None = None) -> QuerySet:
    """Active diners who agreed to the questions and are due: no measure yet (the intake), or none within
    the last LONELINESS_EVERY_DAYS. Not limited to any area: `loneliness_due` and the coordinator's home
    (one count per area, as a subquery) narrow it."""
    cutoff = (today or timezone.localdate()) - _every()
    recent = LonelinessMeasure.objects.filter(diner=OuterRef("pk"), taken_on__gt=cutoff)
    consented = MeasureConsent.objects.filter(diner=OuterRef("pk"), given=True)
    return Diner.objects.filter(Exists(consented), ~Exists(recent), status=Diner.Status.ACTIVE)


def loneliness_due(areas, *, today: date | None = None) -> QuerySet:
    """The diners of these areas due for the loneliness questions (with consent only)."""
    return due_diners(today=today).filter(area__in=areas)


def loneliness_due_count(*, today: date | None = None) -> Coalesce:
    """How many diners of the outer query's area (OuterRef("pk")) are due: an annotation for the
    coordinator's home, on its query of the areas (no query of its own)."""
    due = (
        due_diners(today=today)
        .filter(area=OuterRef("pk"))
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(due), Value(0))


@dataclass(frozen=True)
class AnsweredQuestion:
    question: Question
    option: Option | None  # None: a key this scale no longer knows (never expected)


@dataclass(frozen=True)
class MeasureRow:
    measure: LonelinessMeasure
    scale: Scale
    answers: tuple[AnsweredQuestion, ...]


def measure_rows(measures) -> list[MeasureRow]:
    """Measures with each answer's question and option, in the scale's order, for a page."""
    rows = []
    for measure in measures:
        scale = SCALES[measure.scale]
        answered = tuple(
            AnsweredQuestion(question, question.option(measure.answers.get(question.key, "")))
            for question in scale.questions
        )
        rows.append(MeasureRow(measure, scale, answered))
    return rows


@dataclass(frozen=True)
class LonelinessChange:
    scale: Scale  # the intake's
    intake_score: int | None
    intake_on: date
    latest_score: int | None
    latest_on: date
    change: int | None  # latest − intake (negative: less lonely); None when the scales differ
    comparable: bool

    @property
    def points(self) -> int:
        return abs(self.change or 0)

    @property
    def less_lonely(self) -> bool:
        return self.change is not None and self.change < 0

    @property
    def more_lonely(self) -> bool:
        return self.change is not None and self.change > 0


def change_since_intake(diner: Diner) -> LonelinessChange | None:
    """The diner's score at intake (their first measure) and at their latest, and the change between
    them — None as the change when the two are on different scales (their language changed), which are
    never compared. None when they have no measure. One query."""
    theirs = LonelinessMeasure.objects.filter(diner=diner)
    first = theirs.order_by("taken_on", "pk").values("pk")[:1]
    last = theirs.order_by("-taken_on", "-pk").values("pk")[:1]
    both = list(
        theirs.filter(Q(pk=Subquery(first)) | Q(pk=Subquery(last)))
        .only("pk", "scale", "score", "taken_on")
        .order_by("taken_on", "pk")
    )
    if not both:
        return None
    intake, latest = both[0], both[-1]
    comparable = intake.scale == latest.scale
    change = latest.score - intake.score if comparable and None not in (intake.score, latest.score) else None
    return LonelinessChange(
        scale=SCALES[intake.scale],
        intake_score=intake.score,
        intake_on=intake.taken_on,
        latest_score=latest.score,
        latest_on=latest.taken_on,
        change=change,
        comparable=comparable,
    )


MEASURES_SHOWN = 12  # three years of them


def loneliness_page(diner: Diner, *, today: date | None = None) -> dict:
    """What the coordinator's loneliness page shows: consent, when the next measure is due, the past
    measures (newest first) and the change since intake. Three queries."""
    today = today or timezone.localdate()
    consent = MeasureConsent.objects.select_related("recorded_by").filter(diner=diner).first()
    measures = list(
        LonelinessMeasure.objects.filter(diner=diner)
        .select_related("recorded_by")
        .order_by("-taken_on", "-pk")[:MEASURES_SHOWN]
    )
    last = measures[0].taken_on if measures else None
    next_due = due_on(last, today=today)
    # The intake is the first measure of all, which may be older than those shown: computed apart.
    change = change_since_intake(diner) if measures else None
    return {
        "consent": consent,
        "consented": consent is not None and consent.given,
        "scale": scale_for(diner),
        "rows": measure_rows(measures),
        "next_due": next_due,
        "due_now": next_due <= today,
        "intake_due": last is None,
        "change": change,
        "every_days": settings.LONELINESS_EVERY_DAYS,
    }
