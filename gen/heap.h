/* The process's heap, set up once at start. */
#ifndef GEN_HEAP_H
#define GEN_HEAP_H

/* Reserve the heap in one piece and ask for transparent huge pages on it
 * (heap.c says why).  Harmless where the kernel has none. */
void heap_prefer_huge_pages(void);

#endif
