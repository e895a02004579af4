/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * check_qr.c: hearsay-qr's pure parts.  The image parameters (every
 * valid and invalid form of s, ecc, m, fg and bg, repeats, unknown
 * keys), the SVG of a tiny known matrix against a golden string, and
 * PNGs decoded back with libpng and compared module by module with the
 * matrix they came from, across scales, margins and colours, including
 * images large enough to take several IDAT chunks.  That a phone can
 * read the codes is tests/it/qr_codes.sh's job (zbarimg).
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "hearsay.h"
#include "qr.h"

#define MAXKV	8

/* One query: up to MAXKV "key=value" pairs, NULL-terminated. */
static const struct {
	const char	*q[MAXKV];
	int		 ok;
	int		 scale, level, margin;	/* when ok */
	const char	*fg, *bg;		/* when ok */
} opts[] = {
	{ { NULL }, 1, 8, QR_ECLEVEL_M, 4, "black", "white" },
	{ { "s=1", NULL }, 1, 1, QR_ECLEVEL_M, 4, "black", "white" },
	{ { "s=40", NULL }, 1, 40, QR_ECLEVEL_M, 4, "black", "white" },
	{ { "s=007", NULL }, 1, 7, QR_ECLEVEL_M, 4, "black", "white" },
	{ { "ecc=L", NULL }, 1, 8, QR_ECLEVEL_L, 4, "black", "white" },
	{ { "ecc=Q", NULL }, 1, 8, QR_ECLEVEL_Q, 4, "black", "white" },
	{ { "ecc=H", "m=0", NULL }, 1, 8, QR_ECLEVEL_H, 0, "black", "white" },
	{ { "m=16", "fg=navy", "bg=ivory", NULL }, 1, 8, QR_ECLEVEL_M, 16,
	    "navy", "ivory" },
	{ { "fg=maroon", "s=3", "ecc=L", "m=2", "bg=white", NULL }, 1, 3,
	    QR_ECLEVEL_L, 2, "maroon", "white" },
	{ { "fg=darkgreen", NULL }, 1, 8, QR_ECLEVEL_M, 4, "darkgreen",
	    "white" },
	{ { "s=0", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=41", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=1000", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=-1", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=+8", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s= 8", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=8px", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=99999999999999999999", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "ecc=m", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "ecc=X", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "ecc=LM", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "ecc=", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "m=17", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "m=-4", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "fg=white", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "fg=#ff0000", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "fg=Black", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "bg=black", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "bg=yellow", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=8", "s=8", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "ecc=L", "ecc=H", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "fg=navy", "fg=navy", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "sz=20", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "fmt=svg", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "S=8", NULL }, 0, 0, 0, 0, NULL, NULL },
	{ { "s=8", "x=1", NULL }, 0, 0, 0, 0, NULL, NULL },
};

/* Fills kv from "key=value" strings; returns how many. */
static size_t
mkkv(struct hs_kv *kv, const char *const *q)
{
	size_t		 n;
	const char	*eq;

	for (n = 0; n < MAXKV && q[n] != NULL; n++) {
		eq = strchr(q[n], '=');
		ck_assert_ptr_nonnull(eq);
		kv[n].key = strndup(q[n], (size_t)(eq - q[n]));
		kv[n].val = strdup(eq + 1);
		kv[n].valsz = strlen(eq + 1);
	}
	return n;
}

static void
freekv(struct hs_kv *kv, size_t n)
{

	while (n-- > 0) {
		free(kv[n].key);
		free(kv[n].val);
	}
}

START_TEST(opts_table)
{
	struct hs_kv	 kv[MAXKV];
	struct qr_opts	 o;
	const char	*why;
	size_t		 n;
	enum hs_err	 e;

	n = mkkv(kv, opts[_i].q);
	e = qr_opts_parse(&o, kv, n, &why);
	if (opts[_i].ok) {
		ck_assert_int_eq(e, HS_OK);
		ck_assert_int_eq(o.scale, opts[_i].scale);
		ck_assert_int_eq(o.level, opts[_i].level);
		ck_assert_int_eq(o.margin, opts[_i].margin);
		ck_assert_str_eq(o.fg->name, opts[_i].fg);
		ck_assert_str_eq(o.bg->name, opts[_i].bg);
	} else {
		ck_assert_msg(e == HS_EINVAL, "case %d: %s accepted", _i,
		    opts[_i].q[0]);
		ck_assert_ptr_nonnull(why);
		ck_assert_int_gt(strlen(why), 10);
	}
	freekv(kv, n);
}
END_TEST

START_TEST(opts_nul_byte)
{
	struct hs_kv	 kv[1];
	struct qr_opts	 o;
	const char	*why;
	char		 key[] = "s", val[] = "8\0" "0";

	kv[0].key = key;
	kv[0].val = val;
	kv[0].valsz = 3;
	ck_assert_int_eq(qr_opts_parse(&o, kv, 1, &why), HS_EINVAL);
	ck_assert_ptr_nonnull(why);
	ck_assert_int_eq(qr_level_name(QR_ECLEVEL_L), 'L');
	ck_assert_int_eq(qr_level_name(QR_ECLEVEL_H), 'H');
	ck_assert_int_eq(qr_level_name(7), '?');
}
END_TEST

/*
 * A 3 x 3 matrix (not a real symbol) with every kind of run: a full
 * row, a lone module, a row ending dark, and the relative moves between.
 *   X X X
 *   . X .
 *   X . X
 * Bit 0 is "dark" to libqrencode; the other bits must be ignored.
 */
static const unsigned char tiny[9] = {
	0x01, 0x81, 0x03,
	0xc0, 0x01, 0x02,
	0x85, 0x00, 0x01,
};

START_TEST(svg_golden)
{
	struct hs_buf	 b;
	struct qr_opts	 o;

	qr_opts_default(&o);
	o.scale = 2;
	o.margin = 1;
	hs_buf_init(&b, QR_MAX_IMAGE);
	ck_assert_int_eq(qr_svg_draw(&b, tiny, 3, &o), HS_OK);
	ck_assert_str_eq(hs_buf_str(&b),
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 5 5\" "
	    "width=\"10\" height=\"10\" shape-rendering=\"crispEdges\">"
	    "<path fill=\"#ffffff\" d=\"M0 0h5v5H0z\"/>"
	    "<path fill=\"#000000\" d=\"M1 1h3v1h-3zm1 1h1v1h-1zm-1 1h1v1h-1z"
	    "m2 0h1v1h-1z\"/></svg>\n");
	hs_buf_reset(&b);
	/* Colours are attributes from the fixed set. */
	o.margin = 0;
	o.fg = &(const struct qr_colour){ "navy", "#000080", { 0, 0, 0x80 } };
	ck_assert_int_eq(qr_svg_draw(&b, tiny, 3, &o), HS_OK);
	ck_assert_ptr_nonnull(strstr(hs_buf_str(&b),
	    "<path fill=\"#000080\" d=\"M0 0h3v1h-3zm1 1h1v1h-1zm-1 1h1v1h-1z"
	    "m2 0h1v1h-1z\"/>"));
	hs_buf_free(&b);
}
END_TEST

START_TEST(svg_limits)
{
	static unsigned char v40[177 * 177];	/* all light */
	struct hs_buf	 b;
	struct qr_opts	 o;

	qr_opts_default(&o);
	hs_buf_init(&b, QR_MAX_IMAGE);
	/* 3 + 2 * 16 = 35 modules of 40 px fit; more would not. */
	o.scale = QR_SCALE_MAX;
	o.margin = QR_MARGIN_MAX;
	ck_assert_int_eq(qr_svg_draw(&b, tiny, 3, &o), HS_OK);
	hs_buf_reset(&b);
	ck_assert_int_eq(qr_svg_draw(&b, tiny, 0, &o), HS_EINVAL);
	ck_assert_int_eq(qr_svg_draw(&b, tiny, 178, &o), HS_EINVAL);
	/* Version 40 at 40 px a module is over QR_MAX_PX. */
	ck_assert_int_eq(qr_svg_draw(&b, v40, 177, &o), HS_ETOOBIG);
	ck_assert_uint_eq(b.len, 0);
	o.scale = 1;
	o.margin = 4;
	ck_assert_int_eq(qr_svg_draw(&b, v40, 177, &o), HS_OK);
	hs_buf_free(&b);
}
END_TEST

/*
 * Decodes the PNG in b with libpng's simplified API and checks every
 * pixel against matrix m (w x w) under o: light in the quiet zone,
 * dark exactly where bit 0 of a module is set, in o's colours.
 */
static void
check_png(const struct hs_buf *b, const unsigned char *m, int w,
    const struct qr_opts *o)
{
	png_image	 img;
	unsigned char	*px, *p;
	const unsigned char *want;
	int		 side, x, y, mx, my, dark;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	ck_assert_msg(png_image_begin_read_from_memory(&img, b->ptr, b->len),
	    "libpng: %s", img.message);
	side = (w + 2 * o->margin) * o->scale;
	ck_assert_int_eq(img.width, side);
	ck_assert_int_eq(img.height, side);
	img.format = PNG_FORMAT_RGB;
	px = malloc(PNG_IMAGE_SIZE(img));
	ck_assert_ptr_nonnull(px);
	ck_assert_msg(png_image_finish_read(&img, NULL, px, 0, NULL),
	    "libpng: %s", img.message);
	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++) {
			mx = x / o->scale - o->margin;
			my = y / o->scale - o->margin;
			dark = mx >= 0 && my >= 0 && mx < w && my < w &&
			    (m[my * w + mx] & 1);
			want = dark ? o->fg->rgb : o->bg->rgb;
			p = px + ((size_t)y * side + x) * 3;
			if (memcmp(p, want, 3) != 0)
				ck_abort_msg("pixel %d,%d (module %d,%d) wrong",
				    x, y, mx, my);
		}
	free(px);
}

START_TEST(png_tiny_decodes)
{
	struct hs_buf	 b;
	struct qr_opts	 o;
	struct hs_kv	 kv[2];
	const char	*why;
	static const char *const q[] = { "fg=maroon", "bg=ivory", NULL };
	size_t		 n;
	int		 s, m;

	hs_buf_init(&b, QR_MAX_IMAGE);
	n = mkkv(kv, q);
	ck_assert_int_eq(qr_opts_parse(&o, kv, n, &why), HS_OK);
	freekv(kv, n);
	/* Scales on and off byte boundaries, with and without a margin. */
	for (s = 1; s <= 11; s++)
		for (m = 0; m <= 5; m += 5) {
			o.scale = s;
			o.margin = m;
			hs_buf_reset(&b);
			ck_assert_int_eq(qr_png_draw(&b, tiny, 3, &o), HS_OK);
			check_png(&b, tiny, 3, &o);
		}
	hs_buf_free(&b);
}
END_TEST

START_TEST(png_symbols_decode)
{
	static const char *const text = "https://go.example.org/i/7K2M9QXA?qr=1";
	static const int scales[] = { 1, 3, 8, 40 };
	struct hs_buf	 b;
	struct qr_opts	 o;
	QRcode		*q;
	size_t		 i;
	int		 lvl, big = 0;

	hs_buf_init(&b, QR_MAX_IMAGE);
	qr_opts_default(&o);
	for (lvl = QR_ECLEVEL_L; lvl <= QR_ECLEVEL_H; lvl++)
		for (i = 0; i < sizeof(scales) / sizeof(scales[0]); i++) {
			/* The largest images only at the ends (run time). */
			if (scales[i] > 8 && lvl != QR_ECLEVEL_L &&
			    lvl != QR_ECLEVEL_H)
				continue;
			o.level = lvl;
			o.scale = scales[i];
			q = QRcode_encodeString(text, 0, (QRecLevel)lvl,
			    QR_MODE_8, 1);
			ck_assert_ptr_nonnull(q);
			hs_buf_reset(&b);
			ck_assert_int_eq(qr_render(&b, QR_PNG, text, &o),
			    HS_OK);
			check_png(&b, q->data, q->width, &o);
			/* Over 16 KB: more than one IDAT chunk. */
			if (b.len > 16 * 1024)
				big = 1;
			QRcode_free(q);
		}
	ck_assert_int_eq(big, 1);
	/* Too large an image is refused before anything is written. */
	hs_buf_reset(&b);
	o.margin = QR_MARGIN_MAX;
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_H, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(q);
	o.scale = QR_MAX_PX / (q->width + 2 * o.margin) + 1;
	ck_assert_int_eq(qr_png_draw(&b, q->data, q->width, &o), HS_ETOOBIG);
	ck_assert_uint_eq(b.len, 0);
	QRcode_free(q);
	hs_buf_free(&b);
}
END_TEST

START_TEST(render_dispatch)
{
	struct hs_buf	 b;
	struct qr_opts	 o;

	qr_opts_default(&o);
	hs_buf_init(&b, QR_MAX_IMAGE);
	ck_assert_int_eq(qr_render(&b, QR_SVG, "x", &o), HS_OK);
	ck_assert(strncmp(b.ptr, "<svg ", 5) == 0);
	hs_buf_reset(&b);
	ck_assert_int_eq(qr_render(&b, QR_PNG, "x", &o), HS_OK);
	ck_assert(memcmp(b.ptr, "\x89PNG\r\n\x1a\n", 8) == 0);
	hs_buf_reset(&b);
	ck_assert_int_eq(qr_render(&b, QR__MAX, "x", &o), HS_EINVAL);
	/* A cap too small for the image: an error, not a cut image. */
	hs_buf_free(&b);
	hs_buf_init(&b, 64);
	ck_assert_int_eq(qr_render(&b, QR_SVG, "x", &o), HS_ETOOBIG);
	hs_buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("qr");
	TCase	*o = tcase_create("opts"), *r = tcase_create("render");

	tcase_add_loop_test(o, opts_table, 0, sizeof(opts) / sizeof(opts[0]));
	tcase_add_test(o, opts_nul_byte);
	tcase_add_test(r, svg_golden);
	tcase_add_test(r, svg_limits);
	tcase_add_test(r, png_tiny_decodes);
	tcase_add_test(r, png_symbols_decode);
	tcase_add_test(r, render_dispatch);
	tcase_set_timeout(r, 60);
	suite_add_tcase(s, o);
	suite_add_tcase(s, r);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
