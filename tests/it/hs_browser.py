# tests/it/hs_browser.py: what the browser tests (tests/it/*_browser.py)
# share, written once: a headless Chromium from Debian, waiting for the
# page a submit leads to, signing in and out of the report, the TAP-like
# lines the calling .sh counts (Tap) and the audit of each page shown.
import os
import sys

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


def report_chromium(outdir):
    """The Chromium of the report's tests (cohorts, manage, report): its
    profile in OUTDIR, a desktop window, a page load may take 60 s."""
    drv = chromium(os.path.join(outdir, "profile"), "--window-size=1280,1000")
    drv.set_page_load_timeout(60)
    return drv


def sign_in(drv, url, user, pw):
    """Signs in to the report at URL through its login form; what the
    sign-in led to is the caller's to check."""
    drv.get(url + "/admin/login")
    drv.find_element(By.ID, "user").send_keys(user)
    drv.find_element(By.ID, "password").send_keys(pw)
    submit(drv, drv.find_element(By.CSS_SELECTOR,
                                 "form button[type=submit]"))


def sign_out(drv):
    """The report's sign-out button, on any page that shows it."""
    submit(drv, drv.find_element(By.CSS_SELECTOR, "form.logout button"))


def console_errors(drv):
    """The errors in the browser's console since it was last read (a CSP
    refusal, a missing asset); reading empties it."""
    return [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]


# ---------------------------------------------------------------- checks

class Tap:
    """TAP-like lines for the calling .sh to count: check() prints
    "ok N - ..." or "not ok N - ..." and remembers a failure."""

    def __init__(self):
        self.num = 0
        self.failed = 0

    def __call__(self, cond, desc, got=None):
        self.num += 1
        if cond:
            print("ok %d - %s" % (self.num, desc))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.num, desc))
            if got is not None:
                for line in str(got).splitlines() or [""]:
                    print("#      " + line)
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.num)
        return 1 if self.failed or not self.num else 0


# ------------------------------------------------- pages, as people see them
#
# audit() runs axe-core (installed by lib.sh's hs_axe_install, injected
# here: no page of ours loads a script) over the page now shown, at a
# desktop and at a phone viewport, checks that the phone page does not
# scroll sideways, and appends the page's name and the templates that made
# it (lib.sh's hs_html_marked) to HS_PAGES_SEEN, which pages_list.sh
# compares with tests/it/pages.list and html/*.html.

PAGES_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "pages.list")
# name, width, height, mobile (a phone honours <meta name=viewport>)
VIEWPORTS = (("1280x800", 1280, 800, False), ("390x844 phone", 390, 844, True))

_MARKS_JS = """
const w = document.createTreeWalker(document, NodeFilter.SHOW_COMMENT);
const seen = new Set();
for (let n = w.nextNode(); n; n = w.nextNode()) {
    const m = /^hs-template:(\\S+)$/.exec(n.data);
    if (m) seen.add(m[1]);
}
return Array.from(seen).sort();
"""

_AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(r => done(
    r.violations.map(v => ({id: v.id, help: v.help,
        nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' +
            n.failureSummary.replace(/\\s+/g, ' ').slice(0, 200))}))),
    e => done([{id: 'axe-error', help: String(e), nodes: []}]));
"""

# The elements that reach past the phone's width (innermost first), to
# say what makes a page scroll sideways.
_WIDE_JS = """
const w = arguments[0], out = [];
for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 0.5 && !Array.from(el.children).some(c =>
            c.getBoundingClientRect().right > w + 0.5)) {
        let p = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (el.className && typeof el.className === 'string' ?
             '.' + el.className.trim().split(/\\s+/).join('.') : '');
        out.push(p + ' right=' + Math.round(r.right));
    }
}
return out.slice(0, 6).join('; ');
"""

_axe_src = None


def pages_list():
    """The pages of tests/it/pages.list: {name: set of known rule ids}."""
    pages = {}
    with open(PAGES_LIST, encoding="utf-8") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if words:
                pages[words[0]] = set(words[1:])
    return pages


def _axe(drv):
    global _axe_src
    if _axe_src is None:
        with open(os.environ["HS_AXE_JS"], encoding="utf-8") as f:
            _axe_src = f.read()
    if not drv.execute_script("return typeof window.axe === 'object'"):
        drv.execute_script(_axe_src)
    drv.set_script_timeout(WAIT_SECS)
    return drv.execute_async_script(_AXE_RUN_JS)


def audit(drv, name, check):
    """Checks the page now shown as page NAME of pages.list."""
    pages = pages_list()
    check(name in pages, "%s: listed in tests/it/pages.list" % name)
    known = pages.get(name, set())
    templates = drv.execute_script(_MARKS_JS)
    with open(os.environ["HS_PAGES_SEEN"], "a", encoding="utf-8") as f:
        f.write(" ".join([name] + templates) + "\n")
    found = set()
    try:
        for label, w, h, mobile in VIEWPORTS:
            drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": w, "height": h, "deviceScaleFactor": 1,
                "mobile": mobile})
            viol = _axe(drv)
            found |= {v["id"] for v in viol}
            bad = [v for v in viol if v["id"] not in known]
            check(not bad, "%s at %s: axe-core finds no violation" %
                  (name, label),
                  "\n".join("%s (%s)\n  %s" % (v["id"], v["help"],
                                               "\n  ".join(v["nodes"]))
                            for v in bad))
            if mobile:
                sw, iw = drv.execute_script(
                    "return [document.scrollingElement.scrollWidth, "
                    "window.innerWidth]")
                wide = "" if iw == w and sw <= iw else \
                    drv.execute_script(_WIDE_JS, w)
                # A phone widens the layout past its screen rather than
                # cut what is too wide: innerWidth > w is sideways
                # scrolling too.
                check(iw == w, "%s at %s: laid out for the phone's "
                      "width" % (name, label),
                      "innerWidth %d; too wide: %s" % (iw, wide))
                check(sw <= iw, "%s at %s: no sideways scrolling" %
                      (name, label), "scrollWidth %d > innerWidth %d; "
                      "too wide: %s" % (sw, iw, wide))
    finally:
        drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    # A known violation that is gone must leave the list, or it would
    # hide its return.
    check(known <= found, "%s: every known violation listed for it is "
          "still found" % name, sorted(known - found))


def downloaded(drv, path, secs=30):
    """Waits until Chromium has finished downloading to path: the file is
    there, not empty, and no .crdownload is left in its folder (Chromium
    may create the final name empty before the data is moved over)."""
    folder = os.path.dirname(path)

    def done(_):
        return (os.path.exists(path) and os.path.getsize(path) > 0 and
                not any(n.endswith(".crdownload")
                        for n in os.listdir(folder)))
    WebDriverWait(drv, secs).until(done)
