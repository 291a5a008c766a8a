from tests.browser import checks
from tests.factories import PASSWORD

def test_debug(live_server, open_page, coordinator_a, cook):
    page, console = open_page(lang="en", width=1280, user=cook)
    page.goto(f"{live_server.url}/en/account/details/")
    page.focus("#id_full_name")
    page.goto(f"{live_server.url}/en/account/")
    for i in range(2):
        page.keyboard.press("Tab")
        print("A", i, page.evaluate("() => document.activeElement.outerHTML.slice(0,80)"))
    page.goto(f"{live_server.url}/en/account/details/")
    page.focus("#id_full_name")
    with page.expect_navigation():
        page.press("#id_full_name", "Enter")
    print(page.url)
    for i in range(2):
        page.keyboard.press("Tab")
        print("B", i, page.evaluate("() => document.activeElement.outerHTML.slice(0,80)"))
