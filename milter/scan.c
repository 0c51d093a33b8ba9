/* scan.c - the state of one message in the pipeline and its small helpers */
#include "config.h"
#include <string.h>
#include "scan.h"
#include "log.h"

static const char *const direction_names[] = { "inbound", "outbound", "internal", "external" };

const char *es_direction_name(es_direction d)
{
	return (unsigned)d < G_N_ELEMENTS(direction_names) ? direction_names[d] : "inbound";
}

/* text_free, attachment_free, finding_free - element destructors */
static void text_free(gpointer p)
{
	es_text *t = p;

	g_free(t->part);
	g_free(t->label);
	g_free(t->text);
	g_free(t);
}

static void attachment_free(gpointer p)
{
	es_attachment *a = p;

	g_free(a->part);
	g_free(a->filename);
	g_free(a->content_type);
	g_free(a->charset);
	if (a->data)
		g_bytes_unref(a->data);
	g_free(a);
}

static void finding_free(gpointer p)
{
	es_finding *f = p;

	g_free(f->detector);
	g_free(f->category);
	g_free(f->type);
	g_free(f->part);
	g_free(f->rule);
	g_free(f->excerpt);
	g_free(f);
}

/* es_scan_new - an empty scan with the limits of CONF */
es_scan *es_scan_new(const es_conf *conf, const char *qid)
{
	es_scan *s = g_new0(es_scan, 1);

	s->conf = es_conf_ref((es_conf *)conf);
	s->qid = g_strdup(qid ? qid : "NOQUEUE");
	s->sender = g_strdup("");
	s->rcpts = g_ptr_array_new_with_free_func(g_free);
	s->texts = g_ptr_array_new_with_free_func(text_free);
	s->attachments = g_ptr_array_new_with_free_func(attachment_free);
	s->findings = g_ptr_array_new_with_free_func(finding_free);
	s->errors = g_ptr_array_new_with_free_func(g_free);
	s->inputs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	s->limits.max_depth = es_conf_int(conf, "limits", "max_depth");
	s->limits.max_parts = es_conf_int(conf, "limits", "max_parts");
	s->limits.max_extracted = es_conf_int(conf, "limits", "max_extracted");
	s->limits.max_ratio = es_conf_int(conf, "limits", "max_ratio");
	s->limits.max_text = es_conf_int(conf, "limits", "max_text");
	s->limits.deadline_us = g_get_monotonic_time() + es_conf_int(conf, "limits", "scan_time") * 1000;
	return s;
}

/* es_scan_free - free everything; NULL is fine */
void es_scan_free(es_scan *s)
{
	if (!s)
		return;
	g_free(s->sender);
	g_ptr_array_unref(s->rcpts);
	g_free(s->auth_user);
	g_free(s->client_addr);
	if (s->mime)
		g_object_unref(s->mime);
	g_free(s->message_id);
	g_free(s->subject);
	g_ptr_array_unref(s->texts);
	g_ptr_array_unref(s->attachments);
	if (s->raw)
		g_bytes_unref(s->raw);
	g_ptr_array_unref(s->findings);
	g_ptr_array_unref(s->errors);
	g_free(s->virus);
	g_free(s->new_contacts);
	g_hash_table_unref(s->inputs);
	if (s->notices)
		g_hash_table_unref(s->notices);
	es_conf_unref((es_conf *)s->conf);
	g_free((char *)s->qid);
	g_free(s);
}

/* mask_numbers - in place: every run of 5 or more digits (single spaces,
 * dashes or dots between them allowed) keeps only its last two digits, and
 * an e-mail address keeps only the first letter of its local part. Language
 * excerpts quote the pupil's own words, which may carry a phone number or
 * an identifier; the personal-data detector redacts its own. */
static void mask_numbers(char *t)
{
	for (char *p = t; *p;) {
		char *q = p;
		int digits = 0;

		while (*q && (g_ascii_isdigit(*q) || ((*q == ' ' || *q == '-' || *q == '.') && q > p &&
							g_ascii_isdigit(q[-1]) && g_ascii_isdigit(q[1]))))
			digits += g_ascii_isdigit(*q++) ? 1 : 0;
		if (digits >= 5)
			for (char *r = p; r < q && digits > 2; r++)
				if (g_ascii_isdigit(*r))
					*r = '*', digits--;
		p = q > p ? q : p + 1;
	}
	for (char *at = strchr(t, '@'); at; at = strchr(at + 1, '@')) {
		char *b = at;

		while (b > t && (g_ascii_isalnum(b[-1]) || strchr("._%+-", b[-1])))
			b--;
		for (char *r = b + 1; r < at; r++)
			*r = '*';
	}
}

/* es_scan_add_finding - record one finding (strings copied) */
es_finding *es_scan_add_finding(es_scan *s, const char *detector, const char *category,
				int severity, const char *part, const char *rule, const char *excerpt)
{
	es_finding *f = g_new0(es_finding, 1);

	f->detector = g_strdup(detector);
	f->category = g_strdup(category);
	f->severity = CLAMP(severity, 1, 5);
	f->part = g_strdup(part ? part : "");
	f->rule = g_strdup(rule ? rule : "");
	f->excerpt = g_strdup(excerpt ? excerpt : "");
	if (strcmp(detector, "language") == 0)
		mask_numbers(f->excerpt);
	g_ptr_array_add(s->findings, f);
	return f;
}

/* es_scan_error - remember and log what could not be done */
void es_scan_error(es_scan *s, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	es_log(LOG_WARNING, s->qid, "%s", msg);
	g_ptr_array_add(s->errors, msg);
}

/* es_scan_add_text - copy TEXT in as valid UTF-8 */
es_text *es_scan_add_text(es_scan *s, const char *part, const char *label,
			  const char *text, gssize len, gboolean attachment)
{
	es_text *t = g_new0(es_text, 1);

	if (len < 0)
		len = (gssize)strlen(text);
	t->part = g_strdup(part);
	t->label = g_strdup(label ? label : part);
	/* detectors rely on valid UTF-8 with no NUL inside: NULs become spaces
	 * (so nothing after one goes unscanned), bad bytes become U+FFFD */
	char *copy = g_malloc((gsize)len + 1);

	memcpy(copy, text, (gsize)len);
	copy[len] = '\0';
	for (gssize i = 0; i < len; i++)
		if (copy[i] == '\0')
			copy[i] = ' ';
	t->text = g_utf8_make_valid(copy, len);
	t->len = strlen(t->text);
	g_free(copy);
	t->attachment = attachment;
	g_ptr_array_add(s->texts, t);
	return t;
}

/* es_scan_add_attachment - record an attachment; takes a reference on DATA */
es_attachment *es_scan_add_attachment(es_scan *s, const char *part, const char *filename,
				      const char *content_type, GBytes *data, guint depth)
{
	es_attachment *a = g_new0(es_attachment, 1);

	a->part = g_strdup(part);
	a->filename = g_strdup(filename);
	a->content_type = g_ascii_strdown(content_type ? content_type : "application/octet-stream", -1);
	a->data = data ? g_bytes_ref(data) : g_bytes_new(NULL, 0);
	a->depth = depth;
	g_ptr_array_add(s->attachments, a);
	return a;
}

gboolean es_scan_out_of_time(const es_scan *s)
{
	return g_get_monotonic_time() > s->limits.deadline_us;
}

void es_scan_set_input(es_scan *s, const char *name, const char *value)
{
	g_hash_table_replace(s->inputs, g_strdup(name), g_strdup(value));
}

/* es_scan_max_severity - 0 if no finding of CATEGORY */
int es_scan_max_severity(const es_scan *s, const char *category)
{
	int max = 0;

	for (guint i = 0; i < s->findings->len; i++) {
		const es_finding *f = g_ptr_array_index(s->findings, i);

		if ((!category || strcmp(f->category, category) == 0) && f->severity > max)
			max = f->severity;
	}
	return max;
}
