/* Names and certificates: when two records speak of the same company. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"
#include "utf8.h"
#include "util.h"

/* ------------------------------------------------------------ the pool */

#define CP_CHUNK_SIZE 65536

struct cp_chunk {
    cp_chunk *next;
    size_t used, size;
    char text[];
};

const char *cp_strdup(cp_pool *p, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    cp_chunk *c = p->chunks;
    if (!c || c->size - c->used < n) {
        size_t size = n > CP_CHUNK_SIZE ? n : CP_CHUNK_SIZE;
        c = xmalloc(sizeof *c + size);
        c->used = 0, c->size = size, c->next = p->chunks;
        p->chunks = c;
    }
    char *out = c->text + c->used;
    memcpy(out, s, n);
    c->used += n;
    return out;
}

void cp_pool_free(cp_pool *p)
{
    while (p->chunks) {
        cp_chunk *next = p->chunks->next;
        free(p->chunks);
        p->chunks = next;
    }
}

/* ----------------------------------------------------------- the names */

/* The character as the key has it: 0 to drop it. */
static uint32_t key_char(uint32_t cp)
{
    if (cp == 0x3000 || cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
        return 0;
    if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
        cp -= 0xFEE0;
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    return cp;
}

char *cp_name_key(const char *name)
{
    size_t len = strlen(name), at = 0;
    char *out = xmalloc(len + 1); /* never longer: full-width (3 bytes) become 1 */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_next(name + i, len - i, &cp);
        if (n <= 0) { /* not UTF-8 (the loader saw to it): kept as it is */
            out[at++] = name[i++];
            continue;
        }
        i += (size_t)n;
        uint32_t k = key_char(cp);
        if (k)
            at += (size_t)utf8_encode(k, out + at);
    }
    out[at] = '\0';
    return out;
}

char *cp_name_loose_key(const char *name)
{
    static const char longer[] = "有限责任公司", shorter[] = "有限公司";
    char *key = cp_name_key(name), *at;
    while ((at = strstr(key, longer)) != NULL) {
        memcpy(at, shorter, sizeof shorter - 1);
        memmove(at + sizeof shorter - 1, at + sizeof longer - 1, strlen(at + sizeof longer - 1) + 1);
    }
    return key;
}

/* ----------------------------------------------------------- the index */

static const char *row_string(const cp_row *r, cp_index_by by)
{
    return by == CP_BY_KEY ? r->key : by == CP_BY_LOOSE ? r->loose : r->cert_no;
}

typedef struct entry {
    const char *s;
    size_t row;
} entry;

static int entry_order(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

void cp_index_build(cp_index *ix, const cp_folder *f, cp_index_by by)
{
    entry *e = xmalloc((f->n_rows + 1) * sizeof *e);
    size_t n = 0;
    for (size_t i = 0; i < f->n_rows; i++)
        if (row_string(&f->rows[i], by))
            e[n++] = (entry){row_string(&f->rows[i], by), i};
    qsort(e, n, sizeof *e, entry_order);
    ix->keys = xmalloc((n + 1) * sizeof *ix->keys);
    ix->rows = xmalloc((n + 1) * sizeof *ix->rows);
    for (size_t i = 0; i < n; i++)
        ix->keys[i] = e[i].s, ix->rows[i] = e[i].row;
    ix->n = n;
    free(e);
}

size_t cp_index_find(const cp_index *ix, const char *s, size_t *first)
{
    size_t lo = 0, hi = ix->n;
    *first = 0;
    if (!s)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->keys[mid], s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ix->n && strcmp(ix->keys[end], s) == 0)
        end++;
    *first = lo;
    return end - lo;
}

void cp_index_free(cp_index *ix)
{
    free(ix->keys);
    free(ix->rows);
    *ix = (cp_index){0};
}

/* ----------------------------------------------------------- the types */

static const code_list *types_of(const cp_folder *f)
{
    return f->codes ? code_lists_find(f->codes, "certificate-type") : NULL;
}

const char *cp_type_label(const cp_folder *f, const char *type)
{
    const code_list *l = types_of(f);
    for (size_t i = 0; l && type && i < l->n; i++)
        if (!strcmp(l->codes[i].value, type))
            return l->codes[i].label;
    return type;
}

static int starts_with(const char *s, const char *prefix)
{
    return prefix && *prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *cp_type_of_text(const cp_folder *f, const char *text)
{
    const code_list *l = types_of(f);
    if (!text)
        return NULL;
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; l && i < l->n; i++) {
        const code_entry *c = &l->codes[i];
        const char *names[2] = {c->label, c->value};
        for (int k = 0; k < 2; k++)
            if (starts_with(text, names[k]) && strlen(names[k]) > best_len)
                best = c->value, best_len = strlen(names[k]);
        for (size_t k = 0; k < c->n_also; k++)
            if (starts_with(text, c->also[k]) && strlen(c->also[k]) > best_len)
                best = c->value, best_len = strlen(c->also[k]);
    }
    return best;
}
