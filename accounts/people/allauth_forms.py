"""allauth's forms with GOV.UK-style error messages: each says what to do, not "This field is required".
Email addresses are refused beyond the 254 characters we store (casserole.email_addresses)."""

from allauth.account import app_settings
from allauth.account import forms as allauth_forms
from allauth.core import context, ratelimit
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casserole.email_addresses import limit_email_length
from casserole.rate_limits import pause_minutes

_REQUIRED = {
    "login": _("Enter your email address"),
    "email": _("Enter your email address"),
    "password": _("Enter your password"),
    "oldpassword": _("Enter your current password"),
    "password1": _("Create a password"),
    "password2": _("Enter the password again"),
    "code": _("Enter the code from the email"),
}
_INVALID_EMAIL = _("Enter an email address in the correct format, like name@example.com")


class GovUKMessagesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in _REQUIRED:
                field.error_messages["required"] = _REQUIRED[name]
            if name in ("login", "email"):
                field.error_messages["invalid"] = _INVALID_EMAIL
                if isinstance(field, forms.EmailField):
                    limit_email_length(field)


class LoginForm(GovUKMessagesMixin, allauth_forms.LoginForm):
    pass


class SignupForm(GovUKMessagesMixin, allauth_forms.SignupForm):
    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        # The per-address limit ("signup_by_email"; the per-network one is allauth's "signup"). Counted
        # only for a form that would otherwise go through (and email that address, within allauth's
        # "confirm_email" cooldown), the same whether or not it has an account, so it tells nobody which
        # addresses have one.
        if email and not self.errors and not ratelimit.consume(context.request, action="signup_by_email", key=email):
            minutes = pause_minutes("signup_by_email")
            self.add_error(
                "email",
                ngettext(
                    "This email address has just been used to sign up several times. Look for our email in your "
                    "inbox (and in your spam or junk folder), or try again in %(minutes)d minute.",
                    "This email address has just been used to sign up several times. Look for our email in your "
                    "inbox (and in your spam or junk folder), or try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        return cleaned_data

    def try_save(self, request):
        if self.account_already_exists:
            # allauth emails the owner instead of making a second account, which skips hashing the new
            # password (Argon2: most of a new sign-up's time). Hash it anyway and throw it away, so the
            # response time does not tell whether the address has an account.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class AddEmailForm(GovUKMessagesMixin, allauth_forms.AddEmailForm):
    pass


class ChangePasswordForm(GovUKMessagesMixin, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(GovUKMessagesMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(GovUKMessagesMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(GovUKMessagesMixin, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(GovUKMessagesMixin, allauth_forms.ReauthenticateForm):
    pass


class ConfirmPasswordResetCodeForm(GovUKMessagesMixin, allauth_forms.ConfirmPasswordResetCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minutes = app_settings.PASSWORD_RESET_BY_CODE_TIMEOUT // 60
        self.fields["code"].help_text = ngettext(
            "It is 8 letters, like BCDF-GHJK. It works for %(minutes)d minute, in this browser only.",
            "It is 8 letters, like BCDF-GHJK. It works for %(minutes)d minutes, in this browser only.",
            minutes,
        ) % {"minutes": minutes}
