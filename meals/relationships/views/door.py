"""The coordinator's page for one unanswered door: every step with its time (in the area's time zone),
whether the text to the emergency contact went, how to reach the diner and their emergency contact, and
what the coordinator does — "I'm dealing with it", a note, closing the case with what had happened.

Only coordinators of the diner's area see a case (another area's is a 404). Showing the diner's phone
and emergency contact is audited like any view of the diner's record.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casserole.access import coordinator_required
from meals.diners.selectors import phones_for_page
from meals.diners.services import record_diner_viewed
from meals.matching.selectors import address_lines
from meals.relationships import door
from meals.relationships.errors import RelationshipError
from meals.relationships.forms.door import ACKNOWLEDGE, CLOSE, NOTE, CloseDoorCaseForm, DoorNoteForm


class AcknowledgeForm(forms.Form):
    """No fields: it carries a refusal (someone else got there first) back to its button."""

    prefix = ACKNOWLEDGE


def _write(request, case, action: str, values: dict) -> str:
    """Do what the coordinator chose; returns what to tell them."""
    by = request.user
    if action == NOTE:
        door.add_door_case_note(by=by, case=case, note=values["text"], request=request)
        return _("Your note is added.")
    if action == CLOSE:
        door.close_door_case(by=by, case=case, outcome=values["outcome"], note=values["note"], request=request)
        return _("The case is closed.")
    door.acknowledge_door_case(by=by, case=case, request=request)
    return _("Thank you. The other coordinators can see that you are dealing with it.")


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def case(request, pk: int):
    case = door.get_door_case_for_coordinator(request.user, pk)
    forms_shown = {ACKNOWLEDGE: AcknowledgeForm(), NOTE: DoorNoteForm(), CLOSE: CloseDoorCaseForm()}
    failed = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == NOTE:
            form = DoorNoteForm(request.POST)
        elif action == CLOSE:
            form = CloseDoorCaseForm(request.POST)
        else:
            action, form = ACKNOWLEDGE, AcknowledgeForm(request.POST)
        if form.is_valid():
            try:
                done = _write(request, case, action, form.cleaned_data)
            except RelationshipError as error:
                form.add_error(None, str(error))
                case = door.get_door_case_for_coordinator(request.user, pk)  # as it is now
            else:
                messages.success(request, done)
                return redirect("meals:coordinator_door_case", pk=case.pk)
        forms_shown[action] = failed = form
    diner = case.diner
    record_diner_viewed(by=request.user, diner=diner, request=request)
    steps = door.case_steps(case)
    for step in steps:
        step.reason = door.not_told_reason(step) if step.kind == step.Kind.EMERGENCY_CONTACT_NOT_TOLD else ""
    context = {
        "case": case,
        "diner": diner,
        "visit": case.visit,
        "meal": case.visit.meal,
        "steps": steps,
        "address": address_lines(diner),
        "zone": diner.area.time_zone if diner.area else None,
        "emergency_number": door.emergency_number(diner.area),
        "form": failed,  # the page title and error summary speak of the form that failed
        "acknowledge_form": forms_shown[ACKNOWLEDGE],
        "note_form": forms_shown[NOTE],
        "close_form": forms_shown[CLOSE],
        **phones_for_page(diner),
    }
    return render(request, "meals/relationships/door/case.html", context)
