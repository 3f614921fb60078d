/* Where the program's data lives: templates/, schemas/, fonts/ and the
 * message catalogues.  Shared by bin/gen and bin/gen-desk, which both sit
 * in the project's bin/ (or PREFIX/bin when installed). */
#ifndef GEN_DATA_DIR_H
#define GEN_DATA_DIR_H

/* The project above the running program's bin/ (the first folder up that
 * holds templates/), or PREFIX/share/gen when installed; "." when neither
 * is found.  Allocated. */
char *find_data_dir(void);

#endif
