from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class CasseroleAdminSite(admin.AdminSite):
    """The Django admin, for staff who have passed the second factor. Sign-in is our own page."""

    site_header = "Casserole admin"
    site_title = "Casserole admin"

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        target = reverse("account_login")
        return redirect(f"{target}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


class CasseroleAdminConfig(AdminConfig):
    default_site = "casserole.admin_site.CasseroleAdminSite"
