#include "record_rows.h"

#include <libxml/xmlIO.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "util.h"

/* Rows checked at once: libxml2's time for a chunk grows with its square
 * (256 rows: under a millisecond), the frame is checked again with each. */
#define CHUNK_ROWS 256

/* Where the rows go in the frame's text. */
#define MARK "rows"

struct record_rows {
    xmlDoc *frame;
    xmlNode *parent;
    xmlNode *mark; /* the comment where the rows go: they follow it */
    const char *schema, *what;
    int level;    /* a row's depth: its children are indented by it */
    char *indent; /* what comes before a row on its line */
    char *tail;   /* the frame's text after the rows */
    size_t pending;
    int checked; /* the frame has been checked (with rows or without) */
    int problems;
    xmlOutputBuffer *out; /* the caller's */
};

/* The frame as text, split where the mark stands: its head written, the
 * indent before the mark and the tail after its line kept. */
static void frame_split(record_rows *w)
{
    xmlChar *mem = NULL;
    int n = 0;
    xmlDocDumpFormatMemoryEnc(w->frame, &mem, &n, "UTF-8", 1);
    const char *text = (const char *)mem, *mark = strstr(text, "<!--" MARK "-->");
    const char *line = mark;
    while (line > text && line[-1] != '\n')
        line--;
    xmlOutputBufferWrite(w->out, (int)(line - text), text);
    w->indent = xstrndup(line, (size_t)(mark - line));
    const char *after = mark + strlen("<!--" MARK "-->");
    w->tail = xstrdup(after + (*after == '\n'));
    xmlFree(mem);
}

record_rows *record_rows_new(xmlDoc *frame, xmlNode *parent, const char *schema, const char *what,
                             xmlOutputBuffer *out)
{
    record_rows *w = xcalloc(1, sizeof *w);
    *w = (record_rows){.frame = frame, .parent = parent, .schema = schema, .what = what, .out = out};
    for (xmlNode *n = parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        w->level++;
    w->mark = xmlAddChild(parent, xmlNewDocComment(frame, BAD_CAST MARK));
    frame_split(w);
    return w;
}

xmlNode *record_rows_next(record_rows *w, const char *name)
{
    return xmlNewChild(w->parent, NULL, BAD_CAST name, NULL);
}

/* The pending rows checked with the frame, written if all is well so
 * far, and taken out of the frame. */
static void chunk_write(record_rows *w, diag_list *diags)
{
    if (w->problems == 0 && w->schema)
        w->problems = load_validate(w->frame, w->what, w->schema, diags);
    w->checked = 1;
    for (xmlNode *row = w->mark->next; row;) {
        xmlNode *next = row->next;
        if (w->problems == 0) {
            xmlOutputBufferWriteString(w->out, w->indent);
            xmlNodeDumpOutput(w->out, w->frame, row, w->level, 1, "UTF-8");
            xmlOutputBufferWriteString(w->out, "\n");
        }
        xmlUnlinkNode(row);
        xmlFreeNode(row);
        row = next;
    }
    w->pending = 0;
}

int record_rows_done(record_rows *w, diag_list *diags)
{
    if (++w->pending == CHUNK_ROWS)
        chunk_write(w, diags);
    return w->problems;
}

int record_rows_finish(record_rows *w, diag_list *diags)
{
    if (w->pending > 0 || !w->checked)
        chunk_write(w, diags);
    if (w->problems == 0) {
        xmlOutputBufferWriteString(w->out, w->tail);
        xmlOutputBufferFlush(w->out);
    }
    return w->problems;
}

void record_rows_free(record_rows *w)
{
    if (!w)
        return;
    xmlFreeDoc(w->frame);
    free(w->indent);
    free(w->tail);
    free(w);
}
