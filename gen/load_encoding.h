/* The load stage's byte-level half: which encoding a file is in, and its
 * text as UTF-8 (load_encoding.c). */
#ifndef GEN_LOAD_ENCODING_H
#define GEN_LOAD_ENCODING_H

#include <stddef.h>

#include "diag.h"

/* The encoding a file's bytes declare: "UTF-8" for a UTF-8 BOM or no
 * declaration, "UTF-16LE"/"UTF-16BE" for those BOMs, else the XML
 * declaration's encoding="..." (as written).  Caller frees. */
char *encoding_declared(const char *bytes, size_t len);

/* A file's bytes and the encoding to read them in. */
typedef struct encoded_bytes {
    const char *path; /* names them in messages */
    const char *bytes;
    size_t len;
    const char *encoding;
    int named_by_user; /* the user named the encoding (--encoding), the
                          file did not declare it: the hint differs */
} encoded_bytes;

/* Convert the bytes from their encoding to UTF-8 (a UTF-8 BOM dropped).
 * On a byte sequence that is not valid in that encoding, one diagnostic
 * with its line and byte offset and a hint; returns NULL.  *out_len gets
 * the length. */
char *encoding_to_utf8(const encoded_bytes *in, size_t *out_len, diag_list *diags);

#endif
