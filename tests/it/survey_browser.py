#!/usr/bin/python3
# tests/it/survey_browser.py: a real browser (headless Chromium from
# Debian, driven by python3-selenium) opens a signed survey link, picks
# an answer, types the follow-up (the field appears only once its option
# is chosen: CSS, no JavaScript), submits, and must land on the
# thank-you page.  survey_browser.sh checks MariaDB afterwards.
#
# usage: survey_browser.py URL   (prints "thanked" on success)
import sys
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from hs_browser import WAIT_SECS, chromium, submit

url = sys.argv[1]
drv = chromium(tempfile.mkdtemp())
try:
    drv.set_page_load_timeout(30)
    drv.get(url)
    assert drv.title == "How did you hear about us?", drv.title
    follow = drv.find_element(By.ID, "f-friend")
    assert not follow.is_displayed(), "follow-up shown before its option"
    # Click the label, as a person does (the radio itself is visually
    # hidden behind its large label).
    drv.find_element(By.CSS_SELECTOR, "label[for=o-friend]").click()
    assert drv.find_element(By.ID, "o-friend").is_selected()
    assert follow.is_displayed(), "follow-up hidden after choosing"
    follow.send_keys("Zoë <script>alert(1)</script>")
    drv.find_element(By.ID, "code").send_keys("AB12-CD")
    drv.find_element(By.CSS_SELECTOR, "label[for=consent]").click()
    submit(drv, drv.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    WebDriverWait(drv, WAIT_SECS).until(
        lambda d: d.current_url.endswith("/thanks"))
    drv.implicitly_wait(10)
    h1 = drv.find_element(By.TAG_NAME, "h1").text
    assert drv.current_url.endswith("/thanks"), drv.current_url
    assert h1 == "Thank you!", h1
    # The CSP allowed the stylesheets (no console errors about them).
    for entry in drv.get_log("browser"):
        assert "Content Security Policy" not in entry["message"], entry
    print("thanked")
finally:
    drv.quit()
