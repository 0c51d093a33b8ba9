/* policy.h - from findings, role, direction and reputation to one verdict,
 * by the school's policy file (rules/policies/NAME.policy): first rule that
 * matches wins, and its name is the reason shown everywhere. */
#ifndef ES_POLICY_H
#define ES_POLICY_H

#include <glib.h>
#include "conf.h"
#include "scan.h"

typedef struct {
	es_action action;
	char *rule;		/* name of the policy rule that fired ("default" if none) */
	char *notice;		/* template name for the refusal/hold notice, or NULL */
	char *categories;	/* comma-separated categories that led to it, or "" */
	gboolean silent;	/* the rule said notify=no: the sender is not told of a hold */
} es_verdict;

void es_verdict_clear(es_verdict *v);

typedef struct es_policy es_policy;

/* es_policy_load - parse a policy file; NULL and *err naming file and line */
es_policy *es_policy_load(const char *path, GError **err);
void es_policy_free(es_policy *p);
/* es_policy_category_known - NAME is a finding category a rule may name */
gboolean es_policy_category_known(const char *name);
/* es_policy_check_inputs - every input.NAME in P passes KNOWN(NAME, DATA);
 * else FALSE and *err naming the file, line and input */
gboolean es_policy_check_inputs(const es_policy *p, gboolean (*known)(const char *name, void *data),
				void *data, GError **err);
/* es_policy_check_notices - every notice=NAME in P passes EXISTS(NAME, DATA);
 * else FALSE and *err naming the file, line and template */
gboolean es_policy_check_notices(const es_policy *p, gboolean (*exists)(const char *name, void *data),
				 void *data, GError **err);
/* es_policy_decide - fill V for S (findings, role, direction, inputs) */
void es_policy_decide(const es_policy *p, const es_scan *s, es_verdict *v);

#endif
