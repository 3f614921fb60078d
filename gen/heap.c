/* Memory touched for the first time is dear on the virtual machines this
 * runs on: a page fault costs about 3 ms a MiB, and a province's
 * self-check table touches some 500 MiB over its run (the record's tree,
 * the block tree, the boxes, the pages), a third of its time.  With the
 * heap in transparent huge pages it faults 2 MiB at a time: W2 3.8 s ->
 * 2.3 s, the peak the same within 2 MB.
 *
 * The kernels here give huge pages to memory that asks for them (their
 * "madvise" mode), and glibc asks only when told by an environment
 * variable (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which a clerk's
 * desktop will not set.  So the heap is made to grow by a gigabyte of
 * address space at once (M_TOP_PAD: nothing is resident until touched)
 * and that range is marked with madvise(MADV_HUGEPAGE).  Where the heap
 * is not glibc's (valgrind, sanitizers) mallinfo2 reports no arena and
 * nothing is done.  Small records are left alone (a notice: 8 KB): their
 * few megabytes gain nothing, and a huge page is zeroed whole when first
 * touched (the notice took 25 ms longer); from 256 KB on (500 nomination
 * forms: 412 KB, 160 -> 140 ms) it pays. */
#define _GNU_SOURCE
#include "heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESERVE ((size_t)1 << 30)
#define LARGE_RECORD ((off_t)256 << 10)
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void prefer_huge_pages(void)
{
    if (mallopt(M_TOP_PAD, (int)RESERVE) != 1)
        return;
    /* volatile: else the compiler drops a malloc whose block is only
     * freed (a local: no state outlives the call) */
    void *volatile grown[2];
    /* two blocks more than the first small heap holds (below the mmap
     * threshold, so from the heap): it grows, by the pad */
    grown[0] = malloc(120 << 10);
    grown[1] = malloc(120 << 10);
    free(grown[1]);
    free(grown[0]);
    struct mallinfo2 mi = mallinfo2();
    if (mi.arena < RESERVE / 2)
        return;
    uintptr_t end = (uintptr_t)sbrk(0), start = end - mi.arena;
    uintptr_t from = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (end > from + HUGE_PAGE)
        madvise((void *)from, (end - from) & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
}

void heap_prefer_huge_pages_for(const char *record_path)
{
    struct stat st;
    if (record_path && stat(record_path, &st) == 0 && st.st_size >= LARGE_RECORD)
        prefer_huge_pages();
}
