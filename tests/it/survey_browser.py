#!/usr/bin/python3
# tests/it/survey_browser.py: a real browser (headless Chromium from
# Debian, driven by python3-selenium) answers the survey as people do,
# once on the full page and once embedded (EMBED_URL, ?embed=1) in an
# iframe of a page of the same origin: it picks an answer, types the
# follow-up (the field appears only once its option is chosen: CSS, no
# JavaScript), clicks the button and must reach the thank-you page.  On
# the full page it first types three characters of an advocate who opted
# in to being suggested (survey_browser.sh) and must be offered that
# name (html/static/survey-suggest.js fills the input's <datalist> from
# the lookup; the page itself holds no name), and never the one who did
# not opt in.  On the way it audits every page a person meets here
# (hs_browser.audit): the form, the embedded form, the thanks, the page
# of an expired link and of an unknown invite link, whose form it uses
# to retype a code.  survey_browser.sh checks MariaDB afterwards.  No
# header is set by hand: Origin, Referer and Sec-Fetch-* are the
# browser's own.
#
# usage: survey_browser.py BASE_URL FORM_URL EMBED_URL EXPIRED_URL PROFILE
import sys

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from hs_browser import WAIT_SECS, Tap, audit, chromium, submit

BASE, FORM, EMBED, EXPIRED, PROFILE = sys.argv[1:6]
check = Tap()


def suggested(drv, follow):
    """The names the follow-up's <datalist> offers now."""
    return drv.execute_script("""
        const l = arguments[0].list;
        return l ? Array.from(l.options, o => o.value) : [];""", follow)


def suggests(drv, follow):
    """Typing three characters of an opted-in advocate's name offers
    that name, and only opted-in ones; the field is cleared after."""
    follow.send_keys("Xio")
    try:
        WebDriverWait(drv, WAIT_SECS).until(
            lambda d: "Xiomara Quintanilla" in suggested(d, follow))
    except TimeoutException:
        pass
    names = suggested(drv, follow)
    check(names == ["Xiomara Quintanilla"], "three characters typed: the "
          "opted-in name is suggested", names)
    follow.send_keys(Keys.BACK_SPACE * 3)
    follow.send_keys("Xav")
    # The not-opted-in "Xavier Hiddenfield" is never offered: wait for
    # the lookup of "Xav" to have emptied the list.
    try:
        WebDriverWait(drv, WAIT_SECS).until(
            lambda d: suggested(d, follow) == [])
    except TimeoutException:
        pass
    names = suggested(drv, follow)
    check(names == [], "a name not opted in is not suggested", names)
    check("Xavier" not in drv.page_source,
          "the name not opted in is nowhere in the page")
    follow.clear()


def answer(drv, who, code, suggest=False):
    """Fills the form now shown: "a friend", who told us, a code."""
    follow = drv.find_element(By.ID, "f-friend")
    check(not follow.is_displayed(), "follow-up hidden before its option")
    # Click the label, as a person does (the radio itself is visually
    # hidden behind its large label).
    drv.find_element(By.CSS_SELECTOR, "label[for=o-friend]").click()
    check(drv.find_element(By.ID, "o-friend").is_selected(),
          "the option is chosen by clicking its label")
    check(follow.is_displayed(), "follow-up shown once chosen")
    if suggest:
        suggests(drv, follow)
    follow.send_keys(who)
    drv.find_element(By.ID, "code").send_keys(code)
    drv.find_element(By.CSS_SELECTOR, "label[for=consent]").click()
    submit(drv, drv.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def thanked(drv, where):
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: d.execute_script("return location.pathname")
        .endswith("/thanks"))
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    check(h1 == "Thank you!", "%s: the thank-you page" % where, h1)


drv = chromium(PROFILE)
try:
    drv.set_page_load_timeout(WAIT_SECS)

    # The full page.
    drv.get(FORM)
    check(drv.title == "How did you hear about us?", "the form opens",
          drv.title)
    audit(drv, "survey-form", check)
    answer(drv, "Zoë <script>alert(1)</script>", "AB12-CD", suggest=True)
    thanked(drv, "full page")
    audit(drv, "survey-thanks", check)

    # Embedded: the form in an iframe (the README's snippet) of a page of
    # our origin, which the form's frame-ancestors allows: the stack's
    # /__test/app (nginx/bench.conf) stands in for the app's page.
    drv.get(BASE + "/__test/app")
    drv.execute_script("""
        document.body.textContent = '';
        const f = document.createElement('iframe');
        f.src = arguments[0];
        f.title = 'How did you hear about us?';
        f.width = 390;
        f.height = 800;
        document.body.appendChild(f);""", EMBED)
    frame = drv.find_element(By.TAG_NAME, "iframe")
    drv.switch_to.frame(frame)
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: d.find_elements(By.ID, "f-friend"))
    title = drv.execute_script("return document.title")
    check(title == "How did you hear about us?",
          "the embedded form opens in its frame", title)
    audit(drv, "survey-embed", check)
    answer(drv, "Ada", "EF34-GH")
    thanked(drv, "embedded")
    drv.switch_to.default_content()

    # The pages of links that do not work (any more).
    drv.get(EXPIRED)
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    check(h1 == "Forbidden" and "expired" in drv.page_source,
          "an expired link says so", h1)
    audit(drv, "error", check)
    drv.get(BASE + "/i/NOPE-0000")
    check("/i/NOPE-0000" in drv.current_url, "unknown invite link: no "
          "redirect", drv.current_url)
    audit(drv, "link-notfound", check)
    # Its form: retype a code as a person reads it off a poster.
    # The field holds the code that failed: a person clears it first.
    field = drv.find_element(By.ID, "code")
    check(field.get_attribute("value") == "N0PE-0000",
          "the code that failed is shown for correcting",
          field.get_attribute("value"))
    field.clear()
    field.send_keys("test oool")
    submit(drv, drv.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: "/health" in d.current_url)
    check(drv.current_url.startswith(BASE + "/health"),
          "the retyped code leads to the link's destination",
          drv.current_url)

    # The CSP allowed the stylesheets (no console errors about them).
    csp = [e for e in drv.get_log("browser")
           if "Content Security Policy" in e["message"]]
    check(not csp, "no Content-Security-Policy errors", csp)
finally:
    drv.quit()
sys.exit(check.done())
