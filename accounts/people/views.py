import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from accounts.people import help as help_lines
from accounts.people import selectors, services
from accounts.people.access import (
    areas_for_coordinator,
    get_invitation_for_management,
    get_membership_for_management,
)
from accounts.people.forms import InvitationAcceptForm, InviteCoordinatorForm, OneTimeCodeForm, ProfileForm
from accounts.people.models import Area
from casserole import names
from casserole.access import coordinator_required


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "HEAD"])
def clubs(request):
    """Every club's help line in the country of the page's language (Japan for Japanese pages, the
    UK for English ones): where a visitor with no known area chooses whom to call. Public."""
    language = request.LANGUAGE_CODE
    country = help_lines.country_for_language(language) or Area.Country.GB
    rows = [
        {"name": club.display_name(language), "phone": club.help_phone, "hours": help_lines.club_hours(club, language)}
        for club in help_lines.clubs_in(country)
    ]
    return render(request, "accounts/people/clubs.html", {"clubs": rows})


@login_required
@never_cache
def dashboard(request):
    user = request.user
    return render(
        request,
        "accounts/people/dashboard.html",
        {
            "has_two_factor": user_has_device(user, confirmed=True),
            "backup_codes_left": selectors.backup_codes_left(user),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/people/profile_edit.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect("accounts:two_factor_verify")
    device = services.get_or_create_pending_totp(user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp(user=user, device=device, token=form.cleaned_data["code"], request=request)
        except services.AccountError as error:
            form.add_error("code", str(error))
        else:
            _pass_second_factor(request, device)
            request.session["fresh_backup_codes"] = codes
            return redirect(reverse("accounts:backup_codes") + "?" + urlencode({"next": _safe_next(request, "")}))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        omitsize=True, scale=5, title=_("QR code for your authenticator app")
    )
    return render(
        request,
        "accounts/people/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": _base32(device.bin_key), "next": _safe_next(request, "")},
    )


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = request.user
    if not user_has_device(user, confirmed=True):
        return redirect("accounts:two_factor_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(user=user, token=form.cleaned_data["code"], request=request)
        except services.AccountError as error:
            form.add_error("code", str(error))
        else:
            _pass_second_factor(request, device)
            return redirect(_safe_next(request, _home_for(user)))
    return render(request, "accounts/people/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")})


def _pass_second_factor(request, device) -> None:
    # A new session id: one seen between password and code must not become a verified session.
    request.session.cycle_key()
    otp_login(request, device)
    if request.user.needs_second_factor:
        # Coordinator and admin sessions see diners' records: they end sooner than everyone else's.
        request.session.set_expiry(settings.STAFF_SESSION_AGE)


def _home_for(user) -> str:
    if user.is_coordinator:
        return reverse("coordinator:home")
    if user.is_cook:
        return reverse("accounts:cook_status")
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    if not user_has_device(request.user, confirmed=True):
        # Backup codes stand in for an authenticator app; without an app there is nothing to back up.
        return redirect("accounts:two_factor_setup")
    if request.method == "POST":
        request.session["fresh_backup_codes"] = services.regenerate_backup_codes(user=request.user, request=request)
        return redirect("accounts:backup_codes")
    codes = request.session.pop("fresh_backup_codes", None)
    return render(
        request,
        "accounts/people/backup_codes.html",
        {
            "codes": codes,
            "codes_left": selectors.backup_codes_left(request.user),
            "next": _safe_next(request, _home_for(request.user)),
        },
    )


@login_required
@require_POST
def two_factor_disable(request):
    try:
        services.disable_second_factor(user=request.user, request=request)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Two-factor sign-in is now off."))
    return redirect("accounts:dashboard")


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    invitation = services.get_usable_invitation(token)
    if invitation is None:
        return render(request, "accounts/people/invitation_invalid.html", status=410)
    existing = selectors.existing_account_for(invitation)
    if existing is not None and request.user != existing:
        # The person already has an account: they prove it is theirs by signing in, then come back.
        messages.info(request, _("You already have an account with this email address. Sign in to accept."))
        return redirect_to_login(request.get_full_path(), login_url=reverse("account_login"))
    if existing is not None:
        form = forms.Form(request.POST or None)
    else:
        form = InvitationAcceptForm(
            request.POST or None,
            initial={"full_name": invitation.full_name},
            email=invitation.email,
            country=invitation.area.country,
        )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token=token, acting_user=existing, request=request, **form.cleaned_data)
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            if existing is None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                # The session now carries a coordinator's rights: a new id, as signing in would give.
                request.session.cycle_key()
            messages.success(request, _("Welcome. Now set up two-factor sign-in to finish."))
            return redirect(
                "coordinator:home"
                if existing is not None and request.user.is_verified()
                else "accounts:two_factor_setup"
            )
    return render(
        request,
        "accounts/people/invitation_accept.html",
        {"form": form, "invitation": invitation, "existing": existing},
    )


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def invite_coordinator(request):
    areas = areas_for_coordinator(request.user)
    form = InviteCoordinatorForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_coordinator(by=request.user, request=request, **form.cleaned_data)
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("coordinator:home")
    return render(
        request, "accounts/people/invite.html", {"form": form, "invitation_days": settings.INVITATION_VALID_DAYS}
    )


@coordinator_required
@require_POST
def revoke_invitation(request, pk: int):
    invitation = get_invitation_for_management(request.user, pk)
    try:
        services.revoke_invitation(by=request.user, invitation=invitation, request=request)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation cancelled."))
    return redirect("coordinator:home")


@coordinator_required
@require_POST
def remove_coordinator(request, pk: int):
    membership = get_membership_for_management(request.user, pk)
    services.remove_coordinator_area(by=request.user, membership=membership, request=request)
    messages.success(
        request,
        _("%(name)s no longer coordinates %(area)s.")
        % {
            "name": names.addressed(membership.user.full_name),
            "area": membership.area.display_name(request.LANGUAGE_CODE),
        },
    )
    return redirect("coordinator:home")
