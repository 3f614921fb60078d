#include "pdf_deflate.h"

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "job_thread.h"
#include "util.h"

/* Pages taken from libharu and not yet given back: the drawing runs at
 * most this far ahead of the deflating, which bounds the raw operators
 * held (some 25 KB a page of a table). */
#define AHEAD 64

/* The page from which a document's pages are deflated by a thread of
 * their own: before it, inline, as the thread's start and hand-overs cost
 * more than drawing beside it gains (a batch of one-page forms). */
#define THREAD_FROM_PAGE 4

typedef enum { JOB_QUEUED, JOB_DONE, JOB_FAILED } job_state;

/* A page's operators, taken out of its stream, and then their deflated
 * bytes, which go back into the stream in the drawing thread. */
typedef struct page_job {
    HPDF_Page page;
    unsigned char *raw;
    size_t raw_len;
    unsigned char *out;
    size_t out_len;
    job_state state;
} page_job;

struct page_deflater {
    z_stream z; /* the deflating thread's: deflateReset, not deflateInit, per page */
    int z_ready;
    job_thread *thread; /* NULL: each page is deflated as it is handed over */
    size_t pages;       /* handed over before the thread started */
    int no_thread;      /* it could not start */
    page_job ring[AHEAD];
    size_t head; /* the oldest job not given back */
    size_t tail; /* the next free slot */
    int failed;  /* a job could not be given back */
};

/* Deflate a job's operators (zlib's default level, libharu's for
 * HPDF_COMP_ALL, so the file is what libharu would have written). */
static void deflate_job(page_deflater *d, page_job *job)
{
    job->state = JOB_FAILED;
    if (!d->z_ready || deflateReset(&d->z) != Z_OK)
        return;
    uLong bound = deflateBound(&d->z, (uLong)job->raw_len);
    job->out = xmalloc(bound > 0 ? bound : 1);
    d->z.next_in = job->raw;
    d->z.avail_in = (uInt)job->raw_len;
    d->z.next_out = job->out;
    d->z.avail_out = (uInt)bound;
    if (deflate(&d->z, Z_FINISH) == Z_STREAM_END) {
        job->out_len = (size_t)d->z.total_out;
        job->state = JOB_DONE;
    }
    free(job->raw);
    job->raw = NULL;
}

static void work(void *ctx, size_t job)
{
    page_deflater *d = ctx;
    deflate_job(d, &d->ring[job % AHEAD]);
}

page_deflater *page_deflater_new(void)
{
    page_deflater *d = xcalloc(1, sizeof *d);
    d->z_ready = deflateInit(&d->z, Z_DEFAULT_COMPRESSION) == Z_OK;
    return d;
}

/* libharu drops /Filter from a stream dictionary whose filter is none, so
 * the content stream's dictionary writes it itself, after its entries. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* The deflated bytes into the page's stream, as one block of their own
 * size (not blocks of HPDF_STREAM_BUF_SIZ with the last one part empty). */
static int give_back(page_deflater *d, page_job *job)
{
    int ok = job->state == JOB_DONE;
    if (ok) {
        HPDF_Dict contents = ((HPDF_PageAttr)job->page->attr)->contents;
        HPDF_Stream s = contents->stream;
        HPDF_MemStreamAttr mem = s->attr;
        mem->buf_siz = mem->w_pos = job->out_len > 0 ? (HPDF_UINT)job->out_len : 1; /* a new block */
        ok = HPDF_Stream_Write(s, job->out, (HPDF_UINT)job->out_len) == HPDF_OK;
        contents->filter = HPDF_STREAM_FILTER_NONE;
        contents->write_fn = write_flate_filter;
    }
    free(job->out);
    job->out = NULL;
    d->failed |= !ok;
    return ok ? 0 : -1;
}

/* Give back the deflated jobs at the head (in the drawing thread: libharu
 * is its alone); with `wait`, until `until` jobs are left (0: all). */
static void give_back_done(page_deflater *d, int wait, size_t until)
{
    while (d->head < d->tail &&
           job_thread_done(d->thread, d->head, wait && d->tail - d->head > until))
        give_back(d, &d->ring[d->head++ % AHEAD]);
}

int page_deflate(page_deflater *d, HPDF_Page page)
{
    HPDF_PageAttr attr = page->attr;
    HPDF_Dict contents = attr->contents;
    HPDF_Stream s = contents ? contents->stream : NULL;
    if (!s || s->type != HPDF_STREAM_MEMORY || s->size == 0 ||
        attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION || (attr->gstate && attr->gstate->prev))
        return 0; /* libharu closes such a page as it saves (Page_BeforeWrite) */
    if (!d->thread && !d->no_thread && ++d->pages >= THREAD_FROM_PAGE) {
        d->thread = job_thread_start(work, d);
        d->no_thread = !d->thread;
    }
    if (d->thread)
        give_back_done(d, 1, AHEAD - 1); /* a free slot */
    page_job *job = &d->ring[d->tail % AHEAD];
    *job = (page_job){.page = page, .raw_len = s->size, .state = JOB_QUEUED};
    job->raw = xmalloc(s->size);
    size_t at = 0;
    for (HPDF_UINT k = 0, blocks = HPDF_MemStream_GetBufCount(s); k < blocks; k++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *block = HPDF_MemStream_GetBufPtr(s, k, &len);
        memcpy(job->raw + at, block, len);
        at += len;
    }
    HPDF_MemStream_FreeData(s);
    if (!d->thread) {
        deflate_job(d, job);
        return give_back(d, job);
    }
    d->tail++;
    job_thread_queue(d->thread);
    give_back_done(d, 0, 0);
    return d->failed ? -1 : 0;
}

int page_deflater_finish(page_deflater *d)
{
    if (d->thread) {
        give_back_done(d, 1, 0);
        job_thread_stop(d->thread);
        d->thread = NULL;
    }
    return d->failed ? -1 : 0;
}

void page_deflater_free(page_deflater *d)
{
    if (!d)
        return;
    page_deflater_finish(d);
    if (d->z_ready)
        deflateEnd(&d->z);
    free(d);
}
