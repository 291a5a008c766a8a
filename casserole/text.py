"""Text people type: one canonical Unicode form, without the invisible controls that reorder text.

A right-to-left override (U+202E) typed into a name would reverse whatever a reader sees after it on a
list, a heading or an email subject. No name, address or note needs one, so every form field that takes
free text drops them on input (TextField); pages still isolate names in <bdi> (the `bdi` filter in
casserole_tags) for rows written before this, and casserole.mail strips them from subjects.
"""

import unicodedata

from django import forms

# The Unicode bidirectional formatting characters: the marks (LRM, RLM, ALM), the embeddings and
# overrides (LRE, RLE, PDF, LRO, RLO) and the isolates (LRI, RLI, FSI, PDI).
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP_BIDI_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi_controls(value: str) -> str:
    """The text without any bidirectional formatting character."""
    return value.translate(_DROP_BIDI_CONTROLS)


def clean_text(value: str | None) -> str:
    """Typed text as it is stored: NFC (which keeps full-width letters and kana as typed), no
    bidirectional controls, no surrounding white space."""
    return strip_bidi_controls(unicodedata.normalize("NFC", value or "")).strip()


class TextField(forms.CharField):
    """A CharField for names and other free text, cleaned by clean_text() before it is validated (so
    a name made only of controls counts as blank, and max_length counts what is stored)."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if value not in self.empty_values else value
