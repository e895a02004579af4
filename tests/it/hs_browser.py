# tests/it/hs_browser.py: what the browser tests (survey_browser.py,
# report_browser.py) share: a headless Chromium from Debian, and waiting
# for the page a submit leads to.
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

WAIT_SECS = 30  # a loaded CI machine is slow, not broken


def chromium(profile, *extra):
    """A headless Chromium driven by Debian's chromedriver; profile is
    its own user-data directory."""
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--no-first-run",
              "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + profile) + extra:
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=opts)


def gone(el):
    """A wait condition: el's page was replaced.  Debian's Selenium
    reads the newer chromedriver's answer for a detached node as an
    error, not as a stale element: either means gone."""
    def cond(_drv):
        try:
            el.is_enabled()
            return False
        except WebDriverException:
            return True
    return cond


def submit(drv, button):
    """Click a submit button and wait until the next page has loaded:
    click() returns once the click is sent, not when the page it leads
    to is there."""
    old = drv.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(drv, WAIT_SECS).until(gone(old))
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: d.execute_script("return document.readyState") ==
        "complete")
