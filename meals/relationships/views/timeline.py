"""Each match's timeline, for the three who may see it: the area's coordinators (everything, audited, and
notes), the match's cook, and someone acting for the diner with the schedule scope (each what
meals.relationships.timeline.sources lets them see).

Matches come only through the access helpers (meals.matching.access): a match the person may not know is a
404, as if it did not exist. The note goes through meals.relationships.timeline.write_match_note.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casserole.access import cook_required, coordinator_required
from meals.matching.access import get_match_for_cook, get_match_for_coordinator
from meals.relationships import timeline
from meals.relationships.errors import RelationshipError
from meals.relationships.forms.timeline import MatchNoteForm


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def coordinator(request, pk: int):
    match = get_match_for_coordinator(request.user, pk)
    form = MatchNoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            timeline.write_match_note(by=request.user, match=match, text=form.cleaned_data["text"], request=request)
        except RelationshipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your note has been added to the timeline."))
            return redirect("meals:coordinator_timeline", pk=match.pk)
    # Audited before reading: wellbeing answers, concern texts and notes are on the page.
    timeline.record_timeline_viewed(by=request.user, match=match, request=request)
    context = timeline.timeline_page(match, timeline.COORDINATOR, request.user, page_number=request.GET.get("page"))
    context.update(form=form if form.is_bound else None, note_form=form)
    return render(request, "meals/relationships/timeline/coordinator.html", context)


@cook_required
@never_cache
@require_GET
def cook(request, pk: int):
    match = get_match_for_cook(request.user, pk)
    context = timeline.timeline_page(match, timeline.COOK, request.user, page_number=request.GET.get("page"))
    return render(request, "meals/relationships/timeline/cook.html", context)


@login_required
@never_cache
@require_GET
def proxy(request, pk: int, match_pk: int):
    match, access = timeline.get_match_for_proxy_timeline(request.user, pk, match_pk)
    diner = access.diner
    context = timeline.timeline_page(
        match,
        timeline.PROXY,
        request.user,
        page_number=request.GET.get("page"),
        zone=diner.area.time_zone if diner.area_id else None,
    )
    context["diner"] = diner
    return render(request, "meals/relationships/timeline/proxy.html", context)
