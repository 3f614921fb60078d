/* The campaign module's matching rules (campaign_match.c): when two
 * records' names are the same company's, and the index that finds them. */
#include <stdlib.h>
#include <string.h>

#include "campaign_internal.h"
#include "check.h"

static int key_is(const char *name, const char *want)
{
    char *k = cp_name_key(name);
    int ok = strcmp(k, want) == 0;
    if (!ok)
        fprintf(stderr, "key of \"%s\" is \"%s\", not \"%s\"\n", name, k, want);
    free(k);
    return ok;
}

static int loose_is(const char *name, const char *want)
{
    char *k = cp_name_loose_key(name);
    int ok = strcmp(k, want) == 0;
    if (!ok)
        fprintf(stderr, "loose key of \"%s\" is \"%s\", not \"%s\"\n", name, k, want);
    free(k);
    return ok;
}

static void test_keys(void)
{
    /* white space of every kind goes: ASCII, ideographic (U+3000), no-break */
    CHECK(key_is(" 杭州 华立\u3000电器\u00a0有限公司 ", "杭州华立电器有限公司"), "spaces");
    /* full-width letters, digits and brackets are half-width; Latin in lower case */
    CHECK(key_is("ＴＣＬ（杭州）电器１号有限公司", "tcl(杭州)电器1号有限公司"), "full-width");
    CHECK(key_is("TCL(杭州)电器1号有限公司", "tcl(杭州)电器1号有限公司"), "half-width");
    /* 有限责任公司 is kept apart by the strict key, folded by the loose one */
    CHECK(key_is("杭州华立电器有限责任公司", "杭州华立电器有限责任公司"), "strict keeps 有限责任公司");
    CHECK(loose_is("杭州华立电器有限责任公司", "杭州华立电器有限公司"), "loose folds 有限责任公司");
    CHECK(loose_is("杭州 华立电器有限公司", "杭州华立电器有限公司"), "loose is a key too");
    /* other Chinese punctuation is not touched: 、 is no comma */
    CHECK(key_is("杭州华立、正泰有限公司", "杭州华立、正泰有限公司"), "、 kept");
    CHECK(key_is("", ""), "empty");
}

static void test_pool(void)
{
    cp_pool p = {0};
    const char *a = cp_strdup(&p, "杭州市"), *b = NULL;
    char big[70000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    b = cp_strdup(&p, big); /* larger than a chunk */
    CHECK(strcmp(a, "杭州市") == 0 && strlen(b) == sizeof big - 1, "pool keeps its strings");
    CHECK(cp_strdup(&p, NULL) == NULL, "NULL stays NULL");
    cp_pool_free(&p);
}

static void test_index(void)
{
    cp_row rows[5] = {
        {.key = "b", .cert_no = "C2"}, {.key = "a", .cert_no = NULL}, {.key = "b", .cert_no = "C1"},
        {.key = "c", .cert_no = "C2"}, {.key = "a", .cert_no = "C3"},
    };
    cp_folder f = {.rows = rows, .n_rows = 5};
    cp_index ix;
    size_t first;
    cp_index_build(&ix, &f, CP_BY_KEY);
    CHECK(cp_index_find(&ix, "a", &first) == 2 && ix.rows[first] == 1 && ix.rows[first + 1] == 4,
          "both a's, in the folder's order");
    CHECK(cp_index_find(&ix, "b", &first) == 2, "both b's");
    CHECK(cp_index_find(&ix, "z", &first) == 0 && cp_index_find(&ix, NULL, &first) == 0, "none");
    cp_index_free(&ix);
    cp_index_build(&ix, &f, CP_BY_CERT);
    CHECK(ix.n == 4, "a row without a certificate is not in the certificate index");
    CHECK(cp_index_find(&ix, "C2", &first) == 2 && ix.rows[first] == 0 && ix.rows[first + 1] == 3,
          "C2's two rows");
    cp_index_free(&ix);
}

int main(void)
{
    test_keys();
    test_pool();
    test_index();
    return check_summary();
}
