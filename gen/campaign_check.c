/* The check: every record of the folder against the campaign and the
 * others.  An error blocks publication (a nominee it excludes, a public
 * list naming an excluded enterprise); a warning is for the office and
 * the 通报 (a body late or missing, a quota not met, a city silent).
 *
 * Matching: by certificate number where both records have one (the
 * self-checks and the cities' reports), by the normalised name
 * (cp_name_key) where one has none (the nominations, the public list).  A
 * nominee's certificate is the row of its own body's self-check with its
 * name; a name that differs only in 有限公司 / 有限责任公司 is that row
 * when the certificate's type and expiry agree with the nomination.  Two
 * records giving one name and one certificate type different numbers
 * disagree; a different type is another certificate of the company. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"
#include "i18n.h"
#include "util.h"

typedef struct checker {
    cp_folder *f;
    diag_list *out;
    cp_index by_key, by_loose, by_cert;
    size_t errors;
} checker;

#define NONE ((size_t)-1)

static const cp_record *record_of(const checker *c, const cp_row *r)
{
    return &c->f->records[r->record];
}

/* Which body of the roster `rec` comes from: by 批准号 when it has one,
 * else by name. */
static long roster_body(const cp_folder *f, const cp_record *rec)
{
    const cp_campaign *cp = &f->campaign;
    for (size_t i = 0; i < cp->n_bodies; i++)
        if (rec->approval_no && !strcmp(cp->bodies[i].approval_no, rec->approval_no))
            return (long)i;
    if (!rec->who)
        return -1;
    char *key = cp_name_key(rec->who);
    long found = -1;
    for (size_t i = 0; i < cp->n_bodies && found < 0; i++)
        if (!strcmp(cp->bodies[i].key, key))
            found = (long)i;
    free(key);
    return found;
}

/* The city of the roster an inspection report's issuer names:
 * 宁波市质量技术监督局 is 宁波市's. */
static long roster_city(const cp_folder *f, const cp_record *rec)
{
    for (size_t i = 0; rec->who && i < f->campaign.n_cities; i++) {
        const char *city = f->campaign.cities[i].name;
        if (!strncmp(rec->who, city, strlen(city)))
            return (long)i;
    }
    return -1;
}

static void warn_at(checker *c, const char *file, int line, const char *fmt, ...) GEN_PRINTF(4, 5);
static void warn_at(checker *c, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = xvasprintf(_(fmt), ap);
    va_end(ap);
    diag_add(c->out, DIAG_WARNING, file, line, "%s", m);
    free(m);
}

/* An error: returns its index among the findings. */
static long block_at(checker *c, const char *file, int line, const char *fmt, ...) GEN_PRINTF(4, 5);
static long block_at(checker *c, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *m = xvasprintf(_(fmt), ap);
    va_end(ap);
    diag_add(c->out, DIAG_ERROR, file, line, "%s", m);
    free(m);
    c->errors++;
    return (long)c->out->n - 1;
}

static void exclude(cp_row *r, long finding)
{
    if (r->excluded_by < 0)
        r->excluded_by = finding;
}

/* ------------------------------------------------------------- roster */

static void check_bodies(checker *c)
{
    cp_folder *f = c->f;
    cp_campaign *cp = &f->campaign;
    size_t nb = cp->n_bodies;
    for (size_t b = 0; b < nb; b++)
        cp->bodies[b].self_check = -1;
    int *self_checked = xcalloc(nb + 1, sizeof *self_checked);
    size_t *nominated = xcalloc(nb + 1, sizeof *nominated);
    size_t *first_nominations = xcalloc(nb + 1, sizeof *first_nominations);
    for (size_t i = 0; i < f->n_records; i++) {
        cp_record *rec = &f->records[i];
        if (rec->kind != CP_SELF_CHECK && rec->kind != CP_NOMINATIONS)
            continue;
        rec->body = roster_body(f, rec);
        int self = rec->kind == CP_SELF_CHECK;
        const char *deadline = cp->deadline[self ? 0 : 1];
        if (rec->body < 0 && self)
            warn_at(c, rec->file, rec->who_line,
                    "%s (%s) handed in a self-check but is not on the campaign's roster of bodies (%s)",
                    rec->who, rec->approval_no, cp->file);
        else if (rec->body < 0) {
            long at = block_at(c, rec->file, rec->who_line,
                               "%s nominated %zu enterprises but is not on the campaign's roster of "
                               "bodies (%s): its nominations are left out",
                               rec->who, rec->n_rows, cp->file);
            for (size_t r = 0; r < rec->n_rows; r++)
                exclude(&f->rows[rec->first_row + r], at);
        } else if (self) {
            if (!self_checked[rec->body])
                f->campaign.bodies[rec->body].self_check = (long)i;
            self_checked[rec->body] = 1;
        } else {
            if (!nominated[rec->body] && !first_nominations[rec->body])
                first_nominations[rec->body] = i + 1;
            nominated[rec->body] += rec->n_rows;
        }
        if (rec->body >= 0 && deadline && rec->date && strcmp(rec->date, deadline) > 0) {
            f->campaign.bodies[rec->body].late = 1;
            warn_at(c, rec->file, rec->date_line,
                    self ? "%s's self-check is dated %s, after the deadline %s"
                         : "%s's nominations are dated %s, after the deadline %s",
                    rec->who, rec->date, deadline);
        }
    }
    for (size_t b = 0; b < nb; b++) {
        cp_body *body = &cp->bodies[b];
        body->nominated = nominated[b];
        if (!self_checked[b])
            warn_at(c, cp->file, body->line, "%s (%s) has handed in no self-check", body->name,
                    body->approval_no);
        if ((long)nominated[b] < cp->min || (long)nominated[b] > cp->max) {
            const cp_record *rec = first_nominations[b] ? &f->records[first_nominations[b] - 1] : NULL;
            warn_at(c, rec ? rec->file : cp->file, rec ? rec->line : body->line,
                    "%s nominated %zu enterprises; the quota is %ld to %ld", body->name,
                    nominated[b], cp->min, cp->max);
        }
    }
    free(self_checked), free(nominated), free(first_nominations);
}

static void check_cities(checker *c)
{
    cp_folder *f = c->f;
    const cp_campaign *cp = &f->campaign;
    const char *deadline = cp->deadline[2];
    int *reported = xcalloc(cp->n_cities + 1, sizeof *reported);
    for (size_t i = 0; i < f->n_records; i++) {
        cp_record *rec = &f->records[i];
        if (rec->kind != CP_INSPECTION)
            continue;
        rec->city = roster_city(f, rec);
        if (rec->city < 0) {
            warn_at(c, rec->file, rec->who_line,
                    "the inspection report of %s is from no city on the campaign's roster (%s)",
                    rec->who, cp->file);
            continue;
        }
        /* a late report is said once, at its date */
        if (deadline && rec->date && strcmp(rec->date, deadline) > 0)
            warn_at(c, rec->file, rec->date_line,
                    "%s's inspection report is dated %s, after the deadline %s",
                    cp->cities[rec->city].name, rec->date, deadline);
        reported[rec->city] = 1;
    }
    for (size_t k = 0; k < cp->n_cities; k++)
        if (!reported[k])
            warn_at(c, cp->file, cp->cities[k].line, "%s has handed in no inspection report by %s",
                    cp->cities[k].name, deadline ? deadline : _("the deadline"));
    free(reported);
}

/* ----------------------------------------------------------- nominees */

static int same(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

static const char *city_of(const checker *c, const cp_row *violator)
{
    const cp_record *rec = record_of(c, violator);
    return rec->city >= 0 ? c->f->campaign.cities[rec->city].name : rec->who;
}

/* The self-check row that certifies a nominee: its own body's row of its
 * name; or of its name but for 有限公司 / 有限责任公司 with the type and
 * expiry agreeing; or, when its body's self-check has none, the one row
 * of any self-check with its name. */
static size_t certifying_row(const checker *c, const cp_row *n)
{
    const cp_folder *f = c->f;
    long body = record_of(c, n)->body;
    size_t first, count = cp_index_find(&c->by_key, n->key, &first), any = NONE, anyn = 0;
    for (size_t i = first; i < first + count; i++) {
        const cp_row *r = &f->rows[c->by_key.rows[i]];
        if (r->kind != CP_CERTIFIED)
            continue;
        if (record_of(c, r)->body == body)
            return c->by_key.rows[i];
        any = c->by_key.rows[i], anyn++;
    }
    count = cp_index_find(&c->by_loose, n->loose, &first);
    for (size_t i = first; i < first + count; i++) {
        const cp_row *r = &f->rows[c->by_loose.rows[i]];
        if (r->kind == CP_CERTIFIED && record_of(c, r)->body == body && same(r->cert_type, n->cert_type) &&
            same(r->expires, n->expires))
            return c->by_loose.rows[i];
    }
    return anyn == 1 ? any : NONE;
}

/* The status a self-check gives that excludes a nominee, or NULL. */
static const char *bad_standing(const cp_row *r)
{
    /* every status but valid: a certificate not in force cannot be shown */
    if (same(r->status, "suspended"))
        return _("suspended (暂停)");
    if (same(r->status, "withdrawn"))
        return _("withdrawn (撤销)");
    if (same(r->status, "cancelled"))
        return _("cancelled (注销)");
    if (same(r->status, "expired"))
        return _("expired (过期)");
    if (same(r->result, "suspended") || same(r->result, "withdrawn"))
        return _("not conforming after rectification");
    return NULL;
}

/* Is nominee a before nominee b (the roster's order of their bodies, then
 * the folder's)? */
static int comes_before(const checker *c, size_t a, size_t b)
{
    long ba = record_of(c, &c->f->rows[a])->body, bb = record_of(c, &c->f->rows[b])->body;
    return ba != bb ? ba < bb : a < b;
}

/* One other record's row about the same name or certificate. */
static void compare(checker *c, size_t ni, size_t oi)
{
    cp_folder *f = c->f;
    cp_row *n = &f->rows[ni];
    const cp_row *o = &f->rows[oi];
    const cp_record *nrec = record_of(c, n), *orec = record_of(c, o);
    const cp_row *own = n->certified_by != NONE ? &f->rows[n->certified_by] : NULL;
    const char *cert = own ? own->cert_no : NULL;
    int same_cert = cert && same(o->cert_no, cert);
    int by_name = same(o->key, n->key);
    if (o->kind == CP_NOMINEE) {
        if (orec->body >= 0 && orec->body != nrec->body && by_name && comes_before(c, oi, ni))
            exclude(n, block_at(c, nrec->file, n->line, "%s is nominated by both %s (%s:%d) and %s",
                                n->name, orec->who, orec->file, o->line, nrec->who));
        return;
    }
    if (o->kind == CP_ENTRY)
        return;
    if (own && o->cert_no && !same_cert) {
        if (by_name && same(o->cert_type, own->cert_type))
            exclude(n, block_at(c, nrec->file, n->line,
                                "%s, nominated by %s: its %s certificate is %s in %s (%s:%d) but %s "
                                "in %s (%s:%d)",
                                n->name, nrec->who, cp_type_label(f, own->cert_type), own->cert_no,
                                record_of(c, own)->who, record_of(c, own)->file, own->line, o->cert_no,
                                orec->who, orec->file, o->line));
        return;
    }
    if (!same_cert && !(by_name && !own))
        return;
    if (o->kind == CP_VIOLATOR)
        exclude(n, block_at(c, nrec->file, n->line,
                            "%s, nominated by %s, is a serious violator in %s's inspection report "
                            "(%s:%d): %s",
                            n->name, nrec->who, city_of(c, o), orec->file, o->line, o->action));
    else if (bad_standing(o))
        exclude(n, block_at(c, nrec->file, n->line,
                            "%s, nominated by %s: %s's self-check (%s:%d) gives its certificate %s as %s",
                            n->name, nrec->who, orec->who, orec->file, o->line, o->cert_no,
                            bad_standing(o)));
    if (o->kind == CP_CERTIFIED && o->region && n->region && !same(o->region, n->region))
        exclude(n, block_at(c, nrec->file, n->line,
                            "%s, nominated by %s, is in %s by the nomination but in %s by %s's "
                            "self-check (%s:%d)",
                            n->name, nrec->who, n->region, o->region, orec->who, orec->file, o->line));
}

static int listed(const size_t *seen, size_t n, size_t row)
{
    for (size_t i = 0; i < n; i++)
        if (seen[i] == row)
            return 1;
    return 0;
}

static void check_nominee(checker *c, size_t ni)
{
    cp_folder *f = c->f;
    cp_row *n = &f->rows[ni];
    if (record_of(c, n)->body < 0)
        return; /* its body is not on the roster: said once, for the record */
    n->certified_by = certifying_row(c, n);
    const char *cert = n->certified_by != NONE ? f->rows[n->certified_by].cert_no : NULL;
    size_t kf, kn = cp_index_find(&c->by_key, n->key, &kf);
    size_t cf, cn = cp_index_find(&c->by_cert, cert, &cf);
    size_t *seen = xmalloc((kn + cn + 1) * sizeof *seen), ns = 0;
    for (size_t i = 0; i < cn; i++)
        seen[ns++] = c->by_cert.rows[cf + i];
    for (size_t i = 0; i < kn; i++)
        if (!listed(seen, ns, c->by_key.rows[kf + i]))
            seen[ns++] = c->by_key.rows[kf + i];
    for (size_t i = 0; i < ns; i++)
        if (seen[i] != ni)
            compare(c, ni, seen[i]);
    free(seen);
}

/* ---------------------------------------------------------- the lists */

static void check_entry(checker *c, const cp_row *e)
{
    cp_folder *f = c->f;
    const cp_record *rec = record_of(c, e);
    size_t first, count = cp_index_find(&c->by_key, e->key, &first);
    const cp_row *violator = NULL, *standing = NULL, *excluded = NULL;
    const char *type = cp_type_of_text(f, e->certification);
    for (size_t i = first; i < first + count; i++) {
        const cp_row *r = &f->rows[c->by_key.rows[i]];
        if (r->kind == CP_NOMINEE && r->excluded_by < 0 && record_of(c, r)->body >= 0)
            return; /* a nomination that stands (of two bodies', the first) */
        if (r->kind == CP_NOMINEE && r->excluded_by >= 0 && !excluded)
            excluded = r;
        if (r->kind == CP_VIOLATOR && !violator)
            violator = r;
        /* a certificate of another type than the entry's is another one */
        if (r->kind == CP_CERTIFIED && bad_standing(r) && !standing && (!type || same(type, r->cert_type)))
            standing = r;
    }
    if (excluded) {
        const diag *d = &c->out->items[excluded->excluded_by];
        block_at(c, rec->file, e->line, "the public list names %s, excluded by the finding at %s:%d",
                 e->name, d->file, d->line);
    } else if (violator)
        block_at(c, rec->file, e->line,
                 "the public list names %s, a serious violator in %s's inspection report (%s:%d): %s",
                 e->name, city_of(c, violator), record_of(c, violator)->file, violator->line,
                 violator->action);
    else if (standing)
        block_at(c, rec->file, e->line,
                 "the public list names %s, whose certificate %s's self-check (%s:%d) gives as %s",
                 e->name, record_of(c, standing)->who, record_of(c, standing)->file, standing->line,
                 bad_standing(standing));
}

size_t cp_check(cp_folder *f, diag_list *findings)
{
    checker c = {.f = f, .out = findings};
    cp_index_build(&c.by_key, f, CP_BY_KEY);
    cp_index_build(&c.by_loose, f, CP_BY_LOOSE);
    cp_index_build(&c.by_cert, f, CP_BY_CERT);
    check_bodies(&c);
    check_cities(&c);
    for (size_t i = 0; i < f->n_rows; i++)
        if (f->rows[i].kind == CP_NOMINEE)
            check_nominee(&c, i);
    for (size_t i = 0; i < f->n_rows; i++)
        if (f->rows[i].kind == CP_ENTRY)
            check_entry(&c, &f->rows[i]);
    cp_index_free(&c.by_key);
    cp_index_free(&c.by_loose);
    cp_index_free(&c.by_cert);
    return c.errors;
}
