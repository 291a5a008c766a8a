"""Who may see "please call me" requests: the coordinators of the request's area (and admins). They are
personal data: views fetch them only through these helpers, and another area's request is a 404
exactly like an id that does not exist."""

from django.http import Http404

from accounts.people.access import areas_for_coordinator
from meals.callbacks.models import CallbackRequest

# The session key the confirmation pages read: the area whose coordinators will phone, or the
# postcode no club covers (shown once, then forgotten).
SENT_SESSION_KEY = "meals_callback_area"
NO_CLUB_SESSION_KEY = "meals_callback_no_club"


def callbacks_for_coordinator(user):
    """The requests in the areas this person looks after (every area for an admin)."""
    return CallbackRequest.objects.filter(area__in=areas_for_coordinator(user))


def get_callback_for_coordinator(user, pk: int) -> CallbackRequest:
    """A request in one of the user's areas, with its area and who dealt with it, or 404."""
    callback = callbacks_for_coordinator(user).select_related("area", "handled_by").filter(pk=pk).first()
    if callback is None:
        raise Http404
    return callback
