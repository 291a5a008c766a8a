"""The coordinator's side of cook onboarding: the identity queue, the cook list and a cook's page,
deciding photo checks, documents seen in person, placing a cook, and approval/suspension.

Every object comes through accounts.review.access, so a coordinator of another area gets the same 404 as
for an id that does not exist. Every write goes through accounts.review.services; its refusals come
back as form errors or an error message.
"""

from functools import partial

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.onboarding import eligibility as onboarding_eligibility
from accounts.onboarding import identity_images
from accounts.onboarding import services as onboarding_services
from accounts.onboarding.models import IdentityCheck
from accounts.people.access import areas_for_coordinator
from accounts.review import selectors as review_selectors
from accounts.review import services as cook_services
from accounts.review.access import (
    get_cook_for_coordinator,
    get_cook_profile_for_coordinator,
    get_identity_check_for_coordinator,
    get_waiting_move_for_coordinator,
)
from accounts.review.forms import DecideIdentityForm, SeenInPersonForm
from casserole import audit, names, status
from casserole.access import coordinator_required
from casserole.fields import PlaceForm
from training.selectors import latest_certificate


@coordinator_required
@never_cache
@require_GET
def identity_queue(request):
    return render(request, "accounts/review/identity_queue.html", review_selectors.identity_queue(request.user))


@coordinator_required
@never_cache
@require_GET
def cook_list(request):
    context = review_selectors.cook_list(
        request.user, stage=request.GET.get("stage") or None, page_number=request.GET.get("page")
    )
    return render(request, "accounts/review/list.html", context)


@coordinator_required
@never_cache
@require_GET
def cook_detail(request, pk: int):
    cook = get_cook_for_coordinator(request.user, pk)
    blockers = onboarding_eligibility.activation_blockers(cook)
    context = review_selectors.cook_detail(cook)
    context.update(
        cook=cook,
        blockers=blockers,
        checklist=[
            {"label": blocker.label, "done": blocker not in blockers} for blocker in onboarding_eligibility.Blocker
        ],
        certificate=latest_certificate(cook),
        certificate_valid=onboarding_eligibility.Blocker.CERTIFICATE not in blockers,
    )
    return render(request, "accounts/review/detail.html", context)


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def identity_check(request, pk: int, check_pk: int):
    check = get_identity_check_for_coordinator(request.user, pk, check_pk)
    form = DecideIdentityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cook_services.decide_identity_check(
                by=request.user, check=check, approve=form.approve, reason=form.cleaned_data["reason"], request=request
            )
        except onboarding_services.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            name = names.addressed(check.cook.full_name)
            if form.approve:
                messages.success(
                    request, _("Identity approved for %(name)s. The photo has been deleted.") % {"name": name}
                )
            else:
                messages.success(
                    request, _("Identity not approved for %(name)s. We have told them why.") % {"name": name}
                )
            return redirect("coordinator:identity_queue")
    # Looking at someone's identity record is itself audited (SECURITY.md, Audit).
    audit.record(
        action=audit.Action.IDENTITY_CHECK_VIEWED,
        actor=request.user,
        obj=check,
        area=check.cook.home_area,
        request=request,
    )
    return render(
        request,
        "accounts/review/identity_check.html",
        {
            "check": check,
            "cook": check.cook,
            "profile": getattr(check.cook, "cook_profile", None),
            "form": form,
            "has_photo": check.method == IdentityCheck.Method.PHOTO and bool(check.image_name),
            "can_decide": check.method == IdentityCheck.Method.PHOTO and check.is_open,
            "is_self": check.cook_id == request.user.pk,
        },
    )


@coordinator_required
@never_cache
@require_GET
def identity_photo(request, pk: int, check_pk: int):
    check = get_identity_check_for_coordinator(request.user, pk, check_pk)
    if not check.image_name:
        raise Http404  # decided or purged: verify, don't retain
    try:
        image = identity_images.open_private_image(check.image_name)
    except FileNotFoundError:
        raise Http404 from None
    audit.record(
        action=audit.Action.IDENTITY_PHOTO_VIEWED,
        actor=request.user,
        obj=check,
        area=check.cook.home_area,
        request=request,
    )
    # An attachment, so opening the address directly downloads rather than shows it in a page;
    # an <img> on the check page still displays it.
    return FileResponse(image, content_type="image/jpeg", as_attachment=True, filename=f"identity-check-{check.pk}.jpg")


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def identity_in_person(request, pk: int):
    cook = get_cook_for_coordinator(request.user, pk)
    form = SeenInPersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cook_services.record_seen_in_person(
                by=request.user,
                cook=cook,
                document_type=form.cleaned_data["document_type"],
                channel=form.cleaned_data["channel"],
                request=request,
            )
        except onboarding_services.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Identity approved for %(name)s.") % {"name": names.addressed(cook.full_name)})
            return redirect("coordinator:cook_detail", pk=cook.pk)
    return render(request, "accounts/review/in_person.html", {"cook": cook, "form": form})


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def place_cook(request, pk: int):
    profile = get_cook_profile_for_coordinator(request.user, pk)
    initial = {"latitude": profile.latitude, "longitude": profile.longitude, "neighbourhood": profile.neighbourhood}
    form = PlaceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cook_services.place_cook(by=request.user, profile=profile, request=request, **form.cleaned_data)
        except onboarding_services.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(name)s has been placed on the map.") % {"name": names.addressed(profile.user.full_name)}
            )
            return redirect("coordinator:cook_detail", pk=profile.user_id)
    return render(request, "accounts/review/place.html", {"cook": profile.user, "profile": profile, "form": form})


@coordinator_required
@require_POST
def decide_move(request, pk: int, move_pk: int):
    """Confirm a cook's waiting move, or keep them where they were (`decision` = confirm | decline)."""
    move = get_waiting_move_for_coordinator(request.user, pk, move_pk)
    decision = request.POST.get("decision")
    if decision not in ("confirm", "decline"):
        messages.error(request, _("Choose whether to confirm the new address."))
        return redirect("coordinator:cook_detail", pk=pk)
    try:
        cook_services.decide_cook_move(by=request.user, move=move, confirm=decision == "confirm", request=request)
    except onboarding_services.OnboardingError as error:
        messages.error(request, str(error))
    else:
        name = names.addressed(move.profile.user.full_name)
        messages.success(
            request,
            _("%(name)s’s new address is confirmed. We have emailed them.") % {"name": name}
            if decision == "confirm"
            else _("%(name)s stays at their previous address. We have emailed them.") % {"name": name},
        )
    return redirect("coordinator:cook_detail", pk=pk)


@coordinator_required
@require_POST
def approve_cook(request, pk: int):
    cook = get_cook_for_coordinator(request.user, pk)
    try:
        cook_services.approve_cook(by=request.user, cook=cook, request=request)
    except onboarding_services.OnboardingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is now an active cook. We have emailed them.") % {"name": names.addressed(cook.full_name)},
        )
    return redirect("coordinator:cook_detail", pk=cook.pk)


def _status_change(request, pk: int, *, service, transition, template: str, label: str, done: str):
    cook = get_cook_for_coordinator(request.user, pk)
    return status.status_change_page(
        request,
        transition=transition,
        change=partial(service, by=request.user, cook=cook, request=request),
        template=template,
        context={"cook": cook, "profile": getattr(cook, "cook_profile", None)},
        label=label,
        help_text=_("The cook will see this."),
        done=done % {"name": names.addressed(cook.full_name)},
        success_url=reverse("coordinator:cook_detail", kwargs={"pk": cook.pk}),
    )


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def suspend_cook(request, pk: int):
    return _status_change(
        request,
        pk,
        service=cook_services.suspend_cook,
        transition=cook_services.COOK_STATUS["suspend"],
        template="accounts/review/suspend.html",
        label=_("Why are you suspending this cook?"),
        done=_("%(name)s has been suspended. We have emailed them the reason."),
    )


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def reactivate_cook(request, pk: int):
    return _status_change(
        request,
        pk,
        service=cook_services.reactivate_cook,
        transition=cook_services.COOK_STATUS["reactivate"],
        template="accounts/review/reactivate.html",
        label=_("Why are you reactivating this cook?"),
        done=_("%(name)s is active again. We have emailed them."),
    )


@coordinator_required
@never_cache
@require_GET
def training_overview(request):
    """The course progress and certificates of the cooks living in the coordinator's areas."""
    page = review_selectors.training_overview(
        areas=areas_for_coordinator(request.user), page_number=request.GET.get("page")
    )
    return render(request, "accounts/review/training.html", {"cooks": page.object_list, "page": page})
