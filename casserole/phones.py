"""Phone numbers as stored (E.164) and as people dial them, for every form and page that shows one.

Every form reads a number with `clean_phone`, which refuses with a message that says why (too short,
too long, a country code that does not exist, digits no number can have, or a number kept for TV and
radio drama), so the person can fix what they typed. Every page shows a stored number with
`phone_for_display` (the template filter `phone` in casserole_tags), so a number reads the same
everywhere."""

import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casserole.models import Country

PHONE_EXAMPLE_ERROR = _("Enter a phone number, like 020 7946 0018 or 03-1234-5678")
TOO_SHORT_ERROR = _(
    "The phone number is too short. Enter the whole number, with the area code, like 020 7946 0018 or 03-1234-5678"
)
TOO_LONG_ERROR = _("The phone number is too long. Enter one phone number, like 020 7946 0018 or 03-1234-5678")
COUNTRY_CODE_ERROR = _("Check the country code after the + sign, like +44 for the United Kingdom or +81 for Japan")
NOT_VALID_ERROR = _("%(number)s is not a valid phone number. Check the digits and try again.")
DRAMA_ERROR = _(
    "%(number)s is a number reserved for TV and radio drama, so it cannot be a real person’s. "
    "Enter a real phone number."
)

# Ofcom keeps these ranges unused so that a number shown in a TV or radio drama never rings anyone
# (https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama). Nobody can have
# one, so every form refuses them, even where the phonenumbers library calls them valid. Each entry is
# the first 7 digits of a 10-digit national number (without the leading 0); the range is the 1,000
# numbers that follow. Japan keeps no such ranges.
DRAMA_RANGES: dict[str, frozenset[str]] = {
    "GB": frozenset(
        {
            "1134960",  # Leeds 0113 496 0000–0999
            "1144960",  # Sheffield 0114 496 0000–0999
            "1154960",  # Nottingham 0115 496 0000–0999
            "1164960",  # Leicester 0116 496 0000–0999
            "1174960",  # Bristol 0117 496 0000–0999
            "1184960",  # Reading 0118 496 0000–0999
            "1214960",  # Birmingham 0121 496 0000–0999
            "1314960",  # Edinburgh 0131 496 0000–0999
            "1414960",  # Glasgow 0141 496 0000–0999
            "1514960",  # Liverpool 0151 496 0000–0999
            "1614960",  # Manchester 0161 496 0000–0999
            "2079460",  # London 020 7946 0000–0999
            "1914980",  # Tyneside, Durham and Sunderland 0191 498 0000–0999
            "2890180",  # Northern Ireland 028 9018 0000–0999
            "2920180",  # Cardiff 029 2018 0000–0999
            "1632960",  # no real area 01632 960000–960999
            "7700900",  # mobile 07700 900000–900999
            "8081570",  # freephone 08081 570000–570999
            "9098790",  # premium rate 0909 879 0000–0999
            "3069990",  # UK-wide 03069 990000–990999
        }
    ),
}


def is_drama_number(number: phonenumbers.PhoneNumber) -> bool:
    """Whether the number is one of Ofcom's ranges for TV and radio drama (DRAMA_RANGES)."""
    national = phonenumbers.national_significant_number(number)
    ranges = DRAMA_RANGES.get(phonenumbers.region_code_for_country_code(number.country_code), frozenset())
    return len(national) == 10 and national[:7] in ranges


def clean_phone(value: str, *, country: str) -> str:
    """The number in E.164 ("+442079460018"), read as a number in `country` unless it starts with "+"
    (full-width digits and dashes are fine). Raises ValidationError with a message that says what is
    wrong, in this order: not a phone number at all, a country code that does not exist, too short,
    too long, a drama number, digits no number in that country can have. The error's code names the
    reason: not_a_number, country_code, too_short, too_long, drama, not_valid."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException as error:
        message, code = _PARSE_ERRORS.get(error.error_type, (PHONE_EXAMPLE_ERROR, "not_a_number"))
        raise ValidationError(message, code=code) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _LENGTH_ERRORS:
        message, code = _LENGTH_ERRORS[reason]
        raise ValidationError(message, code=code)
    if is_drama_number(number):
        raise ValidationError(DRAMA_ERROR, code="drama", params={"number": _as_dialled(number)})
    if not phonenumbers.is_valid_number(number):
        # As typed: the library cannot lay out digits that fit no number plan.
        raise ValidationError(NOT_VALID_ERROR, code="not_valid", params={"number": text})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# The refusal for each of the library's reasons, with its ValidationError code ("not_a_number" is the
# rest: nothing in the text could be read as a phone number).
_PARSE_ERRORS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: (COUNTRY_CODE_ERROR, "country_code"),
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: (TOO_SHORT_ERROR, "too_short"),
    phonenumbers.NumberParseException.TOO_SHORT_NSN: (TOO_SHORT_ERROR, "too_short"),
    phonenumbers.NumberParseException.TOO_LONG: (TOO_LONG_ERROR, "too_long"),
}
_LENGTH_ERRORS = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: (COUNTRY_CODE_ERROR, "country_code"),
    # A number without its area code ("7946 0018") can be dialled only nearby: ask for all of it.
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: (TOO_SHORT_ERROR, "too_short"),
    phonenumbers.ValidationResult.TOO_SHORT: (TOO_SHORT_ERROR, "too_short"),
    phonenumbers.ValidationResult.TOO_LONG: (TOO_LONG_ERROR, "too_long"),
}


def normalise_phone(value: str, *, country: str) -> str | None:
    """The number in E.164, or None when `clean_phone` refuses it (for callers that need no reason)."""
    try:
        return clean_phone(value, country=country)
    except ValidationError:
        return None


def country_of(e164: str) -> str | None:
    """The country ("GB", "JP", …) a stored number belongs to, or None when it cannot be read."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None)) or None
    except phonenumbers.NumberParseException:
        return None


def phone_for_display(e164: str) -> str:
    """A stored number as people dial it, the one way every page shows a phone: in the national format
    of its own country for the countries Casserole runs in ("020 7946 0018", "03-1234-5678"), and with
    its country code for any other ("+33 6 12 34 56 78"), whose national form cannot be dialled from
    here. Text that is not a stored number (typed before numbers were checked) is shown as it is."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return _as_dialled(number)


def _as_dialled(number: phonenumbers.PhoneNumber) -> str:
    # By the country code, not the exact region: a Jersey number (+44 1534) is dialled from the UK
    # like any UK number.
    if phonenumbers.region_code_for_country_code(number.country_code) in Country.values:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
