"""Every page of the foundation, as each persona, in both languages, at phone and desktop widths:
0 axe violations (WCAG 2.2 AA + best practice, target-size on) and the checks axe cannot make.
Test ids read page-persona-lang-width, e.g. `sign-in-anonymous-ja-390`."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail

from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import LANGS, WIDTHS, last_email_to, submit_form, url_path
from tests.factories import loaded_course

ANONYMOUS, COOK, COORDINATOR = "anonymous", "cook", "coordinator"
SIGNED_IN = (COOK, COORDINATOR)
EVERYONE = (ANONYMOUS, COOK, COORDINATOR)


def _invitation_path(request) -> str:
    """A real, open invitation: made by the service, token taken from the email it sends."""
    from accounts.people.services import invite_coordinator

    coordinator = request.getfixturevalue("coordinator_a")
    area = request.getfixturevalue("area_a")
    mail.outbox.clear()
    invite_coordinator(by=coordinator, area=area, email="nina.new@example.org", full_name="Nina New")
    match = re.search(r"/account/invitation/([A-Za-z0-9_-]+)/", mail.outbox[-1].body)
    assert match, f"no invitation link in:\n{mail.outbox[-1].body}"
    return f"/account/invitation/{match.group(1)}/"


def _password_reset_for_cook(request) -> str:
    """The page that starts a password reset, once the cook persona (who will forget) exists."""
    request.getfixturevalue("cook")
    return "/accounts/password/reset/"


def _ask_for_a_reset_code(page):
    """Steps: ask for a reset code for the cook persona, which leads to the page that takes it."""
    mail.outbox.clear()
    page.fill("#id_email", "cook@example.org")
    submit_form(page, "#id_email")


def _enter_the_reset_code(page):
    """Steps: ask for a reset code and type it in, which leads to the new-password page."""
    _ask_for_a_reset_code(page)
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", last_email_to("cook@example.org").body, re.MULTILINE)
    page.fill("#id_code", code.group(1))
    submit_form(page, "#id_code")


def _onboarding_cook(request, **profile):
    """The cook persona with a completed profile in area A (the offline geocoder places E8)."""
    from tests.onboarding import cover_e8, make_profile

    request.getfixturevalue("settings").GEOCODER = "offline"
    cover_e8(request.getfixturevalue("area_a"))
    cook = request.getfixturevalue("cook")
    make_profile(cook, **profile)
    return cook


def _cook_page(path: str, *, photo: bool = False) -> Callable:
    """`path` for the cook persona once their profile is saved (and a photo waits, with `photo`)."""

    def resolve(request) -> str:
        from tests.onboarding import photo_check

        cook = _onboarding_cook(request)
        if photo:
            photo_check(cook)
        return path

    return resolve


def _coordinator_cook_page(suffix: str = "", *, photo: bool = False, **profile) -> Callable:
    """A coordinator's page about the cook persona: /coordinator/cooks/<pk>/<suffix>; with `photo`,
    the suffix follows /identity/<check pk>/ of a photo waiting for a decision."""

    def resolve(request) -> str:
        from tests.onboarding import photo_check

        cook = _onboarding_cook(request, **profile)
        if photo:
            return f"/coordinator/cooks/{cook.pk}/identity/{photo_check(cook).pk}/{suffix}"
        return f"/coordinator/cooks/{cook.pk}/{suffix}"

    return resolve


def _submit_empty(field: str) -> Callable:
    """An action: clear `field` and submit its form as it is."""

    def action(page):
        page.fill(field, "")
        _submit(page, field)

    return action


def _submit_bad_sign_up(page):
    page.fill("#id_email", "not-an-email")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "different")
    _submit(page, "#id_email")


def _submit_as_it_is(field: str) -> Callable:
    """An action: submit the form holding `field` without answering anything."""

    def action(page):
        _submit(page, field)

    return action


def _submit(page, field: str):
    """submit_form(), once sure the form leaves checking its input to the server."""
    form = page.locator(f"form:has({field})")
    assert form.get_attribute("novalidate") is not None, (
        f"the form holding {field} lacks `novalidate`: the browser's own bubbles would replace the error summary"
    )
    submit_form(page, field)


@dataclass(frozen=True)
class Page:
    name: str
    path: str | Callable  # without the /en or /ja prefix; a callable gets the pytest request
    personas: tuple
    status: int = 200
    steps: Callable | None = None  # run after loading, to reach a page only a form leads to
    action: Callable | None = None  # run after loading (and steps), e.g. submit a form with errors
    verified: bool = True  # False: a coordinator who has signed in but not yet given a code
    lands_on: str | None = None  # the path after redirects, when it is not the path asked for
    course: bool = False  # needs the food-safety course loaded

    def resolve(self, request) -> str:
        return self.path(request) if callable(self.path) else self.path


PAGES = [
    Page("home", "/", EVERYONE),
    Page("accessibility", "/accessibility/", EVERYONE),
    Page("privacy", "/privacy/", EVERYONE),
    Page("not-found", "/no-such-page/", EVERYONE, status=404),
    Page("sign-in", "/accounts/login/", (ANONYMOUS,)),
    Page("sign-in-errors", "/accounts/login/", (ANONYMOUS,), action=_submit_empty("#id_login")),
    Page("sign-up", "/accounts/signup/", (ANONYMOUS,)),
    Page("sign-up-errors", "/accounts/signup/", (ANONYMOUS,), action=_submit_bad_sign_up),
    Page("password-reset", "/accounts/password/reset/", (ANONYMOUS,)),
    Page("password-reset-errors", "/accounts/password/reset/", (ANONYMOUS,), action=_submit_empty("#id_email")),
    # The reset code is typed in, never part of a link: these pages are reached by posting the forms.
    Page(
        "password-reset-code",
        _password_reset_for_cook,
        (ANONYMOUS,),
        steps=_ask_for_a_reset_code,
        lands_on="/accounts/password/reset/confirm/",
    ),
    Page(
        "password-reset-code-errors",
        _password_reset_for_cook,
        (ANONYMOUS,),
        steps=_ask_for_a_reset_code,
        lands_on="/accounts/password/reset/confirm/",
        action=_submit_empty("#id_code"),
    ),
    Page(
        "password-reset-new-password",
        _password_reset_for_cook,
        (ANONYMOUS,),
        steps=_enter_the_reset_code,
        lands_on="/accounts/password/reset/complete/",
    ),
    Page("password-changed", "/accounts/password/reset/done/", (ANONYMOUS,)),
    Page("verification-sent", "/accounts/confirm-email/", (ANONYMOUS,)),
    Page("invitation", _invitation_path, (ANONYMOUS,)),
    Page("invitation-invalid", "/account/invitation/no-such-token/", (ANONYMOUS,), status=410),
    Page("your-account", "/account/", SIGNED_IN),
    Page("edit-details", "/account/details/", SIGNED_IN),
    Page("edit-details-errors", "/account/details/", (COOK,), action=_submit_empty("#id_full_name")),
    Page("change-password", "/accounts/password/change/", SIGNED_IN),
    Page("change-password-errors", "/accounts/password/change/", (COOK,), action=_submit_empty("#id_oldpassword")),
    Page("email-addresses", "/accounts/email/", SIGNED_IN),
    Page("sign-out", "/accounts/logout/", SIGNED_IN),
    Page("two-factor-set-up", "/account/two-factor/set-up/", (COOK,)),
    # Backup codes back up an authenticator app: the coordinator has one (a cook without one is sent to set-up).
    Page("backup-codes", "/account/two-factor/backup-codes/", (COORDINATOR,)),
    Page(
        "backup-codes-without-app", "/account/two-factor/backup-codes/", (COOK,), lands_on="/account/two-factor/set-up/"
    ),
    Page("two-factor-code", "/account/two-factor/", (COORDINATOR,), verified=False),
    Page("coordinator-home", "/coordinator/", (COORDINATOR,)),
    # The food-safety course (the quiz, result and certificate pages: tests/browser/test_course.py).
    Page("course", "/training/", (COOK,), course=True),
    Page("lesson", "/training/lessons/allergens/", (COOK,), course=True),
    Page("certificate-check", "/certificates/check/", EVERYONE),
    Page("coordinator-training", "/coordinator/training/", (COORDINATOR,), course=True),
    Page("coordinator-forbidden", "/coordinator/", (COOK,), status=403),
    # Cook onboarding (the journeys through these pages: tests/browser/test_cook_onboarding.py).
    Page("cook-status", _cook_page("/account/cook/", photo=True), (COOK,)),
    Page("cook-profile", _cook_page("/account/cook/profile/"), (COOK,)),
    Page("cook-profile-errors", "/account/cook/profile/", (COOK,), action=_submit_empty("#id_full_name")),
    Page("cook-identity", _cook_page("/account/cook/identity/"), (COOK,)),
    Page("cook-identity-photo", _cook_page("/account/cook/identity/photo/"), (COOK,)),
    Page(
        "cook-identity-photo-errors",
        _cook_page("/account/cook/identity/photo/"),
        (COOK,),
        action=_submit_as_it_is("#id_photo"),
    ),
    Page("cook-stripe-return", "/account/cook/identity/stripe/return/", (COOK,)),
    Page("coordinator-identity-queue", _cook_page("/coordinator/identity/", photo=True), (COORDINATOR,)),
    Page("coordinator-cooks", _cook_page("/coordinator/cooks/"), (COORDINATOR,)),
    Page("coordinator-cook", _coordinator_cook_page(), (COORDINATOR,)),
    Page("coordinator-identity-check", _coordinator_cook_page(photo=True), (COORDINATOR,)),
    Page("coordinator-in-person", _coordinator_cook_page("identity/in-person/"), (COORDINATOR,)),
    Page(
        "coordinator-in-person-errors",
        _coordinator_cook_page("identity/in-person/"),
        (COORDINATOR,),
        action=_submit_as_it_is("#id_confirmed"),
    ),
    # E9 is in area A, but the offline table knows only E8: the cook needs placing by hand.
    Page("coordinator-place-cook", _coordinator_cook_page("location/", postcode="E9 5LN"), (COORDINATOR,)),
    Page("coordinator-suspend-cook", _coordinator_cook_page("suspend/"), (COORDINATOR,)),
    Page("invite-coordinator", "/coordinator/coordinators/invite/", (COORDINATOR,)),
    Page(
        "invite-coordinator-errors",
        "/coordinator/coordinators/invite/",
        (COORDINATOR,),
        action=_submit_empty("#id_email"),
    ),
]

PERSONA_FIXTURE = {COOK: "cook", COORDINATOR: "coordinator_a"}


# Diner referrals (#5) -----------------------------------------------------------------------------------
# The journeys through the request pages, the triage, the diner's record and the proxy's pages are in
# tests/browser/test_referrals.py; these are the pages those journeys do not open. The diner is the
# meals tests' Edith O'Brien (E8, area A), asked for by the referrer persona.
REFERRER = "referrer"
PERSONA_FIXTURE[REFERRER] = "referrer"


def _referral(request, **changes):
    """A request from the referrer persona for a diner in area A (the offline geocoder places E8)."""
    from tests.meals.conftest import submit
    from tests.onboarding import cover_e8

    request.getfixturevalue("settings").GEOCODER = "offline"
    cover_e8(request.getfixturevalue("area_a"))
    return submit(by=request.getfixturevalue("referrer"), **changes)


def _diner_page(template: str, *, decide: str = "accept", **changes) -> Callable:
    """`template` with {diner} and {referral} filled in, once the request is decided: accepted (the
    referrer may see the schedule and update the details) or declined."""

    def resolve(request) -> str:
        from meals.referrals import services

        coordinator = request.getfixturevalue("coordinator_a")
        referral = _referral(request, **changes)
        if decide == "accept":
            scopes = {"can_view_schedule": True, "can_edit_details": True}
            services.accept_referral(by=coordinator, referral=referral, scopes=scopes)
        else:
            reason = "We have no cooks near E8 who can manage a puréed diet yet. Age UK Hackney may help."
            services.decline_referral(by=coordinator, referral=referral, reason=reason)
        return template.format(diner=referral.diner_id, referral=referral.pk)

    return resolve


def _search_diners(page):
    """Steps: search the diner list by name (posted: the name never appears in the address)."""
    page.fill("#diner-search", "Edith")
    submit_form(page, "#diner-search")
    assert "Edith" not in page.url and "search=" in page.url, page.url


PAGES += [
    Page("request-start", "/request/", (ANONYMOUS, COORDINATOR)),
    Page("coordinator-diners", _diner_page("/coordinator/diners/"), (COORDINATOR,)),
    Page("coordinator-diners-search", _diner_page("/coordinator/diners/"), (COORDINATOR,), steps=_search_diners),
    Page("coordinator-diner-edit", _diner_page("/coordinator/diners/{diner}/edit/diet/"), (COORDINATOR,)),
    Page("coordinator-diner-consent", _diner_page("/coordinator/diners/{diner}/consent/"), (COORDINATOR,)),
    Page("coordinator-diner-pause", _diner_page("/coordinator/diners/{diner}/status/pause/"), (COORDINATOR,)),
    # E9 is in area A, but the offline table knows only E8: the diner needs placing by hand.
    Page(
        "coordinator-place-diner",
        _diner_page("/coordinator/diners/{diner}/location/", postcode="E9 5LN"),
        (COORDINATOR,),
    ),
    Page("my-diners", _diner_page("/diners/"), (REFERRER,)),
    Page("proxy-card", _diner_page("/diners/{diner}/card/"), (REFERRER,)),
    Page("referral-declined", _diner_page("/referrals/{referral}/", decide="decline"), (REFERRER,)),
]


def _cases():
    for spec in PAGES:
        for persona in spec.personas:
            for lang in LANGS:
                for width in WIDTHS:
                    yield pytest.param(spec, persona, lang, width, id=f"{spec.name}-{persona}-{lang}-{width}")


@pytest.mark.parametrize(("spec", "persona", "lang", "width"), list(_cases()))
def test_page_is_accessible(request, live_server, open_page, spec, persona, lang, width):
    user = request.getfixturevalue(PERSONA_FIXTURE[persona]) if persona in PERSONA_FIXTURE else None
    if spec.course:
        loaded_course()
    path = f"/{lang}{spec.resolve(request)}"
    page, console = open_page(lang=lang, width=width, user=user, verified=spec.verified)
    console.expected_failures.add(live_server.url + path)

    response = page.goto(live_server.url + path)

    assert response.status == spec.status, f"GET {path} as {persona}: status {response.status}"
    if spec.steps:
        spec.steps(page)
    expected = re.compile(re.escape(f"/{lang}") + spec.lands_on if spec.lands_on else re.escape(path))
    assert expected.fullmatch(url_path(page)), f"GET {path} as {persona} ended on {page.url}"
    extra = []
    if spec.action:
        spec.action(page)
        extra = error_summary_problems(page, lang)
    # The sideways-scroll check at 320px runs once per page: with the 390px (phone) case.
    audit(
        page,
        lang=lang,
        console=console,
        from_page_start=spec.action is None,
        also_width=320 if width == 390 else None,
        extra=extra,
    )
