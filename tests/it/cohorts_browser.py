#!/usr/bin/python3
# tests/it/cohorts_browser.py: an analyst signs in and reads the cohorts
# page (issue 20) seeded by cohorts_browser.sh: the retention chart with
# its two lines and bands, the figures in the tables, clicks to the
# monthly view and to another arrival's triangle, follows a CSV link,
# and the page is audited (hs_browser.audit).  No header set by hand.
#
# usage: cohorts_browser.py URL USER PASSWORD OUTDIR
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from hs_browser import (Tap, audit, console_errors, report_chromium, sign_in,
                        submit)

URL, USER, PASSWORD, OUT = sys.argv[1:5]
check = Tap()


def cells(drv, caption_word):
    for t in drv.find_elements(By.CSS_SELECTOR, "table"):
        cap = t.find_elements(By.CSS_SELECTOR, "caption")
        if cap and caption_word in cap[0].get_attribute("textContent"):
            return [[c.get_attribute("textContent") for c in
                     r.find_elements(By.CSS_SELECTOR, "td")]
                    for r in t.find_elements(By.CSS_SELECTOR, "tbody tr")]
    return []


drv = report_chromium(OUT)
try:
    sign_in(drv, URL, USER, PASSWORD)
    check(drv.current_url.endswith("/admin/"), "signed in", drv.current_url)
    drv.get_log("browser")
    submit(drv, drv.find_element(By.LINK_TEXT, "Cohorts"))
    check("/admin/cohorts" in drv.current_url, "the nav link leads there",
          drv.current_url)
    svg = drv.find_elements(By.CSS_SELECTOR, "svg.chart[role=img]")
    check(len(svg) == 1, "one retention chart", len(svg))
    check(len(drv.find_elements(By.CSS_SELECTOR, "svg polyline")) == 2 and
          len(drv.find_elements(By.CSS_SELECTOR, "svg polygon.band")) == 2,
          "two lines, two interval bands")
    curve = cells(drv, "Retention by period")
    check(curve[:1] == [["0", "60.0%", "55.1-64.7%", "400", "40.0%",
                         "37.3-42.8%", "1200"]],
          "week 0: 60% of 400 referred, 40% of 1200 others, Wilson "
          "intervals", curve[:1])
    tri = cells(drv, "Share retained")
    check(len(tri) == 4 and tri[0][:5] == ["2026-01-26", "100", "60%",
                                           "50%", "40%"],
          "the triangle: four cohorts, newest first", tri[:1])
    val = cells(drv, "Activation and value")
    check(val and val[0][0] == "30" and val[0][3] == "10.00" and
          val[0][6] == "6.00" and val[0][9] == "4.00",
          "value per signup 10 against 6, uplift 4.00", val[:1])
    kf = cells(drv, "K-factor by period")
    check(kf and kf[-1] == ["2026-01-05", "400", "200", "0.500", "100",
                            "0.500", "0.250"],
          "K-factor 0.25 = 0.5 invites per signup x 0.5 conversion", kf)
    defn = drv.find_elements(By.CSS_SELECTOR, "p.definition")
    check(defn and "invites per signup" in defn[0].text and
          "conversion" in defn[0].text, "the K-factor's definition shown")
    logs = console_errors(drv)
    check(not logs, "no console errors", logs)
    audit(drv, "report-cohorts", check)
    drv.save_screenshot(os.path.join(OUT, "cohorts.png"))

    submit(drv, drv.find_element(By.LINK_TEXT, "month"))
    check("period=month" in drv.current_url, "clicked to months",
          drv.current_url)
    tri = cells(drv, "Share retained")
    check(len(tri) == 1 and tri[0][:3] == ["2026-01-01", "100", "60%"],
          "one monthly cohort", tri)
    submit(drv, drv.find_element(By.LINK_TEXT, "none"))
    check("arrival=none" in drv.current_url, "clicked to the others'",
          drv.current_url)
    tri = cells(drv, "Share retained")
    check(tri and tri[0][1:3] == ["300", "40%"], "their triangle", tri)
    link = drv.find_elements(By.PARTIAL_LINK_TEXT, "CSV")[0]
    href = link.get_attribute("href")
    check("table=curve&format=csv" in href, "a CSV link", href)

    # The program's economics: an admin enters a month's costs.
    submit(drv, drv.find_element(By.LINK_TEXT, "week"))
    body = drv.find_element(By.TAG_NAME, "body").text
    check("No cost entered yet." in body, "no cost yet")
    form = drv.find_element(By.ID, "form-cost")
    Select(form.find_element(By.NAME, "campaign")).select_by_value("spring")
    form.find_element(By.NAME, "month").send_keys("2026-01")
    form.find_element(By.NAME, "rewards").send_keys("300")
    form.find_element(By.NAME, "other").send_keys("-5")
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    form = drv.find_element(By.ID, "form-cost")
    other = form.find_element(By.NAME, "other")
    hint = drv.find_element(By.ID, "cost-other-hint").text
    check(other.get_attribute("aria-invalid") == "true" and
          "Not an amount" in hint, "a negative amount: refused, the "
          "reason beside it", hint)
    kept = [form.find_element(By.NAME, n).get_attribute("value")
            for n in ("campaign", "month", "rewards", "other")]
    check(kept == ["spring", "2026-01", "300", "-5"], "what was typed is "
          "kept", kept)
    check("No cost entered yet." in drv.find_element(
        By.TAG_NAME, "body").text, "nothing saved")
    audit(drv, "report-cohorts-refused", check)
    other.clear()
    other.send_keys("100")
    submit(drv, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check("cost=saved" in drv.current_url, "saved: back to the page",
          drv.current_url)
    note = drv.find_elements(By.CSS_SELECTOR, "p.notice[role=status]")
    check(note and "saved" in note[0].text, "it says so")
    econ = cells(drv, "Costs per campaign")
    # 400 over 80 referred signups: 5.00 each; a referred signup is
    # worth 10 in 30 days: 0.5 months; the matched uplift at 30 days
    # is 4.00, one less than the cost.
    check(len(econ) == 2 and
          econ[0][:7] == ["spring", "2026-01", "300.00", "100.00", "80",
                          "5.00", "0.5"] and
          econ[1][0] == "all" and econ[1][5:8] == ["5.00", "0.5", "4.00"]
          and econ[1][9:] == ["30", "-1.00"],
          "the economics: 5.00 per referred signup, payback 0.5 "
          "months, LTV uplift 4.00, net -1.00", econ)
    audit(drv, "report-cohorts", check)
    Select(drv.find_element(By.ID, "split")).select_by_value(
        "campaign:spring")
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "form.split button[type=submit]"))
    check("split=campaign" in drv.current_url, "split chosen",
          drv.current_url)
    val = cells(drv, "Activation and value")
    check(val and val[0][3] == "12.00" and val[0][9] == "6.00",
          "campaign spring's referred: 12.00 a signup, uplift 6.00", val[:1])
finally:
    drv.quit()
sys.exit(check.done())
