/* hearsay: the embedded survey tells the page that frames it its
 * height, so the app can size the iframe to fit (README).  Progressive
 * enhancement: without it the form works in the README's fixed-height
 * iframe.  The message is {hearsay: "height", height: <CSS pixels>};
 * it is sent to any parent ("*"), as a height is no secret. */
(function () {
	"use strict";
	var last = -1;

	if (window.parent === window)
		return;
	function send() {
		/* The content's height (scrollHeight is at least the frame's). */
		var h = Math.ceil(document.documentElement
		    .getBoundingClientRect().height);

		if (h === last)
			return;
		last = h;
		window.parent.postMessage({ hearsay: "height", height: h }, "*");
	}
	window.addEventListener("load", send);
	window.addEventListener("resize", send);
	if (typeof ResizeObserver === "function")
		new ResizeObserver(send).observe(document.body);
	send();
}());
