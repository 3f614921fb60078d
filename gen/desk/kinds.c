#define _GNU_SOURCE
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kinds.h"
#include "pipeline.h"
#include "util.h"

static const char *const kinds[][2] = {
    {"self-check", "自查报告"},
    {"nominations", "推荐表"},
    {"inspection-report", "监督检查情况的报告"},
    {"public-list", "公布名单"},
    {"exposure-list", "曝光名单"},
    {"notice", "通知、通报"},
    {"campaign", "活动文件"},
};
#define N_KINDS (sizeof kinds / sizeof *kinds)

/* The project's own templates as a clerk calls the documents they make; an
 * office's own template shows its file name alone. */
static const char *const template_labels[][2] = {
    {"notice", "公文（GB/T 9704）"},
    {"selfcheck-report", "自查报告"},
    {"selfcheck-summary", "自查情况汇总表"},
    {"nomination-form", "推荐表"},
    {"inspection-report", "监督检查情况的报告"},
    {"demo-list", "公布名单"},
    {"exposure-list", "曝光名单"},
};

const char *template_label(const char *name)
{
    for (size_t i = 0; i < sizeof template_labels / sizeof *template_labels; i++)
        if (!strcmp(template_labels[i][0], name))
            return template_labels[i][1];
    return NULL;
}

static int kind_index(const char *kind)
{
    for (size_t i = 0; kind && i < N_KINDS; i++)
        if (!strcmp(kinds[i][0], kind))
            return (int)i;
    return -1;
}

const char *kind_known(const char *kind)
{
    int i = kind_index(kind);
    return i < 0 ? NULL : kinds[i][0];
}

const char *kind_label(const char *kind)
{
    int i = kind_index(kind);
    return i < 0 ? kind : kinds[i][1];
}

int xml_root_name(const char *xml, size_t size, char *out, size_t out_size)
{
    xmlTextReader *reader = xmlReaderForMemory(
        xml, (int)size, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int rc = -1;
    while (reader && xmlTextReaderRead(reader) == 1) {
        if (xmlTextReaderNodeType(reader) == XML_READER_TYPE_ELEMENT) {
            const char *name = (const char *)xmlTextReaderConstLocalName(reader);
            if (name && strlen(name) < out_size) {
                strcpy(out, name);
                rc = 0;
            }
            break;
        }
    }
    xmlFreeTextReader(reader);
    return rc;
}

/* The templates of each kind, read on first asking: reading them loads
 * and validates every template of the folder, too slow for each page.
 * The cache is filled under its lock and never changed afterwards; the
 * templates folder does not change while the desk runs. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    int read;
    char **names;
    size_t n;
} cache[N_KINDS];

size_t kind_templates(const desk *d, const char *kind, const char *const **names)
{
    int i = kind_index(kind);
    *names = NULL;
    if (i < 0)
        return 0;
    pthread_mutex_lock(&cache_lock);
    if (!cache[i].read) {
        run_options opts = {.data_dir = d->data_dir};
        int has_default = 0;
        cache[i].n = pipeline_templates_for(&opts, kinds[i][0], &cache[i].names, &has_default);
        cache[i].read = 1;
    }
    *names = (const char *const *)cache[i].names;
    size_t n = cache[i].n;
    pthread_mutex_unlock(&cache_lock);
    return n;
}

void kind_templates_forget(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < N_KINDS; i++) {
        for (size_t k = 0; k < cache[i].n; k++)
            free(cache[i].names[k]);
        free(cache[i].names);
        cache[i].names = NULL, cache[i].n = 0, cache[i].read = 0;
    }
    pthread_mutex_unlock(&cache_lock);
}
