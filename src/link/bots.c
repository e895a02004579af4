/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * bots.c: the maintained list of user agents that are not people, and
 * the coarse class (desktop, mobile, tablet, bot, other) that is all we
 * keep of a user agent.  Clicks by these agents are still recorded, with
 * is_bot = 1 and the reason "ua:<name>", so an analyst can see that a
 * link was unfurled in Slack, but no count of people ever includes them.
 *
 * To add an agent, add a row: a case-insensitive substring of its
 * User-Agent and the short name stored in bot_reason.  Keep it sorted by
 * kind.  Decisions worth knowing:
 *  - Command-line and library clients (curl, Wget, python-requests,
 *    Go-http-client, ...) are bots: people follow invite links in
 *    browsers and chat apps.  The tests therefore send a browser
 *    User-Agent when they mean a person, and the fault tests count every
 *    click, bot or not.
 *  - A request with no User-Agent at all is a bot ("ua:empty").
 *  - HeadlessChrome and PhantomJS are automation, hence bots.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "hearsay.h"
#include "link.h"

const char *const ua_names[UA__MAX] = {
	"desktop",	/* UA_DESKTOP */
	"mobile",	/* UA_MOBILE */
	"tablet",	/* UA_TABLET */
	"bot",		/* UA_BOT */
	"other",	/* UA_OTHER */
};

static const struct bot {
	const char	*needle;	/* case-insensitive substring */
	const char	*reason;	/* stored as bot_reason */
} bots[] = {
	/* Link unfurlers of chat and social apps. */
	{ "Slackbot", "ua:slackbot" },
	{ "Slack-ImgProxy", "ua:slackbot" },
	{ "WhatsApp", "ua:whatsapp" },
	{ "Twitterbot", "ua:twitterbot" },
	{ "facebookexternalhit", "ua:facebook" },
	{ "Facebot", "ua:facebook" },
	{ "meta-externalagent", "ua:facebook" },
	{ "Mastodon", "ua:mastodon" },
	{ "Pleroma", "ua:mastodon" },
	{ "Discordbot", "ua:discord" },
	{ "LinkedInBot", "ua:linkedin" },
	{ "TelegramBot", "ua:telegram" },
	{ "SkypeUriPreview", "ua:skype" },
	{ "MicrosoftPreview", "ua:microsoft" },
	{ "redditbot", "ua:reddit" },
	{ "Embedly", "ua:embedly" },
	{ "iframely", "ua:iframely" },
	{ "Pinterestbot", "ua:pinterest" },
	{ "Viber", "ua:viber" },
	{ "Google-PageRenderer", "ua:google" },
	/* Search engines and crawlers. */
	{ "Googlebot", "ua:googlebot" },
	{ "AdsBot-Google", "ua:googlebot" },
	{ "bingbot", "ua:bingbot" },
	{ "DuckDuckBot", "ua:duckduckbot" },
	{ "YandexBot", "ua:yandex" },
	{ "Baiduspider", "ua:baidu" },
	{ "Applebot", "ua:applebot" },
	{ "AhrefsBot", "ua:ahrefs" },
	{ "SemrushBot", "ua:semrush" },
	{ "GPTBot", "ua:gptbot" },
	{ "ClaudeBot", "ua:claudebot" },
	{ "CCBot", "ua:ccbot" },
	/* Automation and libraries. */
	{ "HeadlessChrome", "ua:headless" },
	{ "PhantomJS", "ua:headless" },
	{ "curl/", "ua:curl" },
	{ "Wget", "ua:wget" },
	{ "python-requests", "ua:python" },
	{ "python-urllib", "ua:python" },
	{ "aiohttp", "ua:python" },
	{ "Go-http-client", "ua:go" },
	{ "okhttp", "ua:okhttp" },
	{ "Java/", "ua:java" },
	{ "libwww-perl", "ua:perl" },
	{ "node-fetch", "ua:node" },
	{ "axios", "ua:node" },
	{ "wrk", "ua:wrk" },
	/* Generic markers, last. */
	{ "bot", "ua:bot" },
	{ "crawler", "ua:crawler" },
	{ "spider", "ua:spider" },
	{ "preview", "ua:preview" },
};

#define NBOTS		(sizeof(bots) / sizeof(bots[0]))
#define NEEDLE_MAX	32	/* bytes of the longest needle, and its NUL */
/*
 * Bytes of a user agent that are searched: nginx refuses a header line
 * longer than large_client_header_buffers (8k in hearsay-http.conf)
 * anyway.
 */
#define UA_SCAN_MAX	8192

/* The needles in lower case, made on first use. */
static char	 lneedles[NBOTS][NEEDLE_MAX];

/* Copies at most size - 1 bytes of s to out in ASCII lower case. */
static void
lower(char *out, size_t size, const char *s)
{
	size_t	 i;

	for (i = 0; i + 1 < size && s[i] != '\0'; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ?
		    (char)(s[i] - 'A' + 'a') : s[i];
	out[i] = '\0';
}

/*
 * Returns the class of the user agent ua (NULL or empty: a bot).  For a
 * bot, *reason is set to its constant bot_reason; else to NULL.
 */
enum ua_class
link_ua_class(const char *ua, const char **reason)
{
	/* Lowered once, then searched with strstr: a case-folding scan
	 * per needle was a tenth of a redirect's time. */
	char	 l[UA_SCAN_MAX + 1];
	size_t	 i;

	*reason = NULL;
	if (ua == NULL || *ua == '\0') {
		*reason = "ua:empty";
		return UA_BOT;
	}
	if (lneedles[0][0] == '\0')
		for (i = 0; i < NBOTS; i++)
			lower(lneedles[i], NEEDLE_MAX, bots[i].needle);
	lower(l, sizeof(l), ua);
	for (i = 0; i < NBOTS; i++)
		if (strstr(l, lneedles[i]) != NULL) {
			*reason = bots[i].reason;
			return UA_BOT;
		}
	if (strstr(l, "ipad") != NULL || strstr(l, "tablet") != NULL ||
	    (strstr(l, "android") != NULL && strstr(l, "mobile") == NULL))
		return UA_TABLET;
	if (strstr(l, "mobi") != NULL || strstr(l, "iphone") != NULL ||
	    strstr(l, "android") != NULL)
		return UA_MOBILE;
	if (strstr(l, "windows nt") != NULL || strstr(l, "macintosh") != NULL ||
	    strstr(l, "x11") != NULL || strstr(l, "cros") != NULL)
		return UA_DESKTOP;
	return UA_OTHER;
}
