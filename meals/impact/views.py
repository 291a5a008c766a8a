from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.people.access import areas_for_coordinator
from accounts.people.models import Area
from casserole import audit
from casserole.access import coordinator_required
from meals.impact import charts, exports, selectors
from meals.impact.forms import ImpactFilterForm

DATE_FIELDS = ("first_day", "last_day")
DATE_PARTS = ("day", "month", "year")  # casserole.fields.SplitDateWidget's boxes


@dataclass(frozen=True)
class Choice:
    """The coordinator's areas, the one they chose (None: all of them), and the period if valid."""

    areas: list[Area]
    area: Area | None
    form: ImpactFilterForm
    period: selectors.Period | None

    @property
    def chosen(self) -> list[Area]:
        return [self.area] if self.area else self.areas

    @property
    def query(self) -> str:
        """The choice as a query string, for the CSV links."""
        values = {"area": self.area.pk} if self.area else {}
        for name, day in zip(DATE_FIELDS, (self.period.first_day, self.period.last_day), strict=True):
            values |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
        return urlencode(values)


def _zone(areas: list[Area]) -> ZoneInfo:
    # Months and days are the areas' own; areas in different zones are counted in the service's.
    zones = {area.time_zone for area in areas}
    return ZoneInfo(zones.pop() if len(zones) == 1 else settings.TIME_ZONE)


def _choice(request) -> Choice:
    """The areas (one of the user's, else 404 as if it did not exist; or all of theirs) and the period
    (the last 12 months unless chosen) from the query string."""
    areas = list(areas_for_coordinator(request.user).order_by("name", "pk"))
    area = None
    if raw := request.GET.get("area", ""):
        area = next((candidate for candidate in areas if str(candidate.pk) == raw), None)
        if area is None:
            raise Http404
    data = request.GET.copy()
    if not any(key.startswith(DATE_FIELDS) for key in data):
        for name, day in zip(DATE_FIELDS, selectors.default_period(), strict=True):
            for part in DATE_PARTS:
                data[f"{name}_{part}"] = str(getattr(day, part))
    form = ImpactFilterForm(data, areas=areas, language=get_language())
    period = None
    if form.is_valid():
        chosen = [area] if area else areas
        period = selectors.Period(form.cleaned_data["first_day"], form.cleaned_data["last_day"], _zone(chosen))
    return Choice(areas=areas, area=area, form=form, period=period)


@coordinator_required
@never_cache
@require_GET
def impact(request):
    choice = _choice(request)
    context = {
        "choice": choice,
        "form": choice.form,
        "several_areas": len(choice.areas) > 1,
        "small_number": selectors.SMALL_NUMBER,
    }
    if choice.period is not None:
        report = selectors.impact_figures([area.pk for area in choice.chosen], choice.period)
        context |= {"report": report, "query": choice.query, **charts.page(report)}
        # Onward referrals to other support, per area then all together (the small-number rule applies).
        context["onward_referrals"] = [
            {
                "row": row,
                "made": charts.shown("", row.made),
                "taken_up": charts.shown("", row.taken_up),
            }
            for row in selectors.onward_referrals(choice.chosen, choice.period)
        ]
    return render(request, "meals/impact/impact.html", context)


def _download(request, choice: Choice, name: str) -> None:
    audit.record(
        action=audit.Action.IMPACT_EXPORTED,
        actor=request.user,
        area=choice.area,
        request=request,
        detail={
            "file": name,
            "first_day": choice.period.first_day.isoformat(),
            "last_day": choice.period.last_day.isoformat(),
        },
    )


def _filename(choice: Choice, name: str) -> str:
    where = choice.area.slug if choice.area else "all-areas"
    return f"impact-{name}-{where}-{choice.period.first_day:%Y-%m-%d}-to-{choice.period.last_day:%Y-%m-%d}.csv"


def _back_to_page(request):
    # A bad period in a CSV link: the page shows what is wrong with it.
    return redirect(f"{reverse('meals:coordinator_impact')}?{request.GET.urlencode()}")


@coordinator_required
@never_cache
@require_GET
def figures_csv(request):
    choice = _choice(request)
    if choice.period is None:
        return _back_to_page(request)
    report = selectors.impact_figures([area.pk for area in choice.chosen], choice.period)
    _download(request, choice, "figures")
    names = [area.display_name(get_language()) for area in choice.chosen]
    return exports.csv_response(
        filename=_filename(choice, "figures"),
        header=exports.FIGURE_COLUMNS,
        rows=exports.figures_rows(
            report, area_names=names, onward=selectors.onward_referrals(choice.chosen, choice.period)
        ),
    )


@coordinator_required
@never_cache
@require_GET
def matches_csv(request):
    choice = _choice(request)
    if choice.period is None:
        return _back_to_page(request)
    rows, _left_out = selectors.match_rows(choice.chosen, choice.period, language=get_language(), now=timezone.now())
    _download(request, choice, "matches")
    return exports.csv_response(
        filename=_filename(choice, "matches"), header=exports.MATCH_COLUMNS, rows=exports.match_rows(rows)
    )
