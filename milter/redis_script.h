/* redis_script.h - the reputation Lua scripts run by EVALSHA/EVAL */
#ifndef ES_REDIS_SCRIPT_H
#define ES_REDIS_SCRIPT_H

extern const char es_redis_script[];		/* read and update one sender, per message */
extern const char es_redis_lookup_script[];	/* read many senders, changing nothing */
extern const char es_redis_tempfail_script[];	/* note a tempfailed message, not to count it twice */
extern const char es_redis_forget_script[];	/* forget the pupils a refused message contacted */

#endif
