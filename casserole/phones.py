"""Phone numbers as stored (E.164) and as people dial them, for every form and page that shows one."""

import unicodedata

import phonenumbers


def normalise_phone(value: str, *, country: str) -> str | None:
    """The number in E.164 ("+442079460018"), read as a number in `country` unless it starts with
    "+"; None when it cannot be a real number. Full-width digits and dashes are fine."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_display(e164: str) -> str:
    """A stored number as its owner would write it ("020 7946 0018"), for the form's initial value."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
