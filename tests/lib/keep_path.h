/* keep_path.h - file names a test builds stay reachable until exit, so
 * LeakSanitizer does not report them and the test code stays short */
#ifndef ES_KEEP_PATH_H
#define ES_KEEP_PATH_H

#include <glib.h>

static GPtrArray *kept_paths;

/* keep_path - remember P (g_free'd at exit); returns it */
__attribute__((unused))
static char *keep_path(char *p)
{
	if (!kept_paths)
		kept_paths = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(kept_paths, p);
	return p;
}

#endif
