#!/usr/bin/python3
# tests/it/survey_browser.py: a real browser (headless Chromium from
# Debian, driven by python3-selenium) answers the survey as people do,
# once on the full page and once embedded (EMBED_URL, ?embed=1) in an
# iframe of a page of the same origin: it picks an answer, types the
# follow-up (the field appears only once its option is chosen: CSS, no
# JavaScript), clicks the button and must reach the thank-you page, whose
# "Continue" leads to the survey's return_url (from the embedded form, in
# the top window).  On the full page it first types three characters of
# an advocate who opted in to being suggested (survey_browser.sh) and
# must be offered that name (html/static/survey-suggest.js fills the
# input's <datalist> from the lookup; the page itself holds no name), and
# never the one who did not opt in.  It reopens the answered link, sees
# "You answered", changes the answer, reopens it again and sees the
# change (between the answer and the change survey_browser.sh's
# reconciliation runs: RECONCILE).  The embedded form at a 390 px phone
# width fits the README's iframe without a scroll bar inside it, and
# tells the page its height (postMessage).  A link past its time to
# change shows its answer and says so; an expired link says what
# happened and offers the survey's new_link; a survey that asks for
# consent says what leaving the box unticked means, and is answered once
# with and once without.  On the way it audits every page a person meets
# here (hs_browser.audit).  survey_browser.sh checks MariaDB afterwards.
# No header is set by hand: Origin, Referer and Sec-Fetch-* are the
# browser's own.
#
# usage: survey_browser.py BASE_URL FORM_URL EMBED_URL EXPIRED_URL
#     LOCKED_URL CONSENT_URL1 CONSENT_URL2 RETURN_URL README PROFILE
# (RECONCILE in the environment: the command that runs a reconciliation)
import os
import re
import subprocess
import sys

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from hs_browser import WAIT_SECS, Tap, audit, chromium, submit

(BASE, FORM, EMBED, EXPIRED, LOCKED, CONSENT1, CONSENT2, RETURN, README,
 PROFILE) = sys.argv[1:11]
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


def send(drv):
    submit(drv, drv.find_element(By.CSS_SELECTOR, "button[type=submit]"))


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
    check(not drv.find_elements(By.ID, "consent"),
          "a survey that asks no consent shows no checkbox")
    send(drv)


def thanked(drv, where, said="saved"):
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: d.execute_script("return location.pathname")
        .endswith("/thanks"))
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    check(h1 == "Thank you!", "%s: the thank-you page" % where, h1)
    text = drv.find_element(By.TAG_NAME, "main").text
    check("is %s" % said in text, "%s: it says the answer is %s" %
          (where, said), text)


def continue_link(drv, where, top):
    links = drv.find_elements(By.LINK_TEXT, "Continue")
    check(len(links) == 1 and links[0].get_attribute("href") == RETURN,
          "%s: Continue leads to the survey's return_url" % where,
          [a.get_attribute("href") for a in links])
    target = links[0].get_attribute("target") if links else None
    check(target == ("_top" if top else ""), "%s: Continue opens in %s" %
          (where, "the top window" if top else "the same window"), target)
    return links[0] if links else None


def answered_box(drv):
    boxes = drv.find_elements(By.CSS_SELECTOR, ".answered")
    return boxes[0].text if boxes else ""


drv = chromium(PROFILE)
try:
    drv.set_page_load_timeout(WAIT_SECS)

    # The full page: the first answer.
    drv.get(FORM)
    check(drv.title == "How did you hear about us?", "the form opens",
          drv.title)
    check(answered_box(drv) == "", "a fresh link shows no earlier answer")
    check("learn how people find us" in
          drv.find_element(By.CSS_SELECTOR, "p.notice").text,
          "the consent line is a plain notice")
    audit(drv, "survey-form", check)
    answer(drv, "Zoë <script>alert(1)</script>", "AB12-CD", suggest=True)
    thanked(drv, "full page")
    continue_link(drv, "full page", top=False)
    audit(drv, "survey-thanks", check)
    subprocess.run(os.environ["RECONCILE"], shell=True, check=True)

    # Reopen: the answer is shown, and may be changed.
    drv.get(FORM)
    box = answered_box(drv)
    check("You answered: A friend or colleague told me" in box and
          "Zoë <script>alert(1)</script>" in box and
          "You can change it until" in box,
          "reopened: \"You answered\" with the answer, changeable", box)
    check(drv.find_element(By.ID, "o-friend").is_selected(),
          "reopened: the earlier choice is filled in")
    audit(drv, "survey-reopen", check)
    drv.find_element(By.CSS_SELECTOR, "label[for=o-search]").click()
    send(drv)
    thanked(drv, "the change")
    # Reopen again: the latest answer.
    drv.get(FORM)
    box = answered_box(drv)
    check("You answered: A search engine" in box and
          "friend" not in box.lower(),
          "reopened after the change: the latest answer", box)

    # A link whose time to change is over: the answer, and why it stays.
    drv.get(LOCKED)
    box = answered_box(drv)
    text = drv.find_element(By.TAG_NAME, "main").text
    check("You answered: An advertisement" in box and
          "can no longer be changed" in text and
          not drv.find_elements(By.TAG_NAME, "form"),
          "past its time: the answer, no longer changeable, no form", text)
    audit(drv, "survey-answered", check)

    # Embedded: the form in an iframe (the README's snippet) of a page of
    # our origin, which the form's frame-ancestors allows: the stack's
    # /__test/app (nginx/bench.conf) stands in for the app's page, and
    # listens for the height the form posts.
    with open(README, encoding="utf-8") as f:
        readme = f.read()
    m = re.search(r'<iframe src="[^"]*embed=1"[^>]*height:([0-9.]+)rem',
                  readme, re.S)
    check(m is not None, "the README's iframe has a height")
    frame_h = int(float(m.group(1)) * 16) if m else 736
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1,
        "mobile": True})
    drv.get(BASE + "/__test/app")
    drv.execute_script("""
        document.body.textContent = '';
        window.hsHeights = [];
        window.addEventListener('message', e => {
            if (e.data && e.data.hearsay === 'height')
                window.hsHeights.push(e.data.height);
        });
        const f = document.createElement('iframe');
        f.src = arguments[0];
        f.title = 'How did you hear about us?';
        // The README's style on a 390 px phone: the frame is as wide
        // as the phone (the app's page without margins).
        f.style.cssText = 'width:390px;max-width:40rem;height:' +
            arguments[1] + 'px;border:0';
        document.body.style.margin = '0';
        document.body.appendChild(f);""", EMBED, frame_h)
    frame = drv.find_element(By.TAG_NAME, "iframe")
    drv.switch_to.frame(frame)
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: d.find_elements(By.ID, "f-friend"))
    title = drv.execute_script("return document.title")
    check(title == "How did you hear about us?",
          "the embedded form opens in its frame", title)
    sh, ih, sw, iw = drv.execute_script(
        "const s = document.scrollingElement; return [s.scrollHeight, "
        "innerHeight, s.scrollWidth, innerWidth]")
    check(iw <= 390 and sh <= ih and sw <= iw, "embedded at a 390 px "
          "phone: fits the README's iframe, no scroll bar inside",
          "content %dx%d in a frame of %dx%d" % (sw, sh, iw, ih))
    drv.switch_to.default_content()
    drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    try:
        WebDriverWait(drv, WAIT_SECS).until(
            lambda d: d.execute_script("return window.hsHeights.length"))
    except TimeoutException:
        pass
    heights = drv.execute_script("return window.hsHeights")
    check(heights and 0 < heights[-1] <= frame_h,
          "the embedded form posts its height to the page", heights)
    drv.switch_to.frame(drv.find_element(By.TAG_NAME, "iframe"))
    audit(drv, "survey-embed", check)
    answer(drv, "Ada", "EF34-GH")
    thanked(drv, "embedded")
    link = continue_link(drv, "embedded", top=True)
    if link is not None:
        link.click()
        drv.switch_to.default_content()
        WebDriverWait(drv, WAIT_SECS).until(
            lambda d: d.current_url == RETURN and
            not d.find_elements(By.TAG_NAME, "iframe"))
        check(drv.current_url == RETURN and
              not drv.find_elements(By.TAG_NAME, "iframe"),
              "embedded Continue: the whole window goes to return_url",
              drv.current_url)
    drv.switch_to.default_content()

    # A survey that asks for consent, answered without it, then with it.
    for url, tick in ((CONSENT1, False), (CONSENT2, True)):
        drv.get(url)
        what = drv.find_element(By.ID, "consent-what").text
        check("without your account" in what and "only in our totals" in
              what, "the consent box says what unticked means", what)
        if tick:
            audit(drv, "survey-consent", check)
            drv.find_element(By.CSS_SELECTOR, "label[for=consent]").click()
            check(drv.find_element(By.ID, "consent").is_selected(),
                  "consent ticked by its label")
        drv.find_element(By.CSS_SELECTOR, "label[for=o-search]").click()
        send(drv)
        thanked(drv, "consent %s" % ("given" if tick else "not given"))
    # Unticked, the answer is not linked: the link shows no answer.
    drv.get(CONSENT1)
    check(answered_box(drv) == "", "an unlinked answer is not shown on "
          "the link again")

    # The pages of links that do not work (any more).
    drv.get(EXPIRED)
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    text = drv.find_element(By.TAG_NAME, "main").text
    check(h1 == "This survey link has expired" and "Nothing was stored"
          in text, "an expired link says what happened", text)
    new = drv.find_elements(By.LINK_TEXT, "Get a new link")
    check(len(new) == 1 and new[0].get_attribute("href") ==
          "mailto:survey-help@example.org",
          "... and what to do: the survey's new_link", text)
    audit(drv, "survey-link", check)
    drv.get(BASE + "/s/no-such-survey")
    check("no survey" in drv.page_source, "an unknown survey: the error "
          "page")
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

    # The CSP allowed the stylesheets and scripts (no console errors).
    csp = [e for e in drv.get_log("browser")
           if "Content Security Policy" in e["message"]]
    check(not csp, "no Content-Security-Policy errors", csp)
finally:
    drv.quit()
sys.exit(check.done())
