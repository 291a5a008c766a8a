import zoneinfo

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from accounts.people.help import help_for
from accounts.people.selectors import must_pass_second_factor
from casserole.context_processors import local_time_zone
from casserole.mail import absolute_url, queue_email

# Where each journey picks up after the first sign-in (User.journey): a cook's steps, or the start of
# a request for meals.
JOURNEY_FIRST_STEPS = {"cook": "accounts:cook_status", "referrer": "meals:request_start"}


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail goes through our queue (retries, exactly once), in the visitor's language."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _("That code is not right. Check the code in the email and type it again."),
    }

    def send_mail(self, template_prefix, email, context):
        """Every allauth email, in our words (templates/account/email/), in the language of the page
        that caused it: the person acting is nearly always the recipient, and the code or link goes back
        into that page. It names the service from settings (there is no Site) and the help line of the
        recipient's area, or the service's own line for an address with no account."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        area = _recipient_area(context.get("user"), email)
        line = help_for(area, language)
        phone, hours = line.phone, line.hours
        if line.several_clubs:
            # Several clubs in the country and none is known to be theirs: the list of clubs.
            phone, hours = absolute_url("clubs", language), ""
        context = {
            "email": email,
            "password_reset_url": absolute_url("account_reset_password", language),
            **context,
            "site_name": settings.SITE_NAME,
            "help_phone": phone,
            "help_hours": hours,
            "code_minutes": app_settings.PASSWORD_RESET_BY_CODE_TIMEOUT // 60,
            "link_days": app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS,
        }
        # A notification's time reads in the recipient's own time zone.
        with translation.override(language), timezone.override(_time_zone(area, language)):
            message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(to=email, subject=message.subject, body=message.body, html_body=html)

    def get_login_redirect_url(self, request):
        user = request.user
        if must_pass_second_factor(user):
            has_device = user_has_device(user, confirmed=True)
            return reverse("accounts:two_factor_verify" if has_device else "accounts:two_factor_setup")
        if user.is_cook:
            # A cook's checklist says what to do next (also reached after confirming the email address,
            # which signs nobody in: allauth then asks this method once the cook signs in).
            return reverse("accounts:cook_status")
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        # Confirming signs nobody in here (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION is off), so a person not
        # signed in goes to sign in, and from there straight on to the next step of the journey they
        # signed up for. Coordinators and admins get no such step: their sign-in leads to two-factor.
        url = super().get_email_verification_redirect_url(email_address)
        user = email_address.user
        if self.request.user.is_authenticated or user.needs_second_factor or not user.journey:
            return url
        return resolve_url(url) + "?" + urlencode({"next": reverse(JOURNEY_FIRST_STEPS[user.journey])})

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = translation.get_language() or "en"
        if commit:
            user.save()
        return user


def _recipient_area(user, email: str):
    """The area whose help line an email gives: the account's own (found by the address when allauth
    passes no user, as for a reset code or a notification), or None for an address with no account."""
    if user is None:
        user = next(iter(filter_users_by_email(email)), None)
    return user.help_area if user is not None else None


def _time_zone(area, language: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(local_time_zone(area, language))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # the service's own zone
