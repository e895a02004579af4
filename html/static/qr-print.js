// qr-print.js: the Print button of the host's printables.  Progressive
// enhancement: the button is hidden in the HTML and shown only here, so
// a browser without script shows no button that does nothing (its own
// Print menu still works: the pages have print styles).
"use strict";
document.querySelectorAll(".qr-printbtn").forEach(function (b) {
	b.hidden = false;
	b.addEventListener("click", function () { window.print(); });
});
