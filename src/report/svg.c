/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * svg.c: the report's charts as inline SVG written on the server: a line
 * chart, stacked bars and a heatmap.  No script, no external asset, no
 * style attribute (the CSP forbids inline styles; presentation
 * attributes are not styles), so a chart renders the same in a browser
 * with JavaScript off, in a PDF and on paper.  Each chart is an image
 * with a <title> and a <desc> named by aria-labelledby; the numbers
 * themselves are in the data table the page writes under it.  Series
 * differ in dash pattern as well as colour (Okabe-Ito palette), so they
 * stay apart in greyscale print and for colour-blind readers.  Every
 * text is escaped with hs_html_puts.  The functions are pure: output
 * goes only to the struct hs_out given.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "hearsay.h"
#include "report.h"

#define SVG_W		720	/* viewBox width */
#define SVG_H		280	/* viewBox height */
#define PLOT_L		84	/* left edge of the plot area: room for
				   the phone's larger y labels */
#define PLOT_R		(SVG_W - 16)
#define PLOT_T		16
#define PLOT_B		214	/* bottom edge of the plot area */
#define XLABEL_Y	232
#define LEGEND_Y	262
#define XTICKS		6	/* x labels shown at most */
#define XLABEL_NARROW_W	130	/* a YYYY-MM-DD x label as a phone draws
				   it (report.css: 22px), in viewBox units */
#define YSTEPS		4	/* horizontal grid lines */
#define HEAT_CELL	72	/* heatmap cell width */
#define HEAT_ROWH	30	/* heatmap cell height */
#define HEAT_LEFT	120	/* room for row labels */
#define HEAT_TOP	48	/* room for column labels */

static const char *const colours[] = {
	"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
	"#999999", "#f0e442",
};
static const char *const dashes[] = {
	"", "8 4", "2 3", "10 3 2 3",
};
#define NCOLOURS	(sizeof(colours) / sizeof(colours[0]))
#define NDASHES		(sizeof(dashes) / sizeof(dashes[0]))

/* Returns 1, 2 or 5 times a power of ten, at least v (and > 0). */
static double
nicemax(double v)
{
	double	 p;

	if (!(v > 0))
		return 1;
	p = pow(10, floor(log10(v)));
	if (v <= p)
		return p;
	if (v <= 2 * p)
		return 2 * p;
	if (v <= 5 * p)
		return 5 * p;
	return 10 * p;
}

/*
 * Opens the <svg> with its accessible name and description:
 * role="img" and aria-labelledby naming the <title> and <desc>.
 */
static enum hs_err
svg_open(const struct hs_out *o, const char *id, int w, int h,
    const char *title, const char *desc)
{
	enum hs_err	 e;

	/* Intrinsic size: the CSS only shrinks a chart, never blows a
	 * small heatmap's text up to the page width. */
	if ((e = hs_out_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"", w, h,
	    w, h)) != HS_OK ||
	    (e = hs_html_puts(o, id)) != HS_OK ||
	    (e = hs_html_raw(o, "-t ")) != HS_OK ||
	    (e = hs_html_puts(o, id)) != HS_OK ||
	    (e = hs_html_raw(o, "-d\" font-family=\"system-ui, sans-serif\" "
	    "font-size=\"12\"><title id=\"")) != HS_OK ||
	    (e = hs_html_puts(o, id)) != HS_OK ||
	    (e = hs_html_raw(o, "-t\">")) != HS_OK ||
	    (e = hs_html_puts(o, title)) != HS_OK ||
	    (e = hs_html_raw(o, "</title><desc id=\"")) != HS_OK ||
	    (e = hs_html_puts(o, id)) != HS_OK ||
	    (e = hs_html_raw(o, "-d\">")) != HS_OK ||
	    (e = hs_html_puts(o, desc)) != HS_OK)
		return e;
	return hs_html_raw(o, "</desc>");
}

/* Y grid with labels from 0 to ymax. */
static enum hs_err
yaxis(const struct hs_out *o, double ymax, int percent)
{
	enum hs_err	 e;
	double		 v, y;
	int		 i;

	for (i = 0; i <= YSTEPS; i++) {
		v = ymax * i / YSTEPS;
		y = PLOT_B - (double)(PLOT_B - PLOT_T) * i / YSTEPS;
		if ((e = hs_out_printf(o, "<line x1=\"%d\" x2=\"%d\" "
		    "y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", PLOT_L, PLOT_R,
		    y, y, i == 0 ? "#59636e" : "#d0d7de")) != HS_OK)
			return e;
		if (percent)
			e = hs_out_printf(o, "<text class=\"ax\" x=\"%d\" "
			    "y=\"%.1f\" text-anchor=\"end\" fill=\"#1b1f24\">"
			    "%g%%</text>", PLOT_L - 6, y + 4, v * 100);
		else
			e = hs_out_printf(o, "<text class=\"ax\" x=\"%d\" "
			    "y=\"%.1f\" text-anchor=\"end\" fill=\"#1b1f24\">"
			    "%g</text>", PLOT_L - 6, y + 4, v);
		if (e != HS_OK)
			return e;
	}
	return HS_OK;
}

/* The x position of point i of n (centre of its band). */
static double
xpos(size_t i, size_t n)
{

	return PLOT_L + (PLOT_R - PLOT_L) * ((double)i + 0.5) / (double)n;
}

/* Whether point i of n is one of nt labels evenly spread (nt >= 2). */
static int
xtick(size_t i, size_t n, size_t nt)
{
	size_t	 j;

	for (j = 0; j < nt; j++)
		if (i == j * (n - 1) / (nt - 1))
			return 1;
	return 0;
}

/*
 * Whether point i of n is labelled on a phone: the first, the last and,
 * if it stays clear of both at the phone's size, the middle one.
 */
static int
xnarrow(size_t i, size_t n)
{
	size_t	 m = (n - 1) / 2;

	if (n <= 1 || i == 0 || i == n - 1)
		return 1;
	return i == m && xpos(m, n) - xpos(0, n) >= 1.5 * XLABEL_NARROW_W &&
	    xpos(n - 1, n) - xpos(m, n) >= 1.5 * XLABEL_NARROW_W;
}

/*
 * The x labels: at most XTICKS, evenly spread, and on a phone, where
 * report.css draws the axis labels larger, two or three of them, so they
 * stay apart (class "wide": the desktop's only, "narrow": the phone's
 * only).  The first is anchored at its start and the last at its end so
 * neither runs off the chart.
 */
static enum hs_err
xaxis(const struct hs_out *o, const struct svg_chart *c)
{
	size_t		 i;
	int		 wide, narrow;
	const char	*anchor;
	enum hs_err	 e;

	for (i = 0; i < c->n; i++) {
		wide = c->n <= XTICKS || xtick(i, c->n, XTICKS);
		narrow = xnarrow(i, c->n);
		if (!wide && !narrow)
			continue;
		anchor = c->n == 1 ? "middle" : i == 0 ? "start" :
		    i == c->n - 1 ? "end" : "middle";
		if ((e = hs_out_printf(o, "<text class=\"ax x%s\" "
		    "x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" "
		    "fill=\"#1b1f24\">", !narrow ? " wide" : !wide ?
		    " narrow" : "", xpos(i, c->n), XLABEL_Y, anchor)) !=
		    HS_OK || (e = hs_html_puts(o, c->x[i])) != HS_OK ||
		    (e = hs_html_raw(o, "</text>")) != HS_OK)
			return e;
	}
	return HS_OK;
}

/* A legend row: a swatch (line or box) and the series name each. */
static enum hs_err
legend(const struct hs_out *o, const struct svg_chart *c, int lines)
{
	size_t		 i;
	double		 x = PLOT_L;
	enum hs_err	 e;

	for (i = 0; i < c->ns; i++) {
		if (lines)
			e = hs_out_printf(o, "<line x1=\"%.1f\" x2=\"%.1f\" "
			    "y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
			    "stroke-width=\"3\" stroke-dasharray=\"%s\"/>",
			    x, x + 24, LEGEND_Y - 4, LEGEND_Y - 4,
			    colours[i % NCOLOURS], dashes[i % NDASHES]);
		else
			e = hs_out_printf(o, "<rect x=\"%.1f\" y=\"%d\" "
			    "width=\"14\" height=\"14\" fill=\"%s\"/>", x,
			    LEGEND_Y - 12, colours[i % NCOLOURS]);
		if (e != HS_OK ||
		    (e = hs_out_printf(o, "<text x=\"%.1f\" y=\"%d\" "
		    "fill=\"#1b1f24\">", x + (lines ? 30 : 20), LEGEND_Y))
		    != HS_OK || (e = hs_html_puts(o, c->s[i].name)) != HS_OK ||
		    (e = hs_html_raw(o, "</text>")) != HS_OK)
			return e;
		x += (lines ? 42 : 30) + 7.0 * strlen(c->s[i].name);
	}
	return HS_OK;
}

/*
 * A line chart of c->ns series over c->n points.  A value that is not a
 * number (NAN: no data that day) breaks the line rather than drawing it
 * down to zero.  Returns HS_OK or the writer's error.
 */
enum hs_err
svg_line(const struct hs_out *o, const struct svg_chart *c)
{
	double		 ymax = 0, y;
	size_t		 i, k;
	int		 open;
	enum hs_err	 e;

	for (k = 0; k < c->ns; k++)
		for (i = 0; i < c->n; i++)
			if (isfinite(c->s[k].v[i]) && c->s[k].v[i] > ymax)
				ymax = c->s[k].v[i];
	ymax = c->percent && ymax <= 1 ? nicemax(ymax * 100) / 100 :
	    nicemax(ymax);
	if ((e = svg_open(o, c->id, SVG_W, SVG_H, c->title, c->desc))
	    != HS_OK || (e = yaxis(o, ymax, c->percent)) != HS_OK ||
	    (e = xaxis(o, c)) != HS_OK)
		return e;
	for (k = 0; k < c->ns; k++) {
		open = 0;
		for (i = 0; i < c->n; i++) {
			if (!isfinite(c->s[k].v[i])) {
				if (open && (e = hs_html_raw(o, "\"/>"))
				    != HS_OK)
					return e;
				open = 0;
				continue;
			}
			y = PLOT_B - (PLOT_B - PLOT_T) * c->s[k].v[i] / ymax;
			if (!open && (e = hs_out_printf(o, "<polyline "
			    "fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
			    "stroke-dasharray=\"%s\" points=\"",
			    colours[k % NCOLOURS], dashes[k % NDASHES]))
			    != HS_OK)
				return e;
			if ((e = hs_out_printf(o, "%s%.1f,%.1f", open ? " " :
			    "", xpos(i, c->n), y)) != HS_OK)
				return e;
			open = 1;
		}
		if (open && (e = hs_html_raw(o, "\"/>")) != HS_OK)
			return e;
		/* A single point draws no line: mark it. */
		if (c->n == 1 && isfinite(c->s[k].v[0]) &&
		    (e = hs_out_printf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" "
		    "r=\"4\" fill=\"%s\"/>", xpos(0, 1), PLOT_B - (PLOT_B -
		    PLOT_T) * c->s[k].v[0] / ymax, colours[k % NCOLOURS]))
		    != HS_OK)
			return e;
	}
	if ((e = legend(o, c, 1)) != HS_OK)
		return e;
	return hs_html_raw(o, "</svg>");
}

/*
 * Stacked bars: at each x, the series stacked bottom to top in order.
 * Negative and non-finite values count as zero.  Returns HS_OK or the
 * writer's error.
 */
enum hs_err
svg_stacked(const struct hs_out *o, const struct svg_chart *c)
{
	double		 ymax = 0, sum, base, h, bw, v;
	size_t		 i, k, j;
	enum hs_err	 e;

	for (i = 0; i < c->n; i++) {
		for (sum = 0, k = 0; k < c->ns; k++)
			if (isfinite(c->s[k].v[i]) && c->s[k].v[i] > 0)
				sum += c->s[k].v[i];
		if (sum > ymax)
			ymax = sum;
	}
	ymax = nicemax(ymax);
	if ((e = svg_open(o, c->id, SVG_W, SVG_H, c->title, c->desc))
	    != HS_OK || (e = yaxis(o, ymax, 0)) != HS_OK ||
	    (e = xaxis(o, c)) != HS_OK)
		return e;
	bw = c->n > 0 ? (double)(PLOT_R - PLOT_L) / (double)c->n * 0.8 : 0;
	if (bw < 0.5)
		bw = 0.5;
	/* One group per series, so the colour is written once. */
	for (k = 0; k < c->ns; k++) {
		if ((e = hs_out_printf(o, "<g fill=\"%s\">",
		    colours[k % NCOLOURS])) != HS_OK)
			return e;
		for (i = 0; i < c->n; i++) {
			for (base = 0, j = 0; j < k; j++)
				if (isfinite(c->s[j].v[i]) &&
				    c->s[j].v[i] > 0)
					base += c->s[j].v[i];
			v = c->s[k].v[i];
			if (!isfinite(v) || v <= 0)
				continue;
			h = (PLOT_B - PLOT_T) * v / ymax;
			if ((e = hs_out_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"/>",
			    xpos(i, c->n) - bw / 2, PLOT_B - (PLOT_B - PLOT_T) *
			    base / ymax - h, bw, h)) != HS_OK)
				return e;
		}
		if ((e = hs_html_raw(o, "</g>")) != HS_OK)
			return e;
	}
	if ((e = legend(o, c, 0)) != HS_OK)
		return e;
	return hs_html_raw(o, "</svg>");
}

/*
 * A heatmap of nr x nc counts (row-major), rows and columns labelled.
 * Shade grows with the count; the count is written in each cell, and
 * diagonal cells (row label equal to column label: agreement) get an
 * outline.  Returns HS_OK or the writer's error.
 */
enum hs_err
svg_heatmap(const struct hs_out *o, const char *id, const char *title,
    const char *desc, const char *const *rows, size_t nr,
    const char *const *cols, size_t nc, const long long *cells)
{
	long long	 max = 0;
	double		 a, x, y;
	size_t		 r, c;
	int		 w, h;
	enum hs_err	 e;

	for (r = 0; r < nr * nc; r++)
		if (cells[r] > max)
			max = cells[r];
	w = HEAT_LEFT + HEAT_CELL * (int)(nc > 0 ? nc : 1) + 8;
	h = HEAT_TOP + HEAT_ROWH * (int)(nr > 0 ? nr : 1) + 8;
	if ((e = svg_open(o, id, w, h, title, desc)) != HS_OK)
		return e;
	if ((e = hs_out_printf(o, "<text x=\"%d\" y=\"14\" fill=\"#59636e\">"
	    "reported \xe2\x86\x92</text><text x=\"4\" y=\"%d\" "
	    "fill=\"#59636e\">tracked \xe2\x86\x93</text>", HEAT_LEFT,
	    HEAT_TOP - 8)) != HS_OK)
		return e;
	for (c = 0; c < nc; c++)
		if ((e = hs_out_printf(o, "<text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\" fill=\"#1b1f24\">", HEAT_LEFT +
		    HEAT_CELL * (int)c + HEAT_CELL / 2, HEAT_TOP - 8)) !=
		    HS_OK ||
		    (e = hs_html_puts(o, cols[c])) != HS_OK ||
		    (e = hs_html_raw(o, "</text>")) != HS_OK)
			return e;
	for (r = 0; r < nr; r++) {
		y = HEAT_TOP + HEAT_ROWH * (double)r;
		if ((e = hs_out_printf(o, "<text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\" fill=\"#1b1f24\">", HEAT_LEFT - 6,
		    y + HEAT_ROWH / 2 + 4)) != HS_OK ||
		    (e = hs_html_puts(o, rows[r])) != HS_OK ||
		    (e = hs_html_raw(o, "</text>")) != HS_OK)
			return e;
		for (c = 0; c < nc; c++) {
			x = HEAT_LEFT + HEAT_CELL * (double)c;
			a = max > 0 ? 0.06 + 0.94 * (double)cells[r * nc + c] /
			    (double)max : 0.06;
			if ((e = hs_out_printf(o, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%d\" height=\"%d\" fill=\"#0072b2\" "
			    "fill-opacity=\"%.2f\" stroke=\"%s\" "
			    "stroke-width=\"%d\"/><text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\" fill=\"%s\">%lld</text>",
			    x + 1, y + 1, HEAT_CELL - 2, HEAT_ROWH - 2, a,
			    strcmp(rows[r], cols[c]) == 0 ? "#1b1f24" : "#fff",
			    strcmp(rows[r], cols[c]) == 0 ? 2 : 1,
			    x + HEAT_CELL / 2.0, y + HEAT_ROWH / 2.0 + 4,
			    a > 0.55 ? "#fff" : "#1b1f24",
			    cells[r * nc + c])) != HS_OK)
				return e;
		}
	}
	return hs_html_raw(o, "</svg>");
}
