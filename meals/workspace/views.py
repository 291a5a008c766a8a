from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.people.access import areas_for_coordinator
from casserole.access import coordinator_required
from meals.workspace import selectors


@coordinator_required
@never_cache
def coordinator_home(request):
    areas = areas_for_coordinator(request.user)
    return render(request, "meals/workspace/home.html", selectors.coordinator_home(areas))


# OWNED BY A HELPER: being written.
def waiting_list(request, *args, **kwargs):
    raise NotImplementedError


def search(request, *args, **kwargs):
    raise NotImplementedError
