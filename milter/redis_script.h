/* redis_script.h - the reputation Lua script run by EVALSHA/EVAL */
#ifndef ES_REDIS_SCRIPT_H
#define ES_REDIS_SCRIPT_H

extern const char es_redis_script[];

#endif
