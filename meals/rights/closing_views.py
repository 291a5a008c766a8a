"""A cook or referrer closes their own account: a page that says what will happen (their matches go to
their coordinator, they cannot sign in again, what is kept and for how long), then a page that says it
is done. The write is meals.rights.closing.close_account."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casserole import retention
from casserole.models import Channel
from meals.rights import closing
from meals.rights.errors import RightsError
from meals.rights.forms import CloseAccountForm


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
