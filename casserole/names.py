"""A person's name as each language addresses them: the one home of honorifics (issue 19).

A name is stored as the person writes it ("花子", "山田 花子", "Edie") and the form of address apart
from it (Diner.form_of_address). Japanese output adds the honorific straight after the name with no
space — さん by default, 様 on formal documents (the certificate, letters and printed cards) — and
English output shows the name unchanged. The words around a name never add one themselves: a
message that inserts a name gets it already addressed (`%(name)s` → 花子さん), so no catalogue entry
writes さん after a placeholder for a name given by this module.

The choice of language is made when the name is written out, not when it is handed over: an
AddressedName put in an email's context reads in the recipient's language, because
casserole.mail renders the email under translation.override.
"""

from django.utils.translation import get_language, override

from casserole.retention import ERASED, ERASED_SHOWN

# The honorifics a Japanese name may take. さん is the everyday one; 様 the formal one.
SAN = "さん"
SAMA = "様"
HONORIFICS = (SAN, SAMA)


def addressed(name: str, *, form: str = "", language: str | None = None, formal: bool = False) -> str:
    """The name as `language` (default: the active one) addresses the person. In Japanese: the name,
    then `form` (さん when none is stored; 様 when `formal`), with no space; a name typed with its
    honorific already ("花子さん") is not given a second one. In English: the name as it is."""
    name = (name or "").strip()
    if name == ERASED:
        with override(language or get_language()):
            return str(ERASED_SHOWN)  # nobody left to address: the placeholder, in their language
    if not name or (language or get_language() or "en") != "ja":
        return name
    honorific = SAMA if formal else (form or SAN)
    for typed in HONORIFICS:
        # Rows typed before the form of address was stored often carry it in the name.
        if name.endswith(typed) and len(name) > len(typed):
            name = name.removesuffix(typed).rstrip()
            break
    return f"{name}{honorific}"


class AddressedName:
    """A name that addresses its person in whatever language is active when it is written out
    (str(), a template, `_("…%(name)s…") % {"name": …}`). A formal one may name them in full in
    Japanese (`full_name`: 山田 花子様) while English keeps the name they like (Edie)."""

    __slots__ = ("form", "formal", "full_name", "name")

    def __init__(self, name: str, *, form: str = "", formal: bool = False, full_name: str = ""):
        self.name = name or ""
        self.form = form or ""
        self.formal = formal
        self.full_name = full_name or ""

    def __str__(self) -> str:
        if (get_language() or "en") == "ja" and self.formal and self.full_name:
            return addressed(self.full_name, formal=True)
        return addressed(self.name, form=self.form, formal=self.formal)

    def __repr__(self) -> str:
        return f"AddressedName({self.name!r}, form={self.form!r}, formal={self.formal!r})"

    def __bool__(self) -> bool:
        return bool(self.name)

    def __eq__(self, other) -> bool:
        if isinstance(other, AddressedName):
            return (self.name, self.form, self.formal, self.full_name) == (
                other.name,
                other.form,
                other.formal,
                other.full_name,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.form, self.formal, self.full_name))
