/* A run never writes its PDF over a file it reads: the record, a bundle's
 * attachment, a template, a schema, the font map or a font it names, the
 * seal.  Files are compared by what they are, not by how they are
 * written: ./copy.xml, a symbolic link to the record and a hard link to it
 * are all the record. */
#ifndef GEN_OUT_GUARD_H
#define GEN_OUT_GUARD_H

#include <sys/types.h>

#include "diag.h"

/* What a path names: its device and inode when it exists, else the real
 * path of its folder followed by its own name (NULL when the folder does
 * not exist either: then it is no file at all). */
typedef struct file_identity {
    int exists;
    dev_t dev;
    ino_t ino;
    char *canonical;
} file_identity;

void file_identity_of(const char *path, file_identity *id);
int file_identity_same(const file_identity *a, const file_identity *b);
void file_identity_free(file_identity *id);

/* The files a run reads, each with what it is to the run ("the record"). */
typedef struct input_file {
    char *path, *what;
    file_identity id;
} input_file;

typedef struct input_list {
    input_file *items;
    size_t n, cap;
} input_list;

void input_list_add(input_list *l, const char *path, const char *what);
/* The input that writing `out` would replace, or NULL. */
const input_file *input_list_find(const input_list *l, const char *out);
void input_list_free(input_list *l);

/* The error for an output that is an input: "OUT: the output is WHAT
 * INPUT ...; FIX" (FIX says how to choose another). */
void out_guard_report(const char *out, const input_file *in, const char *fix, diag_list *diags);

/* Writing `out` leaves `input` (`what` it is) untouched: 0; else -1 with
 * that error. */
int out_guard(const char *out, const char *input, const char *what, const char *fix,
              diag_list *diags);

/* The folder an output goes into exists: 0; else -1 with "the folder F
 * does not exist" for the first folder of the path that is missing (a
 * typo on the command line, exit status 2).  `out` is a file, or a folder
 * the run makes (batch -o DIR): either way its parent must be there. */
int out_folder_exists(const char *out, diag_list *diags);

#endif
