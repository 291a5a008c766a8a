"""Diners' records are looked after on the coordinator pages, where every view is audited; they are
deliberately not in the admin (an admin view of a record would escape the audit). The waiting list of
people outside every area is for the operator deciding where to open next."""

from django.contrib import admin

from meals.referrals.models import AreaWaitlistEntry


@admin.register(AreaWaitlistEntry)
class AreaWaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "country", "postcode", "created_at"]
    list_filter = ["country"]
    search_fields = ["name", "postcode"]
    readonly_fields = ["name", "contact", "country", "postcode", "created_at"]

    def has_add_permission(self, request):
        return False
