/* policy.c - read a policy file and decide one verdict per message.
 *
 * A policy is a list of rules, one per line, read top to bottom; the first
 * rule whose conditions all hold decides:
 *     NAME: CONDITION CONDITION ... => ACTION [notice=TEMPLATE] [notify=no]
 * Finding conditions (all must hold for one and the same finding):
 *     detector=a,b  category=a,b  type=a,b  severity>=N  records>=N
 * Message conditions:
 *     role=pupil,staff,external,other   (the sender's role)
 *     direction=inbound,outbound,internal,external
 *     rcpt_role=pupil,...               (some recipient has this role)
 *     encrypted=yes|no                  (some content is encrypted; in a rule
 *                                        with finding conditions, the content
 *                                        that finding came from is)
 *     input.NAME>=N  input.NAME=VALUE   (reputation and other inputs)
 *     any                               (always holds)
 * A rule with no finding condition does not need a finding. */
#include "config.h"
#include <string.h>
#include <stdlib.h>
#include "policy.h"
#include "detectors/pd_scan.h"
#include "log.h"

typedef enum { C_DETECTOR, C_CATEGORY, C_TYPE, C_SEVERITY, C_RECORDS, C_ROLE,
	       C_DIRECTION, C_RCPT_ROLE, C_ENCRYPTED, C_INPUT_GE, C_INPUT_EQ, C_ANY } cond_kind;

typedef struct {
	cond_kind kind;
	char **names;		/* list conditions */
	char *input;		/* input name */
	char *value;		/* input value (C_INPUT_EQ) */
	gint64 num;		/* >= bound, or yes/no */
} cond;

typedef struct {
	char *name;
	GArray *conds;		/* cond */
	es_action action;
	char *notice;
	gboolean silent;	/* notify=no */
	gboolean finding;	/* has finding conditions */
	int line;
} rule;

struct es_policy {
	char *path;
	GPtrArray *rules;	/* rule * */
};

static const struct { const char *name; cond_kind kind; } list_conds[] = {
	{ "detector", C_DETECTOR }, { "category", C_CATEGORY }, { "type", C_TYPE },
	{ "role", C_ROLE }, { "direction", C_DIRECTION }, { "rcpt_role", C_RCPT_ROLE },
};

/* rule_free - free one rule and its conditions */
static void rule_free(gpointer p)
{
	rule *r = p;

	for (guint i = 0; i < r->conds->len; i++) {
		cond *c = &g_array_index(r->conds, cond, i);

		g_strfreev(c->names);
		g_free(c->input);
		g_free(c->value);
	}
	g_array_unref(r->conds);
	g_free(r->name);
	g_free(r->notice);
	g_free(r);
}

void es_policy_free(es_policy *p)
{
	if (!p)
		return;
	g_ptr_array_unref(p->rules);
	g_free(p->path);
	g_free(p);
}

/* parse_bound - "N" after ">=" */
static gboolean parse_bound(const char *s, gint64 *out)
{
	char *end;

	*out = g_ascii_strtoll(s, &end, 10);
	return *s && *end == '\0';
}

/* The names each list condition can take. A typo (role=pupils,
 * category=self-harm) would otherwise make a rule that never matches. */
static const char *const role_names[] = { "pupil", "staff", "external", "other", NULL };
static const char *const direction_names[] = { "inbound", "outbound", "internal", "external", NULL };
static const char *const detector_names[] = { "language", "personal_data", "pupil_data", "virus", "limits", NULL };
static const char *const category_names[] = {
	"profanity", "sexual", "hate", "bullying", "threat", "self_harm", "grooming", "extremism", "drugs",
	"personal_info", "sensitive_data", "pupil_data", "virus", "limits", "rate_limit", "message_size",
	"depth", "parts", "ratio", "extracted_bytes", "time", "text_size", "xml", NULL
};

/* vocabulary - the names condition KIND can take, or NULL for any */
static const char *const *vocabulary(cond_kind kind)
{
	switch (kind) {
	case C_ROLE: case C_RCPT_ROLE: return role_names;
	case C_DIRECTION: return direction_names;
	case C_DETECTOR: return detector_names;
	case C_CATEGORY: return category_names;
	case C_TYPE: return pd_type_names;	/* type= holds for personal-data findings only */
	default: return NULL;
	}
}

/* check_names - every name in C is "*" or one of its vocabulary; else *why */
static gboolean check_names(const char *word, const cond *c, char **why)
{
	const char *const *vocab = vocabulary(c->kind);

	for (char **n = c->names; vocab && *n; n++) {
		gboolean known = strcmp(*n, "*") == 0;

		for (const char *const *v = vocab; !known && *v; v++)
			known = strcmp(*n, *v) == 0;
		if (!known) {
			char *list = g_strjoinv(", ", (char **)vocab);

			*why = g_strdup_printf("'%s': unknown name '%s' (one of: %s)", word, *n, list);
			g_free(list);
			return FALSE;
		}
	}
	return TRUE;
}

/* parse_cond - one condition word; FALSE with *why */
static gboolean parse_cond(const char *word, cond *c, char **why)
{
	const char *ge = strstr(word, ">="), *eq = strchr(word, '=');

	memset(c, 0, sizeof(*c));
	if (strcmp(word, "any") == 0)
		return c->kind = C_ANY, TRUE;
	if (g_str_has_prefix(word, "input.") && (ge || eq)) {
		const char *op = ge ? ge : eq;

		c->kind = ge ? C_INPUT_GE : C_INPUT_EQ;
		c->input = g_strndup(word + 6, (gsize)(op - word - 6));
		c->value = g_strdup(op + (ge ? 2 : 1));
		if (ge && !parse_bound(c->value, &c->num)) {
			g_clear_pointer(&c->input, g_free);
			g_clear_pointer(&c->value, g_free);
			return *why = g_strdup_printf("'%s': a number is needed after >=", word), FALSE;
		}
		return TRUE;
	}
	if (ge) {
		c->kind = g_str_has_prefix(word, "severity>=") ? C_SEVERITY :
			  g_str_has_prefix(word, "records>=") ? C_RECORDS : C_ANY;
		if (c->kind == C_ANY || !parse_bound(ge + 2, &c->num))
			return *why = g_strdup_printf("'%s' is not severity>=N or records>=N", word), FALSE;
		/* past 5 no finding matches: a rule that can never apply */
		if (c->kind == C_SEVERITY && (c->num < 1 || c->num > 5))
			return *why = g_strdup_printf("'%s': severity is 1 to 5", word), FALSE;
		return TRUE;
	}
	if (eq && strncmp(word, "encrypted", (gsize)(eq - word)) == 0 && eq - word == 9) {
		c->kind = C_ENCRYPTED;
		c->num = strcmp(eq + 1, "yes") == 0;
		if (!c->num && strcmp(eq + 1, "no") != 0)
			return *why = g_strdup("encrypted= takes yes or no"), FALSE;
		return TRUE;
	}
	for (guint i = 0; eq && i < G_N_ELEMENTS(list_conds); i++)
		if (strlen(list_conds[i].name) == (gsize)(eq - word) &&
		    strncmp(word, list_conds[i].name, (gsize)(eq - word)) == 0) {
			c->kind = list_conds[i].kind;
			c->names = g_strsplit(eq + 1, ",", -1);
			if (check_names(word, c, why))
				return TRUE;
			g_clear_pointer(&c->names, g_strfreev);
			return FALSE;
		}
	return *why = g_strdup_printf("unknown condition '%s'", word), FALSE;
}

/* notice_name_ok - NAME can be a template's name (notice=NAME) */
static gboolean notice_name_ok(const char *name)
{
	if (!*name)
		return FALSE;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
			return FALSE;
	return TRUE;
}

/* parse_rule - "NAME: CONDS => ACTION [notice=T]" */
static rule *parse_rule(const char *line, int lineno, char **why)
{
	const char *colon = strchr(line, ':'), *arrow = strstr(line, "=>");
	rule *r;
	char **conds, **rhs, *tmp;
	int action;

	if (!colon || !arrow || colon > arrow) {
		*why = g_strdup("a rule is 'NAME: CONDITIONS => ACTION [notice=TEMPLATE]'");
		return NULL;
	}
	r = g_new0(rule, 1);
	r->conds = g_array_new(FALSE, TRUE, sizeof(cond));
	r->line = lineno;
	r->name = g_strstrip(g_strndup(line, (gsize)(colon - line)));
	tmp = g_strndup(colon + 1, (gsize)(arrow - colon - 1));
	conds = g_strsplit_set(g_strstrip(tmp), " \t", -1);
	g_free(tmp);
	for (char **w = conds; *w && !*why; w++) {
		cond c;

		if (!**w)
			continue;
		if (parse_cond(*w, &c, why)) {
			r->finding |= c.kind <= C_RECORDS;
			g_array_append_val(r->conds, c);
		}
	}
	tmp = g_strdup(arrow + 2);
	rhs = g_strsplit_set(g_strstrip(tmp), " \t", -1);
	g_free(tmp);
	if (!*why && (action = es_action_parse(rhs[0])) < 0)
		*why = g_strdup_printf("'%s' is not an action (accept, copy, hold, reject, tempfail)", rhs[0]);
	else if (!*why) {
		r->action = (es_action)action;
		for (char **w = rhs + 1; *w && !*why; w++)
			if (g_str_has_prefix(*w, "notice=")) {
				/* a template's name is part of a file name: NAME.AUDIENCE.txt */
				if (!notice_name_ok(*w + 7))
					*why = g_strdup_printf("'%s': a template name is letters, digits, '_' and '-'", *w);
				else if (r->notice)
					*why = g_strdup("notice= is given twice");
				else if (r->action == ES_ACTION_ACCEPT || r->action == ES_ACTION_COPY)
					/* the sender of mail that goes through is told
					 * nothing: a notice there would be a silent no-op */
					*why = g_strdup_printf("notice= does nothing on %s: a notice goes with reject,"
							       " tempfail or hold", rhs[0]);
				else
					r->notice = g_strdup(*w + 7);
			} else if (strcmp(*w, "notify=no") == 0 || strcmp(*w, "notify=yes") == 0)
				r->silent = strcmp(*w, "notify=no") == 0;
			else if (**w)
				*why = g_strdup_printf("unexpected '%s' after the action", *w);
	}
	g_strfreev(conds);
	g_strfreev(rhs);
	if (!*r->name && !*why)
		*why = g_strdup("the rule has no name");
	if (*why) {
		rule_free(r);
		return NULL;
	}
	return r;
}

/* es_policy_load - parse PATH; errors name the file and line */
es_policy *es_policy_load(const char *path, GError **err)
{
	char *text = NULL, **lines;
	es_policy *p;
	GError *e = NULL;

	if (!g_file_get_contents(path, &text, NULL, &e)) {
		g_set_error(err, G_FILE_ERROR, e->code, "%s: cannot read policy: %s", path, e->message);
		g_error_free(e);
		return NULL;
	}
	p = g_new0(es_policy, 1);
	p->path = g_strdup(path);
	p->rules = g_ptr_array_new_with_free_func(rule_free);
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		char *l = g_strstrip(lines[i]), *why = NULL;
		rule *r;

		if (!*l || *l == '#')
			continue;
		if ((r = parse_rule(l, i + 1, &why))) {
			/* the name is the reason in logs and the UI: it must say which rule */
			for (guint j = 0; j < p->rules->len && !why; j++) {
				const rule *o = g_ptr_array_index(p->rules, j);

				if (strcmp(o->name, r->name) == 0)
					why = g_strdup_printf("rule name '%s' is used on line %d too", r->name, o->line);
			}
			if (why)
				g_clear_pointer(&r, rule_free);
		}
		if (!r) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d: %s", path, i + 1, why);
			g_free(why);
			es_policy_free(p);
			p = NULL;
			break;
		}
		g_ptr_array_add(p->rules, r);
	}
	g_strfreev(lines);
	g_free(text);
	return p;
}

/* es_policy_category_known - see policy.h */
gboolean es_policy_category_known(const char *name)
{
	return g_strv_contains(category_names, name);
}

/* es_policy_check_inputs - see policy.h */
gboolean es_policy_check_inputs(const es_policy *p, gboolean (*known)(const char *name, void *data),
				void *data, GError **err)
{
	for (guint i = 0; i < p->rules->len; i++) {
		const rule *r = g_ptr_array_index(p->rules, i);

		for (guint j = 0; j < r->conds->len; j++) {
			const cond *c = &g_array_index(r->conds, cond, j);

			if ((c->kind == C_INPUT_GE || c->kind == C_INPUT_EQ) && !known(c->input, data)) {
				g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d: input.%s: no such input",
					    p->path, r->line, c->input);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/* es_policy_check_notices - see policy.h */
gboolean es_policy_check_notices(const es_policy *p, gboolean (*exists)(const char *name, void *data),
				 void *data, GError **err)
{
	for (guint i = 0; i < p->rules->len; i++) {
		const rule *r = g_ptr_array_index(p->rules, i);

		if (r->notice && !exists(r->notice, data)) {
			g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT,
				    "%s:%d: notice=%s: no template %s.AUDIENCE.txt",
				    p->path, r->line, r->notice, r->notice);
			return FALSE;
		}
	}
	return TRUE;
}

/* in_list - NAME is one of NAMES ("*" matches all) */
static gboolean in_list(char **names, const char *name)
{
	for (char **n = names; name && *n; n++)
		if (strcmp(*n, "*") == 0 || strcmp(*n, name) == 0)
			return TRUE;
	return FALSE;
}

/* in_encrypted_part - finding F came from an encrypted attachment or from
 * something inside one (a part path is its attachment's path, then "/N") */
static gboolean in_encrypted_part(const es_scan *s, const es_finding *f)
{
	for (guint i = 0; f->part && i < s->attachments->len; i++) {
		const es_attachment *a = g_ptr_array_index(s->attachments, i);
		gsize n = strlen(a->part);

		if (a->encrypted && strncmp(f->part, a->part, n) == 0 && (f->part[n] == '\0' || f->part[n] == '/'))
			return TRUE;
	}
	return FALSE;
}

/* finding_holds - C holds for finding F of S (message conditions always
 * hold here). encrypted= is asked of the finding's own part: a plain pupil
 * list is not made safe by an encrypted file, or a PGP block, beside it. */
static gboolean finding_holds(const cond *c, const es_scan *s, const es_finding *f)
{
	switch (c->kind) {
	case C_ENCRYPTED: return in_encrypted_part(s, f) == (c->num != 0);
	case C_DETECTOR: return in_list(c->names, f->detector);
	case C_CATEGORY: return in_list(c->names, f->category);
	case C_TYPE: return in_list(c->names, f->type);
	case C_SEVERITY: return f->severity >= c->num;
	case C_RECORDS: return f->records >= c->num;
	default: return TRUE;
	}
}

/* some_rcpt_has_role - a recipient has one of the roles in its own school
 * (a pupil of a second school on the message counts as a pupil) */
static gboolean some_rcpt_has_role(const es_scan *s, char **roles)
{
	for (guint i = 0; i < s->rcpts->len; i++)
		if (in_list(roles, es_role_name(es_rcpt_role(s->conf, g_ptr_array_index(s->rcpts, i)))))
			return TRUE;
	return FALSE;
}

/* message_holds - C holds for the message as a whole (finding conditions
 * always hold here, and so does encrypted= in a rule that has them) */
static gboolean message_holds(const rule *r, const cond *c, const es_scan *s)
{
	const char *in;

	switch (c->kind) {
	case C_ROLE: return in_list(c->names, es_role_name(s->sender_role));
	case C_DIRECTION: return in_list(c->names, es_direction_name(s->direction));
	case C_RCPT_ROLE: return some_rcpt_has_role(s, c->names);
	case C_ENCRYPTED: return r->finding || (s->encrypted != 0) == (c->num != 0);
	case C_INPUT_GE:
		in = g_hash_table_lookup(s->inputs, c->input);
		return in && g_ascii_strtoll(in, NULL, 10) >= c->num;
	case C_INPUT_EQ:
		in = g_hash_table_lookup(s->inputs, c->input);
		return in && strcmp(in, c->value) == 0;
	default: return TRUE;
	}
}

/* rule_matches - all conditions hold; MATCHED gets the categories of the findings that did */
static gboolean rule_matches(const rule *r, const es_scan *s, GString *matched)
{
	gboolean any = FALSE;

	for (guint i = 0; i < r->conds->len; i++)
		if (!message_holds(r, &g_array_index(r->conds, cond, i), s))
			return FALSE;
	if (!r->finding)
		return TRUE;
	for (guint j = 0; j < s->findings->len; j++) {
		const es_finding *f = g_ptr_array_index(s->findings, j);
		gboolean all = TRUE;

		for (guint i = 0; all && i < r->conds->len; i++)
			all = finding_holds(&g_array_index(r->conds, cond, i), s, f);
		if (!all)
			continue;
		any = TRUE;
		if (!strstr(matched->str, f->category)) {
			if (matched->len)
				g_string_append_c(matched, ',');
			g_string_append(matched, f->category);
		}
	}
	return any;
}

void es_verdict_clear(es_verdict *v)
{
	g_free(v->rule);
	g_free(v->notice);
	g_free(v->categories);
	memset(v, 0, sizeof(*v));
}

/* es_policy_decide - the first matching rule decides; none matching is accept */
void es_policy_decide(const es_policy *p, const es_scan *s, es_verdict *v)
{
	GString *matched = g_string_new(NULL);

	es_verdict_clear(v);
	for (guint i = 0; p && i < p->rules->len; i++) {
		const rule *r = g_ptr_array_index(p->rules, i);

		g_string_truncate(matched, 0);
		if (rule_matches(r, s, matched)) {
			v->action = r->action;
			v->rule = g_strdup(r->name);
			v->notice = g_strdup(r->notice);
			v->silent = r->silent;
			v->categories = g_string_free(matched, FALSE);
			return;
		}
	}
	v->action = ES_ACTION_ACCEPT;
	v->rule = g_strdup("default");
	v->categories = g_string_free(matched, FALSE);
}
