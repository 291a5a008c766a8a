from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class LocalTimeMiddleware:
    """The page's time zone is chosen while it renders (casserole.context_processors); afterwards
    the thread goes back to the default, so the next request starts clean."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PrivatePagesNoStoreMiddleware:
    """Nothing shown to a signed-in person is kept by browsers or proxies: their pages carry names,
    email addresses and, later, diners' details. Anonymous pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response
