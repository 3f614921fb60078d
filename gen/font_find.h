/* Fonts found the way the system finds them: a family name (仿宋_GB2312,
 * FangSong_GB2312, SimSun) resolved through fontconfig to a file and face
 * index, for the <font family="..."> entries of the map (font.c).  An
 * office that copies its Windows fonts into ~/.fonts or
 * /usr/local/share/fonts gets them with no edit of the map.  For font*.c
 * only. */
#ifndef GEN_FONT_FIND_H
#define GEN_FONT_FIND_H

typedef struct font_finder font_finder;

/* fontconfig's configuration and font list, read once (FcInitLoadConfigAndFonts,
 * FONTCONFIG_FILE and the user's own folders included); NULL when
 * fontconfig cannot read them.  font.c makes one per map it reads, only
 * when the map names a family, and frees it when the map is read: a
 * process reads its map once, before any thread starts, and the finder is
 * never shared. */
font_finder *font_finder_open(void);
void font_finder_close(font_finder *finder);

/* The installed face whose family names (any of them: the English and the
 * Chinese ones) include `family`, compared as fontconfig does (case and
 * blanks ignored), the closest to `style` ("Regular", "Bold"; NULL: the
 * regular one): its file (allocated) and face index, and its style
 * (allocated, NULL when it has none).  NULL when no installed face has
 * that family: fontconfig always matches *some* font, and one of another
 * family is not the font asked for. */
char *font_finder_find(font_finder *finder, const char *family, const char *style, int *index,
                       char **found_style);

#endif
