"""The cook's side of onboarding: the checklist, the profile, and the three ways to prove who they are.

Every page is the signed-in cook's own: nothing here takes an id, so there is nobody else's object
to reach. Writes go through accounts.onboarding.services (and accounts.onboarding.stripe_identity for Stripe), which
take their fields by name: whatever else a browser posts changes nothing.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.onboarding import eligibility as onboarding_eligibility
from accounts.onboarding import services as cook_services
from accounts.onboarding import stripe_identity
from accounts.onboarding.forms import CookProfileForm, IdentityPhotoForm
from accounts.onboarding.models import CookProfile, IdentityCheck
from accounts.onboarding.selectors import (
    cook_profile,
    cook_status,
    has_profile,
    identity_state,
    latest_stripe_check,
    recent_identity_checks,
    stripe_problem,
    waiting_move,
)
from accounts.people.selectors import postcode_recognised
from casserole.access import cook_required
from casserole.addresses import UNRECOGNISED_POSTCODE, address_for_geocoder, default_country
from casserole.phones import phone_for_display


@cook_required
@never_cache
@require_GET
def status(request):
    return render(request, "accounts/onboarding/status.html", cook_status(request.user))


def _profile_initial(request, profile: CookProfile | None) -> dict:
    user = request.user
    initial = {
        "full_name": user.full_name,
        "name_reading": user.name_reading,
        "phone": phone_for_display(user.phone) if user.phone else "",
        "country": default_country(),
    }
    if profile is not None:
        initial.update(
            {
                field: getattr(profile, field)
                for field in (
                    "country",
                    "address_line1",
                    "address_line2",
                    "town",
                    "postcode",
                    "frequency",
                    "cooking_likes",
                    "note_for_diners",
                )
            },
            # As it was typed: "2", not the stored "2.0".
            travel_distance=f"{profile.travel_distance:f}".removesuffix(".0"),
        )
    return initial


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    cook = request.user
    existing = cook_profile(cook)
    move = waiting_move(existing)
    initial = _profile_initial(request, existing)
    if move is not None:
        # The address the cook last saved, as typed, though it still waits for a coordinator.
        initial.update({field: getattr(move, field) for field in cook_services.ADDRESS_FIELDS})
    form = CookProfileForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        unit=existing.travel_unit if existing is not None and request.method == "GET" else "",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = cook_services.save_cook_profile(
                cook=cook,
                full_name=data["full_name"],
                name_reading=data["name_reading"],
                phone=data["phone"],
                country=data["country"],
                address_line1=data["address_line1"],
                address_line2=data["address_line2"],
                town=data["town"],
                postcode=data["postcode"],
                travel_distance=data["travel_distance"],
                travel_unit=form.unit,
                frequency=data["frequency"],
                cooking_likes=data["cooking_likes"],
                note_for_diners=data["note_for_diners"],
                request=request,
            )
        except cook_services.UnrecognisedPostcodeError as error:
            form.add_error("postcode", str(error))
        except cook_services.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _saved_message(cook, saved))
            return redirect("accounts:cook_status")
    elif request.method == "POST":
        _flag_unrecognised_postcode(form, existing)
    return render(request, "accounts/onboarding/profile.html", {"form": form, "existing": existing, "move": move})


def _flag_unrecognised_postcode(form: CookProfileForm, existing: CookProfile | None) -> None:
    """A form refused for something else says at once that a new postcode is unknown too, rather than
    only once the rest is fixed (save_cook_profile refuses it the same way when the form is valid)."""
    data = form.cleaned_data
    if "country" not in data or "postcode" not in data:
        return
    if existing is not None and (existing.country, existing.postcode) == (data["country"], data["postcode"]):
        return
    address = address_for_geocoder(
        country=data["country"],
        address_line1=data.get("address_line1", ""),
        address_line2=data.get("address_line2", ""),
        town=data.get("town", ""),
    )
    if not postcode_recognised(country=data["country"], postcode=data["postcode"], address=address):
        form.add_error("postcode", UNRECOGNISED_POSTCODE)


def _saved_message(cook, saved: CookProfile) -> str:
    if waiting_move(saved) is not None:
        return _(
            "Your profile is saved. Your new address moves you more than a short way, or soon after your last move, "
            "so a coordinator will confirm it; until then we find people near your previous address."
        )
    if cook.home_area_id is None:
        return _("Your profile is saved. There is no Casserole club near you yet: we will email you when one opens.")
    if saved.needs_placing:
        return _(
            "We couldn’t find your address on the map. Your profile is saved; a coordinator will place you by hand "
            "– you don’t need to do anything."
        )
    return _("Your profile is saved.")


@cook_required
@never_cache
@require_GET
def identity(request):
    cook = request.user
    checks = recent_identity_checks(cook)
    state, check = identity_state(
        checks, approved=onboarding_eligibility.identity_approved(cook), has_profile=has_profile(cook)
    )
    return render(
        request,
        "accounts/onboarding/identity.html",
        {
            "state": state,
            "check": check,
            "stripe_enabled": stripe_identity.stripe_enabled(),
            "stripe_problem": stripe_problem(check.stripe_error_code) if state == "stripe_needs_input" else "",
        },
    )


@cook_required
@never_cache
@require_http_methods(["GET", "POST"])
def identity_photo(request):
    cook = request.user
    if not has_profile(cook):
        messages.info(request, _("Fill in your profile first: the coordinator compares your document with it."))
        return redirect("accounts:cook_profile")
    if onboarding_eligibility.identity_approved(cook):
        messages.info(request, _("Your identity has already been approved."))
        return redirect("accounts:cook_identity")
    # The service's own rule: no open check, or an online check Stripe could not finish (which the
    # photo then replaces). Anything else waits for the open check to end.
    if not cook_services.may_send_photo(cook):
        messages.info(request, _("You already have an identity check in progress. Wait for it to finish."))
        return redirect("accounts:cook_identity")
    form = IdentityPhotoForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            cook_services.submit_identity_photo(
                cook=cook,
                document_type=form.cleaned_data["document_type"],
                upload=form.cleaned_data["photo"],
                request=request,
            )
        except cook_services.OnboardingError as error:
            # Every refusal left is about the file itself (the checks above cover the rest).
            form.add_error("photo", str(error))
        else:
            messages.success(
                request, _("Thank you. We have your photo: a coordinator will check it and we will email you.")
            )
            return redirect("accounts:cook_status")
    return render(request, "accounts/onboarding/identity_photo.html", {"form": form})


@cook_required
@never_cache
@require_POST
def identity_stripe_start(request):
    if not stripe_identity.stripe_enabled():
        raise Http404
    return_url = request.build_absolute_uri(reverse("accounts:cook_identity_stripe_return"))
    try:
        url = stripe_identity.start_stripe_check(cook=request.user, return_url=return_url, request=request)
    except cook_services.OnboardingError as error:
        messages.error(request, str(error))
        return redirect("accounts:cook_identity")
    # Stripe's hosted page, on Stripe's own domain: the only redirect here that leaves the site.
    return HttpResponseRedirect(url)


@cook_required
@never_cache
@require_GET
def identity_stripe_return(request):
    cook = request.user
    check = latest_stripe_check(cook)
    return render(
        request,
        "accounts/onboarding/stripe_return.html",
        {
            "check": check,
            "stripe_enabled": stripe_identity.stripe_enabled(),
            "stripe_problem": stripe_problem(check.stripe_error_code)
            if check is not None and check.status == IdentityCheck.Status.NEEDS_INPUT
            else "",
        },
    )
