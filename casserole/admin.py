from django.contrib import admin

from casserole.models import AuditEntry, OutboundEmail, PostcodeCentroid


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "area", "ip", "channel"]
    list_filter = ["action", "channel", "area"]
    search_fields = ["actor_label", "object_id", "object_label"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Staff see messages that could not be delivered (status failed) and why."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    # The body is never shown: it can hold sign-in and password-reset links.
    fields = readonly_fields = ["created_at", "to", "subject", "status", "attempts", "last_error", "sent_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PostcodeCentroid)
class PostcodeCentroidAdmin(admin.ModelAdmin):
    """The offline geocoder's table; bulk changes come from `manage.py load_postcode_centroids`."""

    list_display = ["country", "prefix", "place_name", "place_name_ja", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["prefix", "place_name", "place_name_ja"]
