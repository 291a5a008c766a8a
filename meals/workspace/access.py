"""Which of the coordinator's areas a workspace page shows."""

from django.http import Http404

from accounts.people.models import Area


def chosen_areas(areas: list[Area], value: str | None) -> list[Area]:
    """All the user's `areas` (areas_for_coordinator, already fetched), or the one `?area=` names. Any
    other value — another area's id, an id that does not exist, text — is a 404, the same for each, so
    the filter says nothing about areas the user may not see."""
    if value is None or value == "":
        return areas
    chosen = [area for area in areas if str(area.pk) == value]
    if not chosen:
        raise Http404
    return chosen
