/* rtf.c - the visible text of an RTF document: control words dropped,
 * \par and \row become line breaks and \cell a tab (so tables stay tables),
 * \'hh and \uN decoded. A small bounded reader: no RTF library in Debian
 * does only this, and RTF's text layer is simple. */
#include "config.h"
#include <string.h>
#include "extract_priv.h"

#define MAX_GROUPS 256		/* deeper nesting is read as one level: bounded state */

typedef struct {
	GString *out;
	GString *shown;			/* the same without hidden text (\v) */
	gboolean saw_hidden;
	gboolean skip[MAX_GROUPS];	/* group is a destination we do not show */
	gboolean hidden[MAX_GROUPS];	/* hidden text (\v) is on in the group */
	int depth;
	int uc;				/* characters to skip after \uN */
	int pending_skip;
} rtf_state;

/* skipped_destination - groups that hold no visible text */
static gboolean skipped_destination(const char *w)
{
	static const char *const dests[] = {
		"fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "themedata",
		"colorschememapping", "datastore", "latentstyles", "listtable", "listoverridetable",
		"rsidtbl", "generator", "xmlnstbl", "fldinst", "mmathPr", NULL
	};

	for (int i = 0; dests[i]; i++)
		if (strcmp(w, dests[i]) == 0)
			return TRUE;
	return FALSE;
}

/* put - one character, unless inside a skipped group or after \uN; to the
 * shown text too unless it is hidden */
static void put(rtf_state *st, gunichar c)
{
	int d = MIN(st->depth, MAX_GROUPS - 1);

	if (st->pending_skip > 0) {
		st->pending_skip--;
		return;
	}
	if (st->skip[d])
		return;
	g_string_append_unichar(st->out, c);
	if (st->hidden[d])
		st->saw_hidden = TRUE;
	else
		g_string_append_unichar(st->shown, c);
}

/* control_word - the word W with its numeric argument ARG (HAS_ARG) */
static void control_word(rtf_state *st, const char *w, long arg, gboolean has_arg)
{
	int d = MIN(st->depth, MAX_GROUPS - 1);

	if (skipped_destination(w))
		st->skip[d] = TRUE;
	else if (!strcmp(w, "v"))	/* hidden text: a decoy between letters splits a word only for us */
		st->hidden[d] = !has_arg || arg != 0;
	else if (!strcmp(w, "plain"))	/* character formatting back to the default */
		st->hidden[d] = FALSE;
	else if (!strcmp(w, "par") || !strcmp(w, "line") || !strcmp(w, "row") || !strcmp(w, "sect"))
		put(st, '\n');
	else if (!strcmp(w, "cell") || !strcmp(w, "tab"))
		put(st, '\t');
	else if (!strcmp(w, "uc") && has_arg)
		st->uc = (int)CLAMP(arg, 0, 8);
	else if (!strcmp(w, "u") && has_arg) {
		put(st, (gunichar)(arg < 0 ? arg + 65536 : arg));
		st->pending_skip = st->uc;
	}
}

/* backslash - a control word or symbol starting at P (after the backslash); returns the next position */
static const char *backslash(rtf_state *st, const char *p, const char *end)
{
	char word[32];
	gsize n = 0;
	long arg = 0;
	gboolean has_arg = FALSE, neg = FALSE;

	if (p >= end)
		return p;
	if (*p == '\'' && end - p >= 3 && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2])) {
		put(st, (gunichar)(g_ascii_xdigit_value(p[1]) * 16 + g_ascii_xdigit_value(p[2])));
		return p + 3;
	}
	if (*p == '*') {
		st->skip[MIN(st->depth, MAX_GROUPS - 1)] = TRUE;	/* \* : ignorable destination */
		return p + 1;
	}
	if (!g_ascii_isalpha(*p)) {
		if (*p == '\\' || *p == '{' || *p == '}')
			put(st, (gunichar)*p);
		else if (*p == '~')
			put(st, ' ');
		return p + 1;
	}
	while (p < end && g_ascii_isalpha(*p))
		if (n < sizeof word - 1)
			word[n++] = *p++;
		else
			p++;
	word[n] = '\0';
	if (p < end && *p == '-')
		neg = TRUE, p++;
	while (p < end && g_ascii_isdigit(*p)) {
		has_arg = TRUE;
		arg = arg < 100000000 ? arg * 10 + (*p - '0') : arg;
		p++;
	}
	if (p < end && *p == ' ')
		p++;
	control_word(st, word, neg ? -arg : arg, has_arg);
	return p;
}

/* es_x_rtf - read the whole document once, in linear time */
void es_x_rtf(es_xctx *x, es_attachment *a)
{
	gsize len;
	const char *p = g_bytes_get_data(a->data, &len), *end = p + len;
	rtf_state st = { .out = g_string_new(NULL), .shown = g_string_new(NULL), .uc = 1 };
	gsize max = es_x_text_room(x);

	while (p < end && st.out->len < max) {
		char c = *p++;

		if (c == '{') {
			st.depth++;
			if (st.depth < MAX_GROUPS) {
				st.skip[st.depth] = st.skip[st.depth - 1];
				st.hidden[st.depth] = st.hidden[st.depth - 1];
			}
		} else if (c == '}') {
			st.depth = MAX(st.depth - 1, 0);
		} else if (c == '\\') {
			p = backslash(&st, p, end);
		} else if (c != '\r' && c != '\n') {
			put(&st, (guchar)c);
		}
	}
	es_x_add_text(x, a, st.out->str, st.out->len);
	/* with hidden text, also as a reader sees the document */
	if (st.saw_hidden && es_x_next_ok(x, a))
		es_x_add_text(x, a, st.shown->str, st.shown->len);
	g_string_free(st.shown, TRUE);
	g_string_free(st.out, TRUE);
}
