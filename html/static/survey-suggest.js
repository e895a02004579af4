/*
 * survey-suggest.js: suggests advocates' names for "Who told you?".
 *
 * The survey form carries no advocate's name.  Once a person has typed
 * three characters into an input with data-suggest, this asks that
 * address (?q=) for the names of the advocates who opted in to being
 * suggested and offers them in a <datalist>.  Progressive enhancement:
 * without this script, or when a lookup fails, the input is a plain
 * text input and the form works the same.  The page's CSP allows this
 * file and that address only (src/survey/form_page.c).
 */
(function () {
	"use strict";

	var MIN_CHARS = 3;	/* as hearsay-survey: fewer answer nothing */
	var WAIT_MS = 200;	/* a pause in typing before a lookup */
	var MAX_NAMES = 10;	/* never more shown, whatever comes back */

	function chars(s) {
		return Array.from(s).length;
	}

	function attach(input) {
		var list = document.createElement("datalist");
		var timer = null, asked = "", pending = null;

		list.id = input.id + "-names";
		input.parentNode.appendChild(list);
		input.setAttribute("list", list.id);

		function show(names) {
			list.textContent = "";
			names.slice(0, MAX_NAMES).forEach(function (name) {
				var opt = document.createElement("option");

				if (typeof name === "string") {
					opt.value = name;
					list.appendChild(opt);
				}
			});
		}

		function lookup() {
			var q = input.value.trim();

			if (q === asked)
				return;
			asked = q;
			if (pending !== null)
				pending.abort();
			pending = null;
			if (chars(q) < MIN_CHARS) {
				show([]);
				return;
			}
			pending = new AbortController();
			fetch(input.dataset.suggest + "?q=" +
			    encodeURIComponent(q), {
				signal: pending.signal,
				credentials: "omit",
				headers: { "Accept": "application/json" }
			}).then(function (res) {
				return res.ok ? res.json() : { names: [] };
			}).then(function (body) {
				if (input.value.trim() === q &&
				    Array.isArray(body.names))
					show(body.names);
			}).catch(function () {
				/* No suggestions: the input still works. */
			});
		}

		input.addEventListener("input", function () {
			clearTimeout(timer);
			timer = setTimeout(lookup, WAIT_MS);
		});
	}

	document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
