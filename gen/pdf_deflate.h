/* A page's content stream compressed as soon as the page is drawn.
 * libharu keeps every page's operators in memory until it saves, and
 * deflates them only then: for a table of thousands of pages that is a
 * hundred megabytes of raw operators.  Deflated page by page, it holds
 * only the compressed bytes.  From a document's fourth page on, the
 * deflating is done by a thread of its own while the next pages are drawn
 * (zlib works on our copy of the operators; only the drawing thread
 * touches libharu).  The other streams
 * (fonts, ToUnicode maps, images) are still compressed by libharu as it
 * saves. */
#ifndef GEN_PDF_DEFLATE_H
#define GEN_PDF_DEFLATE_H

#include <hpdf.h>

typedef struct page_deflater page_deflater;

page_deflater *page_deflater_new(void);
void page_deflater_free(page_deflater *d);

/* Deflate the page's content stream (zlib's default level, as libharu's
 * HPDF_COMP_ALL), in place: the stream gets the compressed bytes back
 * (by page_deflater_finish at the latest), its dictionary says /Filter
 * /FlateDecode, and libharu writes it as it is.  The page must be
 * finished: nothing may draw on it afterwards.  A page left in a path or a
 * text object, or with an empty stream, is left to libharu.  Returns 0, or
 * -1 (zlib or libharu failed; a stream may be lost, so the document must
 * not be saved). */
int page_deflate(page_deflater *d, HPDF_Page page);

/* Wait until every page handed over has its compressed bytes back: 0, or
 * -1 as above.  Before the document is saved. */
int page_deflater_finish(page_deflater *d);

#endif
