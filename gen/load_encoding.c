#include "load_encoding.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "utf8.h"
#include "util.h"

char *encoding_declared(const char *bytes, size_t len)
{
    const unsigned char *b = (const unsigned char *)bytes;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return xstrdup("UTF-8");
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return xstrdup("UTF-16LE");
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return xstrdup("UTF-16BE");
    if (len < 5 || strncmp(bytes, "<?xml", 5) != 0)
        return xstrdup("UTF-8");
    const char *end = memchr(bytes, '>', len < 512 ? len : 512);
    size_t n = end ? (size_t)(end - bytes) : 0;
    char *decl = xstrndup(bytes, n);
    char *enc = strstr(decl, "encoding");
    char *result = NULL;
    if (enc) {
        enc += strlen("encoding");
        while (*enc == ' ' || *enc == '=')
            enc++;
        char quote = *enc;
        char *close = quote == '"' || quote == '\'' ? strchr(enc + 1, quote) : NULL;
        if (close)
            result = xstrndup(enc + 1, (size_t)(close - enc - 1));
    }
    free(decl);
    return result ? result : xstrdup("UTF-8");
}

static int is_utf8(const char *encoding)
{
    return !strcasecmp(encoding, "UTF-8") || !strcasecmp(encoding, "UTF8");
}

/* GBK and GB2312 files from Chinese Windows are read as GB18030, their
 * superset, so that no valid character is refused. */
static const char *iconv_name(const char *encoding)
{
    static const char *const gb[] = {"GBK", "GB2312", "GB18030", "CP936", "X-GBK", "EUC-CN"};
    for (size_t i = 0; i < sizeof gb / sizeof *gb; i++)
        if (!strcasecmp(encoding, gb[i]))
            return "GB18030";
    return encoding;
}

static int line_at(const char *bytes, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset; i++)
        line += bytes[i] == '\n';
    return line;
}

/* `encoding`: as the message names it (UTF-8 however the user spelt it). */
static void report_bad_bytes(const encoded_bytes *in, size_t offset, const char *encoding,
                             diag_list *diags)
{
    const unsigned char *b = (const unsigned char *)in->bytes;
    char shown[16] = "";
    for (size_t i = offset; i < offset + 3 && i < in->len; i++)
        snprintf(shown + strlen(shown), sizeof shown - strlen(shown), "%s%02X", i > offset ? " " : "",
                 b[i]);
    const char *hint =
        in->named_by_user ? _("check the file's real encoding")
        : is_utf8(encoding)
            ? _("if it was saved on Chinese Windows (Excel, Notepad), try --encoding GBK")
            : _("if it is really UTF-8, correct its XML declaration or try --encoding UTF-8");
    diag_add(diags, DIAG_ERROR, in->path, line_at(in->bytes, offset),
             "byte %zu (%s) is not valid %s; %s", offset, shown, encoding, hint);
}

static char *convert(const char *bytes, size_t len, iconv_t cd, size_t *out_len, size_t *bad)
{
    size_t cap = len * 2 + 16, left_out = cap, left_in = len;
    char *out = xmalloc(cap + 1), *in = (char *)bytes, *o = out;
    while (left_in > 0) {
        if (iconv(cd, &in, &left_in, &o, &left_out) != (size_t)-1)
            break;
        if (errno != E2BIG) {
            *bad = (size_t)(in - bytes);
            free(out);
            return NULL;
        }
        size_t used = (size_t)(o - out);
        cap *= 2;
        out = xrealloc(out, cap + 1);
        o = out + used;
        left_out = cap - used;
    }
    *out_len = (size_t)(o - out);
    out[*out_len] = '\0';
    return out;
}

char *encoding_to_utf8(const encoded_bytes *in, size_t *out_len, diag_list *diags)
{
    const char *bytes = in->bytes;
    size_t len = in->len;
    if (is_utf8(in->encoding)) {
        const unsigned char *b = (const unsigned char *)bytes;
        size_t skip = len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
        size_t bad = 0;
        if (utf8_length(bytes + skip, len - skip, &bad) < 0) {
            report_bad_bytes(in, bad + skip, "UTF-8", diags);
            return NULL;
        }
        *out_len = len - skip;
        return xstrndup(bytes + skip, len - skip);
    }
    iconv_t cd = iconv_open("UTF-8", iconv_name(in->encoding));
    if (cd == (iconv_t)-1) {
        diag_add(diags, DIAG_ERROR, in->path, 1, "unknown encoding \"%s\"", in->encoding);
        return NULL;
    }
    size_t bad = 0;
    char *out = convert(bytes, len, cd, out_len, &bad);
    iconv_close(cd);
    if (!out)
        report_bad_bytes(in, bad, in->encoding, diags);
    return out;
}
