/* The exit status of every command, and of every stage's call that
 * decides one: what a shell script or a scheduler may act on. */
#ifndef GEN_EXIT_CODES_H
#define GEN_EXIT_CODES_H

enum {
    EXIT_DONE = 0,        /* done */
    EXIT_ENVIRONMENT = 1, /* the machine's fault: a missing font file, a full disk, a bug */
    EXIT_BAD_INPUT = 2    /* the input's fault: unreadable, invalid, an unknown template */
};

#endif
