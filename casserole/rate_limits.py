"""What a rate-limited request was doing, and how long allauth's limits (settings.ACCOUNT_RATE_LIMITS)
pause it, so the 429 page (casserole.views.too_many_requests) and form errors say what happened and
what to do next, in words that fit: a sign-up at an event is not a forgotten password."""

import math

from allauth.account import app_settings
from allauth.core.internal.ratelimit import parse_rates
from django.utils.translation import gettext_lazy as _

# allauth answers 429 from its own views, so the URL name tells what the person was doing. Each maps
# to the kind of page shown (templates/429.html) and the allauth action whose window says how long
# to wait. A page missing here gets the general wording, which promises nothing about the wait.
LIMITED_PAGES = {
    "account_login": ("sign_in", "login"),
    "account_signup": ("sign_up", "signup"),
    "account_reset_password": ("password_reset", "reset_password"),
    "account_reset_password_from_key": ("password_reset", "reset_password_from_key"),
    "account_complete_password_reset": ("password_reset", "reset_password_from_key"),
    "account_confirm_password_reset_code": ("reset_code", "reset_password_from_key"),
    "account_confirm_email": ("confirm_email", "confirm_email"),
    "account_email_verification_sent": ("confirm_email", "confirm_email"),
    "account_email": ("manage_email", "manage_email"),
    "account_change_password": ("change_password", "change_password"),
    "account_set_password": ("change_password", "change_password"),
    "account_reauthenticate": ("reauthenticate", "reauthenticate"),
}

# The 429 page's title and heading for each kind; templates/429.html gives the advice that goes with it.
HEADINGS = {
    "sign_in": _("Too many sign-in attempts"),
    "sign_up": _("Too many sign-ups from this network just now"),
    "password_reset": _("Too many requests to reset a password"),
    "reset_code": _("Too many tries at the code"),
    "confirm_email": _("Too many requests to confirm an email address"),
    "manage_email": _("Too many changes to your email addresses"),
    "change_password": _("Too many attempts to change your password"),
    "reauthenticate": _("Too many attempts to enter your password"),
    "other": _("Too many attempts"),
}


def pause_minutes(action: str) -> int | None:
    """The longest window among `action`'s limits, in whole minutes: by then it is surely open again
    (the windows slide, so it is often sooner). None when the action has no limit."""
    rates = parse_rates(app_settings.RATE_LIMITS.get(action))
    if not rates:
        return None
    return max(1, math.ceil(max(rate.duration for rate in rates) / 60))


def limited_page(request) -> tuple[str, int | None]:
    """The kind of page that was refused ("other" if we cannot tell) and the minutes to wait."""
    match = getattr(request, "resolver_match", None)
    kind, action = LIMITED_PAGES.get(match.url_name if match else "", ("other", None))
    return kind, pause_minutes(action) if action else None
