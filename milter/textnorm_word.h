/* textnorm_word.h - how the normaliser writes a word that is more than
 * letters: leetspeak, masked letters, punctuation that joins or splits,
 * runs of single letters, addresses and postcodes, upside-down text.
 * Included by textnorm.c alone, as static functions, where they stood when
 * they were part of it: as a file of its own, or included at the top, the
 * language detector was 3% slower on prose with the same code (where the
 * hot loops fall; language-bench.sh, measured side by side) */
#ifndef ES_TEXTNORM_WORD_H
#define ES_TEXTNORM_WORD_H

#include <string.h>
#include "textnorm_priv.h"

/* number_with_unit - "45s", "3rd", "10pm": digits then a short unit, not leetspeak */
static gboolean number_with_unit(const atom *a, gsize n)
{
	static const char *const units[] = { "s", "st", "nd", "rd", "th", "am", "pm", "k", "m",
		"p", "x", "g", "kg", "km", "cm", "mm", "ml", "mb", "gb", "kb", "hz", "v", "w",
		"yo", "yr", "yrs", "hr", "hrs", "min", "d", "h", "l", "lb", "lbs", "ft", "mph", NULL };
	char suffix[4];
	gsize i = 0, k;

	while (i < n && a[i].cls == C_D)
		i++;
	if (i == 0 || n - i > 3)
		return FALSE;
	for (k = 0; i + k < n; k++) {
		if (a[i + k].cls != C_L)
			return FALSE;
		suffix[k] = a[i + k].c;
	}
	suffix[k] = '\0';
	for (k = 0; units[k]; k++)
		if (strcmp(units[k], suffix) == 0)
			return TRUE;
	return FALSE;
}

/* leet_char - what leetspeak symbol I of word A[0..N) stands for; 0: punctuation */
static char leet_char(const atom *a, gsize n, gsize i)
{
	gboolean interior = i > 0 && i + 1 < n && a[i + 1].cls != C_P && a[i + 1].c != a[i].c;

	switch (a[i].c) {
	case '0': return 'o';
	case '3': return 'e';
	case '4': return 'a';
	case '5': return 's';
	case '6': return 'g';	/* "ni66a": a 6 is drawn like a G */
	case '8': return 'b';
	case '9': return 'g';
	case '$': return 's';
	case '@': return (i == 0 && i + 1 < n && (a[1].cls == C_L || a[1].cls == C_D)) ? 0 : 'a';
	case '!': return interior ? 'i' : 0;
	case '+': return interior ? 't' : 0;
	case '|': return interior ? ES_TN_LEET_1 : 0;
	case '1': return ES_TN_LEET_1;
	case '7': return ES_TN_LEET_7;
	case '(': return (i + 1 < n && a[i + 1].c == ')') ? 'o' : 0;
	default: return a[i].cls == C_D ? a[i].c : 0;
	}
}

/* map_word - decide what each character of word A[0..N) becomes */
static void map_word(scratch *sc, const atom *a, gsize n)
{
	gboolean letters = FALSE, leet, mask_sep = n >= 5 && n % 2 == 1;
	gsize num_end = 0, num_prev = 0;	/* ends of this and the last number piece */

	for (gsize i = 0; i < n && !letters; i++)
		letters = a[i].cls == C_L;
	leet = (sc->flags & ES_TN_LEET) && letters && !number_with_unit(a, n);
	/* "f*u*c*k", "f|u|c|k", "f+u+c+k": three or more single characters
	 * with a '*' or '#', or the same leetspeak symbol, between each: these
	 * separate letters rather than hide them or stand for one */
	for (gsize i = 0; mask_sep && i < n; i++)
		mask_sep = i % 2 ? a[i].cls == C_M || (a[i].cls == C_S && a[i].c == a[1].c)
				 : a[i].cls != C_M && a[i].cls != C_P && a[i].c != a[1].c;
	mask_sep = mask_sep && leet;
	for (gsize i = 0; i < n; i++) {
		char c = a[i].c;
		guint8 kind = 1;

		/* A piece between punctuation that is two or more digits (after
		 * a '$' at most) is a number even in a word with letters:
		 * "2024-04-20,widget-455,$455.00" has no "ass" in it. */
		if (leet && i >= num_end && (i == 0 || a[i - 1].cls == C_P)) {
			gsize j = i + (a[i].c == '$');

			while (j < n && a[j].cls == C_D)
				j++;
			if (j - i - (a[i].c == '$') >= 2 && (j == n || a[j].cls == C_P))
				num_prev = num_end, num_end = j;
		}
		/* A point or comma between two numbers belongs to them ("14.88",
		 * "1,488"): written as '.', a price is one word, never the two
		 * words of "14 88". '/' and '-' still split: "14/88" is how
		 * that code is written. */
		if (i >= 2 && a[i].cls == C_D && (a[i - 1].c == '.' || a[i - 1].c == ',') &&
		    a[i - 2].cls == C_D && (!leet || (i < num_end && num_prev == i - 1))) {
			sc->mch[i - 1] = '.';
			sc->mkind[i - 1] = 1;
		}
		if (i < num_end) {
			sc->mch[i] = c == '$' ? 0 : c;
			sc->mkind[i] = c != '$';
			continue;
		}
		if (a[i].cls == C_S || (a[i].cls == C_D && leet)) {
			c = leet && !(mask_sep && i % 2) ? leet_char(a, n, i) : 0;
			if (c == 'o' && a[i].c == '(') {
				sc->mch[i] = c;
				sc->mkind[i++] = 1;
				sc->mkind[i] = 2;	/* the ')' */
				continue;
			}
			kind = c ? 1 : 0;
		} else if (a[i].cls == C_M) {
			kind = leet && !mask_sep && i > 0 && (a[i].c == '*' || i + 1 < n);
			c = '*';
		} else if (a[i].cls == C_P) {
			kind = 0;
		}
		sc->mch[i] = c;
		sc->mkind[i] = kind;
	}
}

/* common_word - W, a piece of a word, is a common short word of its own */
static gboolean common_word(const char *w)
{
	static const char *const words[] = { "a", "i", "am", "an", "as", "at", "be", "by", "do", "go",
		"he", "if", "in", "is", "it", "me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to",
		"up", "us", "we", "all", "and", "are", "but", "can", "day", "end", "for", "get", "got",
		"had", "has", "her", "his", "how", "let", "may", "new", "not", "now", "old", "one", "our",
		"out", "say", "see", "she", "the", "too", "two", "was", "way", "who", "why", "yes", "you",
		NULL };

	for (gsize i = 0; words[i]; i++)
		if (strcmp(words[i], w) == 0)
			return TRUE;
	return FALSE;
}

/* punct_mask - a short word of two pieces of letters (the first of one or
 * two, five letters at most) with one to three dots, dashes or the like
 * between them ("c.nt", "wh.re", "sl--t", "w.nker", "c~nt") hides letters
 * there: where they start, into *FROM, and how many, or 0 for anything
 * else. Not a comma, colon or semicolon ("Yes,it is" is a missing space,
 * not "s*it"); not two words of their own ("is.it", "be.end", "a.at": a
 * missing space too); not a first piece of three letters ("bus.it"), nor
 * apostrophes ("don't"), slashes ("he/she"), longer words ("fat-ass",
 * whose pieces stay words) or two single letters ("e.g") */
static gsize punct_mask(const scratch *sc, const atom *a, gsize n, gsize *from)
{
	gsize i = 0, p0, p1, q, s0, s1;
	char w0[3], w1[6];

	while (i < n && sc->mkind[i] != 1)
		i++;
	for (s0 = p0 = i; i < n && sc->mkind[i] == 1 && g_ascii_islower(sc->mch[i]); i++)
		;
	p0 = i - p0;
	for (*from = q = i; i < n && sc->mkind[i] == 0 && strchr(".-_~^=", a[i].c); i++)
		;
	q = i - q;
	for (s1 = p1 = i; i < n && sc->mkind[i] == 1 && g_ascii_islower(sc->mch[i]); i++)
		;
	p1 = i - p1;
	while (i < n && sc->mkind[i] != 1)
		i++;
	if (i < n || q == 0 || q > 3 || p0 == 0 || p0 > 2 || p1 == 0 || p0 + p1 < 3 || p0 + p1 > 5)
		return 0;
	memcpy(w0, sc->mch + s0, p0);
	w0[p0] = '\0';
	memcpy(w1, sc->mch + s1, p1);
	w1[p1] = '\0';
	return common_word(w0) && common_word(w1) ? 0 : q;
}

/* emit_word - write word A[0..N): punctuation between single letters joins
 * ("f.u.c.k"), between longer pieces it separates ("end.Then"), and in a
 * short word of two pieces it masks letters ("c.nt", punct_mask) */
static void emit_word(es_textnorm *tn, scratch *sc, const atom *a, gsize n)
{
	gsize pieces = 0, cur = 0;
	gboolean single = FALSE, join;

	if (n > sc->amapped) {
		sc->amapped = MAX(n, sc->amapped * 2);
		sc->mch = g_realloc(sc->mch, sc->amapped);
		sc->mkind = g_realloc(sc->mkind, sc->amapped);
	}
	map_word(sc, a, n);
	/* possessive 's: "As's" is "as", not "ass" */
	if (n >= 3 && a[n - 1].c == 's' && a[n - 2].cls == C_P && (a[n - 2].c == '\'' || a[n - 2].c == ' ') &&
	    sc->mkind[n - 3] == 1)
		sc->mkind[n - 2] = sc->mkind[n - 1] = 2;
	for (gsize i = 0; i <= n; i++) {
		if (i < n && sc->mkind[i] == 1) {
			cur++;
		} else if (i == n || sc->mkind[i] == 0) {
			if (cur > 0) {
				pieces++;
				single |= cur == 1;
			}
			cur = 0;
		}
	}
	join = pieces >= 2 && single;
	if (pieces == 2 && (sc->flags & ES_TN_LEET)) {
		gsize from, q = punct_mask(sc, a, n, &from);

		for (gsize i = from; i < from + q; i++)
			sc->mch[i] = '*', sc->mkind[i] = 1;
	}
	sc->sep = TRUE;
	for (gsize i = 0; i < n; i++) {
		if (sc->mkind[i] == 1)
			out_char(tn, sc, sc->mch[i], a[i].off);
		else if (sc->mkind[i] == 0 && !join)
			sc->sep = TRUE;
	}
}

/* flush_run - write the single characters waiting in the run: one word if
 * there are 3 or more with 2 letters ("f u c k"), else each on its own */
static void flush_run(es_textnorm *tn, scratch *sc)
{
	if (sc->nrun >= 3 && sc->nrun_letters >= 2) {
		emit_word(tn, sc, sc->run, sc->nrun);
	} else {
		for (gsize i = 0; i < sc->nrun; i++) {
			if (sc->run[i].cls == C_L) {	/* "a", "I": what emit_word would write */
				sc->sep = TRUE;
				out_char(tn, sc, sc->run[i].c, sc->run[i].off);
			} else {
				emit_word(tn, sc, &sc->run[i], 1);
			}
		}
	}
	sc->nrun = 0;
	sc->nrun_letters = 0;
}

/* is_address - word A[0..N) is a URL, an e-mail address or an @handle */
static gboolean is_address(const atom *a, gsize n)
{
	if (n > 1 && a[0].c == '@' && a[1].cls != C_P && a[1].cls != C_S)
		return TRUE;
	if (n > 4 && a[0].c == 'w' && a[1].c == 'w' && a[2].c == 'w' && a[3].c == '.')
		return TRUE;
	gsize at = 0;

	/* one pass: a "." and a letter anywhere after the first "@" and a
	 * letter (a loop per "@" made "x@a@a@a..." quadratic) */
	for (gsize i = 1; i + 1 < n; i++) {
		if (i + 2 < n && a[i].c == ':' && a[i + 1].c == '/' && a[i + 2].c == '/')
			return TRUE;
		if (at && i >= at + 2 && a[i].c == '.' && a[i + 1].cls == C_L)
			return TRUE;
		if (!at && i + 2 < n && a[i].c == '@' && a[i + 1].cls == C_L)
			at = i;
	}
	return FALSE;
}

/* postcode_half - A[0..N) is shaped as the outward half of a UK postcode
 * (A9, A99, A9A, AA9, AA99, AA9A) when OUTWARD, else as the inward (9AA) */
static gboolean postcode_half(const atom *a, gsize n, gboolean outward)
{
	gsize i = 0, letters, digits;

	while (n > 0 && a[n - 1].cls == C_P)	/* "2FU," */
		n--;
	if (!outward)
		return n == 3 && a[0].cls == C_D && a[1].cls == C_L && a[2].cls == C_L;
	for (letters = 0; i < n && a[i].cls == C_L; i++)
		letters++;
	for (digits = 0; i < n && a[i].cls == C_D; i++)
		digits++;
	if (i < n && a[i].cls == C_L && digits == 1)
		i++;
	return i == n && letters >= 1 && letters <= 2 && digits >= 1 && digits <= 2;
}

/* turn_word - read upside-down word A[0..N) right way up: written
 * backwards, with n for u, p for d, b for q and the other way about
 * ("ʞɔnɟ" is "fuck"). Only a word of ASCII once turned letters are read:
 * then no UTF-8 sequence is reversed. */
static G_GNUC_NO_INLINE void turn_word(atom *a, gsize n)
{
	static const char from[] = "nudpbq", to[] = "undpqb";

	for (gsize i = 0; i < n; i++)
		if ((guchar)a[i].c >= 0x80)
			return;
	for (gsize i = 0; i < n / 2; i++) {
		atom t = a[i];

		a[i] = a[n - 1 - i];
		a[n - 1 - i] = t;
	}
	for (gsize i = 0; i < n; i++) {
		const char *p = a[i].cls == C_L ? strchr(from, a[i].c) : NULL;

		if (p && *p)
			a[i].c = to[p - from];
	}
}

#endif
