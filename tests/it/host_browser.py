#!/usr/bin/python3
# tests/it/host_browser.py: an event host's page in a real browser
# (headless Chromium through Debian's python3-selenium): the page is sent
# with Referrer-Policy: no-referrer, so Chromium posts its form with
# "Origin: null" (issue 13: that was refused with 403).  The host fills in
# "New event", clicks "Create the event" and must be back on the page
# with the event listed.  Every page of the host's kit is audited on the
# way (hs_browser.audit: axe-core, the phone's width).  No header is set
# by hand: Origin, Referer and Sec-Fetch-* are the browser's own.
# qr_host.sh checks the stored event afterwards.
#
# usage: host_browser.py HOST_URL EVENT_ID PROFILE
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from hs_browser import WAIT_SECS, Tap, audit, chromium, submit

HOST, EVENT, PROFILE = sys.argv[1:4]
check = Tap()

# en-US: the order in which a date is typed into datetime-local.
drv = chromium(PROFILE, "--lang=en-US")
try:
    drv.set_page_load_timeout(WAIT_SECS)
    drv.get(HOST)
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    check(h1.startswith("Your events"), "the host page opens", h1)
    audit(drv, "host", check)

    drv.find_element(By.ID, "name").send_keys("Garden party \u2615 Zoë")
    drv.find_element(By.ID, "venue").send_keys("Community hall")
    starts = drv.find_element(By.ID, "starts")
    # Typed as a person does: month, day, year, then the time.
    starts.send_keys("10032026", Keys.ARROW_RIGHT, "0330PM")
    check(starts.get_attribute("value") == "2026-10-03T15:30",
          "the start typed into the date field",
          starts.get_attribute("value"))
    tables = drv.find_element(By.ID, "tables")
    tables.clear()
    tables.send_keys("2")
    submit(drv, drv.find_element(By.XPATH,
                                 "//button[text()='Create the event']"))
    # Refused, the browser stays at .../events with the error's page.
    check(drv.current_url == HOST, "back on the host page", "%s: %s" % (
        drv.current_url, drv.find_element(By.TAG_NAME, "main").text))
    names = [e.text for e in drv.find_elements(By.CSS_SELECTOR,
                                               ".qr-event h2")]
    check("Garden party \u2615 Zoë" in names, "the new event is listed",
          names)

    for page in ("poster", "slide", "cards"):
        drv.get("%se/%s/%s" % (HOST, EVENT, page))
        check(drv.find_elements(By.CSS_SELECTOR, "img[src^='/qr/']"),
              "the %s shows its code" % page)
        audit(drv, "host-" + page, check)
finally:
    drv.quit()
sys.exit(check.done())
