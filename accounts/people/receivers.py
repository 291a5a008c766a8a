"""Audit sign-ins and failed sign-ins. Receivers only record; they never change state."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from casserole import audit


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit.record(action=audit.Action.SIGNED_IN, actor=user, obj=user, request=request)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(action=audit.Action.SIGNED_OUT, actor=user, obj=user, request=request)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the email tried is kept: never the password.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit.record(action=audit.Action.SIGN_IN_FAILED, actor_label=tried, request=request)
