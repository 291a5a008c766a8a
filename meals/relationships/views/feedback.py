"""Feedback and friendship: the cook says how it is going; the diner answers through a referrer who may
give feedback for them, or through a coordinator on the phone (who also sees the match's earlier
feedback). Each page offers the existing request to pause or end the match.

Matches come through the access helpers (another cook's match, or another area's, is a 404; a referrer
without the feedback scope gets a 403). Writes go through meals.relationships.feedback; its refusals come
back as form errors.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casserole import names
from casserole.access import cook_required, coordinator_required
from casserole.models import Channel
from meals.matching.access import get_match_for_cook, get_match_for_coordinator
from meals.relationships import feedback
from meals.relationships.errors import RelationshipError
from meals.relationships.forms.feedback import CookFeedbackForm, CoordinatorFeedbackForm, DinerFeedbackForm
from meals.relationships.models import Feedback


def _occasion(match, side: str) -> str:
    """The occasion the page is shown for: the one due, or today's extra feedback."""
    now = timezone.now()
    return feedback.due_feedback(match, side, now=now) or feedback.extra_occasion(match, now=now)


def _give(request, form, match, side: str, channel: str) -> bool:
    try:
        feedback.give_feedback(
            by=request.user, match=match, side=side, channel=channel, request=request, **form.feedback_values()
        )
    except RelationshipError as error:
        form.add_error(None, str(error))
        return False
    if form.cleaned_data.get("wants_different_cook"):
        messages.success(request, _("Thank you. A coordinator will get in touch about a different cook."))
    else:
        messages.success(request, _("Thank you for your feedback."))
    return True


def _page(request, template: str, form, match, occasion: str, **context):
    context.update(
        form=form,
        match=match,
        occasion_label=feedback.occasion_label(occasion),
        can_give=match.status in feedback.OPEN_STATUSES,
    )
    return render(request, template, context)


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def cook(request, pk: int):
    match = get_match_for_cook(request.user, pk)
    occasion = _occasion(match, Feedback.Side.COOK)
    name = match.diner.addressed
    data = request.POST if request.method == "POST" else None
    form = CookFeedbackForm(data, diner_name=name, initial={"occasion": occasion})
    if data is not None and form.is_valid() and _give(request, form, match, Feedback.Side.COOK, Channel.WEB):
        return redirect("meals:cook_match", pk=match.pk)
    return _page(request, "meals/relationships/feedback/cook.html", form, match, occasion, diner_name=name)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def proxy(request, pk: int, match_pk: int):
    access, match = feedback.get_match_for_feedback_proxy(request.user, pk, match_pk)
    occasion = _occasion(match, Feedback.Side.DINER)
    cook_name = names.addressed(match.cook.given_name)
    data = request.POST if request.method == "POST" else None
    form = DinerFeedbackForm(data, cook_name=cook_name, initial={"occasion": occasion})
    if data is not None and form.is_valid() and _give(request, form, match, Feedback.Side.DINER, Channel.WEB):
        return redirect("meals:proxy_diner", pk=match.diner_id)
    return _page(
        request,
        "meals/relationships/feedback/proxy.html",
        form,
        match,
        occasion,
        access=access,
        diner=match.diner,
        cook_name=cook_name,
    )


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def coordinator(request, pk: int):
    match = get_match_for_coordinator(request.user, pk)
    occasion = _occasion(match, Feedback.Side.DINER)
    data = request.POST if request.method == "POST" else None
    form = CoordinatorFeedbackForm(
        data, cook_name=names.addressed(match.cook.given_name), initial={"occasion": occasion}
    )
    valid = data is not None and form.is_valid()
    if valid and _give(request, form, match, Feedback.Side.DINER, form.cleaned_data["channel"]):
        return redirect("meals:coordinator_feedback", pk=match.pk)
    return _page(
        request,
        "meals/relationships/feedback/coordinator.html",
        form,
        match,
        occasion,
        diner=match.diner,
        earlier=_labelled(feedback.feedback_for_match(match)),
    )


def _labelled(rows: list[Feedback]) -> list[Feedback]:
    for row in rows:
        row.occasion_text = feedback.occasion_label(row.occasion)
    return rows
