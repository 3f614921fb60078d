/* Text: the Chinese line-breaking rules (禁则, kinsoku), on code points
 * (utf8.c decodes them).  Every classification is a constant-size test,
 * and line breaking looks only at neighbouring characters, so breaking a
 * paragraph is linear in its length. */
#include "text.h"

/* ------------------------------------------------------------------ */
/* Character classes                                                   */

/* Sets of characters, scanned by in_set: the line breaker asks for the
 * classes of each character (see char_classes below), not for each set. */
static int in_set(uint32_t cp, const uint32_t *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}

#define IN_SET(cp, set) in_set((cp), (set), sizeof(set) / sizeof *(set))

/* Closing brackets of the parenthesis kind: a document number such as
 * 〔2009〕195号 or a heading such as （1） is glued to the number after it.
 * Title marks 》〉 and quotes are not: a break after them is ordinary. */
static const uint32_t closing_brackets[] = {
    ')', ']', '}',
    0xFF09, 0xFF3D, 0xFF5D, 0xFF60, /* ） ］ ｝ ｠ */
    0x3011, 0x3015, 0x3017, 0x3019, 0x301B, /* 】 〕 〗 〙 〛 */
};

/* GB/T 15834-2011 §5.1: these may not begin a line. */
static const uint32_t line_start_forbidden[] = {
    /* ASCII punctuation that belongs to what precedes it */
    ')', ']', '}', ',', '.', ';', ':', '?', '!', '%',
    0x00B7,                         /* · interpunct */
    0x2019, 0x201D,                 /* ’ ” */
    0x2030,                         /* ‰ (like %) */
    0x203C, 0x2047, 0x2048, 0x2049, /* ‼ ⁇ ⁈ ⁉ */
    0x3001, 0x3002,                 /* 、 。 */
    0x3005, 0x303B,                 /* 々 〻 iteration marks */
    0x3009, 0x300B, 0x300D, 0x300F, /* 〉 》 」 』 */
    0x3011, 0x3015, 0x3017, 0x3019, 0x301B, /* 】 〕 〗 〙 〛 */
    0x301C, 0x301E, 0x301F,         /* 〜 connector, 〞 〟 closing quotes */
    0x30FB,                         /* ・ */
    0xFF01, 0xFF05, 0xFF09, 0xFF0C, 0xFF0E, /* ！ ％ ） ， ． */
    0xFF1A, 0xFF1B, 0xFF1F,         /* ： ； ？ */
    0xFF3D, 0xFF5D, 0xFF5E, 0xFF60, /* ］ ｝ ～ ｠ */
    0xFF61, 0xFF63, 0xFF64, 0xFF65, /* halfwidth ｡ ｣ ､ ･ */
};

/* These may not end a line: opening brackets and quotes, and the currency
 * signs that prefix an amount. */
static const uint32_t line_end_forbidden[] = {
    '(', '[', '{',
    0x2018, 0x201C,                 /* ‘ “ */
    0x3008, 0x300A, 0x300C, 0x300E, /* 〈 《 「 『 */
    0x3010, 0x3014, 0x3016, 0x3018, 0x301A, /* 【 〔 〖 〘 〚 */
    0x301D,                         /* 〝 */
    0xFF08, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62, /* （ ［ ｛ ｟ ｢ */
    0xFF04, 0xFFE1, 0xFFE5,         /* ＄ ￡ ￥ */
};

/* Full-width marks drawn in one half of the em box. */
static const uint32_t squeezable_punct[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, /* ，。、；：？！ */
    0xFF08, 0xFF09, 0x300C, 0x300D, 0x300E, 0x300F,         /* （）「」『』 */
    0x300A, 0x300B, 0x3008, 0x3009, 0x3010, 0x3011,         /* 《》〈〉【】 */
    0x3014, 0x3015, 0x3016, 0x3017,                         /* 〔〕〖〗 */
    0xFF3B, 0xFF3D, 0xFF5B, 0xFF5D,                         /* ［］｛｝ */
    0x201C, 0x201D, 0x2018, 0x2019,                         /* “”‘’ */
};

/* The marks that occur inside words, numbers, addresses and codes. */
static const uint32_t word_marks[] = {
    '-', '.', '@', '/', '_', ':', '%', '+', '#', '&', '\'', '~',
};

/* General punctuation set full-width in Chinese fonts (the GB 2312 ones),
 * plus the midline ellipsis and the two- and three-em dashes. */
static const uint32_t cjk_general_punct[] = {
    0x2014, 0x2015, 0x2016, 0x2018, 0x2019, 0x201C, 0x201D,
    0x2025, 0x2026, 0x2030, 0x2032, 0x2033, 0x203B,
    0x22EF, 0x2E3A, 0x2E3B,
};

/* Characters that forbid a break on either side (no-break spaces, word
 * joiner). */
static const uint32_t glue[] = {0x00A0, 0x2007, 0x202F, 0x2060, 0xFEFF};

static int is_latin_letter(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return 1;
    /* Latin-1 Supplement letters (not × ÷), Latin Extended-A and -B */
    return cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7;
}

static int is_fullwidth_alnum(uint32_t cp)
{
    return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
           (cp >= 0xFF41 && cp <= 0xFF5A);
}

static int is_word_char(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || is_latin_letter(cp) ||
           is_fullwidth_alnum(cp) || IN_SET(cp, word_marks);
}

static int is_ideograph(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Scripts and marks set one character per em box, between any two of which
 * a line may break. */
static int is_cjk(uint32_t cp)
{
    return is_ideograph(cp) ||
           (cp >= 0x2E80 && cp <= 0x2FFF) ||  /* radicals, description chars */
           (cp >= 0x3000 && cp <= 0x33FF) ||  /* punctuation, kana, bopomofo,
                                                 strokes, enclosed, compat */
           (cp >= 0xFE30 && cp <= 0xFE4F) ||  /* compatibility forms */
           (cp >= 0xFF00 && cp <= 0xFFEF) ||  /* full-width forms */
           IN_SET(cp, cjk_general_punct);
}

/* Marks that belong to the character before them (accents, variation
 * selectors of an ideographic variation sequence, ZWJ): never a break
 * before one, and the character they attach to decides the break after. */
static int is_combining(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
           (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x3099 || cp == 0x309A ||
           cp == 0x200D;
}

/* —— and …… are one mark written with two characters. */
static int is_dash(uint32_t cp)
{
    return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2E3A || cp == 0x2E3B;
}

static int is_ellipsis(uint32_t cp)
{
    return cp == 0x2025 || cp == 0x2026 || cp == 0x22EF;
}

/* ------------------------------------------------------------------ */
/* Classes: what the line breaker asks of a character, as bits         */

enum {
    CLASS_WORD = 1 << 0,
    CLASS_IDEOGRAPH = 1 << 1,
    CLASS_CJK = 1 << 2,
    CLASS_COMBINING = 1 << 3,
    CLASS_SPACE = 1 << 4,
    CLASS_GLUE = 1 << 5,
    CLASS_LINE_START_FORBIDDEN = 1 << 6,
    CLASS_LINE_END_FORBIDDEN = 1 << 7,
    CLASS_CLOSING_BRACKET = 1 << 8,
    CLASS_DASH = 1 << 9,
    CLASS_ELLIPSIS = 1 << 10,
    CLASS_SQUEEZABLE = 1 << 11,
};

static unsigned classes_from_sets(uint32_t cp)
{
    unsigned c = 0;
    c |= is_word_char(cp) ? CLASS_WORD : 0;
    c |= is_ideograph(cp) ? CLASS_IDEOGRAPH : 0;
    c |= is_cjk(cp) ? CLASS_CJK : 0;
    c |= is_combining(cp) ? CLASS_COMBINING : 0;
    c |= cp == 0x0020 || cp == 0x3000 ? CLASS_SPACE : 0;
    c |= IN_SET(cp, glue) ? CLASS_GLUE : 0;
    c |= IN_SET(cp, line_start_forbidden) ? CLASS_LINE_START_FORBIDDEN : 0;
    c |= IN_SET(cp, line_end_forbidden) ? CLASS_LINE_END_FORBIDDEN : 0;
    c |= IN_SET(cp, closing_brackets) ? CLASS_CLOSING_BRACKET : 0;
    c |= is_dash(cp) ? CLASS_DASH : 0;
    c |= is_ellipsis(cp) ? CLASS_ELLIPSIS : 0;
    c |= IN_SET(cp, squeezable_punct) ? CLASS_SQUEEZABLE : 0;
    return c;
}

/* The classes of the Basic Multilingual Plane, a block of 256 code points
 * worked out from the sets above when one of them is first asked about:
 * a table of 38,000 rows asks some 8 million times, of a few dozen blocks
 * (ASCII, CJK punctuation, the ideographs in use).  The module's only
 * mutable state, a cache of what the constant sets say.  Safe with the
 * program's threads because only the thread that lays out breaks lines:
 * the validation thread reads the record's tree, the deflating and
 * publishing threads (job_thread.h) bytes, and batch -j forks processes,
 * each with a table of its own.  Were two threads ever to lay out at once,
 * fill the table whole before they start (some 65,536 classifications). */
#define CLASS_BLOCK_BITS 8
#define CLASS_BLOCK_SIZE (1u << CLASS_BLOCK_BITS)

static uint16_t bmp_classes[0x10000];
static unsigned char bmp_block_made[0x10000 >> CLASS_BLOCK_BITS];

static unsigned char_classes_first(uint32_t cp)
{
    if (cp >= 0x10000)
        return classes_from_sets(cp);
    unsigned block = cp >> CLASS_BLOCK_BITS;
    for (uint32_t c = block << CLASS_BLOCK_BITS; c < (block + 1) << CLASS_BLOCK_BITS; c++)
        bmp_classes[c] = (uint16_t)classes_from_sets(c);
    bmp_block_made[block] = 1;
    return bmp_classes[cp];
}

static inline unsigned char_classes(uint32_t cp)
{
    if (cp < 0x10000 && bmp_block_made[cp >> CLASS_BLOCK_BITS])
        return bmp_classes[cp];
    return char_classes_first(cp);
}

int kinsoku_is_line_start_forbidden(uint32_t cp)
{
    return (char_classes(cp) & CLASS_LINE_START_FORBIDDEN) != 0;
}

int kinsoku_is_line_end_forbidden(uint32_t cp)
{
    return (char_classes(cp) & CLASS_LINE_END_FORBIDDEN) != 0;
}

int punct_is_squeezable(uint32_t cp)
{
    return (char_classes(cp) & CLASS_SQUEEZABLE) != 0;
}

int text_is_word_char(uint32_t cp)
{
    return (char_classes(cp) & CLASS_WORD) != 0;
}

int text_is_cjk(uint32_t cp)
{
    return (char_classes(cp) & (CLASS_CJK | CLASS_IDEOGRAPH)) != 0 && !(char_classes(cp) & CLASS_SPACE);
}

int punct_is_quote(uint32_t cp)
{
    return cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019;
}

/* A token's marks where it may be cut as the last resort: after '@',
 * before '.', '/' or '-'. */
static int token_cut_between(uint32_t before, uint32_t after, uint32_t next)
{
    if (before == '@')
        return 1;
    if (after == '.') /* not inside a decimal number (3.5) */
        return !(next >= '0' && next <= '9');
    return after == '/' || after == '-';
}

#define TOKEN_SHORTEST 8 /* a shorter token is never cut */
#define TOKEN_SIDE 2     /* word characters each side of a cut, at least */

void text_token_breaks(const uint32_t *cps, size_t n, unsigned char *cut)
{
    size_t i = 0;
    while (i < n) {
        cut[i] = 0;
        if (!text_is_word_char(cps[i]) || (char_classes(cps[i]) & CLASS_CJK)) {
            i++;
            continue;
        }
        size_t e = i; /* the token: [i, e) */
        while (e < n && text_is_word_char(cps[e]) && !(char_classes(cps[e]) & CLASS_CJK))
            e++;
        for (size_t k = i + 1; k < e; k++)
            cut[k] = e - i >= TOKEN_SHORTEST && k - i >= TOKEN_SIDE && e - k >= TOKEN_SIDE &&
                     token_cut_between(cps[k - 1], cps[k], k + 1 < e ? cps[k + 1] : 0);
        i = e;
    }
}

/* ------------------------------------------------------------------ */
/* Line breaking                                                       */

/* Numbers and Latin words stay whole, and so do "195号" and "〔2009〕195号":
 * a number keeps the ideograph or bracket after it, and a closing bracket
 * keeps the number after it. */
static int keeps_words_together(unsigned before, unsigned after)
{
    if (before & CLASS_WORD)
        return (after & (CLASS_WORD | CLASS_IDEOGRAPH | CLASS_CLOSING_BRACKET)) != 0;
    return (before & CLASS_CLOSING_BRACKET) && (after & CLASS_WORD);
}

static int is_split_pair(unsigned before, unsigned after)
{
    return (before & after & (CLASS_DASH | CLASS_ELLIPSIS)) != 0;
}

/* May a line end after a character of classes `before` and the next begin
 * with one of classes `after`? */
static int may_break_between(unsigned before, unsigned after)
{
    if ((before | after) & CLASS_GLUE)
        return 0;
    if (after & CLASS_SPACE) /* spaces stay at the end of the line */
        return 0;
    if (before & CLASS_SPACE)
        return !(after & CLASS_LINE_START_FORBIDDEN);
    if ((after & CLASS_LINE_START_FORBIDDEN) || (before & CLASS_LINE_END_FORBIDDEN))
        return 0;
    if (keeps_words_together(before, after) || is_split_pair(before, after))
        return 0;
    /* Between Latin characters only spaces break. */
    return ((before | after) & CLASS_CJK) != 0;
}

void linebreak_opportunities(const uint32_t *cps, size_t n, unsigned char *can_break)
{
    if (n == 0)
        return;
    can_break[0] = 0;
    /* the last character that is not a combining mark */
    unsigned base = char_classes(cps[0]);
    for (size_t i = 1; i < n; i++) {
        unsigned c = char_classes(cps[i]);
        if (c & CLASS_COMBINING) {
            can_break[i] = 0;
            continue;
        }
        can_break[i] = (unsigned char)may_break_between(base, c);
        base = c;
    }
}
