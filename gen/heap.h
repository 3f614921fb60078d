/* The process's heap: huge pages for a large record. */
#ifndef GEN_HEAP_H
#define GEN_HEAP_H

/* For a record of a few hundred kilobytes or more, reserve the heap in
 * one piece and ask for transparent huge pages on it (heap.c says why);
 * for a smaller one do nothing.  Harmless where the kernel has none.  Not
 * for a process that will fork workers: a child's first write to a huge
 * page shared with its parent copies all 2 MiB of it. */
void heap_prefer_huge_pages_for(const char *record_path);

#endif
