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
# The kit (issue 13): one <h1> on every page, the Print button shown by
# its script and calling the browser's print, the way back to the host
# page clicked, and the German poster (DE_EVENT, events.lang = 'de')
# audited too.
#
# usage: host_browser.py HOST_URL EVENT_ID PROFILE DE_EVENT
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from selenium.webdriver.support.ui import WebDriverWait

from hs_browser import WAIT_SECS, Tap, audit, chromium, gone, submit

HOST, EVENT, PROFILE, DE_EVENT = sys.argv[1:5]
check = Tap()

# en-US: the order in which a date is typed into datetime-local.
drv = chromium(PROFILE, "--lang=en-US")
try:
    drv.set_page_load_timeout(WAIT_SECS)
    drv.get(HOST)
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    check(h1.startswith("Your events"), "the host page opens", h1)
    check(len(drv.find_elements(By.TAG_NAME, "h1")) == 1,
          "host: one <h1>")
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

    for ev, page in ((EVENT, "poster"), (EVENT, "slide"), (EVENT, "cards"),
                     (DE_EVENT, "poster")):
        drv.get("%se/%s/%s" % (HOST, ev, page))
        check(drv.find_elements(By.CSS_SELECTOR, "img[src^='/qr/']"),
              "the %s of event %s shows its code" % (page, ev))
        check(len(drv.find_elements(By.TAG_NAME, "h1")) == 1,
              "%s of event %s: one <h1>" % (page, ev))
        audit(drv, "host-" + page, check)
        # The Print button: shown by its script (the page's CSP lets
        # it run), and it asks the browser to print.  window.print is
        # replaced first: headless Chromium has no dialog to wait on.
        btn = drv.find_element(By.CSS_SELECTOR, ".qr-printbtn")
        check(btn.is_displayed(), "%s: the Print button is shown" % page)
        drv.execute_script("window.printed = 0; "
                           "window.print = function () { printed++; };")
        btn.click()
        check(drv.execute_script("return window.printed") == 1,
              "%s: Print prints" % page)
    check(drv.find_element(By.TAG_NAME, "html").get_attribute("lang") ==
          "de", "the German poster says lang=de")
    back = drv.find_element(By.CSS_SELECTOR, ".qr-tools a")
    check(back.text == "Zur\u00fcck zu Ihren Veranstaltungen",
          "the German poster's way back, in German", back.text)
    old = drv.find_element(By.TAG_NAME, "html")
    back.click()
    WebDriverWait(drv, WAIT_SECS).until(gone(old))
    check(drv.current_url == HOST, "the way back leads to the host page",
          drv.current_url)
finally:
    drv.quit()
sys.exit(check.done())
