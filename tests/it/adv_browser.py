#!/usr/bin/python3
# tests/it/adv_browser.py: an advocate's own page in a real browser
# (headless Chromium through Debian's python3-selenium), as adv_page.sh
# set it up: advocate_min_count = 1 and the leaderboard on.  The page
# shows the link; the QR code on the screen decodes (zbarimg) to it; the
# copy button copies it; the share texts carry it.  The browser opens the
# link (a click), HOOK makes the signup that click led to, an answer
# naming the advocate and a reconciliation, and the page counts them.
# Ticking the opt-ins and saving changes what the survey suggests and
# who the leaderboard lists; and once HOOK made a new page URL, the old
# one shows the clear page.  Pages are audited (hs_browser.audit).  No
# header is set by hand: Origin, Referer and Sec-Fetch-* are the
# browser's own.  The User-Agent is a desktop browser's, since the
# redirector counts a HeadlessChrome click as a bot's.
#
# usage: adv_browser.py PAGE_URL LINK HOOK PROFILE TMPDIR
import json
import os
import subprocess
import sys

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from hs_browser import WAIT_SECS, Tap, audit, chromium, submit

PAGE, LINK, HOOK, PROFILE, TMP = sys.argv[1:6]
UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
      "Gecko) Chrome/120.0 Safari/537.36")
check = Tap()


def hook(step):
    """Runs a step of adv_page.sh's hook; returns its output."""
    r = subprocess.run([HOOK, step], capture_output=True, text=True,
                       check=False)
    check(r.returncode == 0, "hook %s" % step, r.stderr)
    return r.stdout


def load(url):
    """drv.get, again if the renderer did not answer in time: on a
    loaded CI machine the first page of a fresh Chromium can be slow."""
    for _ in range(2):
        try:
            drv.get(url)
            return
        except TimeoutException:
            pass
    drv.get(url)


def counts(drv):
    """The newest month's counts, by class."""
    month = drv.find_elements(By.CSS_SELECTOR, ".adv-month")
    if not month:
        return {}
    return {k: month[0].find_element(By.CSS_SELECTOR, ".adv-" + k).text
            for k in ("clicks", "signups", "named", "agree")}


def board(drv):
    return [li.text for li in drv.find_elements(By.CSS_SELECTOR,
                                                ".adv-board li")]


def save(drv, suggest, listed):
    """Sets the two opt-ins by clicking, as a person does, and saves."""
    for cid, want in (("adv-suggest", suggest), ("adv-board", listed)):
        box = drv.find_element(By.ID, cid)
        if box.is_selected() != want:
            drv.find_element(By.CSS_SELECTOR, "label[for=%s]" % cid).click()
    submit(drv, drv.find_element(By.XPATH,
                                 "//button[text()='Save my choices']"))
    msg = drv.find_elements(By.CSS_SELECTOR, ".adv-message")
    check(msg and "saved" in msg[0].text, "choices saved (%s, %s)" %
          (suggest, listed), drv.find_element(By.TAG_NAME, "main").text)


drv = chromium(PROFILE, "--lang=en-US", "--user-agent=" + UA)
try:
    drv.set_page_load_timeout(WAIT_SECS)
    load(PAGE)
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    check(h1 == "Hello, Ada Lovelace", "the advocate's page opens", h1)
    audit(drv, "advocate", check)

    field = drv.find_element(By.ID, "adv-link-0")
    check(field.get_attribute("value") == LINK, "the page shows the link",
          field.get_attribute("value"))

    # The code as shown on the screen, scanned.
    img = drv.find_element(By.CSS_SELECTOR, "img.adv-qr")
    WebDriverWait(drv, WAIT_SECS).until(lambda d: d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0",
        img))
    shot = os.path.join(TMP, "adv-qr.png")
    img.screenshot(shot)
    z = subprocess.run(["zbarimg", "-q", "--raw", shot], capture_output=True,
                       text=True, check=False)
    check(z.stdout.strip() == LINK + "?qr=1",
          "the QR code on the page decodes to the link", z.stdout)

    # The copy button: shown by the script, and it copies.
    drv.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": LINK.split("/i/")[0],
        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    btn = drv.find_element(By.CSS_SELECTOR, "button[data-copy=adv-link-0]")
    check(btn.is_displayed(), "the copy button is shown with script")
    btn.click()
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: d.find_element(By.ID, "adv-status").text != "")
    check(drv.find_element(By.ID, "adv-status").text == "Copied.",
          "the copy button says it copied",
          drv.find_element(By.ID, "adv-status").text)
    drv.set_script_timeout(WAIT_SECS)
    clip = drv.execute_async_script(
        "const done = arguments[0];"
        "navigator.clipboard.readText().then(done, e => done('!' + e));")
    check(clip == LINK, "the clipboard holds the link", clip)

    texts = [t.get_attribute("value") for t in
             drv.find_elements(By.CSS_SELECTOR, "textarea.adv-text")]
    check(len(texts) == 2 and all(LINK in t for t in texts),
          "two share texts, each with the link", texts)
    check(any("Hi <b>friend</b> & co" in t for t in texts),
          "a share text as written, markup as text", texts)
    mails = [a.get_attribute("href") for a in drv.find_elements(
        By.XPATH, "//a[text()='Send by e-mail']")]
    check(len(mails) == 2 and all(m.startswith("mailto:?") for m in mails),
          "each share text has a mailto: link", mails)

    # A click: the browser opens the link (it leaves for example.org,
    # which this machine may not reach: the click is counted before).
    try:
        drv.get(LINK)
    except WebDriverException:  # ERR_NAME_NOT_RESOLVED, a timeout
        pass
    # Chromium may retry a navigation that failed: the hook says how
    # many human clicks the database holds for this month.
    clicks = hook("signup").strip()
    load(PAGE)
    got = counts(drv)
    check(clicks.isdigit() and int(clicks) >= 1 and got == {
        "clicks": clicks, "signups": "1", "named": "1", "agree": "1"},
          "this month: the click(s), a signup, an answer naming her, "
          "agreeing", "%s click(s) stored; shown: %s" % (clicks, got))

    # Opt-ins: suggested by name and listed on the leaderboard.
    check(not any("Ada Lovelace" in b for b in board(drv)),
          "not on the leaderboard before opting in", board(drv))
    check("Ada Lovelace" not in hook("suggests"),
          "not suggested before opting in")
    save(drv, True, True)
    check(drv.find_element(By.ID, "adv-suggest").is_selected() and
          drv.find_element(By.ID, "adv-board").is_selected(),
          "both choices ticked after saving")
    # Both signups tracked to her links (adv_page.sh's and this one's).
    mine = "Ada Lovelace (you): 2 signups through their links, 1 named them"
    check(mine in board(drv), "on the leaderboard, counts only", board(drv))
    sug = json.loads(hook("suggests") or "{}").get("names", [])
    check("Ada Lovelace" in sug, "the survey suggests her name", sug)
    save(drv, False, False)
    check(not any("Ada Lovelace" in b for b in board(drv)),
          "off the leaderboard after opting out", board(drv))
    sug = json.loads(hook("suggests") or "{}").get("names", [])
    check("Ada Lovelace" not in sug, "no longer suggested", sug)

    # A new URL: the old one gets the clear page.
    hook("rotate")
    load(PAGE)
    text = drv.find_element(By.TAG_NAME, "body").text
    check("replaced by a new one" in text, "the old URL: the clear page",
          text)
finally:
    drv.quit()
sys.exit(check.done())
