/* The campaign module's own header: what its files share, never included
 * outside them (campaign.h is the module's face).
 *
 * The order of the files, each calling only those after it:
 *   campaign.c        the command: its options, which job, the output
 *   campaign_write.c  the public list, the exposure list, the 通报 (records)
 *   campaign_check.c  the findings: every record against the others
 *   campaign_read.c   the folder: every record read once into plain data
 *   campaign_match.c  names and certificates: normalising, looking up
 *
 * The folder is plain data: every string a record holds is copied into
 * the folder's pool and every record's tree is freed as soon as it is
 * read (a province's self-checks are 38,000 rows: their trees at once
 * would be most of the memory the run may take). */
#ifndef GEN_CAMPAIGN_INTERNAL_H
#define GEN_CAMPAIGN_INTERNAL_H

#include <libxml/tree.h>
#include <stddef.h>

#include "code_lists.h"
#include "diag.h"

/* Strings copied into chunks freed all at once. */
typedef struct cp_chunk cp_chunk;
typedef struct cp_pool {
    cp_chunk *chunks;
} cp_pool;
const char *cp_strdup(cp_pool *p, const char *s);
void cp_pool_free(cp_pool *p);

/* The records a campaign folder holds, by their root element. */
typedef enum { CP_SELF_CHECK, CP_NOMINATIONS, CP_INSPECTION, CP_PUBLIC_LIST } cp_kind;

/* What a row names: an enterprise of a self-check, a nomination, a
 * violator of a city's report, an entry of a public list. */
typedef enum { CP_CERTIFIED, CP_NOMINEE, CP_VIOLATOR, CP_ENTRY } cp_row_kind;

typedef struct cp_row {
    cp_row_kind kind;
    size_t record; /* its record in the folder */
    int line;
    const char *name;        /* as the record writes it */
    const char *key;         /* cp_name_key of it */
    const char *loose;       /* cp_name_loose_key of it */
    const char *region;      /* the city; NULL for a violator (its report's city) */
    const char *county;      /* NULL for nominees and entries */
    const char *cert_no;     /* NULL when the record has none (nominees, entries) */
    const char *cert_type;   /* QMS..., or NULL */
    const char *status;      /* certified: the certificate's status */
    const char *result;      /* certified: the check's result */
    const char *expires;     /* certified: expiry; nominee: valid-until */
    const char *product;     /* certified: products; violator: product */
    const char *problem;     /* violator */
    const char *action;      /* violator: the measure */
    const char *certification; /* nominee, entry: as written */
    const char *nominator;   /* entry */
    /* set by the check (nominees): the self-check row that certifies it,
     * or (size_t)-1; and the first finding that excludes it, or -1 */
    size_t certified_by;
    long excluded_by;
} cp_row;

typedef struct cp_record {
    cp_kind kind;
    const char *file;
    int line;          /* the root element's */
    const char *who;   /* the body (self-check, nominations) or the issuer */
    int who_line;
    const char *approval_no; /* self-check */
    const char *date;  /* self-check, report: its date; nominations: the latest filled-on */
    int date_line;
    const char *doc_number; /* report, public list */
    size_t first_row, n_rows;
    long body; /* the roster's body, or -1 (self-check, nominations) */
    long city; /* the roster's city, or -1 (reports) */
} cp_record;

typedef struct cp_body {
    const char *name, *key, *approval_no;
    int line;
    /* set by the check: its self-check record (the first, or -1), whether
     * any of its records came after its deadline, how many it nominated */
    long self_check;
    int late;
    size_t nominated;
} cp_body;

typedef struct cp_city {
    const char *name;
    int line;
} cp_city;

typedef struct cp_campaign {
    const char *file;
    int line;
    const char *year, *notice, *issuer;
    const char *province; /* NULL: the issuer's name up to 省 */
    /* by cp_kind: self-check, nominations, inspection-report; NULL: none */
    const char *deadline[3];
    int deadline_line[3];
    long min, max;
    cp_body *bodies;
    size_t n_bodies;
    cp_city *cities;
    size_t n_cities;
} cp_campaign;

/* The certificate types' names (code list certificate-type), for the
 * nominations' 认证类型 text and the public list. */
typedef struct cp_types {
    const code_list *list; /* NULL when codes.rng has none */
} cp_types;

typedef struct cp_folder {
    const char *dir;
    cp_pool pool;
    cp_campaign campaign;
    cp_record *records;
    size_t n_records, records_cap;
    cp_row *rows;
    size_t n_rows, rows_cap;
    size_t n_other; /* XML files of other roots (a notice), left out */
    code_lists *codes;
} cp_folder;

/* Read every record of `dir` once (campaign_read.c): the campaign file
 * (exactly one), then the others by root element, each validated against
 * DATA/schemas/ROOT.rng.  EXIT_DONE, or EXIT_BAD_INPUT with an error at
 * the file and line of each fault (then the folder is not to be used),
 * EXIT_ENVIRONMENT when the folder cannot be read.  cp_folder_free
 * either way. */
int cp_folder_read(cp_folder *f, const char *dir, const char *data_dir, diag_list *diags);
void cp_folder_free(cp_folder *f);

/* The check (campaign_check.c): appends its findings to `findings`, an
 * error for each that blocks publication, a warning for the others, and
 * sets each nominee's certified_by and excluded_by.  Returns the number
 * of errors. */
size_t cp_check(cp_folder *f, diag_list *findings);

/* What the office gives a record it issues (campaign.c's options); NULL
 * fields: a placeholder the office replaces (发文字号) or today. */
typedef struct cp_issue {
    const char *doc_number, *date;
} cp_issue;

/* The records made from the folder after cp_check (campaign_write.c);
 * each valid against its schema: public-list.rng, exposure-list.rng,
 * notice.rng.  The caller frees them. */
xmlDoc *cp_public_list(const cp_folder *f, const diag_list *findings, const cp_issue *is);
xmlDoc *cp_exposure_list(const cp_folder *f, const cp_issue *is);
xmlDoc *cp_bulletin(const cp_folder *f, const cp_issue *is);

/* campaign_match.c.  The name as the same company's: full-width letters,
 * digits and brackets as half-width, no white space (ASCII, ideographic,
 * no-break), Latin letters in lower case.  Allocated. */
char *cp_name_key(const char *name);
/* cp_name_key with 有限责任公司 written 有限公司: the same company only
 * when its certificate agrees. */
char *cp_name_loose_key(const char *name);

/* An index of rows by one of their strings. */
typedef struct cp_index {
    const char **keys;
    size_t *rows;
    size_t n;
} cp_index;
typedef enum { CP_BY_KEY, CP_BY_LOOSE, CP_BY_CERT } cp_index_by;
void cp_index_build(cp_index *ix, const cp_folder *f, cp_index_by by);
/* The rows whose string is `s`: *first and the count returned. */
size_t cp_index_find(const cp_index *ix, const char *s, size_t *first);
void cp_index_free(cp_index *ix);

/* The label of a certificate type (QMS: 质量管理体系), or the code. */
const char *cp_type_label(const cp_folder *f, const char *type);
/* The type whose label (or other name) the text starts with, or NULL:
 * 质量管理体系认证（GB/T 19001-2008） is QMS. */
const char *cp_type_of_text(const cp_folder *f, const char *text);

#endif
