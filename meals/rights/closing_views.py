"""A cook or referrer closes their own account: a page that says what will happen (their matches go to
their coordinator, they cannot sign in again, what is kept and for how long), then a page that says it
is done. A coordinator closes a cook's account for them when the cook asks on the phone, in person or
in writing (nobody is left needing to go online to leave). The write is
meals.rights.closing.close_account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.review.access import get_cook_for_coordinator
from casserole import names, retention
from casserole.access import coordinator_required
from casserole.models import Channel
from meals.rights import closing
from meals.rights.errors import RightsError
from meals.rights.forms import CloseAccountForm, CloseForPersonForm


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def close_account(request):
    user = request.user
    allowed = closing.may_close(user, user)
    form = CloseAccountForm(request.POST if request.method == "POST" and allowed else None)
    if form.is_bound and form.is_valid():
        try:
            closing.close_account(
                user=user, by=user, reason=form.cleaned_data["reason"], channel=Channel.WEB, request=request
            )
        except RightsError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            return redirect("meals:account_closed")
    context = {
        "form": form,
        "allowed": allowed,
        "matches": closing.live_matches(user) if allowed else [],
        "kept_days": retention.kind("account").days,
    }
    return render(request, "meals/rights/closing/close.html", context)


@require_GET
def account_closed(request):
    return render(request, "meals/rights/closing/closed.html")


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def coordinator_close_cook(request, pk: int):
    """Close a cook's account for them (a cook of the coordinator's areas; 404 otherwise). Refused, with
    the reason on the page, for a coordinator's or administrator's account and one already closed."""
    cook = get_cook_for_coordinator(request.user, pk)
    allowed = closing.may_close(request.user, cook)
    form = CloseForPersonForm(request.POST if request.method == "POST" and allowed else None)
    if form.is_bound and form.is_valid():
        try:
            closing.close_account(
                user=cook,
                by=request.user,
                reason=form.cleaned_data["reason"],
                channel=form.cleaned_data["channel"],
                request=request,
            )
        except RightsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(name)s’s account is closed.") % {"name": names.addressed(cook.full_name) or cook.email}
            )
            return redirect("coordinator:cook_detail", pk=cook.pk)
    context = {
        "cook": cook,
        "form": form,
        "allowed": allowed,
        "matches": closing.live_matches(cook) if allowed else [],
        "kept_days": retention.kind("account").days,
    }
    return render(request, "meals/rights/closing/coordinator_close.html", context)
