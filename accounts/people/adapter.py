from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from casserole.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's mail goes through our queue (retries, exactly once), in the visitor's language."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _("That code is not right. Check the code in the email and type it again."),
    }

    def send_mail(self, template_prefix, email, context):
        if template_prefix == "account/email/password_reset_code":
            context = {**context, "minutes": app_settings.PASSWORD_RESET_BY_CODE_TIMEOUT // 60}
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(to=email, subject=message.subject, body=message.body, html_body=html)

    def get_login_redirect_url(self, request):
        user = request.user
        if user.needs_second_factor or _has_device(user):
            return reverse("accounts:two_factor_verify" if _has_device(user) else "accounts:two_factor_setup")
        if user.is_cook:
            # A cook's checklist says what to do next (also reached after confirming the email address,
            # which signs nobody in: allauth then asks this method once the cook signs in).
            return reverse("accounts:cook_status")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = translation.get_language() or "en"
        if commit:
            user.save()
        return user


def _has_device(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)
