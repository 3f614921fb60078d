#include "zip_functions.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* libzip's soname since libzip 1.0 (2015); Debian 12's libzip4. */
#define LIBZIP_SONAME "libzip.so.4"

/* Set once under pthread_once, read only after: safe in threads. */
static zip_functions functions;
static const zip_functions *loaded;
static char failure[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* dlsym's void * to a function pointer: POSIX allows it, ISO C does not
 * say, so through memcpy as dlsym's manual page suggests. */
static int take(void *lib, const char *name, void *slot, size_t size)
{
    void *symbol = dlsym(lib, name);
    if (symbol)
        memcpy(slot, &symbol, size);
    return symbol != NULL;
}

#define TAKE(lib, field) take(lib, "zip_" #field, &functions.field, sizeof functions.field)

static void load(void)
{
    void *lib = dlopen(LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(failure, sizeof failure, "%s", e ? e : LIBZIP_SONAME " not found");
        return;
    }
    int all = TAKE(lib, source_buffer_create) & TAKE(lib, source_free) & TAKE(lib, open_from_source) &
              TAKE(lib, discard) & TAKE(lib, error_init) & TAKE(lib, error_fini) &
              TAKE(lib, error_strerror) & TAKE(lib, strerror) & TAKE(lib, name_locate) &
              TAKE(lib, stat_index) & TAKE(lib, fopen_index) & TAKE(lib, fread) & TAKE(lib, fclose);
    if (all)
        loaded = &functions; /* the library stays loaded for the process */
    else {
        snprintf(failure, sizeof failure, "%s lacks a function gen uses", LIBZIP_SONAME);
        dlclose(lib);
    }
}

const zip_functions *zip_functions_get(const char **why)
{
    pthread_once(&once, load);
    if (!loaded && why)
        *why = failure;
    return loaded;
}
