import re

import pytest

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return re.search(r"<html[^>]*\blang=\"([^\"]+)\"", response.content.decode()).group(1)


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), flags=re.S).group(1).strip()


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [
        ("ja", "/ja/"),
        ("ja-JP,ja;q=0.9,en;q=0.5", "/ja/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("fr-FR", "/en/"),
        ("", "/en/"),
    ],
)
def test_the_root_redirects_to_the_visitors_language(client, accept_language, target):
    response = client.get("/", headers={"accept-language": accept_language} if accept_language else {})
    assert response.status_code == 302
    assert response["Location"] == target


def test_english_pages_declare_british_english(client):
    assert html_lang(client.get("/en/")) == "en-GB"
    assert html_lang(client.get("/en/accounts/login/")) == "en-GB"


def test_japanese_pages_declare_japanese(client):
    assert html_lang(client.get("/ja/")) == "ja"
    assert html_lang(client.get("/ja/accounts/login/")) == "ja"


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/en/accounts/login/").content.decode()
    assert 'href="/ja/accounts/login/"' in html


def test_page_title_starts_with_error_when_the_form_has_errors(client):
    good = client.get("/en/accounts/signup/")
    assert not title(good).startswith("Error:")

    bad = client.post("/en/accounts/signup/", {"email": "not an email", "full_name": ""})

    assert bad.status_code == 200
    assert title(bad).startswith("Error:")
    assert title(bad).removeprefix("Error:").strip() == title(good)
    assert "govuk-error-summary" in bad.content.decode()


def test_page_titles_are_unique_per_page(client):
    paths = [
        "/en/",
        "/en/accessibility/",
        "/en/privacy/",
        "/en/accounts/login/",
        "/en/accounts/signup/",
        "/en/accounts/password/reset/",
    ]
    titles = [title(client.get(path)) for path in paths]
    assert len(set(titles)) == len(titles), titles
