#define _GNU_SOURCE
#include "load.h"

#include <errno.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "load_encoding.h"
#include "utf8.h"
#include "util.h"

typedef struct error_sink {
    diag_list *diags;
    const char *path;
    int count;
    int first_only; /* a parser's later errors follow from its first */
} error_sink;

/* libxml2's words for the limits that guard against hostile files, in
 * the words of the person whose record it is. */
static const char *const plainer[][2] = {
    {"Excessive depth in document", N_("elements are nested more than 256 deep; no record is")},
    {"xmlSAX2Characters: huge text node",
     N_("a text longer than 10,000,000 bytes; no field of a record is that long")},
    {"Detected an entity reference loop", N_("entities that refer to themselves (an entity bomb)")},
};

/* libxml2's messages span lines ("...\nBytes: 0xFF ..."): one line each. */
static char *one_line(const char *message)
{
    for (size_t i = 0; message && i < sizeof plainer / sizeof *plainer; i++)
        if (strncmp(message, plainer[i][0], strlen(plainer[i][0])) == 0)
            return xstrdup(_(plainer[i][1]));
    char *msg = xstrdup(message ? message : _("malformed XML"));
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
    /* libxml2 quotes the text at the error cut at a byte count, which can
     * split a character: end the message before it */
    size_t bad = 0;
    if (utf8_length(msg, strlen(msg), &bad) < 0)
        msg[bad] = '\0';
    size_t n = strlen(msg);
    while (n > 0 && msg[n - 1] == ' ')
        msg[--n] = '\0';
    return msg;
}

/* The line of what a message is about.  libxml2 points a schema's
 * complaint about an element's attributes at the element's first child,
 * which is on the element's own line only while the white space between
 * them is kept (a record's is dropped): the element's line, then. */
static int error_line(const xmlError *e)
{
    const xmlNode *n = e->node;
    if (e->domain == XML_FROM_RELAXNGV && e->code == XML_RELAXNG_ERR_ATTRVALID && n && e->str1 &&
        n->parent && n->parent->type == XML_ELEMENT_NODE && n->type == XML_ELEMENT_NODE &&
        !xmlStrEqual(n->name, BAD_CAST e->str1) && xmlStrEqual(n->parent->name, BAD_CAST e->str1))
        return (int)xmlGetLineNo(n->parent);
    return e->line;
}

/* The parser's commonest complaints in plain words, with the fix: 1 when
 * `e` was one of them (reported), else 0. */
static int plain_parser_error(const error_sink *sink, const xmlError *e)
{
    const char *name = e->str1 ? e->str1 : "", *msg = e->message ? e->message : "";
    diag_list *d = sink->diags;
    if (e->domain != XML_FROM_PARSER)
        return 0;
    switch (e->code) {
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        diag_add(d, DIAG_ERROR, sink->path, e->line,
                 "an & in the text that begins no entity: write & as &amp;");
        return 1;
    case XML_ERR_NAME_REQUIRED:
        if (!strncmp(msg, "xmlParseEntityRef", strlen("xmlParseEntityRef")))
            diag_add(d, DIAG_ERROR, sink->path, e->line,
                     "an & in the text that begins no entity: write & as &amp;");
        else if (!strncmp(msg, "StartTag", strlen("StartTag")))
            diag_add(d, DIAG_ERROR, sink->path, e->line,
                     "a < in the text that begins no element: write < as &lt;");
        else
            return 0;
        return 1;
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        diag_add(d, DIAG_ERROR, sink->path, e->line,
                 "&%s; is not an entity XML knows (only &amp; &lt; &gt; &quot; &apos; are): "
                 "write the character itself, or & as &amp;",
                 name);
        return 1;
    case XML_ERR_TAG_NAME_MISMATCH:
        diag_add(d, DIAG_ERROR, sink->path, e->line,
                 "the tags do not match: <%s> (line %d) is closed by </%s>; write the same name "
                 "in both",
                 name, e->int1, e->str2 ? e->str2 : "");
        return 1;
    case XML_ERR_TAG_NOT_FINISHED:
        diag_add(d, DIAG_ERROR, sink->path, e->line,
                 "the file ends before <%s> (line %d) is closed: add </%s>", name, e->int1, name);
        return 1;
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
        diag_add(d, DIAG_ERROR, sink->path, e->line,
                 "an attribute's value is written in quotes: name=\"value\"");
        return 1;
    case XML_ERR_ATTRIBUTE_REDEFINED:
        diag_add(d, DIAG_ERROR, sink->path, e->line,
                 "the attribute %s= is given twice in one element: keep one", name);
        return 1;
    case XML_ERR_DOCUMENT_EMPTY:
        diag_add(d, DIAG_ERROR, sink->path, e->line,
                 "this is not an XML record: it begins with <?xml version=\"1.0\" "
                 "encoding=\"UTF-8\"?> or with its element, such as <notice>");
        return 1;
    case XML_ERR_DOCUMENT_END: {
        /* the push parser says so too of a file that ends inside its root */
        const xmlParserCtxt *ctxt = e->ctxt;
        if (ctxt && ctxt->nameNr > 0 && ctxt->name)
            diag_add(d, DIAG_ERROR, sink->path, e->line,
                     "the file ends before <%s> is closed: add </%s>", ctxt->name, ctxt->name);
        else
            diag_add(d, DIAG_ERROR, sink->path, e->line,
                     "something follows the end of the record: a record is one element, and "
                     "nothing comes after its closing tag");
        return 1;
    }
    default:
        return 0;
    }
}

static void on_xml_error(void *data, xmlError *e)
{
    error_sink *sink = data;
    if (sink->first_only && sink->count > 0)
        return;
    if (plain_parser_error(sink, e)) {
        sink->count++;
        return;
    }
    char *msg = one_line(e->message);
    diag_add(sink->diags, DIAG_ERROR, sink->path, error_line(e), "%s", msg);
    sink->count++;
    free(msg);
}

static char *read_file(const char *path, size_t *len, diag_list *diags)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_add(diags, DIAG_ERROR, path, 0, "is a directory, not an XML file");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        diag_add(diags, DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* The line of the first entity declaration in the text (libxml2 keeps
 * no line for a declaration, nor for the DOCTYPE that holds it), or 0. */
static int entity_declaration_line(const char *text, size_t len)
{
    const char *at = memmem(text, len, "<!ENTITY", strlen("<!ENTITY"));
    if (!at)
        return 0;
    int line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    return line;
}

/* Records need no entities; declared ones could name /etc/passwd or a URL
 * (they are never loaded) or expand a few bytes into gigabytes. */
static int declares_entities(xmlDoc *doc, const char *path, const char *text, size_t len,
                             diag_list *diags)
{
    xmlDtd *dtd = doc->intSubset;
    if (!dtd || !dtd->entities || xmlHashSize((xmlHashTablePtr)dtd->entities) <= 0)
        return 0;
    diag_add(diags, DIAG_ERROR, path, entity_declaration_line(text, len),
             "the file declares entities (<!ENTITY ...>), which records may not use");
    return 1;
}

/* The text is fed to libxml2 in pieces: xmlCtxtReadMemory would first
 * copy all of it into a buffer of its own (26 MB more for a province's
 * self-check record, at the moment its tree is being built). */
#define PARSE_PIECE ((size_t)1 << 20)

static xmlDoc *parse_utf8(const char *path, const char *text, size_t len, int kind,
                          diag_list *diags)
{
    xmlParserCtxt *ctxt = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, path);
    if (!ctxt) {
        diag_add(diags, DIAG_ERROR, path, 0, "libxml2 could not start");
        return NULL;
    }
    error_sink sink = {diags, path, 0, 1};
    /* libxml2 2.9 has no per-context structured handler: set the global
     * one around the parse.  libxml2 is built with threads, so that
     * "global" is the calling thread's own (__xmlStructuredError): the
     * validation thread's handlers are not disturbed. */
    xmlSetStructuredErrorFunc(&sink, (xmlStructuredErrorFunc)on_xml_error);
    /* No network, no DTD loading, no entity substitution; the text is
     * UTF-8 now whatever the declaration says; CDATA becomes text; line
     * numbers past 65535 stay right; short texts kept inside their nodes. */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC |
                  XML_PARSE_COMPACT;
    /* A record is data: elements hold elements or text, never both, so the
     * white space that indents it is no content.  Dropping it takes a
     * quarter off a large record's tree.  (Templates mix text and elements:
     * there a space between two <value>s is text.) */
    if (kind == LOAD_RECORD)
        options |= XML_PARSE_NOBLANKS;
    xmlCtxtUseOptions(ctxt, options);
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    for (size_t at = 0; at < len && sink.count == 0; at += PARSE_PIECE) {
        size_t n = len - at < PARSE_PIECE ? len - at : PARSE_PIECE;
        xmlParseChunk(ctxt, text + at, (int)n, 0);
    }
    xmlParseChunk(ctxt, NULL, 0, 1);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlDoc *doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (doc && (!ctxt->wellFormed || sink.count > 0 || declares_entities(doc, path, text, len, diags))) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && sink.count == 0 && diag_count(diags, DIAG_ERROR) == 0)
        diag_add(diags, DIAG_ERROR, path, 0, "not a well-formed XML file");
    xmlFreeParserCtxt(ctxt);
    return doc;
}

xmlDoc *load_xml_memory(const char *path, const char *bytes, size_t len, const char *encoding,
                        load_kind kind, diag_list *diags)
{
    if (len == 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "the file is empty");
        return NULL;
    }
    if (len > (size_t)1 << 30) { /* libxml2 takes an int length */
        diag_add(diags, DIAG_ERROR, path, 0, "the file is larger than 1 GiB");
        return NULL;
    }
    size_t utf8_len = 0;
    char *declared = encoding ? NULL : encoding_declared(bytes, len);
    encoded_bytes in = {path, bytes, len, encoding ? encoding : declared, encoding != NULL};
    char *text = encoding_to_utf8(&in, &utf8_len, diags);
    free(declared);
    if (!text)
        return NULL;
    const char *nul = memchr(text, '\0', utf8_len);
    if (nul) { /* libxml2 would take it for the end of the file */
        size_t at = (size_t)(nul - text);
        int line = 1;
        for (size_t i = 0; i < at; i++)
            line += text[i] == '\n';
        diag_add(diags, DIAG_ERROR, path, line, "a NUL byte (character %zu): the file is not text",
                 at);
        free(text);
        return NULL;
    }
    xmlDoc *doc = parse_utf8(path, text, utf8_len, kind, diags);
    free(text);
    return doc;
}

xmlDoc *load_xml_encoded(const char *path, const char *encoding, load_kind kind, diag_list *diags)
{
    size_t len = 0;
    char *bytes = read_file(path, &len, diags);
    if (!bytes)
        return NULL;
    xmlDoc *doc = load_xml_memory(path, bytes, len, encoding, kind, diags);
    free(bytes);
    return doc;
}

xmlDoc *load_xml(const char *path, diag_list *diags)
{
    return load_xml_encoded(path, NULL, LOAD_MIXED, diags);
}

/* ---- validation ---- */

/* A schema, parsed once per process (batch validates a record and then
 * its nodes; check validates before each template).  Besides the schema
 * itself, its ordered twin: every <interleave> read as <group>, the
 * children in the order the schema lists them, which is the order the
 * exporters write.  libxml2 validates an interleave by trying the
 * orders (1.4 s on 38,000 enterprises); the twin takes a fifth of that.
 * What the twin accepts the schema accepts, so a record the twin passes
 * is valid; any other is validated again by the schema itself, whose
 * messages are the ones reported.  The twin is made only for a large
 * document: for a notice or a template its parsing costs more than it
 * saves. */
typedef struct schema_entry {
    char *path;
    xmlRelaxNG *rng;
    int twin_made;
    xmlRelaxNG *ordered; /* NULL when the twin does not compile */
} schema_entry;

/* Large: its root's last child 2,000 lines or more down the file. */
#define TWIN_FROM_LINE 2000

/* The schemas parsed so far: load's only mutable state, a cache kept for
 * the process (schemas are few, and a batch validates each document against
 * the same one).  Safe with threads: every look-up and addition holds
 * schemas_lock, as render validates the record in a thread of its own
 * while the main thread reads the template's schema.  Entries are
 * allocated one by one, so that a pointer to one stays good while another
 * thread adds more, and an entry is complete when it is added; its twin is
 * made under the lock by load_schema before the validation thread starts
 * (pipeline_check_begin), so the thread only reads it.  batch -j forks its
 * workers: each has a copy of its own.  load_forget_schemas empties it
 * once no other thread is left (at the end of main). */
static schema_entry **schemas;
static size_t nschemas;
static pthread_mutex_t schemas_lock = PTHREAD_MUTEX_INITIALIZER;

static void ignore_xml_error(void *data, xmlError *e)
{
    (void)e;
    ++*(int *)data;
}

#define RELAXNG_NS "http://relaxng.org/ns/structure/1.0"

static void interleave_to_group(xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns && xmlStrEqual(n->ns->href, BAD_CAST RELAXNG_NS) &&
            xmlStrEqual(n->name, BAD_CAST "interleave"))
            xmlNodeSetName(n, BAD_CAST "group");
        interleave_to_group(n->children);
    }
}

static xmlRelaxNG *ordered_twin(const char *schema)
{
    int errors = 0;
    xmlSetStructuredErrorFunc(&errors, (xmlStructuredErrorFunc)ignore_xml_error);
    xmlDoc *doc = xmlReadFile(schema, NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc)
        return NULL;
    interleave_to_group(xmlDocGetRootElement(doc));
    xmlRelaxNGParserCtxt *pctxt = xmlRelaxNGNewDocParserCtxt(doc);
    xmlRelaxNGSetParserStructuredErrors(pctxt, (xmlStructuredErrorFunc)ignore_xml_error, &errors);
    xmlRelaxNG *rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    xmlFreeDoc(doc);
    return rng;
}

static schema_entry *schema_parse(const char *schema, diag_list *diags)
{
    xmlRelaxNGParserCtxt *pctxt = xmlRelaxNGNewParserCtxt(schema);
    error_sink schema_sink = {diags, schema, 0, 0};
    xmlRelaxNGSetParserStructuredErrors(pctxt, (xmlStructuredErrorFunc)on_xml_error, &schema_sink);
    xmlRelaxNG *rng = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!rng) {
        if (schema_sink.count == 0)
            diag_add(diags, DIAG_ERROR, schema, 0, "cannot read the schema");
        return NULL;
    }
    schema_entry *s = xmalloc(sizeof *s);
    *s = (schema_entry){xstrdup(schema), rng, 0, NULL};
    schemas = xrealloc(schemas, (nschemas + 1) * sizeof *schemas);
    return schemas[nschemas++] = s;
}

static int is_large(xmlDoc *doc)
{
    xmlNode *root = xmlDocGetRootElement(doc), *last = root ? xmlGetLastChild(root) : NULL;
    return last && xmlGetLineNo(last) >= TWIN_FROM_LINE;
}

/* The schema, and with `doc` large its twin. */
static const schema_entry *schema_get(const char *schema, xmlDoc *doc, diag_list *diags)
{
    pthread_mutex_lock(&schemas_lock);
    schema_entry *found = NULL;
    for (size_t i = 0; i < nschemas && !found; i++)
        if (strcmp(schemas[i]->path, schema) == 0)
            found = schemas[i];
    if (!found)
        found = schema_parse(schema, diags);
    if (found && !found->twin_made && doc && is_large(doc)) {
        found->ordered = ordered_twin(schema);
        found->twin_made = 1;
    }
    pthread_mutex_unlock(&schemas_lock);
    return found;
}

int load_schema(const char *schema, xmlDoc *doc, diag_list *diags)
{
    const schema_entry *s = schema_get(schema, doc, diags);
    if (!s)
        return -1;
    return s->ordered && doc && is_large(doc);
}

void load_forget_schemas(void)
{
    for (size_t i = 0; i < nschemas; i++) {
        free(schemas[i]->path);
        xmlRelaxNGFree(schemas[i]->rng);
        xmlRelaxNGFree(schemas[i]->ordered);
        free(schemas[i]);
    }
    free(schemas);
    schemas = NULL;
    nschemas = 0;
}

/* The twin has no <interleave>, so validating with it only reads the
 * tree (it marks elements' psvi, which nothing else reads).  The schema
 * itself does not: libxml2 validates an interleave by relinking the
 * element's children group by group (their `next` pointers) and mending
 * the chain afterwards, so a reader in another thread meanwhile sees a
 * list cut short and fields as "". */
static int passes_ordered(const schema_entry *s, xmlDoc *doc)
{
    if (!s->ordered || !is_large(doc))
        return 0;
    int errors = 0;
    xmlRelaxNGValidCtxt *vctxt = xmlRelaxNGNewValidCtxt(s->ordered);
    xmlRelaxNGSetValidStructuredErrors(vctxt, (xmlStructuredErrorFunc)ignore_xml_error, &errors);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    return rc == 0 && errors == 0;
}

int load_passes_ordered(xmlDoc *doc, const char *schema)
{
    diag_list ignored = {0}; /* load_schema has reported a broken schema */
    const schema_entry *s = schema_get(schema, doc, &ignored);
    diag_free(&ignored);
    return s && passes_ordered(s, doc);
}

int load_validate(xmlDoc *doc, const char *path, const char *schema, diag_list *diags)
{
    const schema_entry *s = schema_get(schema, doc, diags);
    if (!s)
        return -1;
    if (passes_ordered(s, doc))
        return 0;
    xmlRelaxNGValidCtxt *vctxt = xmlRelaxNGNewValidCtxt(s->rng);
    error_sink sink = {diags, path, 0, 0};
    xmlRelaxNGSetValidStructuredErrors(vctxt, (xmlStructuredErrorFunc)on_xml_error, &sink);
    int rc = xmlRelaxNGValidateDoc(vctxt, doc);
    if (rc != 0 && sink.count == 0) {
        diag_add(diags, DIAG_ERROR, path, 0, "does not match its schema %s", schema);
        sink.count = 1;
    }
    xmlRelaxNGFreeValidCtxt(vctxt);
    return sink.count;
}
