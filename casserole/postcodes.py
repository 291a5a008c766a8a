"""Postcodes as people type them, turned into one canonical form.

Every app stores and compares the canonical form, so "e81dy", "E8 1DY" and " e8  1dy " are one
postcode, and "１５４－０００４", "〒154ー0004" and "1540004" are one 郵便番号.
"""

import re
import unicodedata

# Outward code: area (1–2 letters) + district (a digit, then a digit or letter); inward code: a digit
# + two letters that are never C, I, K, M, O or V. Not every string that passes exists (postcodes.io
# knows that), but every real one passes. "GIR 0AA" is the one historical exception still in use.
_UK_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_UK_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_UK_POSTCODE = re.compile(rf"^(?:({_UK_OUTWARD})({_UK_INWARD})|(GIR)(0AA))$")
UK_OUTWARD_CODE = re.compile(rf"^(?:{_UK_OUTWARD}|GIR)$")

# Dashes people (and input methods) put between the two halves of a Japanese postcode. NFKC turns
# the full-width hyphen-minus into "-" but leaves the katakana long-vowel mark and the other dashes.
_JP_DASHES = str.maketrans(dict.fromkeys("ー－‐‑–—―−ｰ", "-"))
_JP_POSTCODE = re.compile(r"^([0-9]{3})-?([0-9]{4})$")
JP_PREFIX = re.compile(r"^[0-9]{3}$")


def normalise_uk_postcode(value: str) -> str | None:
    """The canonical UK postcode ("e81dy" → "E8 1DY"), or None when it cannot be one."""
    compact = "".join(unicodedata.normalize("NFKC", value or "").split()).upper()
    match = _UK_POSTCODE.match(compact)
    if match is None:
        return None
    outward, inward = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return f"{outward} {inward}"


def uk_outward_code(value: str) -> str | None:
    """The district part of a UK postcode ("E8 1DY" → "E8"): what the offline table is keyed by."""
    postcode = normalise_uk_postcode(value)
    return postcode.split(" ", 1)[0] if postcode else None


def normalise_jp_postcode(value: str) -> str | None:
    """The canonical Japanese postcode ("〒１５４ー０００４" → "154-0004"), or None when it is not seven digits."""
    text = unicodedata.normalize("NFKC", value or "").translate(_JP_DASHES)
    text = "".join(text.split()).removeprefix("〒")
    match = _JP_POSTCODE.match(text)
    if match is None:
        return None
    return f"{match.group(1)}-{match.group(2)}"


def jp_prefix(value: str) -> str | None:
    """The first three digits of a Japanese postcode ("154-0004" → "154"): the offline table's key."""
    postcode = normalise_jp_postcode(value)
    return postcode[:3] if postcode else None


def postcode_prefix(*, country: str, postcode: str) -> str | None:
    """The offline-table key for a postcode in `country` ("GB" or "JP"), or None when it is invalid."""
    if country == "GB":
        return uk_outward_code(postcode)
    if country == "JP":
        return jp_prefix(postcode)
    raise ValueError(f"Unsupported country: {country!r}")
