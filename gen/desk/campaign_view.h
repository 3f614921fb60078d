/* What the campaign page reads of campaign.xml (schemas/campaign.rng):
 * who must take part (the bodies, the cities) and when each kind of
 * record is due.  Read with libxml2 from the stored, validated record. */
#ifndef GEN_DESK_CAMPAIGN_VIEW_H
#define GEN_DESK_CAMPAIGN_VIEW_H

#include <stddef.h>

typedef struct campaign_party {
    char *name;
    char *approval_no; /* a body's 批准号; NULL for a city */
} campaign_party;

typedef struct campaign_deadline {
    char kind[32]; /* self-check, nominations, inspection-report */
    char date[16]; /* YYYY-MM-DD */
} campaign_deadline;

typedef struct campaign_view {
    char *year, *notice;
    campaign_party *bodies, *cities;
    size_t n_bodies, n_cities;
    campaign_deadline deadlines[8];
    size_t n_deadlines;
} campaign_view;

/* 0, or -1 when the XML is not a campaign. */
int campaign_view_read(const char *xml, size_t size, campaign_view *out);
void campaign_view_free(campaign_view *v);

/* The deadline of a kind, NULL when the campaign sets none. */
const char *campaign_deadline_of(const campaign_view *v, const char *kind);

/* 按时, 逾期 or 未报: a record first handed in at `sent` (Unix time; 0:
 * never) against the end of the day `date` (local time; NULL: none, then
 * 已报 or 未报). */
const char *campaign_timeliness(long long sent, const char *date);

#endif
