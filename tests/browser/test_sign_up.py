"""Sign up → confirm the email address → sign in, typed into a real browser in both languages, with
every page on the way audited (axe + the extra checks)."""

import pytest
from django.core import mail

from accounts.people.models import User
from tests.browser.checks import audit, error_summary_problems
from tests.browser.support import last_email_to, link_in, submit_form, summary_links, url_path
from tests.factories import PASSWORD

PEOPLE = {
    "en": {"full_name": "Grace Hopper", "reading": "", "email": "grace@example.org"},
    "ja": {"full_name": "山田 花子", "reading": "ヤマダ ハナコ", "email": "hanako@example.jp"},
}


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("ja", 390)])
def test_sign_up_confirm_email_and_sign_in(live_server, open_page, lang, width):
    person = PEOPLE[lang]
    page, console = open_page(lang=lang, width=width)
    page.goto(f"{live_server.url}/{lang}/accounts/signup/")
    audit(page, lang=lang, console=console)

    page.fill("#id_full_name", person["full_name"])
    if person["reading"]:
        page.fill("#id_name_reading", person["reading"])
    page.fill("#id_email", person["email"])
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_roles_0")  # "Cook for an older neighbour"
    assert page.locator("#id_roles_0").get_attribute("value") == "cook"
    mail.outbox.clear()
    submit_form(page, "#id_email")

    # "Check your email"
    assert url_path(page) == f"/{lang}/accounts/confirm-email/", page.url
    assert person["email"] in page.inner_text("main")
    audit(page, lang=lang, console=console)

    user = User.objects.get(email=person["email"])
    assert (user.full_name, user.is_cook, user.is_referrer) == (person["full_name"], True, False)
    assert user.preferred_language == lang
    confirm_url = link_in(last_email_to(person["email"]), r"/accounts/confirm-email/[^/]+/$")
    assert f"/{lang}/accounts/confirm-email/" in confirm_url, "the link should open in the language they signed up in"

    page.goto(confirm_url)
    assert person["email"] in page.inner_text("main")
    audit(page, lang=lang, console=console)
    with page.expect_navigation():
        page.locator('main form[action*="/confirm-email/"] [type=submit]').click()

    assert url_path(page) == f"/{lang}/accounts/login/", page.url
    assert user.emailaddress_set.get().verified
    audit(page, lang=lang, console=console)

    page.fill("#id_login", person["email"])
    page.fill("#id_password", PASSWORD)
    submit_form(page, "#id_login")

    # A cook lands on their checklist (the rest of the journey: tests/browser/test_cook_onboarding.py).
    assert url_path(page) == f"/{lang}/account/cook/", page.url
    assert page.locator("#cook-steps").is_visible()
    audit(page, lang=lang, console=console)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_too_short_password_keeps_what_was_typed(live_server, open_page, lang):
    page, console = open_page(lang=lang, width=390)
    page.goto(f"{live_server.url}/{lang}/accounts/signup/")
    page.fill("#id_full_name", "Grace Hopper")
    page.fill("#id_name_reading", "グレース")
    page.fill("#id_email", "grace@example.org")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "short")
    page.check("#id_roles_0")
    submit_form(page, "#id_email")

    assert url_path(page) == f"/{lang}/accounts/signup/"
    problems = error_summary_problems(page, lang)
    links = summary_links(page)
    assert links, "the error summary links to the password"
    assert links <= {"#id_password1", "#id_password2"}, "only the password should be wrong"
    assert page.input_value("#id_full_name") == "Grace Hopper"
    assert page.input_value("#id_name_reading") == "グレース"
    assert page.input_value("#id_email") == "grace@example.org"
    assert page.is_checked("#id_roles_0")
    assert not page.is_checked("#id_roles_1")
    assert not User.objects.filter(email="grace@example.org").exists()
    audit(page, lang=lang, console=console, from_page_start=False, extra=problems)
