"""allauth's forms with GOV.UK-style error messages: each says what to do, not "This field is required"."""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

_REQUIRED = {
    "login": _("Enter your email address"),
    "email": _("Enter your email address"),
    "password": _("Enter your password"),
    "oldpassword": _("Enter your current password"),
    "password1": _("Create a password"),
    "password2": _("Enter the password again"),
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


class LoginForm(GovUKMessagesMixin, allauth_forms.LoginForm):
    pass


class SignupForm(GovUKMessagesMixin, allauth_forms.SignupForm):
    pass


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
