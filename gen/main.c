/* gen: the command line.  Reads options, runs the pipeline stages in
 * order, prints what they found, and decides the exit status:
 * 0 done, 2 bad input, 1 an environment or internal failure. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "blocks.h"
#include "campaign.h"
#include "data_dir.h"
#include "desk_worker.h"
#include "diag.h"
#include "font.h"
#include "import_csv.h"
#include "out_guard.h"
#include "record_new.h"
#include "schema_fields.h"
#include "field_reference.h"
#include "out_file.h"
#include "heap.h"
#include "i18n.h"
#include "load.h"
#include "pdfa.h"
#include "pipeline.h"
#include "template.h"
#include "utf8.h"
#include "util.h"
#include "version.h"

/* The command line.  What the pipeline reads of it is `run`, handed down
 * as it is (run.output is set by each command: -o is a folder for batch). */
typedef struct options {
    const char *command;
    const char *template_arg;
    const char *record;
    const char *output;
    run_options run;
    int pdfa;       /* --pdfa: render, batch and check (run.pdfa is its profile) */
    char *data_dir; /* where templates/, fonts/ and schemas/ live (run.data_dir) */
    /* batch only */
    const char *each, *name, *jobs, *shard;
    /* import: gen import [csv|xlsx] --type T FILE [--sheet NAME] [--encoding E]
     * [--set 标签=值]...; --encoding is also the records' encoding for render,
     * check and batch */
    const char *import_from, *type, *encoding, *sheet;
    const char **settings;
    size_t n_settings, settings_cap;
    /* render --bundle NOTICE.xml ATTACHMENT.xml ...: the records after the first */
    int bundle;
    const char **attachments;
    size_t n_attachments, attachments_cap;
} options;

static const char usage[] =
    N_("usage: gen COMMAND [OPTIONS]\n"
    "\n"
    "Turns campaign records (XML) into finished PDFs through templates.\n"
    "\n"
    "commands:\n"
    "  render [-t TEMPLATE] RECORD.xml [-o OUT.pdf]   one PDF\n"
    "  render --bundle NOTICE.xml ATTACHMENT.xml... [-o OUT.pdf]\n"
    "                                                 a notice and its attachments as one PDF\n"
    "  batch  [-t TEMPLATE] RECORD.xml [--each XPATH] -o DIR [--name XPATH]\n"
    "         [-j N] [--shard I/N]                    one PDF per node, into DIR\n"
    "  check  [-t TEMPLATE] RECORD.xml                validate only\n"
    "  fonts  [RECORD.xml]                            font roles and coverage\n"
    "  import --type selfcheck|nominations FILE.xlsx|FILE.csv [-o RECORD.xml]\n"
    "         [--sheet NAME] [--set 标签=值]...     an Excel sheet (.xlsx or CSV) as a\n"
    "                                                 record (default: standard output)\n"
    "  new    notice|selfcheck|nominations|inspection|public-list [-o FILE]\n"
    "                                                 a blank record to fill in, every field\n"
    "                                                 with a comment saying what goes there\n"
    "  fields [TYPE] [--man]                          the fields of each record type (Markdown)\n"
    "  campaign check|list|exposure|bulletin DIR [-o FILE]\n"
    "                                                 a campaign folder: its records checked\n"
    "                                                 against each other; the public list,\n"
    "                                                 the exposure list, the 通报\n"
    "  serve  --data DIR [--listen HOST:PORT]         the campaign desk: a web server for\n"
    "                                                 the clerks (README)\n"
    "\n"
    "options:\n"
    "  -t, --template NAME|PATH   template (default: chosen by the record's root element)\n"
    "  -o, --output FILE          output PDF (default: beside the record, .pdf);\n"
    "                             for batch, the output folder; for import and new,\n"
    "                             the record\n"
    "      --strict               warnings are errors (characters no font has, typos\n"
    "                             in the template's XPath)\n"
    "      --pdfa                 render, batch: PDF/A-1b for archiving (sRGB output intent,\n"
    "                             XMP metadata, seals flattened); check: can it be made\n"
    "      --layout-dump FILE     render, check: the laid-out pages also as text\n"
    "      --duplex               render, batch, check: for printing on both sides, the 版记\n"
    "                             on an even page (a blank page before it if need be)\n"
    "      --fonts FILE           font map (default: fonts/fonts.xml)\n"
    "      --templates DIR        template folder (default: templates/)\n"
    "      --encoding E           read the record as E (GBK, GB18030, UTF-8) whatever it\n"
    "                             declares; a file in another encoding than it says is refused\n"
    "      --each XPATH           batch: the nodes, one PDF each (default: template's each=)\n"
    "      --name XPATH           batch: each node's file name (default: its position)\n"
    "  -j, --jobs N               batch: N worker processes (default 1)\n"
    "      --shard I/N            batch: only nodes I, I+N, I+2N, ... (0 <= I < N), to split\n"
    "                             a run across machines (Kubernetes indexed Jobs, Slurm\n"
    "                             array tasks, GNU parallel); names do not depend on it\n"
    "  -h, --help                 this text;  gen COMMAND --help for one command\n"
    "      --version              the version\n"
    "\n"
    "exit status: 0 done; 2 bad input (unreadable, invalid, unknown template);\n"
    "1 an environment or internal failure (missing font file, disk full).\n");

static const char *const command_help[][2] = {
    {"render", N_("usage: gen render [-t TEMPLATE] RECORD.xml [-o OUT.pdf] [--strict] [--pdfa]\n"
               "                  [--duplex]\n"
               "Validate the record, lay it out through the template and write one PDF.\n"
               "Without -t the template is chosen from the record's root element; without\n"
               "-o the PDF goes beside the record with the extension changed.  A failed run\n"
               "leaves no partial PDF behind.  --pdfa writes PDF/A-1b, for archiving: an sRGB\n"
               "output intent, XMP metadata, seals flattened (drawn under the text, no\n"
               "transparency); it needs the sRGB profile of the package icc-profiles-free.\n"
               "--layout-dump FILE also writes the laid-out pages as text (gen/layout_dump.h).\n"
               "--duplex lays the pages out for printing on both sides of the paper: the 版记\n"
               "ends on an even page, the back of the last sheet (GB/T 9704-2012 7.4).  When\n"
               "the text ends on an odd page, the 版记 goes over the leaf; when it stands on\n"
               "a page of its own that would be odd, a blank page comes before it, and\n"
               "neither carries a page number (7.5).  It applies to --bundle too.\n"
               "\n"
               "       gen render --bundle NOTICE.xml ATTACHMENT.xml... [-o OUT.pdf]\n"
               "Issue a notice and its attachments as one PDF: each attachment through the\n"
               "template its <attachment ref=...> in the notice names (else its record's own),\n"
               "from a new page of its own paper, the pages numbered on from the notice's, the\n"
               "notice's 版记 at the end, and a bookmark for the notice and each attachment.\n")},
    {"batch",
     N_("usage: gen batch [-t TEMPLATE] RECORD.xml [--each XPATH] -o DIR [--name XPATH]\n"
     "                 [-j N] [--shard I/N] [--strict] [--pdfa] [--duplex]\n"
     "Write one PDF per node that XPATH selects from the record's root (default:\n"
     "the template's own each=, e.g. every <nomination>) into DIR, which is created\n"
     "if missing.  Record, template and fonts are read once for the whole run.\n"
     "\n"
     "  --name XPATH  the file name, evaluated with the node as context (e.g.\n"
     "                --name enterprise), made safe: no '/', control characters or\n"
     "                leading '.', trimmed, at most 200 bytes.  Without --name the\n"
     "                files are named by position (1.pdf, 2.pdf, ...).  A --name\n"
     "                that gives a node no name (it selects nothing there, or only\n"
     "                dots and spaces) is refused before any file is written, each\n"
     "                such node listed with its line: every file is named, or none\n"
     "                is written.  Equal names are numbered in node order:\n"
     "                NAME.pdf, NAME-2.pdf, ...\n"
     "  -j N          N worker processes (fork); default 1, in this process\n"
     "  --shard I/N   only nodes I, I+N, I+2N, ... (I counted from 0, 0 <= I < N),\n"
     "                so that a scheduler can split one run across machines, e.g.\n"
     "                  Kubernetes indexed Job:  --shard $JOB_COMPLETION_INDEX/8\n"
     "                  Slurm --array=0-7:       --shard $SLURM_ARRAY_TASK_ID/8\n"
     "                  GNU parallel:  parallel gen batch ... --shard {}/8 ::: $(seq 0 7)\n"
     "                File names are decided over all the nodes, so a node gets the\n"
     "                same name whatever the sharding.\n"
     "  --strict      characters no font has are errors, not warnings\n"
     "  --pdfa        PDF/A-1b files, for archiving (see gen render --help)\n"
     "  --duplex      for printing on both sides: each 版记 on an even page (see\n"
     "                gen render --help)\n"
     "\n"
     "A node that fails does not stop the batch: its problems are reported as\n"
     "RECORD:LINE: node K (NAME): message, no file is left for it, and the other\n"
     "nodes are written.  A progress line is shown when standard error is a\n"
     "terminal; a summary (batch: W written, F failed, S.S s) ends the run.\n"
     "exit status: 0 every PDF written; 2 bad input (a node failed, an invalid\n"
     "record or XPath, a --name that names not every node, a file name that is\n"
     "one of the inputs); 1 an environment failure (the folder cannot be created or\n"
     "written, a disk full, a worker crashed), which also stops that process.\n")},
    {"check", N_("usage: gen check [-t TEMPLATE] RECORD.xml [--strict] [--pdfa] [--duplex]\n"
              "Validate only: every problem is reported as FILE:LINE: message; exit status 2\n"
              "when there is any.  The template's typos are warnings (errors with --strict):\n"
              "an expression that found nothing in every node and names an element or\n"
              "attribute the record's schema does not define (of=\"postcod\").  With --pdfa,\n"
              "also whether PDF/A can be written here (exit status 1 when its ICC profile\n"
              "is not installed).  --layout-dump FILE writes the laid-out pages as text;\n"
              "--duplex lays them out for printing on both sides (see gen render --help).\n")},
    {"new", N_("usage: gen new notice|selfcheck|nominations|inspection|public-list [-o FILE]\n"
            "A blank record of the type, made from its schema: every field there, empty,\n"
            "under a comment in Chinese saying what goes in it (the label the form prints,\n"
            "the format, an example); optional fields as comments to uncomment.  Fill it\n"
            "in and check it with gen check FILE: a field left empty is named with its line.\n"
            "-o FILE writes it there (never over an existing file); else standard output.\n")},
    {"fields", N_("usage: gen fields [notice|selfcheck|nominations|inspection|public-list] [--man]\n"
               "The fields of each record type, from the schemas: label, element (@ for an\n"
               "attribute), required or not, format, example; Markdown (docs/fields.md), or\n"
               "with --man the section of the manual page.  make reference writes both.\n")},
    {"import",
     N_("usage: gen import --type selfcheck|nominations FILE.xlsx|FILE.csv [-o RECORD.xml]\n"
     "                  [--sheet NAME] [--encoding GBK|UTF-8] [--set 标签=值]...\n"
     "Turn a sheet into a record.  The file is read as what it is, whatever its\n"
     "name: an Excel workbook (.xlsx: the first sheet, or --sheet NAME) or a CSV\n"
     "file saved from Excel; an old .xls workbook or a Word file is refused with\n"
     "what to save it as (\"gen import csv|xlsx --type ...\", the older form, still\n"
     "works).  The heading row is the first row that names the columns, in Chinese\n"
     "as a clerk types them (spaces and full- or half-width brackets do not matter);\n"
     "a title or blank rows above it are skipped, and merged heading cells are read\n"
     "as the text they show.  Every row below it is one enterprise (selfcheck) or\n"
     "one nomination (nominations); empty rows are skipped.  A column the record\n"
     "does not know (备注, 统一社会信用代码) is kept in each row as\n"
     "<extra name=\"备注\">, with one warning; templates print it by that name.\n"
     "\n"
     "  -o FILE        write the record there, replacing it in one step only when\n"
     "                 all is well (else the old file is left as it was); without\n"
     "                 -o the record goes to standard output.\n"
     "  --sheet NAME   the sheet of an .xlsx workbook (default: the first).\n"
     "  --encoding E   a CSV file's encoding: GBK (the default, what Excel on Chinese\n"
     "                 Windows saves; read as GB18030) or UTF-8.  A file that starts\n"
     "                 with a UTF-8 byte-order mark is UTF-8 whatever this says.\n"
     "  --set 标签=值  what the rows do not hold; 报告=@FILE reads the report from\n"
     "                 FILE (UTF-8 or GBK).\n"
     "\n"
     "--type selfcheck (<self-check>), every column needed:\n"
     "  企业名称, 所在地区 (or 所在市), 所在县（市、区） (or 县（市、区）), 企业地址 (or\n"
     "  地址), 邮政编码 (6 digits), 主要产品, 证书编号, 认证类型 (QMS EMS OHSMS FSMS\n"
     "  CCC, or 质量管理体系, 环境管理体系, 职业健康安全管理体系, 食品安全管理体系,\n"
     "  强制性产品认证), 认证标准 (or 认证依据), 发证日期, 有效期至 (or 证书有效期),\n"
     "  证书状态 (有效 暂停 撤销 注销 过期, or valid suspended withdrawn cancelled\n"
     "  expired), 检查日期, 处理结果 (符合要求 整改后符合 暂停证书 撤销证书, or pass\n"
     "  rectified suspended withdrawn), 发现的主要问题, 整改措施; a 序号 column is\n"
     "  allowed and ignored.\n"
     "  settings: 认证机构, 批准号, 机构地址, 联系人, 联系电话, 检查开始, 检查结束,\n"
     "  报告 (Markdown), and if not as by default: 年度 (the year of 检查结束),\n"
     "  署名 (认证机构), 日期 (检查结束); for a report to another province,\n"
     "  主送机关 (e.g. 江苏省质量技术监督局) and 省份 (江苏省).\n"
     "\n"
     "--type nominations (<nominations>), every column needed:\n"
     "  推荐企业 (or 企业名称), 所在地区, 企业地址, 邮政编码, 主要产品, 联系人,\n"
     "  联系电话, 认证类型 (as text, e.g. 质量管理体系认证（GB/T 19001-2008）),\n"
     "  证书有效期, 推荐理由 (Markdown), 填表人, 审核人, 填报时间.\n"
     "  settings: 推荐单位, and if not as by default: 年度 (the year of 填报时间).\n"
     "\n"
     "Dates may be written 2009-08-04, 2009-8-4, 2009/8/4, 2009.8.4 or 2009年8月4日,\n"
     "or be real Excel dates; 有效期至 before 发证日期, or 检查结束 before 检查开始,\n"
     "is an error.  A certificate number Excel turned into 2.00701E+15 (or into\n"
     "digits ending in zeros) is refused: format the column as 文本 (text) and type\n"
     "the numbers again.  Every problem is reported, each bad row as FILE:ROW: with\n"
     "its enterprise, the heading and what is wrong, and then nothing is written.\n"
     "example: gen import --type selfcheck 自查.xlsx --set 认证机构=东海质量认证有限公司 \\\n"
     "           --set 批准号=CNCA-R-2003-099 ... --set 报告=@报告.md -o selfcheck.xml\n"
     "exit status: 0 written; 2 bad input (a wrong cell, heading, setting, sheet or\n"
     "encoding); 1 an environment or internal failure.\n")},
    {"fonts", N_("usage: gen fonts [RECORD.xml [-t TEMPLATE]] [--fonts FILE] [--strict]\n"
              "List the font roles of the font map, every file or family each names (-> the\n"
              "first it draws with, its family, style, file and index; (not found), or\n"
              "(cannot be used) with the reason), the characters of the record (if given)\n"
              "that no font covers, and those its template sets in a role whose first\n"
              "font lacks them, with the font that draws them.  A file that is\n"
              "missing (unless optional=\"yes\") or cannot be used is also a warning at its\n"
              "line of the map, as for render and check (an error with --strict).\n"
              "exit status: 1 when a role has no usable file.\n")},
};

static int parse_args(int argc, char **argv, options *o)
{
    if (argc < 2)
        return -1;
    o->command = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if ((!strcmp(a, "-t") || !strcmp(a, "--template")) && has_value)
            o->template_arg = argv[++i];
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value)
            o->output = argv[++i];
        else if (!strcmp(a, "--fonts") && has_value)
            o->run.fonts = argv[++i];
        else if (!strcmp(a, "--templates") && has_value)
            o->run.templates = argv[++i];
        else if (!strcmp(a, "--strict"))
            o->run.strict = 1;
        else if (!strcmp(a, "--pdfa") && (!strcmp(o->command, "render") ||
                                          !strcmp(o->command, "batch") || !strcmp(o->command, "check")))
            o->pdfa = 1;
        else if (!strcmp(a, "--each") && has_value)
            o->each = argv[++i];
        else if (!strcmp(a, "--name") && has_value)
            o->name = argv[++i];
        else if ((!strcmp(a, "-j") || !strcmp(a, "--jobs")) && has_value)
            o->jobs = argv[++i];
        else if (!strcmp(a, "--shard") && has_value)
            o->shard = argv[++i];
        else if (!strcmp(a, "--type") && has_value)
            o->type = argv[++i];
        else if (!strcmp(a, "--sheet") && has_value)
            o->sheet = argv[++i];
        else if (!strcmp(a, "--encoding") && has_value)
            o->run.encoding = argv[++i];
        else if (!strcmp(a, "--set") && has_value) {
            GROW(o->settings, o->n_settings, o->settings_cap);
            o->settings[o->n_settings++] = argv[++i];
        }
        else if (!strcmp(a, "--layout-dump") && has_value &&
                 (!strcmp(o->command, "render") || !strcmp(o->command, "check")))
            o->run.layout_dump = argv[++i];
        else if (!strcmp(a, "--bundle") && !strcmp(o->command, "render"))
            o->bundle = 1;
        else if (!strcmp(a, "--duplex") && (!strcmp(o->command, "render") ||
                                            !strcmp(o->command, "batch") || !strcmp(o->command, "check")))
            o->run.duplex = 1;
        else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, _("gen: unknown option or missing value: %s\n"), a);
            return -1;
        } else if (!strcmp(o->command, "import") && !o->import_from)
            o->import_from = a; /* gen import csv|xlsx ...: what the file is, or the file */
        else if (!o->record)
            o->record = a;
        else if (o->bundle) {
            GROW(o->attachments, o->n_attachments, o->attachments_cap);
            o->attachments[o->n_attachments++] = a;
        } else {
            fprintf(stderr, _("gen: one record at a time (got %s and %s)\n"), o->record, a);
            return -1;
        }
    }
    return 0;
}

/* --type, --sheet or --set given to another command (--encoding is also the
 * records' own). */
static int import_only_option(const options *o)
{
    const char *given = !strcmp(o->command, "import") ? NULL
                        : o->type                     ? "--type"
                        : o->sheet                    ? "--sheet"
                        : o->settings                 ? "--set"
                                                      : NULL;
    if (!given)
        return 0;
    fprintf(stderr, _("gen %s: %s is an option of gen import\n"), o->command, given);
    return 1;
}

/* --each and the like given to another command: surely a mistake. */
static int batch_only_option(const options *o)
{
    const char *given = o->each    ? "--each"
                        : o->name  ? "--name"
                        : o->jobs  ? "-j"
                        : o->shard ? "--shard"
                                   : NULL;
    if (!given || !strcmp(o->command, "batch"))
        return 0;
    fprintf(stderr, _("gen %s: %s is an option of gen batch\n"), o->command, given);
    return 1;
}

/* The run's options with `out`, the PDF the command writes (render), or
 * NULL. */
static run_options run_of(const options *o, const char *out)
{
    run_options opts = o->run;
    opts.output = out;
    return opts;
}

/* Record, template, fonts: what render and check both need. */
typedef struct job {
    xmlDoc *record;
    template *tpl;
    font_set *fonts;
    run_options run; /* the record's check reads them until it ends */
} job;

/* The record is read, its check begun (pipeline_check_begin), the template
 * and the fonts loaded; when these fail, the check is waited for, as an
 * invalid record's messages come first. */
static int job_open(const options *o, const char *out, job *j, pipeline_check *check,
                    diag_list *diags)
{
    j->run = run_of(o, out);
    const run_options *opts = &j->run;
    int rc = pipeline_read_record(opts, o->record, &j->record, diags);
    if (rc != EXIT_DONE)
        return rc;
    size_t first = diags->n;
    pipeline_check_begin(opts, o->record, j->record, check);
    rc = pipeline_find_template(opts, o->template_arg, j->record, o->record, &j->tpl, diags);
    if (rc == EXIT_DONE)
        rc = pipeline_load_fonts(opts, &j->fonts, diags);
    if (rc == EXIT_DONE)
        rc = pipeline_check_roles(opts, j->tpl, j->fonts, diags);
    if (rc != EXIT_DONE) {
        int valid = pipeline_check_end(check, first, diags);
        return valid != EXIT_DONE ? valid : rc;
    }
    return rc;
}

static void job_close(job *j)
{
    pipeline_release_fonts(j->fonts);
    pipeline_release_template(j->tpl);
    xmlFreeDoc(j->record);
}

/* render and check: the template's nodes (or the root) into one PDF, or
 * (out == NULL) laid out only. */
static int render_one(const options *o, const char *out, diag_list *diags)
{
    heap_prefer_huge_pages_for(o->record);
    job j = {0};
    pipeline_check check;
    size_t first = diags->n;
    int rc = job_open(o, out, &j, &check, diags);
    if (rc == EXIT_DONE) {
        xmlNode **nodes = NULL;
        size_t n = template_select(j.tpl, j.record, NULL, &nodes, diags);
        if (n == 0) {
            free(nodes);
            rc = pipeline_check_end(&check, first, diags);
            if (rc == EXIT_DONE) {
                rc = EXIT_BAD_INPUT;
                if (diag_count(diags, DIAG_ERROR) == 0)
                    diag_add(diags, DIAG_ERROR, o->record, 0,
                             "the record holds nothing for the template %s", template_name(j.tpl));
            }
        } else {
            pipeline_source src = {j.tpl, j.record, o->record, nodes, n};
            j.record = NULL; /* pipeline_render_owned frees it */
            rc = pipeline_render_owned(&src, &check, j.fonts, &j.run, diags);
        }
    }
    job_close(&j);
    return rc;
}

static char *default_output(const char *record)
{
    size_t n = strlen(record);
    if (n > 4 && strcmp(record + n - 4, ".xml") == 0)
        return xasprintf("%.*s.pdf", (int)(n - 4), record);
    return xasprintf("%s.pdf", record);
}

/* render --bundle: the notice (o->record) and its attachments in one PDF. */
static int render_bundle(const options *o, const char *out, diag_list *diags)
{
    run_options opts = run_of(o, out);
    font_set *fonts = NULL;
    int rc = pipeline_load_fonts(&opts, &fonts, diags);
    if (rc == EXIT_DONE) {
        const char **paths = xmalloc((o->n_attachments + 1) * sizeof *paths);
        paths[0] = o->record;
        for (size_t i = 0; i < o->n_attachments; i++)
            paths[i + 1] = o->attachments[i];
        rc = pipeline_render_bundle(&opts, paths, o->n_attachments + 1, o->template_arg, fonts,
                                    diags);
        free(paths);
    }
    pipeline_release_fonts(fonts);
    return rc;
}

static int cmd_render(const options *o, diag_list *diags)
{
    if (o->output && out_folder_exists(o->output, diags) != 0)
        return EXIT_BAD_INPUT;
    char *out = o->output ? xstrdup(o->output) : default_output(o->record);
    int rc = o->bundle ? render_bundle(o, out, diags) : render_one(o, out, diags);
    free(out);
    return rc;
}

/* batch: its options checked here, so that a typo fails before any work. */
static int cmd_batch(const options *o, diag_list *diags)
{
    run_options opts = run_of(o, NULL);
    batch_options b = {.run = &opts,
                       .record = o->record,
                       .template_arg = o->template_arg,
                       .each = o->each,
                       .name = o->name,
                       .out_dir = o->output,
                       .jobs = 1,
                       .shard_index = 0,
                       .shard_count = 1,
                       .progress = isatty(STDERR_FILENO)};
    if (!o->output) {
        fputs(_("gen batch: into which folder? -o DIR (gen batch --help)\n"), stderr);
        return EXIT_BAD_INPUT;
    }
    if (out_folder_exists(o->output, diags) != 0)
        return EXIT_BAD_INPUT;
    if (o->jobs && batch_parse_jobs(o->jobs, &b.jobs) != 0) {
        fprintf(stderr, _("gen batch: -j %s: the number of workers is 1 to 1024\n"), o->jobs);
        return EXIT_BAD_INPUT;
    }
    if (o->shard && batch_parse_shard(o->shard, &b.shard_index, &b.shard_count) != 0) {
        fprintf(stderr, _("gen batch: --shard %s: expected I/N with 0 <= I < N, e.g. 0/4\n"),
                o->shard);
        return EXIT_BAD_INPUT;
    }
    return batch_run(&b, stderr, diags);
}

/* The record made in memory, then written to standard output: a sheet
 * found wrong writes nothing there. */
static int import_to_stdout(const import_options *io, diag_list *diags)
{
    xmlOutputBuffer *out = xmlAllocOutputBuffer(NULL);
    int rc = import_csv(io, out, diags);
    size_t len = xmlOutputBufferGetSize(out);
    if (rc == EXIT_DONE && (fwrite(xmlOutputBufferGetContent(out), 1, len, stdout) != len ||
                            fflush(stdout) != 0 || ferror(stdout))) {
        diag_add(diags, DIAG_ERROR, NULL, 0, "cannot write the record to standard output: %s",
                 strerror(errno));
        rc = EXIT_ENVIRONMENT;
    }
    xmlOutputBufferClose(out);
    return rc;
}

/* The record written into FILE as it is made, and given its name only
 * when it is whole: a wrong sheet or a failed write leaves the old FILE
 * as it was (out_file.h). */
static int import_to_file(const import_options *io, const char *path, diag_list *diags)
{
    out_file f;
    if (out_open(path, &f, diags) != 0)
        return EXIT_ENVIRONMENT;
    xmlOutputBuffer *out = xmlOutputBufferCreateFd(f.fd, NULL);
    if (!out) {
        out_abandon(&f, ENOMEM, diags);
        return EXIT_ENVIRONMENT;
    }
    int rc = import_csv(io, out, diags);
    int err = out->error ? EIO : 0; /* libxml2 keeps no errno */
    if (xmlOutputBufferClose(out) < 0 && !err)
        err = EIO;
    if (rc == EXIT_DONE && err == 0)
        return out_finish(&f, diags) == 0 ? EXIT_DONE : EXIT_ENVIRONMENT;
    /* a wrong sheet is reported already; a failed write is said here */
    out_abandon(&f, rc == EXIT_DONE ? err : 0, diags);
    return rc == EXIT_DONE ? EXIT_ENVIRONMENT : rc;
}

/* import: a sheet in, a record out; nothing is written unless all is well. */
static int cmd_import(const options *o, diag_list *diags)
{
    /* the file is read as what its bytes are: "csv" or "xlsx" before it
     * only says what the clerk has, and may be left out */
    int kind_named = o->import_from &&
                     (!strcmp(o->import_from, "csv") || !strcmp(o->import_from, "xlsx"));
    const char *file = kind_named ? o->record : o->record ? NULL : o->import_from;
    const char *missing = !kind_named && o->record
                              ? _("from what? gen import --type TYPE FILE (a .xlsx or .csv file)")
                          : !o->type ? _("which record? --type selfcheck or --type nominations")
                          : !file    ? _("which file? gen import --type TYPE FILE (a .xlsx or .csv file)")
                                     : NULL;
    if (missing) {
        fprintf(stderr, _("gen import: %s (gen import --help)\n"), missing);
        return EXIT_BAD_INPUT;
    }
    import_options io = {o->type,        file,        o->run.encoding, o->settings,
                         o->n_settings, o->data_dir, o->sheet};
    if (!o->output)
        return import_to_stdout(&io, diags);
    /* -o: into a folder that is there, and never over the sheet itself */
    if (out_folder_exists(o->output, diags) != 0 ||
        out_guard(o->output, file, N_("the sheet"), N_("choose another record file (-o)"), diags) != 0)
        return EXIT_BAD_INPUT;
    return import_to_file(&io, o->output, diags);
}

/* check without -t: the record through every template that lays it out
 * (a self-check record is both a report and a summary table). */
static int cmd_check(const options *o, diag_list *diags)
{
    if (o->template_arg)
        return render_one(o, NULL, diags);
    run_options opts = run_of(o, NULL);
    xmlDoc *record = NULL;
    /* a broken record is reported once, not once per template */
    int rc = pipeline_load_record(&opts, o->record, &record, diags);
    char **names = NULL;
    size_t n = 0;
    if (rc == EXIT_DONE)
        n = pipeline_templates_for(&opts, (const char *)xmlDocGetRootElement(record)->name, &names,
                                   &(int){0});
    xmlFreeDoc(record);
    if (rc != EXIT_DONE || n < 2) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return rc != EXIT_DONE ? rc : render_one(o, NULL, diags);
    }
    size_t first = diags->n;
    for (size_t i = 0; i < n; i++) {
        options each = *o;
        each.template_arg = names[i];
        int r = render_one(&each, NULL, diags);
        rc = rc == EXIT_DONE ? r : rc;
        free(names[i]);
    }
    free(names);
    diag_drop_repeats(diags, first); /* what one template includes, the other may be */
    return rc;
}

/* A role and every file the map lists for it: "->" the first it draws
 * with, then the others it falls back to, and those it cannot use; a
 * family (family="...") with the file fontconfig found for it; each face
 * with its own family and style names. */
static void print_role(const font_set *set, size_t r)
{
    printf("%s\n", font_set_role_name(set, r));
    int first = 1;
    for (size_t k = 0; k < font_set_entry_count(set, r); k++) {
        font_entry_info e = font_set_entry(set, r, k);
        if (e.face)
            printf("  %s ", first ? "->" : "  "), first = 0;
        else
            printf("  (%s) ", e.missing ? _("not found") : _("cannot be used"));
        if (e.family)
            printf("family %s%s%s%s", e.family, e.style ? " (" : "", e.style ? e.style : "",
                   e.style ? ")" : "");
        if (e.family && e.path)
            printf(": ");
        if (e.path)
            printf("%s", e.path);
        if (e.path && (e.index > 0 || e.family))
            printf(" (index %d)", e.index);
        if (e.face)
            printf("  [%s %s]", font_face_family(e.face), font_face_style(e.face));
        else if (e.why)
            printf(": %s", e.why);
        else if (e.optional)
            printf("%s", _("  [optional]"));
        printf("\n");
    }
}

/* The characters of the record that fell back from their role's first
 * face, and to which face. */
static int print_fallbacks(const options *o, const run_options *opts, const font_set *set,
                           diag_list *diags)
{
    pipeline_fallbacks fb;
    int rc = pipeline_font_fallbacks(opts, o->record, o->template_arg, set, &fb, diags);
    if (rc == EXIT_DONE && fb.n == 0)
        printf(_("%s: every character is drawn with its role's first font\n"), o->record);
    else if (rc == EXIT_DONE)
        printf(_("%s: drawn with another font than the role's first:\n"), o->record);
    for (size_t i = 0; i < fb.n; i++) {
        char utf8[5] = {0};
        utf8_encode(fb.items[i].cp, utf8);
        printf("  %s: %s (U+%04X) %s%s\n", fb.items[i].role, utf8, (unsigned)fb.items[i].cp,
               fb.items[i].face ? _("from ") : _("in no font"), 
               fb.items[i].face ? font_face_family(fb.items[i].face) : "");
    }
    free(fb.items);
    return rc;
}

/* Characters of the record's text that no face of the map has. */
static int print_uncovered(const font_set *set, xmlNode *node, const char *path)
{
    int missing = 0;
    for (xmlNode *n = node; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content) {
            uint32_t *cps = NULL;
            size_t bad;
            long len = utf8_decode((const char *)n->content, strlen((const char *)n->content),
                                   &cps, &bad);
            for (long i = 0; i < len; i++) {
                if (cps[i] < 0x20)
                    continue;
                int covered = 0;
                for (size_t r = 0; r < font_set_role_count(set) && !covered; r++)
                    covered = font_for_char(set, font_set_role_name(set, r), cps[i]) != NULL;
                if (!covered) {
                    char utf8[5] = {0};
                    utf8_encode(cps[i], utf8);
                    printf(_("%s:%ld: %s U+%04X in <%s>: no font has it\n"), path,
                           (long)xmlGetLineNo(n->parent), utf8, (unsigned)cps[i],
                           (const char *)n->parent->name);
                    missing++;
                }
            }
            free(cps);
        }
        missing += print_uncovered(set, n->children, path);
    }
    return missing;
}

static int cmd_fonts(const options *o, diag_list *diags)
{
    run_options opts = run_of(o, NULL);
    size_t first = diags->n;
    font_set *set = pipeline_read_fonts(&opts, diags);
    if (!set)
        return EXIT_ENVIRONMENT;
    for (size_t r = 0; r < font_set_role_count(set); r++)
        print_role(set, r);
    int rc = pipeline_fonts_status(set, o->run.strict, first, diags);
    if (o->record) {
        xmlDoc *doc = load_xml(o->record, diags);
        if (!doc)
            rc = rc == EXIT_DONE ? EXIT_BAD_INPUT : rc;
        else if (print_uncovered(set, xmlDocGetRootElement(doc), o->record) == 0)
            printf(_("%s: every character is covered\n"), o->record);
        xmlFreeDoc(doc);
        if (doc && font_set_complete(set)) {
            int fb = print_fallbacks(o, &opts, set, diags);
            rc = rc == EXIT_DONE ? fb : rc;
        }
    }
    font_set_free(set);
    return rc;
}

static int wants_help(int argc, char **argv)
{
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

static int command_usage(const char *command)
{
    for (size_t i = 0; i < sizeof command_help / sizeof *command_help; i++)
        if (!strcmp(command, command_help[i][0])) {
            fputs(_(command_help[i][1]), stdout);
            return EXIT_DONE;
        }
    fprintf(stderr, _("gen: unknown command \"%s\"\n\n%s"), command, _(usage));
    return EXIT_BAD_INPUT;
}

static void silence_libxml(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

static int run_command(const options *o, diag_list *diags)
{
    if (!strcmp(o->command, "fonts"))
        return cmd_fonts(o, diags);
    if (!strcmp(o->command, "import"))
        return cmd_import(o, diags);
    if (!o->record) {
        fprintf(stderr, _("gen %s: which record? (gen %s --help)\n"), o->command, o->command);
        return EXIT_BAD_INPUT;
    }
    if (!strcmp(o->command, "render"))
        return cmd_render(o, diags);
    if (!strcmp(o->command, "batch"))
        return cmd_batch(o, diags);
    return cmd_check(o, diags);
}

/* gen campaign ...: the campaign module reads its own options. */
static int run_campaign(int argc, char **argv)
{
    if (argc < 1 || wants_help(argc + 2, argv - 2)) { /* argv - 2: gen campaign */
        fputs(_(campaign_usage), argc < 1 ? stderr : stdout);
        return argc < 1 ? EXIT_BAD_INPUT : EXIT_DONE;
    }
    xmlSetGenericErrorFunc(NULL, silence_libxml);
    char *data_dir = find_data_dir();
    diag_list diags = {0};
    int rc = campaign_main(argc, argv, data_dir, stdout, &diags);
    diag_print(&diags, stderr);
    diag_free(&diags);
    free(data_dir);
    return rc;
}

/* gen new TYPE, gen fields: the schemas' fields as a skeleton record or
 * as the field reference; their modules read their own options. */
static int run_schema_tool(int argc, char **argv)
{
    xmlSetGenericErrorFunc(NULL, silence_libxml);
    char *data_dir = find_data_dir();
    diag_list diags = {0};
    int rc = !strcmp(argv[0], "new") ? record_new_main(argc, argv, data_dir, stdout, &diags)
                                     : field_reference_main(argc, argv, data_dir, stdout, &diags);
    diag_print(&diags, stderr);
    diag_free(&diags);
    free(data_dir);
    return rc;
}

/* gen serve ARGS...: the desk, a program of its own beside this one
 * (bin/gen-desk, kept apart for its libraries), run in this process's
 * place. */
static int exec_desk(int argc, char **argv)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *desk = xasprintf("%s/gen-desk", n > 0 ? dirname(exe) : ".");
    if (access(desk, X_OK) != 0) {
        fprintf(stderr, _("gen serve: %s is missing: run make all\n"), desk);
        free(desk);
        return EXIT_ENVIRONMENT;
    }
    char **args = xmalloc((size_t)argc * sizeof *args);
    args[0] = "gen-desk";
    for (int i = 2; i < argc; i++)
        args[i - 1] = argv[i];
    args[argc - 1] = NULL;
    execv(desk, args);
    fprintf(stderr, _("gen serve: cannot run %s: %s\n"), desk, strerror(errno));
    free(args);
    free(desk);
    return EXIT_ENVIRONMENT;
}

/* One command line, run in this process: main's, and each job of the
 * desk's worker (desk_worker.h), which runs many in one process.  It frees
 * what it made; the process's caches (parsed schemas, interned names,
 * libxml2's own) are main's to free, at exit. */
static int gen_main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "campaign"))
        return run_campaign(argc - 2, argv + 2);
    if (argc >= 2 && (!strcmp(argv[1], "new") || !strcmp(argv[1], "fields")) &&
        !wants_help(argc, argv))
        return run_schema_tool(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(_(usage), stdout);
        return EXIT_DONE;
    }
    if (argc >= 2 && !strcmp(argv[1], "--version")) {
        printf("gen %s\n", GEN_VERSION);
        return EXIT_DONE;
    }
    if (argc >= 2 && wants_help(argc, argv))
        return command_usage(argv[1]);
    options o = {0};
    if (parse_args(argc, argv, &o) != 0) {
        free(o.settings);
        free(o.attachments);
        fputs(_(usage), stderr);
        return EXIT_BAD_INPUT;
    }
    int known = !strcmp(o.command, "render") || !strcmp(o.command, "check") ||
                !strcmp(o.command, "fonts") || !strcmp(o.command, "batch") ||
                !strcmp(o.command, "import");
    if (!known || batch_only_option(&o) || import_only_option(&o)) {
        free(o.settings);
        free(o.attachments);
        return known ? EXIT_BAD_INPUT : command_usage(o.command);
    }
    xmlSetGenericErrorFunc(NULL, silence_libxml);
    o.data_dir = find_data_dir();
    o.run.data_dir = o.data_dir;
    diag_list diags = {0};
    /* the profile read once, before any document: workers inherit it */
    pdfa_profile *profile = o.pdfa ? pdfa_profile_load(&diags) : NULL;
    o.run.pdfa = profile;
    int rc = o.pdfa && !profile ? EXIT_ENVIRONMENT : run_command(&o, &diags);
    diag_print(&diags, stderr);
    diag_free(&diags);
    pdfa_profile_free(profile);
    free(o.settings);
    free(o.attachments);
    free(o.data_dir);
    return rc;
}

int main(int argc, char **argv)
{
    char *data_dir = find_data_dir();
    i18n_init(data_dir);
    int rc;
    if (argc == 3 && !strcmp(argv[1], "serve") && !strcmp(argv[2], "--worker"))
        rc = desk_worker_main(STDIN_FILENO, STDOUT_FILENO, data_dir, gen_main);
    else if (argc >= 2 && !strcmp(argv[1], "serve"))
        rc = exec_desk(argc, argv);
    else
        rc = gen_main(argc, argv);
    free(data_dir);
    load_forget_schemas();
    schema_fields_forget();
    intern_forget();
    xmlCleanupParser();
    return rc;
}
