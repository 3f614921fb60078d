#define _GNU_SOURCE
#include "seal_image.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "util.h"

/* More pixels than this is no seal (an office's seal is a few hundred
 * pixels across), and decoding it would take gigabytes. */
#define MAX_PIXELS (64u * 1024 * 1024)

/* Why the file cannot be opened as a PNG, or NULL when it is one (its
 * signature and header, at least).  An interlaced PNG is refused too:
 * libharu frees its rows twice (a crash, or a corrupted heap). */
static char *unopenable(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? xstrdup(_("not found (put the image beside the record, or correct "
                                         "its name)"))
                               : xasprintf(_("cannot be read: %s"), strerror(errno));
    if (!S_ISREG(st.st_mode))
        return xstrdup("not a file");
    FILE *f = fopen(path, "rb");
    if (!f)
        return xasprintf(_("cannot be read: %s"), strerror(errno));
    png_byte head[29]; /* the signature, then IHDR: length, type, 13 bytes of data */
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n < 8 || png_sig_cmp(head, 0, 8) != 0)
        return xstrdup(_("not a PNG image (a seal is a PNG, with a transparent background)"));
    if (n == sizeof head && memcmp(head + 12, "IHDR", 4) == 0 && head[28] != 0)
        return xstrdup(_("an interlaced PNG, which libharu cannot read; save it again without "
                       "interlacing"));
    return NULL;
}

int seal_image_check(const char *path, unsigned *width, unsigned *height, char **problem)
{
    *problem = unopenable(path);
    if (*problem)
        return -1;
    /* decoded whole, so that every chunk's checksum and all the
     * compressed data are read as libharu will; as grey with alpha, two
     * bytes a pixel (to grey alone libpng composites, and valgrind finds it
     * reading uninitialised memory then) */
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    png_bytep pixels = NULL;
    if (png_image_begin_read_from_file(&img, path)) {
        if ((unsigned long long)img.width * img.height > MAX_PIXELS) {
            *problem = xasprintf(_("%u x %u pixels, too large for a seal"), img.width, img.height);
            png_image_free(&img);
            return -1;
        }
        img.format = PNG_FORMAT_GA;
        pixels = xmalloc(PNG_IMAGE_SIZE(img));
        if (png_image_finish_read(&img, NULL, pixels, 0, NULL)) {
            *width = img.width, *height = img.height;
            free(pixels);
            return 0;
        }
    }
    *problem = xasprintf(_("a damaged PNG image (%s); save it again as PNG"), img.message);
    png_image_free(&img);
    free(pixels);
    return -1;
}
