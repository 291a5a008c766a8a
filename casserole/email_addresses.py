"""Email addresses as we store them: at most 254 characters, the limit on an address in RFC 5321 and the
length of every email column. A form's EmailField allows 320, and allauth silently cuts a longer address
down to the column's length when it saves a user (PostgreSQL refuses one elsewhere), so every form that
takes an address uses `EmailAddressField` or `limit_email_length`, and services that store one call
`validate_email_address`: one clear message, and nothing cut short."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_email
from django.utils.translation import gettext_lazy as _

EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = _("Email address must be 254 characters or fewer")


def validate_email_address(value: str) -> None:
    """Django's format check, after the length check: an address too long to store gets that one
    message, whether or not it is otherwise well formed (beyond 320 characters Django calls it invalid)."""
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(EMAIL_TOO_LONG, code="max_length")
    validate_email(value)


def limit_email_length(field: forms.EmailField) -> forms.EmailField:
    """Make a form's email field (ours, or one of allauth's) refuse an address longer than
    EMAIL_MAX_LENGTH with EMAIL_TOO_LONG alone, in place of Django's checks for 320 characters."""
    field.max_length = EMAIL_MAX_LENGTH
    field.validators = [validate_email_address] + [
        validator
        for validator in field.validators
        if validator is not validate_email and not isinstance(validator, MaxLengthValidator)
    ]
    # No maxlength attribute: a browser would silently cut a pasted address short (GOV.UK advises
    # against it). The page says what is wrong and keeps what was typed instead.
    field.widget.attrs.pop("maxlength", None)
    return field


class EmailAddressField(forms.EmailField):
    """A form's email address field that refuses one too long to store (see `limit_email_length`)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        limit_email_length(self)
