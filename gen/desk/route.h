/* The paths of the record routes, read without making anything of the
 * user's text but a number. */
#ifndef GEN_DESK_ROUTE_H
#define GEN_DESK_ROUTE_H

typedef enum record_route {
    RECORD_NONE = 0, /* not a record's path */
    RECORD_PAGE,     /* /records/ID */
    RECORD_PDF,      /* /records/ID.pdf */
    RECORD_ORIGINAL, /* /records/ID/original */
} record_route;

/* Which record path `path` is, and its ID (a positive decimal number
 * without leading zeros or sign, at most 15 digits). */
record_route route_record(const char *path, long long *id);

/* A version number of a query (?v=N): N 1..1000000; 0 when absent; -1
 * when not a number. */
int route_version(const char *v);

#endif
