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
import csv
import os
import sys

from selenium.webdriver.common.by import By

from hs_browser import (Tap, audit, console_errors, downloaded,
                        report_chromium, sign_out, submit)

URL, USER, PASSWORD, OUT = sys.argv[1:5]
RANGE = "from=2026-03-01&to=2026-03-03"
check = Tap()


def text(drv, css):
    els = drv.find_elements(By.CSS_SELECTOR, css)
    return els[0].text if els else None


SCROLLERS_JS = (
    "return [...document.querySelectorAll('main *')].filter(e => {"
    "var s = getComputedStyle(e); return /(auto|scroll)/.test("
    "s.overflowY + s.overflowX) && (e.scrollHeight > e.clientHeight "
    "+ 1 || e.scrollWidth > e.clientWidth + 1); }).map(e => "
    "e.tagName + '.' + e.className)")
# The axis labels (svg.c: text.ax) of each chart shown, in CSS pixels.
AXIS_JS = (
    "return [...document.querySelectorAll('svg.chart')].filter(s => "
    "s.querySelector('text.ax')).map(s => { var r = "
    "s.getBoundingClientRect(); return {title: s.querySelector('title')"
    ".textContent, l: r.left, r: r.right, boxes: [...s.querySelectorAll("
    "'text.ax')].filter(t => getComputedStyle(t).display != 'none')"
    ".map(t => { var b = t.getBoundingClientRect(); return {t: "
    "t.textContent, x: t.classList.contains('x'), l: b.left, r: b.right, "
    "y: b.top, b: b.bottom}; })}; })")


def overlap(a, b):
    return (a["l"] < b["r"] - .5 and b["l"] < a["r"] - .5 and
            a["y"] < b["b"] - .5 and b["y"] < a["b"] - .5)


drv = report_chromium(OUT)
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
    # Numbers that explain themselves (issue 16).
    fresh = text(drv, ".freshness")
    check(fresh is not None and fresh.startswith("Reconciled at ") and
          "covers signups up to" in fresh and "today included, are "
          "partial" in fresh, "when the numbers were reconciled", fresh)
    defs = drv.find_elements(By.CSS_SELECTOR, ".kpis div dd.def")
    check(len(defs) == 8 and all(len(d.text) > 20 for d in defs),
          "each key figure has its one-line definition",
          [d.text for d in defs])
    prev = drv.find_elements(By.CSS_SELECTOR, ".kpis div dd.prev")
    check(len(prev) == 8 and prev[0].text == "3 days before: 0" and
          prev[4].text == "3 days before: no data",
          "each of the eight key figures shows the period before",
          [p.text for p in prev])
    pre = [a.text for a in drv.find_elements(By.CSS_SELECTOR,
                                             "nav.presets a")]
    check(pre == ["Last 7 days", "Last 30 days", "Last 90 days",
                  "This month"], "date presets", pre)
    check(drv.execute_script(SCROLLERS_JS) == [],
          "no inner scroll box on the overview",
          drv.execute_script(SCROLLERS_JS))
    logs = console_errors(drv)
    check(not logs, "no console errors (CSP, missing assets)", logs)
    audit(drv, "report-overview", check)
    height = drv.execute_script(
        "return document.documentElement.scrollHeight")
    drv.set_window_size(1280, min(max(height, 1000), 9000))
    shot = os.path.join(OUT, "overview.png")
    drv.save_screenshot(shot)
    check(os.path.getsize(shot) > 10000, "screenshot saved: " + shot)
    drv.set_window_size(1280, 1000)
    drv.get(URL + "/admin/?from=2025-01-01&to=2025-01-07")
    check(len(drv.find_elements(By.CSS_SELECTOR, "p.nodata")) == 3 and
          not drv.find_elements(By.CSS_SELECTOR, "svg[role=img]"),
          "a range without data says so instead of empty charts")

    # Charts on a 390 px phone (issue 16): the axis labels drawn larger
    # and the x labels of 31 days thinned from six to three, none over
    # another, all inside their chart; at the desktop's width six apart.
    drv.get(URL + "/admin/?from=2026-02-01&to=2026-03-03")
    try:
        for name, w, h, mobile, nx, size in (
                ("desktop", 1280, 1000, False, 6, 6),
                ("390 px phone", 390, 844, True, 3, 10)):
            drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": w, "height": h, "deviceScaleFactor": 1,
                "mobile": mobile})
            charts = drv.execute_script(AXIS_JS)
            check(len(charts) == 2, "%s: two charts with axes" % name,
                  charts)
            for c in charts:
                bx = c["boxes"]
                xs = [b for b in bx if b["x"]]
                over = [(a["t"], b["t"]) for i, a in enumerate(bx)
                        for b in bx[i + 1:] if overlap(a, b)]
                out = [b["t"] for b in bx if b["l"] < c["l"] - .5 or
                       b["r"] > c["r"] + .5]
                small = [(b["t"], b["b"] - b["y"]) for b in bx
                         if b["b"] - b["y"] < size]
                check(len(xs) == nx and not over and not out and
                      not small, "%s, %s: %d x labels, no axis label "
                      "over another, inside the chart, at least %d px "
                      "high" % (name, c["title"], nx, size),
                      {"x": [b["t"] for b in xs], "overlap": over,
                       "outside": out, "small": small})
    finally:
        drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # The review queue (issue 16): cards, suggestions with confidence,
    # errors beside the text with the value kept, a confirmation with
    # an undo; no inner scroll box, no blank page under the queue.
    def qcard(text):
        els = drv.find_elements(By.CSS_SELECTOR, "li.card[data-text]")
        for e in els:
            if e.get_attribute("data-text") == text:
                return e
        return None

    def manual(text, target):
        c = qcard(text)
        f = c.find_element(By.CSS_SELECTOR, "form.map")
        inp = f.find_element(By.NAME, "target")
        inp.clear()
        inp.send_keys(target)
        submit(drv, f.find_element(By.CSS_SELECTOR, "button"))

    drv.get(URL + "/admin/review")
    check(qcard("maria e") is not None, "review item listed")
    audit(drv, "report-review", check)
    body = drv.execute_script("return document.body.innerText")
    check("other_text" not in body and "referrer_text" not in body,
          "no raw field names on the queue")
    check(drv.execute_script(SCROLLERS_JS) == [],
          "no inner scroll box on the queue",
          drv.execute_script(SCROLLERS_JS))
    h = drv.execute_script("return document.documentElement.scrollHeight")
    last = drv.execute_script("var m = document.querySelector('main');"
                              "return m.getBoundingClientRect().bottom "
                              "+ window.scrollY")
    inner = drv.execute_script("return window.innerHeight")
    check(h <= max(inner, last + 100), "no blank page under the queue",
          (h, last, inner))
    sug = qcard("maria e").find_elements(By.CSS_SELECTOR, "form.suggest "
                                         "button")
    check(sug and "Maria Example" in sug[0].text and "% sure" in sug[0].text,
          "the best candidate is suggested with its confidence",
          [x.text for x in sug])
    manual("zorblax quarterly", "advocate:nobody")
    err = qcard("zorblax quarterly").find_elements(By.CSS_SELECTOR,
                                                   "p.error")
    inp = qcard("zorblax quarterly").find_element(
        By.CSS_SELECTOR, "form.map input[name=target]")
    check(err and "no such advocate" in err[0].text and
          inp.get_attribute("value") == "advocate:nobody" and
          inp.get_attribute("aria-invalid") == "true",
          "an unknown target: the error beside the text, the value kept")
    submit(drv, qcard("maria e").find_element(By.CSS_SELECTOR,
                                              "form.suggest button"))
    notice = drv.find_elements(By.CSS_SELECTOR, ".notice")
    check(notice and "Maria Example" in notice[0].text,
          "one click mapped it, and the page says so",
          notice[0].text if notice else drv.current_url)
    check(qcard("maria e") is None, "mapped item left the queue")
    submit(drv, notice[0].find_element(By.TAG_NAME, "button"))
    check(drv.current_url.endswith("/admin/review") and
          qcard("maria e") is not None, "undo put it back in the queue",
          drv.current_url)
    submit(drv, qcard("maria e").find_element(By.CSS_SELECTOR,
                                              "form.suggest button"))
    manual("zorblax quarterly", "channel:podcast")
    check(qcard("zorblax quarterly") is None, "typed mapping accepted")
    drv.save_screenshot(os.path.join(OUT, "review.png"))

    # The rules: listed, edited (a bad value kept with its error),
    # removed and restored by undo.
    def rcard(pattern):
        for e in drv.find_elements(By.CSS_SELECTOR, "li.card"):
            if e.find_element(By.TAG_NAME, "h2").text == pattern:
                return e
        return None

    drv.get(URL + "/admin/rules")
    audit(drv, "report-rules", check)
    c = rcard("maria e")
    check(c is not None and c.find_element(
        By.CSS_SELECTOR, "dd.means").text == "advocate:maria",
        "the rule is listed with what it means")
    inp = c.find_element(By.NAME, "target")
    inp.clear()
    inp.send_keys("channel:nowhere")
    submit(drv, c.find_element(By.CSS_SELECTOR, "form.decide button"))
    c = rcard("maria e")
    inp = c.find_element(By.NAME, "target")
    check(drv.find_elements(By.CSS_SELECTOR, "li.card p.error") and
          inp.get_attribute("value") == "channel:nowhere",
          "a bad edit: error beside the rule, the value kept")
    submit(drv, c.find_element(By.XPATH,
                               ".//button[text()='Remove']"))
    check(rcard("maria e").find_element(
        By.CSS_SELECTOR, "dd.means").text.startswith("nothing"),
        "removed")
    submit(drv, rcard("maria e").find_element(
        By.XPATH, ".//button[text()='Undo last change']"))
    check(rcard("maria e").find_element(
        By.CSS_SELECTOR, "dd.means").text == "advocate:maria",
        "undo restored the rule")

    # Flagged referrals: decide with a reason, undo, the audit and the
    # reward eligibility in the list and its CSV (issue 16).
    def card(ref):
        els = drv.find_elements(By.CSS_SELECTOR,
                                "li.card[data-ref='%s']" % ref)
        return els[0] if els else None

    def decide(ref, reason, button):
        c = card(ref)
        inp = c.find_element(By.NAME, "reason")
        inp.clear()
        inp.send_keys(reason)
        submit(drv, c.find_element(
            By.CSS_SELECTOR, "button[value='%s']" % button))

    drv.get(URL + "/admin/flags")
    check(card("s-self") is not None and card("s-flagged") is not None,
          "both flagged referrals are open for review")
    check("Self-referral" in card("s-self").text,
          "the flag is named in words")
    audit(drv, "report-flags", check)
    decide("s-flagged", "   ", "reject")
    err = drv.find_elements(By.CSS_SELECTOR, "li.card p.error")
    check(err and "Write why" in err[0].text,
          "a blank reason is refused beside its row", drv.page_source[-800:])
    inp = card("s-flagged").find_element(By.NAME, "reason")
    check(inp.get_attribute("aria-invalid") == "true" and
          inp.get_attribute("value") == "   ",
          "the field is marked invalid and keeps what was typed")
    decide("s-self", "Checked: her own phone, first try", "accept")
    check("saved=s-self" in drv.current_url, "accepted, back at the list",
          drv.current_url)
    check(card("s-self") is None, "the accepted referral left the open list")
    notice = drv.find_elements(By.CSS_SELECTOR, ".notice")
    check(notice and "s-self" in notice[0].text, "a notice says it was saved")
    submit(drv, notice[0].find_element(By.TAG_NAME, "button"))
    check(card("s-self") is not None, "undo put it back in the open list")
    decide("s-self", "Verified with Maria by phone", "accept")
    decide("s-flagged", "Bot clicks only", "reject")
    check(card("s-flagged") is None, "the rejected one left the open list")
    drv.get(URL + "/admin/flags?state=decided")
    a, r = card("s-self"), card("s-flagged")
    check(a is not None and "accepted by " + USER in a.text and
          "Verified with Maria by phone" in a.text,
          "the decision shows who, what and why", a.text if a else None)
    check(a is not None and a.find_element(
        By.CSS_SELECTOR, "dd.eligible").text == "yes",
        "an accepted referral is reward-eligible")
    check(r is not None and "rejected" in r.text and r.find_element(
        By.CSS_SELECTOR, "dd.eligible").text == "no",
        "a rejected one is not")
    # Download the CSV as a person does: a click, a file on disk.
    drv.execute_cdp_cmd("Browser.setDownloadBehavior",
                        {"behavior": "allow", "downloadPath": OUT})
    drv.find_element(By.LINK_TEXT, "CSV").click()
    path = os.path.join(OUT, "hearsay-flags.csv")
    downloaded(drv, path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    hdr = rows[0] if rows else []
    byref = {x[0]: dict(zip(hdr, x)) for x in rows[1:] if x}
    check("reward_eligible" in hdr and
          byref.get("s-self", {}).get("reward_eligible") == "yes" and
          byref.get("s-self", {}).get("decided_by") == USER and
          byref.get("s-flagged", {}).get("reward_eligible") == "no",
          "the downloaded CSV carries the decisions and reward "
          "eligibility", rows)

    # Behind every number, the signups (issue 16): from an advocate's
    # count and from a class on a day, a table of cards, and its CSV
    # (UTF-8 with a BOM, the range in its name, handles not ids).
    def sucard(ref):
        els = drv.find_elements(By.CSS_SELECTOR,
                                "li.card[data-ref='%s']" % ref)
        return els[0] if els else None

    drv.get(URL + "/admin/?" + RANGE)
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "#advocates a[href*='advocate=maria']"))
    check("/admin/signups?" in drv.current_url and
          "advocate=maria" in drv.current_url,
          "an advocate's count leads to their signups", drv.current_url)
    c = sucard("s-flagged")
    check(c is not None and "maria" in c.text and "rejected" in c.text,
          "the signup is listed with its advocate and review state",
          c.text if c else drv.page_source[-600:])
    audit(drv, "report-signups", check)
    drv.find_element(By.LINK_TEXT, "CSV").click()
    path = os.path.join(OUT, "hearsay-signups-2026-03-01-to-2026-03-03.csv")
    downloaded(drv, path)
    with open(path, "rb") as f:
        raw = f.read()
    check(raw.startswith(b"\xef\xbb\xbf"),
          "the CSV starts with a UTF-8 BOM, its name carries the range")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    byref = {x[0]: dict(zip(rows[0], x)) for x in rows[1:] if x}
    got = byref.get("s-flagged", {})
    check(got.get("advocate") == "maria" and
          got.get("reward_eligible") == "no" and
          got.get("review") == "rejected",
          "the CSV names the advocate by handle, with review and "
          "reward eligibility", rows)
    drv.get(URL + "/admin/?" + RANGE)
    submit(drv, drv.find_element(
        By.CSS_SELECTOR, "#classes a[href*='class=agree']"))
    check("class=agree" in drv.current_url and
          sucard("s-flagged") is not None,
          "a class on a day leads to its signups", drv.current_url)

    # From a cell of the channel matrix and from a key figure, on the day
    # this stack reconciled itself (2026-02-01: s-self through Maria's
    # link with no answer, s-text an answer with no link): the signups
    # they count, as many as the number clicked.
    def listed():
        return (sorted(e.get_attribute("data-ref") for e in
                       drv.find_elements(By.CSS_SELECTOR,
                                         "li.card[data-ref]")),
                text(drv, "p.selection") or "")

    day = URL + "/admin/?from=2026-02-01&to=2026-02-01"
    drv.get(day)
    cell = None
    for tr in drv.find_elements(By.CSS_SELECTOR, "#matrix table tr"):
        tds = tr.find_elements(By.TAG_NAME, "td")
        if len(tds) == 3 and [t.text for t in tds[:2]] == ["referral",
                                                           "none"]:
            cell = tds[2]
    links = cell.find_elements(By.TAG_NAME, "a") if cell else []
    check(cell is not None and cell.text == "1" and links,
          "the matrix cell tracked referral, reported none: 1, a link",
          cell.text if cell else None)
    if links:
        submit(drv, links[0])
        refs, sel = listed()
        check(refs == ["s-self"] and sel.startswith("1 signup ") and
              "tracked channel referral" in sel and
              "reported channel none" in sel,
              "... to that one signup", (refs, sel))
    drv.get(day)
    kp = drv.find_elements(By.CSS_SELECTOR, "#kpi-tracked a")
    check(kp and kp[0].text == "50.0%",
          "the key figure 'tracked referral share' (1 of 2) is a link",
          kp[0].text if kp else None)
    if kp:
        submit(drv, kp[0])
        refs, sel = listed()
        check(refs == ["s-self"] and sel.startswith("1 signup ") and
              "referrals by tracked link" in sel,
              "... to the one tracked referral", (refs, sel))
        audit(drv, "report-signups", check)

    # Sign out: the session is gone.
    sign_out(drv)
    check(drv.current_url.endswith("/admin/login"), "signed out",
          drv.current_url)
    drv.get(URL + "/admin/")
    check(drv.current_url.endswith("/admin/login"),
          "the overview needs a new sign-in", drv.current_url)
finally:
    drv.quit()
sys.exit(check.done())
