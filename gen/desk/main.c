/* gen-desk: the campaign desk's web server (gen serve).  Being built. */
#include <stdio.h>

int main(void)
{
    fputs("gen-desk: not built yet\n", stderr);
    return 1;
}
