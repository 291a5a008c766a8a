"""The coordinator's loneliness page for one diner: their agreement to be asked, the questions of their
language's scale (asked on the phone, usually), and their past answers with the change since intake.

The diner comes through meals.diners.access (another area's diner is a 404); writes go through
meals.relationships.loneliness, whose refusals come back as form errors. Showing past answers is audited.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casserole.access import coordinator_required
from meals.diners.access import get_diner_for_coordinator
from meals.relationships import loneliness
from meals.relationships.errors import RelationshipError
from meals.relationships.forms.loneliness import LonelinessForm, MeasureConsentForm


def _act(request, diner, action: str, scale) -> tuple[str | None, object]:
    """Run the page's action: (success message, None) or (None, the form with its errors)."""
    form = MeasureConsentForm(request.POST) if action == "consent" else LonelinessForm(request.POST, scale=scale)
    if not form.is_valid():
        return None, form
    channel = form.cleaned_data["channel"]
    name = {"name": diner.addressed}
    try:
        if action == "consent":
            loneliness.set_measure_consent(
                by=request.user, diner=diner, given=form.agreed, channel=channel, request=request
            )
            if form.agreed:
                return _("Saved: %(name)s agreed to answer the loneliness questions.") % name, None
            return _("Saved: %(name)s will not be asked the loneliness questions.") % name, None
        loneliness.record_loneliness(
            by=request.user, diner=diner, answers=form.answers(), channel=channel, request=request
        )
        return _("%(name)s’s answers have been saved.") % name, None
    except RelationshipError as error:
        form.add_error(None, str(error))
        return None, form


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def coordinator(request, pk: int):
    diner = get_diner_for_coordinator(request.user, pk)
    scale = loneliness.scale_for(diner)
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("consent", "answers"):
            messages.error(request, _("Choose what to save"))
            return redirect("meals:coordinator_loneliness", pk=diner.pk)
        done, form = _act(request, diner, action, scale)
        if done:
            messages.success(request, done)
            return redirect("meals:coordinator_loneliness", pk=diner.pk)
    context = loneliness.loneliness_page(diner)
    if context["rows"]:
        # Audited before the answers are shown, and only when there are some to show.
        loneliness.record_loneliness_viewed(by=request.user, diner=diner, request=request)
    context.update(
        diner=diner,
        form=form,  # the submitted one: its errors go in the summary and the page title
        consent_form=form if isinstance(form, MeasureConsentForm) else _consent_form(context["consent"]),
        answers_form=(form if isinstance(form, LonelinessForm) else LonelinessForm(scale=scale))
        if context["consented"]
        else None,
    )
    return render(request, "meals/relationships/loneliness/coordinator.html", context)


def _consent_form(consent) -> MeasureConsentForm:
    initial = {}
    if consent is not None:
        initial["given"] = "yes" if consent.given else "no"
    return MeasureConsentForm(initial=initial)
