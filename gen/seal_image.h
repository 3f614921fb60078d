/* A seal image (印章) the record names: a PNG, checked whole before it is
 * used.  libharu reads PNGs with libpng but sets no recovery point, so a
 * damaged file (a bad checksum, cut short) makes libpng abort the
 * process; and the record is what is wrong then, not the machine. */
#ifndef GEN_SEAL_IMAGE_H
#define GEN_SEAL_IMAGE_H

/* 0 with the image's size in pixels when `path` is a readable, whole PNG;
 * else -1 with *problem (allocated) saying what is wrong, in words for
 * the record's author: "not found", "not a PNG image", ... */
int seal_image_check(const char *path, unsigned *width, unsigned *height, char **problem);

#endif
