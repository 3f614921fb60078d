#include "pdf_deflate.h"

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

struct page_deflater {
    z_stream z; /* one for all the pages: deflateReset, not deflateInit, per page */
    int ready;
    unsigned char *out; /* the compressed page, grown as needed */
    size_t cap;
};

page_deflater *page_deflater_new(void)
{
    page_deflater *d = xcalloc(1, sizeof *d);
    /* the level libharu deflates with (hpdf_streams.c) */
    d->ready = deflateInit(&d->z, Z_DEFAULT_COMPRESSION) == Z_OK;
    return d;
}

void page_deflater_free(page_deflater *d)
{
    if (!d)
        return;
    if (d->ready)
        deflateEnd(&d->z);
    free(d->out);
    free(d);
}

/* Room for at least `more` bytes of output after what is written. */
static void make_room(page_deflater *d, size_t more)
{
    size_t used = d->cap - d->z.avail_out;
    if (d->z.avail_out >= more)
        return;
    d->cap = used + more > 2 * d->cap ? used + more : 2 * d->cap;
    d->out = xrealloc(d->out, d->cap);
    d->z.next_out = d->out + used;
    d->z.avail_out = (uInt)(d->cap - used);
}

/* Deflate the memory stream's blocks into d->out; the size, or -1. */
static long deflate_stream(page_deflater *d, HPDF_Stream s)
{
    if (!d->ready || deflateReset(&d->z) != Z_OK)
        return -1;
    d->z.next_out = d->out;
    d->z.avail_out = (uInt)d->cap;
    make_room(d, deflateBound(&d->z, s->size));
    HPDF_UINT blocks = HPDF_MemStream_GetBufCount(s);
    for (HPDF_UINT k = 0; k < blocks; k++) {
        HPDF_UINT len = 0;
        d->z.next_in = HPDF_MemStream_GetBufPtr(s, k, &len);
        d->z.avail_in = len;
        while (d->z.avail_in > 0) {
            make_room(d, 4096);
            if (deflate(&d->z, Z_NO_FLUSH) != Z_OK)
                return -1;
        }
    }
    int rc;
    do {
        make_room(d, 4096);
        rc = deflate(&d->z, Z_FINISH);
    } while (rc == Z_OK);
    return rc == Z_STREAM_END ? (long)d->z.total_out : -1;
}

/* libharu drops /Filter from a stream dictionary whose filter is none, so
 * the content stream's dictionary writes it itself, after its entries. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

int page_deflate(page_deflater *d, HPDF_Page page)
{
    HPDF_PageAttr attr = page->attr;
    HPDF_Dict contents = attr->contents;
    HPDF_Stream s = contents ? contents->stream : NULL;
    if (!s || s->type != HPDF_STREAM_MEMORY || s->size == 0 ||
        attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION || (attr->gstate && attr->gstate->prev))
        return 0; /* libharu closes such a page as it saves (Page_BeforeWrite) */
    long n = deflate_stream(d, s);
    if (n < 0)
        return -1;
    HPDF_MemStream_FreeData(s);
    /* the compressed bytes as one block of their own size, not in blocks
     * of HPDF_STREAM_BUF_SIZ (4 KB) with the last one part empty */
    HPDF_MemStreamAttr mem = s->attr;
    mem->buf_siz = mem->w_pos = n > 0 ? (HPDF_UINT)n : 1;
    if (HPDF_Stream_Write(s, d->out, (HPDF_UINT)n) != HPDF_OK)
        return -1;
    contents->filter = HPDF_STREAM_FILTER_NONE;
    contents->write_fn = write_flate_filter;
    return 0;
}
