"""Asking for meals: the question pages, "Check your answers", sending, and the asker's view of a request.

Who may ask: anyone. Signed in (a referrer, or a cook or anyone else asking for themselves or someone
they know), the request records them as its referrer (the service leaves it empty when a coordinator
asks for a diner in their own area); nobody's roles change. Without an account, the draft is found by
a random key kept in the session, and the person asking leaves a name and phone number unless the
meals are for them. A coordinator taking a phone call starts from `phone_referral`: the same pages,
worded for the coordinator, and the request's channel is "phone".

Every page saves the draft, so nothing is lost: a signed-in person's draft is found by its owner, so it
survives a session that expired. The session remembers which draft is being written (a referrer may
also be answering a coordinator's question on another); without it, their latest draft is used.
"""

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casserole.access import coordinator_required
from casserole.models import Channel
from meals.diners import services as diners_services
from meals.diners.access import live_proxy
from meals.referrals import services
from meals.referrals.access import (
    ANONYMOUS_SESSION_KEY,
    DRAFT_SESSION_KEY,
    SENT_SESSION_KEY,
    can_triage,
    current_draft,
    get_referral_for_referrer,
    get_sent_referral,
)
from meals.referrals.forms import SECTIONS, SendRequestForm, WaitlistForm
from meals.referrals.models import Referral, ReferralDraft
from meals.referrals.selectors import sent_with_key

STEPS = list(SECTIONS)
# How "Check your answers" groups the pages.
CHECK_GROUPS = (
    (gettext_lazy("The request"), ("relationship",)),
    (gettext_lazy("About the diner"), ("name", "address", "phone", "access")),
    (gettext_lazy("Food and meals"), ("diet", "texture", "likes", "days")),
    (gettext_lazy("Emergency contact"), ("emergency",)),
    (gettext_lazy("Agreement"), ("consent",)),
)


def referral_reference(referral: Referral) -> str:
    """What the person asking quotes when they call: "CR-000123"."""
    return f"CR-{referral.pk:06d}"


# Starting a draft ----------------------------------------------------------------------------------


def _new_draft(request, *, channel: str = Channel.WEB) -> ReferralDraft:
    if request.user.is_authenticated:
        draft = services.start_draft(owner=request.user, channel=channel)
        request.session[DRAFT_SESSION_KEY] = draft.pk
        return draft
    key = secrets.token_urlsafe(32)
    request.session[ANONYMOUS_SESSION_KEY] = key
    return services.start_draft(owner=None, session_key=key)


def _form_options(request, draft: ReferralDraft) -> dict:
    data = draft.data
    return {
        "channel": draft.channel,
        "country": data.get("country", ""),
        "for_self": data.get("relationship") == Referral.Relationship.SELF,
        "signed_in": request.user.is_authenticated,
    }


def _first_unanswered(request, draft: ReferralDraft) -> str:
    options = _form_options(request, draft)
    for slug, form_class in SECTIONS.items():
        if not form_class(**options).is_answered(draft.data):
            return reverse("meals:request_step", args=[slug])
    return reverse("meals:request_check")


def _remember_sent(request, referral: Referral) -> None:
    request.session.pop(DRAFT_SESSION_KEY, None)
    sent = request.session.get(SENT_SESSION_KEY, [])
    if referral.pk not in sent:
        request.session[SENT_SESSION_KEY] = [*sent[-9:], referral.pk]


# The pages -------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    draft = current_draft(request.user, request.session)
    # Continue a request being written on the web; a phone request or an answer to a coordinator's
    # question is not what "Start now" on this page means.
    if draft is not None and (draft.channel != Channel.WEB or draft.referral_id is not None):
        draft = None
    if request.method == "POST":
        if draft is None:
            _new_draft(request)
            return redirect("meals:request_step", step=STEPS[0])
        if request.user.is_authenticated:
            request.session[DRAFT_SESSION_KEY] = draft.pk
        return redirect(_first_unanswered(request, draft))
    return render(request, "meals/referrals/request/start.html", {"has_draft": draft is not None, "phone": False})


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def phone_referral(request):
    if request.method == "POST":
        _new_draft(request, channel=Channel.PHONE)
        return redirect("meals:request_step", step=STEPS[0])
    return render(request, "meals/referrals/request/start.html", {"has_draft": False, "phone": True})


@never_cache
@require_http_methods(["GET", "POST"])
def step(request, step):
    form_class = SECTIONS.get(step)
    if form_class is None:
        raise Http404
    draft = current_draft(request.user, request.session)
    if draft is None:
        return redirect("meals:request_start")
    changing = request.GET.get("change") == "1"
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=form_class.initial_from(draft.data),
        **_form_options(request, draft),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft_answers(draft=draft, answers=form.answers())
        except diners_services.UnrecognisedPostcodeError as error:
            form.add_error("postcode", error.message)
        else:
            if step == "address" and diners_services.area_for(draft.data) is None:
                return redirect("meals:request_not_in_area")
            return redirect(_after(request, draft, step, changing))
    elif request.method == "POST" and step == "address":
        _flag_unrecognised_postcode(form)
    index = STEPS.index(step)
    if changing:
        back = reverse("meals:request_check")
    elif index:
        back = reverse("meals:request_step", args=[STEPS[index - 1]])
    else:
        back = reverse("meals:coordinator_phone_referral" if draft.channel == Channel.PHONE else "meals:request_start")
    return render(
        request,
        "meals/referrals/request/step.html",
        {"form": form, "step": step, "back": back, "draft": draft, "number": index + 1, "total": len(STEPS)},
    )


def _flag_unrecognised_postcode(form) -> None:
    """An address page refused for something else says at once that the postcode is unknown too, rather
    than only once the rest is fixed (save_draft_answers refuses it the same way when the page is valid)."""
    data = form.cleaned_data
    if "country" in data and "postcode" in data:
        try:
            diners_services.check_postcode_recognised(data)
        except diners_services.UnrecognisedPostcodeError as error:
            form.add_error("postcode", error.message)


def _after(request, draft: ReferralDraft, step: str, changing: bool) -> str:
    if changing:
        # A new answer to "who is asking" can make the agreement's answers not fit any more (the form
        # clears them): then the agreement is asked again before going back to the check page.
        if step == "relationship" and not SECTIONS["consent"](**_form_options(request, draft)).is_answered(draft.data):
            return reverse("meals:request_step", args=["consent"]) + "?change=1"
        return reverse("meals:request_check")
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return reverse("meals:request_step", args=[STEPS[index + 1]])
    return reverse("meals:request_check")


@dataclass
class _Section:
    slug: str
    heading: str
    answered: bool
    rows: list[dict]


def _sections(request, draft: ReferralDraft) -> list[tuple[str, list[_Section]]]:
    options = _form_options(request, draft)
    groups = []
    for heading, slugs in CHECK_GROUPS:
        sections = []
        for slug in slugs:
            form = SECTIONS[slug](**options)
            answered = form.is_answered(draft.data)
            sections.append(_Section(slug, form.heading, answered, form.summary(draft.data) if answered else []))
        groups.append((heading, sections))
    return groups


@never_cache
@require_http_methods(["GET", "POST"])
def check_answers(request):
    draft = current_draft(request.user, request.session)
    form = SendRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        # A second click, or a second tab, after the draft was sent: show what the first one made.
        key = request.POST.get("submission_key", "")
        if draft is None or str(draft.submission_key) != key:
            sent = sent_with_key(request.user, request.session, key)
            if sent is not None:
                return redirect("meals:request_sent", pk=sent.pk)
            if draft is not None:
                return redirect("meals:request_check")
    if draft is None:
        return redirect("meals:request_start")
    groups = _sections(request, draft)
    problems = [
        {"slug": section.slug, "message": _problem_message(section)}
        for _heading, sections in groups
        for section in sections
        if not section.answered
    ]
    if request.method == "POST" and form.is_valid():
        if problems:
            for problem in problems:
                form.add_error(None, problem["message"])
        else:
            try:
                referral = services.submit_referral(
                    draft=draft, by=request.user if request.user.is_authenticated else None, request=request
                )
            except services.NotInAreaError:
                return redirect("meals:request_not_in_area")
            except diners_services.ReferralError as error:
                form.add_error(None, str(error))
            else:
                _remember_sent(request, referral)
                return redirect("meals:request_sent", pk=referral.pk)
    return render(
        request,
        "meals/referrals/request/check.html",
        {
            "form": form,
            "draft": draft,
            "groups": groups,
            "problems": problems if form.errors else [],
            "submission_key": draft.submission_key,
        },
    )


def _problem_message(section: _Section) -> str:
    if section.slug == "consent":
        return _("The diner must agree to this request before you can send it.")
    return _("Answer the question “%(question)s”") % {"question": section.heading}


@never_cache
@require_http_methods(["GET", "POST"])
def not_in_area(request):
    draft = current_draft(request.user, request.session)
    if draft is None or not draft.data.get("postcode"):
        return redirect("meals:request_start")
    if diners_services.area_for(draft.data) is not None:
        return redirect("meals:request_step", step=STEPS[STEPS.index("address") + 1])
    joined = request.GET.get("joined") == "1"
    form = WaitlistForm(
        request.POST if request.method == "POST" else None,
        initial=_waitlist_initial(request, draft),
        country=draft.data.get("country", ""),
    )
    if request.method == "POST" and form.is_valid():
        services.join_area_waitlist(
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
            country=draft.data["country"],
            postcode=draft.data["postcode"],
            request=request,
        )
        return redirect(reverse("meals:request_not_in_area") + "?joined=1")
    return render(
        request,
        "meals/referrals/request/not_in_area.html",
        {"form": form, "draft": draft, "postcode": draft.data["postcode"], "joined": joined},
    )


def _waitlist_initial(request, draft: ReferralDraft) -> dict:
    if request.user.is_authenticated and draft.channel == Channel.WEB:
        return {"name": request.user.full_name, "contact": request.user.email}
    if draft.data.get("relationship") == Referral.Relationship.SELF:
        return {"name": draft.data.get("full_name", "")}
    return {"name": draft.data.get("referrer_name", "")}


@never_cache
@require_GET
def sent(request, pk):
    referral = get_sent_referral(request.user, request.session, pk)
    user = request.user
    area = referral.diner.area
    return render(
        request,
        "meals/referrals/request/sent.html",
        {
            "referral": referral,
            "area_name": area.display_name(get_language()) if area is not None else "",
            "reference": referral_reference(referral),
            "is_referrer": user.is_authenticated and referral.referrer_id == user.pk,
            "can_triage": can_triage(user, referral),
            "phone": referral.channel == Channel.PHONE,
        },
    )


@login_required
@never_cache
@require_GET
def referral(request, pk):
    referral = get_referral_for_referrer(request.user, pk)
    context = {
        "referral": referral,
        "reference": referral_reference(referral),
        # Where the request was accepted and the coordinator lets them act for the diner, the diner's
        # page says what has happened since (a cook found, the first visit): this page does not guess.
        "acts_for_diner": referral.diner_id is not None and live_proxy(request.user, referral.diner_id) is not None,
    }
    return render(request, "meals/referrals/referral.html", context)


@login_required
@require_POST
def answer(request, pk):
    referral = get_referral_for_referrer(request.user, pk)
    try:
        draft = services.draft_for_more_information(referral=referral, by=request.user)
    except diners_services.ReferralError as error:
        messages.error(request, str(error))
        return redirect("meals:referral", pk=referral.pk)
    request.session[DRAFT_SESSION_KEY] = draft.pk
    return redirect("meals:request_check")
