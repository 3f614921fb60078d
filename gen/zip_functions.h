/* libzip, loaded the first time a workbook is read (dlopen) rather than
 * linked.  Debian's libzip links OpenSSL's libcrypto, whose loading and
 * relocation cost every gen process 2 MB resident before it does
 * anything (a notice's render 30 -> 32 MB; the 38,000-row summary past
 * its 300 MB budget), and only gen import of an .xlsx workbook needs it.
 * The functions the reader uses, named as in <zip.h> without zip_. */
#ifndef GEN_ZIP_FUNCTIONS_H
#define GEN_ZIP_FUNCTIONS_H

#include <zip.h>

typedef struct zip_functions {
    zip_source_t *(*source_buffer_create)(const void *, zip_uint64_t, int, zip_error_t *);
    void (*source_free)(zip_source_t *);
    zip_t *(*open_from_source)(zip_source_t *, int, zip_error_t *);
    void (*discard)(zip_t *);
    void (*error_init)(zip_error_t *);
    void (*error_fini)(zip_error_t *);
    const char *(*error_strerror)(zip_error_t *);
    const char *(*strerror)(zip_t *);
    zip_int64_t (*name_locate)(zip_t *, const char *, zip_flags_t);
    int (*stat_index)(zip_t *, zip_uint64_t, zip_flags_t, zip_stat_t *);
    zip_file_t *(*fopen_index)(zip_t *, zip_uint64_t, zip_flags_t);
    zip_int64_t (*fread)(zip_file_t *, void *, zip_uint64_t);
    int (*fclose)(zip_file_t *);
} zip_functions;

/* The functions, loaded once (safe from any thread); NULL when libzip
 * cannot be loaded, with *why saying why (dlerror's words, kept). */
const zip_functions *zip_functions_get(const char **why);

#endif
