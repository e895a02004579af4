/*
 * advocate.js: the copy and share buttons of an advocate's page
 * (hearsay-qr, /a/<token>/).  The page works without it: the buttons
 * are hidden until this script shows them, and the link and texts stay
 * selectable in their fields.  Served from our origin, the only script
 * the page's Content-Security-Policy allows.
 */
(function () {
	"use strict";
	var status = document.getElementById("adv-status");

	function say(t) {
		if (status)
			status.textContent = t;
	}
	/* Without the Clipboard API: select, and execCommand if it works. */
	function fallback(el) {
		var ok = false;

		el.focus();
		el.select();
		try {
			ok = document.execCommand("copy");
		} catch (e) {
			ok = false;
		}
		say(ok ? "Copied." : "Selected: copy it with your keyboard " +
		    "or menu.");
	}
	function copy(el) {
		if (navigator.clipboard && navigator.clipboard.writeText)
			navigator.clipboard.writeText(el.value).then(function () {
				say("Copied.");
			}, function () {
				fallback(el);
			});
		else
			fallback(el);
	}
	document.querySelectorAll("[data-copy]").forEach(function (b) {
		var el = document.getElementById(b.getAttribute("data-copy"));

		if (!el)
			return;
		b.hidden = false;
		b.addEventListener("click", function () {
			copy(el);
		});
	});
	if (!navigator.share)
		return;
	document.querySelectorAll("[data-share]").forEach(function (b) {
		var el = document.getElementById(b.getAttribute("data-share"));

		if (!el)
			return;
		b.hidden = false;
		b.addEventListener("click", function () {
			navigator.share({ text: el.value }).catch(function () {
				say("Not shared.");
			});
		});
	});
}());
