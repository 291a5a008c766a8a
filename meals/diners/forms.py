"""Forms for the coordinator's diner pages: triage decisions, proxy scopes, placing a diner on the map.
Pause/resume/close ask with casserole.status.StatusReasonForm (the reason, and how the coordinator is
recording it: web, phone, in person).

They check the shape of the input; meals.diners.services checks the rules and its refusals come back as
form errors. Only the fields declared here are read, so extra POST fields (status, area, latitude,
consent_recorded_by...) change nothing. The diner's own details are edited with the question forms
of meals.referrals.forms (SECTIONS), shared with the request and the proxy's pages.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from casserole.fields import PlaceForm
from meals.diners.models import Diner, ProxyAccess
from meals.diners.services import SCOPES

REASON_MAX_LENGTH = 500  # Diner.status_reason (a decline's reason is stored there too)


class ScopesForm(forms.Form):
    """What a referrer may do for a diner. Nothing ticked is allowed: they keep seeing their request
    but cannot act for the diner."""

    scopes = forms.MultipleChoiceField(
        label=_("What may the person who asked do for the diner?"),
        help_text=_("Select all that apply."),
        # capfirst keeps the model's lazy labels lazy, so they follow the page's language.
        choices=[(name, capfirst(ProxyAccess._meta.get_field(name).verbose_name)) for name in SCOPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select only the choices shown")},
    )

    def scope_values(self) -> dict[str, bool]:
        chosen = set(self.cleaned_data["scopes"])
        return {name: name in chosen for name in SCOPES}

    @staticmethod
    def initial_for(access: ProxyAccess | None = None) -> dict:
        if access is None:
            return {"scopes": ["can_view_schedule"]}
        return {"scopes": [name for name in SCOPES if getattr(access, name)]}


class PlaceDinerForm(PlaceForm):
    """The cook placing form, with the neighbourhood hint for a diner."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].help_text = _(
            "A neighbourhood or district, never a street. Cooks near the diner will see this name."
        )

    @staticmethod
    def initial_for(diner: Diner) -> dict:
        return {"latitude": diner.latitude, "longitude": diner.longitude, "neighbourhood": diner.neighbourhood}
