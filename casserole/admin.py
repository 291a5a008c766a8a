"""The admin, for admins who have passed the second factor (casserole.admin_site). It may look at
everything, but a row whose changes have rules — a status, a decision, an audit entry — changes only
through the services, which check the rules, audit and send the emails: such models are registered
with ViewOnlyAdmin (no add, change or delete). Fields that are secret or sensitive (links in emails,
health and wellbeing notes, concern text, identity photos) are listed in `hidden_fields` and never
shown, listed, filtered or searched."""

from django.contrib import admin

from casserole.models import AuditEntry, OutboundEmail, OutboundText, PostcodeCentroid


class ViewOnlyAdmin(admin.ModelAdmin):
    """List and look, never add, change or delete: every field is shown read-only except
    `hidden_fields`. The change page becomes Django's "view" page and a POST to it is refused."""

    hidden_fields: tuple[str, ...] = ()

    def get_fields(self, request, obj=None):
        return [
            field.name
            for field in self.model._meta.fields
            if not field.primary_key and field.name not in self.hidden_fields
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "area", "ip", "channel"]
    list_filter = ["action", "channel", "area"]
    list_select_related = ["area"]
    search_fields = ["actor_label", "object_id", "object_label"]
    date_hierarchy = "created_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ViewOnlyAdmin):
    """Staff see messages that could not be delivered (status failed) and why. Not deleted here: the
    sending job owns the queue."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    # The body is never shown: it can hold sign-in and password-reset links.
    hidden_fields = ("body", "html_body")


@admin.register(OutboundText)
class OutboundTextAdmin(ViewOnlyAdmin):
    """Text messages (to diners' emergency contacts): whether they went, and why not."""

    list_display = ["created_at", "to", "status", "attempts", "last_error", "sent_at", "provider_id"]
    list_filter = ["status"]
    search_fields = ["to", "provider_id"]
    date_hierarchy = "created_at"
    # The body names the diner and what happened at their door.
    hidden_fields = ("body",)


@admin.register(PostcodeCentroid)
class PostcodeCentroidAdmin(admin.ModelAdmin):
    """The offline geocoder's table; bulk changes come from `manage.py load_postcode_centroids`."""

    list_display = ["country", "prefix", "place_name", "place_name_ja", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["prefix", "place_name", "place_name_ja"]
