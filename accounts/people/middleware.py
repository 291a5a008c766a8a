from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import user_has_device

from accounts.people.selectors import must_pass_second_factor

# Pages a signed-in person may reach before passing the second factor.
_ALLOWED = {
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "account_logout",
    "accessibility",
    "privacy",
}


class SecondFactorMiddleware:
    """Coordinators and admins (and anyone who turned two-factor on) reach nothing but the
    two-factor pages until this session has passed a second factor. Runs on every request, so
    a password reset or a new session never skips it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # `request.second_factor_pending`: whether this session still owes a code, so the header
        # offers nothing but signing out until it is given. process_view settles it without a
        # query on most pages; elsewhere (the pages allowed before the code, a 404, a view that
        # signs someone in) it is worked out when the page asks, for whoever is signed in by then.
        request.second_factor_pending = SimpleLazyObject(lambda: _owes_second_factor(request.user))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if user.is_verified():
            request.second_factor_pending = False
            return None
        match = request.resolver_match
        if match is None or match.view_name in _ALLOWED:
            return None
        has_device = user_has_device(user, confirmed=True)
        if not has_device and not user.needs_second_factor:
            request.second_factor_pending = False
            return None
        target = reverse("accounts:two_factor_verify" if has_device else "accounts:two_factor_setup")
        next_url = request.get_full_path()
        if request.method == "GET" and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            target += "?" + urlencode({"next": next_url})
        return redirect(target)


def _owes_second_factor(user) -> bool:
    return user.is_authenticated and not user.is_verified() and must_pass_second_factor(user)
