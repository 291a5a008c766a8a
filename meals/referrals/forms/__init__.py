"""The questions of a request for meals: one form per question page, and per section of a diner's record.

`SECTIONS` maps each page's slug to its form, in the order the request asks them. Every form has:
- `title`: the question the page asks (its h1), about "the diner"; `heading` gives the wording for a
  diner asking for themselves on the web (built with `for_self=True`; on a phone call the
  coordinator types, so the pages keep speaking of "the diner");
- `fields_for_diner`: the Diner fields it edits (names from meals.diners.services.DINER_FIELDS; empty for the
  relationship and consent pages, which edit the request and the consent);
- `initial_from(values)`: the form's initial values from a draft's answers or from a Diner's values;
- `answers()`: after is_valid(), the cleaned values, JSON-ready, keyed by Diner field names;
- `is_answered(values)` and `summary(values)`: whether a draft answers the page, and its rows for a
  "Check your answers" list.
Every form takes the same keyword arguments, `channel`, `country`, `for_self` and `signed_in`, and
ignores those it does not need, so any page can build any section the same way.

Forms check the shape of what was typed and put it in canonical form (E.164 phone numbers,
casserole.postcodes postcodes, ISO dates); meals.referrals.services checks the rules. Views pass only
`answers()` on, so whatever else a browser posts (status, area, coordinates, referrer…) reaches nothing.
"""

from meals.referrals.forms.base import SectionForm
from meals.referrals.forms.consent import ConsentForm, SendRequestForm, WaitlistForm
from meals.referrals.forms.questions import (
    AccessForm,
    AddressForm,
    DaysForm,
    DietForm,
    EmergencyForm,
    LikesForm,
    NameForm,
    PhoneForm,
    RelationshipForm,
    TextureForm,
)

__all__ = [
    "SECTIONS",
    "AccessForm",
    "AddressForm",
    "ConsentForm",
    "DaysForm",
    "DietForm",
    "EmergencyForm",
    "LikesForm",
    "NameForm",
    "PhoneForm",
    "RelationshipForm",
    "SectionForm",
    "SendRequestForm",
    "TextureForm",
    "WaitlistForm",
]

SECTIONS: dict[str, type[SectionForm]] = {
    "relationship": RelationshipForm,
    "name": NameForm,
    "address": AddressForm,
    "phone": PhoneForm,
    "access": AccessForm,
    "diet": DietForm,
    "texture": TextureForm,
    "likes": LikesForm,
    "days": DaysForm,
    "emergency": EmergencyForm,
    "consent": ConsentForm,
}
