#!/usr/bin/python3
# tests/it/manage_browser.py: headless Chromium manages the program the
# way people do (issue 18).  An analyst opens the manage page and gets
# the 403 page that says why; an admin creates a campaign, an advocate
# (with its share texts) and a link by clicking, is refused a destination outside the
# campaign's hosts (typed values kept, the reason beside the field),
# follows the new link at once, edits it and finds the edit with before
# and after in the audit trail, then changes the password and signs out
# everywhere.  Every page is audited (hs_browser.audit: axe-core at a
# desktop and a phone, no sideways scrolling).  No header is set by hand.
# Run by manage_browser.sh, which starts the stack and checks the
# database afterwards.
#
# usage: manage_browser.py URL ANALYST ADMIN PASSWORD NEWPASSWORD OUTDIR
import http.client
import sys
import time
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from hs_browser import (WAIT_SECS, Tap, audit, report_chromium, sign_in,
                        sign_out, submit)

URL, ANALYST, ADMIN, PW, NEWPW, OUT = sys.argv[1:7]
HOST = urllib.parse.urlsplit(URL)
check = Tap()


def redirect_of(code):
    """(status, Location) of /i/CODE, not followed."""
    c = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=20)
    try:
        c.request("GET", "/i/" + code)
        r = c.getresponse()
        return r.status, r.getheader("Location") or ""
    finally:
        c.close()


def wait_redirect(code, want, secs=10):
    """Waits (a bound far below link_cache_secs, 3600 in this stack)
    until /i/CODE answers 302 to a Location containing want."""
    end = time.monotonic() + secs
    got = None
    while time.monotonic() < end:
        got = redirect_of(code)
        if got[0] == 302 and want in got[1]:
            return True, got
        time.sleep(0.1)
    return False, got


def fill(drv, form, values):
    for name, v in values.items():
        el = form.find_element(By.NAME, name)
        if el.tag_name == "select":
            Select(el).select_by_value(v)
        else:
            el.clear()
            el.send_keys(v)


def open_new(drv, kind):
    """Opens the New <kind> details and returns its form."""
    drv.get(URL + "/admin/manage")
    form = drv.find_element(By.ID, "form-" + kind)
    summ = form.find_element(By.XPATH, "./ancestor::details/summary")
    summ.click()
    WebDriverWait(drv, WAIT_SECS).until(lambda d: form.is_displayed())
    return form


drv = report_chromium(OUT)
try:
    # An analyst reads; managing is refused with a page that says why.
    sign_in(drv, URL, ANALYST, PW)
    check(drv.current_url.endswith("/admin/"), "analyst signed in",
          drv.current_url)
    drv.get(URL + "/admin/manage")
    check("Managing needs an admin" in drv.page_source and
          "--role admin" in drv.page_source,
          "analyst: the manage page says an admin is needed")
    check(not drv.find_elements(By.CSS_SELECTOR, "form.manage"),
          "analyst: no manage form is shown")
    audit(drv, "manage-denied", check)
    sign_out(drv)

    # An admin creates a campaign.
    sign_in(drv, URL, ADMIN, PW)
    form = open_new(drv, "campaign")
    audit(drv, "manage", check)
    fill(drv, form, {"slug": "web", "name": "Web campaign",
                     "hosts": HOST.hostname,
                     "dest": URL + "/health",
                     "share_subject": "Join me",
                     "share_email": "Hi {name},\nuse {link}",
                     "share_chat": "Join: {link}"})
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check(drv.current_url.endswith("/admin/manage?campaign=web"),
          "campaign created: its edit page", drv.current_url)
    check("Edit campaign web" in drv.page_source, "edit form shown")
    audit(drv, "manage-edit", check)

    # A destination outside the allowed hosts: refused, typed values
    # kept, the reason beside the field.
    form = open_new(drv, "campaign")
    hostile = '<script>alert("x")</script> =HYPERLINK("evil")'
    fill(drv, form, {"slug": "bad", "name": hostile,
                     "hosts": HOST.hostname,
                     "dest": "https://evil.example/x"})
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    form = drv.find_element(By.ID, "form-campaign")
    got = form.find_element(By.NAME, "name").get_attribute("value")
    check(got == hostile, "refused: the typed name is kept", got)
    got = form.find_element(By.NAME, "dest").get_attribute("value")
    check(got == "https://evil.example/x", "refused: the typed "
          "destination is kept", got)
    dest = form.find_element(By.NAME, "dest")
    hint = drv.find_element(By.ID, "campaign-dest-hint").text
    check(dest.get_attribute("aria-invalid") == "true" and
          "allowlist" in hint, "refused: the reason is beside the "
          "destination", hint)
    check(not drv.find_elements(By.TAG_NAME, "script"),
          "the hostile name is text, not a script")
    audit(drv, "manage-refused", check)

    # An advocate.
    form = open_new(drv, "advocate")
    fill(drv, form, {"handle": "mira", "name": "Mira Okafor",
                     "aliases": "Mira O.\nMO"})
    form.find_element(By.NAME, "suggest").click()
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check(drv.current_url.endswith("/admin/manage?advocate=mira"),
          "advocate created", drv.current_url)
    check("Clicks over time" in drv.page_source,
          "the advocate's page has its clicks over time")
    audit(drv, "manage-advocate", check)

    # A link of both, live for redirects at once.
    form = open_new(drv, "link")
    fill(drv, form, {"code": "WEBA-2345", "campaign": "web",
                     "advocate": "mira", "utm_source": "web"})
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check(drv.current_url.endswith("/admin/manage?link=WEBA2345"),
          "link created", drv.current_url)
    audit(drv, "manage-link", check)
    ok, got = wait_redirect("WEBA-2345", "/health?utm_source=web")
    check(ok, "the new link redirects at once", got)

    # Edit it: the redirect follows, the audit trail has before/after.
    form = drv.find_element(By.ID, "form-link")
    fill(drv, form, {"dest": URL + "/health?v=2"})
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    ok, got = wait_redirect("WEBA-2345", "/health?v=2")
    check(ok, "the edited link redirects to its new destination at once",
          got)
    rows = drv.find_elements(By.CSS_SELECTOR, "table.audit tbody tr")
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")] \
        if rows else []
    check(len(cells) == 5 and cells[1] == ADMIN and
          cells[2] == "link.edit WEBA2345" and
          "destination: %s/health" % URL in cells[3].splitlines() and
          "destination: %s/health?v=2" % URL in cells[4].splitlines(),
          "the edit is in the audit trail with who, before and after",
          cells)

    # An event with two table cards, hosted by mira (core's
    # hs_event_create, as hearsay-admin event create): its links are
    # listed, its own link redirects at once.
    form = open_new(drv, "event")
    fill(drv, form, {"slug": "web-party", "name": "Web party",
                     "campaign": "web", "host": "mira",
                     "venue": "The hall", "starts": "2026-12-24 18:00",
                     "tables": "2"})
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check(drv.current_url.endswith("/admin/manage?event=web-party"),
          "event created: its edit page", drv.current_url)
    rows = [[c.text for c in r.find_elements(By.TAG_NAME, "td")]
            for r in drv.find_elements(By.CSS_SELECTOR,
                                       "table.evlinks tbody tr")]
    check([r[1] for r in rows] == ["the event's own", "Table 1",
                                   "Table 2"],
          "the event's own link and two table cards' links", rows)
    evcode = rows[0][0] if rows else "NONE"
    ok, got = wait_redirect(evcode, "/health")
    check(ok, "the event's link redirects at once", got)

    # Its host's page: granted, shown once, and it opens.
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "#form-host-grant button"))
    links = drv.find_elements(By.CSS_SELECTOR, "#h-host ~ p a.url")
    hosturl = links[0].get_attribute("href") if links else ""
    check("/host/" in hosturl, "a host page's URL is shown", hosturl)
    audit(drv, "manage-event", check)

    # Edit it: the audit trail has before and after.
    form = drv.find_element(By.ID, "form-event")
    fill(drv, form, {"name": "Web party II", "venue": "The garden"})
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    rows = drv.find_elements(By.CSS_SELECTOR, "table.audit tbody tr")
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")] \
        if rows else []
    check(len(cells) == 5 and cells[2] == "event.edit web-party" and
          "name: Web party" in cells[3].splitlines() and
          "venue: The garden" in cells[4].splitlines(),
          "the event's edit is in the audit trail, before and after",
          cells)

    # Disable it: its links stop at once; re-enable: they answer again.
    dis = "//form[input[@name='op' and @value='%s']]//button"
    submit(drv, drv.find_element(By.XPATH, dis % "disable"))
    check("Edit event web-party (disabled)" in drv.page_source,
          "event disabled", drv.current_url)
    end = time.monotonic() + 10
    while time.monotonic() < end and redirect_of(evcode)[0] == 302:
        time.sleep(0.1)
    check(redirect_of(evcode)[0] == 404,
          "the disabled event's link no longer redirects")
    submit(drv, drv.find_element(By.XPATH, dis % "enable"))
    ok, got = wait_redirect(evcode, "/health")
    check(ok, "the re-enabled event's link redirects again", got)
    drv.get(hosturl)
    check("Web party II" in drv.page_source,
          "the host page lists the event", drv.title)

    # CSV import: one bad row (a formula cell) stores nothing and is named.
    drv.get(URL + "/admin/manage")
    form = drv.find_element(By.ID, "form-import")
    Select(form.find_element(By.NAME, "kind")).select_by_value("advocate")
    bad = ("handle,display_name,suggest\ncsv1,First Row,on\n"
           "csv2,=HYPERLINK(\"http://evil.example\"),off\ncsv3,Third,\n")
    form.find_element(By.NAME, "csv").send_keys(bad)
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[value=import]"))
    rows = [r.text for r in drv.find_elements(
        By.CSS_SELECTOR, "table.import tbody tr")]
    check(len(rows) == 3 and rows[1].startswith("3 csv2") and
          "formula" in rows[1] and rows[0].endswith("good"),
          "import: the bad row is named with its line", rows)
    check("nothing was stored" in drv.page_source,
          "import: the page says nothing was stored")
    got = drv.find_element(By.ID, "import-csv").get_attribute("value")
    check(got == bad, "import: the CSV is kept", got)
    audit(drv, "manage-import", check)
    good = bad.replace('=HYPERLINK("http://evil.example")', "Second Row")
    ta = drv.find_element(By.ID, "import-csv")
    ta.clear()
    ta.send_keys(good)
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "#form-import button[value=preview]"))
    check("the 3 rows are good" in drv.page_source, "import: preview")
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "#form-import button[value=import]"))
    check(drv.current_url.endswith("/admin/manage?imported=3") and
          "3 rows imported" in drv.page_source, "import: stored",
          drv.current_url)

    # Only the good rows, when the box is ticked: stored, the bad named.
    form = drv.find_element(By.ID, "form-import")
    form.find_element(By.NAME, "csv").send_keys(
        "handle,display_name\nokrow,Fine\nbadrow,@SUM(1)\n")
    form.find_element(By.ID, "import-goodonly").click()
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[value=import]"))
    rows = [r.text for r in drv.find_elements(
        By.CSS_SELECTOR, "table.import tbody tr")]
    check("1 rows imported. 1 rows are refused" in drv.page_source and
          len(rows) == 2 and rows[1].startswith("3 badrow") and
          "formula" in rows[1], "import of the good rows: stored, the bad "
          "row named", rows)

    # Account: a new password, then signing out everywhere.
    drv.get(URL + "/admin/account")
    audit(drv, "account", check)
    drv.find_element(By.ID, "pw-old").send_keys(PW)
    drv.find_element(By.ID, "pw-new").send_keys(NEWPW)
    drv.find_element(By.ID, "pw-again").send_keys(NEWPW)
    submit(drv, drv.find_element(By.CSS_SELECTOR, "#form-password button"))
    check("Your password is changed" in drv.page_source,
          "password changed", drv.find_element(By.TAG_NAME, "body").text)
    submit(drv, drv.find_element(By.CSS_SELECTOR, "#form-signout button"))
    check(drv.current_url.endswith("/admin/login"),
          "signed out everywhere", drv.current_url)
    sign_in(drv, URL, ADMIN, NEWPW)
    check(drv.current_url.endswith("/admin/"),
          "the new password signs in", drv.current_url)
finally:
    drv.quit()
sys.exit(check.done())
