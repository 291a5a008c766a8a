"""Changing something's status with a reason: a cook suspended or reactivated, a diner paused or closed,
a match paused or ended. One mechanism for all of them, in four parts:

- `Transition` / `TransitionTable`: what each action may start from, where it leads, how it is audited
  and what it asks for. Each capability writes its own table next to its services.
- `change_status()`: the write. The capability's service locks the row and keeps its own rules (who may,
  the activation gate, emails), then calls it to check the transition, save and audit.
- `StatusReasonForm`: the reason (and, for assisted digital, the channel), shaped by the transition, so
  the page asks for exactly what the service will accept.
- `status_change_page()`: the confirm page (GET shows it, POST validates, calls the service and
  redirects, or shows the service's refusal as a form error).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casserole import audit
from casserole.channels import channel_field
from casserole.errors import DomainError
from casserole.models import Channel
from casserole.text import TextField

REASON_MAX_LENGTH = 500  # the status reason columns (CookProfile.status_reason, Diner.status_reason, Match.reason)
AUDITED_REASON_LENGTH = 200  # the audit entry keeps the start of the reason; the row keeps all of it
REASON_MISSING = _("Enter the reason")


@dataclass(frozen=True)
class Transition:
    """One status change. `refused` is the message when the current status is not among `sources`; it
    may name that status as %(status)s. `reason_missing` is the message when a required reason is blank,
    shared by the form and the service."""

    sources: tuple[str, ...]
    target: str
    audit_action: audit.Action
    refused: str | Promise
    reason_required: bool = True
    reason_missing: str | Promise = REASON_MISSING
    reason_max_length: int = REASON_MAX_LENGTH

    def allows(self, status: str) -> bool:
        return status in self.sources

    def refusal(self, obj: models.Model | None = None, status_field: str = "status") -> str:
        """The refusal in the active language, naming the object's current status where it says so."""
        current = getattr(obj, f"get_{status_field}_display")().lower() if obj is not None else ""
        return str(self.refused) % {"status": current}


class TransitionTable(dict[str, Transition]):
    """Action name (as in the page's URL) -> Transition, in the order pages offer them."""

    def allowed_from(self, status: str) -> list[str]:
        """The actions the service would accept from this status: pages offer only these."""
        return [action for action, transition in self.items() if transition.allows(status)]


# The write ---------------------------------------------------------------------------------------------


def clean_reason(transition: Transition, reason: str | None, *, error: type[DomainError]) -> str:
    """The reason without surrounding blanks; raises `error` when the transition needs one and it is blank.
    `change_status` calls it too: call it first yourself to refuse a blank reason before taking locks."""
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise error(str(transition.reason_missing))
    return reason


def check_allowed(
    obj: models.Model, transition: Transition, *, error: type[DomainError], status_field: str = "status"
) -> None:
    """Raise `error` with the transition's refusal unless `obj` is in one of its source statuses."""
    if not transition.allows(getattr(obj, status_field)):
        raise error(transition.refusal(obj, status_field))


def change_status(
    obj: models.Model,
    *,
    transition: Transition,
    by,
    reason: str | None,
    error: type[DomainError],
    area=None,
    status_field: str = "status",
    reason_field: str = "status_reason",
    changes: dict[str, Any] | None = None,
    channel: str = Channel.WEB,
    request: HttpRequest | None = None,
) -> models.Model:
    """Move `obj` (already locked by the caller, inside its transaction) along `transition`: refuse with
    `error` from a status it does not start from or without a required reason, then save the status, the
    reason and `changes` (other fields that move with it) and write the transition's audit entry."""
    reason = clean_reason(transition, reason, error=error)
    check_allowed(obj, transition, error=error, status_field=status_field)
    changes = changes or {}
    setattr(obj, status_field, transition.target)
    setattr(obj, reason_field, reason)
    for name, value in changes.items():
        setattr(obj, name, value)
    # Every model with a status kept this way has an auto_now `updated_at`.
    obj.save(update_fields=[status_field, reason_field, *changes, "updated_at"])
    audit.record(
        action=transition.audit_action,
        actor=by,
        obj=obj,
        area=area,
        request=request,
        channel=channel,
        detail={"reason": reason[:AUDITED_REASON_LENGTH]},
    )
    return obj


# The page ----------------------------------------------------------------------------------------------


class StatusReasonForm(forms.Form):
    """The reason for a status change, required or not and as long as the transition allows, and, when
    a coordinator may be acting for someone on the phone or in person, how they are recording it."""

    def __init__(
        self,
        *args,
        transition: Transition,
        label: str | Promise,
        help_text: str | Promise = "",
        ask_channel: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = TextField(
            label=label,
            help_text=help_text,
            required=transition.reason_required,
            max_length=transition.reason_max_length,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "required": transition.reason_missing,
                "max_length": _("The reason must be %(limit_value)d characters or fewer"),
            },
        )
        if ask_channel:
            self.fields["channel"] = channel_field()


def status_change_page(
    request: HttpRequest,
    *,
    transition: Transition,
    change: Callable[..., object],
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    label: str | Promise,
    help_text: str | Promise = "",
    ask_channel: bool = False,
    done: str | Promise,
    success_url: str,
) -> HttpResponse:
    """The confirm page of a status change. A valid POST calls `change` with the form's answers as
    keywords (`reason`, and `channel` when asked): the capability's service with everything else bound.
    Its refusal (a DomainError) comes back as a form error on the same page; success says `done` and
    redirects. `context` may be a function, so reads only the page needs are not made on success."""
    data = request.POST if request.method == "POST" else None
    form = StatusReasonForm(data, transition=transition, label=label, help_text=help_text, ask_channel=ask_channel)
    if data is not None and form.is_valid():
        try:
            change(**form.cleaned_data)
        except DomainError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect(success_url)
    page = context() if callable(context) else context
    return render(request, template, {**page, "form": form})
