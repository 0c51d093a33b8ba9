/* html_color.c - the colours CSS and HTML attributes give text and what it
 * is drawn on, read as browsers read them, so text in the colour of its
 * background ("<font color=white>" on a white page) counts as not seen */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "html_css.h"

/* the named colours of CSS, "name rrggbb", in order */
static const char *const named[] = {
	"aliceblue f0f8ff", "antiquewhite faebd7", "aqua 00ffff", "aquamarine 7fffd4", "azure f0ffff",
	"beige f5f5dc", "bisque ffe4c4", "black 000000", "blanchedalmond ffebcd", "blue 0000ff",
	"blueviolet 8a2be2", "brown a52a2a", "burlywood deb887", "cadetblue 5f9ea0", "chartreuse 7fff00",
	"chocolate d2691e", "coral ff7f50", "cornflowerblue 6495ed", "cornsilk fff8dc", "crimson dc143c",
	"cyan 00ffff", "darkblue 00008b", "darkcyan 008b8b", "darkgoldenrod b8860b", "darkgray a9a9a9",
	"darkgreen 006400", "darkgrey a9a9a9", "darkkhaki bdb76b", "darkmagenta 8b008b",
	"darkolivegreen 556b2f", "darkorange ff8c00", "darkorchid 9932cc", "darkred 8b0000",
	"darksalmon e9967a", "darkseagreen 8fbc8f", "darkslateblue 483d8b", "darkslategray 2f4f4f",
	"darkslategrey 2f4f4f", "darkturquoise 00ced1", "darkviolet 9400d3", "deeppink ff1493",
	"deepskyblue 00bfff", "dimgray 696969", "dimgrey 696969", "dodgerblue 1e90ff", "firebrick b22222",
	"floralwhite fffaf0", "forestgreen 228b22", "fuchsia ff00ff", "gainsboro dcdcdc", "ghostwhite f8f8ff",
	"gold ffd700", "goldenrod daa520", "gray 808080", "green 008000", "greenyellow adff2f", "grey 808080",
	"honeydew f0fff0", "hotpink ff69b4", "indianred cd5c5c", "indigo 4b0082", "ivory fffff0",
	"khaki f0e68c", "lavender e6e6fa", "lavenderblush fff0f5", "lawngreen 7cfc00", "lemonchiffon fffacd",
	"lightblue add8e6", "lightcoral f08080", "lightcyan e0ffff", "lightgoldenrodyellow fafad2",
	"lightgray d3d3d3", "lightgreen 90ee90", "lightgrey d3d3d3", "lightpink ffb6c1", "lightsalmon ffa07a",
	"lightseagreen 20b2aa", "lightskyblue 87cefa", "lightslategray 778899", "lightslategrey 778899",
	"lightsteelblue b0c4de", "lightyellow ffffe0", "lime 00ff00", "limegreen 32cd32", "linen faf0e6",
	"magenta ff00ff", "maroon 800000", "mediumaquamarine 66cdaa", "mediumblue 0000cd",
	"mediumorchid ba55d3", "mediumpurple 9370db", "mediumseagreen 3cb371", "mediumslateblue 7b68ee",
	"mediumspringgreen 00fa9a", "mediumturquoise 48d1cc", "mediumvioletred c71585",
	"midnightblue 191970", "mintcream f5fffa", "mistyrose ffe4e1", "moccasin ffe4b5",
	"navajowhite ffdead", "navy 000080", "oldlace fdf5e6", "olive 808000", "olivedrab 6b8e23",
	"orange ffa500", "orangered ff4500", "orchid da70d6", "palegoldenrod eee8aa", "palegreen 98fb98",
	"paleturquoise afeeee", "palevioletred db7093", "papayawhip ffefd5", "peachpuff ffdab9",
	"peru cd853f", "pink ffc0cb", "plum dda0dd", "powderblue b0e0e6", "purple 800080",
	"rebeccapurple 663399", "red ff0000", "rosybrown bc8f8f", "royalblue 4169e1", "saddlebrown 8b4513",
	"salmon fa8072", "sandybrown f4a460", "seagreen 2e8b57", "seashell fff5ee", "sienna a0522d",
	"silver c0c0c0", "skyblue 87ceeb", "slateblue 6a5acd", "slategray 708090", "slategrey 708090",
	"snow fffafa", "springgreen 00ff7f", "steelblue 4682b4", "tan d2b48c", "teal 008080", "thistle d8bfd8",
	"tomato ff6347", "turquoise 40e0d0", "violet ee82ee", "wheat f5deb3", "white ffffff",
	"whitesmoke f5f5f5", "yellow ffff00", "yellowgreen 9acd32",
};

/* below this alpha a colour is too faint to see */
#define FAINT 0.1
/* channels within this of each other look the same */
#define INK_NEAR 8

/* named_color - the colour called NAME (lower case), or -1; the names
 * are in order, so looked up by halves */
static gint32 named_color(const char *name)
{
	gsize n = strlen(name), lo = 0, hi = G_N_ELEMENTS(named);

	while (lo < hi) {
		gsize mid = (lo + hi) / 2, len = strcspn(named[mid], " ");
		int cmp = strncmp(name, named[mid], MAX(n, len));

		if (cmp == 0)
			return (gint32)strtol(named[mid] + len + 1, NULL, 16);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* hex_color - the colour of the HEX digits after '#' (3, 4, 6 or 8 of
 * them), or 0 if they are none of those */
static int hex_color(const char *hex)
{
	gsize n = strspn(hex, "0123456789abcdefABCDEF");
	guint32 rgb = 0, a = 255;

	if (hex[n] != '\0' || (n != 3 && n != 4 && n != 6 && n != 8))
		return 0;
	for (gsize i = 0; i < 3; i++)
		rgb = rgb << 8 | (guint32)(n <= 4 ? g_ascii_xdigit_value(hex[i]) * 17
				: g_ascii_xdigit_value(hex[2 * i]) * 16 + g_ascii_xdigit_value(hex[2 * i + 1]));
	if (n == 4)
		a = (guint32)g_ascii_xdigit_value(hex[3]) * 17;
	else if (n == 8)
		a = (guint32)(g_ascii_xdigit_value(hex[6]) * 16 + g_ascii_xdigit_value(hex[7]));
	return a / 255.0 < FAINT ? 1 : ES_CSS_INK(rgb);
}

/* number - the number at *P (a percentage of SCALE if one), moving *P past
 * it and its unit; FALSE if there is none */
static gboolean number(const char **p, double scale, double *x, char *unit)
{
	char *end;

	while (g_ascii_isspace(**p) || **p == ',')
		(*p)++;
	*x = g_ascii_strtod(*p, &end);
	if (end == *p)
		return FALSE;
	*unit = *end;
	if (*end == '%')
		*x = *x * scale / 100;
	for (*p = end; g_ascii_isalpha(**p) || **p == '%'; (*p)++)
		;
	return TRUE;
}

/* channel - a colour channel X of 0 to 255, clamped */
static guint32 channel(double x)
{
	return x > 0 ? (guint32)MIN(x + 0.5, 255) : 0;	/* NaN ("nan" is a number to strtod) is 0 */
}

/* hue - a channel of the hsl() colour of hue H (turns), S and L (0 to 1) */
static guint32 hue(double h, double s, double l, double shift)
{
	double t, k, a = s * MIN(l, 1 - l);

	if (!(h > -1e9 && h < 1e9))
		h = 0;	/* too large a turn, or NaN, to convert */
	t = h - (double)(gint64)h;

	k = shift + (t < 0 ? t + 1 : t) * 12;
	k -= k >= 12 ? 12 : 0;
	return channel(255 * (l - a * MAX(-1, MIN(MIN(k - 3, 9 - k), 1))));
}

/* function_color - the colour of "rgb(...)", "rgba(...)", "hsl(...)" or
 * "hsla(...)" at V, commas or spaces between, '/' before alpha; 0 if the
 * function or a part of it is not read */
static int function_color(const char *v)
{
	gboolean hsl = g_str_has_prefix(v, "hsl");
	const char *p = strchr(v, '(');
	double x[4] = { 0, 0, 0, 1 };
	char unit;

	if (!p || !(hsl || g_str_has_prefix(v, "rgb")))
		return 0;
	p++;
	for (int i = 0; i < 4; i++) {
		while (g_ascii_isspace(*p))
			p++;
		if (i == 3 && (*p == ')' || *p == '\0'))
			break;
		if (i == 3 && (*p == '/' || *p == ','))
			p++;
		if (!number(&p, i == 3 ? 1 : hsl ? (i ? 1 : 0) : 255, &x[i], &unit))
			return 0;
		if (hsl && i == 0 && (g_ascii_isalpha(unit) && strncmp(p - 3, "deg", 3) != 0))
			return 0;	/* turns, radians: rare, not worth reading */
		if (hsl && i > 0 && i < 3 && unit != '%')
			x[i] /= 100;
	}
	if (x[3] < FAINT)
		return 1;
	if (x[3] < 1)
		return 0;	/* part of what is behind shows through: not known */
	if (hsl)
		return ES_CSS_INK(hue(x[0] / 360, x[1], x[2], 0) << 16 | hue(x[0] / 360, x[1], x[2], 8) << 8 |
				  hue(x[0] / 360, x[1], x[2], 4));
	return ES_CSS_INK(channel(x[0]) << 16 | channel(x[1]) << 8 | channel(x[2]));
}

/* es_css_color - see html_css.h */
int es_css_color(const char *v)
{
	gint32 rgb;

	if (es_html_word_in(" inherit unset currentcolor revert revert-layer ", v))
		return -1;
	if (strcmp(v, "transparent") == 0)
		return 1;
	if (v[0] == '#')
		return hex_color(v + 1);
	if ((rgb = named_color(v)) >= 0)
		return ES_CSS_INK(rgb);
	return function_color(v);
}

/* es_html_color - see html_css.h; the HTML standard's rules for parsing a
 * legacy colour value, which make a colour of nearly any text ("ffffff",
 * "#fffffz"). A word that is not a colour's name reads as some colour to
 * a browser; as here that could be the background's, it is none. */
int es_html_color(const char *value)
{
	char *v = g_strstrip(g_ascii_strdown(value, -1)), *s;
	gsize n, third;
	guint32 rgb = 0;
	gint32 named_rgb = named_color(v);
	int says = ES_CSS_INK((guint32)named_rgb);

	if (named_rgb < 0)
		says = !*v || strcmp(v, "transparent") == 0 ? -1 : v[0] == '#' && strlen(v) == 4 ? hex_color(v + 1) : 0;
	if (named_rgb >= 0 || says != 0 || (strspn(v, "abcdefghijklmnopqrstuvwxyz") == strlen(v) && strspn(v, "abcdef") < strlen(v))) {
		g_free(v);
		return says;
	}
	s = v + (v[0] == '#');
	s[MIN(strlen(s), 128)] = '\0';
	for (char *c = s; *c; c++)
		*c = g_ascii_isxdigit(*c) ? *c : '0';
	GString *d = g_string_new(s);

	while (d->len == 0 || d->len % 3)
		g_string_append_c(d, '0');
	third = d->len / 3;
	n = MIN(third, 8);
	gsize skip = third - n;

	while (n > 2 && d->str[skip] == '0' && d->str[third + skip] == '0' && d->str[2 * third + skip] == '0')
		skip++, n--;
	for (gsize i = 0; i < 3; i++) {
		const char *c = d->str + i * third + skip;

		rgb = rgb << 8 | (guint32)(n >= 2 ? g_ascii_xdigit_value(c[0]) * 16 + g_ascii_xdigit_value(c[1])
					   : g_ascii_xdigit_value(c[0]));
	}
	g_string_free(d, TRUE);
	g_free(v);
	return ES_CSS_INK(rgb);
}

/* es_css_same_ink - whether a reader cannot tell colour A from B: each
 * channel within a few steps ("#fefefe" on white) */
gboolean es_css_same_ink(int a, int b)
{
	for (int shift = 0; shift < 24; shift += 8)
		if (ABS(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > INK_NEAR)
			return FALSE;
	return TRUE;
}
