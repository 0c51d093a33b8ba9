/* textnorm_bidi.c - text as shown when it has right-to-left overrides: a
 * pupil writes "\u202ekcuf" and the reader sees "fuck" */
#include "config.h"
#include <string.h>
#include "textnorm.h"

/* put_backwards - append the characters of IN[from, to) (valid UTF-8 or
 * not) to OUT last first, each character's bytes kept in order */
static void put_backwards(GString *out, const char *in, gsize from, gsize to)
{
	while (to > from) {
		gsize s = to - 1;

		/* back to the lead byte, at most three continuation bytes */
		while (s > from && to - s < 4 && ((guchar)in[s] & 0xc0) == 0x80)
			s--;
		g_string_append_len(out, in + s, (gssize)(to - s));
		to = s;
	}
}

/* es_textnorm_as_shown - see textnorm.h */
char *es_textnorm_as_shown(const char *in, gsize len, gsize *out_len)
{
	static const char rlo[] = "\xe2\x80\xae", lro[] = "\xe2\x80\xad", pdf[] = "\xe2\x80\xac";
	GString *out = g_string_sized_new(len);
	gsize i = 0, from = 0;
	gboolean back = FALSE;

	while (i < len) {
		gboolean mark = i + 3 <= len && (memcmp(in + i, rlo, 3) == 0 || memcmp(in + i, lro, 3) == 0 ||
						 memcmp(in + i, pdf, 3) == 0);

		if (!mark && in[i] != '\n' && in[i] != '\r') {
			i++;
			continue;
		}
		/* [from, i) is a stretch shown one way round */
		if (back)
			put_backwards(out, in, from, i);
		else
			g_string_append_len(out, in + from, (gssize)(i - from));
		back = mark && memcmp(in + i, rlo, 3) == 0;
		if (!mark)
			g_string_append_c(out, in[i]);
		i += mark ? 3 : 1;
		from = i;
	}
	if (back)
		put_backwards(out, in, from, len);
	else
		g_string_append_len(out, in + from, (gssize)(len - from));
	*out_len = out->len;
	return g_string_free(out, FALSE);
}
