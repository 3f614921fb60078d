#define _GNU_SOURCE
#include "field_reference.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "schema_fields.h"
#include "utf8.h"
#include "util.h"

typedef enum { AS_MARKDOWN, AS_MAN } reference_form;

/* Text for roff: ASCII only (the page is read as Latin-1 without
 * preconv), so other characters as \[uXXXX]; backslash and hyphen
 * escaped. */
static void roff(FILE *o, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (*p < 0x80) {
            if (*p == '\\')
                fputs("\\e", o);
            else if (*p == '-')
                fputs("\\-", o);
            else
                fputc(*p, o);
            p++;
            continue;
        }
        uint32_t cp = '?';
        int n = utf8_next((const char *)p, strlen((const char *)p), &cp);
        p += n ? n : 1; /* the schemas are UTF-8: a bad byte is only skipped */
        fprintf(o, "\\[u%04X]\\:", (unsigned)cp); /* \: a place to break, as Chinese has no spaces */
    }
}

static void markdown_cell(FILE *o, const char *s)
{
    for (; *s; s++)
        if (*s == '|')
            fputs("\\|", o);
        else
            fputc(*s, o);
}

static const char *need_of(const schema_field *f)
{
    if (f->repeatable)
        return f->required ? "必填，可有多个" : "可有多个，也可以没有";
    return f->required ? "必填" : "可不填";
}

static void one(FILE *o, const schema_field *f, const char *path, reference_form form)
{
    char *hint = f->has_value ? schema_field_hint(f) : xstrdup("包含下列各项");
    const char *example = f->example ? f->example : "";
    if (form == AS_MARKDOWN) {
        fputs("| ", o);
        markdown_cell(o, schema_field_label(f));
        fprintf(o, " | `%s` | %s | ", path, need_of(f));
        markdown_cell(o, hint);
        fputs(" | ", o);
        markdown_cell(o, example);
        fputs(" |\n", o);
    } else {
        fputs(".TP\n.B ", o);
        roff(o, path);
        fputs("\n", o);
        roff(o, schema_field_label(f));
        fputs(" (", o);
        roff(o, need_of(f));
        fputs(")", o);
        if (*hint) {
            fputs(": ", o);
            roff(o, hint);
        }
        if (*example) {
            fputs("; ", o);
            roff(o, "例如 ");
            roff(o, example);
        }
        fputs("\n", o);
    }
    free(hint);
}

/* Each field below `f` in the order of the schema; `at` is f's path. */
static void walk(FILE *o, const schema_field *f, const char *at, reference_form form, int depth)
{
    for (size_t i = 0; i < f->n_attributes; i++) {
        char *path = xasprintf("%s%s@%s", at, *at ? "/" : "", f->attributes[i].name);
        one(o, &f->attributes[i], path, form);
        free(path);
    }
    for (size_t i = 0; i < f->n_children && depth < 16; i++) {
        char *path = xasprintf("%s%s%s", at, *at ? "/" : "", f->children[i].name);
        one(o, &f->children[i], path, form);
        walk(o, &f->children[i], path, form, depth + 1);
        free(path);
    }
}

static void type_reference(FILE *o, const schema_fields *s, const char *type, reference_form form)
{
    const schema_field *root = &s->root;
    if (form == AS_MARKDOWN) {
        fprintf(o, "\n## %s `<%s>`（gen new %s）\n\n", schema_field_label(root), root->name, type);
        fputs("| 标签 | 元素 | 填写 | 格式 | 例子 |\n|---|---|---|---|---|\n", o);
    } else {
        fputs(".SS \"", o);
        roff(o, type);
        fprintf(o, " (<%s>, ", root->name);
        roff(o, schema_field_label(root));
        fputs(")\"\n", o);
    }
    walk(o, root, "", form, 0);
}

int field_reference_main(int argc, char **argv, const char *data_dir, FILE *out, diag_list *diags)
{
    reference_form form = AS_MARKDOWN;
    const char *only = NULL;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--man"))
            form = AS_MAN;
        else if (argv[i][0] != '-' && !only && record_type_root(argv[i]))
            only = argv[i];
        else {
            diag_add(diags, DIAG_ERROR, NULL, 0,
                     "gen fields: unexpected %s; usage: gen fields [notice|selfcheck|nominations|"
                     "inspection|public-list] [--man]",
                     argv[i]);
            return EXIT_BAD_INPUT;
        }
    if (form == AS_MARKDOWN && !only)
        fputs("<!-- made by `make reference` (gen fields) from schemas/: edit the schemas, not "
              "this file -->\n# "
              "记录的字段\n\n每种记录的每一项：标签（表格上印的名称）、元素（记录中的写法，"
              "`@` 开头的是属性）、是否必填、格式和例子。`gen new 类型` "
              "写出一份空白记录，各项都在其中。\n",
              out);
    if (form == AS_MAN) /* ragged right: lines of Chinese stretched to the margin gape */
        fputs(".ad l\n", out);
    int rc = EXIT_DONE;
    for (size_t i = 0; i < record_type_count(); i++) {
        const char *type = record_type_name(i);
        if (only && strcmp(record_type_root(only), record_type_root_at(i)) != 0)
            continue;
        char *schema = xasprintf("%s/schemas/%s.rng", data_dir, record_type_root_at(i));
        schema_fields *s = schema_fields_load(schema, diags);
        free(schema);
        if (!s) {
            rc = EXIT_ENVIRONMENT;
            continue;
        }
        type_reference(out, s, type, form);
        schema_fields_free(s);
    }
    if (form == AS_MAN)
        fputs(".ad\n", out);
    return rc;
}
