from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.onboarding.models import CookMove, CookProfile, IdentityCheck, StripeEvent
from accounts.people import services
from accounts.people.models import Area, CoordinatorMembership, Invitation, User
from casserole import audit
from casserole.admin import ViewOnlyAdmin

_ROLE_FIELDS = ("is_cook", "is_referrer", "is_coordinator", "is_staff", "is_superuser", "is_active")


class CoordinatorMembershipInline(admin.TabularInline):
    model = CoordinatorMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["area"]
    readonly_fields = ["added_by", "created_at"]


class UserChange(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreation(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChange
    add_form = UserCreation
    ordering = ["email"]
    list_display = ["email", "full_name", "is_cook", "is_referrer", "is_coordinator", "is_staff", "is_active"]
    list_filter = ["is_cook", "is_referrer", "is_coordinator", "is_staff", "is_active", "home_area"]
    search_fields = ["email", "full_name", "name_reading"]
    inlines = [CoordinatorMembershipInline]
    actions = ["clear_second_factor_lockout"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "name_reading", "phone", "preferred_language", "home_area")}),
        ("Roles", {"fields": _ROLE_FIELDS}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {name: form.cleaned_data[name] for name in _ROLE_FIELDS if name in form.changed_data}
        if changed:
            # Role and activation changes made by an admin are audited like any other role change.
            audit.record(
                action=audit.Action.ROLE_CHANGED,
                actor=request.user,
                obj=obj,
                request=request,
                detail={"changes": changed},
            )

    @admin.action(description=_("Clear the wait after wrong sign-in codes"), permissions=["change"])
    def clear_second_factor_lockout(self, request, queryset):
        # For a coordinator kept out by someone guessing codes with their password: they can sign in
        # at once. Each one is audited by the service.
        cleared = 0
        for user in queryset:
            try:
                services.clear_second_factor_lockout(by=request.user, user=user, request=request)
            except services.AccountError as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            cleared += 1
        self.message_user(
            request,
            ngettext(
                "The wait after wrong sign-in codes is cleared for %(count)d person.",
                "The wait after wrong sign-in codes is cleared for %(count)d people.",
                cleared,
            )
            % {"count": cleared},
            messages.SUCCESS,
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for membership in instances:
            if membership.added_by_id is None:
                membership.added_by = request.user
            membership.save()
            _audit_membership(request, membership, granted=True)
        for membership in formset.deleted_objects:
            _audit_membership(request, membership, granted=False)
            membership.delete()
        formset.save_m2m()


def _audit_membership(request, membership: CoordinatorMembership, *, granted: bool) -> None:
    audit.record(
        action=audit.Action.ROLE_CHANGED,
        actor=request.user,
        obj=membership.user,
        area=membership.area,
        request=request,
        detail={"role": "coordinator", "area": membership.area_id, "granted": granted},
    )


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ja", "country", "help_phone", "distance_unit", "time_zone"]
    list_filter = ["country"]
    search_fields = ["name", "name_ja"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CoordinatorMembership)
class CoordinatorMembershipAdmin(ViewOnlyAdmin):
    """Who coordinates where. Granted and removed on the user's page (the inline there is audited) or by
    invitation, never here."""

    list_display = ["user", "area", "added_by", "created_at"]
    list_filter = ["area"]
    list_select_related = ["user", "area", "added_by"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "area", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["area"]
    list_select_related = ["area", "invited_by"]
    search_fields = ["email", "full_name"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        # Invitations are sent from the coordinator pages, which email the link (only its hash is stored).
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Onboarding records change only through the services (audited, with emails and the activation
    gate): the admin may look, not edit."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CookProfile)
class CookProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "status", "neighbourhood", "location_source", "completed_at"]
    list_filter = ["status", "country", "location_source"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(IdentityCheck)
class IdentityCheckAdmin(ReadOnlyAdmin):
    # No link to the photo: it is seen only through the coordinator's audited view.
    list_display = ["cook", "method", "document_type", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["method", "status", "document_type"]
    list_select_related = ["cook", "decided_by"]
    search_fields = ["cook__email", "cook__full_name", "stripe_session_id"]
    exclude = ["image_name"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "image_name"]


@admin.register(CookMove)
class CookMoveAdmin(ViewOnlyAdmin):
    """A cook's move waiting for (or decided by) a coordinator on the cook's page."""

    list_display = ["profile", "town", "distance_km", "requested_at", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome", "country"]
    list_select_related = ["profile__user", "decided_by"]
    search_fields = ["profile__user__email", "profile__user__full_name"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "event_type", "created", "received_at"]
    search_fields = ["event_id"]
