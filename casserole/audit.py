"""The audit log every app writes to. Never put secrets, identity numbers or health notes in `detail`."""

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from casserole.audit_actions import Action, label
from casserole.models import AuditEntry, Channel

__all__ = ["Action", "client_ip", "entries_for_object", "label", "record"]

# Keys that must never reach the log, whatever a caller passes, at any depth of `detail`.
_FORBIDDEN_KEYS = {"password", "password1", "password2", "otp_token", "token", "secret", "key", "code", "allergies"}
# ...and any key containing one of these (new_password, totp_secret, reset_token...).
_FORBIDDEN_PARTS = ("password", "secret", "token")


def _forbidden(key: str) -> bool:
    key = key.lower()
    return key in _FORBIDDEN_KEYS or any(part in key for part in _FORBIDDEN_PARTS)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not _forbidden(str(k))}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    if settings.BEHIND_PROXY:
        # Our own proxy appends the address it saw: the right-most entry is the one we can trust.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: Action,
    actor=None,
    obj: models.Model | None = None,
    area=None,
    request: HttpRequest | None = None,
    channel: str = Channel.WEB,
    actor_label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry: who did what to which object, in which area, from where. `action` must be
    a member of the registry (`audit.Action`), so every entry has a label a coordinator can read."""
    if not isinstance(action, Action):
        raise TypeError(f"audit.record() takes an audit.Action, not {action!r}: add it to casserole/audit_actions.py")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    clean = _clean(detail or {})
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        area=area,
        ip=client_ip(request),
        channel=channel,
        detail=clean,
    )


def entries_for_object(obj: models.Model):
    """Who did what to this object, newest first: answers "who looked at this diner's record?"."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
