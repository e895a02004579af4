#!/usr/bin/python3
# tests/it/report_browser.py: a real browser (headless Chromium through
# Debian's python3-selenium and chromium-driver) uses the report the way
# an analyst does: signs in, opens the overview on the seeded data
# (report_fixtures.sql), finds the expected numbers, takes a screenshot,
# maps a review item and signs out, auditing each page on the way
# (hs_browser.audit: axe-core, the phone's width).  No header is set by
# hand: Origin and Sec-Fetch-* are the browser's own.  Run by
# report_browser.sh, which
# starts the stack; prints TAP-like lines and exits 1 on any failure.
#
# usage: report_browser.py URL USER PASSWORD OUTDIR
import os
import sys

from selenium.webdriver.common.by import By

from hs_browser import audit, chromium, submit

URL, USER, PASSWORD, OUT = sys.argv[1:5]
RANGE = "from=2026-03-01&to=2026-03-03"
failed = 0
num = 0


def check(cond, desc, got=None):
    global failed, num
    num += 1
    if cond:
        print("ok %d - %s" % (num, desc))
    else:
        failed += 1
        print("not ok %d - %s" % (num, desc))
        if got is not None:
            print("#      got: %r" % (got,))
    sys.stdout.flush()


def text(drv, css):
    els = drv.find_elements(By.CSS_SELECTOR, css)
    return els[0].text if els else None


drv = chromium(os.path.join(OUT, "profile"), "--window-size=1280,1000")
drv.set_page_load_timeout(60)
try:
    # Not signed in: the overview sends us to the login page.
    drv.get(URL + "/admin/?" + RANGE)
    check(drv.current_url.endswith("/admin/login"), "redirected to sign in",
          drv.current_url)
    audit(drv, "report-login", check)
    drv.find_element(By.ID, "user").send_keys(USER)
    drv.find_element(By.ID, "password").send_keys("wrong password!")
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "form button[type=submit]"))
    check("Wrong name or password" in drv.page_source,
          "a wrong password is refused with a message")
    drv.find_element(By.ID, "password").send_keys(PASSWORD)
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "form button[type=submit]"))
    check(drv.current_url.endswith("/admin/"), "signed in: the overview",
          drv.current_url)
    cookies = {c["name"]: c for c in drv.get_cookies()}
    c = cookies.get("hs_session") or cookies.get("__Host-hs_session")
    check(c is not None and c.get("httpOnly") and
          c.get("sameSite") == "Strict",
          "session cookie is HttpOnly, SameSite=Strict", c)

    # The overview on the seeded data (console log emptied first: the
    # wrong password's 401 above is expected).
    drv.get_log("browser")
    drv.get(URL + "/admin/?" + RANGE)
    want = {"signups": "30", "tracked": "46.7%", "reported": "40.0%",
            "union": "60.0%", "agreement": "88.9%", "kappa": "0.795",
            "pabak": "0.833", "decoy": "25.0%"}
    for k, v in want.items():
        got = text(drv, "#kpi-" + k)
        check(got == v, "overview shows %s = %s" % (k, v), got)
    svgs = drv.find_elements(By.CSS_SELECTOR, "svg[role=img]")
    check(len(svgs) == 3, "three charts rendered", len(svgs))
    check(all(s.size["width"] > 300 for s in svgs),
          "charts are drawn at a readable size",
          [s.size for s in svgs])
    title = drv.execute_script(
        "return document.querySelector('#ch-matrix-t').textContent")
    check(title == "Tracked by reported channel", "heatmap has its title",
          title)
    check("Berlin meetup" in drv.page_source, "events table")
    logs = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
    check(not logs, "no console errors (CSP, missing assets)", logs)
    audit(drv, "report-overview", check)
    height = drv.execute_script(
        "return document.documentElement.scrollHeight")
    drv.set_window_size(1280, min(max(height, 1000), 9000))
    shot = os.path.join(OUT, "overview.png")
    drv.save_screenshot(shot)
    check(os.path.getsize(shot) > 10000, "screenshot saved: " + shot)

    # Map a review item in one action.
    drv.get(URL + "/admin/review")
    check("Maria E." in drv.page_source, "review item listed")
    audit(drv, "report-review", check)
    form = drv.find_element(
        By.XPATH, "//form[input[@name='text' and @value='maria e']]")
    form.find_element(By.NAME, "target").send_keys("advocate:maria")
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check(drv.current_url.endswith("/admin/review"), "back at the queue",
          drv.current_url)
    check("Maria E." not in drv.page_source, "mapped item left the queue")
    drv.save_screenshot(os.path.join(OUT, "review.png"))

    # Sign out: the session is gone.
    submit(drv, drv.find_element(By.CSS_SELECTOR, "form.logout button"))
    check(drv.current_url.endswith("/admin/login"), "signed out",
          drv.current_url)
    drv.get(URL + "/admin/")
    check(drv.current_url.endswith("/admin/login"),
          "the overview needs a new sign-in", drv.current_url)
finally:
    drv.quit()
print("1..%d" % num)
sys.exit(1 if failed else 0)
