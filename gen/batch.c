/* Batch: every node's file name is decided first, over the whole
 * selection, so that sharding never changes a name; then the shard's
 * documents are rendered here or by forked workers, which take them one at
 * a time from a shared queue and report each document's outcome to the
 * parent through a pipe.  Each file is synced and named by a publisher
 * thread (out_file.h) while the next document is made. */
#define _GNU_SOURCE
#include "batch.h"

#include <errno.h>
#include <libxml/xpath.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

/* More workers than this is a typo, not a machine. */
#define MAX_JOBS 1024
/* Bytes of a name before its "-N.pdf": well under NAME_MAX (255). */
#define MAX_STEM 200
/* Return to the start of the terminal line and erase it. */
#define CLEAR_LINE "\r\033[K"

/* One run: what is loaded once for every document. */
typedef struct batch {
    const batch_options *o;
    run_options opts; /* o's, noting every file read in `inputs` */
    input_list inputs;
    xmlDoc *record;
    template *tpl;
    font_set *fonts;
    xmlNode **nodes; /* the whole selection */
    size_t n;
    char **stems;   /* each node's file name, without ".pdf" */
    diag_list *invalid; /* per node: where it breaks the record's schema */
    xmlNode **unlinked; /* invalid nodes taken out of the record */
    size_t nunlinked;
    size_t shard_n; /* documents of this shard: nodes shard_index + k * shard_count */
    size_t workers;
    int is_worker; /* this is a forked worker: the parent sums up */
    double started;
} batch;

/* The parent's account of the shard's documents. */
typedef struct tally {
    signed char *status; /* per document: its exit status, -1 while unreported */
    size_t total, done, failed;
    FILE *report;
    int show;     /* keep a progress line */
    double shown; /* when it was last drawn */
} tally;

/* What a worker sends per document; fixed-width fields, so no padding
 * bytes, and far below PIPE_BUF, so writes of several workers never mix. */
typedef struct doc_report {
    uint64_t doc;
    int64_t status;
} doc_report;

typedef void (*done_fn)(void *ctx, size_t doc, int status);

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A decimal number, digits only: strtoul would take signs and spaces. */
static int parse_count(const char *s, const char *end, size_t *out)
{
    if (s == end || end - s > 9)
        return -1;
    size_t v = 0;
    for (const char *p = s; p < end; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (size_t)(*p - '0');
    }
    *out = v;
    return 0;
}

int batch_parse_jobs(const char *s, size_t *jobs)
{
    size_t v;
    if (parse_count(s, s + strlen(s), &v) != 0 || v < 1 || v > MAX_JOBS)
        return -1;
    *jobs = v;
    return 0;
}

int batch_parse_shard(const char *s, size_t *index, size_t *count)
{
    const char *slash = strchr(s, '/');
    size_t i, n;
    if (!slash || parse_count(s, slash, &i) != 0 ||
        parse_count(slash + 1, slash + 1 + strlen(slash + 1), &n) != 0 || i >= n)
        return -1;
    *index = i;
    *count = n;
    return 0;
}

/* How many of first, first + step, ... are below n. */
static size_t every_nth(size_t n, size_t first, size_t step)
{
    return n > first ? (n - first - 1) / step + 1 : 0;
}

/* ---- file names ---- */

/* The bytes of a control character at s (C0, DEL, or C1 in UTF-8), or 0. */
static size_t control_length(const unsigned char *s)
{
    if (s[0] < 0x20 || s[0] == 0x7F)
        return 1;
    if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
        return 2;
    return 0;
}

/* Cut s to at most max bytes without splitting a UTF-8 character, and
 * drop the spaces the cut leaves at the end. */
static void cut_name(char *s, size_t len, size_t max)
{
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    s[len] = '\0';
}

/* The --name text made fit for a file name: control characters become
 * spaces and runs of spaces one, '/' (which would make a path) becomes
 * '_', leading dots go (hidden files, "." and ".."), trimmed and cut.
 * NULL when nothing is left. */
static char *safe_stem(const char *raw)
{
    const unsigned char *p = (const unsigned char *)raw;
    char *s = xmalloc(strlen(raw) + 1);
    size_t len = 0;
    while (*p) {
        size_t control = control_length(p);
        char c = control ? ' ' : *p == '/' ? '_' : (char)*p;
        p += control ? control : 1;
        int leading = len == 0 && (c == ' ' || c == '.');
        int repeated = c == ' ' && len > 0 && s[len - 1] == ' ';
        if (!leading && !repeated)
            s[len++] = c;
    }
    cut_name(s, len, MAX_STEM);
    if (s[0] == '\0') {
        free(s);
        return NULL;
    }
    return s;
}

/* Names taken so far, open addressing; `next` is the number to try for
 * the next node of the same name. */
typedef struct name_slot {
    const char *name;
    size_t next;
} name_slot;

typedef struct name_table {
    name_slot *slots;
    size_t mask;
} name_table;

static name_table name_table_new(size_t names)
{
    size_t cap = 16;
    while (cap < 2 * names)
        cap *= 2;
    name_table t = {xcalloc(cap, sizeof(name_slot)), cap - 1};
    return t;
}

/* The slot holding name, or the empty slot where it would go. */
static name_slot *name_find(const name_table *t, const char *name)
{
    size_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    h &= t->mask;
    while (t->slots[h].name && strcmp(t->slots[h].name, name) != 0)
        h = (h + 1) & t->mask;
    return &t->slots[h];
}

/* Equal names numbered in node order: name, name-2, name-3, ...; a number
 * that another node's own name already took is skipped.  Takes stem. */
static char *unique_stem(name_table *t, char *stem)
{
    name_slot *base = name_find(t, stem);
    name_slot *slot = base;
    if (base->name) {
        char *numbered = NULL;
        do {
            free(numbered);
            numbered = xasprintf("%s-%zu", stem, base->next++);
            slot = name_find(t, numbered);
        } while (slot->name);
        free(stem);
        stem = numbered;
    }
    slot->name = stem;
    slot->next = 2;
    return stem;
}

/* The string value of --name with the node in hand; position() and last()
 * count over the whole selection.  NULL when evaluation fails. */
static char *name_of(xmlXPathContext *xp, xmlXPathCompExpr *expr, xmlNode *node, size_t i,
                     size_t n)
{
    xp->node = node;
    xp->contextSize = (int)n;
    xp->proximityPosition = (int)i + 1;
    xmlXPathObject *obj = xmlXPathCompiledEval(expr, xp);
    xmlChar *value = obj ? xmlXPathCastToString(obj) : NULL;
    char *s = value ? xstrdup((const char *)value) : NULL;
    xmlFree(value);
    xmlXPathFreeObject(obj);
    return s;
}

/* A field to suggest for --name: the first child element of the node
 * that holds text, e.g. "enterprise"; NULL when it has none. */
static const char *name_suggestion(const xmlNode *node)
{
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const xmlNode *t = c->children;
        if (t && t->type == XML_TEXT_NODE && !t->next && !xmlIsBlankNode((xmlNode *)t))
            return (const char *)c->name;
    }
    return NULL;
}

/* A --name that names no node is surely the wrong expression (a label
 * of the sheet, "推荐企业", for the element <enterprise>): refused, with
 * what it should be. */
static void report_no_names(const batch *b, diag_list *diags)
{
    const char *field = name_suggestion(b->nodes[0]);
    char *hint = field ? xasprintf(_("e.g. --name %s"), field) : xstrdup(_("as --name NAME"));
    diag_add(diags, DIAG_ERROR, b->o->record, (int)xmlGetLineNo(b->nodes[0]),
             "--name \"%s\" gives none of the %zu nodes a file name (it selects nothing in "
             "them, the first of which is here): it should select a field of each node, %s",
             b->o->name, b->n, hint);
    free(hint);
}

/* A --name that names some nodes only: a records office wants every file
 * named, so each of the others is refused with its line (no file is
 * numbered in silence). */
static void report_unnamed(const batch *b, const char *raw, size_t i, diag_list *diags)
{
    int nothing = raw[strspn(raw, " \t\r\n")] == '\0';
    diag_add(diags, DIAG_ERROR, b->o->record, (int)xmlGetLineNo(b->nodes[i]),
             "--name \"%s\" gives node %zu no file name (%s%s%s): give the node what --name "
             "selects, or choose a --name every node has (without --name files are named "
             "1.pdf, 2.pdf, ...)",
             b->o->name, i + 1, nothing ? _("it selects nothing here") : "\"", nothing ? "" : raw,
             nothing ? "" : _("\" leaves nothing for a file name"));
}

/* Each node's file name: --name's value made safe, else its position;
 * equal names numbered.  With --name, a node it does not name is an
 * error (report_unnamed, report_no_names). */
static int name_nodes(batch *b, diag_list *diags)
{
    const char *name = b->o->name;
    xmlXPathCompExpr *expr = name ? xmlXPathCompile((const xmlChar *)name) : NULL;
    if (name && !expr) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "--name \"%s\" is not an XPath expression", name);
        return EXIT_BAD_INPUT;
    }
    xmlXPathContext *xp = xmlXPathNewContext(b->record);
    name_table taken = name_table_new(b->n);
    b->stems = xcalloc(b->n, sizeof *b->stems);
    size_t first = diags->n, unnamed = 0;
    int rc = EXIT_DONE;
    for (size_t i = 0; i < b->n && rc == EXIT_DONE; i++) {
        char *raw = expr ? name_of(xp, expr, b->nodes[i], i, b->n) : NULL;
        if (expr && !raw) {
            diag_add(diags, DIAG_ERROR, b->o->record, (int)xmlGetLineNo(b->nodes[i]),
                     "--name \"%s\" cannot be evaluated for node %zu", name, i + 1);
            rc = EXIT_BAD_INPUT;
        }
        char *stem = raw ? safe_stem(raw) : NULL;
        if (expr && raw && !stem)
            report_unnamed(b, raw, i, diags), unnamed++;
        b->stems[i] = unique_stem(&taken, stem ? stem : xasprintf("%zu", i + 1));
        free(raw);
    }
    if (unnamed == b->n && rc == EXIT_DONE) { /* one message, not one a node */
        diag_truncate(diags, first);
        report_no_names(b, diags);
    }
    free(taken.slots);
    xmlXPathFreeContext(xp);
    xmlXPathFreeCompExpr(expr);
    return rc == EXIT_DONE && unnamed > 0 ? EXIT_BAD_INPUT : rc;
}

/* ---- before the first document ---- */

static int select_nodes(batch *b, diag_list *diags)
{
    size_t errors = diag_count(diags, DIAG_ERROR);
    b->n = template_select(b->tpl, b->record, b->o->each, &b->nodes, diags);
    if (b->n > 0)
        return EXIT_DONE;
    if (diag_count(diags, DIAG_ERROR) == errors)
        diag_add(diags, DIAG_ERROR, b->o->record, 0, "%s%s%s selects nothing in this record",
                 b->o->each ? "--each \"" : _("the each= of the template "),
                 b->o->each ? b->o->each : template_name(b->tpl), b->o->each ? "\"" : "");
    return EXIT_BAD_INPUT;
}

/* One level only: a mistyped deep path should fail, not grow a tree. */
static int prepare_out_dir(const char *dir, diag_list *diags)
{
    struct stat st;
    const char *problem = NULL;
    int err = 0;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        problem = _("cannot create the output folder"), err = errno;
    else if (stat(dir, &st) != 0)
        problem = _("cannot read the output folder"), err = errno;
    else if (!S_ISDIR(st.st_mode)) {
        /* a slip on the command line, not the machine's fault */
        diag_add(diags, DIAG_ERROR, dir, 0,
                 "the output is a file, not a folder: batch writes one PDF per node into a "
                 "folder; give a folder with -o (a new one is made)");
        return EXIT_BAD_INPUT;
    } else if (access(dir, W_OK | X_OK) != 0)
        problem = _("cannot write in the output folder"), err = errno;
    if (!problem)
        return EXIT_DONE;
    diag_add(diags, DIAG_ERROR, dir, 0, "%s: %s", problem, strerror(err));
    return EXIT_ENVIRONMENT;
}

/* The last line a node's subtree starts a element on. */
static long last_line(xmlNode *node)
{
    long last = xmlGetLineNo(node);
    for (xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            long l = last_line(c);
            last = l > last ? l : last;
        }
    return last;
}

/* The selected node whose lines hold `line`, or n. */
static size_t node_at_line(const batch *b, long line)
{
    for (size_t k = 0; k < b->n; k++)
        if (line >= xmlGetLineNo(b->nodes[k]) && line <= last_line(b->nodes[k]))
            return k;
    return b->n;
}

/* One bad node does not stop a batch, even when what is wrong with it is
 * the record's schema: the schema's complaints are given to the nodes that
 * hold them, those nodes are taken out, and the rest must then be valid. */
static int validate_by_node(batch *b, diag_list *diags)
{
    const batch_options *o = b->o;
    diag_list found = {0};
    if (pipeline_validate_record(&b->opts, o->record, b->record, &found) == EXIT_DONE)
        return EXIT_DONE;
    b->invalid = xcalloc(b->n + 1, sizeof *b->invalid);
    size_t bad = 0;
    for (size_t d = 0; d < found.n; d++) {
        size_t k = found.items[d].line > 0 ? node_at_line(b, found.items[d].line) : b->n;
        if (k == b->n)
            continue;
        bad += b->invalid[k].n == 0;
        diag_add(&b->invalid[k], DIAG_ERROR, found.items[d].file, found.items[d].line, "%s",
                 found.items[d].message);
    }
    b->unlinked = xcalloc(bad + 1, sizeof *b->unlinked);
    for (size_t k = 0; k < b->n; k++)
        if (b->invalid[k].n > 0) {
            xmlUnlinkNode(b->nodes[k]);
            b->unlinked[b->nunlinked++] = b->nodes[k];
        }
    diag_list again = {0};
    int rc = bad > 0 && pipeline_validate_record(&b->opts, o->record, b->record, &again) == EXIT_DONE
                 ? EXIT_DONE
                 : EXIT_BAD_INPUT;
    for (size_t d = 0; rc != EXIT_DONE && d < found.n; d++)
        diag_add(diags, DIAG_ERROR, found.items[d].file, found.items[d].line, "%s",
                 found.items[d].message);
    diag_free(&again);
    diag_free(&found);
    return rc;
}

/* No file of the batch may be one it reads (a --name giving a record's
 * name, an output folder holding the fonts): every node's name is checked
 * before the first file is written. */
static int names_not_inputs(const batch *b, diag_list *diags)
{
    int rc = EXIT_DONE;
    for (size_t i = 0; i < b->n; i++) {
        char *out = xasprintf("%s/%s.pdf", b->o->out_dir, b->stems[i]);
        const input_file *in = input_list_find(&b->inputs, out);
        if (in) {
            out_guard_report(out, in, "choose another output folder (-o) or --name", diags);
            rc = EXIT_BAD_INPUT;
        }
        free(out);
    }
    return rc;
}

static int batch_open(batch *b, diag_list *diags)
{
    const batch_options *o = b->o;
    int rc = pipeline_read_record(&b->opts, o->record, &b->record, diags);
    if (rc == EXIT_DONE)
        rc = pipeline_find_template(&b->opts, o->template_arg, b->record, o->record, &b->tpl,
                                    diags);
    if (rc == EXIT_DONE)
        rc = select_nodes(b, diags);
    if (rc == EXIT_DONE)
        rc = name_nodes(b, diags);
    if (rc == EXIT_DONE)
        rc = validate_by_node(b, diags);
    if (rc == EXIT_DONE)
        rc = pipeline_load_fonts(&b->opts, &b->fonts, diags);
    if (rc == EXIT_DONE)
        rc = pipeline_check_roles(&b->opts, b->tpl, b->fonts, diags);
    if (rc == EXIT_DONE)
        rc = names_not_inputs(b, diags);
    if (rc == EXIT_DONE)
        rc = prepare_out_dir(o->out_dir, diags);
    b->shard_n = every_nth(b->n, o->shard_index, o->shard_count);
    return rc;
}

static void batch_close(batch *b)
{
    for (size_t i = 0; b->invalid && i < b->n; i++)
        diag_free(&b->invalid[i]);
    free(b->invalid);
    for (size_t i = 0; i < b->nunlinked; i++)
        xmlFreeNode(b->unlinked[i]);
    free(b->unlinked);
    for (size_t i = 0; b->stems && i < b->n; i++)
        free(b->stems[i]);
    free(b->stems);
    free(b->nodes);
    input_list_free(&b->inputs);
    pipeline_release_fonts(b->fonts);
    pipeline_release_template(b->tpl);
    xmlFreeDoc(b->record);
}

/* ---- one document ---- */

static void write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w, len -= (size_t)w;
    }
}

/* A node's diagnostics, each naming the node by position and file name so
 * that one failure among thousands can be found; written at once, so that
 * the lines of concurrent workers do not interleave. */
static void report_node(const batch *b, size_t i, const diag_list *found, FILE *report)
{
    if (found->n == 0)
        return;
    diag_list named = {0};
    int line = (int)xmlGetLineNo(b->nodes[i]);
    for (size_t d = 0; d < found->n; d++) {
        const diag *f = &found->items[d];
        diag_add(&named, f->level, f->file ? f->file : b->o->record, f->file ? f->line : line,
                 "node %zu (%s): %s", i + 1, b->stems[i], f->message);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem) {
        fputs(b->o->progress ? CLEAR_LINE : "", mem);
        diag_print(&named, mem);
        fclose(mem);
        fflush(report);
        write_all(fileno(report), text, len);
    } else {
        diag_print(&named, report);
    }
    free(text);
    diag_free(&named);
}

/* Render one document.  With a publisher, EXIT_DONE means its file has
 * been handed over and its outcome is still to come. */
static int render_doc(const batch *b, size_t doc, publisher *pub, FILE *report)
{
    size_t i = b->o->shard_index + doc * b->o->shard_count;
    char *out = xasprintf("%s/%s.pdf", b->o->out_dir, b->stems[i]);
    diag_list found = {0};
    int rc = EXIT_BAD_INPUT;
    if (b->invalid && b->invalid[i].n > 0)
        report_node(b, i, &b->invalid[i], report);
    else {
        pipeline_source src = {b->tpl, b->record, b->o->record, &b->nodes[i], 1};
        run_options opts = b->opts;
        opts.output = out, opts.publisher = pub;
        rc = pipeline_render(&src, b->fonts, &opts, &found);
    }
    report_node(b, i, &found, report);
    diag_free(&found);
    free(out);
    return rc;
}

/* An environment failure outweighs bad input: it says nothing about the
 * record and may fail every document after it. */
static int worse(int a, int b)
{
    if (a == EXIT_ENVIRONMENT || b == EXIT_ENVIRONMENT)
        return EXIT_ENVIRONMENT;
    return a == EXIT_BAD_INPUT || b == EXIT_BAD_INPUT ? EXIT_BAD_INPUT : EXIT_DONE;
}

/* The documents not yet taken, shared by the workers (memory mapped before
 * they fork): each takes the next one when it is free, so that neither is
 * left idle while the other has a queue (documents differ in length, and a
 * worker may share its core with something else). */
typedef struct doc_queue {
    size_t next;
    int stopped;
} doc_queue;

/* One worker's run through the queue. */
typedef struct share {
    const batch *b;
    doc_queue *queue;
    publisher *pub;
    size_t handed[PUBLISH_AHEAD]; /* documents handed over, from `first` on */
    size_t first;
    FILE *report;
    done_fn done;
    void *ctx;
    int rc;
} share;

/* Tell about a document; an environment failure stops every worker: a
 * full disk would fail every document after it the same way. */
static void share_done(share *s, size_t doc, int status)
{
    s->done(s->ctx, doc, status);
    s->rc = worse(s->rc, status);
    if (status == EXIT_ENVIRONMENT && !__atomic_exchange_n(&s->queue->stopped, 1, __ATOMIC_SEQ_CST)) {
        size_t taken = __atomic_load_n(&s->queue->next, __ATOMIC_SEQ_CST);
        size_t left = taken < s->b->shard_n ? s->b->shard_n - taken : 0;
        if (left > 0)
            fprintf(s->report, _("gen: batch stopped: %zu more documents not written\n"), left);
    }
}

/* The outcome of the oldest document handed over. */
static void collect_oldest(share *s)
{
    size_t doc = s->handed[s->first];
    s->first = (s->first + 1) % PUBLISH_AHEAD;
    diag_list found = {0};
    int status = publisher_collect(s->pub, &found) == 0 ? EXIT_DONE : EXIT_ENVIRONMENT;
    report_node(s->b, s->b->o->shard_index + doc * s->b->o->shard_count, &found, s->report);
    diag_free(&found);
    share_done(s, doc, status);
}

/* Documents from the queue until it is empty or stopped, telling `done`
 * about each once its file is in place.  Files are synced and named by a
 * publisher while the next documents are made (the sync is a wait for the
 * disk, not work). */
static int render_share(const batch *b, doc_queue *queue, FILE *report, done_fn done, void *ctx)
{
    share s = {.b = b, .queue = queue, .pub = publisher_new(), .report = report, .done = done,
               .ctx = ctx, .rc = EXIT_DONE};
    while (!__atomic_load_n(&queue->stopped, __ATOMIC_SEQ_CST)) {
        if (s.pub && publisher_pending(s.pub) == PUBLISH_AHEAD) {
            collect_oldest(&s);
            continue;
        }
        size_t doc = __atomic_fetch_add(&queue->next, 1, __ATOMIC_SEQ_CST);
        if (doc >= b->shard_n)
            break;
        int status = render_doc(b, doc, s.pub, report);
        if (status == EXIT_DONE && s.pub) /* handed over */
            s.handed[(s.first + publisher_pending(s.pub) - 1) % PUBLISH_AHEAD] = doc;
        else
            share_done(&s, doc, status);
    }
    while (s.pub && publisher_pending(s.pub) > 0)
        collect_oldest(&s);
    publisher_free(s.pub);
    return s.rc;
}

/* ---- the tally, the progress line and the summary ---- */

static void progress_show(tally *t)
{
    double when = now();
    if (!t->show || (when - t->shown < 0.1 && t->done < t->total))
        return;
    t->shown = when;
    fputs(CLEAR_LINE, t->report);
    fprintf(t->report, _("batch: %zu/%zu"), t->done, t->total);
    if (t->failed)
        fprintf(t->report, _(" (%zu failed)"), t->failed);
    fflush(t->report);
}

static void tally_add(void *ctx, size_t doc, int status)
{
    tally *t = ctx;
    if (doc >= t->total || t->status[doc] >= 0)
        return;
    t->status[doc] = (signed char)status;
    t->done++;
    t->failed += status != EXIT_DONE;
    progress_show(t);
}

/* A document never reported (its worker crashed) failed for no fault of
 * the record. */
static int tally_status(const tally *t)
{
    int rc = EXIT_DONE;
    for (size_t doc = 0; doc < t->total; doc++)
        rc = worse(rc, t->status[doc] < 0 ? EXIT_ENVIRONMENT : t->status[doc]);
    return rc;
}

static void print_summary(const tally *t, double started)
{
    size_t written = 0;
    for (size_t doc = 0; doc < t->total; doc++)
        written += t->status[doc] == EXIT_DONE;
    if (t->show)
        fputs(CLEAR_LINE, t->report);
    fprintf(t->report, _("batch: %zu written, %zu failed, %.1f s\n"), written, t->total - written,
            now() - started);
}

/* ---- workers ---- */

static void send_report(void *ctx, size_t doc, int status)
{
    doc_report r = {doc, status};
    write_all(*(int *)ctx, &r, sizeof r);
}

static int read_all(int fd, void *data, size_t len)
{
    char *p = data;
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, p + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got == len;
}

static int run_worker(batch *b, doc_queue *queue, int fd, FILE *report, diag_list *diags)
{
    b->is_worker = 1;
    diag_free(diags); /* the parent prints the run's own diagnostics */
    int rc = render_share(b, queue, report, send_report, &fd);
    close(fd);
    return rc;
}

/* Wait for every worker; one killed by a signal never reported the
 * documents it was making, which the tally counts as failed: say so. */
static void reap_workers(const pid_t *pids, size_t started, const tally *t)
{
    for (size_t w = 0; w < started; w++) {
        int st = 0;
        while (waitpid(pids[w], &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(st))
            fprintf(t->report,
                    _("%sgen: batch worker %zu (pid %ld) crashed (%s): the documents it had not "
                    "reported count as failed\n"),
                    t->show ? CLEAR_LINE : "", w + 1, (long)pids[w], strsignal(WTERMSIG(st)));
    }
}

/* The workers take documents from one queue and report each through the
 * pipe; the parent counts and shows progress.  In a worker this returns
 * the worker's status (b->is_worker set). */
static int run_parallel(batch *b, tally *t, FILE *report, diag_list *diags)
{
    int fds[2];
    doc_queue *queue = mmap(NULL, sizeof *queue, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (queue == MAP_FAILED || pipe(fds) != 0) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "cannot start workers: %s", strerror(errno));
        if (queue != MAP_FAILED)
            munmap(queue, sizeof *queue);
        return EXIT_ENVIRONMENT;
    }
    fflush(NULL); /* or the children would write the parent's buffers again */
    pid_t *pids = xmalloc(b->workers * sizeof *pids);
    size_t started = 0;
    for (; started < b->workers; started++) {
        pid_t pid = fork();
        if (pid == 0) {
            free(pids);
            close(fds[0]);
            return run_worker(b, queue, fds[1], report, diags);
        }
        if (pid < 0) {
            fprintf(report, _("gen: batch could not start worker %zu: %s\n"), started + 1,
                    strerror(errno));
            break;
        }
        pids[started] = pid;
    }
    close(fds[1]);
    doc_report r;
    while (read_all(fds[0], &r, sizeof r))
        tally_add(t, (size_t)r.doc, (int)r.status);
    close(fds[0]);
    reap_workers(pids, started, t);
    free(pids);
    munmap(queue, sizeof *queue);
    return tally_status(t);
}

static int run_serial(batch *b, tally *t, FILE *report)
{
    doc_queue queue = {0};
    render_share(b, &queue, report, tally_add, t);
    return tally_status(t);
}

static int batch_render(batch *b, FILE *report, diag_list *diags)
{
    const batch_options *o = b->o;
    tally t = {.total = b->shard_n, .report = report, .show = o->progress};
    t.status = xmalloc(b->shard_n + 1);
    memset(t.status, -1, b->shard_n + 1);
    b->workers = o->jobs < b->shard_n ? o->jobs : b->shard_n;
    progress_show(&t);
    int rc = b->workers > 1 ? run_parallel(b, &t, report, diags) : run_serial(b, &t, report);
    if (!b->is_worker)
        print_summary(&t, b->started);
    free(t.status);
    return rc;
}

int batch_run(const batch_options *o, FILE *report, diag_list *diags)
{
    batch b = {.o = o, .opts = *o->run, .started = now()};
    b.opts.inputs = &b.inputs;
    int rc = batch_open(&b, diags);
    if (rc == EXIT_DONE)
        rc = batch_render(&b, report, diags);
    batch_close(&b);
    return rc;
}
