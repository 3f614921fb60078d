/* gen campaign: the command (campaign.h).  Reads the folder once, checks
 * it, and prints the findings or writes the record asked for. */
#define _GNU_SOURCE
#include "campaign.h"

#include <errno.h>
#include <libxml/tree.h>
#include <libxml/xmlregexp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign_internal.h"
#include "exit_codes.h"
#include "i18n.h"
#include "load.h"
#include "out_file.h"
#include "out_guard.h"
#include "util.h"

const char campaign_usage[] =
    N_("usage: gen campaign check DIR\n"
    "       gen campaign list DIR -o FILE [--doc-number N] [--date YYYY-MM-DD]\n"
    "       gen campaign exposure DIR -o FILE [--doc-number N] [--date YYYY-MM-DD]\n"
    "       gen campaign bulletin DIR -o FILE [--doc-number N] [--date YYYY-MM-DD]\n"
    "DIR holds the campaign file (<campaign>, schemas/campaign.rng: the deadlines,\n"
    "the nomination quota, the bodies and the cities) and the records that come\n"
    "in: self-checks, nominations, the cities' inspection reports and public\n"
    "lists, any number, any file names (*.xml), each known by its root element;\n"
    "other XML files (a notice) are left out.  Every record is validated first.\n"
    "\n"
    "check     every record against the others, one finding a line,\n"
    "          FILE:LINE: message, then a summary.  A finding that blocks\n"
    "          publication: a nominee a city's report lists as a serious violator,\n"
    "          or whose certificate a self-check gives as suspended, withdrawn or\n"
    "          not conforming after rectification; an enterprise nominated by two\n"
    "          bodies; a nominee whose certificate number or region differs between\n"
    "          records; nominations from a body not on the roster; a public list\n"
    "          naming an excluded enterprise.  A warning: a body with no\n"
    "          self-check, or late, or nominating outside the quota; a city with no\n"
    "          report by its deadline.  Records match by certificate number where\n"
    "          both have one, else by name: full- and half-width, spaces and the\n"
    "          case of Latin letters do not matter; 有限公司 and 有限责任公司 are\n"
    "          the same company only when the certificate agrees.\n"
    "list      the public list (<public-list>, templates/demo-list.xml): every\n"
    "          nomination no finding excludes, by the roster's cities, with the\n"
    "          body that nominated it; those left out, with the reason, in a\n"
    "          comment at the end that the office reads and the template does not\n"
    "          print.\n"
    "exposure  the exposure list (<exposure-list>, templates/exposure-list.xml):\n"
    "          the serious violators of every city's report, by city.\n"
    "bulletin  a draft 通报 (<notice>, templates/notice.xml): the bodies that\n"
    "          self-checked in time and nominated within the quota (表扬), the\n"
    "          others with what they failed to do (通报批评); the office edits its\n"
    "          Markdown body before issuing it.\n"
    "\n"
    "  -o FILE            the record to write (atomically; never one of DIR's records)\n"
    "  --doc-number N     its 发文字号 (default: a placeholder, said in a comment)\n"
    "  --date YYYY-MM-DD  its date (default: today)\n"
    "\n"
    "exit status: check 0 when nothing blocks publication, 2 when something does;\n"
    "2 also for bad input (an unreadable or invalid record; nothing is written);\n"
    "1 an environment failure (the disk).\n");

typedef struct campaign_args {
    const char *job, *dir, *output;
    cp_issue issue;
} campaign_args;

static int parse(int argc, char **argv, campaign_args *a)
{
    *a = (campaign_args){0};
    if (argc < 1)
        return -1;
    a->job = argv[0];
    for (int i = 1; i < argc; i++) {
        int has_value = i + 1 < argc;
        if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && has_value)
            a->output = argv[++i];
        else if (!strcmp(argv[i], "--doc-number") && has_value)
            a->issue.doc_number = argv[++i];
        else if (!strcmp(argv[i], "--date") && has_value)
            a->issue.date = argv[++i];
        else if (argv[i][0] == '-' || a->dir) {
            fprintf(stderr, _("gen campaign: unexpected %s (gen campaign --help)\n"), argv[i]);
            return -1;
        } else
            a->dir = argv[i];
    }
    static const char *const jobs[] = {"check", "list", "exposure", "bulletin"};
    int known = 0;
    for (size_t k = 0; k < 4; k++)
        known |= !strcmp(a->job, jobs[k]);
    const char *missing = !known ? _("which job? check, list, exposure or bulletin")
                          : !a->dir ? _("which campaign folder?")
                          : !strcmp(a->job, "check") && (a->output || a->issue.doc_number || a->issue.date)
                              ? _("check writes nothing: no -o, --doc-number or --date")
                          : strcmp(a->job, "check") && !a->output ? _("into which file? -o FILE")
                                                                  : NULL;
    if (missing) {
        fprintf(stderr, _("gen campaign: %s (gen campaign --help)\n"), missing);
        return -1;
    }
    return 0;
}

/* The findings by file and line, in the check's order within a line. */
static int finding_order(const void *x, const void *y)
{
    const diag *a = *(const diag *const *)x, *b = *(const diag *const *)y;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a > b) - (a < b);
}

static size_t count_kind(const cp_folder *f, cp_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_records; i++)
        n += f->records[i].kind == kind;
    return n;
}

static int report(const cp_folder *f, diag_list *findings, size_t errors, FILE *out)
{
    /* sorted through pointers: the nominees keep the findings' indices */
    const diag **sorted = xmalloc((findings->n + 1) * sizeof *sorted);
    for (size_t i = 0; i < findings->n; i++)
        sorted[i] = &findings->items[i];
    qsort(sorted, findings->n, sizeof *sorted, finding_order);
    for (size_t i = 0; i < findings->n; i++) {
        diag_list one = {(diag *)sorted[i], 1, 1};
        diag_print(&one, out);
    }
    free(sorted);
    size_t nominees = 0, excluded = 0;
    for (size_t i = 0; i < f->n_rows; i++)
        if (f->rows[i].kind == CP_NOMINEE) {
            nominees++;
            excluded += f->rows[i].excluded_by >= 0;
        }
    fprintf(out,
            _("campaign %s: %zu self-checks, %zu nomination records, %zu inspection reports, %zu public "
            "lists; %zu of %zu nominees excluded; %zu findings, %zu blocking publication\n"),
            f->dir, count_kind(f, CP_SELF_CHECK), count_kind(f, CP_NOMINATIONS),
            count_kind(f, CP_INSPECTION), count_kind(f, CP_PUBLIC_LIST), excluded, nominees,
            findings->n, errors);
    return errors ? EXIT_BAD_INPUT : EXIT_DONE;
}

/* The output must not be one of the folder's records. */
static int guard(const cp_folder *f, const char *output, diag_list *diags)
{
    input_list inputs = {0};
    input_list_add(&inputs, f->campaign.file, "the campaign file");
    for (size_t i = 0; i < f->n_records; i++)
        input_list_add(&inputs, f->records[i].file, "a record of the campaign");
    const input_file *found = input_list_find(&inputs, output);
    if (found)
        out_guard_report(output, found, "choose another -o FILE", diags);
    input_list_free(&inputs);
    return found ? -1 : 0;
}

static int write_doc(xmlDoc *doc, const char *path, const char *schema, diag_list *diags)
{
    /* a record the program makes is checked as any other: one that fails
     * its schema is the program's fault */
    if (load_validate(doc, path, schema, diags) != 0)
        return EXIT_ENVIRONMENT;
    xmlChar *bytes = NULL;
    int len = 0;
    xmlDocDumpFormatMemoryEnc(doc, &bytes, &len, "UTF-8", 1);
    int rc = out_write_whole(path, bytes, (size_t)len, diags) == 0 ? EXIT_DONE : EXIT_ENVIRONMENT;
    xmlFree(bytes);
    return rc;
}

static int make(const cp_folder *f, const campaign_args *a, const diag_list *findings,
                const char *data_dir, diag_list *diags)
{
    xmlDoc *doc;
    const char *root;
    if (!strcmp(a->job, "list"))
        doc = cp_public_list(f, findings, &a->issue), root = "public-list";
    else if (!strcmp(a->job, "exposure"))
        doc = cp_exposure_list(f, &a->issue), root = "exposure-list";
    else
        doc = cp_bulletin(f, &a->issue), root = "notice";
    char *schema = xasprintf("%s/schemas/%s.rng", data_dir, root);
    int rc = write_doc(doc, a->output, schema, diags);
    free(schema);
    xmlFreeDoc(doc);
    return rc;
}

/* The schemas' pattern of a 发文字号. */
static int doc_number_ok(const char *s)
{
    xmlRegexp *re = xmlRegexpCompile((const xmlChar *)"\\S+〔[0-9]{4}〕[1-9][0-9]*号");
    int ok = re && xmlRegexpExec(re, (const xmlChar *)s) == 1;
    xmlRegFreeRegexp(re);
    return ok;
}

int campaign_main(int argc, char **argv, const char *data_dir, FILE *out, diag_list *diags)
{
    campaign_args a;
    if (parse(argc, argv, &a) != 0)
        return EXIT_BAD_INPUT;
    if (a.output && out_folder_exists(a.output, diags) != 0)
        return EXIT_BAD_INPUT;
    cp_folder f;
    int rc = cp_folder_read(&f, a.dir, data_dir, diags);
    if (rc == EXIT_DONE && a.output && guard(&f, a.output, diags) != 0)
        rc = EXIT_BAD_INPUT;
    if (rc == EXIT_DONE && a.issue.doc_number && !doc_number_ok(a.issue.doc_number)) {
        diag_add(diags, DIAG_ERROR, NULL, 0,
                 "--doc-number %s: a 发文字号 is the office's code, the year in 〔〕 and the number, "
                 "e.g. 浙质评公告〔2009〕12号",
                 a.issue.doc_number);
        rc = EXIT_BAD_INPUT;
    }
    if (rc == EXIT_DONE && a.issue.date) {
        int y, m, d;
        char extra;
        if (sscanf(a.issue.date, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31) {
            diag_add(diags, DIAG_ERROR, NULL, 0, "--date %s: write the date as YYYY-MM-DD", a.issue.date);
            rc = EXIT_BAD_INPUT;
        }
    }
    if (rc == EXIT_DONE) {
        diag_list findings = {0};
        size_t errors = cp_check(&f, &findings);
        if (!strcmp(a.job, "check"))
            rc = report(&f, &findings, errors, out);
        else
            rc = make(&f, &a, &findings, data_dir, diags);
        diag_free(&findings);
    }
    cp_folder_free(&f);
    return rc;
}
