"""The home page's "Sign up to cook" and "Start a request for meals" links (/accounts/signup/?as=cook
and ?as=referrer) carry the reason through sign-up, the email confirmation and sign-in, to the next
step of that journey, in both languages, with every page on the way audited (axe + the extra checks)."""

import pytest
from django.core import mail
from django.test import Client

from accounts.people.models import User
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import click, last_email_to, link_in, submit_form, t, url_path
from tests.factories import PASSWORD

PEOPLE = {
    "en": {"full_name": "Grace Hopper", "reading": "", "email": "grace@example.org"},
    "ja": {"full_name": "山田 花子", "reading": "ヤマダ ハナコ", "email": "hanako@example.jp"},
}
JOURNEYS = {
    # as: (the box the link ticks, the box left alone, where the first sign-in lands, what the
    # confirmation page and then the sign-in page say comes next)
    "cook": (
        "#id_roles_0",
        "#id_roles_1",
        "/account/cook/",
        "Then sign in with your email address and password, and we will show you your steps to becoming a cook.",
        "Sign in to carry on. Next, you will see your steps to becoming a cook.",
    ),
    "referrer": (
        "#id_roles_1",
        "#id_roles_0",
        "/request/",
        "Then sign in with your email address and password, and you can start your request for meals.",
        "Sign in to carry on. Next, you can start your request for meals.",
    ),
}


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ja", 390)])
@pytest.mark.parametrize("came_as", ["cook", "referrer"])
def test_sign_up_link_leads_to_the_next_step_of_its_journey(live_server, open_page, lang, width, came_as):
    person = PEOPLE[lang]
    ticked, unticked, next_step, confirm_message, sign_in_message = JOURNEYS[came_as]
    page, console = open_page(lang=lang, width=width)
    page.goto(f"{live_server.url}/{lang}/accounts/signup/?as={came_as}")

    assert page.is_checked(ticked)
    assert not page.is_checked(unticked)
    audit(page, lang=lang, console=console)

    # A mistake first: the page comes back with the same box ticked and the reason still carried.
    page.fill("#id_full_name", person["full_name"])
    if person["reading"]:
        page.fill("#id_name_reading", person["reading"])
    page.fill("#id_email", person["email"])
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "short")
    submit_form(page, "#id_email")
    assert url_path(page) == f"/{lang}/accounts/signup/"
    problems = error_summary_problems(page, lang)
    assert page.is_checked(ticked)
    assert not page.is_checked(unticked)
    assert page.input_value('input[name="as"]') == came_as
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)

    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    mail.outbox.clear()
    submit_form(page, "#id_email")
    assert url_path(page) == f"/{lang}/accounts/confirm-email/", page.url
    user = User.objects.get(email=person["email"])
    assert (user.is_cook, user.is_referrer, user.signed_up_as) == (came_as == "cook", came_as == "referrer", came_as)

    # The link in the email, opened in a fresh browser (people often read email on another device).
    page.context.clear_cookies()
    page.goto(link_in(last_email_to(person["email"]), r"/accounts/confirm-email/[^/]+/$"))
    assert person["email"] in page.inner_text("main")
    assert t(lang, confirm_message) in page.inner_text("main")
    audit(page, lang=lang, console=console)
    click(page, 'main form[action*="/confirm-email/"] [type=submit]')

    assert url_path(page) == f"/{lang}/accounts/login/", page.url
    assert user.emailaddress_set.get().verified
    assert page.inner_text("#next-step") == t(lang, sign_in_message)
    audit(page, lang=lang, console=console)

    page.fill("#id_login", person["email"])
    page.fill("#id_password", PASSWORD)
    submit_form(page, "#id_login")

    assert url_path(page) == f"/{lang}{next_step}", page.url
    if came_as == "cook":
        assert page.locator("#cook-steps").is_visible()
    else:
        assert page.inner_text("h1") == t(lang, "Ask for meals")
    audit(page, lang=lang, console=console)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("action", ["sign_up", "sign_in"])
def test_too_many_requests_page_fits_what_was_being_done(live_server, open_page, lang, action):
    # Use up the limit from the browser's own address first (the counters live in the shared cache).
    client = Client(REMOTE_ADDR="127.0.0.1")
    if action == "sign_up":
        for n in range(100):
            client.post(f"/{lang}/accounts/signup/", {"email": f"typo{n}@"})
        path, heading = "signup", "Too many sign-ups from this network just now"
    else:
        for n in range(30):
            client.post(f"/{lang}/accounts/login/", {"login": f"nobody{n}@example.org", "password": "wrong"})
        path, heading = "login", "Too many sign-in attempts"
    page, console = open_page(lang=lang, width=390)
    page.goto(f"{live_server.url}/{lang}/accounts/{path}/")
    console.expected_failures.add(page.url)  # the 429 status line itself

    page.fill("#id_email" if action == "sign_up" else "#id_login", "someone@example.org")
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()

    assert page.inner_text("h1") == t(lang, heading)
    audit(page, lang=lang, console=console)
