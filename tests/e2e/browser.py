"""Steps every browser test shares."""

import re

from playwright.sync_api import Page, expect


def open_tab(page: Page, name: str | re.Pattern[str]) -> None:
    """Click a Bootstrap tab once the page's scripts have run.

    A page is readable (and clickable) as soon as its HTML is parsed, but the tab handler is
    attached by the scripts at the end of the body: a click before they run does nothing, and
    the tab's content stays hidden. A user clicks again; the test waits for the page's load.
    """
    page.wait_for_load_state("load")
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
