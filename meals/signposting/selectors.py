"""Reads of the directory and of a diner's onward referrals, each a fixed number of queries whatever the
number of rows (tests/meals/signposting/ counts them).

Which entries an area can offer is decided here (`services_for_areas`): its own, and the national ones
of its country. Suggestions take the reasons to suggest as arguments (`needs`): what makes a diner need
more than a meal (a concern, their loneliness answers, their feedback) is read by the page that calls
this, which may import the relationship log; this capability may not.
"""

import math
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Value

from accounts.people.models import Area
from meals.diners.models import Diner
from meals.signposting.models import (
    CARD_LIMIT,
    SEPARATOR,
    Category,
    OnwardReferral,
    Suits,
    SupportService,
    stale_cutoff,
)
from meals.signposting.services import fold

PER_PAGE = 20
SUGGESTIONS = 5
SEARCH_WORDS = 8  # more words than this are ignored: each is one LIKE
SEARCH_LENGTH = 100


class Need:
    """Why a diner might need more than a meal; the values are OnwardReferral.Reason's."""

    CONCERN = OnwardReferral.Reason.CONCERN
    LONELINESS = OnwardReferral.Reason.LONELINESS
    LESS_CONTACT = OnwardReferral.Reason.LESS_CONTACT


# What each need suggests. Company and someone to talk to for loneliness and fewer visitors; for a
# concern, also health and care, and money and housing (what worries people about older neighbours).
NEED_CATEGORIES = {
    Need.CONCERN: (Category.HEALTH, Category.MONEY, Category.TALK),
    Need.LONELINESS: (Category.COMPANY, Category.TALK),
    Need.LESS_CONTACT: (Category.COMPANY, Category.TALK),
}


def _has_key(column: str, key: str) -> Q:
    return Q(**{f"{column}__contains": f"{SEPARATOR}{key}{SEPARATOR}"})


def services_for_areas(areas) -> QuerySet:
    """The entries these areas can offer (a queryset or list of areas): their own, and the national
    entries of their countries. The SQL form of services.service_reaches (tested to agree)."""
    area_ids = [area.pk for area in areas] if isinstance(areas, list | tuple) else areas.values("pk")
    countries = (
        {area.country for area in areas}
        if isinstance(areas, list | tuple)
        else Area.objects.filter(pk__in=area_ids).values("country")
    )
    return SupportService.objects.filter(Q(area__in=area_ids) | Q(area__isnull=True, country__in=countries))


@dataclass(frozen=True)
class Search:
    """A coordinator's search of the directory: words (in either language), a category and who it suits."""

    words: str = ""
    category: str = ""
    suits: str = ""
    include_closed: bool = False

    @property
    def folded_words(self) -> list[str]:
        return fold(self.words[:SEARCH_LENGTH]).split()[:SEARCH_WORDS]


def search(areas, query: Search, *, page_number=None) -> Page:
    """One page of the entries these areas can offer that match the search, each word anywhere in
    either language's name or description (or the address), their own area's first, then by name.
    Two queries whatever the size of the directory: the count and the page."""
    found = services_for_areas(areas).select_related("area")
    for word in query.folded_words:
        found = found.filter(search_text__contains=word)
    if query.category in Category.values:
        found = found.filter(_has_key("categories", query.category))
    if query.suits in Suits.values:
        found = found.filter(_has_key("suits", query.suits) | _has_key("suits", Suits.ANYONE))
    if not query.include_closed:
        found = found.filter(running=True)
    found = found.order_by(F("area").asc(nulls_last=True), "name", "name_ja", "pk")
    return Paginator(found, PER_PAGE).get_page(page_number)


def stale_count(areas) -> int:
    """How many of the entries of these areas' own directories are stale (checked too long ago)."""
    return (
        SupportService.objects.filter(area__in=areas, running=True, checked_on__lte=stale_cutoff()).order_by().count()
    )


@dataclass
class Suggestion:
    service: SupportService
    reasons: list[str] = field(default_factory=list)  # the needs it answers (Need values)

    @property
    def reason_labels(self) -> list[str]:
        return [str(OnwardReferral.Reason(reason).label) for reason in self.reasons]


def suggestions_for(diner: Diner, needs, *, suits=(), limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Entries the diner's area can offer that answer these needs (by category), that suit any older
    person or one of `suits`, and that the diner is not already waiting to hear from: the nearest to the
    diner first (entries with no place — helplines — after those with one), then by name. Nothing is
    sent anywhere. One query; none when there is no need."""
    needs = [need for need in dict.fromkeys(needs) if need in NEED_CATEGORIES]
    if not needs or diner.area is None:
        return []
    categories = {category for need in needs for category in NEED_CATEGORIES[need]}
    wanted = Q()
    for category in sorted(categories):
        wanted |= _has_key("categories", category)
    suited = _has_key("suits", Suits.ANYONE)
    for key in suits:
        if key in Suits.values:
            suited |= _has_key("suits", key)
    waiting = OnwardReferral.objects.filter(diner=diner, service=OuterRef("pk"), outcome=OnwardReferral.Outcome.WAITING)
    found = services_for_areas([diner.area]).filter(wanted, suited, ~Exists(waiting), running=True)
    if diner.latitude is not None and diner.longitude is not None:
        # Squared distance on a flat map around the diner: enough to put the nearest first, in SQL.
        squeeze = math.cos(math.radians(diner.latitude))
        distance = ExpressionWrapper(
            (F("latitude") - Value(diner.latitude)) * (F("latitude") - Value(diner.latitude))
            + (F("longitude") - Value(diner.longitude))
            * (F("longitude") - Value(diner.longitude))
            * Value(squeeze * squeeze),
            output_field=FloatField(),
        )
        found = found.annotate(distance=distance).order_by(F("distance").asc(nulls_last=True), "name", "pk")
    else:
        found = found.order_by(F("latitude").asc(nulls_last=True), "name", "pk")
    suggestions = []
    for service in found[:limit]:
        offered = set(service.category_list)
        reasons = [need for need in needs if offered & set(NEED_CATEGORIES[need])]
        suggestions.append(Suggestion(service, reasons))
    return suggestions


def referrals_for_diner(diner: Diner) -> list[OnwardReferral]:
    """Every onward referral recorded for the diner, newest first, with its service. One query."""
    return list(
        OnwardReferral.objects.filter(diner=diner)
        .select_related("service", "made_by", "outcome_by")
        .order_by("-made_at", "-pk")
    )


def referrals_for_proxy(diner: Diner) -> list[OnwardReferral]:
    """What someone acting for the diner sees: the services recorded for them, what was done and whether
    it took place — never the coordinator's note. One query."""
    return list(
        OnwardReferral.objects.filter(diner=diner).select_related("service").defer("note").order_by("-made_at", "-pk")
    )


def card_services(diner: Diner) -> list[SupportService]:
    """The services the diner chose for their printed card (at most CARD_LIMIT), oldest choice first.
    One query."""
    chosen = (
        OnwardReferral.objects.filter(diner=diner, on_card=True)
        .select_related("service")
        .order_by("made_at", "pk")[:CARD_LIMIT]
    )
    return [referral.service for referral in chosen]
