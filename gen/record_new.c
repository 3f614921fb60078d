#define _GNU_SOURCE
#include "record_new.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_codes.h"
#include "out_file.h"
#include "out_guard.h"
#include "util.h"

/* A comment may not hold "--". */
static void comment(FILE *o, int depth, const char *text)
{
    fprintf(o, "%*s<!-- ", depth * 2, "");
    for (const char *p = text; *p; p++) {
        fputc(*p, o);
        if (p[0] == '-' && p[1] == '-')
            fputc(' ', o);
    }
    fputs(" -->\n", o);
}

static void escaped(FILE *o, const char *s)
{
    for (; *s; s++)
        if (*s == '&')
            fputs("&amp;", o);
        else if (*s == '<')
            fputs("&lt;", o);
        else if (*s == '"')
            fputs("&quot;", o);
        else
            fputc(*s, o);
}

/* "6位数字，例如 321000": the hint and the example. */
static char *what_goes(const schema_field *f)
{
    char *hint = schema_field_hint(f);
    char *text =
        f->example ? xasprintf("%s%s例如 %s", hint, *hint ? "，" : "", f->example) : xstrdup(hint);
    free(hint);
    return text;
}

/* The field filled with its examples, on one line (for an optional one). */
static void example_xml(FILE *o, const schema_field *f)
{
    fprintf(o, "<%s", f->name);
    for (size_t i = 0; i < f->n_attributes; i++)
        if (f->attributes[i].required) {
            fprintf(o, " %s=\"", f->attributes[i].name);
            escaped(o, f->attributes[i].example ? f->attributes[i].example : "");
            fputc('"', o);
        }
    fputc('>', o);
    for (size_t i = 0; i < f->n_children; i++)
        if (f->children[i].required)
            example_xml(o, &f->children[i]);
    if (f->n_children == 0 && f->example)
        escaped(o, f->example);
    fprintf(o, "</%s>", f->name);
}

static void attribute_comments(FILE *o, const schema_field *f, int depth)
{
    for (size_t i = 0; i < f->n_attributes; i++) {
        const schema_field *a = &f->attributes[i];
        char *what = what_goes(a), *text;
        if (a->required)
            text = xasprintf("%s（%s=）：%s", schema_field_label(a), a->name, what);
        else
            text = xasprintf("可加 %s=\"%s\"：%s", a->name, a->example ? a->example : "",
                             schema_field_label(a));
        comment(o, depth, text);
        free(what), free(text);
    }
}

static void write_field(FILE *o, const schema_field *f, int depth)
{
    if (!f->required && !f->repeatable) {
        char *what = what_goes(f), *inline_xml = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&inline_xml, &len);
        example_xml(m, f);
        fclose(m);
        char *text = xasprintf("可不填：%s%s%s。需要时去掉注释符号，写成 %s", schema_field_label(f),
                               *what ? "：" : "", what, inline_xml);
        comment(o, depth, text);
        free(what), free(text), free(inline_xml);
        return;
    }
    char *what = f->has_value ? what_goes(f) : xstrdup("");
    char *text = f->repeatable
                     ? xasprintf("%s%s%s（可有多个%s：每个照此写一份）", schema_field_label(f),
                                 *what ? "：" : "", what, f->required ? "" : "，也可以没有")
                     : xasprintf("%s%s%s", schema_field_label(f), *what ? "：" : "", what);
    comment(o, depth, text);
    free(what), free(text);
    attribute_comments(o, f, depth);
    fprintf(o, "%*s<%s", depth * 2, "", f->name);
    for (size_t i = 0; i < f->n_attributes; i++)
        if (f->attributes[i].required)
            fprintf(o, " %s=\"\"", f->attributes[i].name);
    if (f->n_children > 0) {
        fputs(">\n", o);
        for (size_t i = 0; i < f->n_children; i++)
            write_field(o, &f->children[i], depth + 1);
        fprintf(o, "%*s</%s>\n", depth * 2, "", f->name);
    } else if (f->has_value)
        fprintf(o, "></%s>\n", f->name);
    else
        fputs("/>\n", o);
}

char *record_skeleton(const schema_fields *fields, const char *type)
{
    char *text = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&text, &len);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", o);
    char *head = xasprintf(
        "%s（gen new %s）。在每个空的 <…></…> 和 =\"\" 中填写内容，格式和例子见其上的注释；"
        "“可不填”的项目不用时保持注释即可。日期可写 2009-08-04、2009年8月4日、2009/8/4 或 "
        "2009.8.4。填好后用 gen check 本文件 检查",
        schema_field_label(&fields->root), type);
    comment(o, 0, head);
    free(head);
    schema_field root = fields->root;
    root.required = 1, root.repeatable = 0;
    write_field(o, &root, 0);
    fclose(o);
    return text;
}

static int write_out(const char *path, const char *text, FILE *out, diag_list *diags)
{
    if (!path) {
        if (fputs(text, out) < 0 || fflush(out) != 0) {
            diag_add(diags, DIAG_ERROR, NULL, 0, "cannot write the record to standard output");
            return EXIT_ENVIRONMENT;
        }
        return EXIT_DONE;
    }
    if (out_folder_exists(path, diags) != 0)
        return EXIT_BAD_INPUT;
    if (access(path, F_OK) == 0) { /* a skeleton never replaces a record a clerk filled in */
        diag_add(diags, DIAG_ERROR, path, 0,
                 "the file exists already; gen new does not write over it: choose another name");
        return EXIT_BAD_INPUT;
    }
    return out_write_whole(path, text, strlen(text), diags) == 0 ? EXIT_DONE : EXIT_ENVIRONMENT;
}

int record_new_main(int argc, char **argv, const char *data_dir, FILE *out, diag_list *diags)
{
    const char *type = NULL, *output = NULL;
    for (int i = 1; i < argc; i++)
        if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
            output = argv[++i];
        else if (argv[i][0] != '-' && !type)
            type = argv[i];
        else {
            diag_add(diags, DIAG_ERROR, NULL, 0,
                     "gen new: unexpected %s; usage: gen new TYPE [-o FILE]", argv[i]);
            return EXIT_BAD_INPUT;
        }
    const char *root = type ? record_type_root(type) : NULL;
    if (!root) {
        diag_add(diags, DIAG_ERROR, NULL, 0,
                 "gen new: which type? notice, selfcheck, nominations, inspection or public-list "
                 "(gen new nominations -o 推荐表.xml)");
        return EXIT_BAD_INPUT;
    }
    char *schema = xasprintf("%s/schemas/%s.rng", data_dir, root);
    schema_fields *fields = schema_fields_load(schema, diags);
    free(schema);
    if (!fields)
        return EXIT_ENVIRONMENT;
    char *text = record_skeleton(fields, type);
    int rc = write_out(output, text, out, diags);
    free(text);
    schema_fields_free(fields);
    return rc;
}
